"""`planreports report`: fill the Word template with the consolidated data -> output/P/bao-cao-P.docx.

docxtpl renders with autoescape on ("Sở Tài chính & Kế hoạch <2024>" stays intact). A template missing a
required field is refused, naming the field. The output is deterministic: fixed core-properties timestamps
and fixed zip entry times.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError

from planreports.config import Config, PeriodSettings
from planreports.consolidation.frames import Consolidation
from planreports.errors import TemplateError
from planreports.files import atomic_path, fixed_zip_times
from planreports.plan.periods import Period
from planreports.report.appendices import figures_table, tasks_table
from planreports.report.assessment import assessment, next_period, proposals, unaddressed
from planreports.report.content import BLANK_MARK, GAP_HINTS, Block, blanks, gather, introduction, leadership
from planreports.report.default_template import REQUIRED_FIELDS
from planreports.report.letter import addressees, letter_fields, recipients
from planreports.report.ooxml import highlight_marks
from planreports.report.results import results
from planreports.report.row_clone import MARKER, TableData, fill_tables, missing_tables


def _load(template: Path, required: tuple[str, ...] = REQUIRED_FIELDS) -> DocxTemplate:
    if not template.exists():
        raise TemplateError(f"Không tìm thấy mẫu báo cáo {template}. Chạy “planreports init --force” trên một thư "
                            "mục tạm rồi chép tệp templates/bao-cao.docx sang.")
    try:
        document = DocxTemplate(str(template))
        used = document.get_undeclared_template_variables()
    except JinjaTemplateError as exc:
        raise TemplateError(f"Mẫu báo cáo {template.name} có trường viết sai ({exc.message}). Trong Word, kiểm tra "
                            "các cặp {{ … }} và {% … %}: không xuống dòng, không đổi dấu ngoặc.") from None
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise TemplateError(f"Không mở được mẫu báo cáo {template.name}: {exc}.") from None
    missing = [field for field in required if field not in used]
    if missing:
        raise TemplateError(f"Mẫu báo cáo {template.name} thiếu trường bắt buộc: "
                            + ", ".join(f"{{{{ {m} }}}}" for m in missing)
                            + ". Bổ sung lại trường này trong Word (xem mẫu gốc do “planreports init” tạo).")
    return document


@dataclass(frozen=True)
class Properties:
    """What the .docx says of itself (File > Properties): its title, who issued it, when it was made — the
    report's own date (the configured one, else the period's last day), so the same inputs give the same bytes."""

    title: str
    author: str
    made: datetime


def render_docx(template: Path, context: dict[str, Any], out: Path, required: tuple[str, ...],
                properties: Properties, after: Callable[[DocxTemplate], dict[bytes, bytes]] | None = None,
                tables: tuple[str, ...] = ()) -> Path:
    """Fill a Word template (autoescaped), set its properties, write atomically. `after` edits the rendered
    document and returns fragments to splice into word/document.xml (placeholder -> XML text)."""
    document = _load(template, required)
    document.init_docx()
    xml = document.docx.element.xml
    stale = sorted({m.group(1) for m in MARKER.finditer(xml)} - set(tables)) if tables else []
    if stale:
        raise TemplateError(f"Mẫu {template.name} là mẫu cũ: còn bảng " + ", ".join(f"[[{m}.…]]" for m in stale)
                            + " không còn dùng (chi tiết từng đơn vị nay ở bảng tổng hợp Excel). Chạy “planreports "
                            "init” trên một thư mục tạm rồi chép tệp templates/bao-cao.docx sang.")
    missing = missing_tables(xml, tables)
    if missing:
        raise TemplateError(f"Mẫu {template.name} thiếu bảng có dòng mẫu " + ", ".join(f"[[{m}.…]]" for m in missing)
                            + ". Khôi phục bảng phụ lục từ mẫu gốc do “planreports init” tạo.")
    try:
        document.render(context, autoescape=True)
    except JinjaTemplateError as exc:
        raise TemplateError(f"Không điền được mẫu {template.name}: {exc}.") from None
    splices = after(document) if after is not None else {}
    props = document.docx.core_properties
    props.created = props.modified = properties.made
    props.last_printed = properties.made
    props.revision = 1
    props.title = properties.title
    props.author = props.last_modified_by = properties.author
    with atomic_path(out) as tmp:
        document.save(str(tmp))
        # the main part is word/document.xml as Word saves it, but some tools name it otherwise
        fixed_zip_times(tmp, {str(document.docx.part.partname).lstrip("/"): splices})
    return out


def report_context(data: Consolidation, config: Config) -> tuple[dict[str, Any], dict[str, TableData], list[str]]:
    """The template's fields, the rows of the appendix tables, and the blanks left for the office."""
    facts = gather(data, config)
    settings = facts.settings
    fields = letter_fields(config, settings.number, config.symbol, settings.report_date, data.period.year)
    body = [block for section in SECTIONS for block in section(facts)]
    fields.update({
        "summary_line": config.summary.format(period=data.period.label),
        "addressees": addressees(config.addressees),
        "recipients": recipients(config, config.recipients, bool(config.addressees)),
        "body": body,
        "appendix_line": f"(Kèm theo Báo cáo số {fields['number']}/{config.symbol} {fields['date_line']} của "
                         f"{config.issuer_name})",
        # an empty name line would go unnoticed under the signature: a highlighted blank instead
        "signer_name": config.signer_name or "(…… họ tên người ký ……)",
    })
    tables = {"appendix1": tasks_table(facts), "appendix2": figures_table(facts)}
    return fields, tables, office_blanks(body, config, settings, data.period)


