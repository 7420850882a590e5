"""Vietnamese text helpers: NFC normalization, accent folding for tolerant matching."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: object) -> str:
    """A cell value as tidy NFC text: None -> "", whitespace runs collapsed, ends stripped."""
    if text is None:
        return ""
    return _SPACES.sub(" ", nfc(str(text))).strip()


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d), collapse spaces: for tolerant comparisons only."""
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
