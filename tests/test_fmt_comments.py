"""fmt never loses a comment silently, and keeps one line ending for a whole file (issue 11,
defects 8 and 10)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ngocoord.load.yamlcomments import comments, lost_comment
from ngocoord.cli import app
from tests.conftest import dump, org, write_dataset

runner = CliRunner()
HINT = ("it sits where the canonical form has no place for it (inside a [flow list] or {mapping}, or after a '...' "
        "end marker); the file was left as it is (move the comment onto a line of its own above the key it is about, "
        "then run fmt again)")
CASES = {
    "flow-list": ("member_of: [ncci, # why ncci\n  mcc]\n", 6, 19, "# why ncci"),
    "end-marker": ("...\n# after the end marker\n", 7, 1, "# after the end marker"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_comment_fmt_cannot_keep_makes_it_refuse_the_file(tmp_path, case):
    extra, line, column, comment = case
    root = write_dataset(tmp_path / "data", [org("org-a"), org("ncci"), org("mcc")], [])
    path = root / "organizations" / "org-a.yaml"
    path.write_text(dump("organization", org("org-a")) + extra, encoding="utf-8")
    before = path.read_bytes()
    for check in ([], ["--check"]):
        result = runner.invoke(app, ["fmt", "--data", str(root), str(path), *check])
        assert result.exit_code == 1
        assert result.stdout.splitlines()[0] == f"{path}:{line}:{column}: error fmt: fmt would lose the comment '{comment}': {HINT}"
        assert path.read_bytes() == before


def test_comments_fmt_can_keep_are_kept(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a"), org("ncci")], [])
    path = root / "organizations" / "org-a.yaml"
    path.write_text(dump("organization", org("org-a")) + "# a network\nmember_of: [ncci]  # since 2020\n", encoding="utf-8")
    result = runner.invoke(app, ["fmt", "--data", str(root), str(path)])
    assert result.exit_code == 0, result.stdout
    text = path.read_text(encoding="utf-8")
    assert "# a network\nmember_of: [ncci]  # since 2020\n" in text


def test_comment_finder_reads_quotes_as_yaml_does():
    text = ("a: 'it''s # not a comment'  # one\n"
            "b: \"say \\\" # still text\"\n"
            "c: O'Brien # two\n"
            "d: x#y\n"
            "e: |\n"
            "  #3\n"
            "# four\n")
    assert comments(text) == [(1, 29, "# one"), (3, 12, "# two"), (6, 3, "#3"), (7, 1, "# four")]
    assert lost_comment(text, text) is None
    assert lost_comment(text, text.replace("# two", "")) == (3, 12, "# two")


def _crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def test_crlf_files_keep_one_line_ending(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a"), org("org-b")], [])
    crlf = root / "organizations" / "org-a.yaml"
    crlf.write_bytes(_crlf("# top\n" + dump("organization", org("org-a")) + "# trailing\n"))
    mixed = root / "organizations" / "org-b.yaml"  # LF lines, CRLF comments: what an editor leaves behind
    mixed.write_bytes(dump("organization", org("org-b")).encode() + b"# trailing\r\n")
    result = runner.invoke(app, ["fmt", "--data", str(root), str(crlf), str(mixed)])
    assert result.exit_code == 0, result.stdout
    out = crlf.read_bytes()
    assert out.count(b"\r\n") == out.count(b"\n") == 7
    assert b"last_reviewed: 2026-06-01\r\n# trailing\r\n" in out
    assert b"\r" not in mixed.read_bytes()
    again = runner.invoke(app, ["fmt", "--data", str(root), str(crlf), str(mixed), "--check"])
    assert again.exit_code == 0 and again.stdout == "2 files: 0 not canonical, 2 already canonical\n"


def test_check_fails_on_a_file_with_mixed_line_endings(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a")], [])
    path = root / "organizations" / "org-a.yaml"
    runner.invoke(app, ["fmt", "--data", str(root)])
    path.write_bytes(path.read_bytes() + b"# note\r\n")
    result = runner.invoke(app, ["fmt", "--data", str(root), str(path), "--check"])
    assert result.exit_code == 1 and "error fmt: the file is not in the canonical form" in result.stdout
