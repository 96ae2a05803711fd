"""A new dataset for a coordination forum in any country: what `ngocoord init` writes.

The country's areas come from the bundled global P-code list (ngocoord.load.pcodes); the sectors,
services, populations, organization types, workflow, pre-commit config and README come from
the files in ngocoord/forum_files/, which a forum edits afterwards like any other data.
The new dataset is built in a temporary folder beside the target and renamed into place, so an
interrupted init leaves no half-written dataset.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ngocoord.load.pcodes import BUNDLED_SOURCE, AdminArea, bundled_areas
from ngocoord.problems import UsageError
from ngocoord.resources import schema_dir

FORUM_FILES = Path(__file__).resolve().parent.parent / "forum_files"
CODELISTS = ("sectors.yaml", "services.yaml", "populations.yaml", "org-types.yaml")
# forum_files/NAME -> where it goes in the new repository
TOOLING = {"lint.yml": ".github/workflows/lint.yml", "pre-commit-config.yaml": ".pre-commit-config.yaml",
           "gitignore": ".gitignore"}


@dataclass(frozen=True, slots=True)
class Country:
    alpha_2: str
    alpha_3: str
    name: str
    aliases: tuple[str, ...]


def _folded(text: str) -> str:
    """Without accents, case or punctuation: 'Côte d’Ivoire' and 'cote d ivoire' are one name."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def _country(record) -> Country:
    name = getattr(record, "common_name", None) or record.name
    others = (record.alpha_3, record.name, getattr(record, "official_name", None))
    return Country(record.alpha_2, record.alpha_3, name, tuple(dict.fromkeys(a for a in others if a and a != name)))


def find_country(text: str) -> Country:
    """A country named by ISO 3166-1 alpha-3 or alpha-2 code, or by name, in any case."""
    import pycountry

    text = text.strip()
    try:
        return _country(pycountry.countries.lookup(text))
    except LookupError:
        pass
    names: dict[str, object] = {}
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                names.setdefault(n, c)
    shorts = Counter(n.split(",")[0] for n in names if "," in n)  # 'Palestine, State of' -> 'Palestine'
    for n, c in list(names.items()):
        if "," in n and shorts[n.split(",")[0]] == 1:
            names.setdefault(n.split(",")[0], c)
    wanted = _folded(text)
    for n, c in names.items():
        if wanted and _folded(n) == wanted:
            return _country(c)
    from rapidfuzz import fuzz, process, utils

    found = process.extract(text, list(names), scorer=fuzz.WRatio, processor=utils.default_process, limit=6, score_cutoff=75)
    near: dict[str, str] = {}  # the closest names only, one per country
    for n, score, _i in found:
        if score >= found[0][1] - 8:
            near.setdefault(names[n].alpha_3, n)
    hint = ("did you mean " + " or ".join(f"'{n}' ({code})" for code, n in list(near.items())[:3]) + "?") if near else \
        "give its ISO 3166 code (e.g. SOM or SO) or its English name"
    raise UsageError(f"unknown country '{text}': {hint}")


# --- what the new dataset holds ---------------------------------------------------------------

