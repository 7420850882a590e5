"""Run LibreOffice headless for conversion tests (installed by .ci/run from Debian packages)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# CI installs every program the tests need and sets PLANREPORTS_REQUIRE_TOOLS=1: there a missing program is a
# broken install step, and the tests fail instead of skipping.
REQUIRED = os.environ.get("PLANREPORTS_REQUIRE_TOOLS") == "1"
needs_libreoffice = pytest.mark.skipif(SOFFICE is None and not REQUIRED,
                                       reason="LibreOffice (soffice) is not installed")


def convert(source: Path, fmt: str, out_dir: Path) -> Path:
    """Convert with LibreOffice into out_dir; a private profile keeps parallel runs apart."""
    assert SOFFICE is not None
    profile = out_dir / ".lo-profile"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile.as_posix()}", "--headless", "--norestore",
         "--convert-to", fmt, "--outdir", str(out_dir), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    target = out_dir / f"{source.stem}.{fmt.split(':')[0]}"
    assert result.returncode == 0 and target.exists(), result.stdout + result.stderr
    return target


def convert_many(sources: list[Path], fmt: str, out_dir: Path) -> list[Path]:
    """Convert several files in one LibreOffice start (each start costs about a second)."""
    assert SOFFICE is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile.as_posix()}", "--headless", "--norestore",
         "--convert-to", fmt, "--outdir", str(out_dir), *map(str, sources)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    targets = [out_dir / f"{source.stem}.{fmt.split(':')[0]}" for source in sources]
    assert result.returncode == 0 and all(t.exists() for t in targets), result.stdout + result.stderr
    return targets
