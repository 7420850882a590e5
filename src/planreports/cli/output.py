"""What the commands print: plain-text tables and Vietnamese lines (the terminal, no colours)."""

from __future__ import annotations

import contextlib
import sys
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING

import click

from planreports.findings import VERDICT_LABELS, Issue, Severity, Verdict
from planreports.vn.dates import format_datetime

if TYPE_CHECKING:  # the stages are imported by the commands that run them, not at start-up
    from planreports.consolidation.periods import PeriodOverview
    from planreports.consolidation.status import AgencyStatus, MailWithoutForm, UnidentifiedFile
    from planreports.intake.collect import CollectResult, Outcome
    from planreports.mail.outgoing import OutgoingMail
    from planreports.pipeline import StageResult
    from planreports.plan.periods import Period
    from planreports.workspace import Workspace


def utf8_console() -> None:
    # Windows consoles default to a legacy code page; Vietnamese needs UTF-8.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors="replace")


def progress(done: int) -> None:
    """One line on the terminal, rewritten as files are checked (nothing when the output is a file)."""
    if sys.stderr.isatty():
        click.echo(f"\rĐã kiểm tra {done} tệp…", nl=False, err=True)


def end_progress() -> None:
    if sys.stderr.isatty():
        click.echo("", err=True)


def notes(warnings: Sequence[str]) -> None:
    """What the office should know or complete, on stderr: the command's result stays clean on stdout."""
    for warning in warnings:
        click.echo(f"Lưu ý: {warning}", err=True)


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    if _width(text) <= width:
        return text + " " * (width - _width(text))
    return text[: width - 1] + "…"


