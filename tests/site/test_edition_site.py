"""The edition in the built site: every page's footer names it, and the front page's citation
forms carry it, with the address and access date filled in by the page's script.

Run after `make book` (marker `site`; `make test` does both in order)."""

from __future__ import annotations

import functools
import html
import http.server
import threading
from datetime import date
from pathlib import Path

import pytest

from alliance.data import datapkg, edition
from alliance.data.paths import BUILD_DIR

pytestmark = pytest.mark.site
HTML_DIR = BUILD_DIR / "html"
CHROMIUM = "/usr/bin/chromium"


def pages() -> list[Path]:
    if not (HTML_DIR / "intro.html").exists():
        pytest.fail("no built site: run `make book` first")
    # index.html only redirects to the front page; _static holds template fragments.
    return sorted(
        p for p in HTML_DIR.rglob("*.html") if "_static" not in p.relative_to(HTML_DIR).parts and p.name != "index.html"
    )


def test_every_page_footer_shows_the_edition():
    line = edition.footer_text(edition.current(), datapkg.as_of())
    footer = f'<div class="extra_footer">\n  <p class="alliance-edition">{html.escape(line)}</p>'
    missing = [p.relative_to(HTML_DIR).as_posix() for p in pages() if footer not in p.read_text(encoding="utf-8")]
    assert len(pages()) > 10
    assert not missing, f"pages without the edition in their footer: {missing}"


def test_front_page_has_every_citation_form_with_its_no_script_text():
    text = (HTML_DIR / "intro.html").read_text(encoding="utf-8")
    forms = edition.citation_forms(edition.current(), datapkg.as_of())
    for name, form in forms.items():
        assert f"alliance-cite-{name}" in text
        assert html.escape(form, quote=False) in text, f"the {name} form is not on the front page as generated"


@pytest.fixture(scope="module")
def front_page():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/install-system-deps.sh")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(HTML_DIR))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/intro.html"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(url + "#how-to-cite", wait_until="load")
        blocks = {n: page.locator(f".alliance-cite-{n} pre").inner_text() for n in ("plain", "apa", "bibtex")}
        browser.close()
    httpd.shutdown()
    return url, blocks


def test_script_fills_the_address_and_access_date(front_page):
    url, blocks = front_page
    today = date.today()  # the test and the browser share a clock
    for name, text in blocks.items():
        assert url in text and "#how-to-cite" not in text, name
        assert edition.URL_PLACEHOLDER not in text and edition.DATE_PLACEHOLDER not in text, name
    assert f"accessed {edition.long_date(today)}." in blocks["plain"]
    assert f"Retrieved {today:%B} {today.day}, {today.year}, from {url}" in blocks["apa"]
    assert f"urldate = {{{today.isoformat()}}}" in blocks["bibtex"]
