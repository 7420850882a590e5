"""Another province, another plan: a workspace from `init --blank`, filled as its office would, runs a whole
round; nothing of the seed province (Thái Nguyên, its plan, Chỉ thị 07) appears in any output."""

from __future__ import annotations

import email
import html
import json
import re
import tomllib
import zipfile
from email import policy
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.plan.lists import (
    AGENCIES,
    AGENCY_FILE,
    AGENCY_GROUPS,
    INDICATOR_FILE,
    INDICATORS,
    KINDS,
    PLAN_FILE,
    REASSIGNMENTS,
    TASK_GROUPS,
    TASKS,
)
from planreports.plan.model import Role
from planreports.plan.seed_lists import blank_rows, write_list_file
from planreports.testing.filling import Answers, fill_template
from planreports.workspace import Workspace

SEED_TEXTS = ("Thái Nguyên", "THÁI NGUYÊN", "thainguyen", "129/KH", "07/CT-TTg", "Thông tin và Truyền thông",
              "SVHTTDL", "STTTT", "Võ Nhai", "KGVX")

DEPARTMENTS = [("SNV", "Sở Nội vụ"), ("STP", "Sở Tư pháp"), ("SYT", "Sở Y tế"), ("STC", "Sở Tài chính"),
               ("SXD", "Sở Xây dựng"), ("SCT", "Sở Công Thương"), ("SGDDT", "Sở Giáo dục và Đào tạo"),
               ("SNNMT", "Sở Nông nghiệp và Môi trường"), ("SKHCN", "Sở Khoa học và Công nghệ"),
               ("SDL", "Sở Du lịch"), ("TTRA", "Thanh tra tỉnh"), ("VP", "Văn phòng UBND tỉnh")]
COMMUNES = [("X1", "Cẩm Xuyên"), ("X2", "Thạch Hà"), ("X3", "Kỳ Anh"), ("X4", "Hương Khê"), ("X5", "Đức Thọ"),
            ("X6", "Nghi Xuân")]
UNIONS = [("HND", "Hội Nông dân tỉnh"), ("DTN", "Tỉnh đoàn")]


def _lists(input_dir: Path) -> None:
    """The office types its own plan into the blank lists (the example rows kept: they start with #)."""
    examples = blank_rows()
    tasks = [("1.1", "1", "Ban hành kế hoạch cải cách hành chính năm", "Kế hoạch CCHC", "SNV", "", "Trong năm 2027"),
             ("1.2", "1", "Tuyên truyền về cải cách hành chính", "Tuyên truyền CCHC", "SBN; XA", "", "Thường xuyên"),
             ("1.3", "1", "Kiểm tra công tác cải cách hành chính", "Kiểm tra CCHC", "SNV", "SBN", "Hằng năm"),
             ("2.1", "2", "Số hoá hồ sơ thủ tục hành chính", "Số hoá hồ sơ", "XA", "SKHCN",
              "Hoàn thành trước tháng 10/2027"),
             ("2.2", "2", "Vận động hội viên dùng dịch vụ công trực tuyến", "Vận động dịch vụ công", "DT", "",
              "Thường xuyên"),
             ("2.3", "2", "Bố trí kinh phí cải cách hành chính", "Kinh phí CCHC", "STC", "", "Hằng năm")]
    rows = {
        TASK_GROUPS.sheet: [*examples[TASK_GROUPS.sheet], {"id": "1", "title": "Cải cách thể chế"},
                            {"id": "2", "title": "Chính quyền số"}],
        TASKS.sheet: [*examples[TASKS.sheet], *({"id": i, "group": g, "text": t, "short": s, "lead_codes": lead,
                                                 "support_codes": sup, "deadline": d}
                                                for i, g, t, s, lead, sup, d in tasks)],
        REASSIGNMENTS.sheet: examples[REASSIGNMENTS.sheet],
        AGENCIES.sheet: [*examples[AGENCIES.sheet],
                         *({"code": c, "name": n, "short": n, "kind": "so-nganh", "email": f"{c.lower()}@hatinh.test",
                            "reports": "Có"} for c, n in DEPARTMENTS),
                         *({"code": c, "name": f"Ủy ban nhân dân xã {n}", "short": f"UBND xã {n}", "kind": "xa-phuong",
                            "email": f"{c.lower()}@hatinh.test", "reports": "Có"} for c, n in COMMUNES),
                         *({"code": c, "name": n, "short": n, "kind": "doan-the", "reports": "Có"} for c, n in UNIONS)],
        AGENCY_GROUPS.sheet: [*examples[AGENCY_GROUPS.sheet],
                              {"code": "SBN", "name": "Các sở, ban, ngành",
                               "members": "; ".join(c for c, _ in DEPARTMENTS)},
                              {"code": "XA", "name": "UBND các xã", "members": "; ".join(c for c, _ in COMMUNES)},
                              {"code": "DT", "name": "Các tổ chức đoàn thể", "members": "HND; DTN"}],
        KINDS.sheet: [*examples[KINDS.sheet], {"code": "doan-the", "name": "Tổ chức đoàn thể", "bloc": "Đoàn thể"}],
        INDICATORS.sheet: [*examples[INDICATORS.sheet],
                           {"code": "HN", "name": "Hội nghị tuyên truyền đã tổ chức", "unit": "hội nghị",
                            "type": "Số nguyên", "aggregate": "Cộng", "groups": "1"},
                           {"code": "HOSO", "name": "Hồ sơ đã số hoá", "unit": "hồ sơ", "type": "Số nguyên",
                            "aggregate": "Cộng", "groups": "2"},
                           {"code": "KP", "name": "Kinh phí đã chi", "unit": "triệu đồng", "type": "Số thập phân",
                            "aggregate": "Cộng", "groups": "2"}],
    }
    write_list_file(input_dir / PLAN_FILE, [TASKS, TASK_GROUPS, REASSIGNMENTS], rows)
    write_list_file(input_dir / AGENCY_FILE, [AGENCIES, AGENCY_GROUPS, KINDS], rows)
    write_list_file(input_dir / INDICATOR_FILE, [INDICATORS], rows)


