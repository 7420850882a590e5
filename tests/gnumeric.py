"""Run Gnumeric's ssconvert for conversion tests (installed by .ci/run from Debian packages)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SSCONVERT = shutil.which("ssconvert")
# As in tests/libreoffice.py: under PLANREPORTS_REQUIRE_TOOLS=1 (CI) a missing program fails instead of skipping.
REQUIRED = os.environ.get("PLANREPORTS_REQUIRE_TOOLS") == "1"
needs_gnumeric = pytest.mark.skipif(SSCONVERT is None and not REQUIRED, reason="Gnumeric (ssconvert) is not installed")


def ssconvert(source: Path, fmt: str, out_dir: Path) -> Path:
    """Save `source` as `fmt` (xlsx, xls, ods) with Gnumeric into out_dir: the exporter Gnumeric picks for
    that extension, as "Save As" does. A private HOME keeps its settings out of the user's."""
    assert SSCONVERT is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{source.stem}.{fmt}"
    home = out_dir / ".gnumeric-home"
    home.mkdir(exist_ok=True)
    result = subprocess.run([SSCONVERT, str(source), str(target)], capture_output=True, text=True, timeout=180,
                            check=False, env={**os.environ, "HOME": str(home)})
    assert result.returncode == 0 and target.exists(), result.stdout + result.stderr
    return target
