"""Bring an existing areas.yaml up to a newer COD: `ngocoord codes update-areas FILE`.

New areas are added beside their siblings; a renamed area keeps its old name as an alias; an
area the COD moved gets its new parent; an area the COD no longer has is removed, unless a
record still uses it: then nothing is written and each use is a located problem. Everything
else in the file stays as it was: aliases, `names` in other languages, regions, comments,
and areas of levels the COD does not give.
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ngocoord.atomic import write_atomic
from ngocoord.load.pcodes import AdminArea, for_country
from ngocoord.problems import ERROR, Problem, UsageError

RULE = "area-removed"


@dataclass(frozen=True, slots=True)
class AreaChange:
    change: str                  # added, renamed, moved, removed
    code: str
    name: str
    level: int
    parent: str | None
    old_name: str | None = None
    old_parent: str | None = None
    alias_kept: bool = False     # renamed: the old name is now an alias

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None and (k != "alias_kept" or self.change == "renamed")}


@dataclass
class AreaUpdate:
    path: Path                   # the areas.yaml brought up to date
    shown: str                   # as problems show it
    changes: list[AreaChange] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    text: str | None = None      # the new text, when it can be written

    def of(self, change: str) -> list[AreaChange]:
        return [c for c in self.changes if c.change == change]

    def as_dict(self, written: bool) -> dict:
        return {"path": self.shown, "written": written,
                **{kind: [c.as_dict() for c in self.of(kind)] for kind in ("added", "renamed", "moved", "removed")},
                "unchanged": self.unchanged, "problems": [p.as_dict() for p in self.problems]}


def plan_update(root: Path, cod: list[AdminArea]) -> AreaUpdate:
    """What bringing root's areas.yaml up to the COD `cod` changes, and what stands in the way."""
    from ngocoord.load.dataset import load_dataset

    if "_bundled" in root.parts:  # the copy inside the installed package is not a place to write
        raise UsageError("no dataset folder to update: pass --data DIR (a folder with organizations/, activities/, codelists/)")
    ds = load_dataset(root)
    doc = next((d for d in ds.documents if d.kind == "areas"), None)
    if doc is None:
        raise UsageError(f"{root} has no codelists/areas.yaml to update")
    if not doc.valid:
        raise UsageError(f"{doc.path} has problems: fix them first (run 'ngocoord lint {doc.path}')")
    path = root / "codelists" / "areas.yaml"
    update = AreaUpdate(path, doc.path)
    country = _country_area(doc)
    rows = _rows_for(cod, country)
    existing = {str(e["code"]): e for e in doc.data["areas"]}
    managed = {a.level for a in rows}   # a COD without admin 2 removes no district
    incoming = {a.code: a for a in rows}

    for a in rows:
        parent = country["code"] if a.level == 1 else a.parent
        before = existing.get(a.code)
        if before is None:
            update.changes.append(AreaChange("added", a.code, a.name or a.code, a.level, parent))
            continue
        old_name, old_parent = str(before["name"]), before.get("parent")
        if a.name and a.name != old_name:
            update.changes.append(AreaChange("renamed", a.code, a.name, a.level, parent, old_name=old_name))
        if parent != old_parent or a.level != before.get("level"):
            update.changes.append(AreaChange("moved", a.code, a.name or old_name, a.level, parent, old_parent=old_parent))
        if not (a.name and a.name != old_name) and parent == old_parent and a.level == before.get("level"):
            update.unchanged += 1
    removed = {code: e for code, e in existing.items()
               if e.get("level") in managed and e.get("level") != 0 and code not in incoming}
    for code, e in removed.items():
        update.changes.append(AreaChange("removed", code, str(e["name"]), e["level"], e.get("parent")))

    kept = (incoming.keys() | existing.keys()) - removed.keys()
    for c in update.changes:
        if c.change != "removed" and c.parent not in kept:
            raise UsageError(f"the COD puts {c.code} ({c.name}) in {c.parent}, which is neither in the COD nor in "
                             f"{doc.path}: check that the file is a complete COD for {country['name']}")
    update.problems = _uses_of(ds, doc, removed, incoming)
    update.changes = sorted(_with_aliases(update.changes, doc.data), key=lambda c: (ORDER[c.change], c.code))
    if not update.problems:
        before = path.read_text(encoding="utf-8")
        update.text = _rewritten(before, update.changes)
        _check_comments(before, update.text, doc, removed)
    return update


