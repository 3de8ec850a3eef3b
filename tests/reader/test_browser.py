"""The built site in a real browser (Debian's Chromium driven by Playwright), as a reader sees it.

For every page: no console errors, no request leaving the local server, every chart drawn with
marks, a tooltip on hover, on a tap and on keyboard focus for each interactive chart, every
chart inside its column at a phone's and a desktop's width (no page scrolling sideways), wide
tables keeping their first column and the scorecard's status in view on a phone, no critical or
serious axe-core violation, and keyboard focus reaching every interactive control. Internal links and anchors are
crawled. A screenshot of each chapter is written to _build/screenshots/.

Run after `make book` (`make test` does both in order). Needs /usr/bin/chromium
(`make system-deps`).
"""

from __future__ import annotations

import functools
import http.server
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from conftest import chromium_executable

from alliance.data.paths import BUILD_DIR

HTML_DIR = BUILD_DIR / "html"
SCREENSHOTS = BUILD_DIR / "screenshots"
CHROMIUM = chromium_executable()  # Debian's, else Playwright's own (see conftest)
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
# A phone (iPhone 12 to 15) and a common laptop.
PHONE, DESKTOP = 390, 1366
# Drawn text smaller than this is unreadable on a phone.
MIN_FONT_PX = 10
# axe-core impacts that fail the test.
BLOCKING_IMPACTS = {"critical", "serious"}
# Pages that are Sphinx machinery rather than content; index.html only redirects to intro.html
# (which is tested), and the redirect can destroy a page mid-check.
SKIP_PAGES = {"genindex.html", "search.html", "index.html"}


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
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def content_pages() -> list[str]:
    pages = [p.relative_to(HTML_DIR).as_posix() for p in sorted(HTML_DIR.rglob("*.html"))]
    return [p for p in pages if not p.startswith("_") and p not in SKIP_PAGES]


class Page:
    """One page loaded in the browser, with what it logged and requested."""

    def __init__(self, browser, base: str, path: str, width: int = 1280):
        self.page = browser.new_page(viewport={"width": width, "height": 900})
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


@pytest.fixture(scope="module")
def sized(server, browser):
    """Every content page at the phone and the desktop width, loaded on first use."""
    pages = {}

    def get(width: int, path: str) -> Page:
        if (width, path) not in pages:
            pages[width, path] = Page(browser, server, path, width=width)
        return pages[width, path]

    yield get
    for page in pages.values():
        page.close()


# Each chart's box, its drawn SVG and every drawn part (marks, axes, legends, titles) that sticks
# out of the box; zero-size parts (empty groups, hidden paths) are not drawn.
_CHART_FIT = """() => [...document.querySelectorAll('.alliance-chart')].map(box => {
    const b = box.getBoundingClientRect();
    const svg = box.querySelector('.alliance-chart-live svg');
    if (!svg) return {id: box.id, svg: null};
    const s = svg.getBoundingClientRect();
    // Marks panned or zoomed out of a plot are clipped by it (its frame is checked itself).
    const out = [...svg.querySelectorAll('path, rect, line, text, circle')].filter(e => {
        if (e.closest('[clip-path]')) return false;
        const r = e.getBoundingClientRect();
        return r.width + r.height > 0 && (r.left < b.left - 1 || r.right > b.right + 1);
    }).slice(0, 3).map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40));
    // Drawn size of text: its font size times the SVG's on-screen scale.
    const scale = s.width / (svg.width.baseVal.value || s.width);
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {id: box.id, box: b.width, svg: s.width, out, smallest: Math.min(...sizes)};
})"""


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("path", content_pages())
def test_charts_fit_their_column_and_the_page_does_not_scroll_sideways(sized, width, path):
    page = sized(width, path).page
    sideways = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert sideways <= 0, f"{path} scrolls sideways by {sideways} px at {width} px"
    for chart in page.evaluate(_CHART_FIT):
        assert chart["svg"], f"{chart['id']} on {path} has no live chart"
        too_wide = f"{chart['id']} on {path} is {chart['svg']:.0f} px wide in {chart['box']:.0f}"
        assert chart["svg"] <= chart["box"] + 1, too_wide
        assert chart["out"] == [], f"{chart['id']} on {path} draws outside its box at {width} px"
        assert chart["smallest"] >= MIN_FONT_PX, f"{chart['id']} on {path} draws text at {chart['smallest']:.1f} px"


