"""Rules reported while a file is read: it must be text, valid YAML and match its schema."""

from ngocoord.problems import ERROR, WARNING
from ngocoord.rules import loader_rule

loader_rule("yaml-syntax", ERROR, """
The file is not valid YAML, or not the kind of YAML a record is: broken indentation, a tab
used for indentation, an unclosed quote or bracket, an empty file, several documents in one
file ('---'), a list instead of a mapping, anchors and aliases (& and *), or a tag such as
!!python/object. Fix the line shown; most editors highlight YAML mistakes as you type.""")

loader_rule("encoding", ERROR, """
The file must be plain UTF-8 text without a byte-order mark and without NUL bytes. Save it
from your editor as "UTF-8" (not "UTF-8 with BOM", not Windows-1256).""")

loader_rule("duplicate-key", ERROR, """
The same key appears twice in one mapping, e.g. two 'status:' lines. YAML would silently keep
only the last one and the first value would be lost. Keep one key and merge the values.""")

loader_rule("schema", ERROR, """
The record does not match its schema (schemas/*.schema.json): a required key is missing, a
key is unknown (often a typo), or a value has the wrong form (a date, an id, a number). The
message names the key and what it must be. Editors that read the first-line
'# yaml-language-server: $schema=...' comment check this while you type.""")

loader_rule("file-too-large", ERROR, """
A data file holds one record and is a few kilobytes. A file over 1 MiB is not read.""")

loader_rule("symlink", ERROR, """
A file in the dataset is a symbolic link to somewhere outside the dataset. It is not
followed (its target could be any file on the machine). Put the real file in the dataset.""")

loader_rule("unreadable", ERROR, """
The file could not be read (permissions, or it vanished while being read).""")

loader_rule("schema-header", WARNING, """
Every data file starts with a comment that tells editors (VS Code with the YAML extension,
and others) which schema to check it against, for example:
    # yaml-language-server: $schema=../../schemas/activity.schema.json
'ngocoord fmt' adds it.""")
