"""`render_page`: the whole status page as one self-contained HTML5 document.

Every piece of text from the data goes through `escape` (agency names, file names and finding messages are
untrusted: they come from the agencies' own files); links are kept only when they are plain relative paths.
Nothing is read from the clock or the environment, so the same PageData always renders the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from urllib.parse import quote

from planreports.page import assets, svg
from planreports.page.data import PageData, PageUnit
from planreports.page.palette import overall_swatches, state_swatches
from planreports.page.svg import BarRow, Swatch
from planreports.page.units import MAILS_ANCHOR, UNIDENTIFIED_ANCHOR, units_section

ALL_UNITS = "Tất cả đơn vị"
SECTIONS = (
    ("nop-bao-cao", "Tình hình nộp báo cáo"),
    ("don-vi", "Danh sách đơn vị"),
    ("nhiem-vu", "Tiến độ thực hiện nhiệm vụ"),
    ("chi-tieu", "Chỉ tiêu chủ yếu"),
    ("tai-lieu", "Tài liệu"),
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def cap(text: str) -> str:
    """Upper-case the first letter only: "năm 2024" -> "Năm 2024" (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def safe_href(href: str | None) -> str | None:
    """A relative link, percent-encoded and escaped for an attribute; None for anything that could leave the
    folder the page sits in (a scheme such as http: or javascript:, an absolute or protocol-relative path)."""
    if href is None:
        return None
    href = href.strip()
    if (not href or href.startswith(("/", "\\")) or _SCHEME.match(href)
            or any(ord(c) < 32 or ord(c) == 127 for c in href)):
        return None
    # paths typed on the office's Windows machines use backslashes
    href = href.replace("\\", "/")
    return escape(quote(href, safe="/#?=&;%-._~!$()*+,@"), quote=True)


def deadline_phrase(days_left: int) -> tuple[str, str]:
    """("còn 5 ngày" | "hôm nay là hạn cuối" | "đã quá hạn 3 ngày", css class)."""
    if days_left > 0:
        return f"còn {days_left} ngày", "due-ahead"
    if days_left == 0:
        return "hôm nay là hạn cuối", "due-today"
    return f"đã quá hạn {-days_left} ngày", "due-over"


def blocs(units: Sequence[PageUnit]) -> list[str]:
    """Blocs in first-seen order, as the office lists its units."""
    return list(dict.fromkeys(unit.bloc for unit in units))


def _header(data: PageData) -> str:
    phrase, css = deadline_phrase(data.days_left)
    nav = "".join(f'<li><a href="#{anchor}">{i}. {escape(title)}</a></li>'
                  for i, (anchor, title) in enumerate(SECTIONS, start=1))
    return (
        f"<header><h1>{escape(data.title)}</h1>\n<dl class=\"meta\">"
        f"<div><dt>Kỳ báo cáo</dt><dd>{escape(cap(data.period_label))} ({escape(data.period_span)})</dd></div>"
        f"<div><dt>Hạn gửi báo cáo</dt><dd>Ngày {escape(data.deadline)} — "
        f"<span class=\"{css}\">{escape(phrase)}</span></dd></div>"
        f"<div><dt>Số liệu cập nhật lúc</dt><dd>{escape(data.generated_at)}</dd></div></dl>\n"
        f"<nav aria-label=\"Mục lục\"><ol>{nav}</ol></nav></header>\n"
    )


def counts_table(caption: str, heads: Sequence[str], swatches: Sequence[Swatch], prefix: str,
                 rows: Sequence[tuple[Sequence[str], Sequence[int]]], total_label: str) -> str:
    """A table of counts per swatch: the leading columns describe the row, the first one is its header."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in heads)
    head += "".join(f'<th scope="col" class="n"><span class="sw sw-{prefix}{i}" aria-hidden="true"></span>'
                    f"{escape(s.label)}</th>" for i, s in enumerate(swatches))
    head += '<th scope="col" class="n">Tổng số</th>'
    body = []
    for cells, counts in rows:
        first, *rest = cells
        body.append(f'<tr><th scope="row">{escape(first)}</th>' + "".join(f"<td>{escape(c)}</td>" for c in rest)
                    + "".join(f'<td class="n">{n}</td>' for n in counts) + f'<td class="n">{sum(counts)}</td></tr>')
    totals = [sum(column) for column in zip(*(counts for _, counts in rows), strict=True)] if rows else [
        0 for _ in swatches]
    span = f' colspan="{len(heads)}"' if len(heads) > 1 else ""
    body.append(f'<tr class="total"><th scope="row"{span}>{escape(total_label)}</th>'
                + "".join(f'<td class="n">{n}</td>' for n in totals) + f'<td class="n">{sum(totals)}</td></tr>')
    return (f'<div class="scroll"><table><caption>{escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n'
            "<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>\n")


def _state_counts(units: Sequence[PageUnit], swatches: Sequence[Swatch]) -> tuple[int, ...]:
    return tuple(sum(1 for u in units if str(u.state) == s.key) for s in swatches)


def _cards(swatches: Sequence[Swatch], counts: Sequence[int]) -> str:
    total = sum(counts)
    cards = "".join(
        f'<div class="card"><p><span class="sw sw-s{i}" aria-hidden="true"></span>{escape(s.label)}</p>'
        f'<p class="num">{n}</p><p class="share">{svg.percent(n, total)} số đơn vị</p></div>'
        for i, (s, n) in enumerate(zip(swatches, counts, strict=True)))
    return f'<div class="cards">{cards}</div>\n'


def _submission_section(data: PageData, swatches: Sequence[Swatch]) -> str:
    overall = _state_counts(data.units, swatches)
    rows = [BarRow(ALL_UNITS, overall)]
    rows += [BarRow(b or "(chưa xếp khối)", _state_counts([u for u in data.units if u.bloc == b], swatches))
             for b in blocs(data.units)]
    received = overall[0] + overall[1]
    lead = (f'<p class="lead">Tổng số <strong>{len(data.units)}</strong> đơn vị phải báo cáo; đã nhận báo cáo '
            f"đạt yêu cầu của <strong>{received}</strong> đơn vị ({svg.percent(received, len(data.units))})."
            + (f' Có <a href="#{UNIDENTIFIED_ANCHOR}"><strong>{len(data.unidentified)}</strong> tệp không xác định '
               "được đơn vị</a>, chưa tính cho đơn vị nào." if data.unidentified else "")
            + (f' Có <a href="#{MAILS_ANCHOR}"><strong>{len(data.mails)}</strong> thư không kèm biểu mẫu</a> cần '
               "xem và trả lời." if data.mails else "") + "</p>\n")
    ring = svg.ring("bd-tong", "Biểu đồ vành khuyên: số đơn vị theo tình trạng nộp báo cáo", swatches, overall,
                    "đơn vị")
    bars = svg.stacked_bars("bd-khoi", "Biểu đồ thanh ngang: tỷ lệ đơn vị theo tình trạng nộp báo cáo, theo khối",
                            swatches, rows, "đơn vị", width=620)
    table = counts_table("Bảng 1. Số đơn vị theo tình trạng nộp báo cáo, theo khối", ["Khối"], swatches, "s",
                         [([row.label], row.counts) for row in rows[1:]], "Tổng cộng")
    return (f'<section id="{SECTIONS[0][0]}" aria-labelledby="{SECTIONS[0][0]}-h">'
            f'<h2 id="{SECTIONS[0][0]}-h">1. {SECTIONS[0][1]}</h2>\n{lead}{_cards(swatches, overall)}'
            f'<div class="charts"><figure>{ring}</figure>\n<figure>{bars}</figure></div>\n{table}</section>\n')


def _group_label(group_id: str, title: str) -> str:
    return f"Nhóm {group_id}. {title}" if group_id else title


def _tasks_section(data: PageData) -> str:
    anchor, heading = SECTIONS[2]
    swatches = overall_swatches(data)
    rows = []
    for group in data.task_groups:
        counts = dict(group.counts)
        rows.append((group, tuple(counts.get(s.key, 0) for s in swatches)))
    if not rows:
        body = '<p class="none">Chưa có số liệu về nhiệm vụ.</p>\n'
    else:
        chart = svg.stacked_bars(
            "bd-nhiem-vu", "Biểu đồ thanh ngang: tỷ lệ nhiệm vụ theo tình trạng thực hiện, theo nhóm nhiệm vụ",
            swatches, [BarRow(_group_label(g.group_id, g.title), counts) for g, counts in rows], "nhiệm vụ")
        table = counts_table("Bảng 3. Số nhiệm vụ theo tình trạng thực hiện, theo nhóm nhiệm vụ",
                             ["Nhóm", "Nội dung"], swatches, "t",
                             [([g.group_id, g.title], counts) for g, counts in rows], "Tổng cộng")
        body = f"<figure>{chart}</figure>\n{table}"
    return (f'<section id="{anchor}" aria-labelledby="{anchor}-h"><h2 id="{anchor}-h">3. {heading}</h2>\n'
            f"{body}</section>\n")


def _indicators_section(data: PageData) -> str:
    anchor, heading = SECTIONS[3]
    compare = data.previous_period_label is not None
    heads = ["STT", "Chỉ tiêu", "Đơn vị tính", f"Kết quả {data.period_label}"]
    if data.previous_period_label is not None:
        heads += [f"Kết quả {data.previous_period_label}", f"Tăng, giảm so với {data.previous_period_label}"]
    numeric = ' class="n"'
    head = "".join(f'<th scope="col"{numeric if i == 0 or i >= 3 else ""}>{escape(h)}</th>'
                   for i, h in enumerate(heads))
    rows = []
    for number, line in enumerate(data.indicators, start=1):
        cells = (f'<td class="n">{number}</td><th scope="row">{escape(line.name)}</th><td>{escape(line.unit)}</td>'
                 f'<td class="n">{escape(line.total)}</td>')
        if compare:
            cells += (f'<td class="n">{escape(line.previous or "—")}</td>'
                      f'<td class="n">{escape(line.change or "—")}</td>')
        rows.append(f'<tr data-code="{escape(line.code)}">{cells}</tr>')
    if rows:
        body = ('<div class="scroll"><table><caption>Bảng 4. Kết quả các chỉ tiêu chủ yếu (tổng hợp từ báo cáo đạt '
                f"yêu cầu)</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
                + "\n</tbody></table></div>\n")
    else:
        body = '<p class="none">Chưa có số liệu chỉ tiêu.</p>\n'
    return (f'<section id="{anchor}" aria-labelledby="{anchor}-h"><h2 id="{anchor}-h">4. {heading}</h2>\n'
            f"{body}</section>\n")


def _links_section(data: PageData) -> str:
    anchor, heading = SECTIONS[4]
    items = []
    for label, href in data.links:
        target = safe_href(href)
        items.append(f'<li><a href="{target}">{escape(label)}</a></li>' if target
                     else f"<li>{escape(label)} (đường dẫn không hợp lệ)</li>")
    body = (f'<ul class="links">{"".join(items)}</ul>\n' if items
            else '<p class="none">Chưa có báo cáo tổng hợp.</p>\n')
    if data.blanks:
        body += ('<p class="blanks-head">Báo cáo còn để trống để văn phòng điền trước khi trình ký (tô vàng trong '
                 'tệp Word):</p>\n<ul class="blanks">'
                 + "".join(f"<li>{escape(b)}</li>" for b in data.blanks) + "</ul>\n")
    return (f'<section id="{anchor}" aria-labelledby="{anchor}-h"><h2 id="{anchor}-h">5. {heading}</h2>\n'
            f"{body}</section>\n")


def _head(data: PageData, state: Sequence[Swatch], overall: Sequence[Swatch]) -> str:
    css = assets.CSS + assets.swatch_css("s", state) + assets.swatch_css("t", overall)
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"color-scheme\" content=\"light\">\n"
        # an empty data: icon stops browsers from asking the server for /favicon.ico
        "<link rel=\"icon\" href=\"data:,\">\n"
        f"<title>{escape(data.title)}</title>\n<style>\n{css}</style>\n</head>\n"
    )


def render_page(data: PageData) -> str:
    """The status page of one reporting round, as a complete HTML document."""
    state = state_swatches(data)
    overall = overall_swatches(data)
    anchor, heading = SECTIONS[1]
    return (
        _head(data, state, overall)
        + "<body>\n" + _header(data) + "<main>\n"
        + _submission_section(data, state)
        + units_section(data.units, state, anchor, f"2. {heading}", safe_href, data.unidentified, data.mails)
        + _tasks_section(data)
        + _indicators_section(data)
        + _links_section(data)
        + "</main>\n<footer><p>Trang do phần mềm planreports lập tự động lúc "
        + escape(data.generated_at)
        + " từ các báo cáo đã nhận; số liệu sẽ thay đổi khi nhận thêm báo cáo. Trang dùng được cả khi không có "
        "mạng và khi tắt JavaScript; có thể in ra giấy A4.</p></footer>\n"
        + f"<script>\n{assets.SCRIPT}</script>\n</body>\n</html>\n"
    )
