"""The build itself: a clean and an incremental build write the same pages, and the site offers a
PDF only when that PDF was built from the current sources. Builds a scratch copy of the
repository (about a minute), so the main `_build` other tests read is left alone."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alliance.build import site
from alliance.data.paths import ROOT

JUPYTER_BOOK = str(Path(sys.executable).with_name("jupyter-book"))
JB = [JUPYTER_BOOK, "build", ".", "--warningiserror", "--nitpick", "--keep-going"]


def _build(root) -> None:
    env = {**os.environ, "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, "-m", "alliance.build.site"], cwd=root, env=env, check=True, capture_output=True)
    done = subprocess.run(JB, cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def _differences(a, b) -> list[str]:
    found = []
    cmp = filecmp.dircmp(a, b, ignore=[".buildinfo", ".doctrees"])
    stack = [cmp]
    while stack:
        c = stack.pop()
        found += [f"{c.left}/{n}" for n in c.left_only + c.right_only]
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        found += [f"{c.left}/{n}" for n in mismatch + errors]
        stack += list(c.subdirs.values())
    return found


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, root / name)
    return root


def test_an_incremental_build_writes_the_same_pages_as_a_clean_one(scratch):
    _build(scratch)
    clean = scratch.parent / "clean-html"
    shutil.copytree(scratch / "_build" / "html", clean)
    for page in ("intro.md", "chapters/02_lattice.ipynb"):
        (scratch / page).touch()
    _build(scratch)
    assert _differences(clean, scratch / "_build" / "html") == []


def test_a_site_without_a_current_pdf_does_not_link_to_one(scratch):
    if not (scratch / "_build" / "html" / "index.html").exists():
        _build(scratch)
    front = (scratch / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="alliance-report.pdf"' not in front
    assert not (scratch / "_build" / "html" / "alliance-report.pdf").exists()


def test_only_a_pdf_built_from_the_current_sources_is_published(tmp_path):
    root = tmp_path / "repo"
    (root / "chapters").mkdir(parents=True)
    (root / "chapters" / "01.ipynb").write_text("{}", encoding="utf-8")
    pdf, stamp, html = tmp_path / "book.pdf", tmp_path / "book.inputs", tmp_path / "html"
    html.mkdir()
    pdf.write_bytes(b"%PDF-1.5 old")
    assert "no current PDF" in site.publish_pdf(html, pdf, stamp, root)  # never stamped
    site.stamp_pdf(pdf, stamp, root)
    assert site.publish_pdf(html, pdf, stamp, root) == "PDF edition copied into the site"
    assert (html / pdf.name).read_bytes() == b"%PDF-1.5 old"
    (root / "chapters" / "01.ipynb").write_text('{"changed": 1}', encoding="utf-8")  # outputs moved on
    assert "no current PDF" in site.publish_pdf(html, pdf, stamp, root)
    assert not (html / pdf.name).exists()  # the stale copy an earlier build left is removed
