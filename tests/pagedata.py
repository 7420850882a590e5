"""Realistic PageData for the status page tests: the province's 34 units, or a larger round with communes.

Deterministic (no randomness), with Vietnamese findings and some hostile text where agencies control it.
Run as a script to write sample pages for a look in a browser:

    python -m tests.pagedata OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from planreports.page import GroupProgress, IndicatorLine, PageData, PageFinding, PageUnit, UnitState, render_page

SO, DP, BC = "Sở, ngành", "Địa phương", "Báo chí"
HOSTILE = '<script>alert(1)</script> "&'
AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("VPUBND", "Văn phòng Ủy ban nhân dân tỉnh", SO), ("SNV", "Sở Nội vụ", SO), ("STP", "Sở Tư pháp", SO),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", SO), ("STC", "Sở Tài chính", SO), ("SCT", "Sở Công Thương", SO),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", SO), ("SGTVT", "Sở Giao thông vận tải", SO),
    ("SXD", "Sở Xây dựng", SO), ("STNMT", "Sở Tài nguyên và Môi trường", SO),
    ("STTTT", "Sở Thông tin và Truyền thông", SO), ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội", SO),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", SO), ("SKHCN", "Sở Khoa học và Công nghệ", SO),
    ("SGDDT", "Sở Giáo dục và Đào tạo", SO), ("SYT", "Sở Y tế", SO), ("SNGV", "Sở Ngoại vụ", SO),
    ("TTRA", "Thanh tra tỉnh", SO), ("BDT", "Ban Dân tộc tỉnh", SO),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp Thái Nguyên", SO), ("CAT", "Công an tỉnh Thái Nguyên", SO),
    ("TPTN", "Ủy ban nhân dân thành phố Thái Nguyên", DP), ("TPSC", "Ủy ban nhân dân thành phố Sông Công", DP),
    ("TPPY", "Ủy ban nhân dân thành phố Phổ Yên", DP), ("HDT", "Ủy ban nhân dân huyện Đại Từ", DP),
    ("HDH", "Ủy ban nhân dân huyện Định Hóa", DP), ("HPL", "Ủy ban nhân dân huyện Phú Lương", DP),
    ("HDHY", "Ủy ban nhân dân huyện Đồng Hỷ", DP), ("HVN", "Ủy ban nhân dân huyện Võ Nhai", DP),
    ("HPB", "Ủy ban nhân dân huyện Phú Bình", DP), ("BTN", "Báo Thái Nguyên", BC),
    ("PTTH", "Đài Phát thanh và Truyền hình tỉnh Thái Nguyên", BC), ("TCVN", "Tạp chí Văn nghệ Thái Nguyên", BC),
    ("TTTT", f"Trung tâm Thông tin tỉnh {HOSTILE}", BC),
)
COMMUNES = ("Tân Cương", "Phúc Xuân", "Quyết Thắng", "Thịnh Đức", "Cao Ngạn", "Đồng Bẩm", "Huống Thượng",
            "Linh Sơn", "Sơn Cẩm", "Phúc Hà", "Phúc Trìu", "Tân Thành", "Bá Xuyên", "Bình Sơn", "Vinh Sơn",
            "Tân Quang", "Hồng Tiến", "Đắc Sơn", "Minh Đức", "Nam Tiến")
# one cycle of states; 34 units give 18 on time, 6 late, 4 rejected, 6 missing
PATTERN = (UnitState.ON_TIME,) * 9 + (UnitState.LATE,) * 3 + (UnitState.REJECTED,) * 2 + (UnitState.MISSING,) * 3
STATE_LABELS = ((UnitState.ON_TIME, "Đúng hạn"), (UnitState.LATE, "Nộp muộn"),
                (UnitState.REJECTED, "Không đạt, chưa gửi lại"), (UnitState.MISSING, "Chưa nộp"))
OVERALL_LABELS = (("done", "Hoàn thành"), ("in_progress", "Đang thực hiện"), ("not_started", "Chưa thực hiện"),
                  ("overdue", "Chưa hoàn thành, quá hạn"), ("not_applicable", "Không phát sinh"),
                  ("no_report", "Chưa có báo cáo"))
GROUPS = (
    ("1", "Nâng cao nhận thức, trách nhiệm của các cơ quan, đơn vị, địa phương về vị trí, vai trò của truyền thông "
          "chính sách", (4, 1, 0, 0, 0, 1)),
    ("2", "Rà soát, đề xuất hoàn thiện văn bản quy phạm pháp luật, tổ chức thực hiện chương trình, kế hoạch truyền "
          "thông chính sách", (2, 2, 1, 1, 0, 0)),
    ("3", "Công tác chỉ đạo, định hướng, cung cấp thông tin, quản lý thông tin báo chí và mạng xã hội",
     (3, 1, 0, 0, 1, 0)),
    ("4", "Thực hiện tốt việc công khai thông tin theo quy định", (1, 1, 0, 0, 0, 0)),
    ("5", "Triển khai nhiệm vụ truyền thông chính sách của tỉnh, của từng ngành, từng địa phương", (5, 2, 0, 1, 0, 1)),
    ("6", "Đảm bảo nguồn lực, cơ chế triển khai truyền thông chính sách", (1, 2, 1, 0, 0, 0)),
    ("7", "Tăng cường công tác quản lý truyền thông, nâng cao chất lượng truyền thông chính sách", (2, 1, 0, 0, 0, 2)),
)
INDICATORS = (
    ("VB_CHIDAO", "Văn bản chỉ đạo, hướng dẫn, kế hoạch về truyền thông chính sách đã ban hành", "văn bản", "187",
     "164", "tăng 14,0%"),
    ("HN_SO", "Hội nghị phổ biến, quán triệt về truyền thông chính sách đã tổ chức", "hội nghị", "42", "45",
     "giảm 6,7%"),
    ("HN_NGUOI", "Lượt người tham dự hội nghị", "lượt người", "6.315", "5.870", "tăng 7,6%"),
    ("TH_LOP", "Lớp bồi dưỡng, tập huấn nghiệp vụ truyền thông chính sách", "lớp", "18", None, None),
    ("TH_HOCVIEN", "Lượt học viên được bồi dưỡng, tập huấn", "lượt người", "1.204", "1.204", "không đổi"),
    ("TIN_BAI", "Tin, bài, phóng sự về chính sách đã đăng, phát trên báo chí", "tin, bài", "12.480", "10.932",
     "tăng 14,2%"),
    ("CONG_TTDT", "Tin, bài đăng trên Cổng/Trang thông tin điện tử của đơn vị", "tin, bài", "25.377", "22.015",
     "tăng 15,3%"),
)


def _findings(state: UnitState, index: int) -> tuple[PageFinding, ...]:
    late = PageFinding("warning", "submission-late", "", "",
                       f"Nộp muộn: nhận ngày {11 + index % 4}/12/2024, hạn gửi ngày 10/12/2024.")
    if state is UnitState.REJECTED:
        return (
            PageFinding("error", "status-missing", "Nhiệm vụ", f"E{5 + index % 9}",
                        "Chưa chọn “Tình trạng” cho nhiệm vụ 2.3 do đơn vị chủ trì. Chọn một trong: Hoàn thành, "
                        "Đang thực hiện, Chưa thực hiện, Không phát sinh."),
            PageFinding("error", "number-invalid", "Số liệu", "D7",
                        f"Ô ghi “{HOSTILE}” không phải là số. Ghi số nguyên, ví dụ 1.200."),
            PageFinding("warning", "result-missing", f"Nhiệm vụ{HOSTILE}", "F9",
                        "Nhiệm vụ 5.1 ghi “Hoàn thành” nhưng chưa ghi “Kết quả thực hiện”. Đề nghị bổ sung."),
        )
    if state is UnitState.LATE:
        return (late,)
    if state is UnitState.ON_TIME and index % 4 == 1:
        return (PageFinding("warning", "status-normalized", "Nhiệm vụ", f"E{6 + index % 7}",
                            "“Tình trạng” ghi “đã xong” được hiểu là “Hoàn thành”. Lần sau đề nghị chọn trong danh "
                            "sách."),)
    return ()


def _unit(index: int, code: str, name: str, bloc: str) -> PageUnit:
    state = PATTERN[index % len(PATTERN)]
    findings = _findings(state, index)
    received = None if state is UnitState.MISSING else (
        f"{(11 + index % 4) if state is UnitState.LATE else (1 + index % 9):02d}/12/2024 {8 + index % 9:02d}:"
        f"{(index * 7) % 60:02d}")
    verdict = {UnitState.REJECTED: "Không đạt", UnitState.MISSING: None}.get(
        state, "Đạt, có cảnh báo" if findings else "Đạt")
    feedback = None if state is UnitState.MISSING else f"phan-hoi/{code}.eml"
    if code == "SKHCN":     # a file name as an agency might have it: quotes, angle brackets, Vietnamese
        feedback = f'phan-hoi/{code} "thư" <1>.eml'
    return PageUnit(code, name, bloc, state, received, verdict, findings, feedback)


def units(count: int = 34) -> tuple[PageUnit, ...]:
    rows = list(AGENCIES[:count])
    for n in range(count - len(rows)):
        commune = COMMUNES[n % len(COMMUNES)]
        rows.append((f"XA{n + 1:03d}", f"Ủy ban nhân dân xã {commune} ({n // len(COMMUNES) + 1})", DP))
    return tuple(_unit(i, *row) for i, row in enumerate(rows))


def sample_page(count: int = 34, previous: bool = True, days_left: int = 14) -> PageData:
    return PageData(
        title="Tình hình báo cáo thực hiện Kế hoạch số 129/KH-UBND năm 2024",
        period_label="năm 2024", period_span="từ ngày 15/12/2023 đến ngày 14/12/2024", deadline="10/12/2024",
        days_left=days_left, generated_at="26/11/2024 14:05", units=units(count), state_labels=STATE_LABELS,
        overall_labels=OVERALL_LABELS,
        task_groups=tuple(GroupProgress(gid, title, tuple(zip((k for k, _ in OVERALL_LABELS), counts, strict=True)))
                          for gid, title, counts in GROUPS),
        indicators=tuple(IndicatorLine(*line) for line in INDICATORS),
        previous_period_label="năm 2023" if previous else None,
        links=(("Báo cáo kết quả thực hiện Kế hoạch (tệp Word .docx)", "bao-cao/Bao-cao-KH129-nam-2024.docx"),
               ("Bảng tổng hợp số liệu (tệp Excel .xlsx)", "tong-hop/Tong-hop-KH129-nam-2024.xlsx")),
    )


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for n in (34, 120):
        (out / f"trang-{n}.html").write_text(render_page(sample_page(n)), encoding="utf-8")
