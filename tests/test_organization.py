"""The organization over time: dated agencies, groups and tasks, per-period settings, and the past unchanged."""

from __future__ import annotations

import hashlib
import json
import shutil
import tomllib
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from planreports.cli import cli
from planreports.config import parse_config
from planreports.errors import ConfigError, DataFilesError
from planreports.form.batch import generate_templates
from planreports.plan.deadlines import parse_deadline
from planreports.plan.lists import load_plan
from planreports.plan.model import ALWAYS, Agency, AgencyGroup, AgencyKind, Plan, Task, Validity
from planreports.plan.periods import parse_period
from planreports.plan.seed_lists import seed_text
from planreports.workspace import Workspace
from tests.conftest import copy_example

REPO = Path(__file__).resolve().parents[1]
DISTRICTS = {"TPTN", "TPSC", "TPPY", "HDT", "HDH", "HPL", "HDHY", "HVN", "HPB"}


def _plan() -> Plan:
    """A small province: a department merged on 1/3/2025, a district replaced by two communes on 1/7/2025."""
    kinds = (AgencyKind("so", "Sở", "Sở, ngành"), AgencyKind("huyen", "Huyện", "Địa phương"),
             AgencyKind("xa", "Xã", "Địa phương"))
    agencies = (Agency("STT", "Sở Thông tin", "Sở TT", "so", "", valid=Validity(end=date(2025, 2, 28)),
                       successors=("SVH", "SKH")),
                Agency("SVH", "Sở Văn hóa", "Sở VH", "so", ""), Agency("SKH", "Sở Khoa học", "Sở KH", "so", ""),
                Agency("H1", "UBND huyện Một", "Huyện Một", "huyen", "", valid=Validity(end=date(2025, 6, 30)),
                       successors=("X1", "X2")),
                Agency("X1", "UBND xã Một", "Xã Một", "xa", "", valid=Validity(start=date(2025, 7, 1))),
                Agency("X2", "UBND xã Hai", "Xã Hai", "xa", "", valid=Validity(start=date(2025, 7, 1))))
    groups = (AgencyGroup("DP", "UBND các huyện", ("huyen",), Validity(end=date(2025, 6, 30))),
              AgencyGroup("DP", "UBND các xã, phường", ("xa",), Validity(start=date(2025, 7, 1))))
    tasks = (Task("1", "1", "Tuyên truyền", "Sở Thông tin", "UBND các huyện", ("STT",), ("DP",), "",
                  parse_deadline("Thường xuyên")),
             Task("2", "1", "Báo cáo", "UBND các huyện", "", ("DP",), (), "", parse_deadline("Hằng năm")),
             Task("3", "1", "Việc mới", "Sở Văn hóa", "", ("SVH",), (), "", parse_deadline("Hằng năm"),
                  valid=Validity(start=date(2026, 1, 1))))
    return Plan((), tasks, kinds, agencies, groups, ())


def test_validity_covers_its_days() -> None:
    spring = Validity(date(2025, 3, 1), date(2025, 6, 30))
    assert spring.covers(date(2025, 3, 1)) and spring.covers(date(2025, 6, 30))
    assert not spring.covers(date(2025, 2, 28)) and not spring.covers(date(2025, 7, 1))
    assert ALWAYS.covers(date(1990, 1, 1))


def test_an_agency_reports_when_it_exists_on_the_periods_last_day() -> None:
    plan = _plan()
    assert [a.code for a in plan.at(date(2024, 12, 14)).reporting_agencies] == ["STT", "SVH", "SKH", "H1"]
    assert [a.code for a in plan.at(date(2025, 12, 14)).reporting_agencies] == ["SVH", "SKH", "X1", "X2"]


def test_groups_resolve_and_are_named_per_period() -> None:
    old, new = _plan().at(date(2024, 12, 14)), _plan().at(date(2026, 12, 14))
    assert old.resolve("DP") == {"H1"} and new.resolve("DP") == {"X1", "X2"}
    assert old.name_of("DP") == "UBND các huyện" and new.name_of("DP") == "UBND các xã, phường"


