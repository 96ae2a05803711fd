"""ngocoord new organization|activity: options, codes by name, refusals, prompts in a real terminal."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app

runner = CliRunner()
TODAY = dt.date.today().isoformat()


@pytest.fixture
def ds(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a", acronym="OA"), org("network", type="nngo", name="The Network")],
                         [activity("act-1")])
    return root


def new(root, *args):
    return runner.invoke(app, ["new", *args, "--data", str(root)])


def lint_clean(root, path):
    result = runner.invoke(app, ["lint", str(path), "--data", str(root)])
    assert result.stdout == "1 file checked: 0 errors, 0 warnings\n", result.stdout
    return True


def test_new_organization_stores_codes_and_lints_clean(ds):
    result = new(ds, "organization", "--id", "public-aid", "--name", "Public Aid Organization", "--acronym", "PAO",
                 "--type", "National NGO", "--country", "Norway", "--member-of", "the network", "--email", "info@pao.org",
                 "--website", "https://pao.org", "--names", "ar=منظمة المساعدة", "--source-title", "Annual report",
                 "--source-url", "https://pao.org/report", "--source-date", "2025-03", "--notes", "Works in Erbil.")
    assert result.exit_code == 0, result.output
    path = ds / "organizations" / "public-aid.yaml"
    assert result.stdout == f"created {path}\n"
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/organization.schema.json\n"
        "id: public-aid\nname: Public Aid Organization\nacronym: PAO\nnames:\n  ar: منظمة المساعدة\ntype: nngo\n"
        'country: "NO"\nwebsite: https://pao.org\nemail: info@pao.org\nmember_of: [network]\n'
        f"last_reviewed: {TODAY}\n"
        "sources:\n  - title: Annual report\n    url: https://pao.org/report\n    date: 2025-03\nnotes: Works in Erbil.\n")
    assert lint_clean(ds, path)


def test_new_activity_resolves_names_and_aliases(ds):
    result = new(ds, "activity", "--id", "legal-aid-erbil", "--title", "Legal aid in Erbil", "--organization", "OA",
                 "--partner", "network", "--sector", "Protection", "--service", "Legal aid", "--service", "psychosocial-support",
                 "--population", "Women", "--area", "Hawler:Erbil central prison", "--area", "dahuk", "--status", "Ongoing",
                 "--start", "2025-01", "--end", "2026-12-31", "--targeted", "300", "--counterpart", "Ministry of Justice",
                 "--sensitive", "--coordinated-with", "act-1", "--description", "Lawyers visit the prison weekly.")
    assert result.exit_code == 0, result.output
    path = ds / "activities" / "legal-aid-erbil.yaml"
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/activity.schema.json\n"
        "id: legal-aid-erbil\ntitle: Legal aid in Erbil\norganization: org-a\npartners: [network]\nsector: protection\n"
        "services: [legal-aid, psychosocial-support]\npopulation: [women]\n"
        "locations:\n  - area: G1\n    site: Erbil central prison\n  - area: G2\n"
        "status: ongoing\nstart: 2025-01\nend: 2026-12-31\nbeneficiaries:\n  targeted: 300\n"
        "counterparts: [Ministry of Justice]\nsensitive: true\n"
        f"last_reviewed: {TODAY}\ncoordinated_with: [act-1]\ndescription: Lawyers visit the prison weekly.\n")
    assert lint_clean(ds, path)


def test_missing_fields_without_a_terminal_are_all_named(ds):
    result = new(ds, "activity", "--title", "Something")
    assert result.exit_code == 2
    assert result.stderr == ("ngocoord: error: missing required fields: --id, --organization, --sector, --service, "
                             "--area, --status\n")
    result = new(ds, "organization", "--id", "x-org", "--name", "X")
    assert result.stderr == "ngocoord: error: missing required field: --type\n"
    assert not (ds / "organizations" / "x-org.yaml").exists()


BASE = ["activity", "--id", "a2", "--title", "T", "--organization", "org-a", "--sector", "protection",
        "--service", "legal-aid", "--area", "G1", "--status", "ongoing"]


def _with(**change):
    args = list(BASE)
    for option, value in change.items():
        args[args.index(f"--{option}") + 1] = value
    return args


@pytest.mark.parametrize("change, message", [
    ({"organization": "org-x"}, "--organization: there is no organization 'org-x': did you mean 'org-a'?; "
                                "run 'ngocoord orgs' to list them, or add it first with 'ngocoord new organization'"),
    ({"sector": "protecton"}, "unknown sector 'protecton': did you mean 'protection'?; run 'ngocoord codes sectors'"),
    ({"area": "Arbel"}, "unknown place 'Arbel': did you mean 'Erbil' (G1)?; run 'ngocoord codes areas'"),
    ({"status": "ongoin"}, "unknown status 'ongoin': did you mean 'ongoing'?; choose one of planned, ongoing, completed, suspended, cancelled"),
    ({"service": "education-in-detention"}, "--service 'education-in-detention' belongs to the sector 'education', not "
                                            "'protection': run 'ngocoord codes services --sector protection'"),
    ({"id": "Legal Aid"}, "'Legal Aid' is not a valid id (lowercase letters, digits and single hyphens, 2 to 64 characters): try 'legal-aid'"),
])
def test_unknown_codes_and_ids_are_refused(ds, change, message):
    result = new(ds, *_with(**change))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ngocoord: error: {message}")
    assert sorted(p.name for p in (ds / "activities").iterdir()) == ["act-1.yaml"]


def test_a_persons_email_and_a_bad_date_are_refused(ds):
    result = new(ds, "organization", "--id", "o2", "--name", "O2", "--type", "nngo", "--email", "jane.doe@gmail.com")
    assert result.exit_code == 2
    assert "looks like a person's address" in result.stderr
    result = new(ds, "organization", "--id", "o3", "--name", "Zhin Organization", "--acronym", "ZO", "--type", "nngo",
                 "--email", "zhin.org@gmail.com")
    assert result.exit_code == 0, result.stderr  # a free-mail address named after the organization is a role address
    result = new(ds, *BASE, "--start", "2025-02-30")
    assert result.stderr == "ngocoord: error: --start '2025-02-30' is not a real date: check the day and month\n"


def test_never_overwrites(ds):
    path = ds / "activities" / "a2.yaml"
    path.write_text("something already here\n", encoding="utf-8")
    result = new(ds, *BASE)
    assert result.exit_code == 2
    assert result.stderr == f"ngocoord: error: {path} already exists: edit it instead (ngocoord new never replaces a file)\n"
    assert path.read_text(encoding="utf-8") == "something already here\n"


def test_last_reviewed_can_be_given(ds):
    assert new(ds, *BASE, "--last-reviewed", "2026-01").exit_code == 0
    assert "last_reviewed: 2026-01\n" in (ds / "activities" / "a2.yaml").read_text(encoding="utf-8")


# --- prompts ----------------------------------------------------------------------------------

@pytest.fixture
def terminal(monkeypatch):
    """Make `new` believe stdin is a terminal; CliRunner's input= then answers the prompts."""
    import types

    monkeypatch.setattr("ngocoord.commands.new.sys", types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True)))


