"""The published view everywhere (issue 11, defect 12; SPEC, *Published view*): every command's
output for a dataset is byte for byte its output for a twin dataset that differs only in the
district (and site) of a sensitive activity, unless --include-sensitive is given. So no output,
and no comparison of two outputs, tells which district it is in."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.domain.published import published_activity, shown_locations
from ngocoord.model import Activity, Location
from tests.conftest import TINY_CODELISTS, activity, org, write_dataset

runner = CliRunner()
AS_OF = "2026-07-01"
OTHERS = [activity("act-erbil", locations=[{"area": "G1D1", "site": "Erbil courthouse"}], start="2025-01"),
          activity("act-soran", organization="org-b", services=["psychosocial-support"], locations=[{"area": "G1D2"}]),
          activity("act-duhok", organization="org-b", locations=[{"area": "G2D1"}], start="2025-01")]


def twin(root, district: str, site: str):
    secret = activity("act-secret", organization="org-b", sensitive=True, population=["women"], start="2025-01",
                      title="Legal aid for women detainees", services=["legal-aid", "psychosocial-support"],
                      locations=[{"area": district, "site": site}])
    return write_dataset(root, [org("org-a"), org("org-b", type="ingo")], [*OTHERS, secret])


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    base = tmp_path_factory.mktemp("twins")
    return twin(base / "a" / "data", "G1D1", "Erbil women's prison"), twin(base / "b" / "data", "G1D2", "Soran shelter")


FORMATS = ["table", "json", "csv", "markdown"]
COMMANDS = (
    [["gaps", "--region", "kri", "--level", level, "--as-of", AS_OF, "--format", f] for level in ("1", "2") for f in FORMATS]
    + [["gaps", "--region", "G1", "--level", "2", "--sector", "protection", "--as-of", AS_OF, "--format", f] for f in FORMATS]
    + [["duplicates", "--as-of", AS_OF, "--format", f] for f in FORMATS]
    + [["duplicates", "--region", "G1D1", "--as-of", AS_OF, "--format", "json"],
       ["duplicates", "--all-time", "--format", "json"]]
    + [["activities", *filters, "--format", f] for f in FORMATS for filters in ([], ["--area", "G1D1"], ["--area", "G1D2"])]
    + [["orgs", *filters, "--format", f] for f in FORMATS for filters in ([], ["--area", "G1D1"], ["--region", "G1D2"])]
    + [["show", "act-secret", "--format", f] for f in FORMATS] + [["show", "org-b", "--format", f] for f in FORMATS]
    + [["report", "--format", f, "--as-of", AS_OF, *region] for f in ("markdown", "html") for region in ([], ["--region", "G1"])]
    + [["export", "--format", f] for f in ("csv", "hxl", "json")]
)


def output(root, command):
    result = runner.invoke(app, [*command, "--data", str(root)])
    assert result.exit_code == 0, (command, result.output)
    return result.stdout.replace(str(root), "DATA")


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_no_output_tells_the_twins_apart(twins, command):
    a, b = twins
    shown = output(a, command)
    assert shown == output(b, command)
    assert "women's prison" not in shown and "Soran shelter" not in shown


def test_the_commands_compared_are_every_command_that_shows_activities():
    known = {c.name or c.callback.__name__ for c in app.registered_commands}
    shown = {c[0] for c in COMMANDS}
    assert {"gaps", "duplicates", "activities", "orgs", "show", "report", "export"} <= shown
    assert known - shown - {"lint", "fmt", "new", "import", "import_3w", "init"} <= {"diff", "history"}


@pytest.mark.parametrize("command", [["gaps", "--region", "G1", "--level", "2", "--as-of", AS_OF, "--format", "csv"],
                                     ["activities", "--area", "G1D1", "--format", "json"],
                                     ["show", "act-secret", "--format", "json"]], ids=["gaps", "activities", "show"])
def test_include_sensitive_shows_the_exact_place_with_a_warning(twins, command):
    a, b = twins
    exact = runner.invoke(app, [*command, "--data", str(a), "--include-sensitive"])
    assert exact.exit_code == 0
    assert exact.stdout != runner.invoke(app, [*command, "--data", str(b), "--include-sensitive"]).stdout
    assert exact.stderr == ("warning: --include-sensitive: the exact places of 1 sensitive activity are included; "
                            "do not publish this output\n")


def test_gaps_level_2_counts_a_sensitive_activity_in_no_district(twins):
    a, _ = twins
    csv = output(a, ["gaps", "--region", "G1", "--level", "2", "--sector", "protection", "--as-of", AS_OF, "--format", "csv"])
    assert csv.splitlines() == ["area,name,legal-aid,psychosocial-support", "G1D1,Erbil,1,0", "G1D2,Soran,0,1"]


def test_shown_locations_and_published_activity():
    from ngocoord.codelists import Codelists

    lists = {}
    for name, content in TINY_CODELISTS.items():
        for key, entries in content.items():
            lists.setdefault(key, []).extend((e, name, i) for i, e in enumerate(entries))
    cl = Codelists.from_data(lists)
    act = Activity.from_data({**activity("x", sensitive=True, locations=[{"area": "G1D1", "site": "s"}, {"area": "G1D2"},
                                                                        {"area": "IQ"}])}, "x.yaml")
    assert shown_locations(cl, act) == (Location("G1"), Location("IQ"))
    assert shown_locations(cl, act, include_sensitive=True) == act.locations
    shown = published_activity(cl, act)
    assert shown.locations == (Location("G1"), Location("IQ"))
    assert shown.raw["locations"] == [{"area": "G1"}, {"area": "IQ"}] and "site" not in str(shown.raw)
    plain = Activity.from_data(activity("y", locations=[{"area": "G1D1", "site": "s"}]), "y.yaml")
    assert published_activity(cl, plain) is plain
