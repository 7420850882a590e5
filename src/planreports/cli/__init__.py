"""Command line: parse, call one library function, print, set the exit code.

Exit codes: 0 ok, 1 problems found (a rejected file, mistakes in the lists, a mail server that cannot be used,
a message not sent, a full disk or a folder that cannot be written), 2 wrong usage, 75 busy: another collect,
another program holding the ledger or a file (try again later), 130 stopped by Ctrl-C (143 by SIGTERM). Every
PlanreportsError, and every fault of the machine (cli/faults.py), becomes its Vietnamese message in one place
(`_fail`); a traceback is shown only with --debug. Stage modules (pandas,
python-docx, the reader) are imported inside the commands: a cold start of `check` or `--help` does not pay for
what it does not use.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from planreports.cli import output, stop
from planreports.cli.vn_click import HELP, Group, VnDate, usage_message
from planreports.errors import PlanreportsError
from planreports.intake.imap import PASSWORD_ENV, ImapTarget
from planreports.plan.periods import Period
from planreports.workspace import Workspace, find_workspace

period_option = click.option("-p", "--period", required=True, metavar="KỲ",
                             help="Kỳ báo cáo: 2024 (năm, 15/12/2023–14/12/2024) hoặc 2024-H1 (6 tháng).")
json_option = click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
verbose_option = click.option("-v", "--verbose", is_flag=True, help="In cả các cảnh báo của tệp đạt.")
allow_empty_option = click.option(
    "--allow-empty", is_flag=True,
    help="Vẫn lập bảng tổng hợp và báo cáo khi chưa có báo cáo đạt yêu cầu nào (ví dụ để xem trước mẫu).")
UNIDENTIFIED_KEY = "_unidentified"   # status --json: the files no agency could be identified from
MAILS_KEY = "_mail_notes"            # status --json: the mails that brought no workbook


def _fail(exc: BaseException, debug: bool, ws: Workspace | None = None) -> int:
    """The one place where errors become messages and exit codes."""
    from planreports.cli.faults import describe

    if isinstance(exc, click.UsageError):
        click.echo(usage_message(exc), err=True)
        return 2
    if debug:
        traceback.print_exception(exc)
    if isinstance(exc, PlanreportsError):
        click.echo(exc.message, err=True)
        return exc.exit_code
    fault = describe(exc, _ledger(ws))
    if fault is not None:
        click.echo(fault.message, err=True)
        return fault.exit_code
    click.echo(f"Lỗi không mong đợi: {type(exc).__name__}: {exc}. Chạy lại với --debug để xem chi tiết và gửi "
               "cho bộ phận kỹ thuật.", err=True)
    return 1


class Cli(Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, BrokenPipeError):
            raise
        except Exception as exc:
            obj = ctx.obj or {}
            ctx.exit(_fail(exc, bool(obj.get("debug")), obj.get("ws")))


def _workspace(ctx: click.Context) -> Workspace:
    ws = find_workspace(Path(ctx.obj["workspace"]))
    ctx.obj["ws"] = ws    # for the messages of _fail (the ledger's path)
    return ws


def _ledger(ws: Workspace | None) -> Path:
    return ws.ledger_path if ws is not None else Path("archive") / "ledger.sqlite"


def _page_not_written(ws: Workspace, page: Path, exc: OSError, done: str) -> None:
    """A status page the machine refused to write (a full disk, a read-only folder) is a warning: what the
    command did before it stands, and its results are printed as usual."""
    from planreports.cli.faults import describe

    fault = describe(exc, _ledger(ws))
    why = fault.message if fault is not None else f"{type(exc).__name__}: {exc}"
    click.echo(f"Lưu ý: chưa ghi được trang tình hình {page}{done}. {why}", err=True)


def _period(ws: Workspace, text: str) -> Period:
    """The period asked for; what its settings lack is said once, on stderr, and the command goes on."""
    period = ws.period(text)
    for warning in ws.period_warnings(period):
        click.echo(f"Lưu ý: {warning}", err=True)
    return period


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(cls=Cli, context_settings=HELP)
@click.option("-w", "--workspace", default=".", metavar="THƯ_MỤC",
              help="Không gian làm việc (mặc định: thư mục hiện tại hoặc thư mục cha).")
@click.option("--debug", is_flag=True, help="Hiện chi tiết lỗi kỹ thuật (traceback).")
@click.version_option(package_name="planreports", message="planreports %(version)s",
                      help="Hiện phiên bản và thoát.")
@click.pass_context
def cli(ctx: click.Context, workspace: str, debug: bool) -> None:
    """Thu thập, kiểm tra, tổng hợp và lập báo cáo thực hiện kế hoạch của tỉnh (ghi trong planreports.toml).

    Quy trình: init → templates → (gửi biểu mẫu cho đơn vị) → collect → consolidate → report.
    Lệnh run làm cả ba bước collect, consolidate, report.
    """
    ctx.ensure_object(dict)
    ctx.obj.update(workspace=workspace, debug=debug)


@cli.command(context_settings=HELP)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="THƯ_MỤC")
@click.option("--force", is_flag=True, help="Ghi đè không gian làm việc đã có.")
@click.option("--blank", is_flag=True,
              help="Cho tỉnh khác hoặc kế hoạch khác: danh mục trống (mỗi sheet một dòng ví dụ), cấu hình có chỗ «…» "
                   "để điền. Không có tuỳ chọn này: dữ liệu mẫu của tỉnh đã cài sẵn.")
def init(directory: Path, force: bool, blank: bool) -> None:
    """Tạo không gian làm việc mới: danh mục nhiệm vụ, đơn vị, chỉ tiêu, cấu hình và mẫu Word."""
    from planreports.scaffold import init_workspace

    output.initialized(directory, init_workspace(directory, force=force, blank=blank), blank)


@cli.command(context_settings=HELP)
@period_option
@click.option("-a", "--agency", "agencies", multiple=True, metavar="MÃ",
              help="Chỉ tạo cho đơn vị này (dùng nhiều lần được). Mặc định: mọi đơn vị báo cáo.")
@click.pass_context
def templates(ctx: click.Context, period: str, agencies: tuple[str, ...]) -> None:
    """Tạo biểu mẫu Excel cho từng đơn vị vào output/KỲ/bieu-mau/."""
    from planreports.api import write_templates

    ws = _workspace(ctx)
    paths = write_templates(ws, _period(ws, period), agencies)
    click.echo(f"Đã tạo {len(paths)} biểu mẫu trong {paths[0].parent if paths else ws.output_dir}:")
    for path in paths:
        click.echo(f"  {path.name}")


@cli.command(context_settings=HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="TỆP...")
@click.option("-p", "--period", metavar="KỲ", help="Kỳ báo cáo cần đối chiếu (mặc định: theo tệp).")
@json_option
@click.pass_context
def check(ctx: click.Context, files: tuple[Path, ...], period: str | None, as_json: bool) -> None:
    """Kiểm tra tệp nhận được (không lưu gì): in từng lỗi với sheet, ô và cách sửa."""
    from planreports.intake.collect import check_files

    ws = _workspace(ctx)
    result = check_files(ws, [p.resolve() for p in files], _period(ws, period) if period else None)
    if as_json:
        _echo_json(result.to_list())
    else:
        output.outcomes(result, verbose=True, debug=ctx.obj["debug"])
    ctx.exit(1 if result.rejected else 0)


def _imap_password(target: ImapTarget) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    return str(click.prompt(f"Mật khẩu hộp thư {target.user}@{target.host}", hide_input=True, err=True))


@cli.command(context_settings=HELP)
@click.argument("sources", nargs=-1, metavar="[TỆP|THƯ_MỤC|imaps://TÀI_KHOẢN@MÁY_CHỦ/THƯ_MỤC]...")
@period_option
@click.option("--since", type=VnDate(), metavar="NGÀY",
              help="Chỉ đọc thư từ ngày này (dd/mm/yyyy).")
@click.option("--mark-seen", is_flag=True, help="Đánh dấu đã đọc các thư đã xử lý trên máy chủ (mặc định: không).")
@json_option
@verbose_option
@click.pass_context
def collect(ctx: click.Context, sources: tuple[str, ...], period: str, since: date | None, mark_seen: bool,
            as_json: bool, verbose: bool) -> None:
    """Nhận, kiểm tra và lưu trữ báo cáo từ tệp, thư mục, thư đã lưu (.eml, .mbox) hoặc hộp thư IMAP.

    Mặc định đọc thư mục input/inbox/KỲ (hoặc input/inbox). Sau đó ghi lại trang tình hình
    output/KỲ/tinh-hinh-KỲ.html. Mật khẩu hộp thư lấy từ biến môi trường PLANREPORTS_IMAP_PASSWORD
    hoặc được hỏi khi chạy; không bao giờ được lưu. Thư trên máy chủ không bị xoá hay đánh dấu (trừ khi
    dùng --mark-seen).
    """
    from planreports.intake.collect import MailOptions
    from planreports.pipeline import run_collect

    ws = _workspace(ctx)
    mail = MailOptions(_imap_password, since, mark_seen)
    chosen = _period(ws, period)
    targets: list[str | Path] = [Path(s).resolve() if Path(s).exists() else s for s in sources]
    stage = run_collect(ws, targets, chosen, None if as_json else output.progress, mail)
    output.end_progress()
    result = stage.collected
    if as_json:
        _echo_json(result.to_list())
    else:
        output.outcomes(result, verbose, ctx.obj["debug"])
        output.totals(result, output.places(ws, stage.read or [str(s) for s in targets]))
        output.written([] if stage.page_error else [stage.page])
    if stage.page_error is not None:
        _page_not_written(ws, stage.page, stage.page_error, " (các tệp trên đã được nhận và ghi vào sổ theo dõi)")
    output.notes(stage.warnings)
    ctx.exit(1 if result.rejected else 0)


@cli.command(context_settings=HELP)
@period_option
@json_option
@click.pass_context
def status(ctx: click.Context, period: str, as_json: bool) -> None:
    """Tình hình nộp báo cáo của từng đơn vị và danh sách đơn vị chưa nộp.

    Cũng ghi lại trang tình hình output/KỲ/tinh-hinh-KỲ.html (số ngày còn lại đến hạn, thư phản hồi mới lập).
    """
    from planreports.pipeline import run_status

    ws = _workspace(ctx)
    result = run_status(ws, _period(ws, period))
    if as_json:
        _echo_json({**{s.code: s.to_dict() for s in result.statuses},
                    UNIDENTIFIED_KEY: [f.to_dict() for f in result.unidentified],
                    MAILS_KEY: [m.to_dict() for m in result.mails]})
    else:
        output.statuses(result.statuses)
        output.unidentified(ws, result.unidentified)
        output.mails_without_forms(result.mails)
        output.written([] if result.page_error else [result.page])
    if result.page_error is not None:
        _page_not_written(ws, result.page, result.page_error, "")
    output.notes(result.warnings)


@cli.command(context_settings=HELP)
@period_option
@allow_empty_option
@click.pass_context
def consolidate(ctx: click.Context, period: str, allow_empty: bool) -> None:
    """Tổng hợp các báo cáo đã nhận: output/KỲ/tong-hop-KỲ.xlsx, summary.json và trang tình hình.

    Khi chưa có báo cáo đạt yêu cầu nào thì không ghi gì (mã kết thúc 1), trừ khi dùng --allow-empty.
    """
    from planreports.pipeline import run_consolidate

    ws = _workspace(ctx)
    output.stage(run_consolidate(ws, _period(ws, period), allow_empty=allow_empty))


@cli.command(context_settings=HELP)
@period_option
@allow_empty_option
@click.pass_context
def report(ctx: click.Context, period: str, allow_empty: bool) -> None:
    """Lập báo cáo Word theo thể thức Nghị định 30/2020/NĐ-CP: output/KỲ/bao-cao-KỲ.docx.

    Khi chưa có báo cáo đạt yêu cầu nào thì không ghi gì (mã kết thúc 1), trừ khi dùng --allow-empty.
    """
    from planreports.pipeline import run_report

    ws = _workspace(ctx)
    output.stage(run_report(ws, _period(ws, period), allow_empty=allow_empty))


@cli.command(name="run", context_settings=HELP)
@period_option
@verbose_option
@allow_empty_option
@click.pass_context
def run_command(ctx: click.Context, period: str, verbose: bool, allow_empty: bool) -> None:
    """Việc chính: nhận input/inbox/KỲ, tổng hợp, lập báo cáo và trang tình hình trong một lệnh.

    Khi chưa có báo cáo đạt yêu cầu nào thì chỉ ghi trang tình hình (mã kết thúc 1), trừ khi dùng --allow-empty.
    """
    from planreports.pipeline import run_all

    ws = _workspace(ctx)
    result = run_all(ws, _period(ws, period), progress=output.progress, allow_empty=allow_empty)
    output.end_progress()
    output.earlier(result.earlier)
    collected = result.collected
    if collected is not None and (collected.outcomes or collected.notes):
        output.outcomes(collected, verbose, ctx.obj["debug"])
        click.echo("")
    elif collected is not None:
        output.totals(collected, output.places(ws, result.read or [ws.inbox_for(result.consolidation.period)]))
    if result.refused is not None:
        output.written(result.outputs)
        click.echo(result.refused, err=True)
        ctx.exit(1)
    output.stage(result)
    ctx.exit(1 if collected is not None and collected.rejected else 0)


@cli.command(context_settings=HELP)
@period_option
@click.option("--send", is_flag=True, help="Gửi qua máy chủ SMTP trong cấu hình (mặc định chỉ ghi tệp .eml).")
@click.pass_context
def notify(ctx: click.Context, period: str, send: bool) -> None:
    """Thư phản hồi kết quả kiểm tra cho từng đơn vị đã nộp: output/KỲ/phan-hoi/MÃ.eml."""
    from planreports.mail.feedback import notify as notify_agencies

    ws = _workspace(ctx)
    prepared = notify_agencies(ws, _period(ws, period), send)
    click.echo(f"Thư phản hồi: {len(prepared)}" + (" (chưa có báo cáo nào được nhận)" if not prepared else ""))
    output.mails(prepared)
    ctx.exit(1 if any(m.has_error for m in prepared) else 0)


@cli.command(context_settings=HELP)
@period_option
@click.option("--until", type=VnDate(), metavar="NGÀY",
              help="Hạn gửi mới ghi trong công văn (dd/mm/yyyy), sau hôm nay và không sớm hơn hạn nộp của kỳ "
                   "(mặc định: sau số ngày mail.reminder_days, không sớm hơn hạn nộp).")
@click.option("--send", is_flag=True, help="Gửi thư nhắc qua SMTP (mặc định chỉ ghi tệp .eml).")
@click.option("--again", is_flag=True,
              help="Cùng với --send: gửi lại cả cho đơn vị đã được gửi thư nhắc theo công văn hôm nay.")
@click.pass_context
def remind(ctx: click.Context, period: str, until: date | None, send: bool, again: bool) -> None:
    """Công văn đôn đốc và thư nhắc (kèm biểu mẫu) cho các đơn vị chưa nộp hoặc bị từ chối.

    Mỗi đơn vị chỉ được gửi thư nhắc một lần cho mỗi ngày của công văn; chạy lại lệnh trong ngày sẽ bỏ qua
    đơn vị đã được gửi (trừ khi dùng --again) và gửi lại các thư lần trước bị lỗi.
    """
    from planreports.mail.outgoing import MailStatus
    from planreports.mail.reminders import remind as remind_agencies

    if again and not send:
        raise click.UsageError("--again chỉ dùng cùng với --send.", ctx)
    ws = _workspace(ctx)
    result = remind_agencies(ws, _period(ws, period), until, send, again=again)
    output.notes(result.warnings)     # first: an agency "missing" may have a file waiting in the inbox
    if not result.agencies:
        click.echo("Tất cả đơn vị đã nộp báo cáo đạt yêu cầu: không cần đôn đốc.")
        return
    click.echo(f"{len(result.agencies)} đơn vị cần đôn đốc: {', '.join(a.short for a in result.agencies)}.")
    click.echo(f"Công văn đôn đốc: {result.letter}")
    output.mails(result.mails)
    if any(m.status is MailStatus.SKIPPED and m.to for m in result.mails):
        click.echo("Đơn vị “bỏ qua” đã được gửi thư nhắc theo công văn hôm nay; dùng --again để gửi lại.")
    ctx.exit(1 if any(m.has_error for m in result.mails) else 0)


@cli.command(context_settings=HELP)
@json_option
@click.pass_context
def periods(ctx: click.Context, as_json: bool) -> None:
    """Các kỳ báo cáo: thời gian, hạn nộp, số đơn vị phải báo cáo, số tệp đã nhận, đã lập báo cáo chưa."""
    from planreports.consolidation.periods import list_periods

    ws = _workspace(ctx)
    ws.check_lists()                # the lists are checked even before any period is configured
    if ws.config.unfilled:          # a blank workspace's «placeholders» hold for every period
        ws.check_settings(ws.period(str(datetime.now().year)))
    overview = list_periods(ws)
    if as_json:
        _echo_json([o.to_dict() for o in overview])
    else:
        output.periods(overview)
    if any(o.problems for o in overview):
        ctx.exit(1)


def main() -> NoReturn:
    output.utf8_console()
    stop.stop_on_terminate()
    try:
        # without standalone mode click returns the exit code of ctx.exit() instead of exiting itself
        code = cli.main(prog_name="planreports", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except click.exceptions.Abort as exc:
        # click turns Ctrl-C (and Stopped, see cli/stop.py) into Abort; so is the end of input at a prompt
        click.echo("Đã dừng.", err=True)
        interrupt = exc.__cause__ or exc.__context__
        sys.exit(stop.exit_code(interrupt) if isinstance(interrupt, KeyboardInterrupt) else 1)
    except KeyboardInterrupt as exc:   # before click took over
        click.echo("Đã dừng.", err=True)
        sys.exit(stop.exit_code(exc))
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # output piped into `head` or `more` that closed early: not an error of ours
        sys.stderr.close()
        sys.exit(0)
    except click.UsageError as exc:  # errors in the top-level options; a command's own are handled in Cli
        sys.exit(_fail(exc, debug=False))
