"""Rule fixtures: a small valid dataset plus one file written as text, linted on a fixed day.

`lint_files` returns every problem as the line a contributor reads
(`data/<folder>/<file>:line:col: severity rule: message (hint)`), so tests state them exactly.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ngocoord.check.lint import lint
from tests.conftest import activity, org, write_dataset

AS_OF = "2026-07-01"

ORG_HEADER = "# yaml-language-server: $schema=../../schemas/organization.schema.json\n"
ACT_HEADER = "# yaml-language-server: $schema=../../schemas/activity.schema.json\n"

# A valid organization and activity, line by line (line 1 is the header)
ORG_C = ORG_HEADER + """\
id: org-c
name: Org C
type: nngo
last_reviewed: 2026-06-01
"""

ACT_2 = ACT_HEADER + """\
id: act-2
title: Legal aid in Soran
organization: org-a
sector: protection
services: [legal-aid]
locations:
  - area: G1D2
status: ongoing
last_reviewed: 2026-06-01
"""


def base_records():
    return [org("org-a"), org("org-b", type="ingo")], [activity("act-1")]


def lint_files(root: Path, files: dict[str, str | bytes], *, as_of: str = AS_OF, organizations=None,
               activities=None, codelists=None) -> list[str]:
    """Write the base dataset under root/data plus `files` (path under data/ -> content) and lint it."""
    orgs, acts = base_records()
    data = write_dataset(root / "data", orgs if organizations is None else organizations,
                         acts if activities is None else activities, codelists)
    for rel, content in files.items():
        target = data / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return relint(root, as_of=as_of)


def relint(root: Path, *, as_of: str = AS_OF) -> list[str]:
    """Lint root/data again (after a test changed it), paths shown relative to root."""
    here = os.getcwd()
    os.chdir(root)
    try:
        result = lint(Path("data"), as_of=dt.date.fromisoformat(as_of))
    finally:
        os.chdir(here)
    return [p.text() for p in result.problems]


O = "data/organizations/org-c.yaml"   # paths as problems show them
A = "data/activities/act-2.yaml"


def org_c(old="", new="", extra=""):
    """The fixture organization org-c, with `old` replaced by `new` and `extra` lines added."""
    return {"organizations/org-c.yaml": ORG_C.replace(old, new) + extra}


def act_2(old="", new="", extra=""):
    """The fixture activity act-2, with `old` replaced by `new` and `extra` lines added."""
    return {"activities/act-2.yaml": ACT_2.replace(old, new) + extra}