def test_a_wrong_value_given_is_refused_before_anything_is_asked(ds, terminal):
    result = runner.invoke(app, ["new", "activity", "--data", str(ds), "--id", "a3", "--sector", "protecton"], input="x\n" * 10)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ngocoord: error: unknown sector 'protecton': did you mean 'protection'")


def test_the_suggested_id_is_the_default(ds, terminal):
    result = runner.invoke(app, ["new", "organization", "--data", str(ds), "--name", "Public Aid Organization"],
                           input="\nNational NGO\n\n")  # the last: no source
    assert result.exit_code == 0, result.output
    assert "id [public-aid-organization]: " in result.stdout
    assert "type: choose one of\n  ingo   International NGO\n  nngo   National NGO\n  donor  Donor\n" in result.stdout
    assert (ds / "organizations" / "public-aid-organization.yaml").read_text(encoding="utf-8").splitlines()[1:4] == [
        "id: public-aid-organization", "name: Public Aid Organization", "type: nngo"]


# --- prompts, in a real terminal ---------------------------------------------------------------

def _tmux(*args) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def _wait_for(session: str, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = _tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} did not appear; the terminal shows:\n{screen}")


@pytest.mark.requires("tmux")
def test_prompts_in_a_terminal_show_choices_and_reask(ds, tmp_path):
    session = f"ngocoord-test-{os.getpid()}-{tmp_path.name}"[:60].replace(".", "-")  # pid: parallel runs never share one
    command = f"{sys.executable} -m ngocoord new activity --data {ds} --id in-terminal --title 'Legal aid' --organization org-a"
    _tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50")
    try:
        _tmux("send-keys", "-t", session, command, "Enter")
        screen = _wait_for(session, "sector: ")
        assert "sector: choose one of\n  protection  Protection\n  education   Education\n  justice     Justice and corrections\n" in screen
        _tmux("send-keys", "-t", session, "protecton", "Enter")
        _wait_for(session, "unknown sector 'protecton': did you mean 'protection'")
        _tmux("send-keys", "-t", session, "Protection", "Enter")
        screen = _wait_for(session, "service (several separated by ','): ")
        assert "service: choose one or more of\n  legal-aid             Legal aid\n  psychosocial-support  Psychosocial support\n" in screen
        _tmux("send-keys", "-t", session, "legal aid, psychosocial-support", "Enter")
        _wait_for(session, "add :site for the exact place; several separated by ','): ")
        _tmux("send-keys", "-t", session, "Hawler:Erbil central prison, Dahuk", "Enter")
        _wait_for(session, "status: ")
        _tmux("send-keys", "-t", session, "ongoing", "Enter")
        _wait_for(session, "(detention, GBV, trafficking)? [y/N]: ")
        _tmux("send-keys", "-t", session, "y", "Enter")
        _wait_for(session, "source: title of a public source the record rests on (empty: none): ")
        _tmux("send-keys", "-t", session, "Annual report 2022", "Enter")
        _wait_for(session, "its web address (empty: none): ")
        _tmux("send-keys", "-t", session, "example.org", "Enter")
        _wait_for(session, "--source-url 'example.org' is not a web address")
        _tmux("send-keys", "-t", session, "https://example.org/report", "Enter")
        _wait_for(session, "its date, YYYY-MM-DD, YYYY-MM or YYYY (empty: none): ")
        _tmux("send-keys", "-t", session, "2022-12", "Enter")
        _wait_for(session, "another source: title of a public source the record rests on (empty: no more): ")
        _tmux("send-keys", "-t", session, "Enter")
        _wait_for(session, "created ")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    path = ds / "activities" / "in-terminal.yaml"
    assert path.read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/activity.schema.json\n"
        "id: in-terminal\ntitle: Legal aid\norganization: org-a\nsector: protection\n"
        "services: [legal-aid, psychosocial-support]\n"
        "locations:\n  - area: G1\n    site: Erbil central prison\n  - area: G2\n"
        f"status: ongoing\nsensitive: true\nlast_reviewed: {TODAY}\n"
        "sources:\n  - title: Annual report 2022\n    url: https://example.org/report\n    date: 2022-12\n")
    assert lint_clean(ds, path)


