"""planreports: collect, check, consolidate and report on a province's plan (its lists and settings say which).

The public API is listed in __all__ (see planreports.api). It is loaded on first use, so that importing a
small part of the package (as the command line does) does not pull in pandas and python-docx.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from planreports.api import (
        check,
        collect,
        consolidate,
        open_workspace,
        render_report,
        run,
        status,
        write_consolidated,
        write_status_page,
        write_templates,
    )
    from planreports.errors import PlanreportsError
    from planreports.workspace import Workspace

__all__ = ["PlanreportsError", "Workspace", "__version__", "check", "collect", "consolidate", "open_workspace",
           "render_report", "run", "status", "write_consolidated", "write_status_page", "write_templates"]

_LAZY = {name: "planreports.api" for name in __all__ if name not in ("__version__",)}
_LAZY.update(PlanreportsError="planreports.errors", Workspace="planreports.workspace")

try:
    __version__ = version("planreports")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'planreports' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
