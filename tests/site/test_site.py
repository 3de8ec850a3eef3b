"""The built site, as a reader's browser would load it: nothing from the network, every chart
with its static fallback and spec, every page of the table of contents present.

Run after `make book` (marker `site`; `make test` does both in order)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from alliance.data.paths import BUILD_DIR, ROOT

pytestmark = pytest.mark.site
HTML_DIR = BUILD_DIR / "html"
# Attributes through which a page loads something (a link's href is navigation, not loading,
# except on <link>, which loads stylesheets, icons and fonts).
LOADING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "link": "href",
}
EXTERNAL = re.compile(r"^(https?:)?//", re.I)


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.charts: list[str] = []
        self.static_images: list[str] = []
        self.specs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in LOADING and attrs.get(LOADING[tag]):
            self.loads.append((tag, attrs[LOADING[tag]]))
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "alliance-chart" in classes:
            self.charts.append(attrs.get("id", ""))
            assert attrs.get("aria-label"), "a chart without a text alternative"
        if tag == "img" and "alliance-chart-static" in classes:
            self.static_images.append(attrs.get("src", ""))
            assert attrs.get("alt"), "a static chart image without alt text"
        if tag == "script" and "alliance-chart-spec" in classes:
            self.specs.append(attrs.get("data-chart", ""))


def pages() -> list[Path]:
    if not HTML_DIR.is_dir():
        pytest.fail("no built site: run `make book` first")
    # _static holds the theme's template fragments, not pages.
    return sorted(p for p in HTML_DIR.rglob("*.html") if "_static" not in p.relative_to(HTML_DIR).parts)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def toc_documents() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]]
    for part in toc.get("parts", []):
        docs += [chapter["file"] for chapter in part["chapters"]]
    return docs


def test_every_toc_document_is_built():
    for doc in toc_documents():
        assert (HTML_DIR / f"{doc}.html").is_file(), doc


@pytest.mark.parametrize("path", pages(), ids=lambda p: str(p.relative_to(HTML_DIR)))
def test_page_loads_nothing_from_the_network(path):
    external = [(tag, url) for tag, url in parse(path).loads if EXTERNAL.match(url)]
    assert external == []


@pytest.mark.parametrize("path", pages(), ids=lambda p: str(p.relative_to(HTML_DIR)))
def test_page_local_resources_exist(path):
    for tag, url in parse(path).loads:
        if url.startswith(("data:", "#")):
            continue
        target = (path.parent / url.split("?")[0].split("#")[0]).resolve()
        assert target.is_file(), f"{tag} loads {url}, which is not in the site"


@pytest.mark.parametrize("path", pages(), ids=lambda p: str(p.relative_to(HTML_DIR)))
def test_every_chart_has_static_fallback_and_spec(path):
    page = parse(path)
    assert len(page.static_images) == len(page.charts)
    assert all(src.startswith("data:image/svg+xml;base64,") for src in page.static_images)
    assert sorted(page.specs) == sorted(page.charts)


def test_chart_scripts_are_in_the_site():
    static = HTML_DIR / "_static"
    bundle = (static / "vega-bundle.js").read_text(encoding="utf-8")
    assert "window.vegaEmbed" in bundle
    assert (static / "alliance-charts.js").is_file()


def test_first_chapter_has_its_timeline_and_tables():
    page = parse(HTML_DIR / "chapters" / "01_protection_to_projection.html")
    assert len(page.charts) >= 1
    text = (HTML_DIR / "chapters" / "01_protection_to_projection.html").read_text(encoding="utf-8")
    assert text.count('class="alliance-table"') >= 3
    assert "fig-timeline" in page.ids


def test_no_page_uses_mathjax_or_unresolved_glue():
    for path in pages():
        text = path.read_text(encoding="utf-8")
        assert "mathjax" not in text.lower(), path.name
        assert "pasted-text" not in text or "??" not in text, path.name


def test_front_page_states_as_of_date():
    from alliance.data.datapkg import as_of

    text = (HTML_DIR / "intro.html").read_text(encoding="utf-8")
    assert f"{as_of():%d %B %Y}" in text


def test_stylesheets_and_scripts_load_nothing_from_the_network():
    """Fonts and images referenced from CSS, and imports in scripts, must be local too."""
    css_url = re.compile(r"""url\(\s*['"]?((?:https?:)?//[^'")\s]+)""", re.I)
    js_import = re.compile(r"""\bimport\s*\(?\s*['"]((?:https?:)?//[^'"]+)""")
    found = []
    for path in HTML_DIR.rglob("*.css"):
        found += [(path.name, u) for u in css_url.findall(path.read_text(encoding="utf-8", errors="replace"))]
    for path in HTML_DIR.rglob("*.js"):
        found += [(path.name, u) for u in js_import.findall(path.read_text(encoding="utf-8", errors="replace"))]
    assert found == []