@pytest.mark.requires("tmux")
def test_ctrl_d_at_a_prompt_ends_cleanly_and_writes_nothing(ds, tmp_path):
    session = f"ngocoord-eof-{os.getpid()}-{tmp_path.name}"[:60].replace(".", "-")
    log = tmp_path / "exit-code"
    command = (f"{sys.executable} -m ngocoord new activity --data {ds} --id stopped --title 'Legal aid'; "
               f"echo $? > {log}")
    _tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50")
    try:
        _tmux("send-keys", "-t", session, command, "Enter")
        _wait_for(session, "organization: ")
        _tmux("send-keys", "-t", session, "C-d")
        screen = _wait_for(session, "nothing was written")
        deadline = time.monotonic() + 10
        while not (log.exists() and log.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    assert "ngocoord: stopped at your request; nothing was written" in screen
    assert "Traceback" not in screen and "Aborted" not in screen
    assert not (ds / "activities" / "stopped.yaml").exists()
    assert log.read_text().strip() == "1"


def test_every_list_answer_splits_on_commas():
    from ngocoord.write.new import ANSWER

    assert ANSWER["locations"]("Hawler:Erbil central prison, Dahuk") == ["Hawler:Erbil central prison", "Dahuk"]
    assert ANSWER["locations"]("Hawler; Dahuk") == ["Hawler", "Dahuk"]
    assert ANSWER["population"]("prisoners, women ,") == ["prisoners", "women"]
    assert ANSWER["partners"]("org-a,org-b") == ["org-a", "org-b"]


def test_new_reports_every_mistake_in_one_run(ds):
    result = CliRunner().invoke(app, ["new", "activity", "--data", str(ds), "--id", "x2", "--title", "T",
                                      "--organization", "org-q", "--sector", "protecton", "--service", "legal-aid",
                                      "--area", "Arbel", "--status", "ongoin", "--start", "2020-13"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    starts = ["--organization: there is no organization 'org-q'", "unknown sector 'protecton'",
              "unknown place 'Arbel'", "unknown status 'ongoin'", "--start '2020-13' is not a date"]
    assert len(lines) == len(starts)
    assert all(line.startswith("ngocoord: error: " + start) for line, start in zip(lines, starts)), lines
    assert not (ds / "activities" / "x2.yaml").exists()
