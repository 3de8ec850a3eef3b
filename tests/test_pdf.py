"""The PDF edition, read back as a reader's tools would: text, images, pages.

Run after `make pdf` and `make book` (`make test` does both in order)."""

from __future__ import annotations

import re
import subprocess

import nbformat
import pytest
import yaml

from alliance.datapkg import as_of, load_table
from alliance.paths import BUILD_DIR, ROOT

PDF = BUILD_DIR / "latex" / "alliance-report.pdf"
LOG = BUILD_DIR / "latex" / "alliance-report.log"
HTML_DIR = BUILD_DIR / "html"
# The book is about 80 pages with these chapters; far fewer means chapters went missing, far
# more means a table or figure broke across many pages.
PAGE_RANGE = (40, 250)


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def text() -> str:
    if not PDF.exists():
        pytest.fail("no PDF: run `make pdf` first")
    return run("pdftotext", "-layout", str(PDF), "-")


def chapter_titles() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    titles = []
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            nb = nbformat.read(ROOT / f"{chapter['file']}.ipynb", as_version=4)
            heading = next(line for line in nb.cells[0].source.splitlines() if line.startswith("# "))
            titles.append(heading[2:].strip())
    return titles


def test_latex_log_has_no_errors_or_missing_glyphs():
    log = LOG.read_text(encoding="utf-8", errors="replace")
    assert not re.findall(r"^! .*", log, flags=re.M)
    assert "Missing character" not in log


def _normal(text: str) -> str:
    # LaTeX sets typographic apostrophes; compare words, not quote glyphs.
    return " ".join(text.replace("\u2019", "'").split()).casefold()


def test_every_chapter_title_is_in_the_pdf(text):
    flat = _normal(text)
    for title in chapter_titles():
        assert _normal(title) in flat, title


def test_japanese_and_korean_text_survive(text):
    countries = load_table("countries")
    japan = countries.set_index("country_code").loc["JPN"]
    assert japan["name_ja"] in text
    assert japan["name_ko"] in text


def test_title_page_states_the_as_of_date():
    first = run("pdftotext", "-f", "1", "-l", "1", str(PDF), "-")
    assert f"Data as of {as_of():%d %B %Y}" in first


def test_every_html_chart_has_an_image_in_the_pdf():
    charts = sum(
        page.read_text(encoding="utf-8").count('class="alliance-chart"')
        for page in (HTML_DIR / "chapters").glob("*.html")
    )
    listing = run("pdfimages", "-list", str(PDF)).splitlines()[2:]
    images = [line for line in listing if line.split()[2] == "image"]
    assert charts > 0
    assert len(images) >= charts


def test_page_count_in_range():
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(PDF)), flags=re.M).group(1))
    assert PAGE_RANGE[0] <= pages <= PAGE_RANGE[1]


def test_site_offers_the_pdf():
    assert (HTML_DIR / "alliance-report.pdf").read_bytes() == PDF.read_bytes()
    assert 'href="alliance-report.pdf"' in (HTML_DIR / "intro.html").read_text(encoding="utf-8")
