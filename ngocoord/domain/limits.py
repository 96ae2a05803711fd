"""How large a data file may be: one limit, applied by the file reader (to what it reads) and by
the YAML loader (to bytes given to it)."""

MAX_FILE_BYTES = 1024 * 1024  # a record is a few KiB
