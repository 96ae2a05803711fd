"""possible-duplicate-organization and possible-duplicate-activity: warnings, located at the later file."""

import pytest

from tests.conftest import activity, org
from tests.lintcase import A, ACT_2, lint_files, O, ORG_C


CASES = {
    "organization-same-name": ({"organizations/org-c.yaml": ORG_C.replace("name: Org C", "name: The ORG-A Organization")}, [
        f"{O}:3:7: warning possible-duplicate-organization: this organization has (nearly) the same name as 'org-a' "
        "(data/organizations/org-a.yaml): it may be the same one "
        "(if it is, keep one file and point every activity at its id; if not, make the names tell them apart)"]),
    "organization-same-acronym": ({"organizations/org-c.yaml": ORG_C + "acronym: OA\n",
                                   "organizations/org-a.yaml": ORG_C.replace("org-c", "org-a").replace("Org C", "Other") + "acronym: oa\n"}, [
        f"{O}:6:10: warning possible-duplicate-organization: this organization has the same acronym as 'org-a' "
        "(data/organizations/org-a.yaml): it may be the same one "
        "(if it is, keep one file and point every activity at its id; if not, make the names tell them apart)"]),
    "activity-same-title-and-place": ({"activities/act-2.yaml": ACT_2.replace("title: Legal aid in Soran", "title: Act 1.")
                                       .replace("area: G1D2", "area: G1D1")}, [
        f"{A}:3:8: warning possible-duplicate-activity: this activity has (nearly) the same title, organization, sector and place "
        "as 'act-1' (data/activities/act-1.yaml): it may be the same one "
        "(if it is, keep one file; if they are different phases or projects, make the titles tell them apart)"]),
}

CLEAN = {
    "different-names": {"organizations/org-c.yaml": ORG_C},
    "same-title-other-place": {"activities/act-2.yaml": ACT_2.replace("title: Legal aid in Soran", "title: act 1")},
    "same-title-other-organization": {"activities/act-2.yaml": ACT_2.replace("title: Legal aid in Soran", "title: act 1")
                                      .replace("organization: org-a", "organization: org-b").replace("area: G1D2", "area: G1D1")},
}


@pytest.mark.parametrize("name", CASES)
def test_possible_duplicates(tmp_path, name):
    files, expected = CASES[name]
    assert lint_files(tmp_path, files) == expected


@pytest.mark.parametrize("name", CLEAN)
def test_not_duplicates(tmp_path, name):
    assert lint_files(tmp_path, CLEAN[name]) == []


def test_warnings_only_exit_0_unless_strict(tmp_path):
    from typer.testing import CliRunner

    from ngocoord.cli import app

    root = tmp_path / "data"
    lint_files(tmp_path, {}, organizations=[org("org-a", name="Public Aid Organization"), org("org-b", name="Public Aid Organisation")],
               activities=[activity("act-1")])
    plain = CliRunner().invoke(app, ["lint", "--data", str(root), "--as-of", "2026-07-01"])
    strict = CliRunner().invoke(app, ["lint", "--data", str(root), "--as-of", "2026-07-01", "--strict"])
    assert (plain.exit_code, strict.exit_code) == (0, 1)
    assert "warning possible-duplicate-organization" in plain.stdout
