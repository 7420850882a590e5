"""Command line: parse, call one core function, print, set the exit code (0 ok, 1 data problems, 2 usage).

All PlanreportsError subclasses are turned into their Vietnamese message here, in one place; a traceback
is shown only with --debug.
"""

from __future__ import annotations

import contextlib
import json
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from planreports.errors import PlanreportsError
from planreports.workspace import Workspace, find_workspace, init_workspace

HELP = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Group(click.Group):
    """Maps our exceptions to messages and exit codes for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
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
@click.version_option(package_name="planreports", message="planreports %(version)s")
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
@click.option("-p", "--period", required=True, metavar="KỲ", help="Kỳ báo cáo: 2024 (năm) hoặc 2024-H1.")
@click.option("-a", "--agency", "agencies", multiple=True, metavar="MÃ",
              help="Chỉ tạo cho đơn vị này (dùng nhiều lần được). Mặc định: mọi đơn vị báo cáo.")
@click.pass_context
def templates(ctx: click.Context, period: str, agencies: tuple[str, ...]) -> None:
    """Tạo biểu mẫu Excel cho từng đơn vị vào output/KỲ/bieu-mau/."""
    from planreports.generate import generate_templates

    ws = _workspace(ctx)
    paths = generate_templates(ws, ws.period(period), agencies)
    click.echo(f"Đã tạo {len(paths)} biểu mẫu trong {paths[0].parent if paths else ws.output_dir}:")
    for path in paths:
        click.echo(f"  {path.name}")


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
        cli(prog_name="planreports")
    except BrokenPipeError:
        # output piped into `head` or `more` that closed early: not an error of ours
        sys.stderr.close()
        sys.exit(0)
