"""Duplicate pairs (ngocoord.analysis.duplicates.Pair) as rows for a table, CSV or Markdown."""

from __future__ import annotations

import re

from ngocoord.render import tabular
from ngocoord.render.output import Result

TABLE_MAX = 25  # two lines a pair: a screenful; CSV and JSON always hold every pair


def _period(pair) -> str:
    start = pair.start.isoformat() if pair.start else "…"
    end = pair.end.isoformat() if pair.end else "…"
    return "open" if pair.start is None and pair.end is None else f"{start} – {end}"


def _populations(pair) -> str:
    return ", ".join(pair.populations) if pair.populations else "(general population)"


def as_json(payload: dict) -> str:
    """The SPEC's JSON, one pair a line: valid JSON, readable, and written by the C encoder (an indented
    dump goes through the pure-Python one, ten times slower on the tens of thousands of pairs a big dataset has)."""
    import json

    head = {k: v for k, v in payload.items() if k != "pairs"}
    lines = ",\n".join("    " + json.dumps(p, ensure_ascii=False) for p in payload["pairs"])
    fields = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items()]
    fields.append('  "pairs": [' + (f"\n{lines}\n  ]" if lines else "]"))
    return "{\n" + ",\n".join(fields) + "\n}\n"


def flat_rows(pairs, with_coordinated: bool) -> tuple[list[str], list[list]]:
    """One row per pair, codes and ids only: for CSV and programs."""
    columns = ["activity_a", "activity_b", "organization_a", "organization_b", "kind", "services", "populations",
               "areas", "start", "end"] + (["coordinated"] if with_coordinated else [])
    rows = [[p.a.id, p.b.id, p.a.organization, p.b.organization, p.kind, list(p.services), list(p.populations),
             list(p.areas), p.start.isoformat() if p.start else "", p.end.isoformat() if p.end else ""]
            + ([p.coordinated] if with_coordinated else []) for p in pairs]
    return columns, rows


def readable_rows(pairs, cl, with_coordinated: bool) -> tuple[list[str], list[list]]:
    """One row per pair for people: both activities with their lead organizations, area names."""
    columns = ["activities (lead organization)", "kind", "services", "populations", "where", "period"] + (
        ["coordinated"] if with_coordinated else [])
    rows = []
    for p in pairs:
        place = [f"{cl.place(a).name} ({a})" if cl.place(a) else a for a in p.areas]
        rows.append([f"{p.a.id} ({p.a.organization})\n{p.b.id} ({p.b.organization})", p.kind, list(p.services),
                     _populations(p), place, _period(p)] + ([p.coordinated] if with_coordinated else []))
    return columns, rows


def summary(pairs, as_of, all_time: bool) -> str:
    kinds: dict[str, int] = {}
    for p in pairs:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    return summary_of(kinds, as_of, all_time)


def summary_of(kinds: dict[str, int], as_of, all_time: bool) -> str:
    """'N duplicate pairs active on D: n kind, …' from the count of each kind."""
    when = "at any time (periods intersect, none cancelled)" if all_time else f"active on {as_of.isoformat()}"
    total = sum(kinds.values())
    detail = ", ".join(f"{n:,} {k}" for k, n in sorted(kinds.items()))
    return f"{total:,} duplicate pair{'' if total == 1 else 's'} {when}" + (f": {detail}" if detail else "")


def as_markdown(pairs, cl, with_coordinated: bool) -> str:
    columns, rows = readable_rows(pairs, cl, with_coordinated)
    rows = [[r[0].replace("\n", " / "), *r[1:]] for r in rows]
    return tabular.as_markdown(columns, rows)


class _Lines:
    """Output lines for a block of pairs (analysis.duplicates.duplicate_blocks). A block of copies
    (one group, none coordinated) holds pairs that differ only in the second id, and those ids are
    plain slugs: its first line is made, and the others are that line with another id, joined in
    one step; rendering 4.5 million pairs one by one took longer than finding them. Any other block
    is rendered pair by pair."""

    def __init__(self, render_one, before_b):
        self.render_one, self.before_b = render_one, before_b  # before_b(a): what a line holds before b's id

    def lines(self, a, shape, others, coordinated) -> str:
        from ngocoord.analysis.duplicates import NOT_COORDINATED, Pair

        first = Pair(a, others[0], *shape, False, shape)
        if coordinated is NOT_COORDINATED and len(others) > 1:
            ids = [b.id for b in others]
            full, pre = self.render_one(first), self.before_b(a)
            if _SLUGS.fullmatch("\n".join([a.id, *ids])) and full.startswith(pre + ids[0]):
                rest = full[len(pre) + len(ids[0]):]
                return pre + (rest + pre).join(ids) + rest
        return "".join(self.render_one(Pair(a, b, *shape, flag, shape)) for b, flag in zip(others, coordinated))


