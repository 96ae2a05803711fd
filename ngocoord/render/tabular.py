"""Rows of plain values as a table for people, or CSV, Markdown or JSON for programs."""

from __future__ import annotations

import csv
import io
import json
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


def md_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
            .replace("<", "&lt;").replace(">", "&gt;"))


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
