"""Validation findings as data (frictionless style): every check appends, nothing raises.

Each finding has a stable English code, a severity and a Vietnamese message that names where the problem is
and how to fix it. The message texts live here, in one catalogue, so wording stays consistent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""

    def location(self) -> str:
        parts = [p for p in (self.file, f"sheet “{self.sheet}”" if self.sheet else "",
                             f"ô {self.cell}" if self.cell else "") if p]
        return ", ".join(parts) or "(chung)"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


# code -> (severity, Vietnamese message template). Placeholders are filled by `make_issue`.
CATALOGUE: dict[str, tuple[Severity, str]] = {
    # --- the editable lists in input/ ---
    "list-file-missing": (Severity.ERROR, "Không tìm thấy tệp danh mục {path}. Chạy lại “planreports init” "
                          "hoặc chép tệp mẫu vào thư mục input/."),
    "list-file-unreadable": (Severity.ERROR, "Không đọc được tệp danh mục: {reason}. Mở và lưu lại tệp bằng "
                             "Excel dưới dạng .xlsx."),
    "list-sheet-missing": (Severity.ERROR, "Thiếu sheet “{sheet}”. Không đổi tên hoặc xoá sheet này."),
    "list-column-missing": (Severity.ERROR, "Thiếu cột “{column}” ở dòng tiêu đề. Khôi phục tiêu đề cột "
                            "đúng như mẫu."),
    "list-value-required": (Severity.ERROR, "Cột “{column}” không được để trống."),
    "list-duplicate-code": (Severity.ERROR, "Mã “{code}” bị trùng (đã có ở dòng {first_row}). Mỗi mã chỉ "
                            "được dùng một lần."),
    "list-unknown-agency": (Severity.ERROR, "Mã “{code}” không có trong danh mục đơn vị (input/don-vi.xlsx, "
                            "sheet “Đơn vị” hoặc “Nhóm đơn vị”). Sửa mã hoặc bổ sung đơn vị."),
    "list-unknown-kind": (Severity.ERROR, "Loại đơn vị “{code}” không có trong sheet “Loại đơn vị”."),
    "list-unknown-group": (Severity.ERROR, "Nhóm nhiệm vụ “{code}” không có trong sheet “Nhóm nhiệm vụ”."),
    "list-task-no-lead": (Severity.ERROR, "Nhiệm vụ {task} chưa có đơn vị chủ trì (cột “{column}”)."),
    "list-bad-deadline": (Severity.ERROR, "Không hiểu thời hạn “{text}”. Ghi theo một trong các dạng: "
                          "“Thường xuyên”, “Hằng năm”, “Hằng năm và đột xuất”, “Trong năm 2024”, "
                          "“Năm 2023 – 2024”, “Hoàn thành trước tháng 12/2024”."),
    "list-bad-choice": (Severity.ERROR, "Giá trị “{value}” không hợp lệ ở cột “{column}”; chọn một trong: "
                        "{choices}."),
    "list-bad-code": (Severity.ERROR, "Mã “{code}” chỉ được gồm chữ cái không dấu, chữ số, “_”, “-”, “.” "
                      "(tối đa 30 ký tự)."),
    "list-bad-email": (Severity.ERROR, "Địa chỉ e-mail “{value}” không hợp lệ."),
    "list-group-cycle": (Severity.ERROR, "Nhóm đơn vị “{code}” tự chứa chính nó (vòng lặp)."),
    "list-no-tasks": (Severity.ERROR, "Danh mục không có nhiệm vụ nào."),
}


def make_issue(issue_code: str, /, *, file: str = "", sheet: str = "", cell: str = "", **values: Any) -> Issue:
    """Build an Issue from the catalogue; unknown codes are a programming error."""
    severity, template = CATALOGUE[issue_code]
    return Issue(issue_code, severity, template.format(**values), file, sheet, cell)


def has_errors(issues: list[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)