def test_an_ended_agencys_duties_pass_to_its_successors() -> None:
    new = _plan().at(date(2026, 12, 14))
    assert new.resolve("STT") == {"SVH", "SKH"}
    assert {a.task.id for a in new.assignments("SKH")} == {"1"}
    assert new.successors_of("H1") == ("X1", "X2")


def test_a_task_shows_the_names_of_its_time() -> None:
    old, new = _plan().at(date(2024, 12, 14)), _plan().at(date(2026, 12, 14))
    assert (old.task_by_id["1"].lead, old.task_by_id["1"].support) == ("Sở Thông tin", "UBND các huyện")
    assert new.task_by_id["1"].lead == "Sở Văn hóa; Sở Khoa học"
    assert new.task_by_id["2"].lead == "UBND các xã, phường"
    assert new.task_by_id["1"].text == "Tuyên truyền"          # the plan's text is kept


def test_tasks_of_an_amendment_hold_from_their_date() -> None:
    assert "3" not in _plan().at(date(2025, 12, 14)).task_by_id
    assert "3" in _plan().at(date(2026, 12, 14)).task_by_id


# ---------------------------------------------------------------- the lists

def _agency_sheet(ws: Workspace) -> tuple[openpyxl.Workbook, dict[str, int]]:
    book = openpyxl.load_workbook(ws.input_dir / "don-vi.xlsx")
    columns = {cell.value: cell.column for cell in book["Đơn vị"][1]}
    return book, columns


def test_dates_are_read_as_excel_dates_or_typed_text(ws: Workspace) -> None:
    book, columns = _agency_sheet(ws)
    sheet = book["Đơn vị"]
    sheet.append(["XMOI", "Ủy ban nhân dân xã Mới", "UBND xã Mới", "xa-phuong", "", "Có"])
    sheet.cell(sheet.max_row, columns["Hiệu lực từ"]).value = "01/01/2026"
    book.save(ws.input_dir / "don-vi.xlsx")
    plan = load_plan(ws.input_dir)
    assert plan.agency_by_code["XMOI"].valid == Validity(date(2026, 1, 1))
    assert plan.agency_by_code["HDT"].valid.end == date(2025, 6, 30)          # written by init as an Excel date
    assert plan.agency_by_code["STTTT"].successors == ("SVHTTDL", "SKHCN")


def test_wrong_dates_and_overlapping_rows_are_named(ws: Workspace) -> None:
    book, columns = _agency_sheet(ws)
    sheet = book["Đơn vị"]
    sheet.cell(2, columns["Hiệu lực từ"]).value = "31/02/2025"
    sheet.append(["STP", "Sở Tư pháp (mới)", "Sở Tư pháp", "so-nganh", "", "Có"])
    sheet.cell(sheet.max_row, columns["Hiệu lực từ"]).value = "01/01/2026"
    book.save(ws.input_dir / "don-vi.xlsx")
    with pytest.raises(DataFilesError) as error:
        load_plan(ws.input_dir)
    found = {(i.code, i.sheet) for i in error.value.issues}
    assert found == {("list-bad-date", "Đơn vị"), ("list-validity-overlap", "Đơn vị")}
    assert "31/02/2025" in error.value.message and "dòng" in error.value.message


def test_lists_made_before_dates_existed_still_load(ws: Workspace) -> None:
    book, columns = _agency_sheet(ws)
    for title in ("Ghi chú", "Kế thừa", "Hiệu lực đến", "Hiệu lực từ"):
        book["Đơn vị"].delete_cols(columns[title])
    book.save(ws.input_dir / "don-vi.xlsx")
    plan = load_plan(ws.input_dir)
    assert plan.agency_by_code["HDT"].valid == ALWAYS


# ---------------------------------------------------------------- the seeded province

def test_templates_follow_the_organization_of_the_period(ws: Workspace) -> None:
    old = {p.stem for p in generate_templates(ws, ws.period("2024"))}
    new = {p.stem for p in generate_templates(ws, ws.period("2026"))}
    assert len(old) == 34 and DISTRICTS | {"STTTT"} <= old
    assert not (DISTRICTS | {"STTTT", "SKHDT", "BTN"}) & new
    assert len([c for c in new if c[0] in "XP" and c[1:].isdigit()]) == 92
    assert {"SVHTTDL", "SKHCN", "SNNMT", "SDTTG", "BPTTH"} <= new
    assert len(new) == len(ws.plan_for(ws.period("2026")).reporting_agencies) == 110


