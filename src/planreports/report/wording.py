"""Small pieces of Vietnamese report prose, on plain data: rates, lists of names kept short, sentences cut to
their first ones, texts grouped as they were written, difficulties grouped by theme.

The body of the report summarises; whatever it leaves out is in an appendix it names, so every list here has a
bound that does not grow with the number of agencies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from planreports.vn.numerals import format_number
from planreports.vn.text import fold

T = TypeVar("T")
NAMES_SHOWN = 5          # names listed in a sentence; more are counted, not named
SENTENCES_KEPT = 2       # a single agency's result in the body: its first sentences
RESULT_CHARS = 320       # … and at most this long
TEXT_WORDS = 14          # a task's text in the body: its first words (the whole text is in Phụ lục I)

# Themes of the difficulties agencies report, by the words that name them. A difficulty may touch several;
# one that names none is counted under "Khác".
THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Kinh phí", ("kinh phi", "du toan", "ngan sach", "dinh muc chi")),
    ("Nhân lực, cán bộ", ("can bo", "nhan luc", "kiem nhiem", "bien che", "nhan su", "chuyen trach")),
    # not "chính sách": every text about "truyền thông chính sách" has it
    ("Cơ chế, hướng dẫn", ("huong dan", "co che", "quy dinh", "van ban")),
    ("Cơ sở vật chất, hạ tầng", ("co so vat chat", "trang thiet bi", "thiet bi", "ha tang", "phan mem",
                                 "duong truyen")),
    ("Phối hợp, cung cấp thông tin", ("phoi hop", "cung cap thong tin")),
    ("Kỹ năng, nghiệp vụ", ("ky nang", "nghiep vu", "dao tao", "tap huan", "boi duong")),
)
OTHER_THEME = "Khác"


def percent(part: int, whole: int) -> str:
    """83,3% (one decimal, Vietnamese comma); 100% and 0% without decimals."""
    return f"{format_number(round(part / whole * 100, 1) if whole else 0.0)}%"


def rate(part: int, whole: int, what: str) -> str:
    """"25/30 đơn vị chủ trì đã hoàn thành, đạt 83,3%"."""
    return f"{part}/{whole} {what}, đạt {percent(part, whole)}"


# "Ủy ban nhân dân phường Bắc Kạn": the committee of a commune-level or district-level unit, by its level
_COMMITTEE = re.compile(r"^Ủy ban nhân dân (?=(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố) )")


def compact(items: Sequence[str]) -> str:
    """Names in one run, "UBND" for "Ủy ban nhân dân" before a commune or ward: "Sở Y tế, UBND phường Bắc Kạn
    và UBND xã Chợ Rã". Names are never grouped under a shared "các xã:" with semicolons, which the sentences
    around them already use to separate their parts."""
    return joined([_COMMITTEE.sub("UBND ", item) for item in items])


def names(items: Sequence[str], more: str = "đơn vị") -> str:
    """Up to NAMES_SHOWN names ("A, B và C"); more than that, their number ("13 đơn vị"): the first few of a
    long list would be chosen by the list's order, and a reader takes them for the worst."""
    return compact(items) if len(items) <= NAMES_SHOWN else f"{len(items)} {more}"


def joined(items: Sequence[str]) -> str:
    """"A", "A và B", "A, B và C"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} và {items[-1]}" if items else ""


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":", ";", "…")) else text + "."


def first_sentences(text: str, count: int = SENTENCES_KEPT, limit: int = RESULT_CHARS) -> str:
    """The first sentences of a result, cut at a word with "…" when still too long."""
    parts = re.split(r"(?<=[.!?;])\s+", text.strip())
    kept = " ".join(parts[:count])
    if len(kept) > limit:
        kept = kept[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    elif len(parts) > count:
        kept = sentence(kept).rstrip(".") + "…"
    return sentence(kept)


def first_words(text: str, count: int = TEXT_WORDS) -> str:
    words = text.split()
    return " ".join(words) if len(words) <= count else " ".join(words[:count]).rstrip(",;:") + "…"


def lower_first(text: str) -> str:
    """"Tin, bài đăng trên Zalo OA" -> "tin, bài đăng trên Zalo OA": only the first letter, names keep capitals;
    an acronym ("UBND …") keeps its case."""
    if not text or (len(text) > 1 and text[1].isupper()):
        return text
    return text[0].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[0].upper() + text[1:] if text else ""


def without_request_word(text: str) -> str:
    """A proposal without its "Đề nghị"/"Kiến nghị" (the report says whom it asks): "ban hành hướng dẫn …"."""
    text = sentence(text).rstrip(".")
    for word in ("Đề nghị", "Kiến nghị", "Đề xuất"):
        if fold(text).startswith(fold(word) + " "):
            return lower_first(text[len(word):].strip())
    return lower_first(text)


def grouped(items: Iterable[T], text_of: Callable[[T], str], who: Callable[[T], str]) -> list[tuple[str, list[str]]]:
    """Identical texts (ignoring case, spacing, diacritics, final full stop) merged with who wrote them, each
    writer once, most written first (then first seen)."""
    keys: dict[str, str] = {}
    groups: dict[str, tuple[str, list[str]]] = {}
    for item in items:
        text = text_of(item)
        if not text:
            continue
        key = keys.get(text)
        if key is None:
            key = keys[text] = fold(text).rstrip(" .;")
        if key not in groups:
            groups[key] = (text.strip().rstrip(" ;"), [])
        if who(item) not in groups[key][1]:
            groups[key][1].append(who(item))
    return sorted(groups.values(), key=lambda g: -len(g[1]))


def theme_of(text: str) -> str:
    """The first theme (in THEMES' order) whose words the text uses: each difficulty is counted once."""
    key = fold(text)
    return next((theme for theme, words in THEMES if any(word in key for word in words)), OTHER_THEME)


def by_theme(difficulties: Iterable[tuple[str, str]]) -> list[tuple[str, int, str]]:
    """(theme, how many agencies raised it, one of their words) from (agency, difficulty) pairs, most raised
    first; "Khác" last."""
    agencies: dict[str, set[str]] = {}
    example: dict[str, str] = {}
    for agency, text in difficulties:
        theme = theme_of(text)
        agencies.setdefault(theme, set()).add(agency)
        example.setdefault(theme, text)
    order = [t for t, _ in THEMES] + [OTHER_THEME]
    ranked = sorted(agencies, key=lambda t: (t == OTHER_THEME, -len(agencies[t]), order.index(t)))
    return [(theme, len(agencies[theme]), example[theme]) for theme in ranked]
