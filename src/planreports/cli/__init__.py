"""Command line: parse, call one core function, print, set the exit code (0 ok, 1 data problems, 2 usage).

All PlanreportsError subclasses are turned into their Vietnamese message here, in one place; a traceback
is shown only with --debug.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from planreports.cli.output import VERDICT_LABELS, table
from planreports.errors import PlanreportsError, UsageError
from planreports.intake.imap import PASSWORD_ENV, ImapTarget, parse_imap_url
from planreports.workspace import Workspace, find_workspace, init_workspace

if TYPE_CHECKING:
    from planreports.intake.collect import CollectResult, Target
    from planreports.mail.feedback import Prepared
    from planreports.pipeline import StageResult

# Stage modules (pandas, python-docx, the reader) are imported inside each command: a cold start of
# `planreports check` or `--help` does not pay for what it does not use.

HELP = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
period_option = click.option("-p", "--period", required=True, metavar="KỲ",
                             help="Kỳ báo cáo: 2024 (năm, 15/12/2023–14/12/2024) hoặc 2024-H1 (6 tháng).")


# click's own words, in Vietnamese: help headings, the usage line, the help option, usage errors.
HEADINGS = {"Options": "Tùy chọn", "Commands": "Lệnh", "Arguments": "Tham số"}
USAGE_WORDS = (("Missing option", "Thiếu tùy chọn"), ("Missing argument", "Thiếu tham số"),
               ("No such option", "Không có tùy chọn"), ("No such command", "Không có lệnh"),
               ("Invalid value for", "Giá trị không hợp lệ cho"), ("Did you mean", "Có phải là"),
               ("Got unexpected extra argument", "Thừa tham số"), ("Option", "Tùy chọn"),
               ("requires an argument", "cần một giá trị"), ("does not exist", "không tồn tại"),
               ("is not one of", "không thuộc"), ("does not match the formats", "không đúng định dạng"))


class VnHelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Cách dùng: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))


class VnContext(click.Context):
    formatter_class = VnHelpFormatter


def usage_message(error: click.UsageError) -> str:
    message = error.format_message()
    for english, vietnamese in USAGE_WORDS:
        message = message.replace(english, vietnamese)
    command = error.ctx.command_path if error.ctx else "planreports"
    return f"Lỗi cách dùng: {message}\nXem hướng dẫn: {command} --help"


class VietnameseHelp:
    """Mixin for click commands: Vietnamese help headings and help option."""

    context_class = VnContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Hiện hướng dẫn này và thoát."
        return option


class Command(VietnameseHelp, click.Command):
    pass


class Group(VietnameseHelp, click.Group):
    """Maps our exceptions to messages and exit codes for every command."""

    command_class = Command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            click.echo(usage_message(exc), err=True)
            ctx.exit(2)
        except PlanreportsError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(exc.message, err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, BrokenPipeError):
            raise
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. Chạy lại với --debug để xem chi "
                       "tiết và gửi cho bộ phận kỹ thuật.", err=True)
            ctx.exit(1)


def _workspace(ctx: click.Context) -> Workspace:
    return find_workspace(Path(ctx.obj["workspace"]))


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(cls=Group, context_settings=HELP)
@click.option("-w", "--workspace", default=".", metavar="THƯ_MỤC",
              help="Không gian làm việc (mặc định: thư mục hiện tại hoặc thư mục cha).")
@click.option("--debug", is_flag=True, help="Hiện chi tiết lỗi kỹ thuật (traceback).")
@click.version_option(package_name="planreports", message="planreports %(version)s",
                      help="Hiện phiên bản và thoát.")
@click.pass_context
def cli(ctx: click.Context, workspace: str, debug: bool) -> None:
    """Thu thập, kiểm tra, tổng hợp và lập báo cáo thực hiện Kế hoạch 129/KH-UBND.

    Quy trình: init → templates → (gửi biểu mẫu cho đơn vị) → collect → consolidate → report.
    Lệnh run làm cả ba bước collect, consolidate, report.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(workspace=workspace, debug=debug)


