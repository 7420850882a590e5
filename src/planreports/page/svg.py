"""Inline SVG charts as strings: a horizontal stacked bar chart and a ring chart.

Pure and deterministic: coordinates are printed with one decimal, and nothing depends on fonts actually
installed, so text widths are estimated from character counts (generously, so labels never collide).
The charts carry role="img" with a Vietnamese <title> and <desc>; the page always repeats their numbers
in a real table, because a chart alone is neither accessible nor quotable in a meeting.
No xmlns attribute: the HTML parser puts <svg> in the SVG namespace itself, and the page must not contain
any URL at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 960
FONT = 14
SMALL = 13
BAR_HEIGHT = 26
ROW_GAP = 14
TOTAL_WIDTH = 120           # room right of each bar for "120 đơn vị"
LEGEND_ROW = 24
OUTLINE = "#333333"
HATCH_INK = "#4d4d4d"
EM_PER_CHAR = 0.52
_ID = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True, slots=True)
class Swatch:
    key: str
    label: str
    fill: str               # "#rrggbb"
    ink: str                # colour of numbers drawn on the fill (contrast ≥ 4.5:1 checked by hand)
    hatch: bool = False     # diagonal lines over the fill: a cue that does not depend on seeing colour


@dataclass(frozen=True, slots=True)
class BarRow:
    label: str
    counts: tuple[int, ...]     # one per swatch, same order


def num(value: float) -> str:
    """Fixed precision keeps the output byte-identical across runs and platforms."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def percent(part: int, whole: int) -> str:
    """Vietnamese decimal comma: 8 of 34 -> "23,5%"."""
    return f"{(100.0 * part / whole if whole else 0.0):.1f}".replace(".", ",") + "%"


def text_width(text: str, size: float) -> float:
    # measured: Vietnamese sentences in Arial/Liberation Sans average 0.48 em per character
    return len(text) * size * EM_PER_CHAR


def wrap(text: str, max_chars: int, max_lines: int = 2) -> list[str]:
    """Greedy word wrap; what does not fit in max_lines ends with "…" (the full text is in the table)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= max_chars or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max_chars - 1].rstrip() + "…"
    return [line if len(line) <= max_chars else line[: max_chars - 1] + "…" for line in lines]


def describe(rows: Sequence[BarRow], swatches: Sequence[Swatch], unit_word: str) -> str:
    """The chart's numbers as one Vietnamese sentence per bar, for screen readers."""
    parts = []
    for row in rows:
        values = "; ".join(f"{s.label} {n}" for s, n in zip(swatches, row.counts, strict=True))
        parts.append(f"{row.label} ({sum(row.counts)} {unit_word}): {values}.")
    return " ".join(parts)


def _fill(chart_id: str, index: int, swatch: Swatch) -> str:
    return f"url(#{chart_id}-p{index})" if swatch.hatch else swatch.fill


def _defs(chart_id: str, swatches: Sequence[Swatch]) -> str:
    patterns = [
        f'<pattern id="{chart_id}-p{i}" width="7" height="7" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="7" height="7" fill="{s.fill}"/>'
        f'<line x1="0" y1="0" x2="0" y2="7" stroke="{HATCH_INK}" stroke-width="2"/></pattern>'
        for i, s in enumerate(swatches) if s.hatch
    ]
    return f"<defs>{''.join(patterns)}</defs>" if patterns else ""


