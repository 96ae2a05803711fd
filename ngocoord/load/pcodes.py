"""P-code lists of OCHA's common operational datasets (COD-AB), read into admin areas.

Two layouts are read, with or without an HXL hashtag row under the headers:
- the global P-code list: one row per area (`Location`, `Admin Level`, `P-Code`, `Name`,
  `Parent P-Code`, `Valid from date`; HXL `#country+code`, `#geo+admin_level`, `#adm+code`,
  `#adm+name`, `#adm+code+parent`, `#date+start`), many countries in one file;
- a country's COD table: one row per admin 2 area, with its admin 1 area beside it
  (`ADM1_PCODE`, `ADM1_EN`, `ADM2_PCODE`, `ADM2_EN`; HXL `#adm1+code`, `#adm1+name`, `#adm2+code`,
  `#adm2+name`).

The global list ships inside the package (ngocoord/reference/, with its licence): it is what
`ngocoord init` builds a country's areas from.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ngocoord.problems import UsageError

BUNDLED = Path(__file__).resolve().parent.parent / "reference" / "global-pcodes-adm-1-2.csv.gz"
# what the header of an areas.yaml made from the bundled list cites
BUNDLED_SOURCE = ("the global P-code list (admin levels 1 and 2) that OCHA publishes from the countries'\n"
                  "common operational datasets (COD-AB), as carried in the public repository\n"
                  "OCHA-DAP/hdx-python-country (https://github.com/OCHA-DAP/hdx-python-country), file\n"
                  "tests/fixtures/fixtures-download-global-pcodes-adm-1-2.csv at commit b40de354\n"
                  "(MIT licence, Copyright (c) 2016 Michael Rans), shipped with ngocoord")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_FILE_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class AdminArea:
    """One row of a P-code list. `parent` is a P-code, or the country's code for an admin 1 area."""

    code: str
    name: str
    level: int
    parent: str
    country: str | None = None      # ISO 3166-1 alpha-3, where the list says it
    valid_from: str | None = None


# column -> (HXL tag as a set of its parts, header names, any case, without spaces and punctuation)
GLOBAL_COLUMNS = {
    "country": ({"#country", "code"}, ("location", "countrycode", "iso3", "adm0pcode")),
    "level": ({"#geo", "admin_level"}, ("adminlevel", "level")),
    "code": ({"#adm", "code"}, ("pcode",)),
    "name": ({"#adm", "name"}, ("name",)),
    "parent": ({"#adm", "code", "parent"}, ("parentpcode",)),
    "valid_from": ({"#date", "start"}, ("validfromdate", "validon", "validfrom")),
}
WIDE_COLUMNS = {
    "country": ({"#country", "code"}, ("adm0pcode", "iso3", "location")),
    "adm1_code": ({"#adm1", "code"}, ("adm1pcode", "admin1pcode")),
    "adm1_name": ({"#adm1", "name"}, ("adm1en", "adm1name", "admin1name", "admin1nameen")),
    "adm2_code": ({"#adm2", "code"}, ("adm2pcode", "admin2pcode")),
    "adm2_name": ({"#adm2", "name"}, ("adm2en", "adm2name", "admin2name", "admin2nameen")),
    "valid_from": ({"#date", "start"}, ("validon", "validfromdate", "validfrom")),
}


@functools.lru_cache(maxsize=1)
def _bundled_text() -> str:
    with gzip.open(BUNDLED, "rt", encoding="utf-8", newline="") as f:
        return f.read()


def bundled_areas(alpha_3: str | None = None) -> list[AdminArea]:
    """The rows of the global P-code list that ships with ngocoord: one country's, or all."""
    text = _bundled_text()
    header, _, body = text.partition("\n")
    if alpha_3 is not None:  # its first column is the country's alpha-3 code: only those lines are parsed
        body = "".join(line for line in body.splitlines(keepends=True) if line.startswith(f"{alpha_3},"))
    return _read(list(csv.reader(io.StringIO(f"{header}\n{body}", newline=""))), str(BUNDLED.name))


def bundled_countries() -> list[str]:
    """The ISO 3166-1 alpha-3 codes of the countries the bundled list has areas for, sorted."""
    return sorted({line.partition(",")[0] for line in _bundled_text().splitlines()[1:] if line})