@cli.command(context_settings=HELP)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="THƯ_MỤC")
@click.option("--force", is_flag=True, help="Ghi đè không gian làm việc đã có bằng dữ liệu mẫu.")
def init(directory: Path, force: bool) -> None:
    """Tạo không gian làm việc mới với danh mục nhiệm vụ, đơn vị, chỉ tiêu và cấu hình mẫu."""
    written = init_workspace(directory, force=force)
    click.echo(f"Đã tạo không gian làm việc tại {directory}:")
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Tiếp theo: cd {directory}, xem lại các tệp trong input/, rồi chạy "
               "“planreports templates --period 2024”.")


@cli.command(context_settings=HELP)
@period_option
@click.option("-a", "--agency", "agencies", multiple=True, metavar="MÃ",
              help="Chỉ tạo cho đơn vị này (dùng nhiều lần được). Mặc định: mọi đơn vị báo cáo.")
@click.pass_context
def templates(ctx: click.Context, period: str, agencies: tuple[str, ...]) -> None:
    """Tạo biểu mẫu Excel cho từng đơn vị vào output/KỲ/bieu-mau/."""
    from planreports.form.batch import generate_templates

    ws = _workspace(ctx)
    paths = generate_templates(ws, ws.period(period), agencies)
    click.echo(f"Đã tạo {len(paths)} biểu mẫu trong {paths[0].parent if paths else ws.output_dir}:")
    for path in paths:
        click.echo(f"  {path.name}")


def _print_outcomes(result: CollectResult, verbose: bool, debug: bool = False) -> None:
    rows = [[o.file, o.agency or "?", VERDICT_LABELS[o.verdict] + (" — nộp muộn" if o.late else ""),
             str(len(o.issues))] for o in result.outcomes]
    if rows:
        click.echo(table(["Tệp", "Đơn vị", "Kết quả", "Số phát hiện"], rows))
    for outcome in result.outcomes:
        if outcome.issues and (verbose or outcome.verdict == "rejected"):
            click.echo(f"\n{outcome.file} ({VERDICT_LABELS[outcome.verdict]}):")
            for issue in outcome.issues:
                where = ", ".join(p for p in (issue.sheet and f"sheet “{issue.sheet}”",
                                              issue.cell and f"ô {issue.cell}") if p)
                mark = "LỖI" if issue.severity == "error" else "Cảnh báo"
                click.echo(f"  - [{mark}] {where + ': ' if where else ''}{issue.message} ({issue.code})")
                if debug and issue.debug:
                    click.echo(issue.debug.rstrip(), err=True)
    for note in result.notes:
        click.echo(f"\nThư không có tệp bảng tính đính kèm: {note.subject or '(không tiêu đề)'} — từ "
                   f"{note.sender or '?'} ({note.source})")


def _vn_datetime(iso: str | None) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    return f"{moment:%d/%m/%Y %H:%M}"


def _progress(items: Iterable[Any]) -> Iterable[Any]:
    items = list(items)
    if not sys.stderr.isatty() or len(items) < 2:
        return items
    return _ProgressIter(items)


class _ProgressIter:
    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def __iter__(self) -> Iterator[Any]:
        with click.progressbar(self.items, label="Đang kiểm tra", file=sys.stderr) as bar:
            yield from bar


