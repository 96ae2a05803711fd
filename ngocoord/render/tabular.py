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
    """A table for people (printed by the CLI's console), its columns fitted to the width so that
    text wraps between words and a code or id is never broken (FitTable)."""
    return FitTable(list(columns), [[cell_text(v) for v in row] for row in rows], title)


def colours_shown() -> bool:
    """Whether the CLI's console shows colour: not in a pipe, nor with NO_COLOR set. Where it does
    not, what colour says (a gap, a thin cell) must be said in text."""
    from rich.console import Console

    console = Console(soft_wrap=False)
    return console.color_system is not None and not console.no_color


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
