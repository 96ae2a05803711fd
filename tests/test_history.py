"""diff, history and --at on a real git repository whose history is known (tests/gitcase.py).

Every count below was worked out by hand from the history in gitcase's docstring."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import gitcase
from conftest import activity, dump, write_dataset
from gitcase import git
from ngocoord.cli import app

pytestmark = pytest.mark.requires("git")
runner = CliRunner()
AS_OF = ["--as-of", "2026-06-01"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    repo = tmp_path_factory.mktemp("history") / "repo"
    return repo, gitcase.build(repo)


@pytest.fixture
def repo(built, monkeypatch):
    path, commits = built
    monkeypatch.chdir(path)
    return commits


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def diff(*args: str) -> dict:
    return json.loads(run("diff", *args, "--region", "kri", *AS_OF, "--format", "json"))


def cells(*pairs: tuple[str, str]) -> list[dict]:
    return [{"area": a, "column": c} for a, c in pairs]


NOTHING = {"closed": [], "opened": [], "thin": []}


def test_a_commit_that_closes_a_gap(repo):
    out = diff(repo["c1"], repo["c2"])
    assert out["base"] == repo["c1"] and out["head"] == repo["c2"] and out["as_of"] == "2026-06-01"
    assert out["records"] == {"added": [{"kind": "activity", "id": "act-3"}], "removed": [], "changed": []}
    # Duhok x protection: no organization before, org-c now (exactly one: thin)
    assert out["coverage"] == {"closed": cells(("G2", "protection")), "opened": [], "thin": cells(("G2", "protection"))}
    assert out["duplicates"] == {"added": [], "removed": []}


def test_a_commit_that_opens_a_duplicate(repo):
    out = diff(repo["c2"], repo["c3"])
    assert out["records"]["added"] == [{"kind": "activity", "id": "act-4"}]
    assert out["coverage"] == NOTHING  # Erbil x protection goes from one organization to two: neither gap nor thin
    assert out["duplicates"]["removed"] == []
    assert out["duplicates"]["added"] == [{
        "activities": ["act-1", "act-4"], "organizations": ["org-a", "org-b"], "kind": "overlap",
        "services": ["legal-aid"], "populations": [], "areas": ["G1D1"], "period": {"start": None, "end": None}}]


def test_a_renamed_file_is_one_record_removed_and_one_added(repo):
    out = diff(repo["c3"], repo["c4"])
    assert out["records"] == {"added": [{"kind": "activity", "id": "act-2b"}],
                              "removed": [{"kind": "activity", "id": "act-2"}], "changed": []}
    assert out["coverage"] == NOTHING and out["duplicates"] == {"added": [], "removed": []}


def test_a_codelist_only_change_adds_an_area_and_its_empty_cells(repo):
    out = diff(repo["c4"], repo["d1"])
    assert out["records"] == {"added": [{"kind": "area", "id": "G2D2"}], "removed": [], "changed": []}
    assert out["coverage"] == NOTHING  # governorates: the new district changes no count
    districts = json.loads(run("diff", repo["c4"], repo["d1"], "--region", "kri", "--level", "2", *AS_OF, "--format", "json"))
    assert districts["coverage"]["opened"] == cells(("G2D2", "protection"), ("G2D2", "education"), ("G2D2", "justice"))


def test_a_merge_brings_both_sides(repo):
    out = diff(repo["c4"], repo["merge"])
    assert out["records"] == {"added": [{"kind": "area", "id": "G2D2"}], "removed": [],
                              "changed": [{"kind": "activity", "id": "act-3", "fields": ["status"]}]}
    assert out["coverage"] == {"closed": [], "opened": cells(("G2", "protection")), "thin": []}
    assert diff(repo["c5"], repo["merge"])["records"]["added"] == [{"kind": "area", "id": "G2D2"}]


def test_history_counts_every_month_by_hand(repo):
    out = json.loads(run("history", "--region", "kri", "--to", "2026-05-31", "--format", "json"))
    assert out["region"] == "kri" and out["every"] == "month" and out["sector"] is None
    got = [(p["end"], p["commit"], p["activities"], p["organizations"], p["gaps"], p["thin"], p["covered"],
            p["duplicate_pairs"]) for p in out["periods"]]
    assert got == [
        ("2026-01-31", repo["c1"], 2, 2, 4, 2, 0, 0),  # G1 protection and G2 education thin, the rest gaps
        ("2026-02-28", repo["c2"], 3, 3, 3, 3, 0, 0),  # G2 protection closed (thin)
        ("2026-03-31", repo["c3"], 4, 3, 3, 2, 1, 1),  # G1 protection covered twice: one pair
        ("2026-04-30", repo["c4"], 4, 3, 3, 2, 1, 1),  # a rename changes nothing
        ("2026-05-31", repo["merge"], 3, 2, 4, 1, 1, 1),  # act-3 ended: G2 protection a gap again
    ]


def test_history_by_quarter_and_csv(repo):
    out = run("history", "--region", "kri", "--from", "2026-01-01", "--to", "2026-05-31", "--every", "quarter",
              "--format", "csv")
    assert out.splitlines() == [
        "period end,commit,active activities,organizations,gap cells,thin cells,covered cells,duplicate pairs",
        f"2026-03-31,{repo['c3'][:12]},4,3,3,2,1,1",
        f"2026-05-31,{repo['merge'][:12]},3,2,4,1,1,1",
    ]


def test_history_by_sector_and_before_the_first_commit(repo):
    out = json.loads(run("history", "--region", "kri", "--sector", "protection", "--from", "2025-12-01",
                         "--to", "2026-02-10", "--format", "json"))
    # December has no commit yet: no period; columns are protection's services (legal aid, psychosocial support)
    assert [(p["end"], p["activities"], p["organizations"], p["gaps"], p["thin"], p["covered"]) for p in out["periods"]] == [
        ("2026-01-31", 1, 1, 3, 1, 0), ("2026-02-10", 1, 1, 3, 1, 0)]


def test_history_parses_each_blob_once(built, monkeypatch):
    import ngocoord.load.gitdata as gitdata
    from ngocoord.analysis.history import history

    path, commits = built
    parsed = []
    real = gitdata.document_from_bytes
    monkeypatch.setattr(gitdata, "document_from_bytes", lambda raw, kind, shown: parsed.append(shown) or real(raw, kind, shown))
    result = history(path / "data", region="kri", stop=__import__("datetime").date(2026, 5, 31))
    assert len(result.periods) == 5 and result.region_name == "Kurdistan Region of Iraq"
    blobs = set()
    for name in ("c1", "c2", "c3", "c4", "merge"):
        listing = git(path, "ls-tree", "-r", commits[name], "--", "data").splitlines()
        blobs |= {line.split()[2] for line in listing}
    assert len(parsed) == len(blobs)  # 5 codelists + 3 organizations, act-1..4, act-2b, act-3 ended, areas with G2D2
    assert len(blobs) == 5 + 3 + 5 + 1 + 1
    parsed.clear()
    history(path / "data", region="kri", stop=__import__("datetime").date(2026, 5, 31))
    assert parsed == []  # the second run finds every blob in the cache, keyed by its id


def test_diff_defaults_to_the_merge_base_and_the_working_tree(built, tmp_path, monkeypatch):
    path, commits = built
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(path), str(clone))
    monkeypatch.chdir(clone)
    git(clone, "checkout", "-q", "-b", "contribution")
    gitcase.write(clone, "activity", activity("act-5", organization="org-c", locations=[{"area": "G2D1"}]))
    gitcase.commit(clone, "2026-05-30", "legal aid in Duhok again")
    gitcase.write(clone, "activity", activity("act-1", organization="org-a", title="renamed in the work tree"))
    out = json.loads(run("diff", "--region", "kri", *AS_OF, "--format", "json"))
    assert out["base"] == commits["merge"] and out["head"] is None  # origin/HEAD is main
    assert out["records"]["added"] == [{"kind": "activity", "id": "act-5"}]
    assert out["records"]["changed"] == [{"kind": "activity", "id": "act-1", "fields": ["title"]}]
    assert out["coverage"] == {"closed": cells(("G2", "protection")), "opened": [], "thin": cells(("G2", "protection"))}


def test_diff_reads_sensitive_activities_in_the_published_view(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    secret = dict(organization="org-a", sensitive=True, population=["prisoners"])
    write_dataset(repo / "data", [gitcase.org("org-a"), gitcase.org("org-b")],
                  [activity("hidden", locations=[{"area": "G1D1", "site": "Prison 1"}], **secret),
                   activity("open", organization="org-b", locations=[{"area": "G1D2"}])])
    first = gitcase.commit(repo, "2026-01-10", "one")
    gitcase.write(repo, "activity", activity("hidden", locations=[{"area": "G1D2", "site": "Prison 2"}], **secret))
    second = gitcase.commit(repo, "2026-01-11", "moved within Erbil")
    monkeypatch.chdir(repo)
    for level in ("1", "2"):
        out = json.loads(run("diff", first, second, "--level", level, *AS_OF, "--format", "json"))
        # moving from one district of Erbil to another, site and all, changes nothing that may be published
        assert out["records"]["changed"] == [] and out["coverage"] == NOTHING
        assert out["duplicates"] == {"added": [], "removed": []}
    text = run("diff", first, second, *AS_OF, "--format", "markdown") + run("diff", first, second, *AS_OF)
    assert "G1D1" not in text and "Prison" not in text


def test_markdown_is_a_comment_and_escapes_the_data(repo):
    text = run("diff", repo["c2"], repo["c3"], "--region", "kri", *AS_OF, "--format", "markdown")
    assert text.startswith("### What this change does to coordination\n")
    assert "| duplicate pairs | 1 | 0 |" in text
    assert "- act-1 (org-a) and act-4 (org-b): overlap, legal-aid in G1D1" in text
    same = run("diff", repo["c1"], repo["c1"], "--region", "kri", *AS_OF, "--format", "markdown")
    assert same.endswith("No record, coverage cell or duplicate pair changed.\n")


@pytest.mark.parametrize("args", [
    ["gaps", "--region", "kri"], ["gaps", "--region", "kri", "--level", "2", "--format", "json"],
    ["duplicates", "--format", "json"], ["orgs"], ["activities", "--format", "csv"], ["show", "act-2"],
    ["codes", "areas"], ["lint"], ["lint", "--format", "json"], ["report"], ["report", "--format", "html"],
    ["export", "--format", "csv"],
])
def test_at_gives_what_a_checkout_of_that_commit_gives(built, tmp_path, monkeypatch, args):
    path, commits = built
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(path), str(clone))
    monkeypatch.chdir(clone)
    for name in ("c1", "c3", "d1"):
        at = runner.invoke(app, [*args, *AS_OF_FOR(args), "--at", commits[name]])
        git(clone, "checkout", "-q", commits[name])
        checked_out = runner.invoke(app, [*args, *AS_OF_FOR(args)])
        git(clone, "checkout", "-q", "main")
        assert at.exit_code == checked_out.exit_code, at.output
        assert at.stdout_bytes == checked_out.stdout_bytes and at.stderr == checked_out.stderr


def AS_OF_FOR(args: list[str]) -> list[str]:
    return AS_OF if args[0] in ("gaps", "duplicates", "lint", "report") else []


def test_at_never_touches_the_work_tree(built, tmp_path, monkeypatch):
    path, commits = built
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(path), str(clone))
    (clone / "data/activities/act-1.yaml").write_text("not: [valid", encoding="utf-8")
    before = {p: p.read_bytes() for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts}
    monkeypatch.chdir(clone)
    assert "0 errors" in run("lint", "--at", commits["c2"], *AS_OF)
    assert {p: p.read_bytes() for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts} == before
    assert git(clone, "status", "--porcelain") == "M data/activities/act-1.yaml"


@pytest.mark.parametrize("args, message", [
    (["gaps", "--region", "kri", "--at", "no-such-ref"], "ngocoord: error: --at: unknown revision 'no-such-ref'"),
    (["gaps", "--region", "kri", "--at", "--output=x"], "ngocoord: error: --at: '--output=x' is not a git revision"),
    (["diff", "no-such-ref"], "ngocoord: error: diff: unknown revision 'no-such-ref'"),
    (["lint", "--at", "HEAD", "--changed-since", "HEAD"], "ngocoord: error: --at and --changed-since exclude each other"),
])
def test_unknown_revisions_are_one_line_usage_errors(repo, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_outside_a_repository_at_diff_and_history_are_usage_errors(tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    for args, what in ((["orgs", "--at", "HEAD"], "--at"), (["diff"], "diff"), (["history"], "history")):
        result = runner.invoke(app, [*args, "--data", str(tiny)])
        assert result.exit_code == 2
        assert result.stderr == f"ngocoord: error: {what}: {tiny} is not in a git repository\n"


def test_report_charts_gap_cells_over_time_only_with_a_history(repo, tiny, monkeypatch, tmp_path):
    html = run("report", "--region", "kri", "--format", "html", *AS_OF)
    assert html.count("<svg") >= 1 and 'aria-label="Gap cells from 2026-01-31 to 2026-06-01"' in html
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    plain = run("report", "--format", "html", "--data", str(tiny), *AS_OF)
    assert "Gap cells from" not in plain


def test_markdown_never_carries_markup_or_mentions_from_the_data(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_dataset(repo / "data", [gitcase.org("org-a")], [activity("act-1")])
    first = gitcase.commit(repo, "2026-01-10", "one")
    hostile = gitcase.with_district(gitcase.TINY_CODELISTS)
    hostile["areas"]["areas"][-1]["name"] = "<img src=x onerror=alert(1)> [click](https://evil.example) @boss *x*"
    (repo / "data/codelists/areas.yaml").write_text(dump("areas", hostile["areas"]), encoding="utf-8")
    second = gitcase.commit(repo, "2026-01-11", "a district with a hostile name")
    monkeypatch.chdir(repo)
    text = run("diff", first, second, "--region", "kri", "--level", "2", *AS_OF, "--format", "markdown")
    line = next(x for x in text.splitlines() if "G2D2" in x and "Protection" in x)
    assert line == ("- &lt;img src=x onerror=alert(1)&gt; \\[click\\](https\\://evil.example) @\u2060boss \\*x\\* (G2D2) "
                    "× Protection")
