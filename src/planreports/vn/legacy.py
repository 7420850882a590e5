"""Legacy Vietnamese encodings in spreadsheet cells: TCVN3 (ABC, .VnTime) and VNI-Windows.

Such text reaches us as Latin-1 look-alikes ("B¸o c¸o", "Baùo caùo"). We convert a cell only when it is not
already valid Vietnamese and one conversion turns it into valid Vietnamese; the caller reports every
conversion to the user. Python has no codec for either encoding, so the tables are here.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

# TCVN 5712:1993 upper half, byte 0xA1 + i -> code point (as glibc's TCVN5712-1 decodes it).
_TCVN3_CODES = (
    "0102 00C2 00CA 00D4 01A0 01AF 0110 0103 00E2 00EA 00F4 01A1 01B0 0111 1EB0 0300 0309 0303 0301 0323 "
    "00E0 1EA3 00E3 00E1 1EA1 1EB2 1EB1 1EB3 1EB5 1EAF 1EB4 1EAE 1EA6 1EA8 1EAA 1EA4 1EC0 1EB7 1EA7 1EA9 "
    "1EAB 1EA5 1EAD 00E8 1EC2 1EBB 1EBD 00E9 1EB9 1EC1 1EC3 1EC5 1EBF 1EC7 00EC 1EC9 1EC4 1EBE 1ED2 0129 "
    "00ED 1ECB 00F2 1ED4 1ECF 00F5 00F3 1ECD 1ED3 1ED5 1ED7 1ED1 1ED9 1EDD 1EDF 1EE1 1EDB 1EE3 00F9 1ED6 "
    "1EE7 0169 00FA 1EE5 1EEB 1EED 1EEF 1EE9 1EF1 1EF3 1EF7 1EF9 00FD 1EF5 1ED0"
)
TCVN3 = {chr(0xA1 + i): chr(int(code, 16)) for i, code in enumerate(_TCVN3_CODES.split())}

_TONES = {"acute": "\u0301", "grave": "\u0300", "hook": "\u0309", "tilde": "\u0303", "dot": "\u0323"}
# VNI mark characters after a base letter, lower-case and upper-case forms.
_VNI_TONE = {"acute": "ùÙ", "grave": "øØ", "hook": "ûÛ", "tilde": "õÕ", "dot": "ïÏ"}
_VNI_CIRCUMFLEX = {"": "âÂ", "acute": "áÁ", "grave": "àÀ", "hook": "åÅ", "tilde": "ãÃ", "dot": "äÄ"}
_VNI_BREVE = {"": "êÊ", "acute": "éÉ", "grave": "èÈ", "hook": "úÚ", "tilde": "üÜ", "dot": "ëË"}


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {"ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
                             "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
                             "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}
    for upper in (0, 1):
        for base in "aeouy":
            letter = base.upper() if upper else base
            for tone, marks in _VNI_TONE.items():
                table[letter + marks[upper]] = _compose(letter, _TONES[tone])
        for horn_key, horn in (("ô", "\u031b"), ("ö", "\u031b")):
            key = horn_key.upper() if upper else horn_key
            plain = _compose("O" if horn_key == "ô" else "U", horn) if upper else _compose(
                "o" if horn_key == "ô" else "u", horn)
            for tone, marks in _VNI_TONE.items():
                table[key + marks[upper]] = _compose(plain, _TONES[tone])
        for base in "aeo":
            letter = base.upper() if upper else base
            for tone, marks in _VNI_CIRCUMFLEX.items():
                table[letter + marks[upper]] = _compose(letter, "\u0302", _TONES.get(tone, ""))
        letter = "A" if upper else "a"
        for tone, marks in _VNI_BREVE.items():
            table[letter + marks[upper]] = _compose(letter, "\u0306", _TONES.get(tone, ""))
    return table


VNI = _vni_table()
_VNI_PAIRS = {k: v for k, v in VNI.items() if len(k) == 2}
_VNI_SINGLES = {k: v for k, v in VNI.items() if len(k) == 1}


def _vietnamese_letters() -> frozenset[str]:
    letters = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZđĐ")
    for base in ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"):
        for b in (base, base.upper()):
            letters.add(b)
            letters.update(_compose(b, tone) for tone in _TONES.values())
    return frozenset(letters)


VIETNAMESE_LETTERS = _vietnamese_letters()


class Encoding(StrEnum):
    TCVN3 = "TCVN3"
    VNI = "VNI"


# VNI pairs that also occur in Unicode text with old-style tone placement ("hoà", "hoá", "hoãn").
_AMBIGUOUS_VNI_PAIRS = frozenset({"oà", "oá", "oã", "Oà", "Oá", "Oã", "OÀ", "OÁ", "OÃ"})


def is_valid_vietnamese(text: str) -> bool:
    """Every letter belongs to the Vietnamese alphabet and no combining mark is left alone."""
    return all(ch in VIETNAMESE_LETTERS for ch in text if ch.isalpha() or unicodedata.combining(ch))


def from_tcvn3(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(TCVN3.get(ch, ch) for ch in text))


def from_vni(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _VNI_PAIRS:       # longest match first
            out.append(_VNI_PAIRS[pair])
            i += 2
        else:
            out.append(_VNI_SINGLES.get(text[i], text[i]))
            i += 1
    return "".join(out)


def _tcvn3_evidence(text: str) -> int:
    """TCVN3 symbols inside words (“ph¸t”, “Kh«ng”) count double; foreign letters (Õ, Þ) once.

    A symbol after a digit or a space (“25°C”, “« trích »”) is ordinary punctuation and does not count.
    """
    score = 0
    for i, ch in enumerate(text):
        if ch not in TCVN3:
            continue
        if not ch.isalpha():
            score += 2 if i > 0 and text[i - 1].isalpha() else 0
        elif ch not in VIETNAMESE_LETTERS:
            score += 1
    return score


def _vni_evidence(text: str) -> int:
    pairs = [text[i:i + 2] for i in range(len(text) - 1)]
    strong = sum(1 for p in pairs if p in _VNI_PAIRS and p not in _AMBIGUOUS_VNI_PAIRS)
    return 2 * strong + sum(1 for ch in text if ch in "ñÑöÖæÆîÎ")


# Characters that never occur in Vietnamese Unicode text but do in TCVN3/VNI look-alikes, and the VNI
# vowel+mark pairs: a text with neither cannot be legacy-encoded (the fast path for almost every cell).
_STRONG_CHARS = frozenset(ch for ch in (*TCVN3, *_VNI_SINGLES, "ø", "û", "ï", "å", "ä", "ë", "ü")
                          if ch not in VIETNAMESE_LETTERS)
_VNI_PAIR_RE = re.compile("|".join(re.escape(p) for p in sorted(_VNI_PAIRS, key=len, reverse=True)
                                   if p not in _AMBIGUOUS_VNI_PAIRS))


def _maybe_legacy(text: str) -> bool:
    if text.isascii():
        return False
    return not _STRONG_CHARS.isdisjoint(text) or _VNI_PAIR_RE.search(text) is not None


def detect_and_convert(text: str) -> tuple[str, Encoding | None]:
    """(converted text, encoding) when text is legacy-encoded; (text, None) otherwise.

    Evidence under 2 is too weak to act on (a foreign name such as “Müller”); a conversion is kept only
    when its result is valid Vietnamese. On equal evidence VNI wins: its vowel+mark pairs hardly occur
    in TCVN3 text, while TCVN3 decodes almost any Latin-1 text into something.
    """
    if not _maybe_legacy(text):
        return text, None
    candidates = []
    vni_score, tcvn_score = _vni_evidence(text), _tcvn3_evidence(text)
    if vni_score >= 2:
        candidates.append((vni_score, Encoding.VNI, from_vni(text)))
    if tcvn_score >= 2:
        candidates.append((tcvn_score, Encoding.TCVN3, from_tcvn3(text)))
    valid = [c for c in candidates if is_valid_vietnamese(c[2])]
    if not valid:
        return text, None
    _, encoding, converted = max(valid, key=lambda c: c[0])  # max keeps the first (VNI) on a tie
    return converted, encoding