def read_pcode_file(path: Path) -> list[AdminArea]:
    """A COD CSV file, in either layout; a file that is not one is a usage error saying why."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UsageError(f"{path} is not a file")
        if size > MAX_FILE_BYTES:
            raise UsageError(f"{path} is {size:,} bytes; a P-code list is at most {MAX_FILE_BYTES:,}")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist") from None
    except UnicodeDecodeError as e:
        raise UsageError(f"{path} is not UTF-8 text (byte {e.start + 1}): save it as CSV UTF-8") from None
    except OSError as e:
        raise UsageError(f"{path} cannot be read: {(e.strerror or str(e)).lower()}") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise UsageError(f"{path} is not a CSV file: {e}") from None
    return _read(rows, str(path))


def for_country(areas: list[AdminArea], alpha_3: str, alpha_2: str) -> list[AdminArea]:
    """The areas of one country: rows that name it, or every row when the list names no country."""
    named = [a for a in areas if a.country]
    if not named:
        return list(areas)
    wanted = {alpha_3.casefold(), alpha_2.casefold()}
    return [a for a in areas if (a.country or "").casefold() in wanted]


# --- reading ----------------------------------------------------------------------------------

def _key(text: str) -> str:
    return re.sub(r"[\s_\-./#()]+", "", text.strip().casefold())


def _tag(text: str) -> frozenset[str] | None:
    text = text.strip().casefold().replace(" ", "")
    if not text.startswith("#"):
        return None
    parts = text.split("+")
    return frozenset([parts[0], *(p for p in parts[1:] if p)])


def _columns(headers: list[str], hxl: list[str] | None, wanted: dict) -> dict[str, int]:
    found: dict[str, int] = {}
    for field, (tag, names) in wanted.items():
        if hxl is not None:  # a tag may carry more attributes (#adm1+name+i_en): the first that has them all
            exact = [i for i, t in enumerate(hxl) if _tag(t) == tag]
            loose = [i for i, t in enumerate(hxl) if (_tag(t) or frozenset()) >= tag and "parent" not in (_tag(t) or ()) - tag]
            english = [i for i in loose if "i_en" in (_tag(hxl[i]) or ())]
            pick = exact or english or loose
            if pick:
                found[field] = pick[0]
                continue
        for i, h in enumerate(headers):
            if _key(h) in names:
                found[field] = i
                break
    return found


def _is_hxl_row(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def _read(rows: list[list[str]], where: str) -> list[AdminArea]:
    if not rows:
        raise UsageError(f"{where} is empty")
    headers, body, first = rows[0], rows[1:], 2
    hxl = None
    if _is_hxl_row(headers):
        hxl, headers = headers, [""] * len(headers)
    elif body and _is_hxl_row(body[0]):
        hxl, body, first = body[0], body[1:], 3
    glob = _columns(headers, hxl, GLOBAL_COLUMNS)
    if {"level", "code", "name", "parent"} <= glob.keys():
        return _read_global(body, glob, where, first)
    wide = _columns(headers, hxl, WIDE_COLUMNS)
    if {"adm1_code", "adm1_name"} <= wide.keys():
        return _read_wide(body, wide, where, first)
    raise UsageError(f"{where} has no P-code columns: it needs either the global list's columns (Location, "
                     "Admin Level, P-Code, Name, Parent P-Code) or a COD table's (ADM1_PCODE, ADM1_EN, "
                     "ADM2_PCODE, ADM2_EN), by header or HXL hashtag")


def _cell(row: list[str], columns: dict[str, int], field: str) -> str:
    i = columns.get(field)
    return row[i].strip() if i is not None and i < len(row) else ""


def _checked_code(code: str, where: str, line: int, column: str) -> str:
    if not CODE.match(code):
        raise UsageError(f"{where}:{line}: the {column} {code!r} is not a code (letters, digits, '.', '_' and '-')")
    return code


def _read_global(body: list[list[str]], cols: dict[str, int], where: str, first: int) -> list[AdminArea]:
    found: list[AdminArea] = []
    for line, row in enumerate(body, first):
        if not any(c.strip() for c in row):
            continue
        level_text = _cell(row, cols, "level")
        if level_text not in ("1", "2"):
            raise UsageError(f"{where}:{line}: the admin level {level_text!r} is not 1 or 2")
        code = _checked_code(_cell(row, cols, "code"), where, line, "P-code")
        parent = _checked_code(_cell(row, cols, "parent"), where, line, "parent P-code")
        found.append(AdminArea(code, _cell(row, cols, "name"), int(level_text), parent,
                               _cell(row, cols, "country") or None, _cell(row, cols, "valid_from") or None))
    return _unique(found, where)


def _read_wide(body: list[list[str]], cols: dict[str, int], where: str, first: int) -> list[AdminArea]:
    found: list[AdminArea] = []
    for line, row in enumerate(body, first):
        if not any(c.strip() for c in row):
            continue
        country = _cell(row, cols, "country") or None
        valid = _cell(row, cols, "valid_from") or None
        adm1 = _checked_code(_cell(row, cols, "adm1_code"), where, line, "admin 1 P-code")
        found.append(AdminArea(adm1, _cell(row, cols, "adm1_name"), 1, country or "", country, valid))
        if "adm2_code" in cols and _cell(row, cols, "adm2_code"):
            adm2 = _checked_code(_cell(row, cols, "adm2_code"), where, line, "admin 2 P-code")
            found.append(AdminArea(adm2, _cell(row, cols, "adm2_name"), 2, adm1, country, valid))
    return _unique(found, where)


def _unique(found: list[AdminArea], where: str) -> list[AdminArea]:
    """Each code once (a wide table repeats its admin 1 areas); one code, two meanings is an error."""
    seen: dict[str, AdminArea] = {}
    for a in found:
        before = seen.setdefault(a.code, a)
        if (before.name, before.level, before.parent) != (a.name, a.level, a.parent):
            raise UsageError(f"{where}: the P-code {a.code} is given twice, as {before.name!r} (level {before.level}, "
                             f"in {before.parent or '?'}) and as {a.name!r} (level {a.level}, in {a.parent or '?'})")
    return list(seen.values())
