"""One registry of output formats (ngocoord.render.output): the query commands end in
emit(result, format), and --format offers exactly the registry's names."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import TableFormat, app
from ngocoord.load.dataset import load_dataset
from ngocoord.render import output
from ngocoord.render.records import ActivityList

runner = CliRunner()
QUERY_COMMANDS = [["activities"], ["orgs"], ["codes", "sectors"], ["show", "org-a"], ["gaps", "--region", "kri"],
                  ["duplicates"]]


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", [org("org-a", name="Org A & Partners")],
                         [activity("act-1", title="Legal *aid*", partners=["org-a"])])


def test_format_choices_are_the_registry():
    assert [f.value for f in TableFormat] == list(output.FORMATS) == ["table", "json", "csv", "markdown"]
    assert output.format_help() == "table for people, json/csv/markdown for programs."


@pytest.mark.parametrize("args", QUERY_COMMANDS)
def test_every_query_command_offers_the_registry(args, data):
    result = runner.invoke(app, [*args, "--data", str(data), "--format", "yaml"])
    assert result.exit_code == 2
    assert "'yaml' is not one of 'table', 'json', 'csv', 'markdown'" in re.sub(r"\s+", " ", result.output)


def test_a_result_in_each_format(data):
    ds = load_dataset(data)
    result = ActivityList(ds, list(ds.activities.values()))
    assert output.parts(result, "csv") == [
        "id,organization,partners,sector,services,areas,status,start,end\n"
        "act-1,org-a,org-a,protection,legal-aid,G1D1,ongoing,,\n"]
    assert output.parts(result, "markdown") == [
        "| activity | organizations | services | where | status | period |\n|---|---|---|---|---|---|\n"
        "| act-1 | org-a, org-a (partner) | legal-aid | Erbil (G1D1) | ongoing |  |\n"]
    [text] = output.parts(result, "json")
    assert text.startswith('{\n  "activities": [\n    {\n      "id": "act-1",\n      "title": "Legal *aid*",')
    [table] = output.parts(result, "table")
    assert table.title == "1 activity" and table.columns[:2] == ["activity", "organizations"]   # a FitTable (render.tabular)


def test_a_new_format_is_one_registered_function(data, monkeypatch):
    monkeypatch.setattr(output, "FORMATS", dict(output.FORMATS))
    monkeypatch.setattr(output, "PROGRAM_FORMATS", list(output.PROGRAM_FORMATS))

    @output.output_format("tsv")
    def tsv(result):
        columns, rows = result.rows()
        return ["\t".join(columns) + "\n"] + ["\t".join(map(str, r)) + "\n" for r in rows]

    ds = load_dataset(data)
    assert output.parts(ActivityList(ds, []), "tsv") == ["id\torganization\tpartners\tsector\tservices\tareas\tstatus\tstart\tend\n"]
    assert output.format_help() == "table for people, json/csv/markdown/tsv for programs."
