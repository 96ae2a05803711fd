"""The command line: parse options, call one library function, render its result.

Heavy modules (jsonschema, rich tables, rapidfuzz) are imported inside commands, so that
`ngocoord --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ngocoord.problems import UsageError
from ngocoord.render import output

_app = typer.Typer(
    name="ngocoord",
    help="Who does what where, and where nobody does: query, lint and report on the NGO coordination dataset.",
    no_args_is_help=True,
    add_completion=True,   # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["--help", "-h"]},
)


def _show_version(asked: bool) -> None:
    if asked:
        from ngocoord import __version__

        typer.echo(f"ngocoord {__version__}")
        raise typer.Exit()


@_app.callback()
def _group(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_show_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    # a callback keeps the app a group of commands even when a run registers only one (typer runs
    # a lone command as the whole program otherwise: 'ngocoord gaps' would reject 'gaps')
    pass


# what command modules register with (they never import `app`, which would register them all)
command = _app.command
add_typer = _app.add_typer

DataOpt = Annotated[Optional[Path], typer.Option("--data", help="Dataset folder (with organizations/, activities/, codelists/). Default: $NGOCOORD_DATA, the nearest data/ folder, or the bundled dataset.", show_default=False)]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="Day the analysis is for, YYYY-MM-DD (default: today).", show_default=False)]


# the query commands' --format choices: the names of the output registry (ngocoord.render.output)
TableFormat = Enum("TableFormat", {name: name for name in output.FORMATS}, type=str)
FormatOpt = Annotated[TableFormat, typer.Option("--format", help=output.format_help())]


def fail(message: str) -> None:
    """A usage error: one line on stderr, exit 2."""
    typer.echo(f"ngocoord: error: {message}", err=True)
    raise typer.Exit(2)


@contextmanager
def usage_errors():
    try:
        yield
    except UsageError as e:
        fail(str(e))


def parse_day(text: str | None, option: str = "--as-of") -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date: write YYYY-MM-DD") from None


def dataset_for(data: Path | None, as_of: str | None = None, *, warn: bool = True):
    """The dataset's valid records for an analysis command; bad files are skipped with one warning."""
    from ngocoord.load.dataset import find_data_dir, load_dataset

    day = parse_day(as_of)
    ref = at_ref()
    if ref is None:
        ds = load_dataset(find_data_dir(data), as_of=day)
    else:  # --at REF: the dataset as it was at that commit, from git's objects
        from ngocoord.load.gitdata import dataset_at

        ds = dataset_at(find_data_dir(data), ref, as_of=day)
    if warn:
        skipped = ds.invalid_files()
        if skipped:
            typer.echo(f"warning: {skipped} file{'s' if skipped > 1 else ''} could not be loaded and "
                       f"{'were' if skipped > 1 else 'was'} skipped; run 'ngocoord lint' for details", err=True)
    return ds


def emit(result, format: str | Enum | None = None) -> None:
    """Write a result in a format of the output registry (ngocoord.render.output); without a
    format, `result` is text, written as it is."""
    if format is None:
        sys.stdout.write(result)
        return
    for part in output.parts(result, format.value if isinstance(format, Enum) else format):
        if isinstance(part, str):
            sys.stdout.write(part)
        else:
            print_rich(part)


def print_rich(renderable) -> None:
    from rich.console import Console

    Console(soft_wrap=False).print(renderable, crop=False)   # a table wider than the terminal is never cut


def main() -> None:
    # A command lives for a second and builds large acyclic data (records, pairs), freed by reference
    # counting; the cycle collector would walk it again and again and find nothing. The few cycles a
    # run makes (click contexts, exceptions) go with the process.
    gc.disable()
    _register_commands(_invoked(sys.argv[1:]))
    try:
        _app()
    except KeyboardInterrupt:
        typer.echo("ngocoord: interrupted", err=True)
        sys.exit(130)
    except Exception as e:  # a bug: say so in one line, never a traceback
        typer.echo(f"ngocoord: internal error ({type(e).__name__}: {e}); please report it", err=True)
        sys.exit(3)


_registered: set[str] = set()


def _command_modules() -> list[str]:
    import pkgutil

    import ngocoord.commands as commands

    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))


