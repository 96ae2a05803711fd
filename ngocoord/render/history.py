"""Coverage over time (ngocoord.analysis.history.Period) as a table, CSV, JSON, and a small SVG chart."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from html import escape

from ngocoord.render import tabular
from ngocoord.render.output import Result

COLUMNS = ["period end", "commit", "active activities", "organizations", "gap cells", "thin cells", "covered cells",
           "duplicate pairs"]


def rows(periods) -> list[list]:
    return [[p.end.isoformat(), p.commit[:12], p.activities, p.organizations, p.gaps, p.thin, p.covered, p.pairs]
            for p in periods]


def title(history) -> str:
    sector = f", {history.sector}" if history.sector else ""
    return (f"Coverage of {history.region_name} ({history.region}{sector}) at the end of each {history.every}, "
            "from the dataset's git history")


class HistoryResult(Result):
    """history.History for the output registry (render.output): table, csv, json, markdown."""

    def __init__(self, history):
        self.history = history
        self.title = title(history)

    def rows(self):
        return COLUMNS, rows(self.history.periods)

    def to_json(self) -> dict:
        return self.history.to_json()


@contextmanager
def progress():
    """A progress bar on stderr when it is a terminal; silent in pipes and CI."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading the history", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def gaps_chart(periods, *, width: int = 480, height: int = 140) -> str:
    """An inline SVG line chart of gap cells at each period's end; '' with fewer than one period."""
    if not periods:
        return ""
    left, right, top, bottom = 36, 12, 12, 28
    top_value = max(max(p.gaps for p in periods), 1)
    span = max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / span if len(periods) > 1 else 0.5)

    def y(v: int) -> float:
        return top + (height - top - bottom) * (1 - v / top_value)

    points = " ".join(f"{x(i):.1f},{y(p.gaps):.1f}" for i, p in enumerate(periods))
    first, last = periods[0], periods[-1]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(f"Gap cells from {first.end.isoformat()} to {last.end.isoformat()}")}">',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{y(top_value) + 4:.1f}" font-size="11" text-anchor="end">{top_value}</text>',
        f'<text x="{left - 6}" y="{y(0) + 4:.1f}" font-size="11" text-anchor="end">0</text>',
        f'<polyline fill="none" stroke="#c0392b" stroke-width="2" points="{points}"/>',
    ]
    for i, p in enumerate(periods):
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(p.gaps):.1f}" r="3" fill="#c0392b">'
                     f'<title>{escape(f"{p.end.isoformat()}: {p.gaps} gap cells (commit {p.commit[:12]})")}</title></circle>')
    parts += [f'<text x="{x(0):.1f}" y="{height - 8}" font-size="11">{escape(first.end.isoformat())}</text>',
              f'<text x="{x(len(periods) - 1):.1f}" y="{height - 8}" font-size="11" text-anchor="end">'
              f'{escape(last.end.isoformat())}</text>', "</svg>"]
    return "".join(parts)
