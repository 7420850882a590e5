"""The user guide (docs/huong-dan.md) shows only commands the program accepts.

Every command line in its ```powershell and ```bash blocks is run, in the guide's order, with click's CliRunner:
`init` in an empty folder, the others in a copy of the example workspace. Commands that talk to a mail server
(an imaps:// mailbox, --send) are pointed at a closed port on 127.0.0.1: they must get as far as connecting and
stop with the mail error (exit 1), which proves their arguments were accepted.
"""

from __future__ import annotations

import re
import shlex
import socket
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.vn.dates import VN_TZ, format_date
from tests.conftest import REPO, copy_example

GUIDE = REPO / "docs" / "huong-dan.md"
BLOCK = re.compile(r"^```(bash|powershell)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# the program by its full path, as the guide types it (C:\CT07\.venv\Scripts\planreports, ~/ct07/.venv/bin/…)
PROGRAM = re.compile(r"^(?:\S*[\\/])?(?:\.venv[\\/](?:Scripts|bin)[\\/])?planreports(?:\.exe)?(?:\s|$)")
MAILBOX = re.compile(r"^(imaps?://[^@/]+@)[^/]+")
REFUSED = "máy chủ không nhận kết nối"       # the MailError of a connection nobody answers


def guide_commands() -> list[list[str]]:
    """The argument lists after `planreports` of every command line the guide shows, in order."""
    commands = []
    for shell, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        for line in body.splitlines():
            line = line.strip()
            if PROGRAM.match(line):
                # Windows paths: the same folders with the other separator (nothing in the guide escapes)
                text = line.replace("\\", "/") if shell == "powershell" else line
                commands.append(shlex.split(text, comments=True)[1:])
    return commands


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound for a moment by us, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ahead(args: list[str]) -> list[str]:
    """The guide's `--until` date is an example of a date to come: moved to ten days from today, as a reader
    would choose it (a date already past is refused, see test_week_dates.py)."""
    if "--until" not in args:
        return args
    at = args.index("--until") + 1
    return [*args[:at], format_date(datetime.now(VN_TZ).date() + timedelta(days=10)), *args[at + 1:]]


def needs_server(args: list[str]) -> bool:
    return "--send" in args or any(MAILBOX.match(a) for a in args)


def test_the_guide_shows_every_command_in_both_forms() -> None:
    commands = guide_commands()
    assert len(commands) >= 20
    shown = {args[0] for args in commands if args and not args[0].startswith("-")}
    assert shown == set(cli.commands), "every command of the program, and no other"
    text = GUIDE.read_text(encoding="utf-8")
    assert "C:\\CT07\\.venv\\Scripts\\planreports" in text and "~/ct07/.venv/bin/planreports" in text
    programs = [line.split()[0] for _, body in BLOCK.findall(text) for line in body.splitlines()
                if PROGRAM.match(line.strip())]
    assert set(programs) == {"C:\\CT07\\.venv\\Scripts\\planreports", "~/ct07/.venv/bin/planreports"}, (
        "every command calls the program by its full path, so it runs from any folder")


def test_the_guides_pictures_exist_and_the_readme_links_the_guide() -> None:
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert images == ["images/tinh-hinh-2026.png", "images/bao-cao-2026-trang-1.png"]
    for image in images:
        assert (GUIDE.parent / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    head = (REPO / "README.md").read_text(encoding="utf-8").splitlines()[:5]
    assert any("](docs/huong-dan.md)" in line for line in head)


def test_every_command_in_the_guide_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = copy_example(tmp_path / "vi-du").root
    port = closed_port()
    config = example / "planreports.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('smtp_host = "mail.thainguyen.gov.vn"', 'smtp_host = "127.0.0.1"')
    config.write_text(text.replace("smtp_port = 587", f"smtp_port = {port}"), encoding="utf-8")
    runner = CliRunner(env={"PLANREPORTS_IMAP_PASSWORD": "x", "PLANREPORTS_SMTP_PASSWORD": "x"})
    made = []
    for number, args in enumerate(guide_commands()):
        if args[:1] == ["init"]:                  # each `init` of the guide starts in an empty folder
            made.append(tmp_path / f"moi-{number}")
            made[-1].mkdir()
        monkeypatch.chdir(made[-1] if args[:1] == ["init"] else example)
        args = ahead([MAILBOX.sub(rf"\g<1>127.0.0.1:{port}", a) for a in args])
        result = runner.invoke(cli, args)
        shown = f"planreports {' '.join(args)} -> {result.exit_code}\n{result.output}"
        assert "Lỗi cách dùng" not in result.output and result.exit_code != 2, shown
        assert "Lỗi không mong đợi" not in result.output, shown
        if needs_server(args):
            assert result.exit_code == 1 and REFUSED in result.output, shown
        else:
            assert result.exit_code in (0, 1), shown
    assert len(made) >= 2 and all((folder / "planreports.toml").is_file() for folder in made)
    assert (example / "output" / "2026" / "tinh-hinh-2026.html").is_file()
    assert (example / "output" / "2027" / "bieu-mau").is_dir()
