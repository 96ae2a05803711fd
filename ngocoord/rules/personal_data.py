"""Personal data: the dataset is public, so it holds organizations' contacts, never people's."""

import re

from ngocoord.problems import WARNING
from ngocoord.rules import Finding, rule

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w-])\+?\(?\d[\d\s().-]{7,}\d(?![\w-])")
DATE_LIKE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$|^\d{4}\s*[-–]\s*\d{4}$")
ROLE_WORDS = ("info", "contact", "office", "admin", "coord", "program", "programme", "project", "hr", "job",
              "career", "recruit", "media", "press", "comm", "support", "secretariat", "hello", "mail", "team",
              "country", "director", "iraq", "erbil", "baghdad", "protection", "legal", "report", "finance", "ngo")
FREE_MAIL = ("gmail.", "yahoo.", "hotmail.", "outlook.", "live.", "aol.", "icloud.", "mail.ru", "proton")

TEXT_KEYS = {"organization": ("name", "acronym", "notes"), "activity": ("title", "description")}


def _strings(value, keys=()):
    if isinstance(value, str):
        yield keys, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, keys + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, keys + (i,))


def is_role_address(address: str, org_id: str = "") -> bool:
    local, _, domain = address.lower().partition("@")
    if any(domain.startswith(f) or f".{f}" in domain for f in FREE_MAIL):
        return False
    return any(w in local for w in ROLE_WORDS) or (bool(org_id) and org_id.split("-")[0] in local)


def phones(text: str):
    for m in PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in m.group())
        if 9 <= digits <= 15 and not DATE_LIKE.match(m.group().strip()):
            yield m.group().strip()


@rule("personal-data", WARNING)
def personal_data(ds):
    """The dataset is published: it must not hold a person's e-mail address or phone number.
    Free-text fields (names, notes, titles, descriptions, sites, counterparts, sources) should
    not contain any; an organization's 'email' must be a role address of the organization
    (info@…, coordination@…), not a person's (firstname.lastname@…, or a gmail/yahoo address)."""
    for doc in ds.docs("organization", "activity"):
        d = doc.data
        email = d.get("email") if doc.kind == "organization" else None
        if email and not is_role_address(email, d["id"]):
            yield Finding(doc, ("email",), f"'{email}' looks like a person's address",
                          "use a role address of the organization, such as info@… or coordination@…")
        for keys, text in _strings({k: v for k, v in d.items() if k not in ("id", "email", "website")}):
            if keys[0] in ("sources",) and keys[-1] == "url":
                continue
            for found in EMAIL.findall(text):
                yield Finding(doc, keys, f"{keys[0]} contains an e-mail address ({found})",
                              "remove it: put the organization's role address in 'email'")
            for found in phones(text):
                yield Finding(doc, keys, f"{keys[0]} contains what looks like a phone number ({found})", "remove it")
