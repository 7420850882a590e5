"""Every finding the program can report: its stable code, its severity and its Vietnamese message.

One catalogue, so the wording stays consistent: each message names where the problem is and how to fix it.
Placeholders ({sheet}, {task} …) are filled by findings.make_issue.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"            # a fact worth telling (how a mail was read); changes no verdict


class IssueCode(StrEnum):
    """Stable codes of every finding: in --json output, the ledger, feedback mails. Never rename one."""

    LIST_FILE_MISSING = "list-file-missing"
    LIST_FILE_UNREADABLE = "list-file-unreadable"
    LIST_SHEET_MISSING = "list-sheet-missing"
    LIST_COLUMN_MISSING = "list-column-missing"
    LIST_VALUE_REQUIRED = "list-value-required"
    LIST_DUPLICATE_CODE = "list-duplicate-code"
    LIST_UNKNOWN_AGENCY = "list-unknown-agency"
    LIST_UNKNOWN_KIND = "list-unknown-kind"
    LIST_UNKNOWN_GROUP = "list-unknown-group"
    LIST_TASK_NO_LEAD = "list-task-no-lead"
    LIST_BAD_DEADLINE = "list-bad-deadline"
    LIST_BAD_CHOICE = "list-bad-choice"
    LIST_BAD_CODE = "list-bad-code"
    LIST_BAD_EMAIL = "list-bad-email"
    LIST_GROUP_CYCLE = "list-group-cycle"
    LIST_NO_TASKS = "list-no-tasks"
    LIST_BAD_DATE = "list-bad-date"
    LIST_BAD_VALIDITY = "list-bad-validity"
    LIST_VALIDITY_OVERLAP = "list-validity-overlap"
    LIST_UNKNOWN_TASK = "list-unknown-task"
    LIST_UNKNOWN_INDICATOR = "list-unknown-indicator"
    FILE_EMPTY = "file-empty"
    FILE_NOT_SPREADSHEET = "file-not-spreadsheet"
    FILE_IS_DOCUMENT = "file-is-document"
    FILE_IS_PDF = "file-is-pdf"
    FILE_IS_IMAGE = "file-is-image"
    FILE_ENCRYPTED_MAIL = "file-encrypted-mail"
    FILE_ENCRYPTED = "file-encrypted"
    FILE_CORRUPT = "file-corrupt"
    FILE_TOO_LARGE = "file-too-large"
    FILE_TOO_MANY_SHEETS = "file-too-many-sheets"
    FILE_UNSAFE_XML = "file-unsafe-xml"
    FILE_TIMEOUT = "file-timeout"
    FILE_CRASHED = "file-crashed"
    FILE_MACROS = "file-macros"
    FILE_UNREADABLE_SHEET = "file-unreadable-sheet"
    FILE_ARCHIVE_UNREAD = "file-archive-unread"
    MAIL_NO_WORKBOOK = "mail-no-workbook"
    MAIL_FORWARDED = "mail-forwarded"
    MAIL_VERSIONS = "mail-versions"
    MAIL_UNESCAPED_FROM = "mail-unescaped-from"
    SHEET_MISSING = "sheet-missing"
    SHEET_RENAMED = "sheet-renamed"
    FORM_NOT_TEMPLATE = "form-not-template"
    FORM_OTHER_PLAN = "form-other-plan"
    INTERNAL_ERROR = "internal-error"
    FINDINGS_TRUNCATED = "findings-truncated"
    SHEET_TOO_LARGE = "sheet-too-large"
    HEADER_MISSING = "header-missing"
    SIGNATURE_MISSING = "signature-missing"
    SIGNATURE_ALTERED = "signature-altered"
    TEMPLATE_UNKNOWN = "template-unknown"
    TEMPLATE_OUTDATED = "template-outdated"
    AGENCY_UNIDENTIFIED = "agency-unidentified"
    AGENCY_UNKNOWN = "agency-unknown"
    AGENCY_MISMATCH = "agency-mismatch"
    AGENCY_INACTIVE = "agency-inactive"
    PERIOD_MISMATCH = "period-mismatch"
    PERIOD_UNKNOWN = "period-unknown"
    PERIOD_INVALID = "period-invalid"
    INFO_MISSING = "info-missing"
    SENDER_MISMATCH = "sender-mismatch"
    SUBMISSION_LATE = "submission-late"
    TASK_MISSING = "task-missing"
    TASK_DUPLICATE = "task-duplicate"
    TASK_EXTRA_ROW = "task-extra-row"
    TASK_NOT_ASSIGNED = "task-not-assigned"
    TASK_REORDERED = "task-reordered"
    TASK_TEXT_EDITED = "task-text-edited"
    STATUS_MISSING = "status-missing"
    STATUS_NORMALIZED = "status-normalized"
    STATUS_INVALID = "status-invalid"
    RESULT_MISSING = "result-missing"
    TEXT_EXCEEDS_FIGURE = "text-exceeds-figure"
    TEXT_LEGACY_ENCODING = "text-legacy-encoding"
    CELL_TOO_LONG = "cell-too-long"
    CELL_FORMULA_NO_VALUE = "cell-formula-no-value"
    CELL_MERGED = "cell-merged"
    ROW_HIDDEN = "row-hidden"
    COLUMN_HIDDEN = "column-hidden"
    SHEET_EXTRA = "sheet-extra"
    CELL_ERROR_VALUE = "cell-error-value"
    INDICATOR_MISSING = "indicator-missing"
    INDICATOR_DUPLICATE = "indicator-duplicate"
    INDICATOR_EXTRA_ROW = "indicator-extra-row"
    VALUE_MISSING = "value-missing"
    VALUE_NOT_A_NUMBER = "value-not-a-number"
    VALUE_NEGATIVE = "value-negative"
    VALUE_NOT_INTEGER = "value-not-integer"
    VALUE_IS_DATE = "value-is-date"
    VALUE_DOT_DECIMAL = "value-dot-decimal"


# code -> (severity, Vietnamese message template). Placeholders are filled by `make_issue`.
CATALOGUE: dict[IssueCode, tuple[Severity, str]] = {
    # --- the editable lists in input/ ---
    IssueCode.LIST_FILE_MISSING: (
        Severity.ERROR, "Không tìm thấy tệp danh mục {path}. Chạy lại “planreports init” hoặc chép tệp mẫu vào thư mục "
        "input/."),
    IssueCode.LIST_FILE_UNREADABLE: (
        Severity.ERROR, "Không đọc được tệp danh mục: {reason}. Mở và lưu lại tệp bằng Excel dưới dạng .xlsx."),
    IssueCode.LIST_SHEET_MISSING: (Severity.ERROR, "Thiếu sheet “{sheet}”. Không đổi tên hoặc xoá sheet này."),
    IssueCode.LIST_COLUMN_MISSING: (
        Severity.ERROR, "Thiếu cột “{column}” ở dòng tiêu đề. Khôi phục tiêu đề cột đúng như mẫu."),
    IssueCode.LIST_VALUE_REQUIRED: (Severity.ERROR, "Cột “{column}” không được để trống."),
    IssueCode.LIST_DUPLICATE_CODE: (
        Severity.ERROR, "Mã “{code}” bị trùng (đã có ở dòng {first_row}). Mỗi mã chỉ được dùng một lần."),
    IssueCode.LIST_UNKNOWN_AGENCY: (
        Severity.ERROR,
        "Mã “{code}” không có trong danh mục đơn vị (input/don-vi.xlsx, sheet “Đơn vị” hoặc “Nhóm đơn vị”). "
        "Sửa mã hoặc bổ sung đơn vị."),
    IssueCode.LIST_UNKNOWN_KIND: (Severity.ERROR, "Loại đơn vị “{code}” không có trong sheet “Loại đơn vị”."),
    IssueCode.LIST_UNKNOWN_GROUP: (Severity.ERROR, "Nhóm nhiệm vụ “{code}” không có trong sheet “Nhóm nhiệm vụ”."),
    IssueCode.LIST_TASK_NO_LEAD: (Severity.ERROR, "Nhiệm vụ {task} chưa có đơn vị chủ trì (cột “{column}”)."),
    IssueCode.LIST_BAD_DEADLINE: (
        Severity.ERROR,
        "Không hiểu thời hạn “{text}”. Ghi theo một trong các dạng: “Thường xuyên”, “Hằng năm”, “Hằng năm và "
        "đột xuất”, “Trong năm 2024”, “Năm 2023 – 2024”, “Hoàn thành trước tháng 12/2024”."),
    IssueCode.LIST_BAD_CHOICE: (
        Severity.ERROR, "Giá trị “{value}” không hợp lệ ở cột “{column}”; chọn một trong: {choices}."),
    IssueCode.LIST_BAD_CODE: (
        Severity.ERROR, "Mã “{code}” chỉ được gồm chữ cái không dấu, chữ số, “_”, “-”, “.” (tối đa 30 ký tự)."),
    IssueCode.LIST_BAD_EMAIL: (Severity.ERROR, "Địa chỉ e-mail “{value}” không hợp lệ."),
    IssueCode.LIST_GROUP_CYCLE: (Severity.ERROR, "Nhóm đơn vị “{code}” tự chứa chính nó (vòng lặp)."),
    IssueCode.LIST_NO_TASKS: (Severity.ERROR, "Danh mục không có nhiệm vụ nào."),
    IssueCode.LIST_BAD_DATE: (
        Severity.ERROR,
        "Ngày “{value}” ở cột “{column}” không hợp lệ. Ghi ngày dạng 01/07/2025 (ngày/tháng/năm) hoặc định dạng ô "
        "là Ngày (Date)."),
    IssueCode.LIST_BAD_VALIDITY: (
        Severity.ERROR, "“Hiệu lực đến” ({end}) trước “Hiệu lực từ” ({start}). Sửa lại một trong hai ngày."),
    IssueCode.LIST_VALIDITY_OVERLAP: (
        Severity.ERROR,
        "Mã “{code}” đã có ở dòng {first_row} với thời gian hiệu lực trùng lặp. Một mã chỉ được có nhiều dòng "
        "khi các dòng có hiệu lực ở những khoảng thời gian khác nhau (ghi “Hiệu lực đến” của dòng cũ trước "
        "“Hiệu lực từ” của dòng mới)."),
    IssueCode.LIST_UNKNOWN_TASK: (
        Severity.ERROR, "Mã nhiệm vụ “{code}” không có trong sheet “Nhiệm vụ”. Sửa mã cho đúng."),
    IssueCode.LIST_UNKNOWN_INDICATOR: (
        Severity.ERROR, "Mã chỉ tiêu “{code}” không có trong sheet “Chỉ tiêu”. Sửa mã cho đúng hoặc để trống."),
    # --- a received file as a whole ---
    IssueCode.FILE_EMPTY: (Severity.ERROR, "Tệp rỗng (0 byte). Đề nghị đơn vị gửi lại tệp biểu mẫu đã điền."),
    IssueCode.FILE_NOT_SPREADSHEET: (
        Severity.ERROR,
        "Tệp không phải bảng tính Excel/LibreOffice (.xlsx, .xls, .ods), dù có đuôi “{ext}”. Đề nghị đơn vị "
        "gửi lại đúng tệp biểu mẫu."),
    IssueCode.FILE_IS_DOCUMENT: (
        Severity.ERROR,
        "Tệp là văn bản Word, không phải biểu mẫu Excel. Đề nghị đơn vị gửi lại tệp biểu mẫu Excel đã điền "
        "(có thể gửi kèm công văn riêng)."),
    IssueCode.FILE_IS_PDF: (
        Severity.ERROR,
        "Tệp là văn bản PDF, không phải biểu mẫu Excel. Đề nghị đơn vị gửi lại tệp biểu mẫu Excel đã điền "
        "(văn bản PDF, nếu có, gửi kèm riêng)."),
    IssueCode.FILE_IS_IMAGE: (
        Severity.ERROR,
        "Tệp là ảnh chụp hoặc bản quét, không phải biểu mẫu Excel: phần mềm không đọc được số liệu trong ảnh. Đề "
        "nghị đơn vị gửi lại tệp biểu mẫu Excel đã điền (bản quét văn bản có chữ ký, nếu cần, gửi kèm)."),
    IssueCode.FILE_ENCRYPTED_MAIL: (
        Severity.ERROR,
        "Thư được mã hoá (S/MIME) bằng chứng thư số của người nhận: phần mềm không giải mã được thư, nên biểu mẫu "
        "bên trong (nếu có) chưa được nhận. Văn thư mở thư trên máy có chứng thư số (thiết bị ký số/USB token) của "
        "người nhận rồi lưu tệp biểu mẫu vào thư mục nhận; hoặc đề nghị đơn vị gửi lại thư không mã hoá (thư chỉ ký "
        "số, không mã hoá, vẫn đọc được)."),
    IssueCode.FILE_ENCRYPTED: (
        Severity.ERROR,
        "Tệp có mật khẩu (đã mã hoá) nên không đọc được. Đề nghị đơn vị bỏ mật khẩu (Tệp > Thông tin > Bảo vệ "
        "sổ làm việc) rồi gửi lại."),
    IssueCode.FILE_CORRUPT: (
        Severity.ERROR,
        "Tệp bị hỏng hoặc không đầy đủ, không đọc được ({detail}). Đề nghị đơn vị mở lại tệp bằng Excel, lưu "
        "và gửi lại."),
    IssueCode.FILE_TOO_LARGE: (
        Severity.ERROR,
        "Tệp quá lớn ({detail}), vượt giới hạn cho phép. Biểu mẫu đã điền chỉ vài chục KB; đề nghị đơn vị gửi "
        "lại đúng biểu mẫu."),
    IssueCode.FILE_TOO_MANY_SHEETS: (
        Severity.ERROR, "Tệp có quá nhiều sheet ({detail}). Đề nghị gửi lại đúng biểu mẫu, không thêm sheet."),
    IssueCode.FILE_UNSAFE_XML: (
        Severity.ERROR,
        "Tệp chứa khai báo XML không được phép ({detail}: DOCTYPE/ENTITY), dấu hiệu tệp bị chỉnh sửa để tấn "
        "công. Tệp không được đọc; liên hệ đơn vị gửi lại tệp tạo bằng Excel hoặc LibreOffice."),
    IssueCode.FILE_TIMEOUT: (
        Severity.ERROR,
        "Đọc và kiểm tra tệp vượt quá {detail}, đã dừng. Tệp đã được lưu lại; đề nghị đơn vị mở tệp bằng "
        "Excel, lưu lại và gửi lại."),
    IssueCode.FILE_CRASHED: (
        Severity.ERROR,
        "Chương trình đọc tệp bị dừng đột ngột khi kiểm tra tệp này ({detail}), thường do tệp bị hỏng hoặc có "
        "cấu trúc bất thường. Tệp đã được lưu lại; đề nghị đơn vị mở tệp bằng Excel, lưu lại và gửi lại."),
    IssueCode.FILE_MACROS: (
        Severity.WARNING,
        "Tệp có macro (VBA). Phần mềm chỉ đọc dữ liệu, không bao giờ chạy macro; lần sau đề nghị lưu dạng "
        ".xlsx."),
    IssueCode.FILE_UNREADABLE_SHEET: (Severity.ERROR, "Không đọc được sheet này ({detail})."),
    IssueCode.FILE_ARCHIVE_UNREAD: (
        Severity.ERROR, "Tệp nén dạng {detail} không được phần mềm đọc, nên biểu mẫu bên trong (nếu có) chưa được "
        "nhận. Đề nghị đơn vị gửi trực tiếp tệp biểu mẫu .xlsx đã điền, hoặc nén dạng .zip."),
    # --- a received mail as a whole ---
    IssueCode.MAIL_NO_WORKBOOK: (Severity.NOTE, "Thư không có tệp bảng tính nào đọc được{unread}."),
    IssueCode.MAIL_FORWARDED: (
        Severity.NOTE, "Tệp nằm trong thư gốc của {sender} ({sent}), được {forwarder} chuyển tiếp hoặc đính kèm lại "
        "({forwarded}); ngày nhận tính theo thư gốc."),
    IssueCode.MAIL_VERSIONS: (
        Severity.NOTE, "Thư có {count} bản báo cáo của đơn vị {agency}: dùng bản “{taken}” ({why}); không dùng "
        "{others}."),
    IssueCode.MAIL_UNESCAPED_FROM: (
        Severity.WARNING, "Tệp hộp thư {mailbox}: nội dung thư thứ {number} có dòng bắt đầu bằng “From ” làm tệp bị "
        "cắt sai thành thư mới; phần mềm đã nối lại phần bị cắt vào thư đó. Kiểm tra lại thư này trong chương "
        "trình thư."),
    IssueCode.SHEET_MISSING: (
        Severity.ERROR,
        "Thiếu sheet “{name}” của biểu mẫu (các sheet trong tệp: {found}). Không xoá hoặc đổi tên sheet; đề "
        "nghị điền lại vào biểu mẫu gốc đã được gửi và gửi lại."),
    IssueCode.SHEET_RENAMED: (
        Severity.WARNING,
        "Sheet “{expected}” của biểu mẫu đã bị đổi tên thành “{name}”; phần mềm vẫn đọc được nội dung. Lần "
        "sau đề nghị giữ nguyên tên sheet."),
    IssueCode.FORM_NOT_TEMPLATE: (
        Severity.ERROR,
        "Tệp không phải biểu mẫu báo cáo được gửi kèm: không có chữ ký nhận dạng của biểu mẫu, và không sheet "
        "nào có cấu trúc của các sheet {missing} (các sheet trong tệp: {found}). Tệp không bị hỏng: có thể "
        "đơn vị đã gửi bảng tính tự lập hoặc biểu mẫu khác. Đề nghị đơn vị điền vào biểu mẫu{period} đã được "
        "gửi (tệp Excel mang mã của đơn vị, có các sheet “Hướng dẫn”, “Thông tin”, “Nhiệm vụ”, “Số liệu”) và "
        "gửi lại."),
    IssueCode.INTERNAL_ERROR: (
        Severity.ERROR,
        "Lỗi của phần mềm khi kiểm tra tệp này ({detail}), không phải lỗi của đơn vị gửi. Tệp đã được lưu "
        "nguyên vẹn; không gửi phản hồi cho đơn vị. Báo bộ phận kỹ thuật (chạy lại với --debug để xem chi "
        "tiết); sau khi cập nhật phần mềm, chạy lại lệnh collect để tệp được kiểm tra lại."),
    IssueCode.FINDINGS_TRUNCATED: (
        Severity.WARNING,
        "Còn {count} phát hiện cùng loại “{code}” không liệt kê; sửa các lỗi trên rồi kiểm tra lại toàn bộ tệp."),
    IssueCode.SHEET_TOO_LARGE: (
        Severity.ERROR, "Sheet có hơn {limit} dòng, vượt giới hạn. Xoá các dòng thừa phía dưới bảng rồi gửi lại."),
    IssueCode.HEADER_MISSING: (
        Severity.ERROR,
        "Thiếu cột “{column}” ở dòng tiêu đề (dòng 1). Không sửa, xoá tiêu đề cột; dùng lại biểu mẫu gốc."),
    # --- identity ---
    IssueCode.SIGNATURE_MISSING: (
        Severity.WARNING,
        "Tệp không có chữ ký nhận dạng của biểu mẫu (có thể đơn vị tự tạo tệp hoặc chép sang tệp khác). Đã "
        "xác định đơn vị là {agency} ({name}) theo sheet “Thông tin”; lần sau đề nghị điền trực tiếp vào biểu "
        "mẫu được gửi."),
    IssueCode.SIGNATURE_ALTERED: (
        Severity.WARNING,
        "Chữ ký nhận dạng của biểu mẫu đã bị sửa. Đã xác định đơn vị là {agency} ({name}) theo sheet “Thông "
        "tin”."),
    IssueCode.TEMPLATE_UNKNOWN: (
        Severity.ERROR,
        "Phiên bản biểu mẫu “{version}” không được hỗ trợ. Đề nghị đơn vị dùng biểu mẫu mới nhất được gửi "
        "kèm."),
    IssueCode.TEMPLATE_OUTDATED: (
        Severity.WARNING,
        "Biểu mẫu cũ: lập trước khi danh mục nhiệm vụ, chỉ tiêu hoặc cấu hình thay đổi. Phần mềm đã kiểm tra theo "
        "danh mục hiện hành (các dòng khác với biểu mẫu mới không bị tính là lỗi); đề nghị đơn vị dùng biểu mẫu "
        "mới được gửi cho lần báo cáo sau."),
    IssueCode.FORM_OTHER_PLAN: (
        Severity.ERROR,
        "Tệp là biểu mẫu của kế hoạch khác (“{plan}”), không phải của {current}. Đề nghị đơn vị điền vào biểu mẫu "
        "của kế hoạch này đã được gửi và gửi lại."),
    IssueCode.AGENCY_UNIDENTIFIED: (
        Severity.ERROR,
        "Không xác định được đơn vị gửi báo cáo: tệp không có chữ ký nhận dạng và sheet “Thông tin” không ghi "
        "mã hoặc tên đơn vị có trong danh mục. Đề nghị đơn vị dùng đúng biểu mẫu được gửi."),
    IssueCode.AGENCY_UNKNOWN: (
        Severity.ERROR, "Mã đơn vị “{agency}” không có trong danh mục đơn vị báo cáo (input/don-vi.xlsx)."),
    IssueCode.AGENCY_MISMATCH: (
        Severity.ERROR,
        "Tệp là biểu mẫu của đơn vị {signed} nhưng sheet “Thông tin” ghi đơn vị {written}. Có thể đơn vị đã "
        "dùng biểu mẫu của đơn vị khác; đề nghị dùng đúng biểu mẫu của đơn vị mình."),
    IssueCode.AGENCY_INACTIVE: (
        Severity.ERROR,
        "Đơn vị {agency} ({name}) không còn tồn tại trong kỳ báo cáo {period} (hiệu lực đến ngày {until}), nên "
        "không báo cáo kỳ này. {successors}"),
    IssueCode.PERIOD_INVALID: (
        Severity.ERROR,
        "Kỳ báo cáo ghi “{found}” không hợp lệ (đúng là năm, ví dụ 2024, hoặc nửa năm, ví dụ 2024-H1). Đề nghị "
        "đơn vị dùng đúng biểu mẫu được gửi."),
    IssueCode.PERIOD_MISMATCH: (
        Severity.ERROR,
        "Biểu mẫu là của kỳ báo cáo {found}, không phải kỳ {expected} đang thu thập. Đề nghị đơn vị dùng biểu "
        "mẫu kỳ {expected}."),
    IssueCode.PERIOD_UNKNOWN: (Severity.WARNING, "Không xác định được kỳ báo cáo trong tệp; coi là kỳ {period}."),
    IssueCode.INFO_MISSING: (Severity.WARNING, "Chưa ghi “{field}” ở sheet “Thông tin”."),
    IssueCode.SENDER_MISMATCH: (
        Severity.WARNING,
        "Thư gửi từ địa chỉ {sender}, khác địa chỉ e-mail của đơn vị {agency} trong danh mục ({email}). Đơn "
        "vị được xác định theo biểu mẫu; nếu nghi ngờ giả mạo, liên hệ lại đơn vị."),
    IssueCode.SUBMISSION_LATE: (Severity.WARNING, "Nộp muộn: nhận ngày {received}, hạn gửi ngày {deadline}."),
    # --- tasks ---
    IssueCode.TASK_MISSING: (
        Severity.ERROR,
        "Thiếu dòng của nhiệm vụ {task} (vai trò {role}). Không xoá dòng nhiệm vụ; bổ sung lại dòng này hoặc "
        "dùng lại biểu mẫu gốc."),
    IssueCode.TASK_DUPLICATE: (
        Severity.ERROR,
        "Nhiệm vụ {task} xuất hiện nhiều lần (đã có ở dòng {first_row}). Mỗi nhiệm vụ chỉ ghi trên một dòng; "
        "gộp nội dung và xoá dòng thừa."),
    IssueCode.TASK_EXTRA_ROW: (
        Severity.WARNING,
        "Dòng {row} không phải nhiệm vụ của biểu mẫu (mã “{task}”); nội dung dòng này không được tổng hợp. "
        "Ghi nội dung vào dòng nhiệm vụ tương ứng."),
    IssueCode.TASK_NOT_ASSIGNED: (
        Severity.WARNING, "Nhiệm vụ {task} không giao cho đơn vị; nội dung dòng {row} không được tổng hợp."),
    IssueCode.TASK_REORDERED: (
        Severity.WARNING, "Thứ tự các dòng nhiệm vụ đã bị thay đổi; phần mềm đã đối chiếu theo mã nhiệm vụ."),
    IssueCode.TASK_TEXT_EDITED: (
        Severity.WARNING,
        "Nội dung khoá của nhiệm vụ {task} ở cột “{column}” đã bị sửa; phần mềm dùng nội dung theo Kế hoạch."),
    IssueCode.STATUS_MISSING: (
        Severity.ERROR,
        "Chưa chọn “Tình trạng” cho nhiệm vụ {task} do đơn vị chủ trì. Chọn một trong: Hoàn thành, Đang thực "
        "hiện, Chưa thực hiện, Không phát sinh."),
    IssueCode.STATUS_NORMALIZED: (
        Severity.WARNING, "“Tình trạng” ghi “{value}” được hiểu là “{status}”. Lần sau đề nghị chọn trong danh sách."),
    IssueCode.STATUS_INVALID: (
        Severity.ERROR,
        "“Tình trạng” ghi “{value}” không hợp lệ. Chọn một trong: Hoàn thành, Đang thực hiện, Chưa thực hiện, "
        "Không phát sinh."),
    IssueCode.RESULT_MISSING: (
        Severity.WARNING,
        "Nhiệm vụ {task} ghi “{status}” nhưng chưa ghi “Kết quả thực hiện”. Đề nghị bổ sung kết quả cụ thể."),
    IssueCode.TEXT_EXCEEDS_FIGURE: (
        Severity.WARNING,
        "Kết quả nhiệm vụ {task} ghi “{quoted}”, nhiều hơn số liệu cả kỳ của đơn vị ở sheet “{figure_sheet}”, ô "
        "{figure_cell}: “{name}” là {value}. Đề nghị kiểm tra lại số liệu hoặc nội dung (số liệu là tổng cả kỳ, "
        "gồm mọi hoạt động nêu ở các nhiệm vụ)."),
    # --- cells ---
    IssueCode.TEXT_LEGACY_ENCODING: (
        Severity.WARNING,
        "Ô {ref} được chuyển từ mã {encoding} sang Unicode: “{text}”. Đề nghị kiểm tra lại; lần sau dùng "
        "phông Unicode (Times New Roman)."),
    IssueCode.CELL_TOO_LONG: (Severity.ERROR, "Ô có {length} ký tự, vượt giới hạn {limit} ký tự. Rút gọn nội dung."),
    IssueCode.CELL_FORMULA_NO_VALUE: (
        Severity.ERROR,
        "Ô có công thức nhưng chưa có giá trị đã tính (phần mềm không tự tính công thức). Mở tệp bằng Excel "
        "để tính lại rồi lưu, hoặc nhập số trực tiếp."),
    IssueCode.CELL_MERGED: (
        Severity.WARNING,
        "Các ô {range} bị gộp; chỉ ô đầu tiên được đọc. Bỏ gộp ô (Merge & Center) và ghi nội dung vào đúng "
        "từng ô."),
    IssueCode.ROW_HIDDEN: (
        Severity.WARNING, "Dòng {row} bị ẩn nhưng có nội dung; nội dung vẫn được đọc. Bỏ ẩn dòng để kiểm tra lại."),
    IssueCode.COLUMN_HIDDEN: (
        Severity.WARNING, "Cột “{column}” bị ẩn; nội dung vẫn được đọc. Bỏ ẩn cột để kiểm tra lại."),
    IssueCode.SHEET_EXTRA: (
        Severity.WARNING, "Tệp có thêm sheet “{name}” không thuộc biểu mẫu; nội dung sheet này không được đọc."),
    IssueCode.CELL_ERROR_VALUE: (
        Severity.ERROR, "Ô chứa giá trị lỗi của Excel (như #REF!, #VALUE!). Sửa công thức hoặc nhập số trực tiếp."),
    # --- figures ---
    IssueCode.INDICATOR_MISSING: (
        Severity.ERROR, "Thiếu dòng chỉ tiêu {code} ({name}). Không xoá dòng chỉ tiêu; dùng lại biểu mẫu gốc."),
    IssueCode.INDICATOR_DUPLICATE: (Severity.ERROR, "Chỉ tiêu {code} xuất hiện nhiều lần (đã có ở dòng {first_row})."),
    IssueCode.INDICATOR_EXTRA_ROW: (
        Severity.WARNING, "Dòng {row} không phải chỉ tiêu của biểu mẫu (mã “{code}”); không được tổng hợp."),
    IssueCode.VALUE_MISSING: (
        Severity.WARNING, "Chưa ghi “Giá trị” của chỉ tiêu {code} ({name}). Không có số liệu thì ghi 0."),
    IssueCode.VALUE_NOT_A_NUMBER: (
        Severity.ERROR,
        "“Giá trị” của chỉ tiêu {code} ghi “{value}”, không phải là số. Chỉ ghi số, ví dụ 20 hoặc 1.200 hoặc "
        "2,5; ghi chú để ở cột “Ghi chú”."),
    IssueCode.VALUE_NEGATIVE: (
        Severity.ERROR, "“Giá trị” của chỉ tiêu {code} là số âm ({value}). Chỉ tiêu chỉ nhận số không âm."),
    IssueCode.VALUE_NOT_INTEGER: (
        Severity.ERROR,
        "Chỉ tiêu {code} ({unit}) phải là số nguyên, đang ghi {value}. Nếu ý là số hàng nghìn, dùng dấu chấm: "
        "1.200."),
    IssueCode.VALUE_IS_DATE: (
        Severity.ERROR,
        "“Giá trị” của chỉ tiêu {code} là ngày tháng, không phải số. Định dạng lại ô là Số (Number) và nhập "
        "số."),
    IssueCode.VALUE_DOT_DECIMAL: (
        Severity.WARNING,
        "“Giá trị” của chỉ tiêu {code} ghi “{value}” được hiểu là {number}. Theo cách viết Việt Nam, số thập "
        "phân dùng dấu phẩy (2,5)."),
}
