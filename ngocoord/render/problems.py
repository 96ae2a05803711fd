"""Lint problems as text for people, JSON for programs, workflow commands and a summary for GitHub."""

from __future__ import annotations

import json

from ngocoord.problems import LintResult
from ngocoord.render.tabular import md_code, md_escape


GROUP_OVER = 10   # a rule firing more often than this is one line in text output, unless --all


def as_text(result: LintResult, *, group: bool = False) -> str:
    """One line per problem, then the summary. With `group`, a rule that fires more than GROUP_OVER
    times is one line with its count (so that 64 'stale' warnings do not bury a contributor's 2)."""
    by_rule: dict[str, list] = {}
    for p in result.problems:
        by_rule.setdefault(p.rule, []).append(p)
    crowded = {r for r, ps in by_rule.items() if group and len(ps) > GROUP_OVER}
    lines = [p.text() for p in result.problems if p.rule not in crowded]
    for r in sorted(crowded):
        ps = by_rule[r]
        lines.append(f"{r}: {_count(len(ps), ps[0].severity)} in {_count(len({p.path for p in ps}), 'file')} "
                     f"(first: {ps[0].path}:{ps[0].line}:{ps[0].column}); list them with --all, "
                     f"or leave them out with --ignore {r}")
    lines += not_compared_lines(result)
    s = result.summary()
    tail = f"{_count(s['files'], 'file')} checked: {_count(s['errors'], 'error')}, {_count(s['warnings'], 'warning')}"
    return "\n".join([*lines, tail]) + "\n"


def not_compared_lines(result: LintResult) -> list[str]:
    """What lint could not do: a record that failed its schema is checked by every rule that can
    read it, but not compared with the other files (ngocoord.rules.COMPARING_RULES)."""
    from ngocoord.rules import comparing_rules

    invalid = sorted({p.path for p in result.problems if p.rule == "schema"})
    if not invalid:
        return []
    names = ", ".join(comparing_rules())
    return [f"{path}: note: not compared with the other files until its schema errors are fixed ({names})"
            for path in invalid]


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
    head = (f"### ngocoord lint: {_count(s['errors'], 'error')}, {_count(s['warnings'], 'warning')} "
            f"in {_count(s['files'], 'file')}\n")
    if not result.problems:
        return head + "\nNo problems found.\n"
    rows = ["| file | line | severity | rule | message |", "|---|---|---|---|---|"]
    for p in result.problems:
        message = f"{p.message} ({p.hint})" if p.hint else p.message
        rows.append(f"| {md_code(p.path)} | {p.line} | {p.severity} | {md_code(p.rule)} | {md_escape(message)} |")
    return head + "\n" + "\n".join(rows) + "\n"
