"""click in Vietnamese: help headings, the usage line, the help option and usage errors.

click has no Vietnamese catalogue; its few user-facing phrases are mapped here. Anything not mapped stays
English rather than breaking (a later click version may reword a message).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from planreports.vn.dates import parse_date

HELP: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
HEADINGS = {"Options": "Tùy chọn", "Commands": "Lệnh", "Arguments": "Tham số"}
# longest phrases first: "No such option" must be replaced before "Option"
USAGE_WORDS = (("Missing option", "Thiếu tùy chọn"), ("Missing argument", "Thiếu tham số"),
               ("No such option", "Không có tùy chọn"), ("No such command", "Không có lệnh"),
               ("Invalid value for", "Giá trị không hợp lệ cho"), ("Did you mean", "Có phải là"),
               ("Got unexpected extra argument", "Thừa tham số"), ("Option", "Tùy chọn"),
               ("requires an argument", "cần một giá trị"), ("does not exist", "không tồn tại"),
               ("is not one of", "không thuộc"), ("does not match the formats", "không đúng định dạng"))


if TYPE_CHECKING:   # click >= 8.2 makes ParamType generic; 8.1 cannot subscript it at run time
    _DateParam = click.ParamType[date, Any]
else:
    _DateParam = click.ParamType


class VnDate(_DateParam):
    """A day as people type it (30/11/2026 or 2026-11-30); a day that does not exist (31/11) is said so, in
    Vietnamese, without strftime codes."""

    name = "ngày"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


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


def _vietnamese_help_option(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = "Hiện hướng dẫn này và thoát."
    return option


class Command(click.Command):
    context_class = VnContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _vietnamese_help_option(super().get_help_option(ctx))


class Group(click.Group):
    context_class = VnContext
    command_class = Command

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _vietnamese_help_option(super().get_help_option(ctx))
