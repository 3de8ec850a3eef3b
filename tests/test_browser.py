"""The built site in a real browser (Debian's Chromium driven by Playwright), as a reader sees it.

For every page: no console errors, no request leaving the local server, every chart drawn with
marks, a tooltip on hover for each interactive chart, no critical or serious axe-core
violation, and keyboard focus reaching every interactive control. Internal links and anchors are
crawled. A screenshot of each chapter is written to _build/screenshots/.

Run after `make book` (`make test` does both in order). Needs /usr/bin/chromium
(scripts/install-system-deps.sh).
"""

from __future__ import annotations

import functools
import http.server
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from alliance.paths import BUILD_DIR

HTML_DIR = BUILD_DIR / "html"
SCREENSHOTS = BUILD_DIR / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Flags for a sandboxed CI container with no network (see the machine notes): no background
# traffic, no first-run work, no GPU.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHART_TIMEOUT_MS = 20_000
# axe-core impacts that fail the test.
BLOCKING_IMPACTS = {"critical", "serious"}
# Pages that are Sphinx machinery rather than content.
SKIP_PAGES = {"genindex.html", "search.html"}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@pytest.fixture(scope="module")
def server():
    if not (HTML_DIR / "index.html").exists():
        pytest.fail("no built site: run `make book` first")
    handler = functools.partial(QuietHandler, directory=str(HTML_DIR))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/install-system-deps.sh")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def content_pages() -> list[str]:
    pages = [p.relative_to(HTML_DIR).as_posix() for p in sorted(HTML_DIR.rglob("*.html"))]
    return [p for p in pages if not p.startswith("_") and p not in SKIP_PAGES]


class Page:
    """One page loaded in the browser, with what it logged and requested."""

    def __init__(self, browser, base: str, path: str):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        host = urlparse(base).netloc

        def route(r):
            if urlparse(r.request.url).netloc not in (host, "") and not r.request.url.startswith("data:"):
                self.outside.append(r.request.url)
                return r.abort()
            return r.continue_()

        self.page.route("**/*", route)
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.goto(f"{base}/{path}", wait_until="load")
        charts = self.page.locator(".alliance-chart")
        for i in range(charts.count()):
            charts.nth(i).locator("xpath=.").evaluate("e => e.scrollIntoView()")
        if charts.count():
            self.page.wait_for_function(
                "() => [...document.querySelectorAll('.alliance-chart')].every(c => c.dataset.embedded === 'done')",
                timeout=CHART_TIMEOUT_MS,
            )

    def close(self):
        self.page.close()


@pytest.fixture(scope="module")
def loaded(server, browser):
    pages = {}
    for path in content_pages():
        pages[path] = Page(browser, server, path)
    yield pages
    for page in pages.values():
        page.close()


@pytest.mark.parametrize("path", content_pages())
def test_no_console_errors_or_failed_requests(loaded, path):
    page = loaded[path]
    assert page.errors == []
    assert page.failed == []


@pytest.mark.parametrize("path", content_pages())
def test_no_request_leaves_the_local_server(loaded, path):
    assert loaded[path].outside == []


@pytest.mark.parametrize("path", content_pages())
def test_every_chart_draws_marks_and_shows_a_tooltip(loaded, path):
    page = loaded[path].page
    charts = page.locator(".alliance-chart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        marks = chart.locator(".alliance-chart-live svg [role='graphics-symbol']")
        assert marks.count() > 0, f"chart {i} on {path} drew no marks"
        assert chart.get_attribute("aria-label"), f"chart {i} on {path} has no text alternative"
        assert _hover_shows_tooltip(page, marks), f"no tooltip on chart {i} of {path}"


def _hover_shows_tooltip(page, marks) -> bool:
    tooltip = page.locator("#vg-tooltip-element")
    count = marks.count()
    # Sample marks across the chart: the first ones may be decoration without a tooltip.
    step = max(1, count // 40)
    for j in list(range(count - 1, -1, -step))[:60]:
        mark = marks.nth(j)
        if not mark.is_visible():
            continue
        box = mark.bounding_box()
        if not box or box["width"] * box["height"] == 0 and box["width"] + box["height"] == 0:
            continue
        mark.scroll_into_view_if_needed()
        mark.hover(force=True)
        page.wait_for_timeout(60)
        if tooltip.count() and tooltip.first.is_visible() and tooltip.first.inner_text().strip():
            page.mouse.move(0, 0)
            return True
    return False


@pytest.mark.parametrize("path", content_pages())
def test_no_serious_accessibility_violations(loaded, path):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(loaded[path].page)
    blocking = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert blocking == []


@pytest.mark.parametrize("path", content_pages())
def test_keyboard_focus_reaches_every_control(loaded, path):
    page = loaded[path].page
    controls = page.evaluate("""() => {
        const sel = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
        // Inside a closed <details> only its summary can take focus.
        const folded = e => { const d = e.closest('details:not([open])'); return d && e.parentElement !== d; };
        const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)
            && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden], [inert]') && !e.disabled
            && !folded(e);
        const all = [...document.querySelectorAll(sel)].filter(visible);
        all.forEach((e, i) => e.setAttribute('data-focus-probe', i));
        return all.length;
    }""")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.mouse.click(1, 1)
    seen = set()
    for _ in range(controls + 20):
        page.keyboard.press("Tab")
        probe = page.evaluate("() => document.activeElement && document.activeElement.getAttribute('data-focus-probe')")
        if probe is not None:
            seen.add(probe)
        if len(seen) == controls:
            break
    missing = page.evaluate(
        """(seen) => [...document.querySelectorAll('[data-focus-probe]')]
        .filter(e => !seen.includes(e.getAttribute('data-focus-probe'))).slice(0, 5)
        .map(e => e.outerHTML.slice(0, 120))""",
        sorted(seen),
    )
    assert missing == []


@pytest.mark.parametrize("path", [p for p in content_pages() if p.startswith("chapters/") or p == "intro.html"])
def test_screenshot_of_each_chapter(loaded, path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / (path.replace("/", "__").removesuffix(".html") + ".png")
    loaded[path].page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def test_every_internal_link_and_anchor_resolves():
    parsed = {}
    for path in HTML_DIR.rglob("*.html"):
        parser = Links()
        parser.feed(path.read_text(encoding="utf-8"))
        parsed[path.resolve()] = parser
    broken = []
    for path, parser in parsed.items():
        base = path.as_uri()
        for href in parser.hrefs:
            if href.startswith(("http://", "https://", "mailto:", "javascript:", "data:")):
                continue
            url, fragment = urldefrag(urljoin(base, href))
            target = Path(urlparse(url).path)
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.name}: {href}")
            elif fragment and target.suffix == ".html":
                ids = parsed.get(target.resolve(), Links()).ids
                if fragment not in ids:
                    broken.append(f"{path.name}: {href} (no #{fragment})")
    assert broken == []