ORDER = {"added": 0, "renamed": 1, "moved": 2, "removed": 3}


def _with_aliases(changes: list[AreaChange], areas: dict) -> list[AreaChange]:
    """A renamed area keeps its old name as an alias, unless the old name is (or, coarser areas
    first, becomes) another place's alias: an alias names one place."""
    owners = {str(a).casefold(): str(e["code"]) for e in [*areas["areas"], *(areas.get("regions") or ())]
              for a in e.get("aliases") or ()}
    done = []
    for c in sorted(changes, key=lambda c: c.level):
        if c.change == "renamed":
            old = c.old_name.casefold()
            kept = owners.get(old, c.code) == c.code and old != c.name.casefold()
            if kept:
                owners[old] = c.code
            c = AreaChange(c.change, c.code, c.name, c.level, c.parent, c.old_name, c.old_parent, kept)
        done.append(c)
    return done


def write_update(update: AreaUpdate) -> None:
    write_atomic(update.path, update.text, overwrite=True)


# --- which country, which rows ----------------------------------------------------------------

def _country_area(doc) -> dict:
    countries = [e for e in doc.data["areas"] if e.get("level") == 0]
    if len(countries) != 1:
        raise UsageError(f"{doc.path} lists {len(countries)} areas of level 0: update-areas needs exactly one, the country")
    return countries[0]


def _rows_for(cod: list[AdminArea], country: dict) -> list[AdminArea]:
    import pycountry

    names = [str(country["code"]), *(str(a) for a in country.get("aliases") or ())]
    record = None
    for n in names:
        try:
            record = pycountry.countries.lookup(n)
            break
        except LookupError:
            continue
    named = {a.country for a in cod if a.country}
    if record is not None:
        rows = for_country(cod, record.alpha_3, record.alpha_2)
    elif len(named) <= 1:
        rows = list(cod)
    else:
        raise UsageError(f"the COD has rows for {len(named)} countries and the country {country['code']} is not an "
                         "ISO 3166 code: give a file with this country's rows only")
    if not rows:
        raise UsageError(f"the COD has no rows for {country['name']} ({record.alpha_3 if record else country['code']})")
    return rows


# --- what stands in the way -------------------------------------------------------------------

def _uses_of(ds, areas_doc, removed: dict[str, dict], incoming: dict[str, AdminArea]) -> list[Problem]:
    """Every record, region or kept area that uses an area the COD removes."""
    problems = []

    def gone(code: str) -> str:
        return f"{code} ({removed[code]['name']})"

    hint = "move it to the area that replaces it (run 'ngocoord codes areas'), then run update-areas again"
    for doc in ds.docs("activity", valid=False):
        data = doc.data if isinstance(doc.data, dict) else {}
        locations = data.get("locations") if isinstance(data.get("locations"), list) else []
        for i, loc in enumerate(locations):
            code = loc.get("area") if isinstance(loc, dict) else None
            if isinstance(code, str) and code in removed:
                line, column = doc.at(("locations", i, "area"))
                problems.append(Problem(doc.path, line, column, ERROR, RULE,
                                        f"activity {data.get('id', doc.stem)} is located in {gone(code)}, which the new COD no longer has",
                                        hint))
    for i, region in enumerate(areas_doc.data.get("regions") or ()):
        for j, member in enumerate(region.get("members") or ()):
            if member in removed:
                line, column = areas_doc.at(("regions", i, "members", j))
                problems.append(Problem(areas_doc.path, line, column, ERROR, RULE,
                                        f"the region {region['code']} lists {gone(member)}, which the new COD no longer has",
                                        "replace the member in the region, then run update-areas again"))
    for i, e in enumerate(areas_doc.data["areas"]):
        parent = e.get("parent")
        if parent in removed and e["code"] not in removed and e["code"] not in incoming:
            line, column = areas_doc.at(("areas", i, "parent"))
            problems.append(Problem(areas_doc.path, line, column, ERROR, RULE,
                                    f"the area {e['code']} lies in {gone(parent)}, which the new COD no longer has",
                                    "give the area another parent, then run update-areas again"))
    return sorted(problems)