@cli.command(context_settings=HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="TỆP...")
@click.option("-p", "--period", metavar="KỲ", help="Kỳ báo cáo cần đối chiếu (mặc định: theo tệp).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def check(ctx: click.Context, files: tuple[Path, ...], period: str | None, as_json: bool) -> None:
    """Kiểm tra tệp nhận được (không lưu gì): in từng lỗi với sheet, ô và cách sửa."""
    from planreports.intake.collect import check_files

    ws = _workspace(ctx)
    result = check_files(ws, list(files), ws.period(period) if period else None)
    if as_json:
        _echo_json([o.to_dict() for o in result.outcomes])
    else:
        _print_outcomes(result, verbose=True, debug=ctx.obj["debug"])
    ctx.exit(1 if result.rejected else 0)


def _targets(ws: Workspace, sources: tuple[str, ...]) -> list[Target]:
    targets: list[Target] = []
    for source in sources or (str(ws.inbox),):
        mailbox = parse_imap_url(source)
        if mailbox is not None:
            targets.append(mailbox)
        elif Path(source).exists():
            targets.append(Path(source))
        else:
            raise UsageError(f"Không tìm thấy tệp hoặc thư mục “{source}”.")
    return targets


def _imap_password(target: ImapTarget) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    return str(click.prompt(f"Mật khẩu hộp thư {target.user}@{target.host}", hide_input=True, err=True))


@cli.command(context_settings=HELP)
@click.argument("sources", nargs=-1, metavar="[TỆP|THƯ_MỤC|imaps://TÀI_KHOẢN@MÁY_CHỦ/THƯ_MỤC]...")
@period_option
@click.option("--since", type=click.DateTime(["%d/%m/%Y", "%Y-%m-%d"]), metavar="NGÀY",
              help="Chỉ đọc thư từ ngày này (dd/mm/yyyy).")
@click.option("--mark-seen", is_flag=True, help="Đánh dấu đã đọc các thư đã xử lý trên máy chủ (mặc định: không).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.option("-v", "--verbose", is_flag=True, help="In cả các cảnh báo của tệp đạt.")
@click.pass_context
def collect(ctx: click.Context, sources: tuple[str, ...], period: str, since: datetime | None, mark_seen: bool,
            as_json: bool, verbose: bool) -> None:
    """Nhận, kiểm tra và lưu trữ báo cáo từ tệp, thư mục, thư đã lưu (.eml, .mbox) hoặc hộp thư IMAP.

    Mặc định đọc thư mục input/inbox. Mật khẩu hộp thư lấy từ biến môi trường PLANREPORTS_IMAP_PASSWORD
    hoặc được hỏi khi chạy; không bao giờ được lưu. Thư trên máy chủ không bị xoá hay đánh dấu (trừ khi
    dùng --mark-seen).
    """
    from planreports.intake.collect import MailOptions
    from planreports.intake.collect import collect as collect_files

    ws = _workspace(ctx)
    mail = MailOptions(_imap_password, since.date() if since else None, mark_seen,
                       ws.resolve(ws.config.mail.imap_cafile))
    result = collect_files(ws, _targets(ws, sources), ws.period(period),
                           progress=None if as_json else _progress, mail=mail)
    if as_json:
        _echo_json([o.to_dict() for o in result.outcomes])
    else:
        _print_outcomes(result, verbose, ctx.obj["debug"])
        counts = Counter(o.verdict for o in result.outcomes)
        click.echo("\nTổng cộng: " + ", ".join(f"{VERDICT_LABELS[k]}: {counts[k]}" for k in VERDICT_LABELS
                                               if counts[k]) if counts else "Không có tệp mới nào để nhận.")
    ctx.exit(1 if result.rejected else 0)


@cli.command(context_settings=HELP)
@period_option
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def status(ctx: click.Context, period: str, as_json: bool) -> None:
    """Tình hình nộp báo cáo của từng đơn vị và danh sách đơn vị chưa nộp."""
    from planreports.consolidation.status import period_status

    ws = _workspace(ctx)
    statuses = period_status(ws, ws.period(period))
    if as_json:
        _echo_json({s.code: s.to_dict() for s in statuses})
        return
    rows = [[s.code, s.name, "Đã nộp" if s.submitted else ("Bị từ chối" if s.verdict else "Chưa nộp"),
             _vn_datetime(s.received_at), VERDICT_LABELS.get(s.verdict or "", ""),
             str(s.issues) if s.verdict else "", "Muộn" if s.late else "", s.source or "",
             _vn_datetime(s.feedback_at), _vn_datetime(s.reminded_at)] for s in statuses]
    click.echo(table(["Mã", "Đơn vị", "Tình hình", "Ngày nhận", "Kết quả", "Phát hiện", "Hạn", "Nguồn",
                      "Đã phản hồi", "Đã nhắc"], rows, max_width=32))
    missing = [s.name for s in statuses if not s.submitted]
    done = len(statuses) - len(missing)
    click.echo(f"\nĐã nộp {done}/{len(statuses)} đơn vị." + (f" Chưa nộp hoặc bị từ chối: {', '.join(missing)}."
                                                        if missing else ""))


def _print_stage(result: StageResult) -> None:
    summary = result.consolidation.summary()
    expected, reported = len(summary["agencies_expected"]), len(summary["agencies_reported"])
    click.echo(f"Kỳ {summary['period']}: {reported}/{expected} đơn vị đã báo cáo"
               f" ({len(summary['agencies_late'])} nộp muộn, {len(summary['agencies_missing'])} chưa nộp hoặc "
               "không đạt).")
    for path in result.outputs:
        click.echo(f"Đã ghi {path}")


@cli.command(context_settings=HELP)
@period_option
@click.pass_context
def consolidate(ctx: click.Context, period: str) -> None:
    """Tổng hợp các báo cáo đã nhận: output/KỲ/tong-hop-KỲ.xlsx và summary.json."""
    from planreports.pipeline import run_consolidate

    ws = _workspace(ctx)
    _print_stage(run_consolidate(ws, ws.period(period)))


@cli.command(context_settings=HELP)
@period_option
@click.pass_context
def report(ctx: click.Context, period: str) -> None:
    """Lập báo cáo Word theo thể thức Nghị định 30/2020/NĐ-CP: output/KỲ/bao-cao-KỲ.docx."""
    from planreports.pipeline import run_report

    ws = _workspace(ctx)
    _print_stage(run_report(ws, ws.period(period)))


@cli.command(name="run", context_settings=HELP)
@period_option
@click.option("-v", "--verbose", is_flag=True, help="In cả các cảnh báo của tệp đạt.")
@click.pass_context
def run_command(ctx: click.Context, period: str, verbose: bool) -> None:
    """Việc chính: nhận input/inbox, tổng hợp và lập báo cáo trong một lệnh."""
    from planreports.pipeline import run_all

    ws = _workspace(ctx)
    result = run_all(ws, ws.period(period), progress=_progress)
    if result.collected is not None and (result.collected.outcomes or result.collected.notes):
        _print_outcomes(result.collected, verbose, ctx.obj["debug"])
        click.echo("")
    _print_stage(result)


def _print_prepared(prepared: list[Prepared]) -> None:
    for item in prepared:
        how = "đã gửi" if item.sent else "đã ghi"
        click.echo(f"  {item.agency or '?':8} {item.to:35} {how}: {item.path}")


@cli.command(context_settings=HELP)
@period_option
@click.option("--send", is_flag=True, help="Gửi qua máy chủ SMTP trong cấu hình (mặc định chỉ ghi tệp .eml).")
@click.pass_context
def notify(ctx: click.Context, period: str, send: bool) -> None:
    """Thư phản hồi kết quả kiểm tra cho từng đơn vị đã nộp: output/KỲ/phan-hoi/MÃ.eml."""
    from planreports.mail.feedback import notify as notify_agencies

    ws = _workspace(ctx)
    prepared = notify_agencies(ws, ws.period(period), send)
    click.echo(f"Thư phản hồi: {len(prepared)}" + (" (chưa có báo cáo nào được nhận)" if not prepared else ""))
    _print_prepared(prepared)


@cli.command(context_settings=HELP)
@period_option
@click.option("--until", type=click.DateTime(["%d/%m/%Y", "%Y-%m-%d"]), metavar="NGÀY",
              help="Hạn gửi mới ghi trong công văn (mặc định: sau số ngày mail.reminder_days).")
@click.option("--send", is_flag=True, help="Gửi thư nhắc qua SMTP (mặc định chỉ ghi tệp .eml).")
@click.pass_context
def remind(ctx: click.Context, period: str, until: datetime | None, send: bool) -> None:
    """Công văn đôn đốc và thư nhắc (kèm biểu mẫu) cho các đơn vị chưa nộp hoặc bị từ chối."""
    from planreports.mail.reminders import remind as remind_agencies

    ws = _workspace(ctx)
    result = remind_agencies(ws, ws.period(period), until.date() if until else None, send)
    if not result.agencies:
        click.echo("Tất cả đơn vị đã nộp báo cáo đạt yêu cầu: không cần đôn đốc.")
        return
    click.echo(f"{len(result.agencies)} đơn vị cần đôn đốc: {', '.join(a.short for a in result.agencies)}.")
    click.echo(f"Công văn đôn đốc: {result.letter}")
    _print_prepared(result.mails)


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Vietnamese needs UTF-8.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors="replace")


def main() -> None:
    _utf8_console()
    try:
        # without standalone mode click returns the exit code of ctx.exit() instead of exiting itself
        code = cli.main(prog_name="planreports", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.UsageError as exc:  # errors in the top-level options; a command's own are handled in Group
        click.echo(usage_message(exc), err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Đã dừng.", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # output piped into `head` or `more` that closed early: not an error of ours
        sys.stderr.close()
        sys.exit(0)