def _invoked(args: list[str]) -> list[str] | None:
    """The one command module a command line needs (`ngocoord gaps ...` needs commands/gaps.py),
    or None for all of them (--help, no command, or a name that is not a command)."""
    name = next((a for a in args if not a.startswith("-")), None)
    module = {"import": "import_3w"}.get(name, name)
    return [module] if module in _command_modules() else None


def _register_commands(modules: list[str] | None = None) -> None:
    """Each module of ngocoord.commands adds its command(s) to the app when imported. A run imports
    only the module of its command: importing and building all of them cost 25 ms of each run."""
    import importlib

    for name in _command_modules() if modules is None else modules:
        if name not in _registered:
            importlib.import_module(f"ngocoord.commands.{name}")
            _registered.add(name)
    _add_no_cache(_app)
    _add_at(_app)


def __getattr__(name: str):
    """`app`, with every command: what tests and other programs use (the command line uses _app)."""
    if name == "app":
        _register_commands()
        return _app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache of parsed files (in $XDG_CACHE_HOME/ngocoord).")]


def _add_no_cache(group: typer.Typer) -> None:
    """Give every command --no-cache without each command declaring it: the option sets
    NGOCOORD_NO_CACHE (read by ngocoord.load.cache) for the time the command runs."""
    for info in group.registered_commands:
        if info.callback is not None:
            info.callback = _with_no_cache(info.callback)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _add_no_cache(sub.typer_instance)


def _with_no_cache(fn):
    import functools
    import inspect
    import os

    signature = inspect.signature(fn, eval_str=True)
    if "no_cache" in signature.parameters:
        return fn

    @functools.wraps(fn)
    def command(*args, no_cache: bool = False, **kwargs):
        if not no_cache:
            return fn(*args, **kwargs)
        before = os.environ.get("NGOCOORD_NO_CACHE")
        os.environ["NGOCOORD_NO_CACHE"] = "1"
        try:
            return fn(*args, **kwargs)
        finally:
            if before is None:
                os.environ.pop("NGOCOORD_NO_CACHE", None)
            else:
                os.environ["NGOCOORD_NO_CACHE"] = before

    extra = inspect.Parameter("no_cache", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=NoCacheOpt)
    command.__signature__ = signature.replace(parameters=[*signature.parameters.values(), extra])
    command.__annotations__ = {**fn.__annotations__, "no_cache": NoCacheOpt}
    return command



# Commands that only read the dataset take --at REF (SPEC, *What changed*); those that write it
# (new, import, fmt) work on the files as they are, and diff and history name their commits.
READS_DATASET = frozenset({"gaps", "duplicates", "report", "export", "orgs", "activities", "show", "codes", "lint"})
AtOpt = Annotated[Optional[str], typer.Option("--at", metavar="REF", help="Read the dataset as it was at this git commit (branch, tag or id), from git's objects; nothing is checked out.", show_default=False)]
_at: ContextVar[str | None] = ContextVar("ngocoord_at", default=None)


def at_ref() -> str | None:
    """The commit given with --at for the command running, or None (the files as they are)."""
    return _at.get()


WRITES_DATASET = frozenset({"update-areas"})  # subcommands of a reading group that write


def _add_at(group: typer.Typer, whole: bool = False) -> None:
    for info in group.registered_commands:
        name = info.name or (info.callback.__name__ if info.callback else None)
        if info.callback is not None and (name in READS_DATASET or whole) and name not in WRITES_DATASET:
            info.callback = _with_at(info.callback)
    for sub in group.registered_groups:
        name = sub.name or (sub.typer_instance.info.name if sub.typer_instance else None)
        if sub.typer_instance is not None and name in READS_DATASET:
            _add_at(sub.typer_instance, whole=True)


def _with_at(fn):
    import functools
    import inspect

    signature = inspect.signature(fn, eval_str=True)
    if "at" in signature.parameters:
        return fn

    @functools.wraps(fn)
    def command(*args, at: str | None = None, **kwargs):
        token = _at.set(at)
        try:
            return fn(*args, **kwargs)
        finally:
            _at.reset(token)

    extra = inspect.Parameter("at", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=AtOpt)
    command.__signature__ = signature.replace(parameters=[*signature.parameters.values(), extra])
    command.__annotations__ = {**fn.__annotations__, "at": AtOpt}
    return command