def fit_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], limit: int,
               shrinkable: Mapping[int, int]) -> list[int]:
    """Column widths within `limit` characters a line: the `shrinkable` columns (index -> narrowest it may
    get), in their order, give up what is needed; the others keep their width."""
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    for index, least in shrinkable.items():
        excess = sum(widths) + 2 * (len(widths) - 1) - limit
        if excess <= 0:
            break
        widths[index] = max(least, widths[index] - excess)
    return widths


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 40,
          widths: Sequence[int] | None = None) -> str:
    if widths is None:
        widths = [min(max_width, max([_width(h)] + [_width(r[i]) for r in rows])) for i, h in enumerate(headers)]
    lines = ["  ".join(_fit(h, w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_fit(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


MARKS = {Severity.ERROR: "LỖI", Severity.WARNING: "Cảnh báo", Severity.NOTE: "Lưu ý"}


def _findings(title: str, issues: Sequence[Issue], debug: bool) -> None:
    click.echo(f"\n{title}:")
    for issue in issues:
        where = issue.where()
        click.echo(f"  - [{MARKS[issue.severity]}] {where + ': ' if where else ''}{issue.message} ({issue.code})")
        if debug and issue.debug:
            click.echo(issue.debug.rstrip(), err=True)


def outcomes(result: CollectResult, verbose: bool, debug: bool = False) -> None:
    """The new files one row each, with the findings of rejected ones (all findings with `verbose`); the
    duplicates in one line, recalling the findings of those rejected and not made good since."""
    new = result.new
    rows = [[o.file, o.agency or "?", VERDICT_LABELS[o.verdict] + (" — nộp muộn" if o.late else ""),
             str(len(o.issues))] for o in new]
    if rows:
        click.echo(table(["Tệp", "Đơn vị", "Kết quả", "Số phát hiện"], rows))
    for outcome in new:
        if outcome.issues and (verbose or outcome.verdict is Verdict.REJECTED):
            _findings(f"{outcome.file} ({VERDICT_LABELS[outcome.verdict]})", outcome.issues, debug)
    duplicates(result.duplicates, debug)
    for note in result.notes:
        click.echo(f"\nThư “{note.subject or '(không tiêu đề)'}” của {note.sender or '?'} ({note.source}):")
        for issue in note.issues:
            click.echo(f"  - [{MARKS[issue.severity]}] {issue.message} ({issue.code})")


def duplicates(found: Sequence[Outcome], debug: bool = False) -> None:
    """One line for every file received before; the rejected ones still to be made good with their findings."""
    if not found:
        return
    pending = [o for o in found if o.still_rejected]
    named = f": {found[0].file}" if len(found) == 1 else ""
    line = f"{len(found)} tệp đã nhận trước đó (trùng, không có gì thay đổi){named}."
    if pending:
        line += (f" Trong đó {len(pending)} tệp lần nhận trước bị Không đạt và đơn vị chưa gửi lại bản đạt "
                 "(xem dưới đây).")
    click.echo("\n" + line)
    for outcome in pending:
        _findings(f"{outcome.file} (Trùng — lần nhận trước: Không đạt{_agency_note(outcome)})", outcome.issues,
                  debug)


def _agency_note(outcome: Outcome) -> str:
    return f", đơn vị {outcome.agency}" if outcome.agency else ", không xác định được đơn vị"


def totals(result: CollectResult, where: str = "") -> None:
    """The count of each verdict among the new files, or that there was nothing new (naming where)."""
    new = result.new
    if not new:
        place = f" trong {where}" if where else ""
        click.echo(("\n" if result.outcomes or result.notes else "") + f"Không có tệp mới nào để nhận{place}.")
        return
    counts = {verdict: sum(1 for o in new if o.verdict is verdict) for verdict in Verdict}
    click.echo("\nTổng cộng: " + ", ".join(f"{VERDICT_LABELS[v]}: {n}" for v, n in counts.items() if n)
               + (f"; trùng (đã nhận trước đó): {len(result.duplicates)}" if result.duplicates else ""))


LINE = 100     # `status` fits a terminal this wide; the full data is in --json
NAMED = 15    # agencies still owing a report named one by one under the table; beyond that, counted
STATE_WORDS = {"on_time": "Đúng hạn", "late": "Nộp muộn", "rejected": "Không đạt", "missing": "Chưa nộp"}


def _day(value: str | None) -> str:
    return format_datetime(value)[:10]


def _origin(status: AgencyStatus) -> str:
    """Who sent it, shortly: the sender's address for mail, the file's name for a file."""
    if status.sender:
        name, address = parseaddr(status.sender)
        return address or name or status.sender
    return status.file or ""


def _short_address(text: str, width: int) -> str:
    """An address too wide keeps who sent it and drops the domain all share: "x05830@…"."""
    local, at, _ = text.partition("@")
    return f"{local}@…" if at and _width(text) > width and _width(local) + 2 <= width else text


def statuses(rows: list[AgencyStatus]) -> None:
    """One line per agency within LINE columns: long names and senders are cut (…), a column nobody has a
    value in is left out."""
    headers = ["Mã", "Đơn vị", "Tình hình", "Ngày nhận", "Phát hiện", "Nguồn", "Phản hồi", "Đã nhắc"]
    lines = [[s.code, s.name, STATE_WORDS.get(str(s.state), str(s.state)), _day(s.received_at),
              str(len(s.issues)) if s.verdict else "", _origin(s), _day(s.feedback_at), _day(s.reminded_at)]
             for s in rows]
    keep = [i for i in range(len(headers)) if i < 3 or any(line[i] for line in lines)]
    headers, lines = [headers[i] for i in keep], [[line[i] for i in keep] for line in lines]
    # the sender gives way first: the code and the name say who it is
    flexible = {**({headers.index("Nguồn"): 12} if "Nguồn" in headers else {}), headers.index("Đơn vị"): 16}
    widths = fit_widths(headers, lines, LINE, flexible)
    if "Nguồn" in headers:
        at = headers.index("Nguồn")
        for line in lines:
            line[at] = _short_address(line[at], widths[at])
    click.echo(table(headers, lines, widths=widths))
    missing = [s.name for s in rows if not s.submitted]
    done = len(rows) - len(missing)
    names = ", ".join(missing) if len(missing) <= NAMED else f"{len(missing)} đơn vị (xem cột Tình hình)"
    summary = f"Đã nộp {done}/{len(rows)} đơn vị." + (f" Chưa nộp hoặc bị từ chối: {names}." if missing else "")
    click.echo("\n" + textwrap.fill(summary, LINE, break_long_words=False, break_on_hyphens=False))


def unidentified(ws: Workspace, files: Sequence[UnidentifiedFile]) -> None:
    """The files no agency could be identified from, with the sender and why each was rejected."""
    if not files:
        return
    click.echo(f"\nTệp không xác định được đơn vị ({len(files)}), không tính cho đơn vị nào:")
    for item in files:
        who = item.sender or (f"tệp {ws.shown(Path(item.path))}" if item.path else item.source)
        if item.agency:
            who += f" — địa chỉ của {item.agency_name} ({item.agency}) trong input/don-vi.xlsx"
        errors = [i for i in item.issues if i.severity is Severity.ERROR] or list(item.issues)
        reason = "; ".join(f"{i.message} ({i.code})" for i in errors[:2])
        for text, indent in ((f"- {item.file}: nhận {format_datetime(item.received_at)}, từ {who}.", "    "),
                             (f"  Lý do: {reason}" if reason else "", "    ")):
            if text:
                click.echo(textwrap.fill(text, LINE, initial_indent="  ", subsequent_indent=indent,
                                         break_long_words=False, break_on_hyphens=False))


def mails_without_forms(mails: Sequence[MailWithoutForm]) -> None:
    """The mails that brought no workbook: who wrote, when, about what, and what they had instead."""
    if not mails:
        return
    click.echo(f"\nThư không kèm biểu mẫu ({len(mails)}), cần xem và trả lời:")
    for mail in mails:
        who = mail.sender or "(không rõ người gửi)"
        if mail.agency:
            who += f" — địa chỉ của {mail.agency_name} ({mail.agency}) trong input/don-vi.xlsx"
        subject = f" “{mail.subject}”" if mail.subject else " (không tiêu đề)"
        text = f"- {format_datetime(mail.received_at)}, từ {who}:{subject}; {mail.what}."
        click.echo(textwrap.fill(text, LINE, initial_indent="  ", subsequent_indent="    ",
                                 break_long_words=False, break_on_hyphens=False))


def places(ws: Workspace, paths: Sequence[Path | str], shown: int = 3) -> str:
    """The folders and files a command read, as the office names them (input/inbox/2026/)."""
    names = [ws.shown(Path(p)) if Path(p).exists() else str(p) for p in paths]
    return ", ".join(names[:shown]) + (f" và {len(names) - shown} nguồn khác" if len(names) > shown else "")


def earlier(collected: list[tuple[Period, CollectResult]]) -> None:
    """One line per earlier period whose inbox was brought up to date before the asked one."""
    for period, result in collected:
        new = [o for o in result.outcomes if o.verdict is not Verdict.DUPLICATE]
        rejected = sum(1 for o in new if o.verdict is Verdict.REJECTED)
        click.echo(f"Kỳ {period.id}: {len(result.outcomes)} tệp trong thư mục, {len(new)} tệp mới"
                   + (f" ({rejected} không đạt; xem “planreports status --period {period.id}”)" if rejected else "")
                   + ".")


def stage(result: StageResult) -> None:
    summary = result.consolidation.summary()
    expected, reported = len(summary["agencies_expected"]), len(summary["agencies_reported"])
    late, missing = len(summary["agencies_late"]), len(summary["agencies_missing"])
    details = [f"{late} nộp muộn" if late else "", f"{missing} chưa nộp hoặc không đạt" if missing else ""]
    said = ", ".join(d for d in details if d)      # "0 nộp muộn" says nothing: left out
    click.echo(f"Kỳ {summary['period']}: {reported}/{expected} đơn vị đã báo cáo" + (f" ({said})" if said else "")
               + ".")
    written(result.outputs)
    notes(result.warnings)


def written(paths: Sequence[Path]) -> None:
    for path in paths:
        click.echo(f"Đã ghi {path}")


def periods(overview: list[PeriodOverview]) -> None:
    if not overview:
        click.echo("Danh mục trong input/ không có lỗi. Chưa có kỳ báo cáo nào: thêm vào planreports.toml mục "
                   "[periods.NĂM] với hạn nộp, ví dụ [periods.2027] và dòng deadline = 2027-12-10, rồi chạy lại.")
        return
    rows = [[o.period.id, f"{o.period.start:%d/%m/%Y} – {o.period.end:%d/%m/%Y}",
             f"{o.deadline:%d/%m/%Y}" + ("" if o.deadline_set else " (chưa ghi)"),
             str(o.expected), str(o.files), f"{o.reported}/{o.expected}", "Có" if o.report_written else "Chưa",
             "" if o.configured else "chưa có [periods]"] for o in overview]
    click.echo(table(["Kỳ", "Thời gian", "Hạn nộp", "Số đơn vị", "Tệp đã nhận", "Đã báo cáo", "Đã lập báo cáo",
                      "Ghi chú"], rows))
    for o in overview:
        for warning in o.warnings:
            click.echo(f"Lưu ý ({o.period.id}): {warning}")
        for problem in o.problems:
            click.echo(f"Lỗi ({o.period.id}): {problem}", err=True)


MAIL_STATUS_LABELS = {"sent": "đã gửi", "written": "đã ghi tệp", "skipped": "bỏ qua", "failed": "lỗi"}


def mails(prepared: list[OutgoingMail]) -> None:
    """One line per agency: what became of its message, and why when it was skipped or failed."""
    for item in prepared:
        label = MAIL_STATUS_LABELS[item.status]
        label = ("LỖI" if item.status == "failed" else f"{label}, có lỗi") if item.has_error else label
        line = f"  {item.agency or '?':8} {item.to or '-':35} {label}"
        line += f": {item.reason}" if item.reason else (f": {item.path}" if item.path else "")
        click.echo(line)
    counts = {label: sum(1 for m in prepared if m.status == status) for status, label in MAIL_STATUS_LABELS.items()}
    if prepared:
        click.echo("Tổng cộng: " + ", ".join(f"{label} {n}" for label, n in counts.items() if n) + ".")
    if any(m.has_error for m in prepared):
        click.echo("Có thư chưa gửi được tới một số địa chỉ (xem các dòng có lỗi). Thư lỗi không được ghi nhận là "
                   "đã gửi: sửa địa chỉ hoặc chờ máy chủ sẵn sàng, rồi chạy lại lệnh để gửi các thư đó.")


def initialized(directory: Path, written: Sequence[Path], blank: bool) -> None:
    """What `init` made, and what to do next (for another province: fill the «placeholders», then check)."""
    click.echo(f"Đã tạo không gian làm việc tại {directory}:")
    for path in written:
        click.echo(f"  {path}")
    go = "" if directory.resolve() == Path.cwd().resolve() else f"cd {directory}, "
    if blank:
        click.echo(f"Tiếp theo: {go}điền các chỗ «…» trong planreports.toml và ba danh mục trong input/ (xem hướng "
                   "dẫn, mục “Dùng cho tỉnh khác hoặc kế hoạch khác”), rồi chạy “planreports periods” để kiểm tra.")
    else:
        click.echo(f"Tiếp theo: {go}xem lại các tệp trong input/ và planreports.toml, rồi chạy "
                   "“planreports templates --period KỲ” (KỲ là năm báo cáo, ví dụ 2026).")