# The page's two sidebars at the top of the page: their boxes, what scrolls inside them, and any
# entry of the page's contents cut by the panel's edges.
_SIDEBARS = """() => {
    window.scrollTo(0, 0);
    const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, hidden: e.scrollHeight - e.clientHeight,
                display: getComputedStyle(e).display, collapsed: e.classList.contains('hide')}; };
    const panel = document.querySelector('.bd-sidebar-secondary');
    const p = panel && panel.getBoundingClientRect();
    const cut = panel ? [...panel.querySelectorAll('a')].filter(a => {
        const r = a.getBoundingClientRect();
        return r.right > p.right + 1 || r.bottom > p.bottom + 1 || a.scrollWidth > a.clientWidth + 1;
    }).map(a => a.textContent.trim()) : [];
    const navigation = box(document.querySelector('.bd-sidebar-primary'));
    const sections = document.querySelectorAll('main section section').length;
    return {view: window.innerHeight, contents: box(panel), navigation, cut, sections};
}"""
# The width the right-hand contents panel was seen cut at.
SMALL_DESKTOP = 1280


@pytest.mark.parametrize("path", content_pages())
def test_the_sidebars_fit_the_window_on_a_desktop(sized, path):
    """At 1280 px the page's contents panel shows every entry whole, and neither sidebar runs past
    the bottom of the window (the theme's top bar used to push both 4rem down)."""
    page = sized(SMALL_DESKTOP, path).page
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    found = page.evaluate(_SIDEBARS)
    contents, navigation = found["contents"], found["navigation"]
    if found["sections"]:  # a page without sections (a part of the bibliography) has no contents panel
        assert contents and contents["display"] != "none" and not contents["collapsed"], f"{path}: no contents panel"
        assert contents["hidden"] <= 0 and found["cut"] == [], f"{path}: contents entries cut: {found['cut']}"
        assert contents["bottom"] <= found["view"] + 1, f"{path}: the contents panel runs below the window"
    assert navigation["top"] >= 0 and navigation["bottom"] <= found["view"] + 1, (
        f"{path}: the navigation sidebar runs {navigation['bottom'] - found['view']:.0f} px below the window")


def _tag_a_mark_with_a_tooltip(page, i: int) -> bool:
    """Scroll chart i to the middle of the screen and tag one of its marks that has a tooltip
    (Vega keeps the item on the element) and is what a tap at its centre would hit."""
    return page.evaluate("""(i) => {
        const box = document.querySelectorAll('.alliance-chart')[i];
        box.scrollIntoView({block: 'center'});
        const marks = [...box.querySelectorAll('.alliance-chart-live svg *')].filter(e => {
            const item = e.__data__, r = e.getBoundingClientRect();
            if (!item || item.tooltip == null || item.tooltip === '' || r.width < 3 || r.height < 3) return false;
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return hit === e;
        });
        // One in the middle of the list: the first ones may be decoration.
        const mark = marks[Math.floor(marks.length / 2)];
        if (mark) mark.setAttribute('data-tap-probe', i);
        return !!mark;
    }""", i)


def _tooltip_text(page) -> str:
    tooltip = page.locator("#vg-tooltip-element.visible")
    return tooltip.first.inner_text().strip() if tooltip.count() and tooltip.first.is_visible() else ""


