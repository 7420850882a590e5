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

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError

from planreports.config import Config
from planreports.consolidate import Consolidation
from planreports.errors import TemplateError
from planreports.fsutil import atomic_path, fixed_zip_times
from planreports.report_content import report_context
from planreports.report_template import REQUIRED_FIELDS
from planreports.xlsxout import FIXED_TIME

LANDSCAPE_TEXT_CM = 26.2


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


def _fit_indicator_table(document: DocxTemplate, columns: int) -> None:
    """The {%tc%}-looped table keeps the loop cell's width: share the landscape width out again."""
    doc = document.docx
    for table in doc.tables:
        first = table.rows[0].cells
        if len(first) != columns + 2 or first[1].text.strip() != "Cơ quan, đơn vị":
            continue
        widths = [1.2, 6.5] + [(LANDSCAPE_TEXT_CM - 7.7) / max(1, columns)] * columns
        grid = table._tbl.tblGrid
        for col in list(grid):
            grid.remove(col)
        for width in widths:
            col = OxmlElement("w:gridCol")
            col.set(qn("w:w"), str(int(Cm(width).twips)))
            grid.append(col)
        for tr in table._tbl.tr_lst:
            for tc, width in zip(tr.tc_lst, widths, strict=False):
                tc.get_or_add_tcPr().get_or_add_tcW().set(qn("w:w"), str(int(Cm(width).twips)))


def render_docx(template: Path, context: dict[str, Any], out: Path, required: tuple[str, ...], title: str,
                after: Callable[[DocxTemplate], None] | None = None) -> Path:
    """Fill a Word template (autoescaped), fix timestamps, write atomically."""
    document = _load(template, required)
    try:
        document.render(context, autoescape=True)
    except JinjaTemplateError as exc:
        raise TemplateError(f"Không điền được mẫu {template.name}: {exc}.") from None
    if after is not None:
        after(document)
    props = document.docx.core_properties
    props.created = props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.revision = 1
    props.title = title
    with atomic_path(out) as tmp:
        document.save(str(tmp))
        fixed_zip_times(tmp)
    return out


def render_report(template: Path, data: Consolidation, config: Config, out: Path) -> Path:
    context = report_context(data, config)
    columns = len(context["indicator_heads"])
    return render_docx(template, context, out, REQUIRED_FIELDS, context["summary_line"],
                       after=lambda document: _fit_indicator_table(document, columns))
