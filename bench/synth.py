"""A seeded synthetic dataset in the SPEC's format, for benchmarks (never for data/).

    python bench/synth.py OUT_DIR --activities 10000 [--seed 6]

Organizations (about one per 20 activities) and activities use only codes from the dataset's
codelists, so every file is valid and the cross-file rules do their full work. The same seed
and size always give the same bytes.

The codelists are the real ones, copied from data/codelists, except that a larger dataset gets
a larger map: a forum's dataset grows by covering more places, not by piling more activities
onto the same districts. Up to DENSITY x 101 activities the real 18 governorates and 101
districts are used; beyond that, the areas are the real country, regions and governorates,
plus synthetic governorates and districts (codes IQG19..., IQGnnS0001...) so that there are
about DENSITY activities per district and 6 districts per governorate. With a fixed density,
the number of duplicate pairs grows in proportion to the activities, as it would in a real
global dataset (on a fixed map it grows with their square).
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CODELISTS = REPO / "data" / "codelists"
AS_OF = "2026-06-30"  # the benchmark passes this --as-of, so results do not depend on today
VERSION = 2  # of what generate() makes for a seed and size: bench/run.py keeps datasets per version
DENSITY = 25  # activities per district on the synthetic map
DISTRICTS_PER_GOVERNORATE = 6

_VERBS = ["Strengthening", "Supporting", "Expanding", "Restoring", "Improving", "Scaling up", "Sustaining",
          "Extending", "Integrating", "Protecting", "Rebuilding", "Training for", "Monitoring", "Delivering"]
_WHO = ["families", "communities", "returnees", "displaced people", "young people", "women", "children",
        "detainees", "survivors", "local authorities", "schools", "clinics", "farmers", "workers"]
_WORDS = ["access", "referral", "outreach", "resilience", "recovery", "capacity", "quality", "inclusion",
          "dignity", "safety", "livelihoods", "awareness", "systems", "networks", "cohesion", "response"]
_ORG_WORDS = ["Hope", "Future", "Bridge", "Light", "Harmony", "Rafidain", "Tigris", "Euphrates", "Mountain",
              "Valley", "Cedar", "Palm", "River", "Horizon", "Unity", "Dawn", "Compass", "Anchor", "Garden"]
_ORG_KINDS = ["Relief", "Development", "Aid", "Rights", "Care", "Health", "Education", "Action", "Voice", "Works"]


def real_codelists(folder: Path = CODELISTS) -> dict:
    """The codes a synthetic record may use, read from a dataset's codelists."""
    def entries(name: str, key: str) -> list[dict]:
        return yaml.safe_load((folder / name).read_text(encoding="utf-8"))[key]

    areas = entries("areas.yaml", "areas")
    services = entries("services.yaml", "services")
    by_sector: dict[str, list[str]] = {}
    for s in services:
        by_sector.setdefault(s["sector"], []).append(s["code"])
    governorates = [a["code"] for a in areas if a.get("level") == 1]
    districts: dict[str, list[str]] = {g: [] for g in governorates}
    for a in areas:
        if a.get("level") == 2:
            districts[a["parent"]].append(a["code"])
    return {
        "districts": districts,  # governorate -> its districts
        "governorates": governorates,
        "services_by_sector": by_sector,
        "populations": [p["code"] for p in entries("populations.yaml", "populations")],
        "org_types": [t["code"] for t in entries("org-types.yaml", "org_types")],
    }


