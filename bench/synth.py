"""A seeded synthetic dataset in the SPEC's format, for benchmarks (never for data/).

    python bench/synth.py OUT_DIR --activities 10000 [--seed 6]

Activities and organizations (about one per 20 activities) use only codes from the real
codelists, which are copied unchanged from data/codelists, so every file is valid and the
cross-file rules do their full work. The same seed and size always give the same bytes.
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
    """The codes a synthetic record may use, read from the real codelists."""
    def entries(name: str, key: str) -> list[dict]:
        return yaml.safe_load((folder / name).read_text(encoding="utf-8"))[key]

    areas = entries("areas.yaml", "areas")
    services = entries("services.yaml", "services")
    by_sector: dict[str, list[str]] = {}
    for s in services:
        by_sector.setdefault(s["sector"], []).append(s["code"])
    return {
        "districts": [a["code"] for a in areas if a.get("level") == 2],
        "governorates": [a["code"] for a in areas if a.get("level") == 1],
        "services_by_sector": by_sector,
        "populations": [p["code"] for p in entries("populations.yaml", "populations")],
        "org_types": [t["code"] for t in entries("org-types.yaml", "org_types")],
    }


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
    places = rng.sample(codes["districts"], rng.randint(1, 3))
    if rng.random() < 0.15:
        places = [rng.choice(codes["governorates"])]
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
    codes = real_codelists(codelists)
    orgs = max(1, activities // 20)
    for sub in ("organizations", "activities"):
        (out / sub).mkdir(parents=True, exist_ok=False)
    shutil.copytree(codelists, out / "codelists")
    for i in range(orgs):
        rec = organization(rng, i, codes)
        (out / "organizations" / f"{rec['id']}.yaml").write_text(_dump("organization", rec), encoding="utf-8")
    for i in range(activities):
        rec = activity(rng, i, orgs, codes)
        (out / "activities" / f"{rec['id']}.yaml").write_text(_dump("activity", rec), encoding="utf-8")
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
