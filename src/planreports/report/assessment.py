"""Sections III–V of the report: the assessment, the directions for the next period, the proposals.

The assessment assesses: merits are what was completed or rose; what fell, what is overdue or not started, and
the share of a figure left undone ("đã xử lý" of "được phát hiện") are limitations. It cites the main figures by
their change only (the totals are stated once, in section II). Tasks with a due point and recurring tasks are
counted apart: "đúng hạn" means nothing without a deadline. Proposals go to the body each theme is addressed to
in the settings ([report] proposal_addressees); a theme the province answers itself (an empty list) becomes a
direction, not a request upward.
"""

from __future__ import annotations

from planreports.consolidation.compare import change_percent
from planreports.plan.model import Indicator
from planreports.plan.periods import parse_period
from planreports.progress.rules import FINISHED, Overall, SubmissionState
from planreports.report.content import Block, Facts, Gap, area, blank, directive_name, percent_of
from planreports.report.tasks import cite, deadline_note, lead_phrase
from planreports.report.wording import by_theme, grouped, joined, lower_first, theme_of, without_request_word

# A change smaller than this (in percent) is "not notable": neither a merit nor a limitation. A reviewer does not
# call a 0,7 % rise in funding a strength, nor a 0,7 % fall in documents a weakness.
NOTABLE_CHANGE = 5.0

COUNTED = ((Overall.DONE, "đã hoàn thành"), (Overall.DONE_LATE, "hoàn thành quá hạn"),
           (Overall.OVERDUE, "quá hạn chưa hoàn thành"), (Overall.IN_PROGRESS, "đang thực hiện trong hạn"),
           (Overall.NOT_STARTED, "chưa thực hiện"), (Overall.NOT_APPLICABLE, "không phát sinh"),
           (Overall.NO_REPORT, "chưa có báo cáo"))
COUNTED_RECURRING = ((Overall.DONE, "đã thực hiện trong năm"), (Overall.IN_PROGRESS, "đang thực hiện"),
                     (Overall.NOT_STARTED, "chưa thực hiện"), (Overall.NOT_APPLICABLE, "không phát sinh"),
                     (Overall.NO_REPORT, "chưa có báo cáo"))


def _counts(facts: Facts, recurring: bool) -> str:
    lines = [t for t in facts.tasks if t.recurring == recurring]
    words = COUNTED_RECURRING if recurring else COUNTED
    parts = [f"{n} {label}" for status, label in words if (n := sum(1 for t in lines if t.overall is status))]
    kind = "thường xuyên, hằng năm" if recurring else "có thời hạn"
    return f"{len(lines)} nhiệm vụ {kind}" + (f" ({', '.join(parts)})" if parts else "")


def _previous_share(facts: Facts, indicator: Indicator) -> float | None:
    """The previous period's share of a part-of indicator ("đã xử lý" of "được phát hiện"), when it has one."""
    before = facts.previous
    if before is None or not indicator.part_of:
        return None
    part, whole = before.totals.get(indicator.code), before.totals.get(indicator.part_of)
    return part / whole if part is not None and whole else None


def _share_fell(facts: Facts, indicator: Indicator) -> bool:
    rate, earlier = facts.rate(indicator), _previous_share(facts, indicator)
    return rate is not None and earlier is not None and rate[0] / rate[1] < earlier


def _pairs(facts: Facts) -> list[tuple[Indicator, bool, float | None]]:
    """Every indicator with a figure in both periods that changed: (indicator, rose, change in percent or None
    when from nothing)."""
    before = facts.previous.totals if facts.previous is not None else {}
    out = []
    for indicator in facts.plan.indicators:
        now, then = facts.given_total(indicator.code), before.get(indicator.code)
        if now is not None and then is not None and now != then:
            out.append((indicator, now > then, change_percent(now, then)))
    return out


