"""A coverage matrix (ngocoord.analysis.gaps.Coverage) for people (rich), spreadsheets (CSV) and Markdown."""

from __future__ import annotations

from ngocoord.render import tabular
from ngocoord.render.output import Result

GAP_STYLE = "bold white on red"
THIN_STYLE = "black on yellow"
STALE_STYLE = "italic"
# marks written after a count, so that a cell reads right without colour (NO_COLOR, a pipe, a printout)
TEXT_MARKS = {"gap": "!", "thin": "~"}
STALE_MARK = "?"
NAMED_COLUMNS_MAX = 6  # beyond this, columns are numbered and named in a key below, so the matrix fits a terminal


def _marks(cov) -> dict[tuple[str, str], str]:
    marks = {cell: "gap" for cell in cov.gaps}
    marks.update({cell: "thin" for cell in cov.thin})
    return marks


def _label(mark: str | None, stale: bool) -> str:
    """' (thin, stale)', ' (gap)', ' (stale)' or ''."""
    words = [w for w in (mark, "stale" if stale else None) if w]
    return f" ({', '.join(words)})" if words else ""


def header(cov, place_name: str, sector_name: str | None = None) -> str:
    what = f"services of {sector_name or cov.sector}" if cov.sector else "sectors"
    level = {1: "governorates", 2: "districts"}.get(cov.level, f"level-{cov.level} areas")
    return f"Coverage of {place_name} by {level} and {what} on {cov.as_of.isoformat()} (organizations delivering)"


def _cells(n: int) -> str:
    return f"{n} cell" if n == 1 else f"{n} cells"


def stale_words(cov) -> str:
    return f"only records reviewed over a year before {cov.as_of.isoformat()} ({_cells(len(cov.stale))})"


def stale_text(cov) -> str:
    return "stale: " + stale_words(cov)


def legend(cov) -> str:
    below = "0" if cov.min_orgs == 1 else f"fewer than {cov.min_orgs}"
    return (f"gap: {below} organizations ({_cells(len(cov.gaps))})   "
            f"thin: exactly {cov.min_orgs} ({_cells(len(cov.thin))})   " + stale_text(cov))


def unlocated_line(cov) -> str:
    finer = {1: "a governorate", 2: "a district"}.get(cov.level, f"a level-{cov.level} area")
    if not cov.unlocated:
        return "unlocated: none"
    return (f"unlocated ({len(cov.unlocated)}, located only at a coarser level than {finer}, counted in no cell): "
            + ", ".join(cov.unlocated))


def unspecified_line(cov) -> str:
    """Sector-level activities, counted in no service column (only for a matrix of services)."""
    if cov.sector is None:
        return ""
    n = len(cov.unspecified)
    if not n:
        return "sector level only: none"
    return (f"sector level only: {n} active {'activity names' if n == 1 else 'activities name'} no service "
            "and count in no service column (their ids: --format json, 'unspecified')")


def rows(cov, marked: bool = False) -> tuple[list[str], list[list]]:
    marks = _marks(cov) if marked else {}
    stale = set(cov.stale) if marked else set()
    columns = ["area", "name", *cov.columns]
    out = []
    for r in cov.rows:
        cells = []
        for c in cov.columns:
            label = _label(marks.get((r.area, c)), (r.area, c) in stale)
            cells.append(f"{r.counts[c]}{label}" if label else r.counts[c])
        out.append([r.area, r.name, *cells])
    return columns, out


def as_csv(cov) -> str:
    return tabular.as_csv(*rows(cov))


def as_markdown(cov, place_name: str, sector_name: str | None = None) -> str:
    text = f"**{tabular.md_escape(header(cov, place_name, sector_name))}**\n\n" + tabular.as_markdown(*rows(cov, marked=True))
    text += f"\n{tabular.md_escape(legend(cov))}\n\n{tabular.md_escape(unlocated_line(cov))}\n"
    return text + (f"\n{tabular.md_escape(unspecified_line(cov))}\n" if cov.sector else "")


