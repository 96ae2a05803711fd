"""Do two spellings name the same thing? One answer for organizations, places and codes.

"Ceel  Barde", "ceel-barde" and "Céel Barde" are one name: case, accents, spacing and the
punctuation people use between words do not tell names apart.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_BETWEEN_WORDS = re.compile(r"[\s\-_.,'’`/]+")


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The form under which two spellings of one name compare equal."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _BETWEEN_WORDS.sub(" ", plain.casefold()).strip()
