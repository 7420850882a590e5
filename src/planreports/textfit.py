"""How much room a text needs in a cell: its lines at a column width, and the row height that holds them.

Neither Excel nor LibreOffice reliably fits row heights to wrapped text in a file a library wrote: rows without
a height print at one line, and the wrapped text overprints the rows below. So every writer gives each row
with wrapped text a height computed here.

The model is deliberately pessimistic, so a row is never too short:
- glyph widths are Times New Roman's own (glyph_widths.py), each rounded *up* to a whole pixel at 100 % zoom
  (96 dpi), since Excel lays out screen text with pixel-rounded glyphs; LibreOffice's unrounded layout is
  narrower still;
- text breaks only at spaces (both programs also break after hyphens and dashes, which can only save lines)
  and at explicit line breaks; a word longer than the line breaks between letters, as both programs do;
- the column's width in Excel's character units is taken at the width of a digit of the workbook's default
  font, Times New Roman 12 (8 px), less the cell's inner margins;
- a line is 1.25 em high (Times New Roman's own line spacing is 1.15 em), plus a little padding per row.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate, repeat
from operator import add

from planreports import glyph_widths
from planreports.files import FONT

PX_PER_PT = 96 / 72
DIGIT_PX = 8            # a digit of Times New Roman 12 at 96 dpi: Excel's unit of column width in our workbooks
CELL_MARGIN_PX = 8      # inner margins on both sides of a cell, and the grid line
LINE_EM = 1.25          # line pitch of wrapped text, in ems
ROW_PADDING_PX = 4      # above the first line and below the last
MAX_ROW_HEIGHT = 409.0  # points: Excel's largest row height
WORDS_KEPT = 200_000    # widths of words remembered per font (a few megabytes at most)


@dataclass(frozen=True, slots=True)
class Font:
    size: float = 12.0
    bold: bool = False
    name: str = FONT

    def __post_init__(self) -> None:
        if self.name != FONT:   # the table measures one typeface; guessing another's widths could under-estimate
            raise ValueError(f"no glyph widths for font {self.name!r}")


BODY = Font()
HEADER = Font(bold=True)
TITLE = Font(14, bold=True)


class _Glyphs(dict[str, int]):
    """Pixel width of each character at one font size; a character the table lacks counts as the widest glyph."""

    def __init__(self, widths: dict[str, int], missing: int) -> None:
        super().__init__(widths)
        self.missing = missing

    def __missing__(self, key: str) -> int:
        return self.missing


class _Words(dict[str, int]):
    """Pixel width of each word met so far. Vietnamese words are syllables, a few thousand in all, so most texts
    are measured by looking up their words instead of adding up their letters."""

    def __init__(self, glyphs: _Glyphs) -> None:
        super().__init__()
        self.glyphs = glyphs

    def __missing__(self, word: str) -> int:
        size = sum(map(self.glyphs.__getitem__, word))
        if len(self) < WORDS_KEPT:
            self[word] = size
        return size


@cache
def _words(font: Font) -> _Words:
    ppem = font.size * PX_PER_PT
    table = glyph_widths.BOLD if font.bold else glyph_widths.REGULAR

    def px(units: int) -> int:
        return math.ceil(units * ppem / glyph_widths.UNITS_PER_EM)

    widths = {chr(first + offset): px(units) for first, row in table for offset, units in enumerate(row)
              if units is not None}
    return _Words(_Glyphs(widths, px(glyph_widths.WIDEST)))


_BODY_WORDS = _words(BODY)


def column_px(width: float) -> int:
    """The room for text in a column `width` Excel character units wide, in pixels at 100 % zoom."""
    return max(1, int(width * DIGIT_PX) - CELL_MARGIN_PX)


def _break_word(word: str, start: int, glyphs: _Glyphs, room: int) -> tuple[int, int]:
    """A word wider than a line breaks between letters: (full lines it fills, where its last line starts)."""
    edges = list(accumulate(map(glyphs.__getitem__, word), initial=start))
    lines, at, after = 0, 0, len(word)
    while edges[after] - edges[at] > room:
        # as many letters as fit; one letter wider than the line still goes alone, with any zero-width mark
        # before it (a combining accent left over after NFC takes no room of its own)
        least = bisect_right(edges, edges[at], at + 1, after + 1)
        if least >= after:          # one visible letter left: nowhere to break
            break
        at = max(bisect_right(edges, edges[at] + room, at + 1, after + 1) - 1, least)
        lines += 1
    return lines, edges[at]


def _paragraph_lines(paragraph: str, words: _Words, room: int) -> int:
    """Greedy wrapping on widths measured from the paragraph's start (`starts[k]`: where word k begins): a line
    takes every word that ends within `room` of where the line starts, and the space after its last word is
    dropped. One search per line rather than a step per word: a consolidated workbook measures a hundred
    thousand texts."""
    parts = paragraph.split(" ")
    space = words.glyphs[" "]
    starts = list(accumulate(map(add, map(words.__getitem__, parts), repeat(space)), initial=0))
    if starts[-1] - space <= room:
        return 1
    lines, word, count = 0, 0, len(parts)
    while word < count:
        start = starts[word]
        if starts[word + 1] - space - start > room:      # wider than a line
            broken, start = _break_word(parts[word], start, words.glyphs, room)
            lines += broken
        # the next line begins at the first word that does not end within the room; a letter wider than the
        # line goes alone
        word = max(bisect_right(starts, start + room + space, word + 1) - 1, word + 1)
        lines += 1
    return lines


def count_lines(text: str, width: float, font: Font = BODY) -> int:
    """How many lines `text` takes when wrapped in a column `width` Excel character units wide (at least 1)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)    # "ư" is wider than "u" + its combining horn
    words, room = _BODY_WORDS if font is BODY else _words(font), column_px(width)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:
        return _paragraph_lines(text, words, room)
    return sum(_paragraph_lines(p, words, room) for p in text.split("\n"))


# the same, remembering the last texts measured (a template measures the same titles over and over)
text_lines = lru_cache(maxsize=1 << 16)(count_lines)


def row_height(lines: int, font: Font = BODY) -> float:
    """Points for a row of `lines` lines, in whole pixels, at most Excel's limit."""
    line_px = math.ceil(font.size * PX_PER_PT * LINE_EM)
    return min(MAX_ROW_HEIGHT, (max(1, lines) * line_px + ROW_PADDING_PX) * 0.75)   # 0.75 pt a pixel: exact


def fit_height(cells: Iterable[tuple[str, float]], font: Font = BODY) -> float:
    """The height of a row whose wrapped cells hold these (text, column width) pairs."""
    return row_height(max((text_lines(text, width, font) for text, width in cells if text), default=1), font)