def as_table(cov, place_name: str, sector_name: str | None = None, *, text_marks: bool = False):
    """A rich renderable: the matrix with gaps red and thin cells yellow, stale counts marked `?`, a
    legend and the unlocated activities. `text_marks`: mark gaps `!` and thin cells `~` too, for
    output without colour.

    The longer of the two dimensions runs down the page, so that 13 sectors by 3 governorates still
    fits a terminal (JSON, CSV and Markdown keep areas as rows)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    marks = _marks(cov)
    stale = set(cov.stale)

    def cell(area: str, column: str, count: int):
        mark = marks.get((area, column))
        text = str(count) + (TEXT_MARKS[mark] if text_marks and mark else "") + (STALE_MARK if (area, column) in stale else "")
        style = GAP_STYLE if mark == "gap" else THIN_STYLE if mark == "thin" else STALE_STYLE if (area, column) in stale else ""
        return Text(text, style=style)

    table = Table(title=Text(header(cov, place_name, sector_name)), header_style="bold", box=box.SIMPLE_HEAVY)
    parts = [table]
    if len(cov.columns) > len(cov.rows):
        table.add_column("sector" if cov.sector is None else "service", overflow="fold")
        for r in cov.rows:
            table.add_column(Text(r.name), justify="right", overflow="fold")
        for c in cov.columns:
            table.add_row(Text(cov.column_names.get(c, c)), *[cell(r.area, c, r.counts[c]) for r in cov.rows])
    else:
        numbered = len(cov.columns) > NAMED_COLUMNS_MAX
        table.add_column("area", no_wrap=True)
        cells = [[cell(r.area, c, r.counts[c]) for c in cov.columns] for r in cov.rows]
        for i, c in enumerate(cov.columns, 1):
            widest = max([len(row[i - 1].plain) for row in cells], default=1)  # a count and its marks are never cut
            table.add_column(Text(str(i) if numbered else c), justify="right", overflow="fold", no_wrap=numbered,
                             min_width=max(widest, len(str(i))) if numbered else None)
        for r, row in zip(cov.rows, cells):
            table.add_row(Text(r.name), *row)
        if numbered:
            from rich.columns import Columns

            parts.append(Columns([Text(f"{i} {cov.column_names.get(c, c)}") for i, c in enumerate(cov.columns, 1)],
                                 padding=(0, 3)))
    key = Text()
    key.append(" gap" + (f" {TEXT_MARKS['gap']}" if text_marks else "") + " ", style=GAP_STYLE)
    key.append(f" {'0' if cov.min_orgs == 1 else f'fewer than {cov.min_orgs}'} organizations ({_cells(len(cov.gaps))})   ")
    key.append(" thin" + (f" {TEXT_MARKS['thin']}" if text_marks else "") + " ", style=THIN_STYLE)
    key.append(f" exactly {cov.min_orgs} ({_cells(len(cov.thin))})")
    stale_key = Text()
    stale_key.append(f" stale {STALE_MARK} ", style=STALE_STYLE + " bold")
    stale_key.append(" " + stale_words(cov))
    return Group(*parts, key, stale_key, Text(unlocated_line(cov)), *([Text(unspecified_line(cov))] if cov.sector else []))


class CoverageView(Result):
    """`gaps`: the coverage matrix of one place, with its name (and the sector's, for services)."""

    def __init__(self, cov, place_name: str, sector_name: str | None = None):
        self.cov, self.place_name, self.sector_name = cov, place_name, sector_name
        self.title = header(cov, place_name, sector_name)

    def rows(self):
        return rows(self.cov)

    def to_json(self) -> dict:
        return self.cov.to_json()

    def as_markdown(self) -> list:
        return [as_markdown(self.cov, self.place_name, self.sector_name)]

    def as_table(self) -> list:
        from ngocoord.render.tabular import colours_shown

        return [as_table(self.cov, self.place_name, self.sector_name, text_marks=not colours_shown())]