SETTINGS = {
    "province": '"Hà Tĩnh"', "name": '"Ủy ban nhân dân tỉnh Hà Tĩnh"',
    "header_lines": '["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"]', "place": '"Hà Tĩnh"', "coordinator": '"SNV"',
    "reference": '"Kế hoạch số 88/KH-UBND ngày 15/02/2027 của UBND tỉnh Hà Tĩnh"', "short": '"Kế hoạch số 88/KH-UBND"',
    "title": '"Cải cách hành chính nhà nước năm 2027 trên địa bàn tỉnh Hà Tĩnh"',
    "directive": '"Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ về Chương trình tổng thể cải cách hành '
                 'chính nhà nước giai đoạn 2021 - 2030"',
    "summary": '"Kết quả thực hiện Kế hoạch số 88/KH-UBND {period}"', "addressees": '["Bộ Nội vụ"]',
    "recipients": '["Thường trực Tỉnh ủy (b/c)", "Sở Nội vụ"]', "from_name": '"Sở Nội vụ tỉnh Hà Tĩnh"',
    "from_address": '"snv@hatinh.test"', "reminder_symbol": '"UBND-NC"',
}


def _settings(ws: Workspace) -> None:
    """Every «placeholder» replaced, and a period added, as the guide says."""
    text = ws.config_path.read_text(encoding="utf-8")
    for key, value in SETTINGS.items():
        text = re.sub(rf"^{key} = .*«.*$", f"{key} = {value}", text, count=1, flags=re.M)
    text = text.replace("[mail]", "[periods.2027]\ndeadline = 2027-12-10\n\n[mail]", 1)
    ws.config_path.write_text(text, encoding="utf-8")


def _answers(ws: Workspace, code: str, number: int) -> Answers:
    plan = ws.plan_for(ws.period("2027"))
    answers = Answers(info={"reporter": "Nguyễn Thị Hoa", "phone": "0239 3855 123"})
    for assignment in plan.assignments(code):
        lead = assignment.role is Role.LEAD
        answers.tasks[assignment.task.id] = {
            "status": ("Hoàn thành" if number % 3 else "Đang thực hiện") if lead else None,
            "result": f"Đã triển khai {assignment.task.name.lower()} theo kế hoạch của đơn vị." if lead else None,
            "difficulty": "Thiếu kinh phí cho số hoá hồ sơ." if number % 4 == 0 else None,
            "proposal": "Đề nghị hướng dẫn định mức chi số hoá hồ sơ." if number % 5 == 0 else None}
    answers.figures = {"HN": number % 4 + 1, "HOSO": 100 + 10 * number, "KP": 12.5 + number}
    return answers


