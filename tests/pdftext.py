"""Where LibreOffice put each word of a PDF (poppler's pdftotext -bbox): for tests that text is not overprinted."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

PDFTOTEXT = shutil.which("pdftotext")
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass(frozen=True, slots=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words(pdf: Path) -> list[Word]:
    """Every word of the PDF with its box, page by page, in reading order."""
    assert PDFTOTEXT is not None, "pdftotext (poppler-utils) is not installed"
    html = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=120).stdout
    found = []
    for page, body in enumerate(html.split("<page")[1:], start=1):
        for match in _WORD.finditer(body):
            x0, y0, x1, y1 = map(float, match.groups()[:4])
            found.append(Word(page, x0, y0, x1, y1, match.group(5)))
    return found


def overprinted(found: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of words drawn over each other: overlapping across and by more than half a line down.

    Lines of one cell are a line pitch apart, a little less than a word box is high, so boxes of neighbouring
    lines touch; text that spilled out of a too-short row lands on the row below's text instead."""
    pairs = []
    for page in sorted({w.page for w in found}):
        boxes = sorted((w for w in found if w.page == page), key=lambda w: w.y0)
        for i, first in enumerate(boxes):
            for second in boxes[i + 1:]:
                if second.y0 > first.y1 - (first.y1 - first.y0) / 2:
                    break
                if min(first.x1, second.x1) - max(first.x0, second.x0) > 1:
                    pairs.append((first, second))
    return pairs


def text_size(found: list[Word], page: int) -> float:
    """The printed size, in points, of most text on a page: a word box is 1.3 times its font size high."""
    heights = sorted(w.y1 - w.y0 for w in found if w.page == page)
    return heights[len(heights) // 2] / 1.3 if heights else 0.0
