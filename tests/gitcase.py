"""A real git repository with a known history of a tiny dataset, for diff, history and --at.

main, region kri = governorates G1 (Erbil: districts G1D1, G1D2) and G2 (Duhok: G2D1), sectors
protection, education, justice (6 cells at governorate level):

1. c1 2026-01-10  act-1 (org-a, legal aid, G1D1), act-2 (org-b, education, G2D1)
2. c2 2026-02-15  act-3 (org-c, legal aid, G2D1): closes the gap Duhok x protection
3. c3 2026-03-10  act-4 (org-b, legal aid, G1D1): a duplicate of act-1, Erbil x protection covered twice
4. c4 2026-04-05  act-2.yaml renamed act-2b.yaml (its id with it)
5. branch districts: d1 2026-05-20  codelists only: a new district G2D2 (Amedi)
   main:             c5 2026-05-22  act-3 completed: Duhok x protection is a gap again
6. merge 2026-05-25  districts merged into main (--no-ff)
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import TINY_CODELISTS, activity, dump, org, write_dataset


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="CI", GIT_AUTHOR_EMAIL="ci@example.org", GIT_COMMITTER_NAME="CI",
               GIT_COMMITTER_EMAIL="ci@example.org")
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{when}T12:00:00+00:00"
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env).stdout.strip()


def write(repo: Path, kind: str, record: dict) -> None:
    folder = "organizations" if kind == "organization" else "activities"
    (repo / "data" / folder / f"{record['id']}.yaml").write_text(dump(kind, record), encoding="utf-8")


def commit(repo: Path, when: str, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD")


def with_district(codelists: dict) -> dict:
    areas = dict(codelists["areas"])
    areas["areas"] = [*areas["areas"], {"code": "G2D2", "name": "Amedi", "level": 2, "parent": "G2"}]
    return {**codelists, "areas": areas}


def build(repo: Path) -> dict[str, str]:
    """The repository described above; returns the commits by name."""
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    write_dataset(repo / "data", [org("org-a"), org("org-b"), org("org-c")],
                  [activity("act-1", organization="org-a"),
                   activity("act-2", organization="org-b", sector="education", services=["education-in-detention"],
                            locations=[{"area": "G2D1"}])])
    c = {"c1": commit(repo, "2026-01-10", "two activities")}
    write(repo, "activity", activity("act-3", organization="org-c", locations=[{"area": "G2D1"}]))
    c["c2"] = commit(repo, "2026-02-15", "legal aid in Duhok")
    write(repo, "activity", activity("act-4", organization="org-b"))
    c["c3"] = commit(repo, "2026-03-10", "a second legal aid in Erbil")
    (repo / "data/activities/act-2.yaml").unlink()
    write(repo, "activity", activity("act-2b", organization="org-b", sector="education",
                                     services=["education-in-detention"], locations=[{"area": "G2D1"}]))
    c["c4"] = commit(repo, "2026-04-05", "rename act-2")
    git(repo, "checkout", "-q", "-b", "districts")
    (repo / "data/codelists/areas.yaml").write_text(dump("areas", with_district(TINY_CODELISTS)["areas"]), encoding="utf-8")
    c["d1"] = commit(repo, "2026-05-20", "a new district")
    git(repo, "checkout", "-q", "main")
    write(repo, "activity", activity("act-3", organization="org-c", locations=[{"area": "G2D1"}], status="completed"))
    c["c5"] = commit(repo, "2026-05-22", "legal aid in Duhok ended")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge districts", "districts", when="2026-05-25")
    c["merge"] = git(repo, "rev-parse", "HEAD")
    return c