def _texts(folder: Path) -> dict[str, str]:
    """What a person can read in every output file: documents, workbooks, pages, mails and their attachments."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as package:
                xml = " ".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))
            out[str(path)] = html.unescape(re.sub(r"<[^>]+>", " ", xml))
        elif path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            parts = [str(message["Subject"]), str(message["From"])]
            parts += [p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
            out[str(path)] = "\n".join(parts + [p.get_filename() or "" for p in message.walk()])
        elif path.suffix in (".html", ".json", ".txt"):
            out[str(path)] = html.unescape(path.read_text(encoding="utf-8"))
    return out


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("ha-tinh") / "ws"
    result = CliRunner().invoke(cli, ["init", str(root), "--blank"])
    assert result.exit_code == 0, result.output
    ws = Workspace(root)
    _lists(ws.input_dir)
    _settings(ws)
    return ws


def test_blank_settings_are_refused_until_filled(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["init", str(root), "--blank"]).exit_code == 0
    text = (root / "planreports.toml").read_text(encoding="utf-8")
    assert "Thái Nguyên" not in text and "129/KH" not in text and "periods" not in tomllib.loads(text)
    _lists(root / "input")
    for command in (["periods"], ["templates", "--period", "2027"]):
        result = CliRunner().invoke(cli, ["-w", str(root), *command])
        assert result.exit_code == 1, (command, result.output)
        assert "chỗ «…» chưa điền" in result.output and "issuer.province" in result.output
    assert not (root / "output" / "2027" / "bieu-mau").exists()


def test_blank_lists_hold_only_examples_that_are_not_read(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["init", str(root), "--blank"]).exit_code == 0
    tasks = openpyxl.load_workbook(root / "input" / PLAN_FILE)["Nhiệm vụ"]
    assert tasks.max_row == 2 and str(tasks["A2"].value).startswith("# ") and tasks["A2"].font.i
    result = CliRunner().invoke(cli, ["-w", str(root), "periods"])
    assert result.exit_code == 1 and "Danh mục không có nhiệm vụ nào" in result.output


def test_coded_columns_have_dropdowns(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["init", str(root)]).exit_code == 0

    def rules(file: str, sheet: str) -> dict[str, str]:
        validations = openpyxl.load_workbook(root / "input" / file)[sheet].data_validations.dataValidation
        return {str(v.sqref).split(":")[0]: str(v.formula1) for v in validations if v.type == "list"}

    assert rules(PLAN_FILE, "Nhiệm vụ") == {"B2": "'Nhóm nhiệm vụ'!$A$2:$A$1000"}
    assert rules(PLAN_FILE, "Phân công theo thời gian") == {"A2": "'Nhiệm vụ'!$A$2:$A$1000"}
    assert rules(AGENCY_FILE, "Đơn vị") == {"D2": "'Loại đơn vị'!$A$2:$A$1000", "F2": '"Có,Không"'}
    assert rules(INDICATOR_FILE, "Chỉ tiêu") == {"D2": '"Số nguyên,Số thập phân"', "E2": '"Cộng,Lớn nhất"'}


def test_a_whole_round_of_another_province_says_nothing_of_the_seed(province: Workspace) -> None:
    ws, runner = province, CliRunner()
    result = runner.invoke(cli, ["-w", str(ws.root), "periods"])
    assert result.exit_code == 0, result.output
    assert "Lưu ý" not in result.output                   # nothing left of the seed, no split without a lead
    result = runner.invoke(cli, ["-w", str(ws.root), "templates", "--period", "2027"])
    assert result.exit_code == 0, result.output
    codes = [c for c, _ in DEPARTMENTS + COMMUNES + UNIONS]
    inbox = ws.inbox / "2027"
    inbox.mkdir(parents=True, exist_ok=True)
    for number, code in enumerate(codes[:-2]):             # two units never answer
        fill_template(ws.agency_template(ws.period("2027"), code), _answers(ws, code, number), inbox / f"{code}.xlsx")
    result = runner.invoke(cli, ["-w", str(ws.root), "run", "--period", "2027"])
    assert result.exit_code == 0, result.output
    assert "18/20 đơn vị" in result.output
    for command in (["notify", "--period", "2027"], ["remind", "--period", "2027", "--until", "20/12/2027"],
                    ["templates", "--period", "2028"], ["status", "--period", "2028"]):
        result = runner.invoke(cli, ["-w", str(ws.root), *command])
        assert result.exit_code == 0, (command, result.output)
    texts = _texts(ws.output_dir)
    kinds = {Path(name).suffix for name in texts}
    assert {".docx", ".xlsx", ".html", ".json", ".eml"} <= kinds, kinds
    leaks = {name: [s for s in SEED_TEXTS if s in text] for name, text in texts.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
    report = texts[str(ws.report_path(ws.period("2027")))]
    assert "Nghị quyết số 76/NQ-CP" in report and "Kế hoạch số 88/KH-UBND" in report and "Hà Tĩnh" in report
    assert "Kính gửi: Bộ Nội vụ." in report                   # a single addressee on the line itself
    assert "; chủ trì: Sở Nội vụ)" in report                   # the lists left "Chủ trì" empty: the codes' names
    assert "Đoàn thể" in texts[str(ws.consolidated_path(ws.period("2027")))]


def test_settings_naming_codes_the_lists_lack_are_refused(province: Workspace, tmp_path: Path) -> None:
    config = province.config_path.read_text(encoding="utf-8")
    try:
        province.config_path.write_text(
            config.replace('coordinator = "SNV"', 'coordinator = "SNVV"').replace(
                "leadership_tasks = []", 'leadership_tasks = ["1.1", "9.9"]'), encoding="utf-8")
        for command in (["periods"], ["templates", "--period", "2027"], ["report", "--period", "2027"]):
            result = CliRunner().invoke(cli, ["-w", str(province.root), *command])
            assert result.exit_code == 1, (command, result.output)
            assert "issuer.coordinator" in result.output and "SNVV" in result.output and "SNV," in result.output
            assert "report.leadership_tasks" in result.output and "9.9" in result.output
    finally:
        province.config_path.write_text(config, encoding="utf-8")   # the module's workspace as it was


def test_a_form_of_another_plan_is_one_clear_error(province: Workspace, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["-w", str(province.root), "templates", "--period", "2027", "-a", "SYT"])
    assert result.exit_code == 0, result.output
    form = province.agency_template(province.period("2027"), "SYT")
    seed = tmp_path / "seed"
    assert CliRunner().invoke(cli, ["init", str(seed)]).exit_code == 0
    result = CliRunner().invoke(cli, ["-w", str(seed), "check", str(form), "--json"])
    (item,) = json.loads(result.output)
    assert result.exit_code == 1
    assert [i["code"] for i in item["issues"]] == ["form-other-plan"]
    assert "Kế hoạch số 88/KH-UBND" in item["issues"][0]["message"] and "129/KH-UBND" in item["issues"][0]["message"]


def test_an_old_form_is_told_once_not_row_by_row(province: Workspace) -> None:
    ws, runner = province, CliRunner()
    assert runner.invoke(cli, ["-w", str(ws.root), "templates", "--period", "2027", "-a", "SBN"]).exit_code != 0
    assert runner.invoke(cli, ["-w", str(ws.root), "templates", "--period", "2027", "-a", "X1"]).exit_code == 0
    old = ws.agency_template(ws.period("2027"), "X1").read_bytes()
    filled = ws.root / "x1-cu.xlsx"
    filled.write_bytes(old)
    fill_template(filled, _answers(ws, "X1", 1), filled)
    book = openpyxl.load_workbook(ws.input_dir / PLAN_FILE)
    sheet = book["Nhiệm vụ"]
    texts = {}
    for row in range(2, sheet.max_row + 1):                 # the office rewords every task after sending forms
        texts[row] = sheet.cell(row, 3).value
        sheet.cell(row, 3).value = f"{texts[row]} (sửa đổi)"
    book.save(ws.input_dir / PLAN_FILE)
    try:
        result = runner.invoke(cli, ["-w", str(ws.root), "check", str(filled), "--period", "2027", "--json"])
        (item,) = json.loads(result.output)
        assert (result.exit_code, item["verdict"]) == (0, "warning"), item["issues"]
        assert [i["code"] for i in item["issues"]] == ["template-outdated"]
        assert "Biểu mẫu cũ" in item["issues"][0]["message"]
    finally:
        for row, text in texts.items():
            sheet.cell(row, 3).value = text
        book.save(ws.input_dir / PLAN_FILE)
