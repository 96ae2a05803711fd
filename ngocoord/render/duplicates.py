"""Duplicate pairs (ngocoord.analysis.duplicates.Pair) as rows for a table, CSV or Markdown."""

from __future__ import annotations

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
    when = "at any time (periods intersect, none cancelled)" if all_time else f"active on {as_of.isoformat()}"
    kinds = {}
    for p in pairs:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    detail = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    return f"{len(pairs)} duplicate pair{'' if len(pairs) == 1 else 's'} {when}" + (f": {detail}" if detail else "")


def as_markdown(pairs, cl, with_coordinated: bool) -> str:
    columns, rows = readable_rows(pairs, cl, with_coordinated)
    rows = [[r[0].replace("\n", " / "), *r[1:]] for r in rows]
    return tabular.as_markdown(columns, rows)


class PairList(Result):
    """`duplicates`: the pairs found, for people (a summary and the first TABLE_MAX pairs) and programs."""

    def __init__(self, pairs, cl, as_of, *, all_time: bool, include_coordinated: bool):
        self.pairs, self.cl, self.as_of = pairs, cl, as_of
        self.all_time, self.include_coordinated = all_time, include_coordinated
        self.title = summary(pairs, as_of, all_time)

    def rows(self):
        return flat_rows(self.pairs, self.include_coordinated)

    def readable_rows(self):
        return readable_rows(self.pairs, self.cl, self.include_coordinated)

    def to_json(self) -> dict:
        from ngocoord.analysis.duplicates import duplicates_json

        return duplicates_json(self.pairs, None if self.all_time else self.as_of,
                               include_coordinated=self.include_coordinated)

    def as_json(self) -> list:
        return [as_json(self.to_json())]

    def as_markdown(self) -> list:
        table = as_markdown(self.pairs, self.cl, self.include_coordinated) if self.pairs else ""
        return [self.title + "\n\n" + table]

    def as_table(self) -> list:
        if not self.pairs:
            return [self.title + "\n"]
        shown = self.pairs[:TABLE_MAX]
        out = [tabular.as_table(*tabular.one_per_line(*readable_rows(shown, self.cl, self.include_coordinated)),
                                title=self.title)]
        if len(self.pairs) > len(shown):
            out.append(f"… and {len(self.pairs) - len(shown)} more pairs: use --format csv or json for all of them, "
                       "or narrow with --region / --sector\n")
        return out
