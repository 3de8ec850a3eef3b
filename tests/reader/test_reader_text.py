"""No internal code, glue key or missing-value marker reaches a reader of the built site.

What a reader sees on every page (prose, headings, captions, table headers and cells, the
bibliography, alt text) and in every chart (its JSON spec: titles, axis, legend and tooltip titles,
and the values of the nominal fields it draws) must not contain a snake_case token, an id from
data/ (claim, test, source, party, tie ... ids, and hyphenated codes from enumerated columns), a
glue key, 'null'/'nan'/'None', a '(s)' plural, a bare numeral rank ('rank 3') or an instruction
only a screen can follow ('hover a dot'), since the same text is printed.

Left out of the check, on purpose: URLs and file names (a Korean MND address really contains
'null'), and the source of code cells that sit behind the "Show code cell source" toggle, which
labels them as code for readers who ask for it; code printed openly on a page is checked like prose.

The detectors are tested on samples without a build; the site tests run after `make book`.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from alliance.data.paths import BUILD_DIR, DATA_DIR, ROOT

HTML_DIR = BUILD_DIR / "html"
URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+@[\w.-]+\.\w+")
FILE_NAME = re.compile(r"\b[\w.-]+\.(?:ipynb|csv|json|py|md|pdf|html|cfg|yml|yaml|txt|svg|png|js|css)\b")
SNAKE = re.compile(r"(?<![\w/.-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w/-])")
MISSING = re.compile(r"(?<![\w-])(?:null|nan|NaN|NaT|undefined)(?![\w-])|[:=(]\s*None\b(?! of)|\bNone\s*$")
PLURAL = re.compile(r"\w\((?:s|es|ies)\)")
# An instruction only a screen can follow: a printed page cannot be hovered, tapped or zoomed.
INTERACTION = re.compile(r"(?i)\b(?:hover(?:ing)?|click(?:ing)?|tap(?:ping)?|zoom(?:ed|ing)?|scroll(?:ing)?|"
                         r"drag(?:ging)?|pan(?:ned|ning)?)\b(?!-)")
# A name in the book's package ('alliance.verdicts.status'): a reader is told what the code does,
# not what it is called. Checked in code type too, where a data column's name is allowed.
PACKAGE_NAME = re.compile(r"\balliance\.[A-Za-z_]\w*(?:\.\w+)*")
BARE_RANK = re.compile(r"\b[Rr]ank(?:s|ed)?(?: (?:of|at|as|is|was))? #?\d+(?!\d*(?:st|nd|rd|th)\b)(?![\d,.]*\d)")
DATA_KEY = "(data key)"
# Tables whose cells speak the data's own language on purpose.
ALLOWED_TABLES = {
    # The sources page's list of data files: each file's description names its columns.
    "Data files",
}
# Shown on purpose, each for a reason:
ALLOWED = {
    # Ids that are also plain English where the prose uses them: "a 'survival-threatening
    # situation'" (the legal term), "the pro-revision bloc", "independents" (members of no party).
    "survival-threatening", "pro-revision", "independents",
    # A source's own title as published ("Who killed the quad?").
    "quad",
}


@cache
def data_codes() -> tuple[frozenset[str], frozenset[str]]:
    """(ids, codes) from data/: ids are the values of key columns (a primary key of one column,
    a foreign key, a column named *_id), which must never reach a reader; codes are the values
    of enumerated columns, which must not stand alone as a table cell or chart value (a label is
    due there; inside prose 'survival-threatening' or 'co-production' is plain English)."""
    # (Only slugs with a hyphen or underscore count as shown raw: see offences.)
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    code = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
    ids: set[str] = set()
    codes: set[str] = set()
    for resource in package["resources"]:
        schema = resource["schema"]
        pk = schema.get("primaryKey") or []
        keys = {f["name"] for f in schema["fields"] if f["name"].endswith("_id")}
        keys |= set(pk) if len(pk) == 1 else set()
        for fk in schema.get("foreignKeys", []):
            keys |= {fk["fields"]} if isinstance(fk["fields"], str) else set(fk["fields"])
        enums = {f["name"] for f in schema["fields"] if "enum" in f.get("constraints", {})}
        path = DATA_DIR / resource.get("path", resource["name"] + ".csv")
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        # A column of slugs is a code column even without an enum ('alliance-nature', 'export-rules').
        slugs = {c for c in (rows[0] if rows else {})
                 if all(code.fullmatch(r[c] or "a") for r in rows) and any("-" in (r[c] or "") for r in rows)}
        # A topic key is a phrase of English ('constitution', 'export-rules'): a code, not an id.
        topical = {c for c in keys if c == "topic"}
        for row in rows:
            ids |= {row.get(c) or "" for c in keys - topical}
            codes |= {row.get(c) or "" for c in enums | slugs | topical}
    # Country codes ('JPN') are upper case and not matched: the tables label them by name.
    return (frozenset(i for i in ids if code.fullmatch(i)),
            frozenset(c for c in codes if code.fullmatch(c)))


@cache
def glue_keys() -> frozenset[str]:
    """Every glue key the chapters store (from their outputs) or the data refers to."""
    keys: set[str] = set()
    for path in (ROOT / "chapters").glob("*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                name = output.get("metadata", {}).get("scrapbook", {}).get("name")
                if name:
                    keys.add(name)
    for name in ("claim_tests.csv", "claim_outcomes.csv"):
        keys |= set(re.findall(r"glue:[\w-]+::(\w+)", (DATA_DIR / name).read_text(encoding="utf-8")))
    return frozenset(keys)


@cache
def id_pattern() -> re.Pattern:
    ids = sorted(data_codes()[0], key=len, reverse=True)
    return re.compile(r"(?<![\w./-])(?:" + "|".join(map(re.escape, ids)) + r")(?![\w/-])")


@cache
def glue_pattern() -> re.Pattern:
    """A glue key as a label: 'jpn deg: 11', 'hub_last = 0.4' (underscores shown as spaces or not)."""
    spaced = sorted({k.replace("_", "[ _]") for k in glue_keys() if "_" in k}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(spaced) + r")\s*[:=]", re.I)


def offences(text: str, whole: bool = False) -> list[tuple[str, str]]:
    """(kind, offending text) for one piece of reader-facing text; ``whole`` when the text is a
    table cell or chart value by itself, where an enumerated code alone is a code shown raw."""
    text = FILE_NAME.sub(" ", URL.sub(" ", text))
    found = []
    # A one-word code ('stated', 'delivered') may be its own label; a slug never is.
    if whole and text.strip() in data_codes()[1] and re.search(r"[-_]", text) and text.strip() not in ALLOWED:
        found.append(("raw code", text.strip()))
    for kind, pattern in (
        ("glue key", glue_pattern()),
        ("snake_case", SNAKE),
        ("internal id", id_pattern()),
        ("missing value", MISSING),
        ("(s) plural", PLURAL),
        ("bare rank", BARE_RANK),
        ("screen-only instruction", INTERACTION),
        ("package name", PACKAGE_NAME),
    ):
        for m in pattern.finditer(text):
            if m.group(0).strip() not in ALLOWED:
                found.append((kind, m.group(0).strip()))
    # A glue key written with underscores is also snake_case: count it once, as the glue key.
    glued = {t for k, t in found if k == "glue key"}
    return [(k, t) for k, t in found if not (k == "snake_case" and any(t in g for g in glued))]


# ---------------------------------------------------------------- what a page shows

def page_texts(html: str) -> list[tuple[str, str]]:
    """(where, text) for the visible text of one built page's article, table by table."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup
    for tag in article.find_all(["script", "style", "template"]):
        tag.decompose()
    # Code behind the toggle is labelled as code for the readers who open it; open code is not.
    for cell in article.select("div.cell"):
        toggle = cell.find("details", class_="above-input")
        if toggle is not None:
            for source in toggle.select("div.cell_input"):
                source.decompose()
            for summary in toggle.find_all("summary"):
                summary.decompose()
    # An inline literal (a data column such as `source_id`, set in code type) names the data for
    # those who will use it; it is left out like a file name.
    for literal in article.select("code.literal"):
        literal.decompose()
    texts = []
    for img in article.find_all("img"):
        texts.append(("image alt", img.get("alt", "")))
    for node in article.find_all(attrs={"aria-label": True}):
        texts.append(("aria-label", node["aria-label"]))
    for table in article.find_all("table"):
        headers = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        for row in table.find_all("tr"):
            for i, cell in enumerate(row.find_all(["th", "td"])):
                # A column headed '(data key)' gives the key rows cite, for readers of the data files.
                if cell.name == "td" and i < len(headers) and headers[i].endswith(DATA_KEY):
                    continue
                if cell.name == "td" and table.get("aria-label") in ALLOWED_TABLES:
                    continue
                texts.append((f"table {cell.name} ({table.get('aria-label', '')})", cell.get_text(" ", strip=True)))
        table.decompose()
    for block in article.find_all(["p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "figcaption",
                                   "caption", "pre", "div"]):
        if block.name == "div" and block.find(["p", "li", "div", "pre", "h1", "h2", "h3"]):
            continue
        texts.append((block.name, block.get_text(" ", strip=True)))
        block.decompose()
    return [(where, text) for where, text in texts if text]