_PLAIN = re.compile(r"^[^\W\d_][\w .'()/&-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(text: str) -> str:
    """A string as a YAML flow scalar: plain when YAML reads it back unchanged, else double-quoted."""
    if _PLAIN.match(text) and not text.endswith(" ") and text.casefold() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(*pairs: tuple[str, object]) -> str:
    parts = []
    for key, value in pairs:
        if value is None or value == ():
            continue
        if isinstance(value, tuple):
            parts.append(f"{key}: [{', '.join(scalar(v) for v in value)}]")
        elif isinstance(value, int):
            parts.append(f"{key}: {value}")
        else:
            parts.append(f"{key}: {scalar(value)}")
    return "{" + ", ".join(parts) + "}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def areas_yaml(country: Country, rows: list[AdminArea], *, today: dt.date, version: str) -> str:
    """The text of areas.yaml: the country, then its admin 1 areas, then its admin 2 areas by admin 1."""
    level1 = [a for a in rows if a.level == 1]
    level2 = [a for a in rows if a.level == 2]
    dates = sorted({a.valid_from for a in rows if a.valid_from})
    when = (f"{country.name}'s rows are valid from {dates[0]}" if len(dates) == 1 else
            f"{country.name}'s rows are valid from dates between {dates[0]} and {dates[-1]}") if dates else ""
    lines = ["# yaml-language-server: $schema=../../schemas/areas.schema.json", "#",
             f"# {country.name}: the country (level 0), its {_plural(len(level1), 'admin 1 area')} and "
             f"{_plural(len(level2), 'admin 2 area')}, with P-codes.", "#"]
    if rows:
        lines += ["# Source: " + BUNDLED_SOURCE.replace("\n", "\n# ") + ".",
                  f"# Every {country.alpha_3} row is carried over unchanged" + (f"; {when}." if when else "."),
                  "# The country's name and ISO 3166-1 codes: the ISO data of the pycountry package."]
    else:
        lines += [f"# The global P-code list shipped with ngocoord has no areas for {country.name}: only the",
                  "# country is listed. Bring its common operational dataset (a CSV with P-code columns) in",
                  "# with: ngocoord codes update-areas FILE",
                  "# The country's name and ISO 3166-1 codes: the ISO data of the pycountry package."]
    lines += [f"# Written by 'ngocoord init' (ngocoord {version}) on {today.isoformat()}.", "#",
              "# To bring a newer COD in: 'ngocoord codes update-areas FILE' adds new areas, keeps a renamed",
              "# area's old name as an alias, and keeps the aliases, names, regions and comments written here.",
              "", "areas:", "  " + "- " + _flow(("code", country.alpha_2), ("name", country.name), ("level", 0),
                                                     ("aliases", country.aliases))]
    parent_of_level1 = {country.alpha_3, country.alpha_2, ""}
    if level1:
        lines += ["", "  # Admin level 1"]
        for a in level1:
            parent = country.alpha_2 if a.parent in parent_of_level1 else a.parent
            lines += _unnamed(a) + ["  - " + _flow(("code", a.code), ("name", a.name or a.code), ("level", 1), ("parent", parent))]
    names = {a.code: a.name for a in level1}
    by_parent: dict[str, list[AdminArea]] = {}
    for a in level2:
        by_parent.setdefault(a.parent, []).append(a)
    for parent, children in by_parent.items():
        lines += ["", f"  # Admin level 2 in {names.get(parent) or parent} ({parent})"]
        for a in children:
            lines += _unnamed(a) + ["  - " + _flow(("code", a.code), ("name", a.name or a.code), ("level", 2), ("parent", a.parent))]
    lines += ["", "# Regions: named sets of admin 1 areas that the forum reports on together, e.g.",
              "#   - {code: north, name: Northern states, members: [P-CODE, P-CODE]}",
              "# Commands that take --region accept them, as they accept any area.",
              "regions: []", ""]
    return "\n".join(lines)


def _unnamed(area: AdminArea) -> list[str]:
    return [] if area.name else [f"  # the COD gives {area.code} no name: its P-code stands for it"]


def readme(country: Country, name: str, version: str) -> str:
    text = (FORUM_FILES / "README.md").read_text(encoding="utf-8")
    return (text.replace("{name}", name).replace("{country}", country.name)
            .replace("{alpha_3}", country.alpha_3).replace("{version}", version))


def dataset_files(country: Country, name: str, rows: list[AdminArea], *, today: dt.date,
                  version: str) -> dict[str, str | bytes]:
    """Every file of the new repository, by its path in it."""
    files: dict[str, str | bytes] = {
        "README.md": readme(country, name, version),
        "requirements.txt": (FORUM_FILES / "requirements.txt").read_text(encoding="utf-8").replace("{version}", version),
        "data/codelists/areas.yaml": areas_yaml(country, rows, today=today, version=version),
        "data/organizations/.gitkeep": "",
        "data/activities/.gitkeep": "",
    }
    for codelist in CODELISTS:
        files[f"data/codelists/{codelist}"] = (FORUM_FILES / "codelists" / codelist).read_bytes()
    for source, target in TOOLING.items():
        files[target] = (FORUM_FILES / source).read_bytes()
    for schema in sorted(schema_dir().glob("*.schema.json")):
        files[f"schemas/{schema.name}"] = schema.read_bytes()
    return files


@dataclass(frozen=True, slots=True)
class Initialized:
    root: Path
    country: Country
    areas: int            # admin 1 and admin 2 areas from the P-code list
    files: int


def init_forum(target: Path, country_text: str, name: str | None = None, *, today: dt.date | None = None) -> Initialized:
    """Write a new, lint-clean dataset for a forum in `country_text` into the empty or absent folder `target`."""
    from ngocoord import __version__

    country = find_country(country_text)
    _check_target(target)
    rows = bundled_areas(country.alpha_3)
    files = dataset_files(country, name or f"NGO coordination forum, {country.name}", rows,
                          today=today or dt.date.today(), version=__version__)
    try:
        _write(target, files)
    except OSError as e:
        raise UsageError(f"cannot write {target}: {(e.strerror or str(e)).lower()}") from None
    return Initialized(target, country, len(rows), len(files))


def _write(target: Path, files: dict[str, str | bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".init"))
    try:
        for path, content in files.items():
            out = building / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        os.chmod(building, 0o777 & ~_umask())
        _check_target(target)
        try:
            os.rename(building, target)  # replaces an empty folder, fails on a non-empty one
        except OSError as e:
            if e.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise UsageError(f"{target} is not empty: init writes a new dataset only into an empty or new folder") from None
            raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _check_target(target: Path) -> None:
    if target.is_symlink():
        raise UsageError(f"{target} is a link: give the folder itself")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    try:
        empty = not target.is_dir() or not any(target.iterdir())
    except OSError as e:
        raise UsageError(f"cannot read {target}: {(e.strerror or str(e)).lower()}") from None
    if not empty:
        raise UsageError(f"{target} is not empty: init writes a new dataset only into an empty or new folder")
