"""textfit: the lines a text needs in a column, checked against the font itself and against LibreOffice's drawing."""

from __future__ import annotations

import itertools
import random
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from planreports import glyph_widths, textfit
from planreports.excel import new_workbook
from planreports.plan.seed_lists import seed_text
from planreports.textfit import BODY, HEADER, TITLE, Font, fit_height, row_height, text_lines
from tests.libreoffice import REQUIRED, convert, needs_libreoffice
from tests.pdftext import overprinted, words

# real Vietnamese words from the plan (every diacritic it uses), as an office types them
WORDS = sorted(set(re.findall(r"\w+", seed_text("plan.toml"))))
LONG = ("https://thainguyen.gov.vn/van-ban/quyet-dinh-so-1234", "NGƯỜI", "ƯỚC", "—", "…", "(QPPL);", "07/CT-TTg")
sentence = st.lists(st.sampled_from(WORDS + list(LONG)), max_size=60).map(" ".join)


def test_empty_and_short_texts_take_one_line() -> None:
    assert text_lines("", 10) == 1
    assert text_lines("Hoàn thành", 15) == 1
    assert text_lines("Đang thực hiện", 15) == 1


def test_explicit_line_breaks_are_honoured() -> None:
    assert text_lines("Dòng một\nDòng hai\r\nDòng ba\rDòng bốn", 40) == 4
    assert text_lines("Một dòng và một dòng trống sau nó\n", 40) == 2
    assert text_lines("\n\n", 40) == 3


def test_long_text_wraps_at_spaces() -> None:
    text = ("Tham mưu UBND tỉnh tổ chức Hội nghị phổ biến, quán triệt, nâng cao nhận thức về vị trí, vai trò của "
            "công tác truyền thông chính sách.")
    assert text_lines(text, 200) == 1
    assert 2 <= text_lines(text, 60) < text_lines(text, 40) < text_lines(text, 20)


def test_a_word_longer_than_the_column_breaks_between_letters() -> None:
    link = "https://thainguyen.gov.vn/van-ban/" + "a" * 120
    assert text_lines(link, 10) > text_lines(link, 20) > text_lines(link, 40) > 1


def test_vietnamese_letters_are_measured_as_drawn() -> None:
    # ơ and ư are wider than o and u: measuring a letter by its base letter would under-count lines
    assert text_lines("ư" * 80, 10) > text_lines("u" * 80, 10)
    assert text_lines("Ư" * 80, 10) > text_lines("U" * 80, 10)
    # text typed in decomposed form (base letter + combining marks) takes the room of the composed letters
    text = "Ủy ban nhân dân tỉnh Thái Nguyên tăng cường truyền thông chính sách, người dân được thông tin"
    assert text_lines(unicodedata.normalize("NFD", text), 12) == text_lines(text, 12)


def test_bold_and_larger_type_need_at_least_as_many_lines() -> None:
    text = "Kết quả thực hiện nhiệm vụ truyền thông chính sách của các cơ quan, đơn vị, địa phương năm 2024"
    assert text_lines(text, 20, HEADER) >= text_lines(text, 20, BODY)
    assert text_lines(text, 20, TITLE) > text_lines(text, 20, BODY)


def test_characters_outside_the_table_count_as_wide() -> None:
    assert text_lines("中文字符" * 10, 20) > text_lines("a" * 40, 20)


def test_only_times_new_roman_is_measured() -> None:
    with pytest.raises(ValueError):
        Font(name="Arial")


def test_row_heights_are_lines_times_line_height_plus_padding_capped() -> None:
    assert row_height(1) == 18.0            # 20 px a line + 4 px, in points
    assert row_height(2) == 33.0
    assert row_height(0) == row_height(1)
    assert row_height(1, TITLE) == 21.0
    assert row_height(100) == 409.0          # Excel's largest row
    assert fit_height([("", 10), ("Sở Tư pháp", 30)]) == 18.0
    assert fit_height([("Sở Tư pháp", 30), ("Dòng một\nDòng hai\nDòng ba", 30)]) == row_height(3)


@given(text=sentence, width=st.integers(min_value=3, max_value=120))
def test_a_wider_column_never_needs_more_lines(text: str, width: int) -> None:
    assert text_lines(text, width + 1) <= text_lines(text, width)


@given(first=sentence, second=sentence, width=st.integers(min_value=3, max_value=80))
def test_lines_of_paragraphs_add_up(first: str, second: str, width: int) -> None:
    assert text_lines(f"{first}\n{second}", width) == text_lines(first, width) + text_lines(second, width)


def _reference_lines(text: str, width: float) -> int:
    """The same greedy wrapping written the plain way, word by word and letter by letter."""
    widths, room = textfit._words(BODY).glyphs, textfit.column_px(width)
    total = 0
    for paragraph in unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines, used = 1, -1                  # -1: nothing on the line yet
        for word in paragraph.split(" "):
            size = sum(widths[c] for c in word)
            if used >= 0 and used + widths[" "] + size <= room:
                used += widths[" "] + size
                continue
            if used >= 0:
                lines, used = lines + 1, 0
            used = 0
            for char in word:
                if used and used + widths[char] > room:
                    lines, used = lines + 1, 0
                used += widths[char]
        total += lines
    return total


