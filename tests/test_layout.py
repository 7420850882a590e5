"""The shape of the code: small modules and functions, and a README that names every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "planreports"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_stay_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_readme_names_every_module() -> None:
    layout = (ROOT / "README.md").read_text(encoding="utf-8").split("## Layout of the code", 1)[1]
    layout = layout.split("\n## ", 1)[0]
    missing = [str(p.relative_to(PACKAGE)) for p in MODULES
               if p.name != "__init__.py" and str(p.relative_to(PACKAGE)) not in layout]
    assert not missing, f"README “Layout of the code” does not name: {missing}"


def test_no_module_is_named_like_the_standard_library() -> None:
    import sys

    clashes = [str(p.relative_to(PACKAGE)) for p in MODULES if p.stem in sys.stdlib_module_names]
    assert not clashes
