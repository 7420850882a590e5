"""The table of every reporting unit, in the order the office lists them, with filter controls for the script.

The controls start `hidden` and only the script reveals them: with JavaScript off the page shows the full,
plainly ordered table and nothing that does not work.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from planreports.page.data import PageFinding, PageMail, PageUnidentified, PageUnit
from planreports.page.svg import Swatch

SEVERITY_WORDS = {"error": "Lỗi", "warning": "Cảnh báo"}
_RECEIVED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\D+(\d{1,2}):(\d{2}))?")
NOT_RECEIVED_KEY = "999999999999"
COLUMNS = (   # (heading, how the script sorts it, class)
    ("Mã", "text", "code"), ("Đơn vị", "text", "name"), ("Khối", "text", "bloc"), ("Tình trạng", "num", "state"),
    ("Thời điểm nhận", "num", "when"), ("Kết quả kiểm tra", "text", "verdict"),
    ("Lỗi, cảnh báo cần xử lý", "", "issues"), ("Thư phản hồi", "", "mail"),
)


def received_key(received_at: str | None) -> str:
    """"05/12/2024 10:15" -> "202412051015", so the script sorts by time rather than by day of month."""
    match = _RECEIVED.match(received_at or "")
    if match is None:
        return NOT_RECEIVED_KEY
    day, month, year, hour, minute = match.groups()
    return f"{year}{int(month):02d}{int(day):02d}{int(hour or 0):02d}{int(minute or 0):02d}"


def finding_text(finding: PageFinding) -> str:
    """`sheet “Nhiệm vụ”, ô E5: message`, the wording the command line and the feedback e-mails use."""
    where = ", ".join(part for part in (f"sheet “{finding.sheet}”" if finding.sheet else "",
                                        f"ô {finding.cell}" if finding.cell else "") if part)
    return f"{where}: {finding.message}" if where else finding.message


def _findings(unit: PageUnit) -> str:
    if not unit.findings:
        return '<span class="none">—</span>' if unit.received_at is None else '<span class="none">Không có</span>'
    return finding_list(unit.findings)


def finding_list(findings: Sequence[PageFinding]) -> str:
    items = []
    for finding in findings:
        severity = finding.severity if finding.severity in SEVERITY_WORDS else "note"
        word = SEVERITY_WORDS.get(finding.severity, "Lưu ý")
        items.append(f'<li class="{severity}" data-code="{escape(finding.code)}"><strong>{word}:</strong> '
                     f"{escape(finding_text(finding))}</li>")
    return f'<ul class="findings">{"".join(items)}</ul>'


def _row(unit: PageUnit, swatches: Sequence[Swatch], link: Callable[[str | None], str | None]) -> str:
    index = next(i for i, s in enumerate(swatches) if s.key == str(unit.state))
    label = swatches[index].label
    href = link(unit.feedback_href)
    feedback = f'<a href="{href}">Mở thư</a>' if href else '<span class="none">—</span>'
    text = " ".join((unit.code, unit.name, unit.bloc))
    return (
        f'<tr data-unit="{escape(unit.code)}" data-state="{escape(str(unit.state))}" data-text="{escape(text)}">'
        f'<td class="code">{escape(unit.code)}</td><th scope="row" class="name">{escape(unit.name)}</th>'
        f'<td class="bloc">{escape(unit.bloc)}</td>'
        f'<td data-key="{index}"><span class="chip"><span class="sw sw-s{index}" aria-hidden="true"></span>'
        f"{escape(label)}</span></td>"
        f'<td class="when" data-key="{received_key(unit.received_at)}">{escape(unit.received_at or "—")}</td>'
        f'<td>{escape(unit.verdict_label or "—")}</td><td class="issues">{_findings(unit)}</td>'
        f'<td class="mail">{feedback}</td></tr>'
    )


def _controls(units: Sequence[PageUnit], swatches: Sequence[Swatch]) -> str:
    options = "".join(
        f'<option value="{escape(s.key)}">{escape(s.label)} ({sum(1 for u in units if str(u.state) == s.key)})'
        f"</option>" for s in swatches)
    return (
        '<div class="controls" id="dv-controls" hidden>'
        f'<label>Lọc theo tình trạng<select id="dv-state"><option value="">Tất cả ({len(units)})</option>'
        f"{options}</select></label>"
        '<label>Tìm theo mã hoặc tên đơn vị<input type="search" id="dv-search" autocomplete="off" '
        'placeholder="Ví dụ: Tư pháp hoặc STP"></label>'
        "<p>Bấm vào tiêu đề cột để sắp xếp.</p></div>\n"
    )


UNIDENTIFIED_ANCHOR = "khong-xac-dinh"
MAILS_ANCHOR = "thu-khong-kem-bieu-mau"


def _sender(sender: str | None, agency_hint: str | None, missing: str) -> str:
    """A sender cell: the mail's From (untrusted), and whose address it is in the lists."""
    cell = escape(sender) if sender else f'<span class="none">{escape(missing)}</span>'
    if agency_hint:
        cell += f'<br><span class="hint">Địa chỉ của {escape(agency_hint)} trong danh mục đơn vị</span>'
    return cell


