"""The status page: complete, escaped, deterministic, self-contained; and what a real browser makes of it."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import struct
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from planreports.page import PageData, PageFinding, UnitState, render_page
from planreports.page.svg import BarRow, Swatch, stacked_bars, wrap
from tests import browser
from tests.pagedata import HOSTILE, STATE_LABELS, sample_page

LABELS = dict(STATE_LABELS)
VOID = {"input", "meta", "link", "br", "hr", "img", "col", "source", "wbr"}


class Page(HTMLParser):
    """The parts of the page the tests look at: unit rows, every link/source, charts, tables."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, str | None]] = []     # attributes of each unit row, plus "text"
        self.urls: list[str] = []
        self.svgs: list[dict[str, str | None]] = []
        self.ids: dict[str, str] = {}                   # element id -> its text (for title/desc)
        self.headers: list[list[str]] = []              # column headings of each table
        self.tables: list[list[list[str]]] = []         # body cells of each table
        self._row: dict[str, str | None] | None = None
        self._open_ids: list[tuple[str, str]] = []
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.urls += [v or "" for k, v in attrs if k in ("href", "src", "action", "poster", "srcset")]
        if tag == "tr" and "data-unit" in a:
            self._row = {**a, "text": ""}
        if tag == "svg":
            self.svgs.append(a)
        elif tag == "table":
            self.headers.append([])
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self._cell = []
        if a.get("id") and tag not in VOID:
            self._open_ids.append((tag, a["id"] or ""))
            self.ids[a["id"] or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        if tag in ("th", "td") and self._cell is not None and self.tables:
            text = " ".join("".join(self._cell).split())
            self.tables[-1][-1].append(text)
            self._cell = None
        if tag == "thead" and self.tables and self.tables[-1]:
            self.headers[-1] = self.tables[-1].pop()
        if self._open_ids and self._open_ids[-1][0] == tag:
            self._open_ids.pop()

    def handle_data(self, data: str) -> None:
        if self._row is not None:
            self._row["text"] = (self._row["text"] or "") + data
        if self._cell is not None:
            self._cell.append(data)
        for _, element_id in self._open_ids:
            self.ids[element_id] += data


@pytest.fixture(scope="module")
def page34() -> tuple[PageData, str]:
    data = sample_page(34)
    return data, render_page(data)


@pytest.mark.parametrize("count", [34, 120])
def test_every_unit_once_with_its_state_label(count: int) -> None:
    data = sample_page(count)
    rows = Page(render_page(data)).rows
    assert [r["data-unit"] for r in rows] == [u.code for u in data.units]      # once each, in the given order
    for row, unit in zip(rows, data.units, strict=True):
        assert row["data-state"] == unit.state.value
        assert LABELS[unit.state] in (row["text"] or "")
        assert unit.name in (row["text"] or "")
    assert len({u.bloc for u in data.units}) == 3


def test_hostile_text_is_escaped(page34: tuple[PageData, str]) -> None:
    _, html = page34
    assert html.count("<script") == 1                  # the page's own script, nothing from the data
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;" in html
    parsed = Page(html)
    hostile = next(r for r in parsed.rows if r["data-unit"] == "TTTT")
    assert HOSTILE in (hostile["text"] or "")          # shown as text, exactly as the agency wrote it
    assert any(HOSTILE in (r["text"] or "") for r in parsed.rows if r["data-state"] == "rejected")


def test_findings_are_located_and_marked_in_words(page34: tuple[PageData, str]) -> None:
    _, html = page34
    rejected = next(r for r in Page(html).rows if r["data-state"] == "rejected")
    text = " ".join((rejected["text"] or "").split())
    assert "Lỗi: sheet “Nhiệm vụ”, ô E" in text
    assert "Lỗi: sheet “Số liệu”, ô D7: Ô ghi “" in text
    assert "Cảnh báo: sheet “Nhiệm vụ" in text
    late = next(r for r in Page(html).rows if r["data-state"] == "late")
    assert "Cảnh báo: Nộp muộn: nhận ngày" in " ".join((late["text"] or "").split())


def test_same_data_same_bytes() -> None:
    first = render_page(sample_page(120)).encode()
    again = render_page(sample_page(120)).encode()     # equal data built afresh
    assert first == again
    assert b"\r" not in first


def test_same_bytes_in_another_process_with_another_hash_seed() -> None:
    code = ("import sys; from tests.pagedata import sample_page; from planreports.page import render_page; "
            "sys.stdout.buffer.write(render_page(sample_page(120)).encode())")
    outputs = [subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=60,
                              cwd=Path(__file__).parents[1], env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("0", "12345")]
    assert outputs[0] == outputs[1] == render_page(sample_page(120)).encode()


FORBIDDEN = ("http://", "https://", "ftp://", 'src="//', "src='//", 'href="//', "@import", "url(http", "url(//",
             "@font-face", "<img", "<iframe", "<object", "<embed", "<video", "<audio", 'rel="stylesheet"',
             "javascript:", "xlink:href")


@pytest.mark.parametrize("count", [0, 34, 120])
def test_no_external_resource_or_url(count: int) -> None:
    html = render_page(sample_page(count))
    lowered = html.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, needle
    for url in Page(html).urls:
        assert url == "data:," or not re.match(r"^([a-z][a-z0-9+.-]*:|//|/|\\)", url, re.I), url


def test_untrusted_links_are_dropped_or_encoded() -> None:
    data = sample_page(34)
    units = list(data.units)
    units[0] = dataclasses.replace(units[0], feedback_href="https://evil.example/steal")
    units[1] = dataclasses.replace(units[1], feedback_href="//evil.example/x")
    units[2] = dataclasses.replace(units[2], feedback_href=" JavaScript:alert(1)")
    units[3] = dataclasses.replace(units[3], feedback_href="phan-hoi\\Sở Tài chính.eml")
    data = dataclasses.replace(data, units=tuple(units), links=(
        ("Báo cáo", "bao-cao/Báo cáo 2024.docx"), ("Ngoài", "http://evil.example/"), ("Ổ đĩa", "C:\\bao-cao.docx")))
    html = render_page(data)
    urls = Page(html).urls
    assert "phan-hoi/S%E1%BB%9F%20T%C3%A0i%20ch%C3%ADnh.eml" in urls
    assert "bao-cao/B%C3%A1o%20c%C3%A1o%202024.docx" in urls
    assert not any("evil" in u or "alert" in u or "C:" in u for u in urls)
    assert html.count("(đường dẫn không hợp lệ)") == 2
    assert 'href="phan-hoi/SKHCN%20%22th%C6%B0%22%20%3C1%3E.eml"' in render_page(sample_page(34))


def test_document_shell(page34: tuple[PageData, str]) -> None:
    _, html = page34
    assert html.startswith('<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">')
    assert "@page { size: A4; margin: 12mm }" in html
    assert html.count("<style>") == 1 and '<link rel="icon" href="data:,">' in html
    assert "<title>Tình hình báo cáo thực hiện Kế hoạch số 129/KH-UBND năm 2024</title>" in html
    assert "Năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024)" in html


@pytest.mark.parametrize(("days", "phrase"), [(14, "còn 14 ngày"), (1, "còn 1 ngày"), (0, "hôm nay là hạn cuối"),
                                              (-3, "đã quá hạn 3 ngày")])
def test_deadline_phrase(days: int, phrase: str) -> None:
    assert 'Ngày 10/12/2024 — <span class="due-' in render_page(sample_page(5, days_left=days))
    assert phrase in render_page(sample_page(5, days_left=days))


def test_charts_have_a_text_alternative_and_a_table(page34: tuple[PageData, str]) -> None:
    data, html = page34
    parsed = Page(html)
    assert len(parsed.svgs) == 3
    for svg in parsed.svgs:
        assert svg["role"] == "img" and "xmlns" not in svg
        title_id, desc_id = (svg["aria-labelledby"] or "").split()
        assert parsed.ids[title_id].startswith("Biểu đồ")
        assert "Đúng hạn" in parsed.ids[desc_id] or "Hoàn thành" in parsed.ids[desc_id]
    blocs = parsed.tables[0]
    assert parsed.headers[0] == ["Khối", "Đúng hạn", "Nộp muộn", "Không đạt, chưa gửi lại", "Chưa nộp", "Tổng số"]
    assert [row[0] for row in blocs] == ["Sở, ngành", "Địa phương", "Báo chí", "Tổng cộng"]
    for row in blocs[:-1]:
        states = Counter(u.state for u in data.units if u.bloc == row[0])
        assert row[1:] == [str(states[s]) for s in UnitState] + [str(sum(states.values()))]
    assert blocs[-1][1:] == ["18", "6", "4", "6", "34"]
    assert "Tất cả đơn vị (34 đơn vị): Đúng hạn 18; Nộp muộn 6; Không đạt, chưa gửi lại 4; Chưa nộp 6." in html
    tasks = parsed.tables[2]
    assert tasks[-1] == ["Tổng cộng", "18", "10", "2", "2", "1", "4", "37"]


def test_comparison_column_only_with_a_previous_period() -> None:
    with_previous, without = Page(render_page(sample_page(34))), Page(render_page(sample_page(34, previous=False)))
    assert with_previous.headers[3][-2:] == ["Kết quả năm 2023", "Tăng, giảm so với năm 2023"]
    assert with_previous.tables[3][3][-2:] == ["—", "—"]          # an indicator without last year's figure
    assert without.headers[3] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả năm 2024"]
    html = render_page(sample_page(34, previous=False))
    assert "năm 2023" not in html and "tăng 14,0%" not in html


def test_nothing_yet_still_renders() -> None:
    empty = dataclasses.replace(sample_page(0), task_groups=(), indicators=(), links=())
    html = render_page(empty)
    for text in ("Chưa có đơn vị nào", "Chưa có số liệu về nhiệm vụ", "Chưa có số liệu chỉ tiêu",
                 "Chưa có báo cáo tổng hợp"):
        assert text in html
    assert "Tổng số <strong>0</strong> đơn vị" in html


def test_unknown_severity_and_status_keys_are_still_labelled() -> None:
    data = sample_page(3)
    odd = dataclasses.replace(data.units[0], findings=(PageFinding("info", "x", "", "", "Ghi chú <b>"),))
    groups = (dataclasses.replace(data.task_groups[0], counts=(("done", 2), ("paused", 1))),)
    html = render_page(dataclasses.replace(data, units=(odd, *data.units[1:]), task_groups=groups))
    assert "<strong>Lưu ý:</strong> Ghi chú &lt;b&gt;" in html
    assert ">paused</th>" in html


def test_svg_helpers_are_deterministic_and_strict() -> None:
    swatches = (Swatch("a", "Một", "#009e73", "#000000"), Swatch("b", "Hai", "#ffffff", "#000000", hatch=True))
    rows = [BarRow("Dòng 1", (1, 2)), BarRow("Dòng 2", (0, 0))]
    chart = stacked_bars("bd-x", "Biểu đồ", swatches, rows, "đơn vị")
    assert chart == stacked_bars("bd-x", "Biểu đồ", swatches, rows, "đơn vị")
    assert 'fill="url(#bd-x-p1)"' in chart and "0 đơn vị" in chart
    assert not re.search(r"\d\.\d{2,}", chart)
    with pytest.raises(ValueError):
        stacked_bars("x y", "t", swatches, rows, "đơn vị")
    assert wrap("một hai ba bốn năm sáu", 8) == ["một hai", "ba bốn…"]


# --- a real browser ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chromium() -> str:
    return browser.require_chromium()


def test_missing_chromium_skips_or_with_required_tools_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", None)
    monkeypatch.setattr(browser, "REQUIRE_TOOLS", False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed"):
        browser.require_chromium()
    monkeypatch.setattr(browser, "REQUIRE_TOOLS", True)
    with pytest.raises(pytest.fail.Exception, match="PLANREPORTS_REQUIRE_TOOLS=1"):
        browser.require_chromium()


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.parametrize("count", [34, 120])
def test_in_chromium_only_the_page_is_requested(chromium: str, tmp_path: Path, count: int) -> None:
    data = sample_page(count)
    with browser.serve({"/trang-thai.html": render_page(data).encode()}) as server:
        dom = browser.run(chromium, server, "/trang-thai.html", tmp_path / "p1", "--dump-dom")
        shot = tmp_path / f"status-page-{count}.png"
        browser.run(chromium, server, "/trang-thai.html", tmp_path / "p2", f"--screenshot={shot}",
                    "--window-size=1280,2000")
        filtered = browser.run(chromium, server, "/trang-thai.html?tinh-trang=missing", tmp_path / "p3", "--dump-dom")
    assert server.page_requests() == ["GET /trang-thai.html"] * 2 + ["GET /trang-thai.html?tinh-trang=missing"]
    browser.keep(shot)
    assert _png_size(shot) == (1280, 2000) and shot.stat().st_size > 50_000

    rows = Page(dom).rows
    assert Counter(r["data-state"] for r in rows) == Counter(u.state.value for u in data.units)
    assert 'data-enhanced="1"' in dom and 'id="dv-controls" hidden' not in dom      # the script ran
    shown = [r for r in Page(filtered).rows if "hidden" not in r]
    assert shown and all(r["data-state"] == "missing" for r in shown)
    assert len(shown) == sum(u.state is UnitState.MISSING for u in data.units)
    assert f"(đang lọc: {len(shown)}/{count} đơn vị)" in filtered


def test_readable_with_javascript_off(chromium: str, tmp_path: Path) -> None:
    data = sample_page(34)
    # a CSP forbidding every script is JavaScript off for the page (Chromium's scriptEnabled=false also stops
    # the DOM dump); the dump itself comes from the browser, not from a page script
    no_script = {"Content-Security-Policy": "script-src 'none'"}
    with browser.serve({"/trang-thai.html": render_page(data).encode()}, no_script) as server:
        dom = browser.run(chromium, server, "/trang-thai.html", tmp_path / "p", "--dump-dom")
    assert server.page_requests() == ["GET /trang-thai.html"]
    rows = Page(dom).rows
    assert [r["data-unit"] for r in rows] == [u.code for u in data.units]
    assert not any("hidden" in r for r in rows)
    assert 'id="dv-controls" hidden' in dom and 'data-enhanced="1"' not in dom      # nothing half-working shown


def test_script_sorts_by_received_time(chromium: str, tmp_path: Path) -> None:
    """Clicking "Thời điểm nhận" orders by time (not by day of month), units that never sent last."""
    data = sample_page(120)
    clicked = render_page(data).replace("</body>", "<script>document.querySelector('th.when').click();</script>"
                                                   "</body>")
    with browser.serve({"/trang-thai.html": clicked.encode()}) as server:
        dom = browser.run(chromium, server, "/trang-thai.html", tmp_path / "p", "--dump-dom")
    keys = re.findall(r'<td class="when" data-key="(\d+)"', dom)
    assert len(keys) == 120 and keys == sorted(keys) and keys[-1] == "999999999999"
    assert keys != re.findall(r'<td class="when" data-key="(\d+)"', clicked)       # the order did change
    assert 'class="when" data-sort="num" aria-sort="ascending"' in dom


def test_the_request_log_would_catch_an_external_resource(chromium: str, tmp_path: Path) -> None:
    """The harness itself: a page that does load from elsewhere is caught, over http and https alike."""
    leaky = (b'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
             b'<link rel="stylesheet" href="https://cdn.example.invalid/x.css"></head>'
             b'<body><img src="http://img.example.invalid/a.png" alt=""></body></html>')
    with browser.serve({"/leaky.html": leaky}) as server:
        browser.run(chromium, server, "/leaky.html", tmp_path / "p", "--dump-dom")
    requests = server.page_requests()
    assert requests[0] == "GET /leaky.html"
    assert any(r.startswith("GET http://img.example.invalid/a.png (Referer: http://127.0.0.1:") for r in requests)
    assert "CONNECT cdn.example.invalid:443" in requests


def test_prints_to_a4_pdf(chromium: str, tmp_path: Path) -> None:
    pdf = tmp_path / "status-page-120.pdf"
    with browser.serve({"/trang-thai.html": render_page(sample_page(120)).encode()}) as server:
        browser.run(chromium, server, "/trang-thai.html", tmp_path / "p", f"--print-to-pdf={pdf}",
                    "--no-pdf-header-footer")
    assert server.page_requests() == ["GET /trang-thai.html"]
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF-") and len(content) > 50_000
    pages = re.findall(rb"/Type\s*/Page\b", content)
    assert len(pages) >= 3
    media = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", content)
    assert media and abs(float(media[1]) - 595.3) < 2 and abs(float(media[2]) - 841.9) < 2     # A4 in points
    browser.keep(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "pdf-page")],
                       check=True, timeout=120)
        for image in sorted(tmp_path.glob("pdf-page-*.png")):
            browser.keep(image)