def _compared(facts: Facts) -> list[tuple[Indicator, bool, float | None]]:
    """The changes an assessment weighs: a count another is a share of (false news detected) is context,
    neither merit nor limitation."""
    bases = {i.part_of for i in facts.plan.indicators if i.part_of}
    return [pair for pair in _pairs(facts) if pair[0].code not in bases]


def _notable(percent: float | None) -> bool:
    return percent is None or abs(percent) >= NOTABLE_CHANGE


def _changes(facts: Facts, rising: bool) -> list[Indicator]:
    """The indicators that rose (or fell) by a notable share: their figures and changes are said once, in
    section II. A part whose share fell is not a merit even when it rose (it is said among the limitations)."""
    return [indicator for indicator, rose, percent in _compared(facts)
            if rose == rising and _notable(percent) and not (rising and _share_fell(facts, indicator))]


def _steady(facts: Facts) -> list[Block]:
    """The rule said before the lists: a change under NOTABLE_CHANGE is neither merit nor limitation. "The
    others changed little" only when it is true of every other indicator with figures for both periods."""
    if facts.previous is None or not facts.previous.totals:
        return []
    listed = {indicator.code for rising in (True, False) for indicator in _changes(facts, rising)}
    others = [p for i, _, p in _pairs(facts) if i.code not in listed]
    label, limit = facts.previous.period.label, f"{NOTABLE_CHANGE:g}%"
    if not others or any(_notable(p) for p in others):
        return [Block("p", f"Các chỉ tiêu tăng, giảm từ {limit} trở lên so với {label} được nêu dưới đây.")] \
            if listed else []
    if listed:
        return [Block("p", f"Các chỉ tiêu tăng, giảm từ {limit} trở lên so với {label} được nêu dưới đây; các chỉ "
                           f"tiêu khác có số liệu cả hai năm thay đổi không đáng kể.")]
    return [Block("p", f"Các chỉ tiêu có số liệu cả hai năm thay đổi không đáng kể so với {label} (tăng, giảm "
                       f"dưới {limit}).")]


def _comparable(facts: Facts) -> list[Block]:
    """Figures of two years compare only as far as the same units reported: say so when they did not."""
    before = facts.previous
    now = sum(1 for u in facts.units if u.state in (SubmissionState.ON_TIME, SubmissionState.LATE))
    if before is None or not before.totals or not before.reported or \
            abs(now - before.reported) / before.reported * 100 < NOTABLE_CHANGE:
        return []
    return [Block("p", f"Số liệu so sánh giữa hai năm chỉ mang tính tương đối: {facts.period.label} có {now} cơ "
                       f"quan, đơn vị, địa phương báo cáo, {before.period.label} có {before.reported}.")]


def _changed(facts: Facts, rising: bool) -> list[Block]:
    """"- Tăng so với năm 2025 (số liệu tại Mục II): …" (or "Giảm"), when something rose (or fell)."""
    named = [lower_first(indicator.name) for indicator in _changes(facts, rising)]
    if not named or facts.previous is None:
        return []
    return [Block("p", f"- {'Tăng' if rising else 'Giảm'} so với {facts.previous.period.label} (số liệu tại Mục II): "
                       f"{'; '.join(named)}.")]


def _merits(facts: Facts) -> list[Block]:
    blocks = [Block("h2", "1. Ưu điểm")]
    done_now = [cite(facts.task(t.task_id)) for t in facts.tasks
                if not t.recurring and t.overall in FINISHED and t.done_in == facts.period.id]
    if done_now:
        blocks.append(Block("p", f"- Hoàn thành {joined(done_now)}."))
    carried = [cite(facts.task(t.task_id)) for t in facts.tasks if t.recurring and t.overall is Overall.DONE]
    if carried:
        blocks.append(Block("p", f"- Các đơn vị chủ trì đã thực hiện đầy đủ {joined(carried)}."))
    blocks += _changed(facts, rising=True)
    if len(blocks) == 1:
        blocks.append(Block("p", f"- Chưa có nhiệm vụ hoàn thành trong kỳ hoặc kết quả tăng so với kỳ trước; "
                                 f"{blank(Gap.MERITS)}."))
    return blocks


