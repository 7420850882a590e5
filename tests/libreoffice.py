"""Run LibreOffice headless for conversion tests (installed by .ci/run from Debian packages)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


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
