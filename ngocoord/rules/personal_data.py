"""Personal data: the dataset is public, so it holds organizations' contacts, never people's."""

from __future__ import annotations

import re

from ngocoord.problems import WARNING
from ngocoord.rules import Finding, rule, words

EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_SEP = r"[ .\-]?"
PHONE = re.compile(
    r"(?<![\w/.+-])(?:"
    r"(?:\+|00)[1-9]\d{0,2}" + _SEP + r"(?:\(0?\d{1,4}\)|\d{1,4})(?:" + _SEP + r"\d{2,4}){1,4}"  # +964 750 123 4567, 0044 20 7946 0958
    r"|\(?07\d{2}\)?" + _SEP + r"\d{3}" + _SEP + r"\d{4}"                                         # Iraqi mobile: 0750 123 4567
    r")(?![\w-]|\.\d)"
)
# the words of a role address (info@, coordination@, jobs@); checked as whole words, or as stems
ROLE_WORDS = {"info", "contact", "contacts", "office", "admin", "hr", "hq", "job", "jobs", "media", "press", "support",
              "hello", "mail", "team", "director", "country", "protection", "legal", "report", "reports", "finance",
              "partners", "help", "grants", "funding", "webmaster", "noreply", "membership", "secretariat", "general",
              "registration", "mission", "ngo"}
ROLE_STEMS = ("contact", "office", "coord", "program", "project", "recruit", "vacanc", "communicat", "procure", "enquir",
              "inquir", "donat", "volunteer", "career", "account", "operation", "advoca", "complain", "feedback",
              "safeguard", "secretariat", "webmaster", "noreply", "membership", "registration", "partnership")

TEXT_SKIPPED = ("id", "email", "website")
DATE_KEYS = ("start", "end", "last_reviewed", "date")  # a valid record's dates match the schema's date pattern
_EIGHT_DIGITS = re.compile(r"(?:\d\D*){8}")  # a phone number has at least 8: a text with fewer has none


def _strings(value, keys=()):
    if isinstance(value, str):
        yield keys, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, keys + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, keys + (i,))


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z]+", text.lower()) if w]


def is_role_address(address: str, org_id: str = "", names: tuple[str, ...] = ()) -> bool:
    """info@…, coordination@…, or an address named after the organization (harikar.ngo@gmail.com);
    not firstname.lastname@…, on any domain."""
    local = address.lower().partition("@")[0]
    compact = re.sub(r"[^a-z]", "", local)
    if any(w in ROLE_WORDS for w in _words(local)) or any(stem in compact for stem in ROLE_STEMS):
        return True
    own = {org_id.replace("-", "")} | {w for w in _words(org_id) if len(w) >= 4}
    own |= {re.sub(r"[^a-z]", "", n.lower()) for n in names} | {w for n in names for w in _words(n) if len(w) >= 4}
    own = sorted((o for o in own if len(o) >= 3), key=len, reverse=True)
    if not any(o in compact for o in own):
        return False
    rest = compact
    for word in (*own, *words("address_filler")):  # what may sit beside the name (harikar.ngo@, alamal.iraq@)
        rest = rest.replace(word, "")
    return len(rest) <= 3  # nothing but the organization's name (and a few letters) is left


def phones(text: str):
    """Phone numbers in a text: +964 7xx xxx xxxx, 07xx xxx xxxx, and any +/00 international number;
    never dates, years, counts, P-codes or the digits of a URL."""
    for m in PHONE.finditer(URL.sub(" ", text)):
        digits = sum(ch.isdigit() for ch in m.group())
        if 8 <= digits <= 15:
            yield m.group()


def emails(text: str):
    return EMAIL.findall(text)


def mask_email(address: str) -> str:
    """An address as a message may show it: enough to find it in the file, not enough to use it
    (jane.doe@gmail.com -> j***@g***.com)."""
    local, _, domain = address.partition("@")
    host, dot, tld = domain.rpartition(".")
    return f"{local[:1]}***@{host[:1]}***{dot}{tld}"


def mask_phone(number: str) -> str:
    """A phone number as a message may show it: its last two digits (+964 750 123 4567 -> +xxx xxx xxx xx67)."""
    digits = [i for i, ch in enumerate(number) if ch.isdigit()]
    hidden = set(digits[:-2])
    return "".join("x" if i in hidden else ch for i, ch in enumerate(number))


def _org_names(ds, org_id: str) -> tuple[str, ...]:
    o = ds.organizations.get(org_id)
    return tuple(x for x in (getattr(o, "name", None), getattr(o, "acronym", None)) if x) if o else ()


@rule("personal-data", WARNING)
def personal_data(ds):
    """The dataset is published: it must not hold a person's e-mail address or phone number.
    Free-text fields (names, notes, titles, descriptions, sites, counterparts, sources) must not
    contain a phone number (+964 750 123 4567, 0750 123 4567, +44 20 7946 0958) or a person's
    e-mail address; an organization's 'email' must be a role address of the organization
    (info@…, coordination@…), not a person's (firstname.lastname@…, or a gmail/yahoo address
    not named after the organization)."""
    for doc in ds.docs("organization", "activity"):
        d = doc.data
        owner = d["id"] if doc.kind == "organization" else d["organization"]
        names = (d.get("name", ""), d.get("acronym", "")) if doc.kind == "organization" else _org_names(ds, owner)
        email = d.get("email") if doc.kind == "organization" else None
        if email and not is_role_address(email, owner, names):
            yield Finding(doc, ("email",), f"'{mask_email(email)}' looks like a person's address",
                          "use a role address of the organization, such as info@… or coordination@…")
        for keys, text in _strings({k: v for k, v in d.items() if k not in TEXT_SKIPPED}):
            if keys[-1] in DATE_KEYS or (keys[0] == "sources" and keys[-1] == "url"):
                continue
            for found in emails(text) if "@" in text else ():
                if not is_role_address(found, owner, names):
                    yield Finding(doc, keys, f"{keys[0]} contains a person's e-mail address ({mask_email(found)})",
                                  "remove it: the dataset is public; put the organization's role address in 'email'")
            for found in phones(text) if _EIGHT_DIGITS.search(text) else ():
                yield Finding(doc, keys, f"{keys[0]} contains a phone number ({mask_phone(found)})",
                              "remove it: the dataset is public and keeps no phone numbers")
