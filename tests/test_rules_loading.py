"""Rules the loader reports (yaml-syntax, encoding, duplicate-key, file-too-large, symlink,
unreadable, schema-header): each broken file gets its exact rule, place and message; the run goes on."""

import pytest

from ngocoord.rules import all_rules
from tests.lintcase import ACT_2, ORG_C, ORG_HEADER, lint_files, relint

F = "data/organizations/org-c.yaml"

CASES = {
    "unclosed-quote": (ORG_HEADER + "id: org-c\nname: 'Org C\ntype: nngo\n",
                       f"{F}:3:7: error yaml-syntax: the quote opened here is never closed (add the closing quote at the end of the value)"),
    "tab-indent": (ORG_HEADER + "id: org-c\nnames:\n\tar: x\n",
                   f"{F}:4:1: error yaml-syntax: a tab character is used for indentation (YAML needs spaces: replace the tab with spaces)"),
    "colon-in-value": (ORG_HEADER + "id: org-c\nname: Org: C\n",
                       f"{F}:3:10: error yaml-syntax: a ':' here is not expected: the value holds ': ', or the line is indented too far "
                       "(put the value in quotes, or start the key in the same column as the keys around it)"),
    "missing-colon": (ORG_HEADER + "id: org-c\nname Org C\ntype: nngo\n",
                      f"{F}:4:1: error yaml-syntax: this line is not 'key: value' (add ': ' after the key, or join this line to the one above)"),
    "reserved-character": (ORG_HEADER + "id: org-c\nname: @org\n",
                           f"{F}:3:7: error yaml-syntax: a value starts with a character YAML reserves (such as @, ` or %) (put the value in quotes)"),
    "unclosed-list": (ORG_HEADER + "id: org-c\nmember_of: [org-a, org-b\ntype: nngo\n",
                      f"{F}:3:12: error yaml-syntax: the list opened here with '[' is not closed properly "
                      "(close it with ']', and put values that contain commas in quotes)"),
    "bad-indentation": (ORG_HEADER + "id: org-c\nmember_of:\n  - org-a\n  name: x\n",
                        f"{F}:5:3: error yaml-syntax: the indentation is wrong here (keys of one mapping, and the '- ' items of one list, start in the same column)"),
    "empty-file": ("", f"{F}:1:1: error yaml-syntax: the file is empty (write the record's keys, e.g. id: …)"),
    "only-comments": (ORG_HEADER + "# nothing yet\n", f"{F}:1:1: error yaml-syntax: the file is empty (write the record's keys, e.g. id: …)"),
    "two-documents": (ORG_C + "---\n" + ORG_C,
                      f"{F}:6:1: error yaml-syntax: the file holds more than one YAML document (a second '---') (keep one record per file)"),
    "a-list": (ORG_HEADER + "- id: org-c\n",
               f"{F}:1:1: error yaml-syntax: the file must be a mapping of keys and values, but it is a list (start with 'id: …' on the first line, no '- ')"),
    "alias": (ORG_HEADER + "id: &x org-c\nname: *x\ntype: nngo\nlast_reviewed: 2026-06-01\n",
              f"{F}:2:5: error yaml-syntax: anchors and aliases (& and *) are not allowed: write the value out in full"),
    "python-tag": (ORG_HEADER + "id: org-c\nname: !!python/object:os.system x\n",
                   f"{F}:3:7: error yaml-syntax: the tag !!python/object:os.system is not allowed: data files hold plain values only"),
    "byte-order-mark": (b"\xef\xbb\xbf" + ORG_C.encode(),
                        f"{F}:1:1: error encoding: the file starts with a byte-order mark (save it as UTF-8 without BOM)"),
    "latin-1": (ORG_C.encode() + b"notes: caf\xe9\n",
                f"{F}:6:11: error encoding: byte 0xe9 is not UTF-8 (save the file as UTF-8)"),
    "duplicate-key": (ORG_C + "type: ingo\n",
                      f"{F}:6:1: error duplicate-key: the key 'type' appears twice in the same mapping; YAML would keep only the last "
                      "(keep one and merge the values)"),
    "too-large": (ORG_C + "notes: " + "x" * (1024 * 1024) + "\n",
                  f"{F}:1:1: error file-too-large: the file is 1,048,714 bytes; a record is at most 1,048,576 (a data file holds one record; split or trim it)"),
    "no-schema-header": (ORG_C.split("\n", 1)[1],
                         f"{F}:1:1: warning schema-header: the first line does not point editors at the schema "
                         "(add '# yaml-language-server: $schema=../../schemas/organization.schema.json' as the first line, or run 'ngocoord fmt')"),
}


