"""Plain-text tables and labels for the terminal (Vietnamese)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

VERDICT_LABELS = {
    "accepted": "Đạt",
    "warning": "Đạt, có cảnh báo",
    "rejected": "Không đạt",
    "duplicate": "Trùng (đã nhận trước đó)",
}


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    if _width(text) <= width:
        return text + " " * (width - _width(text))
    return text[: width - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 40) -> str:
    widths = [min(max_width, max([_width(h)] + [_width(r[i]) for r in rows])) for i, h in enumerate(headers)]
    lines = ["  ".join(_fit(h, w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_fit(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)
