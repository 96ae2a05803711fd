"""Lint problems as text for people, JSON for programs, workflow commands and a summary for GitHub."""

from __future__ import annotations

import json

from ngocoord.problems import LintResult
from ngocoord.render.tabular import md_code, md_escape


def as_text(result: LintResult) -> str:
    lines = [p.text() for p in result.problems]
    s = result.summary()
    tail = f"{_count(s['files'], 'file')} checked: {_count(s['errors'], 'error')}, {_count(s['warnings'], 'warning')}"
    return "\n".join([*lines, tail]) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def as_json(result: LintResult) -> str:
    return json.dumps({"problems": [p.as_dict() for p in result.problems], "summary": result.summary()},
                      ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(result: LintResult) -> str:
    lines = []
    for p in result.problems:
        level = "error" if p.severity == "error" else "warning"
        message = f"{p.message} ({p.hint})" if p.hint else p.message
        lines.append(f"::{level} file={_escape_property(p.path)},line={p.line},col={p.column},"
                     f"title={_escape_property(p.rule)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_markdown_summary(result: LintResult) -> str:
    s = result.summary()
    head = f"### ngocoord lint: {s['errors']} errors, {s['warnings']} warnings in {s['files']} files\n"
    if not result.problems:
        return head + "\nNo problems found.\n"
    rows = ["| file | line | severity | rule | message |", "|---|---|---|---|---|"]
    for p in result.problems:
        message = f"{p.message} ({p.hint})" if p.hint else p.message
        rows.append(f"| {md_code(p.path)} | {p.line} | {p.severity} | {md_code(p.rule)} | {md_escape(message)} |")
    return head + "\n" + "\n".join(rows) + "\n"