@pytest.mark.parametrize("name", CASES)
def test_broken_file_gets_its_rule_line_and_message(tmp_path, name):
    content, expected = CASES[name]
    assert lint_files(tmp_path, {"organizations/org-c.yaml": content}) == [expected]


def test_the_clean_counterpart_has_no_problem(tmp_path):
    assert lint_files(tmp_path, {"organizations/org-c.yaml": ORG_C, "activities/act-2.yaml": ACT_2}) == []


def test_a_nul_byte_is_located(tmp_path):
    problems = lint_files(tmp_path, {"organizations/org-c.yaml": ORG_C.encode() + b"notes: a\x00\n"})
    assert problems == [f"{F}:6:9: error encoding: the file contains a NUL byte: it is not a text file "
                        "(save it from a text editor as plain UTF-8)"]


def test_one_bad_file_hides_nothing_in_the_others(tmp_path):
    problems = lint_files(tmp_path, {"organizations/org-c.yaml": "", "organizations/org-d.yaml": ORG_C.replace("org-c", "org-d") + "type: ingo\n"})
    assert [p.split(": ")[1] for p in problems] == ["error yaml-syntax", "error duplicate-key"]


def test_symlink_leaving_the_dataset_is_not_read(tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(ORG_C, encoding="utf-8")
    lint_files(tmp_path, {})
    (tmp_path / "data/organizations/org-c.yaml").symlink_to(outside)
    assert relint(tmp_path) == [f"{F}:1:1: error symlink: this file is a link to a place outside the dataset; it was not read "
                                 "(replace the link with the file itself)"]


def test_symlink_inside_the_dataset_is_read(tmp_path):
    lint_files(tmp_path, {"activities/notes/org-c.txt": ORG_C})
    (tmp_path / "data/organizations/org-c.yaml").symlink_to(tmp_path / "data/activities/notes/org-c.txt")
    assert relint(tmp_path) == []


def test_unreadable_file(tmp_path):
    lint_files(tmp_path, {})
    (tmp_path / "data/organizations/org-c.yaml").mkdir()  # a folder named like a file: reading it fails
    assert relint(tmp_path) == [f"{F}:1:1: error unreadable: the file cannot be read: is a directory "
                                 "(make it a plain file that you are allowed to read, or remove it)"]


def test_every_rule_has_an_explanation():
    for r in all_rules().values():
        assert len(r.doc) > 60, r.name


def test_every_rule_has_a_fixture():
    """Each rule of all_rules() is produced by at least one exact fixture in tests/test_rules_*.py."""
    import tests.test_rules_codelist as codelist
    import tests.test_rules_codes as codes
    import tests.test_rules_dates as dates
    import tests.test_rules_ids as ids
    import tests.test_rules_references as references
    import tests.test_rules_schema as schema
    import tests.test_rules_similar as similar
    import tests.test_rules_sources as sources

    expected = [e for _c, e in CASES.values()]
    expected += [" symlink: ", " unreadable: ", " personal-data: "]  # their own tests above and in test_rules_codes
    for module in (codelist, codes, dates, ids, references, schema, similar, sources):
        expected += [line for case in module.CASES.values() for line in case[-1]]
    covered = {name for name in all_rules() if any(f" {name}: " in line for line in expected)}
    assert covered == set(all_rules())
