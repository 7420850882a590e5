"""Property: any valid answers survive template -> fill (openpyxl) -> read (calamine) -> validate unchanged."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planreports.catalogue import IssueCode
from planreports.form import schema
from planreports.intake.validate import Rules, validate_bytes
from planreports.plan.model import Status
from planreports.plan.seed_lists import seed_text
from planreports.testing.filling import Answers, fill_template
from planreports.workspace import Workspace

AGENCY = "SNGV"
# Real Vietnamese words (every diacritic the plan uses), numbers and punctuation: "valid answers" are what an
# office types. Random letter soup like "aù" is not Vietnamese and would rightly look like VNI.
WORDS = sorted(set(re.findall(r"\w+", seed_text("plan.toml"))))
word = st.one_of(st.sampled_from(WORDS), st.integers(0, 10**6).map(str), st.sampled_from(["-", "(b/c)", "05/12/2024"]))
sentence = st.lists(word, min_size=0, max_size=15).map(" ".join).filter(lambda s: not s.startswith(("-", "=")))


@st.composite
def answers(draw: st.DrawFn, ws: Workspace) -> Answers:
    result = Answers(info={"reporter": draw(sentence.filter(bool)), "phone": "0208 3855 123"})
    for assignment in ws.plan_for(ws.period("2024")).assignments(AGENCY):
        status = draw(st.sampled_from(schema.STATUSES if assignment.role == "Chủ trì" else ("", *schema.STATUSES)))
        needs_result = status in (Status.DONE, Status.ONGOING)
        result.tasks[assignment.task.id] = {
            "status": status or None,
            "result": draw(sentence.filter(bool)) if needs_result else draw(sentence) or None,
            "difficulty": draw(sentence) or None,
            "proposal": draw(sentence) or None,
        }
    for indicator in ws.plan.indicators:
        if indicator.type == "integer":
            result.figures[indicator.code] = draw(st.integers(min_value=0, max_value=10**7))
        else:
            result.figures[indicator.code] = draw(st.integers(min_value=0, max_value=10**6)) / 100
    return result


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_valid_answers_round_trip(ws: Workspace, seed_templates: Path, tmp_path: Path, data: st.DataObject) -> None:
    typed = data.draw(answers(ws))
    path = fill_template(seed_templates / f"{AGENCY}.xlsx", typed, tmp_path / "roundtrip.xlsx")
    result = validate_bytes(path.read_bytes(), path.name, Rules(ws.plan, ws.config.limits, "2024"))
    # random words may put a number before a unit ("7 tin") above the unit's own figure: that warning is right
    assert [i for i in result.issues if i.code != IssueCode.TEXT_EXCEEDS_FIGURE] == []
    assert all(i.severity == "warning" for i in result.issues)
    sub = result.submission
    assert sub is not None
    for answer in sub.answers:
        wanted = typed.tasks[answer.task_id]
        assert answer.status == (wanted["status"] or "")
        assert answer.result == (wanted["result"] or "")
        assert answer.difficulty == (wanted["difficulty"] or "")
        assert answer.proposal == (wanted["proposal"] or "")
    assert sub.figures == {code: float(value) for code, value in typed.figures.items()}
    assert sub.info["reporter"] == typed.info["reporter"]