def _shares_undone(facts: Facts) -> list[str]:
    out = []
    for indicator in facts.plan.indicators:
        rate = facts.rate(indicator)
        if rate is not None and rate[0] < rate[1]:
            whole: Indicator = next(i for i in facts.plan.indicators if i.code == indicator.part_of)
            earlier = _previous_share(facts, indicator)
            was = (f" ({facts.previous.period.label}: {percent_of(earlier, 1.0)})"
                   if earlier is not None and facts.previous is not None else "")
            out.append(f"- {indicator.name} mới bằng {percent_of(*rate)} số {lower_first(whole.name)}{was}.")
    return out


def _limitations(facts: Facts) -> list[Block]:
    blocks = [Block("h2", "2. Hạn chế, tồn tại")]
    overdue = [cite(facts.task(t.task_id), deadline_note(t)) for t in facts.tasks
               if t.overall is Overall.OVERDUE]
    if overdue:
        blocks.append(Block("p", f"- Còn {len(overdue)} nhiệm vụ quá hạn chưa hoàn thành: {'; '.join(overdue)}."))
    for status, said in ((Overall.NOT_STARTED, "Chưa thực hiện"), (Overall.NO_REPORT, "Chưa có báo cáo kết quả")):
        idle = [cite(facts.task(t.task_id), f"chủ trì: {lead_phrase(t.lead)}") for t in facts.tasks
                if t.overall is status]
        if idle:
            blocks.append(Block("p", f"- {said}: {joined(idle)}."))
    lagging = [cite(facts.task(t.task_id)) for t in facts.tasks
               if t.recurring and t.overall is Overall.IN_PROGRESS and t.not_started > 0]
    if lagging:
        blocks.append(Block("p", f"- Còn đơn vị chủ trì chưa thực hiện {joined(lagging)}."))
    blocks += _changed(facts, rising=False)
    blocks += [Block("p", text) for text in _shares_undone(facts)]
    if any(u.state is not SubmissionState.ON_TIME for u in facts.units):
        blocks.append(Block("p", "- Một số cơ quan, đơn vị chưa thực hiện đúng chế độ báo cáo (nêu tại Mục I)."))
    if len(blocks) == 1:
        blocks.append(Block("p", f"- {blank(Gap.LIMITATIONS)}."))
    return blocks


def _causes(facts: Facts) -> list[Block]:
    themes = by_theme((a.agency, a.difficulty) for a in facts.answers if a.difficulty)
    # in the units' own words (quoted: they are not the province's), one per theme, most raised first
    said = "; ".join(f"“{example.strip().rstrip(' .;')}”" for _, _, example in themes)
    reported = (f"theo phản ánh của các cơ quan, đơn vị, khó khăn, vướng mắc chủ yếu là: {said}." if themes else
                "các cơ quan, đơn vị không phản ánh khó khăn, vướng mắc.")
    return [Block("h2", "3. Nguyên nhân"), Block("p", f"- Khách quan: {reported}"),
            Block("p", f"- Chủ quan: {blank(Gap.CAUSES)}.")]


def assessment(facts: Facts) -> list[Block]:
    intro = (f"Kế hoạch có {len(facts.tasks)} nhiệm vụ: {_counts(facts, recurring=False)}; "
             f"{_counts(facts, recurring=True)}.")
    return [Block("h1", "III. ĐÁNH GIÁ CHUNG"), Block("p", intro), *_comparable(facts), *_steady(facts),
            *_merits(facts), *_limitations(facts), *_causes(facts)]


def _proposal_groups(facts: Facts) -> list[tuple[tuple[str, ...] | None, list[str]]]:
    """Proposals grouped by whom they ask: (addressees, texts); None: not configured; (): the province itself."""
    texts = grouped((a for a in facts.answers if a.proposal), lambda a: a.proposal, lambda a: a.agency)
    out: dict[tuple[str, ...] | None, list[str]] = {}
    for text, _ in texts:
        addressed = facts.config.proposal_addressees.get(theme_of(text))
        out.setdefault(addressed, []).append(text)
    return list(out.items())


