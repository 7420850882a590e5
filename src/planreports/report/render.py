"""`planreports report`: fill the Word template with the consolidated data -> output/P/bao-cao-P.docx.

docxtpl renders with autoescape on ("Sở Tài chính & Kế hoạch <2024>" stays intact). A template missing a
required field is refused, naming the field. The output is deterministic: fixed core-properties timestamps
and fixed zip entry times.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError

from planreports.config import Config
from planreports.consolidation.frames import Consolidation
from planreports.errors import TemplateError
from planreports.files import FIXED_TIME, atomic_path, fixed_zip_times
from planreports.report.appendices import (
    documents_table,
    figures_table,
    results_table,
    submissions_table,
    tasks_table,
)
from planreports.report.content import assessment, gather, introduction, leadership, next_period, proposals
from planreports.report.default_template import REQUIRED_FIELDS
from planreports.report.letter import addressees, letter_fields, recipients
from planreports.report.results import results
from planreports.report.row_clone import TableData, fill_tables, missing_tables


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


def render_docx(template: Path, context: dict[str, Any], out: Path, required: tuple[str, ...], title: str,
                after: Callable[[DocxTemplate], dict[bytes, bytes]] | None = None,
                tables: tuple[str, ...] = ()) -> Path:
    """Fill a Word template (autoescaped), fix timestamps, write atomically. `after` edits the rendered
    document and returns fragments to splice into word/document.xml (placeholder -> XML text)."""
    document = _load(template, required)
    document.init_docx()
    missing = missing_tables(document.docx.element.xml, tables)
    if missing:
        raise TemplateError(f"Mẫu {template.name} thiếu bảng có dòng mẫu " + ", ".join(f"[[{m}.…]]" for m in missing)
                            + ". Khôi phục bảng phụ lục từ mẫu gốc do “planreports init” tạo.")
    try:
        document.render(context, autoescape=True)
    except JinjaTemplateError as exc:
        raise TemplateError(f"Không điền được mẫu {template.name}: {exc}.") from None
    splices = after(document) if after is not None else {}
    props = document.docx.core_properties
    props.created = props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    props.title = title
    with atomic_path(out) as tmp:
        document.save(str(tmp))
        # the main part is word/document.xml as Word saves it, but some tools name it otherwise
        fixed_zip_times(tmp, {str(document.docx.part.partname).lstrip("/"): splices})
    return out


def report_context(data: Consolidation, config: Config) -> tuple[dict[str, Any], dict[str, TableData]]:
    """The template's fields, and the rows of the appendix tables."""
    facts = gather(data, config)
    settings = config.period_settings(data.period)
    fields = letter_fields(config, settings.number, config.symbol, settings.report_date, data.period.year)
    legend, figures = figures_table(data, facts.units)
    fields.update({
        "summary_line": config.summary.format(period=data.period.label),
        "addressees": addressees(config.addressees),
        "recipients": recipients(config, config.recipients, bool(config.addressees)),
        "body": [block for section in SECTIONS for block in section(facts)],
        "appendix_line": f"(Kèm theo Báo cáo số {fields['number']}/{config.symbol} {fields['date_line']} của "
                         f"{config.issuer_name})",
        "indicator_legend": legend,
    })
    return fields, {"appendix1": tasks_table(facts.tasks), "appendix2": figures,
                    "appendix3": submissions_table(facts.units), "appendix4": results_table(facts.answers),
                    "appendix5": documents_table(facts.units, facts.figures, config.leadership_indicator,
                                                 facts.documents)}


SECTIONS = (introduction, leadership, results, assessment, next_period, proposals)


def render_report(template: Path, data: Consolidation, config: Config, out: Path) -> Path:
    context, tables = report_context(data, config)
    return render_docx(template, context, out, REQUIRED_FIELDS, context["summary_line"],
                       after=lambda document: fill_tables(document.docx.element.body, tables),
                       tables=tuple(tables))
