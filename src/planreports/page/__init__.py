"""The status page of a reporting round: one self-contained HTML file, rendered from plain data.

Who has sent, who is late, whose file was rejected and why, and how far along the plan's tasks are. The page
fetches nothing (no fonts, scripts, styles or images from anywhere), so it can be e-mailed, opened from a
shared folder without network, or printed on A4.
"""

from planreports.page.data import (
    GroupProgress,
    IndicatorLine,
    PageData,
    PageFinding,
    PageUnidentified,
    PageUnit,
    UnitState,
)
from planreports.page.render import render_page

__all__ = ["GroupProgress", "IndicatorLine", "PageData", "PageFinding", "PageUnidentified", "PageUnit", "UnitState",
           "render_page"]