# ---------------------------------------------------------------- what a chart shows

SHOWN_CHANNELS = ("x", "y", "x2", "y2", "color", "fill", "stroke", "shape", "size", "opacity",
                  "strokeDash", "text", "tooltip", "row", "column", "facet")
VALUE_CHANNELS = ("x", "y", "color", "fill", "stroke", "shape", "strokeDash", "text", "tooltip",
                  "row", "column", "facet")
GUIDE = {"x": "axis", "y": "axis", "color": "legend", "fill": "legend", "stroke": "legend",
         "shape": "legend", "size": "legend", "opacity": "legend", "strokeDash": "legend",
         "row": "header", "column": "header", "facet": "header"}


def _title_texts(title) -> list[str]:
    if title is None:
        return []
    if isinstance(title, str):
        return [title]
    if isinstance(title, list):
        return [str(t) for t in title]
    if isinstance(title, dict):
        return _title_texts(title.get("text")) + _title_texts(title.get("subtitle"))
    return []


def chart_texts(spec: dict) -> list[tuple[str, str]]:
    """(where, text) for what a Vega-Lite spec puts in front of a reader."""
    datasets = spec.get("datasets", {})
    texts: list[tuple[str, str]] = []

    def rows_of(data, inherited):
        if not isinstance(data, dict):
            return inherited
        if "values" in data:
            return data["values"]
        if "name" in data:
            return datasets.get(data["name"], [])
        return inherited

    def field_defs(channel, definition):
        if isinstance(definition, list):
            return [(channel, d) for d in definition if isinstance(d, dict)]
        return [(channel, definition)] if isinstance(definition, dict) else []

    def visit(view, rows):
        rows = rows_of(view.get("data"), rows)
        texts.extend(("chart title", t) for t in _title_texts(view.get("title")))
        mark = view.get("mark")
        if isinstance(mark, dict) and isinstance(mark.get("text"), str):
            texts.append(("chart mark text", mark["text"]))
        for name, definition in (view.get("encoding") or {}).items():
            if name not in SHOWN_CHANNELS:
                continue
            for channel, fd in field_defs(name, definition):
                if isinstance(fd.get("value"), str) and channel in ("text", "tooltip"):
                    texts.append((f"chart {channel} value", fd["value"]))
                guide = fd.get(GUIDE.get(channel, ""), {}) if channel in GUIDE else {}
                if guide is None:  # the axis, legend or header is hidden
                    if channel not in ("text", "tooltip"):
                        continue
                    guide = {}
                field = fd.get("field")
                if "title" in fd or (isinstance(guide, dict) and "title" in guide):
                    title = guide.get("title", fd.get("title")) if isinstance(guide, dict) else fd.get("title")
                    texts.extend((f"chart {channel} title", t) for t in _title_texts(title))
                elif field and channel not in ("x2", "y2", "text"):
                    # No title: Vega-Lite shows the raw field name.
                    texts.append((f"chart {channel} title (field name)", str(field)))
                if (field and channel in VALUE_CHANNELS
                        and fd.get("type") in ("nominal", "ordinal") and "timeUnit" not in fd):
                    key = str(field).replace("\\", "")
                    for value in {str(r.get(key)) for r in rows if isinstance(r, dict) and key in r}:
                        texts.append((f"chart {channel} value ({field})", value))
        for part in ("layer", "hconcat", "vconcat", "concat"):
            for sub in view.get(part, []):
                visit(sub, rows)
        if isinstance(view.get("spec"), dict):
            visit(view["spec"], rows)
        facet = view.get("facet")
        if isinstance(facet, dict):
            visit({"encoding": {k: v for k, v in facet.items() if k in ("row", "column")}
                   if ("row" in facet or "column" in facet) else {"facet": facet}}, rows)

    visit(spec, [])
    return [(where, text) for where, text in texts if text is not None]