def _following(facts: Facts) -> str:
    """"năm 2027" after the annual report of 2026; "kỳ báo cáo tiếp theo" after a half-year one."""
    if facts.period.half is None:
        return parse_period(str(facts.period.year + 1)).label
    return "kỳ báo cáo tiếp theo"


def next_period(facts: Facts) -> list[Block]:
    following = _following(facts)
    blocks = [Block("h1", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")]
    for line in facts.tasks:
        task = facts.task(line.task_id)
        if line.overall is Overall.OVERDUE:
            new = facts.settings.new_deadlines.get(task.id) or blank(Gap.NEW_DEADLINE)
            blocks.append(Block("p", f"- Chuyển sang {following} {cite(task, f'chủ trì: {lead_phrase(line.lead)}')}, "
                                     f"thời hạn hoàn thành: {new}."))
        elif not line.recurring and line.overall not in (*FINISHED, Overall.NOT_APPLICABLE):
            blocks.append(Block("p", f"- Hoàn thành {cite(task, f'chủ trì: {lead_phrase(line.lead)}')}, thời hạn: "
                                     f"{lower_first(task.deadline.text)}."))
    blocks.append(Block("p", "- Tiếp tục thực hiện các nhiệm vụ thường xuyên, hằng năm của Kế hoạch; tập trung các "
                             "nhiệm vụ còn đơn vị chưa triển khai (nêu tại Mục III)."))
    for addressed, texts in _proposal_groups(facts):
        if addressed == ():   # the province answers it itself
            asked = "; ".join(map(without_request_word, texts))
            blocks.append(Block("p", f"- Xem xét, đáp ứng đề xuất của các cơ quan, đơn vị: {asked}."))
    if any(u.state is not SubmissionState.ON_TIME for u in facts.units):
        blocks.append(Block("p", "- Các cơ quan, đơn vị, địa phương gửi báo cáo đầy đủ, đúng thời hạn, đúng biểu "
                                 "mẫu."))
    return blocks


def unaddressed(facts: Facts) -> list[str]:
    """The bodies section V asks that the report is neither addressed to nor sent to: a request to a body that
    never receives the report goes unanswered."""
    sent = [*facts.config.addressees, *facts.config.recipients]
    asked = dict.fromkeys(body for addressed, _ in _proposal_groups(facts) if addressed for body in addressed)
    return [body for body in asked if not any(line.startswith(body) for line in sent)]


def proposals(facts: Facts) -> list[Block]:
    blocks = [Block("h1", "V. ĐỀ XUẤT, KIẾN NGHỊ")]
    upward = [(a, t) for a, t in _proposal_groups(facts) if a != ()]
    for number, (addressed, texts) in enumerate(upward, start=1):
        who = joined(list(addressed)) if addressed else blank(Gap.ADDRESSEE)
        # a single proposal is not numbered
        numbered = f"{number}. " if len(upward) > 1 else ""
        blocks.append(Block("p", f"{numbered}Đề nghị {who}: {'; '.join(map(without_request_word, texts))}."))
    if not upward:
        blocks.append(Block("p", f"Đề xuất, kiến nghị: {blank(Gap.PROPOSALS)}."))
    addressees = joined(list(facts.config.addressees)) if facts.config.addressees else ""
    # "báo cáo" once, and the year after the place, not after "Thủ tướng Chính phủ"
    close = (f"Trên đây là kết quả thực hiện {directive_name(facts.config)} trên địa bàn {area(facts.config)} "
             f"{facts.period.label}" + (f", {facts.config.issuer_name} báo cáo {addressees}" if addressees else "")
             + "./.")
    blocks.append(Block("p", close))
    return blocks
