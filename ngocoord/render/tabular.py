"""Rows of plain values as a table for people, or CSV, Markdown or JSON for programs."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Sequence

from ngocoord.domain.formulas import safe_cell


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _csv_cell(value: Any) -> Any:
    """Neutralised, and with CR line breaks made LF: the writer quotes a cell holding LF, but with
    LF line endings it leaves a bare CR unquoted, which readers take for the end of the row."""
    cell = safe_cell(value)
    return cell.replace("\r\n", "\n").replace("\r", "\n") if isinstance(cell, str) else cell


def as_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_csv_cell(c) for c in columns])
    writer.writerows([[_csv_cell(cell_text(v)) for v in row] for row in rows])
    return out.getvalue()


# what Markdown would read as markup: \ ` * [ ] | ~ < >, and an underscore that could open or close
# emphasis (CommonMark: one with a letter or digit on both sides, as in last_reviewed, never does)
_MARKUP = re.compile(r"([\\`*\[\]|~<>]|(?<![^\W_])_|_(?![^\W_]))")
_ENTITY = {"<": "&lt;", ">": "&gt;"}


# where GitHub-flavoured Markdown finds an autolink: 'www.', '://' (https://, ftp://) and an address's '@'
_AUTOLINK = re.compile(r"(?i)(www)(\.)|(:)(//)|(@)")
WORD_JOINER = "\u2060"


def md_escape(text: Any) -> str:
    """Data as literal Markdown text, the one escaper of every Markdown output: no link, emphasis,
    code, HTML, entity or table-cell break can come from it, and it stays on one line."""
    text = str(text).replace("&", "&amp;").replace("\r", " ").replace("\n", " ")
    return no_autolink(_MARKUP.sub(lambda m: _ENTITY.get(m.group(1)) or "\\" + m.group(1), text))


def no_autolink(text: str) -> str:
    """Escaped Markdown text in which GitHub finds no autolink (a bare www.example.org/login,
    https://…, someone@example.org): 'www.' and '://' are broken by a backslash escape; an address
    by an invisible word joiner after its '@', since GFM finds addresses after escapes are read."""
    return _AUTOLINK.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}{m[4]}" if m[3] else "@" + WORD_JOINER, text)


def md_code(text: Any) -> str:
    """Data as a Markdown code span (backslashes are literal there): fenced by more backticks than
    it holds in a row, with GitHub's table-cell break '|' escaped, on one line."""
    text = str(text).replace("\r", " ").replace("\n", " ").replace("|", "\\|")
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def as_markdown(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(md_escape(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(md_escape(cell_text(v)) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def one_per_line(columns, rows) -> tuple[list[str], list[list]]:
    """For a terminal table: list cells one item a line (Markdown and CSV join them with commas)."""
    return columns, [["\n".join(map(str, v)) if isinstance(v, list) else v for v in row] for row in rows]


def as_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n"


def as_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> "object":
    """A rich Table (printed by the CLI's console)."""
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*[_rich_safe(cell_text(v)) for v in row])
    return table


def _rich_safe(text: str):
    from rich.text import Text

    return Text(text)  # never interpret data as rich markup
