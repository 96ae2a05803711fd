"""An import profile: the mapping of one sheet layout, written once and reused every round.

Checked against schemas/import-profile.schema.json; every problem is reported at its line and
column. `--column FIELD=HEADER` and `--set FIELD=VALUE` change single entries on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ngocoord.write.imports.columns import FIELDS
from ngocoord.problems import UsageError

DEFAULT_GROUP_BY = ("organization", "sector", "title")


@dataclass
class Profile:
    sheet: str | None = None
    encoding: str | None = None
    columns: dict = field(default_factory=dict)          # field -> header, tag or letter (or a list)
    values: dict = field(default_factory=dict)           # field -> {cell text: code or None}
    defaults: dict = field(default_factory=dict)         # field -> value or template
    group_by: tuple[str, ...] = DEFAULT_GROUP_BY
    path: str | None = None
    overrides: dict = field(default_factory=dict)        # --column FIELD=HEADER, on top of columns or detection

    @classmethod
    def from_data(cls, data: dict, path: str | None = None) -> "Profile":
        return cls(sheet=data.get("sheet"), encoding=data.get("encoding"), columns=dict(data.get("columns") or {}),
                   values={k: dict(v or {}) for k, v in (data.get("values") or {}).items()},
                   defaults=dict(data.get("defaults") or {}),
                   group_by=tuple(data.get("group_by") or DEFAULT_GROUP_BY), path=path)


def load_profile(path: Path) -> Profile:
    """The profile in `path`, or a UsageError listing each problem at its place."""
    from ngocoord.load.schemas import validate
    from ngocoord.load.yamlload import parse

    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UsageError(f"cannot read the profile {path}: {e.strerror or e}") from None
    shown = str(path)
    parsed = parse(shown, raw)
    problems = list(parsed.problems)
    if parsed.data is not None and not problems:
        problems = validate("import-profile", parsed.data, shown, parsed.located)
    if problems:
        raise UsageError("the profile has problems:\n" + "\n".join(p.text() for p in sorted(problems)))
    return Profile.from_data(parsed.data, shown)


def _pair(text: str, option: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UsageError(f"{option} {text!r}: write FIELD=VALUE, e.g. {option} status=ongoing")
    return name, value.strip()


def _known(name: str, option: str, extra: tuple[str, ...] = ()) -> None:
    if name not in FIELDS and name not in extra:
        from ngocoord.suggest import did_you_mean

        hint = did_you_mean(name, FIELDS + extra)
        raise UsageError(f"{option}: unknown field {name!r}" + (f": {hint}" if hint else "")
                         + f"; fields: {', '.join(FIELDS + extra)}")


def with_overrides(profile: Profile, columns: list[str], sets: list[str]) -> Profile:
    """The profile with --column FIELD=HEADER and --set FIELD=VALUE applied (checked like the file)."""
    from ngocoord.load.schemas import validate

    out = Profile(profile.sheet, profile.encoding, dict(profile.columns), dict(profile.values),
                  dict(profile.defaults), profile.group_by, profile.path, dict(profile.overrides))
    for text in columns:
        name, header = _pair(text, "--column")
        _known(name, "--column")
        out.overrides[name] = ([h.strip() for h in header.split(",") if h.strip()] if name == "area" else header) or None
    for text in sets:
        name, value = _pair(text, "--set")
        _known(name, "--set", ("partner_type", "donor_type"))
        out.defaults[name] = _typed(name, value)
    data = {"columns": {k: v for k, v in out.overrides.items() if v}, "defaults": out.defaults}
    problems = validate("import-profile", data, "command line", None)
    if problems:
        raise UsageError("; ".join(p.message for p in problems))
    return out


def _typed(name: str, value: str):
    if name in ("targeted", "reached") and value.isdigit():
        return int(value)
    if name == "sensitive":
        lowered = value.casefold()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
    return value
