"""ngocoord fmt: the canonical form, --check, unreadable files, and a property test that nothing is lost."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import REPO, activity, org, write_dataset
from ngocoord.load.canonical import ACTIVITY_KEYS, ORGANIZATION_KEYS, canonical_text, fmt
from ngocoord.cli import app
from ngocoord.load.dataset import load_dataset

runner = CliRunner()

HEADER_ACT = "# yaml-language-server: $schema=../../schemas/activity.schema.json\n"
HEADER_ORG = "# yaml-language-server: $schema=../../schemas/organization.schema.json\n"

MESSY = """\
status: ongoing   # still running
# the lead organization
organization: org-a
title: 'Legal aid in Erbil'
id: act-1
services:
  - legal-aid
  - psychosocial-support
locations: [{site: "Erbil central prison", area: G1D1}]
sector: protection
# reviewed with the organization
last_reviewed: "2026-06-01"
start: '2025-01'
end: "2027"
sources:
  - date: "2025-02-03"
    url: https://example.org/report
    title: Annual report
"""

CANONICAL = HEADER_ACT + """\
id: act-1
title: 'Legal aid in Erbil'
# the lead organization
organization: org-a
sector: protection
services: [legal-aid, psychosocial-support]
locations:
  - area: G1D1
    site: "Erbil central prison"
status: ongoing   # still running
start: 2025-01
end: 2027
# reviewed with the organization
last_reviewed: 2026-06-01
sources:
  - title: Annual report
    url: https://example.org/report
    date: 2025-02-03
