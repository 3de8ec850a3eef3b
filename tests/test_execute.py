"""The chapter runner: fingerprints decide staleness; failures leave notebooks untouched."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from alliance import execute
from alliance.paths import CHAPTERS_DIR, DATA_DIR, PACKAGE_DIR


def test_every_chapter_is_current_with_its_inputs():
    for path in execute.chapter_notebooks():
        assert execute.stale_reasons(path) == [], path.name
        assert execute.error_outputs(nbformat.read(path, as_version=4)) == [], path.name


def test_every_chapter_records_the_data_it_reads():
    for path in execute.chapter_notebooks():
        inputs = execute.stored_inputs(nbformat.read(path, as_version=4))
        assert "data/datapackage.json" in inputs["data"], path.name
        # Chapters read data; the scorecard also reads the chapters whose results it quotes.
        allowed = ("data/", "chapters/") if execute.reads_other_chapters(path) else ("data/",)
        assert all(name.startswith(allowed) for name in inputs["data"]), path.name


@pytest.fixture
def repo_copy(tmp_path):
    """The chapters and data in a scratch root, so a data file can be changed safely."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    shutil.copytree(CHAPTERS_DIR, tmp_path / "chapters")
    return tmp_path


def test_changing_a_data_file_makes_the_chapter_stale(repo_copy):
    chapter = repo_copy / "chapters" / "01_protection_to_projection.ipynb"
    assert execute.stale_reasons(chapter, root=repo_copy) == []
    events = repo_copy / "data" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("Treaty", "Pact", 1), encoding="utf-8")
    assert execute.stale_reasons(chapter, root=repo_copy) == ["data/events.csv changed"]


def test_editing_code_cells_makes_a_chapter_stale(repo_copy):
    chapter = repo_copy / "chapters" / "01_protection_to_projection.ipynb"
    nb = nbformat.read(chapter, as_version=4)
    next(c for c in nb.cells if c.cell_type == "code").source += "\n# changed"
    nbformat.write(nb, chapter)
    assert "code cells changed" in execute.stale_reasons(chapter, root=repo_copy)


def _notebook(path, code: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nbformat.write(nb, path)


def test_execute_records_reads_and_detects_change(tmp_path):
    data = tmp_path / "table.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    unread = tmp_path / "other.csv"
    unread.write_text("b\n1\n", encoding="utf-8")
    path = tmp_path / "nb.ipynb"
    _notebook(
        path,
        f"from pathlib import Path\nfrom alliance.datapkg import _log_read\n"
        f"p = Path({str(data)!r})\n_log_read(p)\nprint(p.read_text().split()[1])",
    )
    execute.execute(path, root=tmp_path, package_dir=PACKAGE_DIR)
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].outputs[0]["text"] == "1\n"
    assert list(execute.stored_inputs(nb)["data"]) == ["table.csv"]
    assert execute.stale_reasons(path, root=tmp_path) == []
    unread.write_text("b\n2\n", encoding="utf-8")  # a file the notebook never read
    assert execute.stale_reasons(path, root=tmp_path) == []
    data.write_text("a\n2\n", encoding="utf-8")
    assert execute.stale_reasons(path, root=tmp_path) == ["table.csv changed"]


def test_a_failing_notebook_is_left_untouched(tmp_path):
    path = tmp_path / "bad.ipynb"
    _notebook(path, "raise ValueError('broken data')")
    before = path.read_bytes()
    with pytest.raises(Exception, match="broken data"):
        execute.execute(path, root=tmp_path, package_dir=PACKAGE_DIR)
    assert path.read_bytes() == before


def test_check_reports_stored_errors(tmp_path):
    path = tmp_path / "err.ipynb"
    _notebook(path, "1/0")
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero")]
    assert execute.error_outputs(nb) == ["cell 0: ZeroDivisionError: division by zero"]


def test_build_only_modules_are_not_imported_by_chapters():
    """The fingerprint may skip these modules only if no chapter imports them."""
    for path in execute.chapter_notebooks():
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        for module in execute.BUILD_ONLY_MODULES:
            assert f"alliance.{module[:-3]}" not in code and f"import {module[:-3]}" not in code, (path.name, module)


def test_package_digest_ignores_build_only_modules(tmp_path):
    pkg = tmp_path / "alliance"
    pkg.mkdir()
    (pkg / "charts.py").write_text("A = 1\n")
    (pkg / "validate.py").write_text("B = 1\n")
    before = execute.package_digest(pkg)
    (pkg / "validate.py").write_text("B = 2\n")
    assert execute.package_digest(pkg) == before
    (pkg / "charts.py").write_text("A = 2\n")
    assert execute.package_digest(pkg) != before
