"""The PDF edition, read back as a reader's tools would: text, images, pages.

Run after `make pdf` and `make book` (`make test` does both in order)."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from docutils import nodes

from alliance.build import sphinx_ext
from alliance.data import edition
from alliance.data.datapkg import as_of, load_table
from alliance.data.paths import BUILD_DIR, ROOT

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


@pytest.fixture(scope="module")
def raw_text() -> str:
    """The text in content-stream order: a wrapped table cell's lines stay together, cell after
    cell along the row (-layout interleaves the lines of neighbouring cells)."""
    if not PDF.exists():
        pytest.fail("no PDF: run `make pdf` first")
    return run("pdftotext", "-raw", str(PDF), "-")


def chapter_titles() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    titles = []
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            page = ROOT / f"{chapter['file']}.ipynb"
            if page.exists():
                first = nbformat.read(page, as_version=4).cells[0].source
            else:  # a Markdown page (the bibliography's parts)
                first = (ROOT / f"{chapter['file']}.md").read_text(encoding="utf-8")
            heading = next(line for line in first.splitlines() if line.startswith("# "))
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


# --- Tables: every cell of every HTML table is printed, whole --------------------------------

# Compared with all whitespace removed (a cell wraps inside its column wherever LaTeX breaks
# the line) and all hyphens removed: LaTeX adds a hyphen where it splits a word at a line end,
# and a real hyphen can fall at a line end too, so the two cannot be told apart in the text.
# NFKC folds ligatures (ﬁ) and full-width forms; curly quotes are compared as straight ones.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _squeeze(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).translate(_QUOTES)
    return re.sub(r"[\s\-\u2010\u00ad]+", "", value)


def _unmarkdown(value: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", value)


def _unprinted_tables() -> dict[str, str]:
    """{table label: the sentence printed instead} for tables too long to print (print_text):
    their Markdown output, which the PDF builder renders, holds no table rows."""
    found = {}
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                html, markdown = data.get("text/html", ""), data.get("text/markdown", "")
                if 'class="alliance-table"' in html and markdown and "|---" not in markdown:
                    label = BeautifulSoup(html, "html.parser").select_one("table.alliance-table")["aria-label"]
                    found[label] = _unmarkdown(markdown)
    return found


def html_tables():
    """(page, label, rows as lists of cell texts) for every data table in the chapters."""
    for page in sorted((HTML_DIR / "chapters").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for table in soup.select("table.alliance-table"):
            rows = [[cell.get_text(" ") for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]
            yield page.name, table.get("aria-label", ""), rows


def test_every_table_cell_is_in_the_pdf(raw_text):
    """Each row's cells, in order, appear in the PDF text: a cell cut short ('242' as '24'),
    clipped at the page edge or lost from a too-narrow column breaks its row's sequence."""
    flat = _squeeze(raw_text)
    unprinted = _unprinted_tables()
    missing, checked = [], 0
    for page, label, rows in html_tables():
        if label in unprinted:
            assert _squeeze(unprinted[label]) in flat, f"{page}: {label}: the print text is missing"
            continue
        for row in rows:
            checked += 1
            if _squeeze("".join(row)) not in flat:
                cells = [cell for cell in row if _squeeze(cell) not in flat]
                missing.append(f"{page}: {label}: {row[:3]}... cells not found: {cells or 'order broken'}")
    assert checked > 100
    assert not missing, f"{len(missing)} table rows not printed whole:\n" + "\n".join(missing[:30])


def test_no_text_runs_off_the_page():
    """Every word lies inside the page, 20 pt clear of its edges (tables used to run off)."""
    soup = BeautifulSoup(run("pdftotext", "-bbox", str(PDF), "-"), "html.parser")
    pages = soup.find_all("page")
    info = run("pdfinfo", "-f", "1", "-l", str(len(pages)), str(PDF))
    rotated = {int(n) for n, rot in re.findall(r"^Page\s+(\d+) rot:\s+(\d+)", info, flags=re.M) if rot in ("90", "270")}
    outside = []
    for number, page in enumerate(pages, start=1):
        width, height = float(page["width"]), float(page["height"])
        if number in rotated:  # a landscape page: words are given in its turned frame
            width, height = height, width
        for word in page.find_all("word"):
            box = [float(word[k]) for k in ("xmin", "ymin", "xmax", "ymax")]
            if box[0] < 20 or box[1] < 20 or box[2] > width - 20 or box[3] > height - 20:
                outside.append(f"page {number}: {word.get_text()!r} at {box}")
    assert not outside, "\n".join(outside[:20])


def test_table_layout_never_narrows_a_column_below_its_longest_value():
    columns = [(6 * sphinx_ext.CHAR_EM, 30 * sphinx_ext.CHAR_EM)] * 13 + [(0.6, 0.6)]
    (landscape, size, font_pt, pad), widths = sphinx_ext.table_layout(columns)
    assert size  # fourteen columns do not fit at the body size
    for (minimum, _), width in zip(columns, widths, strict=True):
        assert width >= minimum * font_pt + 2 * pad - 1e-6
    assert sum(widths) == pytest.approx(sphinx_ext.LANDSCAPE_PT if landscape else sphinx_ext.PORTRAIT_PT)


# --- Korean word spaces, spaces after quotes, escaped punctuation -------------------------

_HANGUL = re.compile(r"[\uac00-\ud7af]")


