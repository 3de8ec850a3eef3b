"""Hostile text in the data never runs and always shows as text: a throwaway copy of the book is
built from a data package whose text fields carry script tags, event handlers, MyST and Markdown
syntax, right-to-left and CJK text and a 10,000-character string, and read in Chromium.

Run after `make book` (it reuses the environment; `make test` runs it in order). Takes about a
minute: the copy's chapters are executed and built from scratch.
"""

from __future__ import annotations

import csv
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import chromium_executable

from alliance.data.paths import ROOT

SCRIPT = "<script>window.__pwned = 'script'</script>"
IMG = "<img src=x onerror=\"window.__pwned='img'\">"
MYST = "{glue:text}`n_events` **bold** [link](http://example.org) | pipe"
RTL = "مرحبا بالعالم"
CJK = "日本語と한국어"
LONG = "long-" + "x" * 9995
# Where each payload goes, and where the book shows it.
EVENT_ID = "ev-2024-u-japan-2-2-tokyo"  # in the timeline's tooltips and the source-agreement table
PARTNER = "PHL"  # the top transfer partner, glued into the industry chapter's prose
SOURCE = "choi2024asan"  # in the bibliography and every source line that cites it
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info", ".ruff_cache"
)
CHROMIUM = chromium_executable()


def _edit(path: Path, key: str, value: str, changes: dict[str, str]) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row[key] == value:
            row.update(changes)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "book"
    shutil.copytree(ROOT, root, ignore=COPY_IGNORE)
    data = root / "data"
    _edit(data / "events.csv", "event_id", EVENT_ID, {"title": f"{SCRIPT} {IMG}", "note": f"{MYST} {RTL} {LONG}"})
    _edit(data / "countries.csv", "country_code", PARTNER, {"name_en": f"{IMG} {MYST}", "name_ja": CJK})
    _edit(data / "sources.csv", "source_id", SOURCE, {"title": f"{SCRIPT} {RTL} {CJK}", "publisher": f"{IMG} Asan"})
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy's package, paths and data
    bin_dir = Path(sys.executable).parent
    steps = [
        [sys.executable, "-m", "alliance.build.validate"],
        [sys.executable, "-m", "alliance.build.execute", "--all"],
        [sys.executable, "-m", "alliance.build.site"],
        [str(bin_dir / "jupyter-book"), "build", ".", "--warningiserror", "--keep-going"],
    ]
    for step in steps:
        result = subprocess.run(step, cwd=root, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{' '.join(step[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    for folder in ("assets", "_generated/static"):
        for file in (root / folder).glob("*.*"):
            shutil.copy(file, root / "_build/html/_static" / file.name)
    return root / "_build" / "html"


@pytest.fixture(scope="module")
def pages(hostile_site):
    playwright = pytest.importorskip("playwright.sync_api")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(hostile_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        opened = {}
        for path in (
            "chapters/01_protection_to_projection.html",
            "chapters/04_industry_exports.html",
            "chapters/sources_list.html",
            "chapters/bibliography_official.html",
        ):
            page = browser.new_page()
            page.goto(f"{base}/{path}", wait_until="load")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.alliance-chart')].every(c => c.dataset.embedded === 'done')",
                timeout=20_000,
            )
            opened[path] = page
        yield opened
        browser.close()
    httpd.shutdown()


def test_no_injected_script_runs(pages):
    for path, page in pages.items():
        assert page.evaluate("() => window.__pwned") is None, path
        # No element was created from the payloads: only text.
        assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0, path


def test_text_appears_escaped_in_tables_and_glued_prose(pages):
    industry = pages["chapters/04_industry_exports.html"].inner_text("main")
    assert IMG in industry  # glued into prose and shown in the partner table, as text
    assert "{glue:text}`n_events`" in industry and "**bold**" in industry  # MyST and Markdown left alone
    projection = pages["chapters/01_protection_to_projection.html"].inner_text("main")
    assert SCRIPT in projection and IMG in projection  # the source-agreement table


def test_text_appears_escaped_in_the_bibliography(pages):
    # The brief is in the bibliography's first part, and in the list of all sources.
    for path in ("chapters/bibliography_official.html", "chapters/sources_list.html"):
        sources = pages[path].inner_text("main")
        assert "window.__pwned = 'script'" in sources, path
        assert RTL in sources and CJK in sources, path


def test_tooltip_shows_text_not_markup(pages):
    page = pages["chapters/01_protection_to_projection.html"]
    marks = page.locator(".alliance-chart-live svg [role='graphics-symbol'][aria-label*='__pwned']")
    assert marks.count() > 0  # the hostile event is drawn
    tooltip = page.locator("#vg-tooltip-element")
    shown = ""
    for i in range(marks.count()):
        mark = marks.nth(i)
        if "window.__pwned = 'script'" not in (mark.get_attribute("aria-label") or ""):
            continue
        try:
            mark.scroll_into_view_if_needed(timeout=2000)
            mark.hover(force=True, timeout=2000)
        except Exception:  # a mark outside the panel's visible domain cannot be hovered
            continue
        page.wait_for_timeout(100)
        shown = tooltip.inner_text() if tooltip.count() else ""
        if "window.__pwned" in shown:
            break
    assert "window.__pwned = 'script'" in shown
    assert tooltip.locator("img, script").count() == 0


def test_long_and_right_to_left_text_survive(hostile_site):
    html = (hostile_site / "chapters" / "05_command_control.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html
    events_page = (hostile_site / "chapters" / "01_protection_to_projection.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned" in events_page or "\\u003cscript\\u003ewindow.__pwned" in events_page