def office_blanks(body: list[Block], config: Config, settings: PeriodSettings, period: Period) -> list[str]:
    """Everything the office must still fill before the leader signs, in the order of the document, each with
    where it can be written once (planreports.toml) when there is such a place."""
    p = period.id
    out = []
    if not settings.number:
        out.append(f"số báo cáo (văn thư cấp số; hoặc ghi number trong mục [periods.{p}])")
    if settings.report_date is None:
        out.append(f"ngày ban hành (hoặc ghi date trong mục [periods.{p}])")
    out += [GAP_HINTS[gap].format(p=p) for gap in blanks(body)]
    if not config.signer_name:
        out.append(f"họ tên người ký (ghi name trong mục [signer] hoặc [periods.{p}.signer])")
    return out


SECTIONS = (introduction, leadership, results, assessment, next_period, proposals)


@dataclass(frozen=True)
class Review:
    """What the office must do before the leader signs: the blanks to fill (highlighted in the document, listed
    on the status page), and what to look at (a proposal to a body the report is not sent to)."""

    blanks: list[str]
    notices: list[str]


def report_review(data: Consolidation, config: Config) -> Review:
    """The report's text once, without rendering it or its tables, for what the office must do."""
    facts = gather(data, config)
    body = [block for section in SECTIONS for block in section(facts)]
    bodies = unaddressed(facts)
    notices = [f"Mục V đề nghị {', '.join(bodies)}, nhưng báo cáo không gửi cơ quan này (không có ở “Kính gửi” hay "
               f"“Nơi nhận”): thêm vào [report] addressees hoặc recipients, hoặc sửa [report.proposal_addressees] "
               f"trong planreports.toml."] if bodies else []
    return Review(office_blanks(body, config, facts.settings, data.period), notices)


def report_notices(data: Consolidation, config: Config) -> list[str]:
    return report_review(data, config).notices


def report_blanks(data: Consolidation, config: Config) -> list[str]:
    """What the office must still fill in the period's report (the status page lists it)."""
    return report_review(data, config).blanks


# the number and the date left for the văn thư: the spaces of "Số:      /BC-UBND", "ngày    tháng    năm" (in
# the header and in the appendices' line); a filled number or date has no run of spaces there
LETTER_BLANKS = re.compile(r"(?<=ố:)\s+(?=/)|(?<=số)\s{2,}(?=/)|(?<=ngày)\s{2,}(?=tháng)|(?<=tháng)\s{2,}(?=năm)")


def _after(tables: dict[str, TableData]) -> Callable[[DocxTemplate], dict[bytes, bytes]]:
    def fill(document: DocxTemplate) -> dict[bytes, bytes]:
        body = document.docx.element.body
        highlight_marks(body, BLANK_MARK)
        highlight_marks(body, LETTER_BLANKS)
        return fill_tables(body, tables)
    return fill


def render_report(template: Path, data: Consolidation, config: Config, out: Path) -> tuple[Path, list[str]]:
    """Write the report; returns its path and the blanks the office must still fill."""
    context, tables, left = report_context(data, config)
    settings = config.period_settings(data.period)
    day = settings.report_date or data.period.end
    properties = Properties(" ".join(context["summary_line"].split()), config.issuer_name,
                            datetime(day.year, day.month, day.day))
    path = render_docx(template, context, out, REQUIRED_FIELDS, properties, after=_after(tables),
                       tables=tuple(tables))
    return path, left
