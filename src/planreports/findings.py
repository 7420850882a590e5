"""Validation findings as data (frictionless style): every check appends, nothing raises.

Each finding has a stable English code, a severity and a Vietnamese message that names where the problem is
and how to fix it. The message texts live here, in one catalogue, so wording stays consistent.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    debug: str = ""         # technical detail for the office (a traceback), shown with --debug only

    def location(self) -> str:
        parts = [p for p in (self.file, f"sheet “{self.sheet}”" if self.sheet else "",
                             f"ô {self.cell}" if self.cell else "") if p]
        return ", ".join(parts) or "(chung)"

    def to_dict(self) -> dict[str, Any]:
        out = {"code": self.code, "severity": str(self.severity), "message": self.message, "file": self.file,
               "sheet": self.sheet, "cell": self.cell}
        if self.debug:
            out["debug"] = self.debug
        return out


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
    # --- a received file as a whole ---
    "file-empty": (Severity.ERROR, "Tệp rỗng (0 byte). Đề nghị đơn vị gửi lại tệp biểu mẫu đã điền."),
    "file-not-spreadsheet": (Severity.ERROR, "Tệp không phải bảng tính Excel/LibreOffice (.xlsx, .xls, .ods), "
                             "dù có đuôi “{ext}”. Đề nghị đơn vị gửi lại đúng tệp biểu mẫu."),
    "file-is-document": (Severity.ERROR, "Tệp là văn bản Word, không phải biểu mẫu Excel. Đề nghị đơn vị gửi "
                         "lại tệp biểu mẫu Excel đã điền (có thể gửi kèm công văn riêng)."),
    "file-encrypted": (Severity.ERROR, "Tệp có mật khẩu (đã mã hoá) nên không đọc được. Đề nghị đơn vị bỏ mật "
                       "khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại."),
    "file-corrupt": (Severity.ERROR, "Tệp bị hỏng hoặc không đầy đủ, không đọc được ({detail}). Đề nghị đơn vị "
                     "mở lại tệp bằng Excel, lưu và gửi lại."),
    "file-too-large": (Severity.ERROR, "Tệp quá lớn ({detail}), vượt giới hạn cho phép. Biểu mẫu đã điền chỉ "
                       "vài chục KB; đề nghị đơn vị gửi lại đúng biểu mẫu."),
    "file-too-many-sheets": (Severity.ERROR, "Tệp có quá nhiều sheet ({detail}). Đề nghị gửi lại đúng biểu "
                             "mẫu, không thêm sheet."),
    "file-unsafe-xml": (Severity.ERROR, "Tệp chứa khai báo XML không được phép ({detail}: DOCTYPE/ENTITY), dấu "
                        "hiệu tệp bị chỉnh sửa để tấn công. Tệp không được đọc; liên hệ đơn vị gửi lại tệp tạo bằng "
                        "Excel hoặc LibreOffice."),
    "file-timeout": (Severity.ERROR, "Đọc và kiểm tra tệp vượt quá {detail}, đã dừng. Tệp đã được lưu lại; đề nghị "
                     "đơn vị mở tệp bằng Excel, lưu lại và gửi lại."),
    "file-macros": (Severity.WARNING, "Tệp có macro (VBA). Phần mềm chỉ đọc dữ liệu, không bao giờ chạy "
                    "macro; lần sau đề nghị lưu dạng .xlsx."),
    "file-unreadable-sheet": (Severity.ERROR, "Không đọc được sheet này ({detail})."),
    "sheet-missing": (Severity.ERROR, "Thiếu sheet “{name}” của biểu mẫu (các sheet trong tệp: {found}). Không xoá "
                      "hoặc đổi tên sheet; đề nghị điền lại vào biểu mẫu gốc đã được gửi và gửi lại."),
    "sheet-renamed": (Severity.WARNING, "Sheet “{expected}” của biểu mẫu đã bị đổi tên thành “{name}”; phần mềm vẫn "
                      "đọc được nội dung. Lần sau đề nghị giữ nguyên tên sheet."),
    "form-not-template": (Severity.ERROR, "Tệp không phải biểu mẫu báo cáo được gửi kèm: không có chữ ký nhận "
                          "dạng của biểu mẫu, và không sheet nào có cấu trúc của các sheet {missing} (các sheet "
                          "trong tệp: {found}). Tệp không bị hỏng: có thể đơn vị đã gửi bảng tính tự lập hoặc biểu "
                          "mẫu khác. Đề nghị đơn vị điền vào biểu mẫu{period} đã được gửi (tệp Excel mang mã của "
                          "đơn vị, có các sheet “Hướng dẫn”, “Thông tin”, “Nhiệm vụ”, “Số liệu”) và gửi lại."),
    "internal-error": (Severity.ERROR, "Lỗi của phần mềm khi kiểm tra tệp này ({detail}), không phải lỗi của đơn vị "
                       "gửi. Tệp đã được lưu nguyên vẹn; không gửi phản hồi cho đơn vị. Báo bộ phận kỹ thuật (chạy "
                       "lại với --debug để xem chi tiết); sau khi cập nhật phần mềm, chạy lại lệnh collect để tệp "
                       "được kiểm tra lại."),
    "sheet-too-large": (Severity.ERROR, "Sheet có hơn {limit} dòng, vượt giới hạn. Xoá các dòng thừa phía dưới "
                        "bảng rồi gửi lại."),
    "header-missing": (Severity.ERROR, "Thiếu cột “{column}” ở dòng tiêu đề (dòng 1). Không sửa, xoá tiêu đề "
                       "cột; dùng lại biểu mẫu gốc."),
    # --- identity ---
    "signature-missing": (Severity.WARNING, "Tệp không có chữ ký nhận dạng của biểu mẫu (có thể đơn vị tự tạo "
                          "tệp hoặc chép sang tệp khác). Đã xác định đơn vị là {agency} ({name}) theo sheet "
                          "“Thông tin”; lần sau đề nghị điền trực tiếp vào biểu mẫu được gửi."),
    "signature-altered": (Severity.WARNING, "Chữ ký nhận dạng của biểu mẫu đã bị sửa. Đã xác định đơn vị là "
                          "{agency} ({name}) theo sheet “Thông tin”."),
    "template-unknown": (Severity.ERROR, "Phiên bản biểu mẫu “{version}” không được hỗ trợ. Đề nghị đơn vị dùng "
                         "biểu mẫu mới nhất được gửi kèm."),
    "template-outdated": (Severity.WARNING, "Biểu mẫu được tạo trước khi danh mục nhiệm vụ thay đổi; đã kiểm tra "
                          "theo danh mục hiện hành."),
    "agency-unidentified": (Severity.ERROR, "Không xác định được đơn vị gửi báo cáo: tệp không có chữ ký nhận "
                            "dạng và sheet “Thông tin” không ghi mã hoặc tên đơn vị có trong danh mục. Đề nghị "
                            "đơn vị dùng đúng biểu mẫu được gửi."),
    "agency-unknown": (Severity.ERROR, "Mã đơn vị “{agency}” không có trong danh mục đơn vị báo cáo "
                       "(input/don-vi.xlsx)."),
    "agency-mismatch": (Severity.ERROR, "Tệp là biểu mẫu của đơn vị {signed} nhưng sheet “Thông tin” ghi đơn vị "
                        "{written}. Có thể đơn vị đã dùng biểu mẫu của đơn vị khác; đề nghị dùng đúng biểu mẫu "
                        "của đơn vị mình."),
    "period-mismatch": (Severity.ERROR, "Biểu mẫu là của kỳ báo cáo {found}, không phải kỳ {expected} đang thu "
                        "thập. Đề nghị đơn vị dùng biểu mẫu kỳ {expected}."),
    "period-unknown": (Severity.WARNING, "Không xác định được kỳ báo cáo trong tệp; coi là kỳ {period}."),
    "info-missing": (Severity.WARNING, "Chưa ghi “{field}” ở sheet “Thông tin”."),
    "sender-mismatch": (Severity.WARNING, "Thư gửi từ địa chỉ {sender}, khác địa chỉ e-mail của đơn vị {agency} "
                        "trong danh mục ({email}). Đơn vị được xác định theo biểu mẫu; nếu nghi ngờ giả mạo, "
                        "liên hệ lại đơn vị."),
    "submission-late": (Severity.WARNING, "Nộp muộn: nhận ngày {received}, hạn gửi ngày {deadline}."),
    # --- tasks ---
    "task-missing": (Severity.ERROR, "Thiếu dòng của nhiệm vụ {task} (vai trò {role}). Không xoá dòng nhiệm vụ; "
                     "bổ sung lại dòng này hoặc dùng lại biểu mẫu gốc."),
    "task-duplicate": (Severity.ERROR, "Nhiệm vụ {task} xuất hiện nhiều lần (đã có ở dòng {first_row}). Mỗi "
                       "nhiệm vụ chỉ ghi trên một dòng; gộp nội dung và xoá dòng thừa."),
    "task-extra-row": (Severity.WARNING, "Dòng {row} không phải nhiệm vụ của biểu mẫu (mã “{task}”); nội dung "
                       "dòng này không được tổng hợp. Ghi nội dung vào dòng nhiệm vụ tương ứng."),
    "task-not-assigned": (Severity.WARNING, "Nhiệm vụ {task} không giao cho đơn vị; nội dung dòng {row} không "
                          "được tổng hợp."),
    "task-reordered": (Severity.WARNING, "Thứ tự các dòng nhiệm vụ đã bị thay đổi; phần mềm đã đối chiếu theo "
                       "mã nhiệm vụ."),
    "task-text-edited": (Severity.WARNING, "Nội dung khoá của nhiệm vụ {task} ở cột “{column}” đã bị sửa; phần "
                         "mềm dùng nội dung theo Kế hoạch."),
    "status-missing": (Severity.ERROR, "Chưa chọn “Tình trạng” cho nhiệm vụ {task} do đơn vị chủ trì. Chọn một "
                       "trong: Hoàn thành, Đang thực hiện, Chưa thực hiện, Không phát sinh."),
    "status-normalized": (Severity.WARNING, "“Tình trạng” ghi “{value}” được hiểu là “{status}”. Lần sau đề nghị "
                          "chọn trong danh sách."),
    "status-invalid": (Severity.ERROR, "“Tình trạng” ghi “{value}” không hợp lệ. Chọn một trong: Hoàn thành, "
                       "Đang thực hiện, Chưa thực hiện, Không phát sinh."),
    "result-missing": (Severity.WARNING, "Nhiệm vụ {task} ghi “{status}” nhưng chưa ghi “Kết quả thực hiện”. "
                       "Đề nghị bổ sung kết quả cụ thể."),
    # --- cells ---
    "text-legacy-encoding": (Severity.WARNING, "Ô {ref} được chuyển từ mã {encoding} sang Unicode: “{text}”. "
                             "Đề nghị kiểm tra lại; lần sau dùng phông Unicode (Times New Roman)."),
    "cell-too-long": (Severity.ERROR, "Ô có {length} ký tự, vượt giới hạn {limit} ký tự. Rút gọn nội dung."),
    "cell-formula-no-value": (Severity.ERROR, "Ô có công thức nhưng chưa có giá trị đã tính (phần mềm không tự tính "
                              "công thức). Mở tệp bằng Excel để tính lại rồi lưu, hoặc nhập số trực tiếp."),
    "cell-merged": (Severity.WARNING, "Các ô {range} bị gộp; chỉ ô đầu tiên được đọc. Bỏ gộp ô (Merge & Center) "
                    "và ghi nội dung vào đúng từng ô."),
    "row-hidden": (Severity.WARNING, "Dòng {row} bị ẩn nhưng có nội dung; nội dung vẫn được đọc. Bỏ ẩn dòng để "
                   "kiểm tra lại."),
    "column-hidden": (Severity.WARNING, "Cột “{column}” bị ẩn; nội dung vẫn được đọc. Bỏ ẩn cột để kiểm tra lại."),
    "sheet-extra": (Severity.WARNING, "Tệp có thêm sheet “{name}” không thuộc biểu mẫu; nội dung sheet này không "
                    "được đọc."),
    "cell-error-value": (Severity.ERROR, "Ô chứa giá trị lỗi của Excel (như #REF!, #VALUE!). Sửa công thức hoặc "
                         "nhập số trực tiếp."),
    # --- figures ---
    "indicator-missing": (Severity.ERROR, "Thiếu dòng chỉ tiêu {code} ({name}). Không xoá dòng chỉ tiêu; dùng lại "
                          "biểu mẫu gốc."),
    "indicator-duplicate": (Severity.ERROR, "Chỉ tiêu {code} xuất hiện nhiều lần (đã có ở dòng {first_row})."),
    "indicator-extra-row": (Severity.WARNING, "Dòng {row} không phải chỉ tiêu của biểu mẫu (mã “{code}”); không "
                            "được tổng hợp."),
    "value-missing": (Severity.WARNING, "Chưa ghi “Giá trị” của chỉ tiêu {code} ({name}). Không có số liệu thì "
                      "ghi 0."),
    "value-not-a-number": (Severity.ERROR, "“Giá trị” của chỉ tiêu {code} ghi “{value}”, không phải là số. Chỉ "
                           "ghi số, ví dụ 20 hoặc 1.200 hoặc 2,5; ghi chú để ở cột “Ghi chú”."),
    "value-negative": (Severity.ERROR, "“Giá trị” của chỉ tiêu {code} là số âm ({value}). Chỉ tiêu chỉ nhận số "
                       "không âm."),
    "value-not-integer": (Severity.ERROR, "Chỉ tiêu {code} ({unit}) phải là số nguyên, đang ghi {value}. Nếu ý là "
                          "số hàng nghìn, dùng dấu chấm: 1.200."),
    "value-is-date": (Severity.ERROR, "“Giá trị” của chỉ tiêu {code} là ngày tháng, không phải số. Định dạng lại "
                      "ô là Số (Number) và nhập số."),
    "value-dot-decimal": (Severity.WARNING, "“Giá trị” của chỉ tiêu {code} ghi “{value}” được hiểu là {number}. "
                          "Theo cách viết Việt Nam, số thập phân dùng dấu phẩy (2,5)."),
}


def make_issue(issue_code: str, /, *, file: str = "", sheet: str = "", cell: str = "", debug: str = "",
               **values: Any) -> Issue:
    """Build an Issue from the catalogue; unknown codes are a programming error."""
    severity, template = CATALOGUE[issue_code]
    return Issue(issue_code, severity, template.format(**values), file, sheet, cell, debug)


def has_errors(issues: list[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)