def test_a_template_for_an_ended_agency_is_refused_with_its_successors(ws: Workspace) -> None:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "templates", "--period", "2026", "--agency", "HPB"])
    assert result.exit_code == 2
    assert "không còn đơn vị HPB" in result.output and "Ủy ban nhân dân xã Phú Bình" in result.output


def test_a_file_from_an_agency_that_no_longer_exists_is_refused(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "check", str(ws.inbox / "2026" / "hpb-da-giai-the.eml"),
                                      "--period", "2026", "--json"])
    (item,) = json.loads(result.output)
    assert result.exit_code == 1 and "agency-inactive" in {i["code"] for i in item["issues"]}
    message = next(i["message"] for i in item["issues"] if i["code"] == "agency-inactive")
    assert "30/06/2025" in message and "Ủy ban nhân dân xã Tân Khánh" in message


def test_a_2024_file_checked_today_is_judged_by_2024(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "check", str(ws.inbox / "2024" / "hdt.eml"), "--json"])
    (item,) = json.loads(result.output)
    assert result.exit_code == 0 and item["verdict"] == "accepted" and item["period"] == "2024"


def test_settings_hold_per_period() -> None:
    config = parse_config(tomllib.loads(seed_text("planreports.toml")))
    old, new = (config.for_period(parse_period(p)) for p in ("2024", "2026"))
    assert old.addressees == ("Văn phòng Chính phủ", "Bộ Thông tin và Truyền thông")
    assert new.addressees == ("Văn phòng Chính phủ", "Bộ Văn hóa, Thể thao và Du lịch")
    assert (old.coordinator, new.coordinator) == ("STTTT", "SVHTTDL")
    assert (old.signer_name, new.signer_name) == ("Lê Quang Tiến", "")
    assert (old.mail.from_address, new.mail.from_address) == ("stttt@thainguyen.gov.vn", "svhttdl@thainguyen.gov.vn")
    assert old.plan_reference == new.plan_reference


def test_a_misspelt_setting_is_an_error_that_names_it() -> None:
    text = seed_text("planreports.toml").replace('[periods.2026]', '[periods.2026]\nsigner_name = "x"')
    with pytest.raises(ConfigError, match=r"periods\.2026\.signer_name"):
        parse_config(tomllib.loads(text))


def test_a_period_without_settings_warns_once_and_goes_on(ws: Workspace) -> None:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "status", "--period", "2027"])
    assert result.exit_code == 0
    assert result.stderr.count("Chưa có mục [periods.2027]") == 1 and "14/12/2027" in result.stderr


def test_periods_lists_what_is_configured_and_received(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    CliRunner().invoke(cli, ["-w", str(ws.root), "collect", "--period", "2026"])
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "periods", "--json"])
    rows = {r["period"]: r for r in json.loads(result.output)}
    assert set(rows) == {"2024", "2025", "2026"}
    assert rows["2026"]["expected"] == 110 and rows["2026"]["files"] == 111 and rows["2026"]["reported"] == 108
    assert rows["2024"]["expected"] == 34 and rows["2024"]["files"] == 0 and not rows["2024"]["report_written"]


# ---------------------------------------------------------------- the reports of two periods

def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_2026_report_names_only_2026_agencies_and_addressees(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "run", "--period", "2026"])
    assert result.exit_code == 1, result.output            # the planted bad cell and the abolished district
    assert "chỗ để trống" in result.stderr and "họ tên người ký" in result.stderr
    text = _docx_text(ws.report_path(ws.period("2026")))
    assert "Bộ Văn hóa, Thể thao và Du lịch" in text and "Bộ Thông tin và Truyền thông" not in text.split("BÁO CÁO")[0]
    assert "Sở Thông tin và Truyền thông" not in text and "UBND các huyện" not in text
    assert "huyện Phú Bình" not in text and "UBND các xã, phường" in text
    assert "108/110" in text
    summary = json.loads(ws.summary_path(ws.period("2026")).read_text(encoding="utf-8"))
    assert len(summary["agencies_expected"]) == 110 and not DISTRICTS & set(summary["agencies_expected"])
    book = openpyxl.load_workbook(ws.consolidated_path(ws.period("2026")), read_only=True)
    names = {row[1] for row in book["Tình hình nộp"].iter_rows(min_row=2, values_only=True)}
    assert "Ủy ban nhân dân xã Phú Bình" in names and not any("huyện" in str(n) for n in names)


