"""The dataset's past, from git: two states compared (`diff`), and coverage over time (`history`).

Every state is read from git's objects through ngocoord.load.gitdata, so each distinct file version
is parsed once (cached under its blob id), and nothing in the work tree is touched. Counts are
made in the published view (ngocoord.domain.published), as every published figure is.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ngocoord.problems import UsageError

PERIODS = ("month", "quarter", "year")


def _default_region(cl) -> str:
    from ngocoord.domain.regions import default_region

    return default_region(cl)


def compare_states(data: Path | None, base: str | None, head: str | None, *, region: str | None = None,
                   sector: str | None = None, level: int = 1, as_of: dt.date):
    """(what changed from BASE to HEAD, the region's name). BASE defaults to the merge base of HEAD
    with the default branch; HEAD to the working tree as it is."""
    from ngocoord.analysis.whatchanged import compare
    from ngocoord.load.dataset import find_data_dir, load_dataset
    from ngocoord.load.gitdata import GitData

    root = find_data_dir(data)
    states = GitData(root, what="diff")
    try:
        repo = states.repo
        base_commit = states.commit(base) if base else repo.merge_base(repo.default_branch(), "HEAD")
        head_commit = states.commit(head) if head else None
        old = states.dataset(base_commit, as_of=as_of)
        new = states.dataset(head_commit, as_of=as_of) if head_commit else load_dataset(root, as_of=as_of)
    finally:
        states.close()
    cl = new.codelists
    place = cl.resolve_place(region) if region else _default_region(cl)
    sector_code = cl.resolve("sectors", sector) if sector else None
    if level == 2 and not cl.areas_within(place, 2):
        raise UsageError(f"there are no districts within {cl.place(place).name} ({place})")
    change = compare(old, new, region=place, as_of=as_of, level=level, sector=sector_code, base=base_commit,
                     head=head_commit)
    return change, cl.place(place).name


@dataclass(slots=True)
class Period:
    end: dt.date            # the period's last day (or --to), the day the counts are for
    commit: str             # the last commit on or before it
    activities: int         # active on `end`, with a location within the region (and in the sector)
    organizations: int      # their delivering organizations
    gaps: int
    thin: int
    covered: int
    pairs: int              # duplicate pairs meeting within the region

    def to_json(self) -> dict:
        return {"end": self.end.isoformat(), "commit": self.commit, "activities": self.activities,
                "organizations": self.organizations, "gaps": self.gaps, "thin": self.thin, "covered": self.covered,
                "duplicate_pairs": self.pairs}


@dataclass(slots=True)
class History:
    periods: list[Period]
    region: str
    region_name: str
    sector: str | None
    every: str

    def to_json(self) -> dict:
        return {"region": self.region, "sector": self.sector, "every": self.every,
                "periods": [p.to_json() for p in self.periods]}


def period_ends(start: dt.date, stop: dt.date, every: str) -> list[dt.date]:
    """The last day of each month, quarter or year from `start`'s to `stop`'s; the last one is `stop`
    itself when its period has not ended by then."""
    if every not in PERIODS:
        raise UsageError(f"--every {every!r}: choose one of {', '.join(PERIODS)}")
    step = {"month": 1, "quarter": 3, "year": 12}[every]
    month = start.month if every == "month" else (start.month - 1) // 3 * 3 + 1 if every == "quarter" else 1
    year, ends = start.year, []
    while True:
        last_month = month + step - 1
        end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        ends.append(min(end, stop))
        if end >= stop:
            return ends
        month += step
        if month > 12:
            month, year = month - 12, year + 1


def _commit_day(seconds: int) -> dt.date:
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).date()


class Timeline:
    """The dataset's states along HEAD's first-parent history (a merge counts when it lands)."""

    def __init__(self, root: Path, what: str = "history", rev: str = "HEAD"):
        from ngocoord.load.gitdata import GitData

        self.states = GitData(root, what=what)
        self.commits = [(c, _commit_day(t)) for c, t in self.states.repo.history(rev, self.states.prefix)]
        self._datasets: dict[str, object] = {}

    def first_day(self) -> dt.date | None:
        return min(day for _, day in self.commits) if self.commits else None

    def commit_on(self, day: dt.date) -> str | None:
        """The last commit on or before `day` (commits listed newest first)."""
        for commit, committed in self.commits:
            if committed <= day:
                return commit
        return None

    def dataset(self, commit: str):
        if commit not in self._datasets:
            self._datasets.clear()  # periods ask in order: one state is kept at a time
            self._datasets[commit] = self.states.dataset(commit)
        return self._datasets[commit]

    def close(self) -> None:
        self.states.close()


class PairCounter:
    """Duplicate pairs per period, counted from the previous period's: a pair of two activities
    whose records and whose being active are the same on both days is a pair on both or on neither,
    so only pairs holding an activity that changed either way are looked at again."""

    def __init__(self):
        self.previous = None  # (view, day, place, sector, count)

    def count(self, view, place: str, sector: str | None, day: dt.date) -> int:
        from ngocoord.analysis.duplicates import find_duplicates
        from ngocoord.analysis.whatchanged import INCREMENTAL_SHARE, pairs_involving
        from ngocoord.model import active_on

        before = self.previous
        count = None
        if before is not None and before[0].codelists is view.codelists and before[2:4] == (place, sector):
            old, old_day = before[0].activities, before[1]
            new = view.activities
            touched, limit = set(), INCREMENTAL_SHARE * len(new)
            for i in old.keys() | new.keys():
                a, b = old.get(i), new.get(i)
                if a is None or b is None or (a is not b and a != b) or active_on(a, old_day) != active_on(b, day):
                    touched.add(i)
                    if len(touched) > limit:
                        break
            if len(touched) <= limit:
                count = (before[4] - len(pairs_involving(before[0], touched, region=place, as_of=old_day, sector=sector))
                         + len(pairs_involving(view, touched, region=place, as_of=day, sector=sector)))
        if count is None:
            count = len(find_duplicates(view, region=place, sector=sector, as_of=day))
        self.previous = (view, day, place, sector, count)
        return count


def measure(ds, region: str | None, sector: str | None, day: dt.date, commit: str, level: int = 1,
            pairs: PairCounter | None = None) -> Period:
    """The period's counts on the published view of `ds` as of `day`."""
    from ngocoord.analysis.gaps import coverage
    from ngocoord.domain.published import published_view
    from ngocoord.model import active_on, delivering_orgs

    view = published_view(ds)
    cl = view.codelists
    place = region if region is not None else _default_region(cl)
    if not cl.is_place(place) or (sector is not None and sector not in cl.sectors):
        return Period(day, commit, 0, 0, 0, 0, 0, 0)
    active = [a for a in view.activities.values()
              if active_on(a, day) and (sector is None or a.sector == sector)
              and any(cl.lies_within(loc.area, place) for loc in a.locations)]
    orgs = {o for a in active for o in delivering_orgs(a)}
    gaps = thin = covered = 0
    if cl.areas_within(place, level):
        cov = coverage(view, place, sector=sector, level=level, as_of=day)
        cells = len(cov.rows) * len(cov.columns)
        gaps, thin = len(cov.gaps), len(cov.thin)
        covered = cells - gaps - thin
    count = (pairs or PairCounter()).count(view, place, sector, day)
    return Period(day, commit, len(active), len(orgs), gaps, thin, covered, count)


def history(data: Path | None, *, region: str | None = None, sector: str | None = None, start: dt.date | None = None,
            stop: dt.date | None = None, every: str = "month", progress=None) -> "History":
    """One Period per period end: the dataset at the last commit on or before each end, as of that
    end. `progress(done, total)` is called after each period."""
    from ngocoord.load.dataset import find_data_dir

    root = find_data_dir(data)
    timeline = Timeline(root)
    try:
        if not timeline.commits:
            raise UsageError(f"history: no commit holds the dataset in {root}")
        stop = stop or dt.date.today()
        start = start or timeline.first_day()
        if start > stop:
            raise UsageError(f"--from {start.isoformat()} is after --to {stop.isoformat()}")
        latest = timeline.dataset(timeline.commits[0][0]).codelists
        place = latest.resolve_place(region) if region else _default_region(latest)
        sector_code = latest.resolve("sectors", sector) if sector else None
        ends = period_ends(start, stop, every)
        periods, pairs = [], PairCounter()
        for i, end in enumerate(ends):
            commit = timeline.commit_on(end)
            if commit is not None:
                periods.append(measure(timeline.dataset(commit), place, sector_code, end, commit, pairs=pairs))
            if progress:
                progress(i + 1, len(ends))
        return History(periods, place, latest.place(place).name, sector_code, every)
    finally:
        timeline.close()


def has_history(root: Path) -> bool:
    """Whether the dataset folder is in a git repository with at least one commit holding it."""
    from ngocoord.load.gitdata import GitData

    try:
        states = GitData(root, what="history")
        try:
            return bool(states.repo.history("HEAD", states.prefix))
        finally:
            states.close()
    except UsageError:
        return False


def every_for(start: dt.date, stop: dt.date) -> str:
    """A period that gives a chart between a handful and a few dozen points."""
    months = (stop.year - start.year) * 12 + stop.month - start.month
    return "month" if months <= 36 else "quarter" if months <= 108 else "year"


def gap_history(root: Path, region: str, *, level: int, day: dt.date, rev: str = "HEAD") -> list[Period]:
    """Each period's counts up to `day`, from the history of `rev`, for the report's chart; [] when the
    dataset has no git history."""
    try:
        timeline = Timeline(root, rev=rev)
    except UsageError:
        return []
    try:
        first = timeline.first_day()
        if first is None or first > day:
            return []
        periods, pairs = [], PairCounter()
        for end in period_ends(first, day, every_for(first, day)):
            commit = timeline.commit_on(end)
            if commit is not None:
                periods.append(measure(timeline.dataset(commit), region, None, end, commit, level, pairs))
        return periods
    finally:
        timeline.close()
