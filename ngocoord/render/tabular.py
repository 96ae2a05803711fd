"""Rows of plain values as a table for people, or CSV, Markdown or JSON for programs."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A spreadsheet runs a cell starting with = + - @ (or tab, CR) as a formula: make it text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


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


def as_json(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n"


def as_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> "object":
    """A table for people (printed by the CLI's console), its columns fitted to the width so that
    text wraps between words and a code or id is never broken (FitTable)."""
    return FitTable(list(columns), [[cell_text(v) for v in row] for row in rows], title)


LONGEST_UNBROKEN = 64   # the longest id (SPEC: 2-64 characters); a longer word (a URL) may fold


def fit_widths(natural: list[int], least: list[int], room: int) -> list[int]:
    """Column widths within `room`: each column as wide as its content when all fit, else the widest
    ones narrowed evenly, none below `least` (its longest word). When even those do not fit, each
    column gets its least width and the table is wider than the room (a terminal wraps the lines;
    no word is cut)."""
    least = [min(m, n) for m, n in zip(least, natural)]
    if sum(natural) <= room:
        return list(natural)
    if sum(least) >= room:
        return least
    low, high = 0, max(natural)   # the largest cap C with sum(min(natural, max(least, C))) <= room
    while low < high:
        cap = (low + high + 1) // 2
        if sum(min(n, max(m, cap)) for n, m in zip(natural, least)) <= room:
            low = cap
        else:
            high = cap - 1
    widths = [min(n, max(m, low)) for n, m in zip(natural, least)]
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: -(natural[i] - widths[i])):   # hand out what is left
        if spare <= 0:
            break
        extra = min(spare, natural[i] - widths[i])
        widths[i] += extra
        spare -= extra
    return widths


class FitTable:
    """A rich renderable: a table whose columns are fitted at render time to the console's width,
    wrapping at spaces only (rich alone would cut 'law-enforcement-officers' into two lines)."""

    def __init__(self, columns: list[str], rows: list[list[str]], title: str | None = None, **table_options):
        self.columns, self.rows, self.title, self.table_options = columns, rows, title, table_options

    def _sizes(self) -> tuple[list[int], list[int]]:
        natural, least = [], []
        for j, header in enumerate(self.columns):
            texts = [header, *(row[j] for row in self.rows)]
            lines = [line for t in texts for line in t.split("\n")]
            natural.append(max((len(line) for line in lines), default=1))
            least.append(min(LONGEST_UNBROKEN, max((len(w) for line in lines for w in line.split()), default=1)))
        return natural, least

    def __rich_console__(self, console, options):
        from rich.table import Table
        from rich.text import Text

        natural, least = self._sizes()
        overhead = 3 * len(self.columns) + 1   # a border and a space each side of every column
        if sum(least) + overhead > options.max_width:   # no table fits without cutting words: one block a row
            yield from self._blocks(console, options)
            return
        widths = fit_widths(natural, least, options.max_width - overhead)
        table = Table(title=Text(self.title) if self.title else None, show_lines=False, header_style="bold",
                      **self.table_options)
        for header, width in zip(self.columns, widths):
            table.add_column(Text(header), width=width, overflow="fold")
        for row in self.rows:
            table.add_row(*[_rich_safe(v) for v in row])
        yield from console.render(table, options.update_width(max(options.max_width, sum(widths) + overhead)))

    def _blocks(self, console, options):
        """Each row as a block: its first cell as a heading, then 'column  value' lines, wrapped between words."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        if self.title:
            yield Text(self.title, style="bold")
        key_width = max(len(c) for c in self.columns[1:]) if len(self.columns) > 1 else 0
        for i, row in enumerate(self.rows):
            if i:
                yield Text("")
            yield Text(row[0], style="bold", overflow="fold")
            block = Table(box=None, show_header=False, show_edge=False, pad_edge=True, padding=(0, 1, 0, 2))
            block.add_column(width=key_width, no_wrap=True)
            block.add_column(overflow="fold")
            for header, value in zip(self.columns[1:], row[1:]):
                if value:
                    block.add_row(Text(header), _rich_safe(value))
            yield block


def _rich_safe(text: str):
    from rich.text import Text

    return Text(text)  # never interpret data as rich markup