def _old_style(ws: Workspace) -> None:
    """Make the workspace as it was before the 2025/2026 structure was added: the 2024 registry only, without
    dates, and the 2024 settings as the workspace's own."""
    view = ws.plan_for(ws.period("2024"))
    book, _ = _agency_sheet(ws)
    sheet = book["Đơn vị"]
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, 1).value not in view.agency_by_code and sheet.cell(row, 1).value != "BTTTT":
            sheet.delete_rows(row)
    for title in ("Ghi chú", "Kế thừa", "Hiệu lực đến", "Hiệu lực từ"):
        sheet.delete_cols({c.value: c.column for c in sheet[1]}[title])
    groups = book["Nhóm đơn vị"]
    for row in range(groups.max_row, 1, -1):
        if groups.cell(row, 2).value == "UBND các xã, phường":
            groups.delete_rows(row)
    groups.delete_cols(4, 2)
    book.save(ws.input_dir / "don-vi.xlsx")
    plan_book = openpyxl.load_workbook(ws.input_dir / "ke-hoach.xlsx")
    del plan_book["Phân công theo thời gian"]        # the split of Sở TT&TT (2025) was not yet in the lists
    plan_book.save(ws.input_dir / "ke-hoach.xlsx")
    text = (REPO / "planreports.toml").read_text(encoding="utf-8")
    old = (text.split("[periods.2024.issuer]")[0] + "\n[periods.2025]\ndeadline = 2025-12-10\n\n[mail]"
           + text.split("[mail]", 1)[1])
    for new_value, old_value in (('coordinator = "SVHTTDL"', 'coordinator = "STTTT"'),
                                 ('name = ""', 'name = "Lê Quang Tiến"'),
                                 ('from_name = "Sở Văn hóa, Thể thao và Du lịch tỉnh Thái Nguyên"',
                                  'from_name = "Sở Thông tin và Truyền thông tỉnh Thái Nguyên"')):
        old = old.replace(new_value, old_value)
    old = old.replace('"svhttdl@thainguyen.gov.vn"', '"stttt@thainguyen.gov.vn"')
    old = old.replace('"Bộ Văn hóa, Thể thao và Du lịch"]', '"Bộ Thông tin và Truyền thông"]').replace(
        '    "Sở Văn hóa, Thể thao và Du lịch",', '    "Sở Thông tin và Truyền thông",')
    ws.config_path.write_text(old, encoding="utf-8")
    shutil.rmtree(ws.inbox / "2026")


def _run_2024(ws: Workspace) -> dict[str, str]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "run", "--period", "2024"])
    assert result.exit_code in (0, 1), result.output
    folder = ws.period_dir(ws.period("2024"))
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.*"))}


def test_nothing_of_the_past_changes(tmp_path: Path) -> None:
    """2024's outputs are the same bytes before and after the 2025/2026 structure and settings are added."""
    before = copy_example(tmp_path / "a" / "vd")
    _old_style(before)
    old_plan = load_plan(before.input_dir)
    assert len(old_plan.agencies) == 35 and all(a.valid == ALWAYS for a in old_plan.agencies)
    assert "2026" not in parse_config(tomllib.loads(before.config_path.read_text())).periods
    after = copy_example(tmp_path / "b" / "vd")
    shutil.rmtree(after.inbox / "2026")
    outputs = _run_2024(before)
    assert {"bao-cao-2024.docx", "summary.json", "tong-hop-2024.xlsx"} <= set(outputs)
    assert _run_2024(after) == outputs
