"""Vietnamese text helpers: NFC normalization, accent folding for tolerant matching."""

from __future__ import annotations

import functools
import unicodedata


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: object) -> str:
    """A cell value as tidy NFC text: None -> "", whitespace runs collapsed, ends stripped."""
    if text is None or text == "":
        return ""
    value = str(text)
    if not value.isprintable():
        # control characters cannot go into XML (Word, Excel) and mean nothing to a reader: make them spaces
        value = "".join(ch if ch.isprintable() else " " for ch in value)
    # str.split() splits on every Unicode space (no-break space included) and is faster than a regex
    return " ".join(nfc(value).split())


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d), collapse spaces: for tolerant comparisons only.

    Cached: the same plan texts and status words are folded for every received file."""
    decomposed = unicodedata.normalize("NFD", clean(text).lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
