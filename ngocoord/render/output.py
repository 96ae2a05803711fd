"""The output formats of the query commands, in one registry (as check-jsonschema's REPORTER_BY_NAME).

A command builds one result and ends in `emit(result, format)` (ngocoord.cli). A result exposes
its rows (codes and ids, for programs), its readable rows (names, for people), a title and
`to_json()`; each format below turns those into output, unless the result has a method of its
own for it (`as_markdown`, `as_table`, ...). The command line's --format choices are this
registry's names, so adding a format is adding one function here.

A format gives parts: text, written as it is, or a rich renderable, which the CLI prints.
This module imports nothing heavy when loaded: the CLI reads its names at start-up.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

Part = Any  # str, or a rich renderable
Rows = tuple[Sequence[str], Sequence[Sequence[Any]]]


class Result:
    """What a query command shows. Subclasses give rows() and to_json(); the rest has defaults."""

    title: str = ""

    def rows(self) -> Rows:
        raise NotImplementedError

    def readable_rows(self) -> Rows:
        return self.rows()

    def to_json(self) -> Any:
        raise NotImplementedError


FORMATS: dict[str, Callable[[Result], list[Part]]] = {}
PROGRAM_FORMATS: list[str] = []  # the formats for programs (the rest are for people)


def output_format(name: str, *, for_programs: bool = True):
    """Register a format: a function from a result to its parts."""
    def register(fn: Callable[[Result], list[Part]]):
        FORMATS[name] = fn
        if for_programs:
            PROGRAM_FORMATS.append(name)
        return fn
    return register


def parts(result: Result, fmt: str) -> list[Part]:
    """The result in this format: by the result's own method when it has one (as_csv, ...)."""
    own = getattr(result, f"as_{fmt}", None)
    return own() if own is not None else FORMATS[fmt](result)


@output_format("table", for_programs=False)
def table_output(result: Result) -> list[Part]:
    """A terminal table of the readable rows, list cells one item a line."""
    from ngocoord.render import tabular

    return [tabular.as_table(*tabular.one_per_line(*result.readable_rows()), title=result.title)]


@output_format("json")
def json_output(result: Result) -> list[Part]:
    from ngocoord.render import tabular

    return [tabular.as_json(result.to_json())]


@output_format("csv")
def csv_output(result: Result) -> list[Part]:
    from ngocoord.render import tabular

    return [tabular.as_csv(*result.rows())]


@output_format("markdown")
def markdown_output(result: Result) -> list[Part]:
    from ngocoord.render import tabular

    return [tabular.as_markdown(*result.readable_rows())]


def format_help() -> str:
    people = [n for n in FORMATS if n not in PROGRAM_FORMATS]
    return f"{'/'.join(people)} for people, {'/'.join(PROGRAM_FORMATS)} for programs."