def _open(chart_id: str, width: int, height: float, title: str, desc: str) -> str:
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart id must be a lowercase token, not {chart_id!r}")
    return (f'<svg class="chart" id="{chart_id}" viewBox="0 0 {width} {num(height)}" width="{width}" '
            f'height="{num(height)}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'font-size="{FONT}">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>')


def _number(x: float, y: float, value: int, swatch: Swatch) -> str:
    halo = ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"' if swatch.hatch else ""
    return (f'<text x="{num(x)}" y="{num(y)}" text-anchor="middle" dominant-baseline="central" '
            f'font-size="{SMALL}" font-weight="bold" fill="{swatch.ink}"{halo}>{value}</text>')


def legend(chart_id: str, swatches: Sequence[Swatch], y: float, width: int = WIDTH) -> tuple[str, float]:
    """Swatches with their labels, left to right in segment order, wrapping; returns (svg, height)."""
    parts, x, row = [], 0.0, 0
    for i, swatch in enumerate(swatches):
        item = 16 + 6 + text_width(swatch.label, FONT) + 22
        if x > 0 and x + item > width:
            x, row = 0.0, row + 1
        top = y + row * LEGEND_ROW
        parts.append(f'<rect x="{num(x)}" y="{num(top + 2)}" width="16" height="16" '
                     f'fill="{_fill(chart_id, i, swatch)}" stroke="{OUTLINE}" stroke-width="0.8"/>'
                     f'<text x="{num(x + 22)}" y="{num(top + 10)}" dominant-baseline="central">'
                     f'{escape(swatch.label)}</text>')
        x += item
    return "".join(parts), (row + 1) * LEGEND_ROW if swatches else 0.0


def _segments(chart_id: str, swatches: Sequence[Swatch], row: BarRow, x0: float, y: float, width: float) -> str:
    total = sum(row.counts)
    parts = [f'<rect x="{num(x0)}" y="{num(y)}" width="{num(width)}" height="{BAR_HEIGHT}" fill="#ffffff" '
             f'stroke="{OUTLINE}" stroke-width="1"/>']
    x = x0
    for i, (swatch, count) in enumerate(zip(swatches, row.counts, strict=True)):
        if count <= 0 or total <= 0:
            continue
        w = width * count / total
        tip = f"{row.label} — {swatch.label}: {count} ({percent(count, total)})"
        parts.append(f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{BAR_HEIGHT}" '
                     f'fill="{_fill(chart_id, i, swatch)}" stroke="#ffffff" stroke-width="1">'
                     f'<title>{escape(tip)}</title></rect>')
        if w >= text_width(str(count), SMALL) + 8:
            parts.append(_number(x + w / 2, y + BAR_HEIGHT / 2, count, swatch))
        x += w
    return "".join(parts)


def stacked_bars(chart_id: str, title: str, swatches: Sequence[Swatch], rows: Sequence[BarRow],
                 unit_word: str, width: int = WIDTH) -> str:
    """One 100% bar per row, segments in swatch order, the row's total at the right end.

    Short labels (bloc names) sit left of the bars; long ones (task group titles) wrap above each bar.
    """
    desc = describe(rows, swatches, unit_word)
    body, legend_height = legend(chart_id, swatches, 0.0, width)
    label_w = max((text_width(r.label, FONT) for r in rows), default=0.0)
    beside = label_w <= 220
    x0 = label_w + 14 if beside else 0.0
    bar_w = width - x0 - TOTAL_WIDTH
    y = legend_height + 10
    parts = [body]
    for row in rows:
        if beside:
            parts.append(f'<text x="0" y="{num(y + BAR_HEIGHT / 2)}" dominant-baseline="central">'
                         f'{escape(row.label)}</text>')
        else:
            max_chars = int(width / (FONT * EM_PER_CHAR))
            for line in wrap(row.label, max_chars):
                parts.append(f'<text x="0" y="{num(y + FONT)}">{escape(line)}</text>')
                y += FONT + 5
            y += 4
        parts.append(_segments(chart_id, swatches, row, x0, y, bar_w))
        parts.append(f'<text x="{num(x0 + bar_w + 10)}" y="{num(y + BAR_HEIGHT / 2)}" dominant-baseline="central">'
                     f'{sum(row.counts)} {escape(unit_word)}</text>')
        y += BAR_HEIGHT + ROW_GAP
    height = y - ROW_GAP + 4
    return _open(chart_id, width, height, title, desc) + _defs(chart_id, swatches) + "".join(parts) + "</svg>"


def ring(chart_id: str, title: str, swatches: Sequence[Swatch], counts: Sequence[int], unit_word: str) -> str:
    """A ring (donut) of the whole, total in the middle, legend with counts and shares on the right."""
    total = sum(counts)
    desc = describe([BarRow("Tổng số", tuple(counts))], swatches, unit_word)
    cx = cy = 110.0
    radius, stroke = 80.0, 34.0
    circumference = 2 * math.pi * radius
    shown = sum(1 for c in counts if c > 0)
    gap = 1.5 if shown > 1 else 0.0
    parts = [f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(radius)}" fill="none" stroke="#e6e6e6" '
             f'stroke-width="{num(stroke)}"/>']
    start = 0.0
    for i, (swatch, count) in enumerate(zip(swatches, counts, strict=True)):
        if count <= 0:
            continue
        length = circumference * count / total
        parts.append(f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(radius)}" fill="none" '
                     f'stroke="{_fill(chart_id, i, swatch)}" stroke-width="{num(stroke)}" '
                     f'stroke-dasharray="{num(max(length - gap, 0.5))} {num(circumference)}" '
                     f'stroke-dashoffset="{num(-start)}" transform="rotate(-90 {num(cx)} {num(cy)})"/>')
        start += length
    parts.append(f'<text x="{num(cx)}" y="{num(cy - 8)}" text-anchor="middle" dominant-baseline="central" '
                 f'font-size="34" font-weight="bold">{total}</text>'
                 f'<text x="{num(cx)}" y="{num(cy + 20)}" text-anchor="middle" dominant-baseline="central">'
                 f'{escape(unit_word)}</text>')
    labels = [f"{s.label}: {n} ({percent(n, total)})" for s, n in zip(swatches, counts, strict=True)]
    width = int(266 + max((text_width(label, FONT) for label in labels), default=0.0) + 12)
    items = []
    top = cy - len(swatches) * 30 / 2
    for i, (swatch, count) in enumerate(zip(swatches, counts, strict=True)):
        y = top + i * 30
        items.append(f'<rect x="240" y="{num(y + 2)}" width="18" height="18" fill="{_fill(chart_id, i, swatch)}" '
                     f'stroke="{OUTLINE}" stroke-width="0.8"/><text x="266" y="{num(y + 11)}" '
                     f'dominant-baseline="central">{escape(swatch.label)}: <tspan font-weight="bold">{count}'
                     f'</tspan> ({percent(count, total)})</text>')
    height = max(2 * cy, top + len(swatches) * 30 + 4)
    return (_open(chart_id, width, height, title, desc) + _defs(chart_id, swatches) + "".join(parts)
            + "".join(items) + "</svg>")