# ---------------------------------------------------------------- the detectors themselves

@pytest.mark.parametrize("text, kind", [
    ("jpn deg: 11", "glue key"),
    ("proj_change_after_summit = rose", "glue key"),
    ("degree_centralization", "snake_case"),
    ("Claim asan-08 is borne out", "internal id"),
    ("the ldp and komeito", "internal id"),
    ("Evidence: null", "missing value"),
    ("nan", "missing value"),
    ("eai-humanitarian", "internal id"),
    ("choi2024asan", "internal id"),
    ("None", "missing value"),
    ("1 partner(s)", "(s) plural"),
    ("Korea ranks 1 of 12", "bare rank"),
    ("it ranked 3", "bare rank"),
    ("Hover a dot for the claim", "screen-only instruction"),
    ("scroll to zoom, drag to pan", "screen-only instruction"),
    ("click a legend entry", "screen-only instruction"),
    ("A function in the package, alliance.verdicts.status, turns", "package name"),
])
def test_detectors_catch(text, kind):
    assert kind in {k for k, _ in offences(text)}, offences(text)


def test_a_slug_alone_in_a_cell_is_a_raw_code():
    assert ("raw code", "partly-borne-out") in offences("partly-borne-out", whole=True)
    assert ("raw code", "alliance-nature") in offences("alliance-nature", whole=True)
    # In prose the same words are English, and a one-word code may be its own label.
    assert offences("a survival-threatening situation") == []
    assert offences("stated", whole=True) == []