def test_korean_words_keep_their_spaces(text):
    """xeCJK drops the space between two CJK characters unless CJKspace is on."""
    titles = [t for t in load_table("sources")["title"].dropna() if _HANGUL.search(t)]
    phrases = []
    for title in titles:
        words = title.split()
        phrases += [
            f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if _HANGUL.search(a[-1]) and _HANGUL.search(b[0])
        ]
    assert phrases, "no Korean title with spaces between Korean words"
    flat = " ".join(text.split())
    found = [phrase for phrase in phrases if phrase in flat]
    # Some titles write a pair without a space ('전년대비' beside '전년 대비'): those may print so.
    written_glued = " ".join(titles)
    glued = [p for p in phrases if p.replace(" ", "") in flat and p.replace(" ", "") not in written_glued]
    assert found, f"none of {phrases[:5]} printed with its space"
    assert not glued, f"printed without their spaces: {glued[:5]}"


def test_a_space_follows_closing_quotes(text):
    """xeCJK took curly quotes for CJK punctuation and ate the space after them."""
    pairs = set()
    for page in sorted((HTML_DIR / "chapters").glob("*.html")):
        body = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text(" ")
        pairs |= set(re.findall(r"\w[\u2019\u201d] \w+", body))
    flat = " ".join(text.split())
    glued = sorted(pair for pair in pairs if pair.replace(" ", "", 1) in flat)
    spaced = [pair for pair in pairs if pair in flat]
    assert spaced, "no closing quote followed by a word found in the PDF"
    assert not glued, f"no space after the closing quote: {glued[:10]}"


def test_no_escaped_punctuation_in_the_text(text):
    """A backslash before punctuation ('\\$56 billion') is an escape that reached the page."""
    escaped = re.findall(r".{0,30}\\[!-/:-@\[-`{-~].{0,30}", text)
    assert not escaped, escaped[:10]


# --- Screen-only instructions ---------------------------------------------------------------

# Instructions a printed page cannot follow.
SCREEN_INSTRUCTIONS = re.compile(
    r"\b(?:hover(?:ing)?|tap(?:s|ping)?\s+(?:a|an|the|on)|click(?:s|ing)?|scroll(?:s|ing)?|zoom(?:s|ed|ing)?"
    r"|pann?(?:ed|ing)|drag(?:s|ging)?)\b",
    flags=re.IGNORECASE,
)


def test_no_screen_instruction_reaches_the_pdf(text):
    """Captions and notes for a screen ('Hover a dot for ...') are written {screen}`...` (with
    {print}`...` for the printed wording); the LaTeX builder drops them."""
    flat = " ".join(text.split())
    found = [flat[max(0, m.start() - 60) : m.end() + 40] for m in SCREEN_INSTRUCTIONS.finditer(flat)]
    assert not found, f"{len(found)} screen instructions in the PDF:\n" + "\n".join(found)


def _doctree_with_both_media():
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("Japan's budget by year. ")
    paragraph += nodes.inline("", "Hover a bar for details.", classes=[sphinx_ext.SCREEN_CLASS])
    paragraph += nodes.inline("", "The table below gives each value.", classes=[sphinx_ext.PRINT_CLASS])
    document = nodes.section()
    document += paragraph
    return document


@pytest.mark.parametrize(
    ("medium", "kept", "dropped"),
    [("latex", "The table below", "Hover"), ("html", "Hover", "The table below")],
)
def test_screen_and_print_roles_keep_only_their_medium(medium, kept, dropped):
    doctree = _doctree_with_both_media()
    sphinx_ext._drop_other_medium(SimpleNamespace(builder=SimpleNamespace(format=medium)), doctree, "x")
    assert kept in doctree.astext() and dropped not in doctree.astext()


# --- Figures near their text -------------------------------------------------------------------

A4_HEIGHT_IN = 11.69
MIN_TEXT_LINES = 5


def test_no_figure_is_left_on_a_near_empty_page():
    """A page with a chart carries at least five lines of other text, unless the chart fills
    over half the page. Floated figures ended up alone on pages far from their text.

    Charts are PNG images: `pdfimages -list` gives each one's page, pixel height and
    resolution, hence its printed height; `pdftotext -layout` of the page gives its text lines,
    less the running header and the page footer."""
    listing = run("pdfimages", "-list", str(PDF)).splitlines()[2:]
    tallest: dict[int, float] = {}
    for line in listing:
        fields = line.split()
        if fields[2] != "image":
            continue
        page, height_px, y_ppi = int(fields[0]), int(fields[4]), float(fields[13])
        tallest[page] = max(tallest.get(page, 0.0), height_px / y_ppi)
    lonely = []
    for page, height_in in sorted(tallest.items()):
        if height_in > A4_HEIGHT_IN / 2:
            continue
        page_text = run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(PDF), "-")
        lines = [line for line in page_text.splitlines() if line.strip()]
        body = lines[1:-1]  # the running header and the footer
        if len(body) < MIN_TEXT_LINES:
            lonely.append(f"page {page}: {len(body)} lines of text beside a {height_in:.1f} in figure")
    assert tallest
    assert not lonely, "\n".join(lonely)


# --- Title page -----------------------------------------------------------------------------


def test_title_page_has_edition_date_as_of_and_citation():
    first = " ".join(run("pdftotext", "-f", "1", "-l", "1", str(PDF), "-").split())
    current = edition.current()
    assert f"Edition {current.version}, released {current.released:%-d %B %Y}" in first
    assert f"Data as of {as_of():%d %B %Y}" in first
    assert "Cite as: " + sphinx_ext.citation_line(current, as_of()) in first
    if current.repository:
        assert current.repository in first
    else:  # no placeholder for an address CITATION.cff does not give
        assert "Repository" not in first


def test_title_page_prints_the_repository_only_when_given():
    current = replace(edition.current(), repository=None)
    assert "Repository" not in sphinx_ext.title_page(current, date(2026, 1, 1))
    given = replace(current, repository="https://example.org/alliance_report")
    assert r"\url{https://example.org/alliance_report}" in sphinx_ext.title_page(given, date(2026, 1, 1))