def _listing(anchor: str, title: str, intro: str, caption: str, columns: Sequence[str], rows: Sequence[str]) -> str:
    """A titled table under the units' table: what the office must still look at."""
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in columns)
    return (f'<h3 id="{anchor}">{escape(title)} ({len(rows)})</h3>\n<p>{escape(intro)}</p>\n'
            f'<div class="scroll"><table class="unidentified"><caption>{escape(caption)}</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>\n")


def unidentified_block(files: Sequence[PageUnidentified]) -> str:
    """The received files no agency could be identified from: who sent each, when, and why it was refused."""
    if not files:
        return ""
    rows = [f'<tr><th scope="row" class="name">{escape(item.file)}</th>'
            f'<td class="when">{escape(item.received_at or "—")}</td>'
            f'<td>{_sender(item.sender, item.agency_hint, "— (tệp lưu vào thư mục)")}</td>'
            f'<td class="issues">{finding_list(item.findings)}</td></tr>' for item in files]
    return _listing(UNIDENTIFIED_ANCHOR, "Tệp không xác định được đơn vị",
                    "Các tệp dưới đây đã được lưu trữ nhưng không xác định được của đơn vị nào, nên không được tính "
                    "cho đơn vị nào. Liên hệ người gửi để đơn vị gửi lại đúng biểu mẫu Excel của mình.",
                    "Bảng 2a. Tệp không xác định được đơn vị",
                    ("Tệp", "Thời điểm nhận", "Người gửi", "Lý do không nhận"), rows)


def mails_block(mails: Sequence[PageMail]) -> str:
    """The received mails that brought no workbook: who wrote, when, about what, what they had instead."""
    if not mails:
        return ""
    rows = [f'<tr><td class="when">{escape(mail.received_at or "—")}</td>'
            f'<td>{_sender(mail.sender, mail.agency_hint, "—")}</td>'
            f'<td>{escape(mail.subject or "—")}</td><td>{escape(mail.what)}</td></tr>' for mail in mails]
    return _listing(MAILS_ANCHOR, "Thư không kèm biểu mẫu",
                    "Các thư dưới đây đã nhận nhưng không có tệp biểu mẫu đọc được (ví dụ thư xin gia hạn, thư gửi "
                    "đường dẫn thay cho tệp). Xem và trả lời người gửi; đơn vị chỉ được tính đã nộp khi gửi tệp "
                    "biểu mẫu Excel.", "Bảng 2b. Thư không kèm biểu mẫu",
                    ("Thời điểm nhận", "Người gửi", "Tiêu đề", "Nội dung đính kèm"), rows)


def units_section(units: Sequence[PageUnit], swatches: Sequence[Swatch], anchor: str, heading: str,
                  link: Callable[[str | None], str | None], unidentified: Sequence[PageUnidentified] = (),
                  mails: Sequence[PageMail] = ()) -> str:
    """Section 2: controls (revealed by the script), the table of all units in the given order, and the files
    no agency could be identified from."""
    head = "".join(f'<th scope="col" class="{css}"' + (f' data-sort="{kind}"' if kind else "")
                   + f">{escape(title)}</th>" for title, kind, css in COLUMNS)
    rows = "\n".join(_row(unit, swatches, link) for unit in units)
    table = (
        f'<div class="scroll"><table class="units" id="dv-table"><caption>Bảng 2. Tình hình nộp báo cáo của từng '
        f'đơn vị ({len(units)} đơn vị)<span class="filter-note" id="dv-note" aria-live="polite"></span></caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table></div>\n"
    ) if units else '<p class="none">Chưa có đơn vị nào trong danh sách.</p>\n'
    return (f'<section id="{anchor}" aria-labelledby="{anchor}-h"><h2 id="{anchor}-h">{escape(heading)}</h2>\n'
            f"{_controls(units, swatches) if units else ''}{table}{unidentified_block(unidentified)}"
            f"{mails_block(mails)}</section>\n")