@pytest.mark.parametrize("text", [
    "Japan's degree centrality is 11.",
    "Claim 8 of Choi (Asan) is borne out",
    "Liberal Democratic Party (LDP) and Komeito",
    "None of the tests failed.",
    "as counterparts: None of the lines is a line of command",
    "South Korea ranks 1st of 12; Japan ranked 3rd",
    "https://www.mnd.go.kr/cop/kookbang/kookbangIlboView.do?bbsId=null&nttId=1",
    "see 10_scorecard.ipynb",
    "partners",
    "Kishida Cabinet Approval Rating Hovers at 24%",
    "a pan-Asian grouping",
])
def test_detectors_pass_labels(text):
    assert offences(text) == []


def reader_markdown() -> list[tuple[str, str]]:
    """(where, text) of the prose readers are given: the front page and every chapter's markdown."""
    texts = [("intro.md", (ROOT / "intro.md").read_text(encoding="utf-8"))]
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        texts += [(f"{path.name} cell {i}", cell.source)
                  for i, cell in enumerate(nbformat.read(path, as_version=4).cells) if cell.cell_type == "markdown"]
    return texts


def test_no_package_names_in_reader_prose():
    """Prose says what a rule does; a name such as `alliance.verdicts.status`, even in code type,
    is for the code's readers (the chapters' hidden code cells name it for them)."""
    found = [(where, m.group(0)) for where, text in reader_markdown()
             for m in PACKAGE_NAME.finditer(FILE_NAME.sub(" ", URL.sub(" ", text)))]
    assert not found, found


