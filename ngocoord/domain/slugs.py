"""Ids and file names: lowercase letters, digits and single hyphens (SPEC, *Identifiers*). The one
pattern for lint, new and import, and the one way to make an id from a name."""

from __future__ import annotations

import re
import unicodedata

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_LENGTH = 64


def is_slug(text: str) -> bool:
    return SLUG.match(text) is not None


def slugify(text: str, limit: int = MAX_LENGTH) -> str:
    """An id made from a name: accents dropped, every run of other characters a hyphen, and cut
    at a hyphen to at most `limit` characters ('Médecins du Monde' -> 'medecins-du-monde')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug
