"""Synthetic but realistic answers for the example workspace and the benchmarks (seeded, reproducible).

Every generated form says in its "Thông tin" sheet that it is synthetic example data. The figures are drawn
first and the result texts are written from them ("Tổ chức 2 hội nghị cho 150 lượt" beside HN_SO = 2 and
HN_NGUOI = 150), each text fitting its task; a task the texts do not know (another province's plan) gets a
plain sentence. No text names a province: the example data serves any plan.
"""

from __future__ import annotations

import random

from planreports.plan.model import Agency, NumberType, Plan, Role, Status, Task
from planreports.testing.filling import Answers
from planreports.vn.numerals import format_number

SYNTHETIC_NOTE = "DỮ LIỆU MẪU (giả lập) để minh họa phần mềm, không phải báo cáo thật của đơn vị."

# task id -> texts; {CODE} is the unit's own figure of that indicator, {y} the year. A text is used only when
# every figure it names is above zero.
RESULTS: dict[str, tuple[str, ...]] = {
    "1.1": ("Tham mưu tổ chức {HN_SO} hội nghị quán triệt Chỉ thị số 07/CT-TTg cho {HN_NGUOI} lượt cán bộ, "
            "công chức.",),
    "1.2": ("Tổ chức {HN_SO} hội nghị, lồng ghép phổ biến Chỉ thị số 07/CT-TTg cho {HN_NGUOI} lượt cán bộ, "
            "công chức.",
            "Lồng ghép phổ biến nội dung truyền thông chính sách trong các buổi sinh hoạt chuyên đề, giao ban."),
    "2.1": ("Rà soát các văn bản quy phạm pháp luật thuộc lĩnh vực quản lý; phổ biến Luật Tiếp cận thông tin.",),
    "2.2": ("Rà soát văn bản quy phạm pháp luật về báo chí, truyền thông; không phát hiện nội dung cần sửa đổi.",),
    "2.3": ("Tham mưu ban hành Kế hoạch thực hiện Quyết định số 407/QĐ-TTg.",),
    "2.4": ("Theo dõi, đôn đốc các cơ quan, đơn vị xây dựng kế hoạch thực hiện Chỉ thị số 07/CT-TTg.",),
    "3.1": ("Theo dõi thông tin trên báo chí hằng ngày; tổ chức {HOP_BAO} cuộc họp báo, cung cấp thông tin cho "
            "báo chí.",),
    "3.2": ("Theo dõi, tổng hợp thông tin trên báo chí, mạng xã hội; định hướng thông tin tại các cuộc giao ban "
            "báo chí định kỳ.",),
    "4.1": ("Công khai thông tin theo Luật Tiếp cận thông tin; đăng {CONG_TTDT} tin, bài trên Trang thông tin "
            "điện tử.",),
    "4.2": ("Cung cấp thông tin cho báo chí tại {HOP_BAO} cuộc họp báo, buổi cung cấp thông tin.",
            "Chủ động cung cấp thông tin cho báo chí qua Trang thông tin điện tử và người phát ngôn."),
    "4.3": ("Cung cấp tin, bài cho Cổng thông tin điện tử tỉnh và các cơ quan báo chí.",),
    "5.1": ("Xây dựng kế hoạch truyền thông chính sách năm {y}; kinh phí thực hiện {KINH_PHI} triệu đồng.",),
    "5.2": ("Hướng dẫn các cơ quan, đơn vị xây dựng kế hoạch truyền thông năm {y}; tham mưu ban hành kế hoạch "
            "truyền thông chung.",),
    "5.3": ("Phối hợp với các cơ quan báo chí đăng, phát {TIN_BAI} tin, bài, phóng sự; đăng {MXH} bài trên mạng "
            "xã hội của đơn vị.",),
    "5.4": ("Nghiên cứu, thử nghiệm phần mềm theo dõi thông tin trên mạng xã hội phục vụ chỉ đạo, điều hành.",),
    "5.5": ("Cung cấp thông tin về chính sách cho người Việt Nam ở nước ngoài và người nước ngoài tại địa "
            "phương.",),
    "6.1": ("Tham mưu bố trí, bồi dưỡng đội ngũ làm công tác truyền thông chính sách.",),
    "6.2": ("Phân công {CB_KIEMNHIEM} công chức phụ trách (kiêm nhiệm) công tác truyền thông chính sách.",),
    "6.3": ("Ban hành hướng dẫn vị trí việc làm của công chức, viên chức làm công tác truyền thông.",),
    "6.5": ("Tổng hợp, tham mưu bố trí kinh phí truyền thông chính sách trong dự toán ngân sách năm {y}.",),
    "6.6": ("Tổ chức {TH_LOP} lớp tập huấn kỹ năng cung cấp thông tin cho báo chí cho {TH_HOCVIEN} lượt học viên.",),
    "7.1": ("Theo dõi thông tin trên báo chí, mạng xã hội; phát hiện {TINGIA_PHATHIEN} tin giả, tin xấu độc.",),
    "7.2": ("Phát hiện {TINGIA_PHATHIEN} tin giả, tin xấu độc; đã xử lý, đề nghị gỡ bỏ {TINGIA_XULY} tin.",),
    "7.3": ("Đẩy mạnh chuyển đổi số; đăng, phát {TIN_BAI} tin, bài về chính sách trên các nền tảng số.",),
}
PLAIN = "Đã triển khai nhiệm vụ theo kế hoạch của đơn vị."
DIFFICULTIES = ["Kinh phí cho công tác truyền thông chính sách còn hạn chế.",
                "Cán bộ làm công tác truyền thông chủ yếu kiêm nhiệm, chưa được đào tạo chuyên sâu.",
                "Chưa có hướng dẫn cụ thể về định mức chi cho hoạt động truyền thông chính sách."]
