"""Regenerate the pictures of the documentation from the repository's example workspace (period 2026):

    docs/images/tinh-hinh-2026.png    the status page, as Chromium shows it 1280 px wide (the first 1600 px)
    docs/images/bao-cao-2026-trang-1.png, -trang-2.png
                                      pages 1 and 2 of the report bao-cao-2026.docx (LibreOffice -> PDF ->
                                      pdftoppm, 70 dpi)

    python scripts/doc_images.py

Needs chromium, soffice and pdftoppm (the programs the tests use); optipng, when installed, makes the files
smaller. The example is copied to a temporary folder and run there; the page describes a fixed time
(25/11/2026 08:00, after the last example file came in), so the pictures change only when the code does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from planreports.consolidation.frames import consolidate
from planreports.mail.feedback import notify
from planreports.pipeline import run_all, write_status_page
from planreports.vn.dates import VN_TZ
from planreports.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO / "docs" / "images"
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=VN_TZ)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


def example(root: Path) -> Workspace:
    root.mkdir(parents=True)
    shutil.copy2(REPO / "planreports.toml", root / "planreports.toml")
    for folder in ("input", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    ws = Workspace(root)
    period = ws.period("2026")
    run_all(ws, period, now=NOW)
    notify(ws, period, now=NOW)                       # the feedback e-mails the page links to
    write_status_page(ws, consolidate(ws, period), NOW)
    return ws


def status_page(ws: Workspace, target: Path, work: Path) -> None:
    page = ws.status_page_path(ws.period("2026"))
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--no-first-run", "--disable-extensions", f"--user-data-dir={work / 'chromium'}",
                    "--window-size=1280,1600", f"--screenshot={target}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)


def report_pages(ws: Workspace, targets: list[Path], work: Path) -> None:
    report = ws.report_path(ws.period("2026"))
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'lo').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(work), str(report)],
                   check=True, capture_output=True, timeout=300)
    for number, target in enumerate(targets, start=1):
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(number), "-l", str(number), "-singlefile",
                        str(work / f"{report.stem}.pdf"), str(target.with_suffix(""))],
                       check=True, capture_output=True, timeout=120)


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ws = example(work / "ws")
        targets = [IMAGES / "tinh-hinh-2026.png", IMAGES / "bao-cao-2026-trang-1.png",
                   IMAGES / "bao-cao-2026-trang-2.png"]
        status_page(ws, targets[0], work)
        report_pages(ws, targets[1:], work)
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o5", "-strip", "all", *map(str, targets)], check=True)
    for target in targets:
        print(f"{target.relative_to(REPO)}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    sys.exit(main())
