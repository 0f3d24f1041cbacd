"""The architecture as rules the build checks: layers (import-linter), no imports hidden inside functions
to get around them, and sizes a newcomer can read."""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tiaodu"
MODULE_LIMIT = 600  # lines
FUNCTION_LIMIT = 80  # lines
# Demo data (the speech's projects, units and people as literals) and migrations are data, not code.
SIZE_EXEMPT = {"tiaodu/demo/data.py"}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _app(module: str) -> str | None:
    parts = module.split("/")
    return parts[1] if len(parts) > 2 else None


def _imported(node) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and not node.level and node.module:
        return [node.module]
    return []


def _function_imports(tree):
    """(line, module) of every import inside a function body."""
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(func):
                for name in _imported(node):
                    yield node.lineno, name


def test_it_has_no_import_of_another_app_inside_a_function():
    hidden = []
    for module, tree in _modules():
        for line, name in _function_imports(tree):
            parts = name.split(".")
            if parts[0] == "tiaodu" and len(parts) > 1 and parts[1] != _app(module):
                hidden.append(f"{module}:{line} imports {name}")
    assert sorted(set(hidden)) == []


def test_it_keeps_modules_and_functions_small():
    too_big = []
    for module, tree in _modules():
        if module in SIZE_EXEMPT:
            continue
        lines = (ROOT / module).read_text(encoding="utf-8").count("\n")
        if lines > MODULE_LIMIT:
            too_big.append(f"{module}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_LIMIT:
                    too_big.append(f"{module}:{node.lineno} {node.name}: {length} lines")
    assert too_big == []


def test_it_lists_every_app_in_the_layer_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")["layers"]
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert {layer.removeprefix("tiaodu.") for layer in layers} == apps


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    tool = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(tool), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=300, env={"PATH": ""}
    )


@pytest.mark.parametrize(
    ("module", "line", "named"),
    [
        (
            "core/views.py",
            "from tiaodu.projects import selectors as _upward\n",
            "tiaodu.core.views -> tiaodu.projects",
        ),
        (
            "projects/services.py",
            "import tiaodu.progress.analysis as _upward\n",
            "tiaodu.projects.services -> tiaodu.progress",
        ),
        ("scheduling/engine.py", "import django.db as _impure\n", "tiaodu.scheduling.engine -> django"),
    ],
)
def test_it_fails_the_contracts_on_an_upward_or_impure_import(tmp_path, module, line, named):
    """A copy of the tree with one forbidden import breaks lint-imports; the tree as it is passes."""
    shutil.copytree(PACKAGE, tmp_path / "tiaodu", ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "tiaodu" / module
    target.write_text(target.read_text(encoding="utf-8") + "\n" + line, encoding="utf-8")
    broken = _lint_imports(tmp_path)
    assert broken.returncode != 0, broken.stdout
    assert named in broken.stdout


def test_it_keeps_the_contracts_on_the_tree_as_it_is():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
