"""The chapter runner: fingerprints decide staleness; failures leave notebooks untouched."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from alliance.build import execute
from alliance.data.paths import CHAPTERS_DIR, DATA_DIR, PACKAGE_DIR, ROOT


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
        f"from pathlib import Path\nfrom alliance.data.datapkg import _log_read\n"
        f"p = Path({str(data)!r})\n_log_read(p)\nprint(p.read_text().split()[1])",
    )
    execute.execute(path, root=tmp_path)
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
        execute.execute(path, root=tmp_path)
    assert path.read_bytes() == before


def test_check_reports_stored_errors(tmp_path):
    path = tmp_path / "err.ipynb"
    _notebook(path, "1/0")
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero")]
    assert execute.error_outputs(nb) == ["cell 0: ZeroDivisionError: division by zero"]


def test_a_chapter_records_the_modules_it_imports_and_only_those(tmp_path):
    """The fingerprint holds the package modules the kernel imported, logged as imported."""
    path = tmp_path / "nb.ipynb"
    _notebook(path, "from alliance.present.glue import ordinal\nprint(ordinal(2))")
    execute.execute(path, root=tmp_path)
    modules = execute.stored_inputs(nbformat.read(path, as_version=4))["modules"]
    assert set(modules) == {"alliance/__init__.py", "alliance/present/__init__.py", "alliance/present/glue.py"}


def test_editing_a_module_makes_stale_only_the_chapters_that_imported_it(tmp_path):
    """Editing the politics module re-runs the politics chapter, not a chapter that never used it."""
    package_root = tmp_path / "pkg"
    shutil.copytree(PACKAGE_DIR, package_root / "alliance", ignore=shutil.ignore_patterns("__pycache__"))
    path = tmp_path / "nb.ipynb"
    _notebook(path, "from alliance.present.glue import ordinal\nprint(ordinal(2))")
    execute.execute(path, root=tmp_path)
    assert execute.stale_reasons(path, root=tmp_path, package_root=package_root) == []
    politics = package_root / "alliance" / "analysis" / "politics.py"
    politics.write_text(politics.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert execute.stale_reasons(path, root=tmp_path, package_root=package_root) == []
    glue = package_root / "alliance" / "present" / "glue.py"
    glue.write_text(glue.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert execute.stale_reasons(path, root=tmp_path, package_root=package_root) == [
        "alliance/present/glue.py changed"
    ]


def test_every_chapter_records_its_modules_and_no_build_module():
    """A chapter never imports the build layer, and its fingerprint names what it imported."""
    for path in execute.chapter_notebooks():
        modules = execute.stored_inputs(nbformat.read(path, as_version=4))["modules"]
        assert "alliance/__init__.py" in modules, path.name
        assert not [m for m in modules if m.startswith("alliance/build/")], path.name
        assert all((ROOT / m).exists() for m in modules), path.name


def test_a_data_file_edited_while_the_notebook_runs_is_refused(tmp_path):
    """Fingerprints are taken when a file is read: an edit during the run is caught, not hidden."""
    data = tmp_path / "table.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    path = tmp_path / "nb.ipynb"
    _notebook(
        path,
        f"from pathlib import Path\nfrom alliance.data.datapkg import _log_read\n"
        f"p = Path({str(data)!r})\nraw = p.read_bytes()\n_log_read(p, raw)\n"
        f"p.write_text('a\\n2\\n')  # another editor saves the file while the chapter runs",
    )
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="table.csv changed while the notebook ran"):
        execute.execute(path, root=tmp_path)
    assert path.read_bytes() == before


def test_a_second_runner_on_the_same_notebook_stops_at_once(tmp_path):
    path = tmp_path / "nb.ipynb"
    _notebook(path, "1 + 1")
    before = path.read_bytes()
    with execute.notebook_lock(path):
        with pytest.raises(RuntimeError, match="another update is running on nb.ipynb"):
            execute.execute(path, root=tmp_path)
    assert path.read_bytes() == before
    execute.execute(path, root=tmp_path)  # free again once the first is done
    assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_a_notebook_saved_by_its_author_during_the_run_is_kept(tmp_path):
    path = tmp_path / "nb.ipynb"
    _notebook(
        path,
        f"from pathlib import Path\np = Path({str(path)!r})\n"
        "p.write_text(p.read_text().replace('1 + 1', '2 + 2'))  # the author saves an edit",
    )
    with pytest.raises(RuntimeError, match="was saved while it ran"):
        execute.execute(path, root=tmp_path)
    assert "2 + 2" in path.read_text(encoding="utf-8")


def test_hand_edited_outputs_make_a_notebook_stale(tmp_path):
    path = tmp_path / "nb.ipynb"
    _notebook(path, "print('16%')")
    execute.execute(path, root=tmp_path)
    assert execute.stale_reasons(path, root=tmp_path) == []
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].outputs[0]["text"] = "5%\n"
    nbformat.write(nb, path)
    assert execute.stale_reasons(path, root=tmp_path) == [
        "stored outputs differ from those the runner wrote (edited by hand?)"
    ]


def test_a_quoting_notebook_depends_on_the_values_it_quotes_not_the_prose(repo_copy):
    scorecard_nb = repo_copy / "chapters" / "10_scorecard.ipynb"
    quoted = repo_copy / "chapters" / "02_lattice.ipynb"
    assert execute.stale_reasons(scorecard_nb, root=repo_copy) == []
    nb = nbformat.read(quoted, as_version=4)
    prose = next(c for c in nb.cells if c.cell_type == "markdown" and not c.source.startswith("#"))
    prose.source += "\n\nA sentence added by an author."
    nbformat.write(nb, quoted)
    assert execute.stale_reasons(scorecard_nb, root=repo_copy) == []
    assert execute.stale_reasons(quoted, root=repo_copy) == []  # prose needs no re-run either
    glued = next(o for c in nb.cells for o in c.get("outputs", []) if o.get("metadata", {}).get("scrapbook"))
    mime = next(iter(glued["data"]))
    glued["data"][mime] = "'a different value'"
    nbformat.write(nb, quoted)
    assert "chapters/02_lattice.ipynb#glue changed" in execute.stale_reasons(scorecard_nb, root=repo_copy)


def test_a_rerun_with_nothing_changed_changes_no_byte(tmp_path):
    path = tmp_path / "nb.ipynb"
    _notebook(path, "print(1)")
    execute.execute(path, root=tmp_path)
    first = path.read_bytes()
    execute.execute(path, root=tmp_path)
    assert path.read_bytes() == first
    assert b"iopub.execute_input" not in first


def test_a_quoting_notebook_starts_when_what_it_quotes_is_done_and_only_if_it_changed(tmp_path, monkeypatch):
    """No barrier: 'quoting' waits for 'quoted' alone, not for the slow unrelated notebook, and is
    skipped when the re-run left the values it quotes unchanged."""
    import threading
    import time as clock

    paths = {}
    for name in ("quoted", "slow", "quoting"):
        paths[name] = (tmp_path / f"{name}.ipynb").resolve()
        _notebook(paths[name], "1")
    nb = nbformat.read(paths["quoting"], as_version=4)
    nb.metadata[execute.METADATA_KEY] = {"inputs": {"data": {"quoted.ipynb#glue": "x"}}}
    nbformat.write(nb, paths["quoting"])
    monkeypatch.setattr(execute, "ROOT", tmp_path.resolve())
    monkeypatch.setattr(execute, "DURATIONS", tmp_path / "durations.json")
    log, lock = [], threading.Lock()

    def fake_execute(path, *args, **kwargs):
        with lock:
            log.append(("start", path.stem))
        clock.sleep({"slow": 1.0}.get(path.stem, 0.1))
        with lock:
            log.append(("end", path.stem))
        return 0.1

    monkeypatch.setattr(execute, "execute", fake_execute)
    original = execute.quoted_chapters
    monkeypatch.setattr(execute, "quoted_chapters", lambda p, among, root=None: original(p, among, tmp_path.resolve()))
    assert execute.run(list(paths.values()), force=True, workers=2) == 0
    assert log.index(("start", "quoting")) < log.index(("end", "slow"))  # no wave barrier
    assert log.index(("end", "quoted")) < log.index(("start", "quoting"))

    log.clear()
    stale = {"quoted": ["data changed"], "slow": [], "quoting": []}  # quoting's values unchanged
    monkeypatch.setattr(execute, "stale_reasons", lambda p, *a, **k: stale[p.stem])
    assert execute.run(list(paths.values()), force=False, workers=2) == 0
    assert ("start", "quoting") not in log and ("start", "quoted") in log


def test_a_notebook_waiting_on_a_skipped_one_still_gets_its_turn(tmp_path, monkeypatch):
    """Editing the politics module stopped `make update` with 'notebooks quote each other': a
    quoting notebook whose last pending dependency was skipped (values unchanged) was never
    looked at again. Chain: changed <- middle (skipped) <- last (skipped in turn)."""
    paths = {}
    for name in ("changed", "middle", "last"):
        paths[name] = (tmp_path / f"{name}.ipynb").resolve()
        _notebook(paths[name], "1")
    for name, quotes in (("middle", ["changed"]), ("last", ["changed", "middle"])):
        nb = nbformat.read(paths[name], as_version=4)
        nb.metadata[execute.METADATA_KEY] = {"inputs": {"data": {f"{q}.ipynb#glue": "x" for q in quotes}}}
        nbformat.write(nb, paths[name])
    monkeypatch.setattr(execute, "ROOT", tmp_path.resolve())
    monkeypatch.setattr(execute, "DURATIONS", tmp_path / "durations.json")
    ran = []
    monkeypatch.setattr(execute, "execute", lambda path, *a, **k: ran.append(path.stem) or 0.1)
    original = execute.quoted_chapters
    monkeypatch.setattr(execute, "quoted_chapters", lambda p, among, root=None: original(p, among, tmp_path.resolve()))
    stale = {"changed": ["alliance/analysis/politics.py changed"], "middle": [], "last": []}
    monkeypatch.setattr(execute, "stale_reasons", lambda p, *a, **k: stale[p.stem])
    assert execute.run(list(paths.values()), force=False, workers=2) == 0
    assert ran == ["changed"]
