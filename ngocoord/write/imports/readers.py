"""Reading a sheet: CSV (UTF-8 with or without BOM, UTF-16, or --encoding), XLSX, XLS, ODS.

Workbooks are read by python-calamine (Rust calamine): only the cells a sheet really holds are
read, never the dimensions it declares, so a 2 KB file claiming a million rows costs nothing.
Every cell comes back as text, with its row number in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ngocoord.problems import UsageError

MAX_BYTES = 100 * 1024 * 1024
MAX_CELLS = 2_000_000
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


@dataclass
class Sheet:
    name: str | None                       # the workbook sheet's name (None for CSV)
    rows: list[tuple[int, list[str]]]      # (row number in the file, cells as text)
    names: tuple[str, ...] = ()            # every sheet of the workbook


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None
    if size > MAX_BYTES:
        raise UsageError(f"{path} is {size:,} bytes; import reads sheets of at most {MAX_BYTES // 2**20} MB: "
                         "split it, or export the one sheet you need as CSV")


def _too_many(path: Path, cells: int) -> UsageError:
    return UsageError(f"{path} holds more than {MAX_CELLS:,} cells ({cells:,}); split the sheet")


def read_sheet(path: Path, sheet: str | None = None, encoding: str | None = None,
               wanted=None) -> Sheet:
    """The rows of `path`: for a workbook, the sheet named `sheet`, else the first sheet for which
    `wanted(rows)` is true (the first with an organization column), else the first sheet."""
    _check_size(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _read_workbook(path, sheet, wanted)
    if sheet is not None:
        raise UsageError(f"--sheet: {path.name} is a CSV file, with no sheets")
    head = path.read_bytes()[:8] if path.is_file() else b""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return _read_workbook(path, sheet, wanted)   # a workbook under another name
    return _read_csv(path, encoding)


def _read_workbook(path: Path, sheet: str | None, wanted) -> Sheet:
    from python_calamine import CalamineWorkbook  # imported here: only workbooks need it

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own kinds for broken files
        raise UsageError(f"{path} is not a readable workbook (XLSX, XLS or ODS): {e}") from None
    try:
        names = tuple(book.sheet_names)
        if sheet is not None:
            if sheet not in names:
                from ngocoord.suggest import did_you_mean

                hint = did_you_mean(sheet, names)
                raise UsageError(f"{path.name} has no sheet {sheet!r}" + (f": {hint}" if hint else "")
                                 + f"; its sheets: {', '.join(repr(n) for n in names)}")
            return Sheet(sheet, _sheet_rows(path, book, sheet), names)
        first = None
        for name in names:
            rows = _sheet_rows(path, book, name)
            if first is None:
                first = Sheet(name, rows, names)
            if wanted is None or wanted(rows):
                return Sheet(name, rows, names)
        if first is None:
            raise UsageError(f"{path} holds no sheet")
        return first
    finally:
        book.close()


def _sheet_rows(path: Path, book, name: str) -> list[tuple[int, list[str]]]:
    try:
        sheet = book.get_sheet_by_name(name)
        if sheet.height * sheet.width > MAX_CELLS:
            raise _too_many(path, sheet.height * sheet.width)
        top, left = sheet.start if sheet.height else (0, 0)
        values = sheet.to_python(skip_empty_area=True)
        merged = getattr(sheet, "merged_cell_ranges", None) or []
    except UsageError:
        raise
    except Exception as e:
        raise UsageError(f"{path}: the sheet {name!r} cannot be read ({e})") from None
    pad = [""] * left
    rows = [(top + i + 1, pad + [cell_text(v) for v in row]) for i, row in enumerate(values)]
    _fill_merged(rows, merged, top)
    return [(n, cells) for n, cells in rows if any(c.strip() for c in cells)]


def _fill_merged(rows: list[tuple[int, list[str]]], merged, top: int) -> None:
    """A merged cell's value belongs to every cell it covers (a partner name merged over two rows)."""
    for (r0, c0), (r1, c1) in merged:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 10_000 or not 0 <= r0 - top < len(rows):
            continue
        value = rows[r0 - top][1][c0] if c0 < len(rows[r0 - top][1]) else ""
        for r in range(r0, r1 + 1):
            if not 0 <= r - top < len(rows):
                continue
            cells = rows[r - top][1]
            for c in range(c0, c1 + 1):
                if c < len(cells) and not cells[c]:
                    cells[c] = value


def _decode(path: Path, raw: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return raw.decode(encoding)
        except LookupError:
            raise UsageError(f"--encoding {encoding!r} is not an encoding Python knows (e.g. utf-8, cp1252, latin-1)") from None
        except UnicodeDecodeError as e:
            raise UsageError(f"{path} is not {encoding} text (byte {e.start}); try another --encoding") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as e:
            raise UsageError(f"{path} starts as UTF-16 but is not (byte {e.start})") from None
    sample = raw[:2000]
    if sample and sample.count(b"\x00") * 3 > len(sample):   # UTF-16 without a byte-order mark
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"{path} is not UTF-8 text (byte {e.start}): pass its encoding, e.g. --encoding cp1252, "
                         "or save it as 'CSV UTF-8'") from None


def _read_csv(path: Path, encoding: str | None) -> Sheet:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UsageError(f"cannot read {path}: {e.strerror or e}") from None
    text = _decode(path, raw, encoding)
    try:
        dialect = csv.Sniffer().sniff(text[:20000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows, cells = [], 0
    try:
        for number, row in enumerate(reader, 1):   # a record is a spreadsheet row, however many lines it spans
            cells += len(row)
            if cells > MAX_CELLS:
                raise _too_many(path, cells)
            if any(c.strip() for c in row):
                rows.append((number, row))
    except csv.Error as e:
        raise UsageError(f"{path}:{reader.line_num}: not a readable CSV table ({e})") from None
    return Sheet(None, rows)