CHART_PAGES = [p for p in content_pages() if 'class="alliance-chart"' in (HTML_DIR / p).read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_a_tap_shows_the_tooltip(server, browser, path):
    context = browser.new_context(viewport={"width": PHONE, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/{path}", wait_until="load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.alliance-chart')].every(c => c.dataset.embedded === 'done')",
            timeout=CHART_TIMEOUT_MS,
        )
        for i in range(page.locator(".alliance-chart").count()):
            assert _tag_a_mark_with_a_tooltip(page, i), f"chart {i} on {path} has no mark to tap"
            box = page.locator(f"[data-tap-probe='{i}']").bounding_box()
            page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(150)
            assert _tooltip_text(page), f"tapping chart {i} on {path} shows no tooltip"
    finally:
        context.close()


@pytest.mark.parametrize("path", CHART_PAGES)
def test_keyboard_focus_and_arrows_show_the_tooltip(loaded, path):
    page = loaded[path].page
    live = page.locator(".alliance-chart .alliance-chart-live")
    for i in range(live.count()):
        chart = live.nth(i)
        assert chart.get_attribute("tabindex") == "0", f"chart {i} on {path} cannot take focus"
        assert chart.get_attribute("aria-label"), f"chart {i} on {path} has no name for its keyboard use"
        chart.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(60)
        assert _tooltip_text(page), f"ArrowRight on chart {i} of {path} shows no tooltip"
        page.keyboard.press("Escape")
        page.wait_for_timeout(60)
        assert not _tooltip_text(page), f"Escape on chart {i} of {path} leaves the tooltip open"


TABLE_PAGES = [p for p in content_pages() if "alliance-table-wrap" in (HTML_DIR / p).read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", TABLE_PAGES)
def test_the_first_column_of_a_wide_table_stays_in_view(sized, path):
    page = sized(PHONE, path).page
    drift = page.evaluate("""() => [...document.querySelectorAll('.alliance-table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 20).map(w => {
            w.scrollLeft = w.scrollWidth;  // as far right as it goes
            const cell = w.querySelector('tbody tr:not([hidden]) > :first-child') || w.querySelector('th');
            const gap = cell.getBoundingClientRect().left - w.getBoundingClientRect().left;
            w.scrollLeft = 0;
            return [w.getAttribute('aria-label'), Math.round(gap)];
        }).filter(([, gap]) => Math.abs(gap) > 1)""")
    assert drift == [], f"first column scrolled out of view on {path}"


@pytest.mark.parametrize("path", ["chapters/10_scorecard.html", "chapters/04_industry_exports.html"])
def test_the_status_column_is_visible_on_a_phone_without_scrolling(sized, path):
    page = sized(PHONE, path).page
    hidden = page.evaluate("""() => [...document.querySelectorAll('.alliance-table-wrap')].flatMap(w => {
        w.scrollLeft = 0;
        const right = w.getBoundingClientRect().right;
        return [...w.querySelectorAll('thead th')].filter(th => th.textContent.trim() === 'Status')
            .filter(th => th.getBoundingClientRect().right > right + 1).map(() => w.getAttribute('aria-label'));
    })""")
    assert page.locator(".alliance-table-wrap thead th", has_text="Status").count() > 0
    assert hidden == [], f"the status column needs sideways scrolling on {path}"


def test_a_long_table_has_a_filter_that_hides_other_rows(sized):
    page = sized(PHONE, "chapters/10_scorecard.html").page
    scorecard = page.locator(".alliance-table-wrap[aria-label='Scorecard']")
    rows = scorecard.locator("tbody tr")
    total = rows.count()
    # The chapter's long tables, in order: by topic, the scorecard, the tests.
    assert page.locator(".alliance-table-filter").count() == 3
    box = page.locator(".alliance-table-filter input").nth(1)
    box.scroll_into_view_if_needed()
    box.fill("Not borne out")
    shown = scorecard.locator("tbody tr:not([hidden])").count()
    assert 0 < shown < total
    box.fill("")
    assert scorecard.locator("tbody tr:not([hidden])").count() == total


@pytest.mark.parametrize("path", [p for p in content_pages() if p.startswith("chapters/") or p == "intro.html"])
def test_screenshot_of_each_chapter(loaded, path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / (path.replace("/", "__").removesuffix(".html") + ".png")
    # The Sources page is tens of thousands of pixels tall: on a busy 2-core machine its full-page
    # capture took over Playwright's default 30 s once, so allow it the time a slow runner needs.
    loaded[path].page.screenshot(path=str(target), full_page=True, timeout=180_000)
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