"""


def test_canonical_form_of_a_messy_activity():
    assert canonical_text(MESSY, "activity") == CANONICAL
    assert canonical_text(CANONICAL, "activity") == CANONICAL


def test_country_is_double_quoted_and_header_kept_once():
    text = HEADER_ORG + "name: Org A\nid: org-a\ncountry: 'IQ'\ntype: nngo\nlast_reviewed: 2026-06-01\nmember_of:\n  - org-b\n"
    assert canonical_text(text, "organization") == (
        HEADER_ORG + 'id: org-a\nname: Org A\ntype: nngo\ncountry: "IQ"\nmember_of: [org-b]\nlast_reviewed: 2026-06-01\n')


def test_a_list_with_a_comment_inside_stays_one_item_a_line():
    text = HEADER_ACT + "id: a\nservices:\n  - legal-aid  # the main one\n  - psychosocial-support\n"
    assert canonical_text(text, "activity") == text


def test_codelist_entries_keep_their_order_and_style():
    text = ("# yaml-language-server: $schema=../../schemas/areas.schema.json\n"
            "areas:\n  - {name: Iraq, code: IQ, level: 0}\n  # governorates\n"
            "  - {code: G1, parent: IQ, level: 1, name: Erbil, aliases: [Arbil]}\n"
            "regions:\n  - code: kri\n    members:\n      - G1\n    name: KRI\n")
    assert canonical_text(text, "areas") == (
        "# yaml-language-server: $schema=../../schemas/areas.schema.json\n"
        "areas:\n  - {code: IQ, name: Iraq, level: 0}\n  # governorates\n"
        "  - {code: G1, name: Erbil, level: 1, parent: IQ, aliases: [Arbil]}\n"
        "regions:\n  - code: kri\n    name: KRI\n    members: [G1]\n")


def test_a_bad_day_is_left_for_lint():
    text = HEADER_ACT + "id: a\nend: '2023-02-30'\nstart: 2023-02-31\n"
    assert canonical_text(text, "activity") == HEADER_ACT + "id: a\nstart: 2023-02-31\nend: '2023-02-30'\n"


def _messy_dataset(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a")], [activity("act-1")])
    (root / "activities" / "act-1.yaml").write_text(MESSY, encoding="utf-8")
    (root / "organizations" / "org-a.yaml").write_text(
        "id: org-a\nname: Org A\ntype: nngo\nlast_reviewed: 2026-06-01\n", encoding="utf-8")
    fmt(root, [root / "codelists"])  # the fixture's codelists are written by PyYAML: make them canonical
    return root


def test_check_lists_the_files_and_changes_nothing(tmp_path):
    root = _messy_dataset(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*.yaml")}
    result = runner.invoke(app, ["fmt", "--check", "--data", str(root)])
    assert result.exit_code == 1
    act, org_file = root / "activities" / "act-1.yaml", root / "organizations" / "org-a.yaml"
    assert result.stdout == (
        f"{act}:1:1: error fmt: the file is not in the canonical form (run 'ngocoord fmt {act}')\n"
        f"{org_file}:1:1: error fmt: the file is not in the canonical form (run 'ngocoord fmt {org_file}')\n"
        "7 files: 2 not canonical, 5 already canonical\n")
    assert {p: p.read_bytes() for p in root.rglob("*.yaml")} == before


def test_fmt_rewrites_then_check_passes(tmp_path):
    root = _messy_dataset(tmp_path)
    (root / "organizations" / "org-a.yaml").chmod(0o640)
    result = runner.invoke(app, ["fmt", "--data", str(root)])
    assert result.exit_code == 0, result.output
    act, org_file = root / "activities" / "act-1.yaml", root / "organizations" / "org-a.yaml"
    assert result.stdout == f"formatted {org_file}\nformatted {act}\n7 files: 2 reformatted, 5 already canonical\n"
    assert act.read_text(encoding="utf-8") == CANONICAL
    assert org_file.read_text(encoding="utf-8") == HEADER_ORG + "id: org-a\nname: Org A\ntype: nngo\nlast_reviewed: 2026-06-01\n"
    assert org_file.stat().st_mode & 0o777 == 0o640
    assert runner.invoke(app, ["fmt", "--check", "--data", str(root)]).exit_code == 0
    lint = runner.invoke(app, ["lint", "--data", str(root), "--as-of", "2026-07-01"])
    # its site, without a word on sensitivity, is the one warning (sensitive-unset)
    assert lint.exit_code == 0 and "0 errors, 1 warning" in lint.stdout and " sensitive-unset: " in lint.stdout


def test_a_file_that_does_not_parse_is_reported_and_left_alone(tmp_path):
    root = _messy_dataset(tmp_path)
    broken = root / "organizations" / "org-b.yaml"
    broken.write_text("id: org-b\nname: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(broken)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{broken}:")
    assert "error yaml-syntax" in result.stdout
    assert result.stdout.endswith("1 file: 0 reformatted, 0 already canonical, 1 not readable (left as they are)\n")
    assert broken.read_text(encoding="utf-8") == "id: org-b\nname: [unclosed\n"


def test_a_path_that_is_not_a_data_file_is_a_usage_error(tmp_path):
    other = tmp_path / "notes.yaml"
    other.write_text("a: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["fmt", str(other)])
    assert result.exit_code == 2
    assert result.stderr == f"ngocoord: error: {other} is not a data file (organizations/*.yaml, activities/*.yaml or codelists/*.yaml of the dataset data)\n"


def test_check_under_github_actions_annotates(tmp_path, monkeypatch):
    root = _messy_dataset(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.chdir(root.parent)
    result = runner.invoke(app, ["fmt", "--check", "data/activities/act-1.yaml"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == ("::error file=data/activities/act-1.yaml,line=1,col=1,title=fmt::"
                                             "the file is not in the canonical form (run 'ngocoord fmt data/activities/act-1.yaml')")


def test_the_shipped_dataset_is_canonical_and_fmt_keeps_its_values(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(REPO / "data", copy)
    assert runner.invoke(app, ["fmt", "--check", "--data", str(copy)]).exit_code == 0
    # un-canonicalise every record (keys reversed, every string and date quoted, no header: JSON)
    names = sorted(p.name for p in (copy / "activities").glob("*.yaml"))
    for p in (copy / "activities").glob("*.yaml"):
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        p.write_text(json.dumps(dict(reversed(list(data.items()))), default=str, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(app, ["fmt", "--data", str(copy)]).exit_code == 0
    assert runner.invoke(app, ["fmt", "--check", "--data", str(copy)]).exit_code == 0
    after = {Path(d.path).name: _normal(d.data) for d in load_dataset(copy).documents}
    original = {Path(d.path).name: _normal(d.data) for d in load_dataset(REPO / "data").documents}
    assert after == original and len(after) > 60
    assert names == sorted(p.name for p in (copy / "activities").glob("*.yaml"))


# --- the property: fmt loses nothing ----------------------------------------------------------

WORDS = st.text(alphabet="abcdefghij klm:#'\"-@é,[]{}&*!|>%`ع", min_size=1, max_size=12).filter(lambda s: s.strip() == s and s)
CODES = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?\Z")
DATES = st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(str),
                  st.from_regex(r"\A(19|20)[0-9]{2}-(0[1-9]|1[0-2])\Z"), st.from_regex(r"\A(19|20)[0-9]{2}\Z"))


@st.composite
def records(draw):
    kind = draw(st.sampled_from(["organization", "activity"]))
    rec = {"id": draw(CODES), "last_reviewed": draw(DATES)}
    if kind == "organization":
        rec |= {"name": draw(WORDS), "type": draw(CODES)}
        rec |= draw(st.fixed_dictionaries({}, optional={
            "acronym": WORDS, "country": st.sampled_from(["IQ", "NO", "US"]), "member_of": st.lists(CODES, min_size=1, max_size=3),
            "notes": WORDS, "website": st.just("https://example.org/x")}))
    else:
        rec |= {"title": draw(WORDS), "organization": draw(CODES), "sector": draw(CODES),
                "services": draw(st.lists(CODES, min_size=1, max_size=3)),
                "locations": draw(st.lists(st.fixed_dictionaries({"area": CODES}, optional={"site": WORDS}), min_size=1, max_size=3)),
                "status": draw(st.sampled_from(["planned", "ongoing", "completed"]))}
        rec |= draw(st.fixed_dictionaries({}, optional={
            "partners": st.lists(CODES, min_size=1, max_size=3), "start": DATES, "end": DATES,
            "beneficiaries": st.fixed_dictionaries({}, optional={"reached": st.integers(0, 10**6), "targeted": st.integers(0, 10**6)}),
            "sensitive": st.booleans(), "description": WORDS, "counterparts": st.lists(WORDS, min_size=1, max_size=3)}))
    if draw(st.booleans()):
        rec["sources"] = draw(st.lists(st.fixed_dictionaries({"title": WORDS}, optional={"date": DATES}), min_size=1, max_size=2))
    keys = draw(st.permutations(list(rec)))
    return kind, {k: rec[k] for k in keys}


def _scalar(draw, value) -> str:
    if isinstance(value, (bool, int)):
        return json.dumps(value)
    plain_ok = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .-]*", value) and yaml.safe_load(value) == value
    style = draw(st.sampled_from(["plain", "single", "double"] if plain_ok else ["single", "double"]))
    if style == "plain":
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


def _date(draw, value: str) -> str:
    return draw(st.sampled_from([value, f'"{value}"', f"'{value}'"]))


@st.composite
def record_texts(draw):
    """(kind, data, YAML text with numbered comments in every place a contributor may put one)."""
    kind, rec = draw(records())
    counter = iter(range(1, 1000))
    lines = []

    def comment() -> str:
        return f"# note{next(counter)} {draw(st.sampled_from(['', 'x', 'see: here']))}".rstrip()

    def eol() -> str:
        return f"  {comment()}" if draw(st.booleans()) else ""

    def scalar(key, value):
        return _date(draw, str(value)) if key in ("start", "end", "last_reviewed", "date") else _scalar(draw, value)

    if draw(st.booleans()):
        lines.append(HEADER_ACT.strip() if kind == "activity" else HEADER_ORG.strip())
    for key, value in rec.items():
        if draw(st.booleans()):
            lines.append(comment())
        if draw(st.integers(0, 4)) == 0:
            lines.append("")
        if isinstance(value, list) and value and not isinstance(value[0], dict) and draw(st.booleans()):
            lines.append(f"{key}: [{', '.join(scalar(key, v) for v in value)}]{eol()}")
        elif isinstance(value, list):
            lines.append(f"{key}:{eol()}")
            for i, item in enumerate(value):
                if i and draw(st.booleans()):
                    lines.append(f"  {comment()}")
                if isinstance(item, dict):
                    first = True
                    for k, v in draw(st.permutations(list(item.items()))):
                        lines.append(f"{'  - ' if first else '    '}{k}: {scalar(k, v)}{eol()}")
                        first = False
                else:
                    lines.append(f"  - {scalar(key, item)}{eol()}")
        elif isinstance(value, dict):
            if value and draw(st.booleans()):
                lines.append(f"{key}:{eol()}")
                lines += [f"  {k}: {scalar(k, v)}{eol()}" for k, v in value.items()]
            else:
                lines.append(f"{key}: {{{', '.join(f'{k}: {scalar(k, v)}' for k, v in value.items())}}}{eol()}")
        else:
            lines.append(f"{key}: {scalar(key, value)}{eol()}")
    if draw(st.booleans()):
        lines.append(comment())
    return kind, rec, "\n".join(lines) + "\n"


def _normal(value, key=None):
    if isinstance(value, dict):
        return {k: _normal(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v, key) for v in value]
    if key in ("start", "end", "last_reviewed", "date"):
        return str(value)  # 2022-12-04 (a date), 2022 (a number) and "2022" are the same date
    return value


def _comments(text: str) -> list[str]:
    return sorted(re.findall(r"# note\d+(?: x| see: here)?(?=\n|$)", text))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_texts())
def test_fmt_loses_nothing(case):
    kind, rec, text = case
    assert _normal(yaml.safe_load(text)) == _normal(rec)  # the generator writes what it means
    once = canonical_text(text, kind)
    assert _normal(yaml.safe_load(once)) == _normal(rec)
    assert _comments(once) == _comments(text)
    assert canonical_text(once, kind) == once
    assert once.startswith(HEADER_ACT if kind == "activity" else HEADER_ORG)
    order = ACTIVITY_KEYS if kind == "activity" else ORGANIZATION_KEYS
    assert list(yaml.safe_load(once)) == [k for k in order if k in rec]


def test_a_file_known_to_be_canonical_is_not_formatted_again(tmp_path, monkeypatch):
    root = _messy_dataset(tmp_path)
    assert runner.invoke(app, ["fmt", "--data", str(root)]).exit_code == 0  # writes, and remembers the results

    def fail(*args):
        raise AssertionError("formatted again")

    monkeypatch.setattr("ngocoord.load.canonical.canonical_text", fail)
    result = runner.invoke(app, ["fmt", "--check", "--data", str(root)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "7 files: 0 not canonical, 7 already canonical\n"
    result = runner.invoke(app, ["fmt", "--check", "--no-cache", "--data", str(root)])  # without the cache: formats
    assert result.exit_code == 1
    assert "fmt cannot read this file (AssertionError: formatted again)" in result.stdout
