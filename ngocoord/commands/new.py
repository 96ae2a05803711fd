from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from ngocoord.cli import DataOpt, add_typer, emit, fail, usage_errors

new_app = typer.Typer(help="Create a new organization or activity file, checked as lint checks it.",
                      no_args_is_help=True, rich_markup_mode=None)
add_typer(new_app, name="new")

Text = Optional[str]
Many = Optional[List[str]]


METAVARS = {"--id": "ID", "--organization": "ORG", "--partner": "ORG", "--donor": "ORG", "--member-of": "ORG",
            "--sector": "SECTOR", "--service": "SERVICE", "--population": "GROUP", "--type": "TYPE", "--status": "STATUS",
            "--start": "DATE", "--end": "DATE", "--last-reviewed": "DATE", "--source-date": "DATE", "--country": "COUNTRY",
            "--website": "URL", "--source-url": "URL", "--email": "EMAIL", "--coordinated-with": "ACTIVITY"}


def _opt(help: str, *names: str, metavar: str | None = None):
    return typer.Option(*names, help=help, show_default=False, metavar=metavar or METAVARS.get(names[0], "TEXT"))


@new_app.command("organization")
def new_organization(
    id: Annotated[Text, _opt("Id, also the file name: lowercase letters, digits, hyphens (e.g. public-aid-organization).", "--id")] = None,
    name: Annotated[Text, _opt("Full name in English.", "--name")] = None,
    acronym: Annotated[Text, _opt("Short name, e.g. NRC.", "--acronym")] = None,
    names: Annotated[Many, _opt("The name in another language, LANG=NAME (e.g. ar=...); repeatable.", "--names", metavar="LANG=NAME")] = None,
    type: Annotated[Text, _opt("Kind of organization: code or name from 'ngocoord codes org-types'.", "--type")] = None,
    country: Annotated[Text, _opt("Country of the headquarters: ISO code or name (IQ, Norway).", "--country")] = None,
    website: Annotated[Text, _opt("Web site, https://...", "--website")] = None,
    email: Annotated[Text, _opt("A role address of the organization (info@...), never a person's.", "--email")] = None,
    member_of: Annotated[Many, _opt("Network or forum it belongs to (id, acronym or name); repeatable.", "--member-of")] = None,
    last_reviewed: Annotated[Text, _opt("When the entry was checked (default: today).", "--last-reviewed")] = None,
    source_title: Annotated[Many, _opt("Title of a public source; repeatable (pairs with --source-url/--source-date/--source-supports in order).", "--source-title")] = None,
    source_url: Annotated[Many, _opt("Web address of the source with the same position.", "--source-url")] = None,
    source_date: Annotated[Many, _opt("Date of the source with the same position.", "--source-date")] = None,
    source_supports: Annotated[Many, _opt("What the source with the same position states, in your own words (at most 300 characters).", "--source-supports")] = None,
    notes: Annotated[Text, _opt("Anything else worth knowing.", "--notes")] = None,
    data: DataOpt = None,
) -> None:
    """Create data/organizations/<id>.yaml. Missing required fields are asked for in a terminal."""
    given = {"id": id, "name": name, "acronym": acronym, "names": _pairs(names), "type": type, "country": country,
             "website": website, "email": email, "member_of": member_of, "last_reviewed": last_reviewed,
             "sources": _sources(source_title, source_url, source_date, source_supports), "notes": notes}
    _create("organization", given, data)


