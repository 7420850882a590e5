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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from planreports import glyph_widths
from planreports.files import FONT

PX_PER_PT = 96 / 72
DIGIT_PX = 8            # a digit of Times New Roman 12 at 96 dpi: Excel's unit of column width in our workbooks
CELL_MARGIN_PX = 8      # inner margins on both sides of a cell, and the grid line
LINE_EM = 1.25          # line pitch of wrapped text, in ems
ROW_PADDING_PX = 4      # above the first line and below the last
MAX_ROW_HEIGHT = 409.0  # points: Excel's largest row height


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


class _Widths(dict[str, int]):
    """Pixel width of each character at one font size; a character the table lacks counts as the widest glyph."""

    def __init__(self, widths: dict[str, int], missing: int) -> None:
        super().__init__(widths)
        self.missing = missing

    def __missing__(self, key: str) -> int:
        return self.missing


@cache
def _widths(font: Font) -> _Widths:
    ppem = font.size * PX_PER_PT
    table = glyph_widths.BOLD if font.bold else glyph_widths.REGULAR

    def px(units: int) -> int:
        return math.ceil(units * ppem / glyph_widths.UNITS_PER_EM)

    widths = {chr(first + offset): px(units) for first, row in table for offset, units in enumerate(row)
              if units is not None}
    return _Widths(widths, px(glyph_widths.WIDEST))


def column_px(width: float) -> int:
    """The room for text in a column `width` Excel character units wide, in pixels at 100 % zoom."""
    return max(1, int(width * DIGIT_PX) - CELL_MARGIN_PX)


def _word_lines(word: str, widths: _Widths, room: int, used: int) -> tuple[int, int]:
    """Break a word wider than a line between letters: (lines it adds, room used on its last line)."""
    added = 0
    for char in word:
        step = widths[char]
        if used and used + step > room:
            added, used = added + 1, step
        else:
            used += step
    return added, used


def _paragraph_lines(paragraph: str, widths: _Widths, room: int) -> int:
    if sum(map(widths.__getitem__, paragraph)) <= room:
        return 1
    space = widths[" "]
    lines, used = 1, -1          # -1: nothing on the current line yet
    for word in paragraph.split(" "):
        size = sum(map(widths.__getitem__, word))
        if used >= 0 and used + space + size <= room:
            used += space + size
            continue
        if used >= 0:
            lines += 1
        if size <= room:
            used = size
        else:
            added, used = _word_lines(word, widths, room, 0)
            lines += added
    return lines


@lru_cache(maxsize=1 << 16)
def text_lines(text: str, width: float, font: Font = BODY) -> int:
    """How many lines `text` takes when wrapped in a column `width` Excel character units wide (at least 1)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)    # "ư" is wider than "u" + its combining horn
    widths, room = _widths(font), column_px(width)
    paragraphs = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return sum(_paragraph_lines(p, widths, room) for p in paragraphs)


def row_height(lines: int, font: Font = BODY) -> float:
    """Points for a row of `lines` lines, in whole pixels, at most Excel's limit."""
    line_px = math.ceil(font.size * PX_PER_PT * LINE_EM)
    return min(MAX_ROW_HEIGHT, (max(1, lines) * line_px + ROW_PADDING_PX) * 0.75)   # 0.75 pt a pixel: exact


def fit_height(cells: Iterable[tuple[str, float]], font: Font = BODY) -> float:
    """The height of a row whose wrapped cells hold these (text, column width) pairs."""
    return row_height(max((text_lines(text, width, font) for text, width in cells if text), default=1), font)
