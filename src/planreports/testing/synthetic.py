"""Synthetic but realistic answers for the example workspace and the benchmarks (seeded, reproducible).

Every generated form says in its "Thông tin" sheet that it is synthetic example data.
"""

from __future__ import annotations

import random

from planreports.plan.model import Agency, NumberType, Plan, Role, Status
from planreports.testing.filling import Answers

SYNTHETIC_NOTE = "DỮ LIỆU MẪU (giả lập) để minh họa phần mềm, không phải báo cáo thật của đơn vị."

RESULTS = {
    "1": ["Tổ chức {n} hội nghị phổ biến, quán triệt Chỉ thị số 07/CT-TTg cho {m} lượt cán bộ, công chức.",
          "Lồng ghép nội dung về vai trò của truyền thông chính sách trong {n} buổi sinh hoạt chuyên đề, giao ban."],
    "2": ["Rà soát {n} văn bản quy phạm pháp luật thuộc lĩnh vực quản lý; không phát hiện nội dung cần sửa đổi.",
          "Ban hành Kế hoạch thực hiện Chỉ thị số 07/CT-TTg; định kỳ theo dõi, đôn đốc việc triển khai."],
    "3": ["Theo dõi thông tin trên báo chí, mạng xã hội hằng ngày; cung cấp thông tin kịp thời {n} vụ việc "
          "dư luận quan tâm.",
          "Phối hợp định hướng thông tin tại {n} cuộc giao ban báo chí định kỳ."],
    "4": ["Công khai thông tin theo Luật Tiếp cận thông tin; đăng {n} tin, bài trên Trang thông tin điện tử.",
          "Cung cấp thông tin cho báo chí tại {n} buổi họp báo, trả lời {m} câu hỏi của phóng viên.",
          "Kịp thời cung cấp {n} tin, bài cho Cổng thông tin điện tử tỉnh và Báo Thái Nguyên."],
    "5": ["Xây dựng kế hoạch truyền thông chính sách năm {y} với dự toán {k} triệu đồng.",
          "Phối hợp với các cơ quan báo chí đăng, phát {n} tin, bài, phóng sự về chính sách của ngành.",
          "Vận hành Fanpage và nhóm Zalo của đơn vị, đăng {n} bài về chính sách mới."],
    "6": ["Phân công {n} công chức phụ trách (kiêm nhiệm) công tác truyền thông chính sách.",
          "Cử {n} lượt cán bộ tham gia lớp tập huấn kỹ năng cung cấp thông tin cho báo chí."],
    "7": ["Phát hiện và đề nghị gỡ bỏ {n} tin giả, tin sai sự thật liên quan đến lĩnh vực quản lý.",
          "Đẩy mạnh chuyển đổi số; sản xuất {n} sản phẩm báo chí đa phương tiện về chính sách."],
}
DIFFICULTIES = ["Kinh phí cho công tác truyền thông chính sách còn hạn chế.",
                "Cán bộ làm công tác truyền thông chủ yếu kiêm nhiệm, chưa được đào tạo chuyên sâu.",
                "Chưa có hướng dẫn cụ thể về định mức chi cho hoạt động truyền thông chính sách."]
PROPOSALS = ["Đề nghị bố trí kinh phí riêng cho công tác truyền thông chính sách trong dự toán hằng năm.",
             "Đề nghị cơ quan chuyên môn của tỉnh tổ chức tập huấn kỹ năng truyền thông chính sách hằng năm.",
             "Đề nghị ban hành hướng dẫn định mức chi cho hoạt động truyền thông chính sách."]
STATUS_WEIGHTS = ((Status.DONE, 6), (Status.ONGOING, 3), (Status.NOT_STARTED, 1))


def _text(rng: random.Random, group: str, year: int) -> str:
    return rng.choice(RESULTS[group]).format(n=rng.randint(1, 12), m=rng.randint(30, 400), y=year,
                                              k=rng.choice([15, 20, 35, 50, 120]))


def synthetic_answers(plan: Plan, agency: Agency, year: int, seed: int = 2024) -> Answers:
    rng = random.Random(f"{seed}:{agency.code}")
    answers = Answers(info={"reporter": rng.choice(["Nguyễn Thị Hoa", "Trần Văn Minh", "Lê Thu Trang",
                                                    "Phạm Quốc Huy", "Hoàng Thị Lan", "Đặng Văn Sơn"]),
                            "position": rng.choice(["Chuyên viên", "Phó Chánh Văn phòng", "Trưởng phòng"]),
                            "phone": f"0208 3{rng.randint(100000, 999999)}", "email": agency.email,
                            "note": SYNTHETIC_NOTE})
    statuses = [status for status, _ in STATUS_WEIGHTS]
    weights = [weight for _, weight in STATUS_WEIGHTS]
    for assignment in plan.assignments(agency.code):
        task = assignment.task
        lead = assignment.role == Role.LEAD
        status = rng.choices(statuses, weights)[0] if lead else rng.choice(["", Status.DONE])
        if task.deadline.due is not None and task.deadline.due.year < year and lead:
            status = Status.DONE if rng.random() < 0.8 else Status.ONGOING
        result = _text(rng, task.group, year) if status in (Status.DONE, Status.ONGOING) else ""
        answers.tasks[task.id] = {
            "status": status or None, "result": result or None,
            "difficulty": rng.choice(DIFFICULTIES) if lead and rng.random() < 0.12 else None,
            "proposal": rng.choice(PROPOSALS) if lead and rng.random() < 0.1 else None,
        }
    scale = 5 if agency.kind == "bao-chi" else 1
    ranges = {"VB_CHIDAO": (1, 4), "HN_SO": (0, 3), "HN_NGUOI": (0, 300), "TH_LOP": (0, 2),
              "TH_HOCVIEN": (0, 120), "TIN_BAI": (5 * scale, 60 * scale), "CONG_TTDT": (10, 150),
              "MXH": (5, 120), "HOP_BAO": (0, 4), "CB_CHUYENTRACH": (0, 2), "CB_KIEMNHIEM": (1, 4),
              "TINGIA_PHATHIEN": (0, 6), "TINGIA_XULY": (0, 4)}
    for indicator in plan.indicators:
        low, high = ranges.get(indicator.code, (0, 10))
        if indicator.type is NumberType.INTEGER:
            answers.figures[indicator.code] = rng.randint(low, high)
        else:
            answers.figures[indicator.code] = round(rng.uniform(5, 150), 1)
    answers.notes["VB_CHIDAO"] = (f"Kế hoạch số {rng.randint(10, 250)}/KH-{agency.code} ngày "
                                  f"{rng.randint(10, 28)}/{rng.randint(1, 3):02d}/{year} về truyền thông chính sách")
    return answers