@new_app.command("activity")
def new_activity(
    id: Annotated[Text, _opt("Id, also the file name: lowercase letters, digits, hyphens.", "--id")] = None,
    title: Annotated[Text, _opt("Short title of the activity.", "--title")] = None,
    organization: Annotated[Text, _opt("Lead organization: id, acronym or name.", "--organization")] = None,
    partner: Annotated[Many, _opt("Implementing partner organization; repeatable.", "--partner")] = None,
    donor: Annotated[Many, _opt("Funding organization; repeatable.", "--donor")] = None,
    sector: Annotated[Text, _opt("Sector: code or name from 'ngocoord codes sectors'.", "--sector")] = None,
    service: Annotated[Many, _opt("Service of that sector ('ngocoord codes services --sector S'); repeatable.", "--service")] = None,
    population: Annotated[Many, _opt("Group served ('ngocoord codes populations'); repeatable; leave out for everyone.", "--population")] = None,
    area: Annotated[Many, _opt("Where: a place code, name or alias, optionally with the site after a colon, "
                              "e.g. --area Erbil or --area 'Erbil:Erbil central prison'; repeatable.", "--area", metavar="AREA[:SITE]")] = None,
    status: Annotated[Text, _opt("planned, ongoing, completed, suspended or cancelled.", "--status")] = None,
    start: Annotated[Text, _opt("First day: YYYY-MM-DD, YYYY-MM or YYYY.", "--start")] = None,
    end: Annotated[Text, _opt("Last day: YYYY-MM-DD, YYYY-MM or YYYY.", "--end")] = None,
    targeted: Annotated[Optional[int], typer.Option("--targeted", min=0, metavar="N", help="People the activity aims to reach.", show_default=False)] = None,
    reached: Annotated[Optional[int], typer.Option("--reached", min=0, metavar="N", help="People reached so far.", show_default=False)] = None,
    counterpart: Annotated[Many, _opt("Government body worked with, by name; repeatable.", "--counterpart")] = None,
    sensitive: Annotated[bool, typer.Option("--sensitive", help="Exact places must not be published (detention, GBV, trafficking).")] = False,
    last_reviewed: Annotated[Text, _opt("When the entry was checked (default: today).", "--last-reviewed")] = None,
    source_title: Annotated[Many, _opt("Title of a public source; repeatable (pairs with --source-url/--source-date/--source-supports in order).", "--source-title")] = None,
    source_url: Annotated[Many, _opt("Web address of the source with the same position.", "--source-url")] = None,
    source_date: Annotated[Many, _opt("Date of the source with the same position.", "--source-date")] = None,
    source_supports: Annotated[Many, _opt("What the source with the same position states, in your own words (at most 300 characters).", "--source-supports")] = None,
    coordinated_with: Annotated[Many, _opt("Id of an activity whose overlap with this one is agreed; repeatable.", "--coordinated-with")] = None,
    description: Annotated[Text, _opt("What the activity does, in a few plain sentences.", "--description")] = None,
    data: DataOpt = None,
) -> None:
    """Create data/activities/<id>.yaml. Missing required fields are asked for in a terminal."""
    beneficiaries = {k: v for k, v in (("targeted", targeted), ("reached", reached)) if v is not None}
    given = {"id": id, "title": title, "organization": organization, "partners": partner, "donors": donor,
             "sector": sector, "services": service, "population": population, "locations": area, "status": status,
             "start": start, "end": end, "beneficiaries": beneficiaries, "counterparts": counterpart,
             "sensitive": sensitive, "last_reviewed": last_reviewed,
             "sources": _sources(source_title, source_url, source_date, source_supports), "coordinated_with": coordinated_with,
             "description": description}
    _create("activity", given, data)


def _pairs(values: list[str] | None) -> dict[str, str] | None:
    if not values:
        return None
    out = {}
    for v in values:
        lang, sep, name = v.partition("=")
        if not sep or not lang.strip():
            fail(f"--names '{v}': write LANG=NAME, e.g. ar=...")
        out[lang.strip()] = name
    return out


def _sources(titles, urls, dates, supports=None) -> list[dict] | None:
    titles, urls, dates, supports = titles or [], urls or [], dates or [], supports or []
    if len(urls) > len(titles) or len(dates) > len(titles) or len(supports) > len(titles):
        fail("each --source-url, --source-date and --source-supports needs a --source-title before it")
    if not titles:
        return None
    at = lambda values, i: values[i] if i < len(values) else None  # noqa: E731
    return [{"title": t, "url": at(urls, i), "date": at(dates, i), "supports": at(supports, i)} for i, t in enumerate(titles)]


