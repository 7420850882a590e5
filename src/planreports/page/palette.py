"""Colours and default labels of the page: the Okabe–Ito palette, safe for the common colour-vision deficiencies.

Colour is never the only cue: every segment and chip also has its label in words, and the "nothing arrived"
states (a unit that has not sent, a task nobody reported on) are hatched rather than merely grey.
"""

from __future__ import annotations

from planreports.page.data import PageData, UnitState
from planreports.page.svg import Swatch

BLACK = "#000000"
WHITE = "#ffffff"

# (fill, ink for numbers on it, hatched)
STATE_COLOURS: dict[UnitState, tuple[str, str, bool]] = {
    UnitState.ON_TIME: ("#009e73", BLACK, False),
    UnitState.LATE: ("#e69f00", BLACK, False),
    UnitState.REJECTED: ("#d55e00", BLACK, False),
    UnitState.MISSING: (WHITE, BLACK, True),
}

OVERALL_COLOURS: dict[str, tuple[str, str, bool]] = {
    "done": ("#009e73", BLACK, False),
    "done_late": ("#005c43", WHITE, False),      # the same green, darker: done, but after the due point
    "in_progress": ("#56b4e9", BLACK, False),
    "not_started": ("#f0e442", BLACK, False),
    "overdue": ("#d55e00", BLACK, False),
    "not_applicable": ("#d9d9d9", BLACK, False),
    "no_report": (WHITE, BLACK, True),
}
# statuses the palette does not know yet still get distinct, readable colours
SPARE_COLOURS: tuple[tuple[str, str, bool], ...] = (
    ("#0072b2", WHITE, False), ("#cc79a7", BLACK, False), ("#999999", BLACK, False), ("#f5f5f5", BLACK, True),
)


def state_swatches(data: PageData) -> tuple[Swatch, ...]:
    """The four states in their fixed order, labelled as the data says."""
    given = dict(data.state_labels)
    return tuple(Swatch(str(state), given[state], *STATE_COLOURS[state])
                 for state in UnitState)


def overall_swatches(data: PageData) -> tuple[Swatch, ...]:
    """Task statuses in the display order of overall_labels, then any key only the counts mention."""
    keys = [key for key, _ in data.overall_labels]
    for group in data.task_groups:
        keys.extend(key for key, _ in group.counts if key not in keys)
    labels = dict(data.overall_labels)
    swatches, spare = [], 0
    for key in dict.fromkeys(keys):
        colours = OVERALL_COLOURS.get(key)
        if colours is None:
            colours = SPARE_COLOURS[spare % len(SPARE_COLOURS)]
            spare += 1
        swatches.append(Swatch(key, labels.get(key) or key, *colours))
    return tuple(swatches)