# --- the new text -----------------------------------------------------------------------------

def _rewritten(text: str, changes: list[AreaChange]) -> str:
    """areas.yaml with the changes made, everything else (comments included) as it was."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ngocoord.load.canonical import _yaml, canonical_text

    y = _yaml()
    root = y.load(text)
    seq = root["areas"]
    for c in changes:
        if c.change == "removed":
            _delete(seq, next(i for i, e in enumerate(seq) if str(e["code"]) == c.code))
            continue
        if c.change == "added":
            entry = CommentedMap([("code", c.code), ("name", c.name), ("level", c.level), ("parent", c.parent)])
            entry.fa.set_flow_style()
            seq.insert(_place_for(seq, c), entry)
            continue
        entry = next(e for e in seq if str(e["code"]) == c.code)
        if c.change == "moved":
            entry["parent"], entry["level"] = c.parent, c.level
        elif c.change == "renamed":
            entry["name"] = c.name
            aliases = entry.get("aliases")
            if isinstance(aliases, list) and c.name in aliases:  # the new name was an alias: now it is the name
                aliases.remove(c.name)
            if c.alias_kept and c.old_name.casefold() not in {str(a).casefold() for a in aliases or ()}:
                if not isinstance(aliases, CommentedSeq):
                    aliases = CommentedSeq()
                    aliases.fa.set_flow_style()
                aliases.append(c.old_name)
                entry["aliases"] = aliases
    out = io.StringIO()
    y.dump(root, out)
    return canonical_text(out.getvalue(), "areas")


def _check_comments(before: str, after: str, doc, removed: dict[str, dict]) -> None:
    """Every comment is kept but those on a removed area's own line: else nothing is written."""
    from ngocoord.load.yamlcomments import lost_comment

    gone = {doc.at(("areas", i))[0] for i, e in enumerate(doc.data["areas"]) if str(e["code"]) in removed}
    lines = before.split("\n")
    kept = "\n".join("" if n in gone else line for n, line in enumerate(lines, 1))
    lost = lost_comment(kept, after)
    if lost is not None:
        line, _column, comment = lost
        raise UsageError(f"{doc.path}:{line}: update-areas would lose the comment '{comment}' (ruamel.yaml keeps no comment "
                         "there); move it onto a line of its own above the area it is about, then run update-areas again")


def _delete(seq, i: int) -> None:
    """Remove item i with its own end-of-line comment; the comment lines around it (a group's
    heading above it, the next group's below it) stay where they were."""
    from ngocoord.load.yamlcomments import _split, _token

    slots = seq.ca.items.get(i) or [None, None, None, None]
    above = slots[1] if len(slots) > 1 and slots[1] else []
    below = _split(slots[0].value)[1] if slots[0] is not None else ""
    del seq[i]
    if below and i > 0:  # ruamel keeps the lines after an item with it: give them to the item before
        before = seq.ca.items.setdefault(i - 1, [None, None, None, None])
        before[0] = _token((before[0].value if before[0] is not None else "\n") + below)
    elif below:
        above = [*above, _token(below)]
    if above and i < len(seq):
        after = seq.ca.items.setdefault(i, [None, None, None, None])
        after[1] = list(above) + list(after[1] or [])
    elif above and i > 0:  # it was the last item: the lines above it now end the list
        lines = "".join(t.value if not t.value.strip() else " " * t.column + t.value for t in above)
        before = seq.ca.items.setdefault(i - 1, [None, None, None, None])
        before[0] = _token((before[0].value if before[0] is not None else "\n") + lines)


def _place_for(seq, change: AreaChange) -> int:
    """After its last sibling (same parent), else after the last area of its level, else after its parent."""
    codes = [str(e["code"]) for e in seq]
    siblings = [i for i, e in enumerate(seq) if e.get("parent") == change.parent and e.get("level") == change.level]
    same_level = [i for i, e in enumerate(seq) if e.get("level") == change.level]
    if siblings or same_level:
        return (siblings or same_level)[-1] + 1
    return codes.index(change.parent) + 1 if change.parent in codes else len(seq)
