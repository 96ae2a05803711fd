"""Copies of one record (issue 11, defect 4): lint gives one warning per group of copies, and
duplicates finds and streams their pairs in time and memory that grow with what it prints."""

from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ngocoord.analysis.duplicates import duplicate_blocks, find_duplicates
from ngocoord.cli import app
from ngocoord.render.duplicates import PairList
from ngocoord.rules.similar import clusters
from tests.conftest import activity, org, write_dataset
from tests.test_duplicates import CL, DAYS, activities, as_tuples, reference

runner = CliRunner()
AS_OF = "2026-07-01"
COPIES = 300


def copied(root, n=COPIES, extra=()):
    acts = [activity(f"act-{i + 1}", title="Legal aid for detainees") for i in range(n)]
    return write_dataset(root, [org("org-a"), org("org-b")], [*acts, *extra])


def test_lint_gives_one_warning_for_a_group_of_copies(tmp_path):
    root = copied(tmp_path / "data", extra=[activity("other-1", title="Legal aid for detainees", organization="org-b"),
                                             activity("other-2", title="Legal aid for detainees.", organization="org-b")])
    result = runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF])
    assert result.stdout.splitlines() == [
        f"{root}/activities/act-1.yaml:3:8: warning possible-duplicate-activity: 'act-1' and 299 other activities look "
        "like copies of each other: (nearly) the same title, organization, sector and place ('act-10', 'act-100', "
        "'act-101', …) (keep one file for each activity; if they are different phases or projects, make the titles "
        "tell them apart)",
        f"{root}/activities/other-2.yaml:3:8: warning possible-duplicate-activity: this activity has (nearly) the same "
        f"title, organization, sector and place as 'other-1' ({root}/activities/other-1.yaml): it may be the same one "
        "(if it is, keep one file; if they are different phases or projects, make the titles tell them apart)",
        f"{COPIES + 9} files checked: 0 errors, 2 warnings"]


def test_clusters_link_near_keys_through_a_shared_place():
    items = [("a", "x", {1}), ("b", "x", {2}), ("c", "x", {1, 2}), ("d", "y", {1}), ("e", "x", {3})]
    found = clusters(items, lambda i: i[1], lambda i: "block", lambda i: i[2])
    assert sorted(sorted(i[0] for i in group) for group in found) == [["a", "b", "c"]]


def test_duplicates_streams_every_pair_of_the_copies(tmp_path):
    root = copied(tmp_path / "data")
    csv = runner.invoke(app, ["duplicates", "--data", str(root), "--as-of", AS_OF, "--format", "csv"]).stdout.splitlines()
    assert len(csv) == 1 + COPIES * (COPIES - 1) // 2
    assert csv[1] == "act-1,act-10,org-a,org-a,same-organization,legal-aid,,G1D1,,"
    assert csv[1:] == sorted(csv[1:], key=lambda line: tuple(line.split(",")[:2]))
    pairs = json.loads(runner.invoke(app, ["duplicates", "--data", str(root), "--as-of", AS_OF, "--format", "json"]).stdout)["pairs"]
    assert len(pairs) == len(csv) - 1 and len({tuple(p["activities"]) for p in pairs}) == len(pairs)
    table = runner.invoke(app, ["duplicates", "--data", str(root), "--as-of", AS_OF])
    assert "44,850 duplicate pairs active on 2026-07-01: 44,850 same-organization" in table.stdout
    assert table.stdout.endswith("… and 44,825 more pairs: use --format csv or json for all of them, or narrow with --region / --sector\n")


@st.composite
def with_copies(draw):
    """Activities, some of them copied (same everything but the id), a copy sometimes coordinated."""
    acts = draw(activities())
    out = list(acts)
    for a in acts[:4]:
        for k in range(draw(st.integers(0, 3))):
            out.append(dataclasses.replace(a, id=f"{a.id}-c{k}", coordinated_with=()))
    return out


@settings(max_examples=200, deadline=None)
@given(with_copies(), DAYS, st.booleans(), st.booleans())
def test_grouped_search_equals_all_pairs_with_copies(acts, day, all_time, include_coordinated):
    ds = SimpleNamespace(codelists=CL, activities={a.id: a for a in acts})
    got = find_duplicates(ds, as_of=day, all_time=all_time, include_coordinated=include_coordinated)
    assert as_tuples(got) == reference(acts, day, all_time, include_coordinated)
    streamed = PairList(lambda: duplicate_blocks(ds, as_of=day, all_time=all_time, include_coordinated=include_coordinated),
                        CL, day, all_time=all_time, include_coordinated=include_coordinated)
    listed = PairList(got, CL, day, all_time=all_time, include_coordinated=include_coordinated)
    for fmt in ("as_json", "as_csv", "as_markdown"):
        assert "".join(getattr(streamed, fmt)()) == "".join(getattr(listed, fmt)()), fmt
    assert streamed.title == listed.title
