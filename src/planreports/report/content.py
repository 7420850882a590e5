"""The report's content, generated from the consolidated data: the context the Word template is filled with.

Sections follow the usual outline of an implementation report (báo cáo kết quả thực hiện):
I. leadership and direction; II. results by the plan's seven task groups; III. overall assessment;
IV. directions for the next period; V. proposals. Wording is Vietnamese administrative prose; figures use
Vietnamese number format; agency names are the registry's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from planreports.config import Config
from planreports.consolidation.frames import Consolidation
from planreports.plan.model import ROLE_LEAD, Task
from planreports.report.row_clone import TableData
from planreports.vn.numerals import format_number
from planreports.vn.text import fold

LANDSCAPE_WIDTH_CM = 26.2   # A4 landscape less the appendix sections' margins
BLANK_NUMBER = "     "


def decree_date(day: date | None, year: int) -> str:
    """"ngày 05 tháng 02 năm 2025": day < 10 and months 1, 2 take a leading zero (NĐ 30/2020)."""
    if day is None:
        return f"ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _block(kind: str, text: str) -> dict[str, str]:
    return {"kind": kind, "text": text}


def _names(frame: pd.DataFrame) -> str:
    return ", ".join(frame["agency_name"].tolist())


def _grouped_texts(frame: pd.DataFrame, column: str) -> list[tuple[str, list[str]]]:
    """Identical texts (ignoring case, spacing, diacritics, final full stop) merged, with the agencies that
    wrote them, in first-seen order. Each distinct text is folded once."""
    texts = frame[column].to_numpy()
    names = frame["agency_name"].to_numpy()
    keys: dict[str, str] = {}
    groups: dict[str, tuple[str, list[str]]] = {}
    for text, name in zip(texts, names, strict=True):
        if not text:
            continue
        key = keys.get(text)
        if key is None:
            key = keys[text] = fold(text).rstrip(" .;")
        if key in groups:
            groups[key][1].append(name)
        else:
            groups[key] = (text.strip().rstrip(" ;"), [name])
    return list(groups.values())


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":", ";")) else text + "."


class ReportWriter:
    def __init__(self, data: Consolidation, config: Config) -> None:
        self.data = data
        self.config = config
        self.plan = data.plan
        self.period = data.period
        self.totals = data.totals.set_index("code")
        self.body: list[dict[str, str]] = []

    # ------------------------------------------------------------ helpers
    def add(self, kind: str, text: str) -> None:
        self.body.append(_block(kind, text))

    def figure(self, code: str) -> str:
        row = self.totals.loc[code]
        return f"{format_number(float(row['total']))} {row['unit']}"

    def figure_sentence(self, group_id: str) -> str | None:
        parts = [f"{i.name.lower()}: {self.figure(i.code)}" for i in self.plan.indicators
                 if group_id in i.groups and float(self.totals.loc[i.code, "total"]) > 0]
        if not parts:
            return None
        return "Kết quả cụ thể: " + "; ".join(parts) + "."

    # ------------------------------------------------------------ sections
    def introduction(self) -> None:
        subs = self.data.submissions
        reported = int(subs["state"].isin(["on_time", "late"]).sum())
        self.add("p", f"Thực hiện {self.config.plan_reference} về {self._plan_title_lower()}, "
                      f"trên cơ sở báo cáo của {reported}/{len(subs)} cơ quan, đơn vị, địa phương, "
                      f"{self.config.issuer_name} báo cáo kết quả thực hiện {self.period.label} "
                      f"(số liệu tính {self.period.span}) như sau:")

    def _plan_title_lower(self) -> str:
        title = self.config.plan_title
        return title[0].lower() + title[1:] if title else ""

    def leadership(self) -> None:
        self.add("h1", "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN")
        start = len(self.body)
        docs = self.data.figures[self.data.figures["code"] == "VB_CHIDAO"]
        if len(docs):
            self.add("p", f"Trong kỳ, các cơ quan, đơn vị, địa phương đã ban hành {self.figure('VB_CHIDAO')} chỉ "
                          f"đạo, hướng dẫn, kế hoạch về công tác truyền thông chính sách.")
        notes = self.data.notes[self.data.notes["code"] == "VB_CHIDAO"].merge(
            self.data.submissions[["agency", "agency_name"]], on="agency")
        for row in notes.itertuples():
            self.add("p", f"- {row.agency_name}: {_sentence(row.note)}")
        planning = self.data.detail[(self.data.detail["task_id"].isin(["5.1", "5.2", "2.4"]))
                                    & (self.data.detail["role"] == ROLE_LEAD)]
        for text, agencies in _grouped_texts(planning, "result"):
            self.add("p", f"- {', '.join(agencies)}: {_sentence(text)}")
        if len(self.body) == start:
            self.add("p", "Chưa có cơ quan, đơn vị nào báo cáo văn bản chỉ đạo, kế hoạch đã ban hành trong kỳ.")

    def results(self) -> None:
        self.add("h1", "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ")
        tasks = self.data.tasks.set_index("task_id")
        detail = self.data.detail
        for number, group in enumerate(self.plan.task_groups, start=1):
            self.add("h2", f"{number}. {group.title}")
            for task in (t for t in self.plan.tasks if t.group == group.id):
                self.task_result(task, tasks.loc[task.id], detail[detail["task_id"] == task.id])
            figures = self.figure_sentence(group.id)
            if figures:
                self.add("p", figures)

    def task_result(self, task: Task, summary: pd.Series, detail: pd.DataFrame) -> None:
        self.add("h3", f"Nhiệm vụ {task.id}. {task.text}")
        leads = detail[detail["role"] == ROLE_LEAD]
        reported = leads[leads["status"] != ""]
        status = f"Chủ trì: {task.lead or _names(leads)}. Thời hạn: {task.deadline.text}. "
        if len(leads):
            status += (f"Đánh giá chung: {str(summary['overall_label']).lower()} ({len(reported)}/{len(leads)} "
                       f"đơn vị chủ trì đã báo cáo; {int(summary['done'])} hoàn thành, {int(summary['ongoing'])} "
                       f"đang thực hiện, {int(summary['not_started'])} chưa thực hiện).")
        self.add("p", status)
        for text, agencies in _grouped_texts(leads, "result"):
            self.add("p", f"- {', '.join(agencies)}: {_sentence(text)}")
        support = detail[detail["role"] != ROLE_LEAD]
        for text, agencies in _grouped_texts(support, "result"):
            self.add("p", f"- {', '.join(agencies)} (phối hợp): {_sentence(text)}")

    def assessment(self) -> None:
        self.add("h1", "III. ĐÁNH GIÁ CHUNG")
        tasks, subs = self.data.tasks, self.data.submissions
        counts = tasks["overall"].value_counts()
        self.add("h2", "1. Ưu điểm")
        self.add("p", f"Các cơ quan, đơn vị, địa phương cơ bản quan tâm triển khai các nhiệm vụ được giao tại "
                      f"{self.config.plan_short}. Trong {len(tasks)} nhiệm vụ của Kế hoạch, "
                      f"{int(counts.get('done', 0))} nhiệm vụ đã hoàn thành, {int(counts.get('in_progress', 0))} "
                      f"nhiệm vụ đang thực hiện.")
        highlights = [f"{i.name.lower()}: {self.figure(i.code)}" for i in self.plan.indicators
                      if float(self.totals.loc[i.code, "total"]) > 0]
        if highlights:
            self.add("p", "Một số kết quả nổi bật: " + "; ".join(highlights) + ".")
        self.add("h2", "2. Tồn tại, hạn chế và nguyên nhân")
        overdue = tasks[tasks["overall"] == "overdue"]["task_id"].tolist()
        if overdue:
            self.add("p", f"- Còn {len(overdue)} nhiệm vụ chưa hoàn thành dù đã đến hạn: {', '.join(overdue)}.")
        missing = subs[subs["state"].isin(["missing", "rejected"])]
        late = subs[subs["state"] == "late"]
        if len(missing):
            self.add("p", f"- Còn {len(missing)} cơ quan, đơn vị chưa gửi báo cáo hoặc báo cáo chưa đạt yêu cầu: "
                          f"{_names(missing)}.")
        if len(late):
            self.add("p", f"- {len(late)} cơ quan, đơn vị gửi báo cáo chậm so với thời hạn: {_names(late)}.")
        difficulties = _grouped_texts(self.data.detail, "difficulty")
        if difficulties:
            self.add("p", "- Khó khăn, vướng mắc do các cơ quan, đơn vị phản ánh:")
            for text, agencies in difficulties:
                self.add("p", f"+ {_sentence(text)} ({', '.join(dict.fromkeys(agencies))})")
        if not (overdue or len(missing) or len(late) or difficulties):
            self.add("p", "Không có cơ quan, đơn vị nào phản ánh khó khăn, vướng mắc.")

    def next_period(self) -> None:
        self.add("h1", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
        tasks = self.data.tasks
        pending = tasks[~tasks["overall"].isin(["done", "not_applicable"])]
        recurring = [t.id for t in self.plan.tasks if t.deadline.recurring]
        one_off = pending[pending["task_id"].map(lambda i: not self.plan.task_by_id[i].deadline.recurring)]
        for row in one_off.itertuples():
            self.add("p", f"- Khẩn trương hoàn thành nhiệm vụ {row.task_id} ({row.overall_label.lower()}; chủ trì: "
                          f"{row.lead}; thời hạn: {row.deadline}).")
        if recurring:
            self.add("p", f"- Tiếp tục thực hiện thường xuyên, hằng năm các nhiệm vụ {', '.join(recurring)} của "
                          f"Kế hoạch; nâng cao chất lượng, hiệu quả công tác truyền thông chính sách.")
        self.add("p", "- Các cơ quan, đơn vị, địa phương gửi báo cáo đầy đủ, đúng thời hạn, đúng biểu mẫu.")

    def proposals(self) -> None:
        self.add("h1", "V. ĐỀ XUẤT, KIẾN NGHỊ")
        proposals = _grouped_texts(self.data.detail, "proposal")
        if not proposals:
            self.add("p", "Không có đề xuất, kiến nghị.")
        for text, agencies in proposals:
            self.add("p", f"- {_sentence(text)} ({', '.join(dict.fromkeys(agencies))})")
        self.add("p", f"Trên đây là báo cáo kết quả thực hiện {self.config.plan_short} {self.period.label} của "
                      f"{self.config.issuer_name}./.")

    # ------------------------------------------------------------ appendices
    def appendix1(self) -> TableData:
        return TableData([{"id": t.task_id, "text": t.text, "lead": t.lead, "deadline": t.deadline,
                           "leads": str(t.leads), "done": str(t.done), "ongoing": str(t.ongoing),
                           "not_started": str(t.not_started), "not_applicable": str(t.not_applicable),
                           "no_report": str(t.no_report), "overall": t.overall_label}
                          for t in self.data.tasks.itertuples()])

    def appendix2(self) -> tuple[list[str], TableData]:
        indicators = self.plan.indicators
        codes = [i.code for i in indicators]
        legend = [f"({n}) {i.name} ({i.unit})" for n, i in enumerate(indicators, start=1)]
        reported = self.data.submissions[self.data.submissions["state"].isin(["on_time", "late"])]
        pivot = self.data.figures.pivot_table(index="agency", columns="code", values="value", aggfunc="sum")
        grid = pivot.reindex(index=reported["agency"], columns=codes).to_numpy()  # NaN: not reported
        rows: list[dict[str, str | list[str]]] = [
            {"no": str(number), "name": name, "figure": ["-" if v != v else format_number(float(v)) for v in values]}
            for number, (name, values) in enumerate(zip(reported["agency_name"], grid, strict=True), start=1)]
        rows.append({"no": "", "name": "Tổng cộng",
                     "figure": [format_number(float(self.totals.loc[c, "total"])) for c in codes]})
        share = (LANDSCAPE_WIDTH_CM - 7.7) / max(1, len(codes))
        return legend, TableData(rows, {"head": [f"({n})" for n in range(1, len(codes) + 1)]},
                                 [1.2, 6.5, *([share] * len(codes))])

    def appendix3(self) -> TableData:
        rows = []
        for number, sub in enumerate(self.data.submissions.itertuples(), start=1):
            received = ""
            if isinstance(sub.received_at, str) and sub.received_at:
                received = date.fromisoformat(sub.received_at[:10]).strftime("%d/%m/%Y")
            note = f"{sub.findings} cảnh báo" if sub.state in ("on_time", "late") and sub.findings else ""
            rows.append({"no": str(number), "name": sub.agency_name, "bloc": sub.bloc, "state": sub.state_label,
                         "received": received, "note": note})
        return TableData(rows)

    # ------------------------------------------------------------ everything
    def context(self) -> tuple[dict[str, Any], dict[str, TableData]]:
        self.introduction()
        self.leadership()
        self.results()
        self.assessment()
        self.next_period()
        self.proposals()
        settings = self.config.period_settings(self.period)
        number = settings.number or BLANK_NUMBER
        date_line = decree_date(settings.report_date, self.period.year)
        legend, appendix2 = self.appendix2()
        config = self.config
        recipients = ["Như trên;"] if config.addressees else []
        recipients += [r if r.endswith((";", ".")) else f"{r};" for r in config.recipients]
        recipients.append(config.archive_mark)
        addressees = [a if a.endswith((";", ".")) else f"{a};" for a in config.addressees]
        if addressees:
            addressees[-1] = addressees[-1].rstrip(";") + "."
        return {
            "issuer_parent": config.parent_line, "issuer_lines": list(config.issuer_lines), "number": number,
            "symbol": config.symbol, "place": config.place, "date_line": date_line,
            "summary_line": config.summary.format(period=self.period.label),
            "addressees": addressees, "body": self.body, "recipients": recipients,
            "signer_lines": [line for line in (config.signer_authority, *config.signer_titles) if line],
            "signer_name": config.signer_name,
            "appendix_line": f"(Kèm theo Báo cáo số {number}/{config.symbol} {date_line} của {config.issuer_name})",
            "indicator_legend": legend,
        }, {"appendix1": self.appendix1(), "appendix2": appendix2, "appendix3": self.appendix3()}


def report_context(data: Consolidation, config: Config) -> tuple[dict[str, Any], dict[str, TableData]]:
    """The template's fields, and the rows of the appendix tables (filled by cloning, see docx_tables)."""
    return ReportWriter(data, config).context()