# spaces in runs, letters wider than the line, combining marks, line breaks, characters the table lacks
odd_text = st.lists(st.sampled_from([*"aW ư\n\u0301中.", "  ", "https://a.vn/x", "NGƯỜI"]), max_size=60).map("".join)


@given(text=st.one_of(sentence, odd_text), width=st.integers(min_value=1, max_value=80))
@example(text="\u0301a", width=1)          # a lone accent before a letter wider than the line: one line
def test_the_fast_wrapping_counts_like_the_plain_one(text: str, width: int) -> None:
    assert text_lines(text, width) == _reference_lines(text, width)


def _installed_liberation_serif() -> Path | None:
    """Liberation Serif with Vietnamese letters (version 2), where fontconfig knows it."""
    try:
        listed = subprocess.run(["fc-list", ":family=Liberation Serif:style=Regular:lang=vi", "file"],
                                capture_output=True, text=True, timeout=30, check=False).stdout
    except FileNotFoundError:
        return None
    files = sorted(Path(line.strip().rstrip(":")) for line in listed.splitlines() if line.strip())
    return files[0] if files else None


def test_glyph_table_is_the_fonts_own() -> None:
    from fontTools.ttLib import TTFont

    regular = _installed_liberation_serif()
    if regular is None:
        assert not REQUIRED, "Liberation Serif 2 (fonts-liberation2) is not installed"
        pytest.skip("Liberation Serif 2 is not installed")
    for table, path in ((glyph_widths.REGULAR, regular),
                        (glyph_widths.BOLD, regular.with_name(regular.name.replace("Regular", "Bold")))):
        font = TTFont(str(path))
        cmap, metrics = font.getBestCmap(), font["hmtx"]
        assert font["head"].unitsPerEm == glyph_widths.UNITS_PER_EM
        for first, widths in table:
            for offset, width in enumerate(widths):
                code = first + offset
                assert width == (metrics[cmap[code]][0] if code in cmap else None), hex(code)
        assert max(metrics[name][0] for name in font.getGlyphOrder()) <= glyph_widths.WIDEST


def _sample_texts(rng: random.Random, width: float, count: int) -> list[str]:
    """Texts of all lengths that still fit in Excel's tallest row at this width, some in capitals."""
    texts: list[str] = []
    while len(texts) < count:
        body = " ".join(rng.choice(WORDS + list(LONG)) for _ in range(rng.choice([1, 3, 8, 15, 30, 60])))
        if rng.random() < 0.2:
            body = body.replace(" ", "\n", 1)
        if rng.random() < 0.25:
            body = body.upper()
        text = f"Q{len(texts)}w{width:g} {body}"
        if row_height(text_lines(text, width, HEADER)) < 409:
            texts.append(text)
    return texts


def _drawn_lines(found: list[tuple[str, float]]) -> dict[str, int]:
    """Per marker, the distinct heights at which the words of its cell were drawn (one per line)."""
    lines: dict[str, list[float]] = {}
    current = ""
    for text, top in found:
        if re.fullmatch(r"Q\d+w\d+", text):
            current = text
        lines.setdefault(current, []).append(top)
    counted = {}
    for marker, tops in lines.items():
        tops.sort()
        counted[marker] = 1 + sum(1 for a, b in itertools.pairwise(tops) if b - a > 4)
    return counted


@needs_libreoffice
@pytest.mark.parametrize("font", [BODY, HEADER], ids=["regular", "bold"])
def test_libreoffice_draws_no_more_lines_than_counted(tmp_path: Path, font: Font) -> None:
    rng = random.Random(7)
    path = tmp_path / "lines.xlsx"
    book = new_workbook(path)
    cell = book.add_format({"font_name": "Times New Roman", "font_size": 12, "bold": font.bold, "text_wrap": True,
                            "valign": "top", "border": 1})
    expected = {}
    for width in (7, 12, 20, 34, 60):
        sheet = book.add_worksheet(f"w{width}")
        sheet.set_column(0, 0, width)
        sheet.set_paper(9)
        for row, text in enumerate(_sample_texts(rng, width, 25)):
            sheet.write_string(row, 0, text, cell)
            sheet.set_row(row, fit_height([(text, width)], font))
            expected[text.split(" ", 1)[0]] = text_lines(text, width, font)
    book.close()
    found = words(convert(path, "pdf", tmp_path))
    assert overprinted(found) == []
    drawn = _drawn_lines([(w.text, w.y0) for w in found])
    assert set(drawn) == set(expected)
    assert {m: (drawn[m], n) for m, n in expected.items() if drawn[m] > n} == {}