def scaled_areas(activities: int, source: Path = CODELISTS) -> str | None:
    """areas.yaml for a dataset of this size: None when the real one fits (see the module's text)."""
    wanted = activities // DENSITY
    real = yaml.safe_load((source / "areas.yaml").read_text(encoding="utf-8"))
    if wanted <= sum(1 for a in real["areas"] if a.get("level") == 2):
        return None
    country = next(a for a in real["areas"] if a.get("level") == 0)
    governorates = [a for a in real["areas"] if a.get("level") == 1]
    count = max(len(governorates), -(-wanted // DISTRICTS_PER_GOVERNORATE))
    synthetic = [{"code": f"IQG{i:02d}", "name": f"Synthetic governorate {i}", "level": 1, "parent": country["code"]}
                 for i in range(len(governorates) + 1, count + 1)]
    governorates += synthetic
    districts = [{"code": f"{governorates[j % count]['code']}S{j // count + 1:04d}",
                  "name": f"Synthetic district {j + 1}", "level": 2, "parent": governorates[j % count]["code"]}
                 for j in range(wanted)]
    regions = [dict(r, members=r["members"] + [g["code"] for g in synthetic]) if r["code"] == "federal" else r
               for r in real["regions"]]
    head = "# yaml-language-server: $schema=../../schemas/areas.schema.json\n" \
           f"# Synthetic map for a benchmark of {activities} activities (bench/synth.py): not real places.\n"
    body = yaml.safe_dump({"areas": [country, *governorates, *districts], "regions": regions},
                          sort_keys=False, allow_unicode=True, width=200, default_flow_style=None)
    return head + body


def _dump(header: str, record: dict) -> str:
    body = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=120, default_flow_style=None)
    return f"# yaml-language-server: $schema=../../schemas/{header}.schema.json\n{body}"


def organization(rng: random.Random, i: int, codes: dict) -> dict:
    name = f"{rng.choice(_ORG_WORDS)} {rng.choice(_ORG_WORDS)} {rng.choice(_ORG_KINDS)} {i}"
    record = {"id": f"org-{i:05d}", "name": name, "type": rng.choice(codes["org_types"]),
              "country": rng.choice(["IQ", "IQ", "IQ", "NO", "US", "DE", "FR", "GB"]),
              "last_reviewed": f"2026-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"}
    if rng.random() < 0.3:
        record["website"] = f"https://example.org/{record['id']}"
    return record


def activity(rng: random.Random, i: int, orgs: int, codes: dict) -> dict:
    sector = rng.choice(sorted(codes["services_by_sector"]))
    services = codes["services_by_sector"][sector]
    lead = rng.randrange(orgs)
    governorate = rng.choice(codes["governorates"])
    within = codes["districts"][governorate]
    places = rng.sample(within, min(len(within), rng.randint(1, 3)))  # near each other: one governorate
    if rng.random() < 0.15 or not places:
        places = [governorate]
    year = rng.randint(2019, 2026)
    record = {
        "id": f"act-{i:06d}",
        "title": f"{rng.choice(_VERBS)} {rng.choice(_WORDS)} and {rng.choice(_WORDS)} for {rng.choice(_WHO)} ({i})",
        "organization": f"org-{lead:05d}",
    }
    if rng.random() < 0.3:
        record["partners"] = sorted({f"org-{rng.randrange(orgs):05d}" for _ in range(rng.randint(1, 2))} - {record["organization"]})
    record["sector"] = sector
    record["services"] = rng.sample(services, min(len(services), rng.randint(1, 2)))
    if rng.random() < 0.5:
        record["population"] = rng.sample(codes["populations"], rng.randint(1, 2))
    record["locations"] = [{"area": p} if rng.random() < 0.7 else {"area": p, "site": f"Site {rng.randint(1, 99)}"} for p in places]
    record["status"] = rng.choices(["ongoing", "planned", "completed", "suspended"], [6, 1, 2, 1])[0]
    record["start"] = f"{year}-{rng.randint(1, 12):02d}"
    if record["status"] == "completed":
        record["start"] = f"{min(year, 2024)}-{rng.randint(1, 12):02d}"
        record["end"] = f"{min(year, 2024) + 1}-{rng.randint(1, 12):02d}"
    elif rng.random() < 0.6:
        record["end"] = f"{rng.randint(2027, 2029)}-12-31"
    if rng.random() < 0.5:
        record["beneficiaries"] = {"targeted": rng.randint(100, 20000)}
    record["last_reviewed"] = f"2026-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
    record["sources"] = [{"title": "Synthetic benchmark record", "date": "2026-01"}]
    return record


def generate(out: Path, activities: int, *, seed: int = 6, codelists: Path = CODELISTS) -> Path:
    """Write the dataset under `out` (which must not hold an older one) and return `out`."""
    rng = random.Random(seed)
    orgs = max(1, activities // 20)
    for sub in ("organizations", "activities"):
        (out / sub).mkdir(parents=True, exist_ok=False)
    shutil.copytree(codelists, out / "codelists")
    areas = scaled_areas(activities, codelists)
    if areas is not None:
        (out / "codelists" / "areas.yaml").write_text(areas, encoding="utf-8")
    codes = real_codelists(out / "codelists")
    for i in range(orgs):
        rec = organization(rng, i, codes)
        (out / "organizations" / f"{rec['id']}.yaml").write_text(_dump("organization", rec), encoding="utf-8")
    for i in range(activities):
        rec = activity(rng, i, orgs, codes)
        (out / "activities" / f"{rec['id']}.yaml").write_text(_dump("activity", rec), encoding="utf-8")
    return out


def copies(out: Path, count: int, *, codelists: Path = CODELISTS) -> Path:
    """A dataset where one activity is entered `count` times (same organization, title, place and
    service; issue 11): what a botched import or a copy-paste leaves behind."""
    for sub in ("organizations", "activities"):
        (out / sub).mkdir(parents=True, exist_ok=False)
    shutil.copytree(codelists, out / "codelists")
    codes = real_codelists(out / "codelists")
    org = {"id": "org-00000", "name": "Copied Organization", "type": codes["org_types"][0], "last_reviewed": "2026-06-01"}
    (out / "organizations" / "org-00000.yaml").write_text(_dump("organization", org), encoding="utf-8")
    sector = sorted(codes["services_by_sector"])[0]
    governorate = codes["governorates"][0]
    place = (codes["districts"][governorate] or [governorate])[0]
    for i in range(count):
        record = {"id": f"act-{i + 1}", "title": "Legal aid for detainees", "organization": "org-00000", "sector": sector,
                  "services": codes["services_by_sector"][sector][:1], "locations": [{"area": place}],
                  "status": "ongoing", "start": "2025-01", "last_reviewed": "2026-06-01"}
        (out / "activities" / f"act-{i + 1}.yaml").write_text(_dump("activity", record), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--activities", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    print(generate(args.out, args.activities, seed=args.seed))


if __name__ == "__main__":
    main()