PROPOSALS = ["Đề nghị bố trí kinh phí riêng cho công tác truyền thông chính sách trong dự toán hằng năm.",
             "Đề nghị cơ quan chuyên môn của tỉnh tổ chức tập huấn kỹ năng truyền thông chính sách hằng năm.",
             "Đề nghị ban hành hướng dẫn định mức chi cho hoạt động truyền thông chính sách."]
STATUS_WEIGHTS = ((Status.DONE, 6), (Status.ONGOING, 3), (Status.NOT_STARTED, 1))
# indicator -> (low, high); a second figure bounded by a first one ("handled" never above "detected")
RANGES = {"VB_CHIDAO": (1, 4), "HN_SO": (0, 3), "TH_LOP": (0, 2), "HOP_BAO": (0, 4), "CB_CHUYENTRACH": (0, 2),
          "CB_KIEMNHIEM": (1, 4), "CONG_TTDT": (10, 150), "MXH": (5, 120), "TINGIA_PHATHIEN": (0, 6)}
PER_EVENT = {"HN_NGUOI": ("HN_SO", 30, 120), "TH_HOCVIEN": ("TH_LOP", 20, 60)}   # people per conference, class
PART_OF = {"TINGIA_XULY": "TINGIA_PHATHIEN"}


def _figures(plan: Plan, agency: Agency, rng: random.Random) -> dict[str, float]:
    press = agency.kind == "bao-chi"
    out: dict[str, float] = {}
    for indicator in plan.indicators:
        code = indicator.code
        if indicator.type is not NumberType.INTEGER:
            out[code] = round(rng.uniform(5, 150), 1)
        elif code in PER_EVENT:
            events, low, high = PER_EVENT[code]
            out[code] = sum(rng.randint(low, high) for _ in range(int(out.get(events, 0))))
        elif code in PART_OF:
            out[code] = rng.randint(0, int(out.get(PART_OF[code], 0)))
        elif code == "TIN_BAI":
            out[code] = rng.randint(25, 300) if press else rng.randint(5, 60)
        else:
            low, high = RANGES.get(code, (0, 10))
            out[code] = rng.randint(low, high)
    return out


def result_text(task: Task, figures: dict[str, float], year: int, rng: random.Random) -> str:
    """A result fitting the task, written from the unit's own figures (only texts whose figures are > 0)."""
    shown = {code: format_number(value) for code, value in figures.items()}
    usable = [t for t in RESULTS.get(task.id, ()) if all(figures.get(code, 0) > 0 for code in _named(t))]
    return rng.choice(usable).format(y=year, **shown) if usable else PLAIN


def _named(text: str) -> list[str]:
    return [part.split("}")[0] for part in text.split("{")[1:] if part.split("}")[0] != "y"]


def synthetic_answers(plan: Plan, agency: Agency, year: int, seed: int = 2024) -> Answers:
    rng = random.Random(f"{seed}:{agency.code}")
    answers = Answers(info={"reporter": rng.choice(["Nguyễn Thị Hoa", "Trần Văn Minh", "Lê Thu Trang",
                                                    "Phạm Quốc Huy", "Hoàng Thị Lan", "Đặng Văn Sơn"]),
                            "position": rng.choice(["Chuyên viên", "Phó Chánh Văn phòng", "Trưởng phòng"]),
                            "phone": f"0208 3{rng.randint(100000, 999999)}", "email": agency.email,
                            "note": SYNTHETIC_NOTE})
    figures = _figures(plan, agency, rng)
    statuses = [status for status, _ in STATUS_WEIGHTS]
    weights = [weight for _, weight in STATUS_WEIGHTS]
    for assignment in plan.assignments(agency.code):
        task = assignment.task
        lead = assignment.role == Role.LEAD
        status = rng.choices(statuses, weights)[0] if lead else rng.choice(["", Status.DONE])
        if task.deadline.due is not None and task.deadline.due.year < year and lead:
            status = Status.DONE if rng.random() < 0.8 else Status.ONGOING
        result = result_text(task, figures, year, rng) if status in (Status.DONE, Status.ONGOING) else ""
        answers.tasks[task.id] = {
            "status": status or None, "result": result or None,
            "difficulty": rng.choice(DIFFICULTIES) if lead and rng.random() < 0.12 else None,
            "proposal": rng.choice(PROPOSALS) if lead and rng.random() < 0.1 else None,
        }
    answers.figures.update({code: int(v) if float(v).is_integer() else v for code, v in figures.items()})
    answers.notes["VB_CHIDAO"] = (f"Kế hoạch số {rng.randint(10, 250)}/KH-{agency.code} ngày "
                                  f"{rng.randint(10, 28)}/{rng.randint(1, 3):02d}/{year} về truyền thông chính sách")
    return answers