# ---------------------------------------------------------------- the built site

def built_pages() -> list[Path]:
    if not HTML_DIR.is_dir():
        pytest.fail("no built site: run `make book` first")
    return sorted(p for p in HTML_DIR.rglob("*.html")
                  if "_static" not in p.relative_to(HTML_DIR).parts
                  and p.name not in ("genindex.html", "search.html"))


def site_offences() -> list[tuple[str, str, str, str]]:
    """(page, where, kind, offending text) for the whole built site."""
    found = []
    for path in built_pages():
        page = str(path.relative_to(HTML_DIR))
        html = path.read_text(encoding="utf-8")
        texts = page_texts(html)
        for script in BeautifulSoup(html, "html.parser").select("script.alliance-chart-spec"):
            chart = script.get("data-chart", "")
            texts += [(f"{where} [{chart}]", t) for where, t in chart_texts(json.loads(script.string))]
        for where, text in texts:
            whole = where.startswith(("table", "chart") ) and "title" not in where
            found += [(page, where, kind, bad) for kind, bad in offences(text, whole)]
    return found


@pytest.mark.site
def test_no_internal_text_before_readers():
    found = site_offences()
    by_kind: dict[str, list] = defaultdict(list)
    for page, where, kind, bad in found:
        by_kind[kind].append(f"{page} / {where}: {bad!r}")
    report = []
    for kind, items in sorted(by_kind.items()):
        report.append(f"{kind}: {len(items)}")
        report += ["    " + item for item in sorted(set(items))[:8]]
    assert not found, "reader-facing text with internal codes:\n" + "\n".join(report)


@pytest.mark.site
def test_no_package_names_on_built_pages():
    """As in the sources, on the pages as built (glued text included), code type and all; only
    the code behind the 'Show code cell source' toggle, and the tables that speak the data's own
    language (ALLOWED_TABLES), may name the package."""
    found = []
    for path in built_pages():
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        article = article.find("article") or article
        for tag in article.find_all(["script", "style", "template"]):
            tag.decompose()
        for source in article.select("details.above-input div.cell_input"):
            source.decompose()
        # The sources page's list of data files quotes each file's description for its users,
        # commands that remake it included ('python -m alliance.extracts sipri').
        for table in article.find_all("table"):
            if table.get("aria-label") in ALLOWED_TABLES:
                table.decompose()
        text = FILE_NAME.sub(" ", URL.sub(" ", article.get_text(" ")))
        found += [(str(path.relative_to(HTML_DIR)), m.group(0)) for m in PACKAGE_NAME.finditer(text)]
    assert not found, found


@pytest.mark.site
def test_every_chart_spec_is_read():
    """The chart check reads something from every chart (a spec it cannot parse would pass)."""
    for path in built_pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for script in soup.select("script.alliance-chart-spec"):
            assert chart_texts(json.loads(script.string)), f"{path.name}: nothing read from a chart"


if __name__ == "__main__":  # a summary for whoever fixes the offenders
    counts = Counter((kind, page) for page, _, kind, _ in site_offences())
    for (kind, page), n in sorted(counts.items()):
        print(f"{kind:14} {page:45} {n}")