_SLUGS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:\n[a-z0-9]+(?:-[a-z0-9]+)*)*")


class PairList(Result):
    """`duplicates`: the pairs found, for people (a summary and the first TABLE_MAX pairs) and programs.
    `pairs` is a list of pairs, or a function that gives them afresh as blocks (duplicate_blocks):
    then every format streams them, holding none."""

    def __init__(self, pairs, cl, as_of, *, all_time: bool, include_coordinated: bool):
        self._pairs, self.cl, self.as_of = pairs, cl, as_of
        self.all_time, self.include_coordinated = all_time, include_coordinated
        self._title = None

    def _blocks(self):
        if callable(self._pairs):
            yield from self._pairs()
            return
        for p in self._pairs:
            yield p.a, (p.kind, p.services, p.populations, p.areas, p.start, p.end), [p.b], [p.coordinated]

    @property
    def pairs(self):
        from ngocoord.analysis.duplicates import Pair

        for a, shape, others, coordinated in self._blocks():
            for b, flag in zip(others, coordinated):
                yield Pair(a, b, *shape, flag, shape)

    @property
    def title(self) -> str:
        if self._title is None:
            kinds: dict[str, int] = {}
            for _, shape, others, _ in self._blocks():
                kinds[shape[0]] = kinds.get(shape[0], 0) + len(others)
            self._title = summary_of(kinds, self.as_of, self.all_time)
        return self._title

    def rows(self):
        return flat_rows(list(self.pairs), self.include_coordinated)

    def readable_rows(self):
        return readable_rows(list(self.pairs), self.cl, self.include_coordinated)

    def to_json(self) -> dict:
        from ngocoord.analysis.duplicates import duplicates_json

        return duplicates_json(list(self.pairs), None if self.all_time else self.as_of,
                               include_coordinated=self.include_coordinated)

    def as_json(self):
        import json

        from ngocoord.analysis.duplicates import _iso

        flag = self.include_coordinated
        yield "{\n" + f'  "as_of": {json.dumps(_iso(None if self.all_time else self.as_of))},\n' + '  "pairs": ['
        lines = _Lines(lambda p: ",\n    " + json.dumps(p.to_json(flag), ensure_ascii=False),
                       lambda a: f',\n    {{"activities": ["{a.id}", "')
        first = True
        for block in self._blocks():
            text = lines.lines(*block)
            yield text[1:] if first else text
            first = False
        yield "]\n}\n" if first else "\n  ]\n}\n"

    def as_csv(self):
        columns, _ = flat_rows([], self.include_coordinated)
        yield tabular.as_csv(columns, [])
        lines = _Lines(lambda p: tabular.as_csv(columns, flat_rows([p], self.include_coordinated)[1]).split("\n", 1)[1],
                       lambda a: f"{a.id},")
        for block in self._blocks():
            yield lines.lines(*block)

    def as_markdown(self):
        yield self.title + "\n\n"
        columns, _ = readable_rows([], self.cl, self.include_coordinated)
        started = False
        lines = _Lines(lambda p: as_markdown([p], self.cl, self.include_coordinated).split("\n")[2] + "\n",
                       lambda a: f"| {a.id} ({a.organization}) / ")
        for block in self._blocks():
            if not started:
                yield "\n".join(tabular.as_markdown(columns, []).split("\n")[:2]) + "\n"
                started = True
            yield lines.lines(*block)

    def as_table(self) -> list:
        kinds: dict[str, int] = {}
        shown = []
        for a, shape, others, coordinated in self._blocks():
            kinds[shape[0]] = kinds.get(shape[0], 0) + len(others)
            if len(shown) < TABLE_MAX:
                from ngocoord.analysis.duplicates import Pair

                shown += [Pair(a, b, *shape, flag, shape) for b, flag in zip(others[:TABLE_MAX], coordinated)]
        shown = shown[:TABLE_MAX]
        total = sum(kinds.values())
        self._title = summary_of(kinds, self.as_of, self.all_time)
        if not total:
            return [self.title + "\n"]
        out = [tabular.as_table(*tabular.one_per_line(*readable_rows(shown, self.cl, self.include_coordinated)),
                                title=self.title)]
        if total > len(shown):
            out.append(f"… and {total - len(shown):,} more pairs: use --format csv or json for all of them, "
                       "or narrow with --region / --sector\n")
        return out


def _chunks(pairs, size: int = 4096):
    """The pairs in lists of `size`: written a chunk at a time, not a line at a time."""
    chunk = []
    for p in pairs:
        chunk.append(p)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