def _create(kind: str, given: dict[str, Any], data: Path | None) -> None:
    from ngocoord.write import new
    from ngocoord.cli import dataset_for
    from ngocoord.load.dataset import display_path

    with usage_errors():
        ds = dataset_for(data, warn=False)
        if "_bundled" in ds.root.parts:
            fail("no dataset folder found to add to: run this inside your copy of the dataset, or pass --data DIR")
        try:
            record = new.build_record(kind, given, ds)
        except new.MissingFields as missing:
            if not sys.stdin.isatty() or missing.mistakes:   # the mistakes are said before anything is asked
                raise
            try:
                given = _ask(ds, kind, given, missing.keys)
                given = _ask_optional(kind, given)
            except (typer.Abort, EOFError):   # Ctrl-D (or Ctrl-C) at a prompt
                typer.echo("\nngocoord: stopped at your request; nothing was written", err=True)
                raise typer.Exit(1) from None
            record = new.build_record(kind, given, ds)
        created = new.create(ds, kind, record)
    for p in created.warnings:
        typer.echo(p.text(), err=True)
    emit(f"created {display_path(created.path)}\n")


def _ask(ds, kind: str, given: dict[str, Any], missing: list[str]) -> dict[str, Any]:
    """Prompt for each missing required field, showing the codelist's choices; re-ask until valid."""
    from ngocoord.write import new
    from ngocoord.problems import UsageError

    given = dict(given)
    so_far: dict[str, Any] = {}
    for key in new.KINDS[kind][1]:  # check what was given before asking anything (a mistake exits 2 here)
        if key in given and given[key] not in (None, [], {}, "", False) and key not in missing:
            so_far[key] = new.resolve(ds, key, given[key], so_far)
    for key in missing:
        shown = new.choices(ds, kind, key, so_far)
        if shown:
            label = new.option_name(key)[2:]
            typer.echo(f"\n{label}: choose one of" if key not in new.ANSWER else f"\n{label}: choose one or more of")
            width = max(len(code) for code, _ in shown)
            for code, label in shown:
                typer.echo(f"  {code.ljust(width)}  {label}".rstrip())
        hint = {"locations": " (place code, name or alias, or a district from 'ngocoord codes areas'; "
                             "add :site for the exact place; several separated by ',')",
                "id": ""}.get(key, " (several separated by ',')" if key in new.ANSWER else "")
        default = None
        if key == "id":
            base = given.get("name") or given.get("title")
            default = new.suggested_id(base) if base else None
        while True:
            answer = typer.prompt(f"{new.option_name(key)[2:]}{hint}", default=default, show_default=bool(default))
            value = new.ANSWER.get(key, str.strip)(answer)
            try:
                so_far[key] = new.resolve(ds, key, value, so_far)
            except UsageError as e:
                typer.echo(f"  {e}", err=True)
                continue
            given[key] = value
            break
    return given


def _prompt_valid(question: str, check) -> str:
    """An optional answer, asked again until `check` accepts it (or it is left empty)."""
    from ngocoord.problems import UsageError

    while True:
        answer = typer.prompt(question, default="", show_default=False).strip()
        if not answer:
            return ""
        try:
            check(answer)
        except UsageError as e:
            typer.echo(f"  {e}", err=True)
            continue
        return answer


def _ask_optional(kind: str, given: dict[str, Any]) -> dict[str, Any]:
    """After the required fields: whether an activity is sensitive, and the public sources the record
    rests on (the dataset keeps only sourced records), unless the options gave them."""
    from ngocoord.write import new

    given = dict(given)
    if kind == "activity" and not given.get("sensitive"):
        given["sensitive"] = typer.confirm("sensitive: must its exact places stay unpublished "
                                           "(detention, GBV, trafficking)?", default=False)
    if not given.get("sources"):
        sources = []
        while True:
            which = "another source" if sources else "source"
            title = typer.prompt(f"{which}: title of a public source the record rests on (empty: "
                                 f"{'no more' if sources else 'none'})", default="", show_default=False).strip()
            if not title:
                break
            link = _prompt_valid("  its web address (empty: none)", lambda v: new.url(v, "--source-url"))
            date = _prompt_valid("  its date, YYYY-MM-DD, YYYY-MM or YYYY (empty: none)", lambda v: new.day(v, "--source-date"))
            sources.append({"title": title, "url": link or None, "date": date or None})
        given["sources"] = sources or None
    return given
