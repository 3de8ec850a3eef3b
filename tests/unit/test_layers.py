"""The package's layers and their one-way import rule (see alliance/__init__.py)."""

from __future__ import annotations

import ast

import nbformat

from alliance.data.paths import CHAPTERS_DIR, PACKAGE_DIR

LAYERS = ("data", "present", "analysis", "build")
# What each layer may import from the package. A chapter imports data, present and analysis.
ALLOWED = {
    "data": {"data"},
    "present": {"data", "present"},
    "analysis": {"data", "present", "analysis"},
    "build": {"data", "present", "build"},
    "chapter": {"data", "present", "analysis"},
}


def imported_layers(source: str) -> set[str]:
    """The package layers a piece of code imports, at any depth (function-level imports too)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "alliance" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_module_lives_in_a_layer():
    flat = [p.name for p in PACKAGE_DIR.glob("*.py") if p.name != "__init__.py"]
    assert flat == []
    assert sorted(p.name for p in PACKAGE_DIR.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(LAYERS)


def test_each_layer_imports_only_what_it_may():
    broken = []
    for layer in LAYERS:
        for path in sorted((PACKAGE_DIR / layer).rglob("*.py")):
            for other in imported_layers(path.read_text(encoding="utf-8")) - ALLOWED[layer]:
                broken.append(f"{path.relative_to(PACKAGE_DIR.parent)} imports alliance.{other}")
    assert broken == []


def test_no_chapter_imports_the_build_layer():
    broken = []
    for path in sorted(CHAPTERS_DIR.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for other in imported_layers(cell.source) - ALLOWED["chapter"]:
                    broken.append(f"{path.name} imports alliance.{other}")
    assert broken == []


def test_the_rule_check_catches_a_forbidden_import():
    assert imported_layers("def f():\n    from alliance.analysis import politics\n") == {"analysis"}
    assert imported_layers("import alliance.build.site as s") == {"build"}
    assert "analysis" not in ALLOWED["build"] and "build" not in ALLOWED["chapter"]


def test_no_selection_searches_titles():
    """Which events a chapter follows is data (event_threads.csv), not a pattern over titles."""
    found = []
    for path in sorted((PACKAGE_DIR / "analysis").glob("*.py")):
        if '["title"].str.contains' in path.read_text(encoding="utf-8"):
            found.append(path.name)
    for path in sorted(CHAPTERS_DIR.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and '["title"].str.' in cell.source:
                found.append(path.name)
    assert found == []
