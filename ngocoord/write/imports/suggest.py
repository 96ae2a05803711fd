"""--suggest-profile: a starting profile for a sheet never seen before.

It names the columns found, lists under `values` every cell text that maps to nothing, with its
count and the closest code (or null), and fills `defaults` for the fields the sheet lacks. The
coordinator corrects the guesses, keeps the file in the repository, and imports with it.
"""

from __future__ import annotations

import json

from ngocoord.write.imports.columns import FIELDS
from ngocoord.write.imports.plan import Plan

_REQUIRED_HINTS = {
    "status": ("ongoing", "the sheet has no status column: the status of its activities"),
    "title": ("{sector} – {organization}", "the sheet has no title column: one activity per organization and sector"),
    "organization_type": ("nngo", "type of the organizations the dataset does not know yet (ngocoord codes org-types)"),
}


def _q(value) -> str:
    """A YAML scalar: JSON's double-quoted strings are valid YAML."""
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def suggest_profile(plan: Plan, mapper, defaults: dict) -> str:
    lay = plan.layout
    out = ["# yaml-language-server: $schema=../schemas/import-profile.schema.json",
           f"# A starting profile for {plan.source}: check the columns, correct each guess under values,",
           "# then: ngocoord import SHEET --profile THIS-FILE --dry-run"]
    if plan.sheet:
        out.append(f"sheet: {_q(plan.sheet)}")
    out.append("columns:")
    for fld in FIELDS:
        idx = lay.columns.get(fld)
        if not idx:
            continue
        names = [lay.name(i) for i in idx]
        out.append(f"  {fld}: " + (_q(names[0]) if len(names) == 1 and fld != "area" else
                                   "[" + ", ".join(_q(n) for n in names) + "]"))
    if lay.ignored:
        out.append("  # not read: " + ", ".join(lay.ignored))
    unmapped = {f: c for f, c in plan.unmapped.items() if c}
    if unmapped:
        out.append("values:            # cell text -> code; null ignores the cell. Each guess needs checking.")
        for fld, counts in unmapped.items():
            out.append(f"  {fld}:")
            for text, n in counts.most_common():
                guess = mapper.suggest(fld, text)
                out.append(f"    {_q(text)}: {_q(guess)}   # {n} row{'s' if n != 1 else ''}"
                           + ("" if guess else ", no close code"))
    wanted = {f: v for f, v in _REQUIRED_HINTS.items() if f not in lay.columns}
    for role, code in (("partners", "partner_type"), ("donors", "donor_type")):
        if role in lay.columns:
            wanted[code] = ("donor" if role == "donors" else "nngo",
                            f"type of the {role} the dataset does not know yet (ngocoord codes org-types)")
    if wanted or defaults:
        out.append("defaults:          # for fields the sheet does not carry")
        for fld, value in defaults.items():
            out.append(f"  {fld}: {_q(value)}")
        for fld, (value, why) in wanted.items():
            if fld not in defaults:
                out.append(f"  {fld}: {_q(value)}   # {why}")
    out.append("group_by: [organization, sector, title]   # rows sharing these are one activity in several places")
    return "\n".join(out) + "\n"
