"""Imports between the lienket apps flow one way (docs/CONVENTIONS.md, "Dependencies"):

    core ← regions ← conferences ← users ← reporting ← demo

An app may import itself and the apps listed before it, never one listed after it. `lienket.demo` orchestrates
the sample data and may import everything. Tests and migrations are not checked. Every import counts: module
level, inside a function, `if TYPE_CHECKING:`, absolute or relative.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "lienket"

# Lowest layer first. An app may import the apps before it (and itself).
LAYERS: list[str] = ["core", "search", "regions", "conferences", "users", "library", "reporting", "demo"]
# Not domain apps: templates and static files only, no Python modules to check.
NOT_APPS = {"templates", "static"}


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Every module `path` imports, as absolute dotted names, with the line of the import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            # `from lienket import users` or `from . import services` name modules in the imported names.
            found.append((node.lineno, module))
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names if alias.name != "*")
    return found


def _checked_files() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if "tests" not in p.relative_to(ROOT).parts and "migrations" not in p.relative_to(ROOT).parts
    )


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "lienket":
        return parts[1]
    return None


def _wrong_arrows() -> list[str]:
    wrong: dict[tuple[str, int, str | None], str] = {}
    for path in _checked_files():
        app = _app_of(_module_name(path))
        if app is None or app not in LAYERS:
            continue
        allowed = set(LAYERS[: LAYERS.index(app) + 1])
        for line, module in _imported_modules(path):
            target = _app_of(module)
            if target is None or target in NOT_APPS:
                continue
            where = str(path.relative_to(ROOT.parent))
            if target not in LAYERS:
                # An app missing from LAYERS would be unconstrained: name it there first.
                wrong.setdefault((where, line, target), f"{where}:{line} imports {module} (app not in LAYERS)")
            elif target not in allowed:
                wrong.setdefault((where, line, target), f"{where}:{line} imports {module} ({app} → {target})")
    return [wrong[key] for key in sorted(wrong)]


def test_every_app_is_in_the_layer_list() -> None:
    apps = {p.parent.name for p in ROOT.glob("*/__init__.py")} | {
        p.name for p in ROOT.iterdir() if p.is_dir() and any(p.glob("*.py"))
    }
    assert apps - NOT_APPS <= set(LAYERS), f"add {sorted(apps - NOT_APPS - set(LAYERS))} to LAYERS"


def test_imports_between_apps_point_down_the_layers() -> None:
    wrong = _wrong_arrows()
    assert not wrong, "imports against the layer order " + " ← ".join(LAYERS) + ":\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("source", "path", "expected"),
    [
        ("from lienket.users.models import User", "core/audit.py", "lienket.users.models"),
        ("from ..users import permissions", "core/audit.py", "lienket.users.permissions"),
        ("from . import context", "core/audit.py", "lienket.core.context"),
        ("def f():\n    import lienket.reporting.models\n", "regions/loader.py", "lienket.reporting.models"),
        ("from .. import users", "core/__init__.py", "lienket.users"),
    ],
)
def test_the_checker_sees_every_kind_of_import(tmp_path: Path, source: str, path: str, expected: str) -> None:
    # given a module written in one of the import styles (relative, function level, package import)
    root = tmp_path / "lienket"
    target = root / path
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    # when its imports are collected
    modules = {module for _, module in _imported_modules(target, root)}
    # then the absolute module name is among them
    assert expected in modules
