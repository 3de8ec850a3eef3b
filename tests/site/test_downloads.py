"""'Download the data' for every chart and table (alliance.build.sphinx_downloads).

Unit tests on small inline specs and tables, then (marker ``site``, after `make book`) the built
site: every chart and table has both links, each link resolves, each CSV holds the rows drawn or
shown, named after the number the page shows."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from alliance.build import sphinx_downloads as dl
from alliance.data.paths import BUILD_DIR, DATA_DIR

HTML_DIR = BUILD_DIR / "html"
FOOTER = {"mark": {"type": "text"}, "data": {"values": [{}]}, "encoding": {"text": {"value": ["Source: X."]}}}


# --- Unit tests: charts ---------------------------------------------------------------------


def _spec(*views, datasets=None, **extra):
    return {"vconcat": [*views, FOOTER], "datasets": datasets or {}, **extra}


def test_chart_rows_leave_out_the_footer_and_unused_datasets():
    spec = _spec(
        {"mark": "bar", "data": {"name": "a"}},
        datasets={"a": [{"x": 1}, {"x": 2}], "unused": [{"x": 9}]},
    )
    columns, rows = dl.chart_rows(spec)
    assert columns == ["x"]
    assert rows == [{"x": 1}, {"x": 2}]


def test_layers_and_facets_inherit_their_parents_data():
    facet = {"data": {"name": "a"}, "facet": {"row": {"field": "g"}}, "spec": {"layer": [{"mark": "line"}]}}
    layered = {"data": {"name": "b"}, "layer": [{"mark": "bar"}, {"mark": "text"}, {"mark": "text"}]}
    spec = _spec(facet, layered, datasets={"a": [{"g": "p"}], "b": [{"v": 1}, {"v": 2}]})
    datasets = dl.chart_datasets(spec)
    assert [len(d["rows"]) for d in datasets] == [1, 2]
    assert datasets[1]["marks"] == ["bar", "text"]  # one dataset drawn twice counts once


def test_inline_values_count_and_several_datasets_say_what_draws_them():
    spec = _spec(
        {
            "title": "Panel one",
            "layer": [
                {"mark": {"type": "rect"}, "data": {"values": [{"start": "2012-01-01"}]}},
                {"mark": "circle", "data": {"name": "a"}},
            ],
        },
        datasets={"a": [{"x": 1, "source_id": "s1"}]},
    )
    columns, rows = dl.chart_rows(spec)
    assert columns == [dl.DRAWN_AS, "start", "x", "source_id"]
    assert [r[dl.DRAWN_AS] for r in rows] == ["Panel one: rect", "Panel one: circle"]


def test_chart_title_reads_a_title_object_or_a_string():
    assert dl.chart_title({"title": {"text": "A chart", "subtitle": "s"}}) == "A chart"
    assert dl.chart_title({"title": ["Two", "lines"]}) == "Two lines"


# --- Unit tests: tables, sources, files -------------------------------------------------------


def test_parse_table_reads_the_text_a_reader_sees():
    markup = (
        '<table class="alliance-table" aria-label="Kinds &amp; counts"><caption>Cap &lt;1&gt;</caption>'
        '<thead><tr><th scope="col">Kind</th><th scope="col">Share (%)</th></tr></thead>'
        '<tbody><tr><td><a href="https://example.org">A &amp; B</a></td><td>1.5</td></tr>'
        "<tr><td>C</td><td></td></tr></tbody></table>"
    )
    table = dl.parse_table(markup)
    assert (table.label, table.caption) == ("Kinds & counts", "Cap <1>")
    assert table.header == ["Kind", "Share (%)"]
    assert table.rows == [["A & B", "1.5"], ["C", ""]]


SOURCES = pd.DataFrame(
    {
        "source_id": ["s1", "s2"],
        "title": ["First", "Untitled note"],
        "is_title_as_shown": [True, False],
        "publisher": ["Pub A", "Pub B"],
        "url": ["https://a.example/1", "https://b.example/2"],
    }
)


def test_add_sources_gives_title_publisher_and_url_of_each_id():
    rows = [{"v": 1, "source_id": "s1"}, {"v": 2, "source_id": ["s2", "s1"]}, {"v": 3, "source_id": None}]
    columns, out, cited = dl.add_sources(["v", "source_id"], rows, SOURCES)
    assert columns == ["v", "source_id", *dl.SOURCE_COLUMNS]
    assert out[0]["source_title"] == "First" and out[0]["source_url"] == "https://a.example/1"
    # A description supplied for an untitled item is bracketed, as in the bibliography.
    assert out[1]["source_title"] == "[Untitled note]; First"
    assert out[1]["source_publisher"] == "Pub B; Pub A"
    assert out[2]["source_url"] == ""
    assert cited == ["s1", "s2"]


def test_rows_without_source_id_get_no_invented_sources():
    columns, rows, cited = dl.add_sources(["v"], [{"v": 1}], SOURCES)
    assert (columns, cited) == (["v"], [])


def test_download_stem_follows_chapter_and_number():
    assert dl.download_stem((6,), "chapters/06_politics", "figure", (6, 2)) == "ch06-figure-6.2"
    assert dl.download_stem((10,), "chapters/10_scorecard", "table", (10, 1)) == "ch10-table-10.1"
    assert dl.download_stem(None, "chapters/sources", "table", (3,)) == "sources-table-3"


@pytest.mark.parametrize(
    ("column", "unit"),
    [
        ("budget_jpy_tn", "trillions of yen"),
        ("milex_constant_2022_usd_bn", "billions of constant 2022 US dollars"),
        ("share_gdp_pct", "percent"),
        ("degree_n", "count"),
        ("Share (%)", "percent"),
        ("Documents (n)", "count"),
        ("title", ""),
    ],
)
def test_unit_of_reads_the_unit_from_the_name(column, unit):
    assert dl.unit_of(column) == unit


DESCRIPTOR = {
    "resources": [
        {"path": "polls.csv", "schema": {"fields": [{"name": "poll_id", "description": "Poll."},
                                                     {"name": "note", "description": "Poll note."},
                                                     {"name": "approve_pct", "description": "Approve."}],
                                          "primaryKey": ["poll_id"]}},
        {"path": "events.csv", "schema": {"fields": [{"name": "event_id", "description": "Event."},
                                                      {"name": "note", "description": "Event note."}],
                                           "primaryKey": ["event_id"]}},
        {"path": "other.csv", "schema": {"fields": [{"name": "poll_id", "description": "Another poll."}],
                                          "primaryKey": ["poll_id"]}},
    ]
}  # fmt: skip


def test_descriptions_come_from_the_table_sharing_most_columns():
    got = dl.field_descriptions(DESCRIPTOR, ["poll_id", "note", "approve_pct"])
    assert got == {"poll_id": "Poll.", "note": "Poll note.", "approve_pct": "Approve."}


def test_a_tie_between_tables_quotes_both_and_unread_tables_are_ignored():
    both = "In data/polls.csv: Poll note. / In data/events.csv: Event note."
    assert dl.field_descriptions(DESCRIPTOR, ["note"])["note"] == both
    assert dl.field_descriptions(DESCRIPTOR, ["note"], ["data/events.csv"]) == {"note": "Event note."}
    assert dl.key_tables(DESCRIPTOR)["poll_id"] == ["data/polls.csv", "data/other.csv"]


def test_csv_text_joins_lists_and_quotes_commas():
    text = dl.csv_text(["a", "b"], [{"a": ["x", "y"], "b": "1, 2"}, {"a": None, "b": True}])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["x; y", "1, 2"], ["", "true"]]


def _item(**kw):
    base = dict(stem="ch06-figure-6.1", name="Figure 6.1", title="Seats <b>", chapter="Chapter 6: Politics",
                page="chapters/06_politics.html#fig", columns=["seats_n", "source_id"], rows=[{}], chart_title="T")
    return dl.Download(**{**base, **kw})  # fmt: skip


def test_links_name_the_figure_and_escape_text():
    item = _item(name="Table 6.1", label='A "quoted" <name>')
    markup = dl.links_html(item, "../_downloads/data/")
    assert 'href="../_downloads/data/ch06-figure-6.1.csv"' in markup
    assert 'href="../_downloads/data/ch06-figure-6.1-README.txt"' in markup
    assert "&quot;quoted&quot; &lt;name&gt;" in markup and "<name>" not in markup
    # The accessible name starts with the visible text and names the table (WCAG 2.5.3).
    assert 'aria-label="Download the data (CSV) of Table 6.1, A &quot;quoted&quot;' in markup


def test_readme_has_title_chapter_columns_units_date_and_sources():
    text = dl.readme_text(
        _item(cited=["s1"]),
        as_of=date(2026, 11, 24),
        descriptions={"seats_n": "Seats held."},
        keys={},
        data_files=["data/diet_seats.csv"],
        sources=SOURCES,
    )
    assert text.startswith("Figure 6.1: Seats <b>\n")
    assert "Chapter 6: Politics" in text and "Data as of 2026-11-24." in text
    assert "- seats_n: Seats held. Unit: count." in text
    assert "- s1 - Pub A: https://a.example/1" in text


def test_readme_of_computed_rows_names_the_files_they_come_from():
    text = dl.readme_text(
        _item(columns=["country_code", "degree_n"]),
        as_of=date(2026, 11, 24),
        descriptions={},
        keys={"country_code": ["data/countries.csv"]},
        data_files=["data/security_ties.csv"],
    )
    assert "carry no source of their own" in text
    assert "- country_code: rows of data/countries.csv" in text
    assert "- data/security_ties.csv" in text


# --- The built site ---------------------------------------------------------------------------

_EVENT = re.compile(
    r'<script type="application/json" class="alliance-chart-spec"[^>]*>(?P<spec>.*?)</script>'
    r'|(?P<table><table class="alliance-table".*?</table>)'
    r'|<span class="caption-number">(?P<fig>[^<]*)</span>'
    r'|<p class="alliance-downloads">(?P<links>.*?)</p>',
    re.S,
)
_HREF = re.compile(r'<a class="alliance-download-(csv|readme)" href="([^"]+)"[^>]*aria-label="([^"]+)"')


def _pages():
    if not (HTML_DIR / "index.html").exists():
        pytest.skip("run `make book` first")
    return sorted(HTML_DIR.rglob("*.html"))


def _items(page: Path):
    """(kind, payload, caption number, links) for each chart and table, in page order."""
    items = []
    for m in _EVENT.finditer(page.read_text(encoding="utf-8")):
        if m["spec"] or m["table"]:
            kind = "figure" if m["spec"] else "table"
            items.append({"kind": kind, "payload": m["spec"] or m["table"], "number": None, "links": None})
        elif m["fig"] and items and items[-1]["kind"] == "figure" and items[-1]["number"] is None:
            items[-1]["number"] = m["fig"].replace("Fig.", "").strip()
        elif m["links"] and items and items[-1]["links"] is None:
            items[-1]["links"] = {k: (href, label) for k, href, label in _HREF.findall(m["links"])}
    return items


def _csv(page: Path, href: str) -> list[list[str]]:
    target = (page.parent / href).resolve()
    with open(target, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _drawn_rows(spec: dict) -> int:
    """Rows of the datasets marks draw, counted independently of the extension: every named
    dataset a view refers to, and inline values other than the footer's one empty row."""
    names, inline = set(), 0

    def walk(node):
        nonlocal inline
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and "name" in data:
                names.add(data["name"])
            elif isinstance(data, dict) and any(data.get("values", [])):
                inline += len(data["values"])
            for key, value in node.items():
                if key != "datasets":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return sum(len(spec["datasets"][n]) for n in names) + inline


@pytest.mark.site
def test_every_chart_and_table_has_both_links_that_resolve():
    seen = 0
    for page in _pages():
        for item in _items(page):
            seen += 1
            where = f"{page.relative_to(HTML_DIR)}: {item['kind']} {item['number'] or ''}"
            assert item["links"] and set(item["links"]) == {"csv", "readme"}, f"{where} has no download links"
            for href, _ in item["links"].values():
                assert (page.parent / href).resolve().is_file(), f"{where}: {href} is not in the site"
                assert (page.parent / href).resolve().is_relative_to(HTML_DIR.resolve())
    assert seen > 50  # the book has over twenty charts and sixty tables


@pytest.mark.site
def test_file_names_follow_the_numbers_the_page_shows():
    for page in _pages():
        chapter = re.match(r"(\d\d)_", page.name)
        tables = 0
        for item in _items(page):
            if item["kind"] == "figure":
                assert item["number"], f"{page.name}: a chart outside a numbered figure"
                stem = f"ch{chapter[1]}-figure-{item['number']}"
                name = f"Figure {item['number']}"
                assert item["number"].split(".")[0] == str(int(chapter[1]))
            else:
                tables += 1
                number = f"{int(chapter[1])}.{tables}" if chapter else str(tables)
                stem = f"ch{chapter[1]}-table-{number}" if chapter else f"{page.stem}-table-{number}"
                name = f"Table {number}"
            csv_href, csv_label = item["links"]["csv"]
            readme_href, readme_label = item["links"]["readme"]
            assert csv_href.endswith(f"/{stem}.csv") and readme_href.endswith(f"/{stem}-README.txt")
            assert csv_label.startswith("Download the data (CSV) of " + name)
            assert name in readme_label
            readme = (page.parent / readme_href).resolve().read_text(encoding="utf-8")
            assert readme.startswith(name + ": ")
            assert re.search(r"^Data as of \d{4}-\d\d-\d\d\.$", readme, re.M)


@pytest.mark.site
def test_each_csv_holds_the_rows_the_chart_draws_or_the_table_shows():
    for page in _pages():
        for item in _items(page):
            rows = _csv(page, item["links"]["csv"][0])
            header, body = rows[0], rows[1:]
            assert all(len(r) == len(header) for r in body)
            if item["kind"] == "figure":
                assert len(body) == _drawn_rows(json.loads(item["payload"])), f"{page.name} Figure {item['number']}"
            else:
                shown = dl.parse_table(item["payload"])
                assert header == shown.header
                assert len(body) == item["payload"].split("<tbody>")[1].count("<tr>")
                assert body == shown.rows


@pytest.mark.site
def test_source_titles_and_urls_match_the_sources_table():
    with open(DATA_DIR / "sources.csv", encoding="utf-8", newline="") as fh:
        sources = {row["source_id"]: row for row in csv.DictReader(fh)}
    checked = 0
    for page in _pages():
        for item in _items(page):
            rows = _csv(page, item["links"]["csv"][0])
            # A table's file holds its cells as shown; a chart's adds each row's source.
            if item["kind"] != "figure" or "source_id" not in rows[0]:
                continue
            table = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
            for row in table[:: max(1, len(table) // 5)]:  # a sample of each file's rows
                ids = [i for i in row["source_id"].split("; ") if i]
                if not ids:
                    continue
                shown = {i: sources[i]["is_title_as_shown"] == "true" for i in ids}
                titles = [sources[i]["title"] if shown[i] else f"[{sources[i]['title']}]" for i in ids]
                assert row["source_title"] == "; ".join(titles)
                assert row["source_url"] == "; ".join(sources[i]["url"] for i in ids)
                assert row["source_publisher"] == "; ".join(sources[i]["publisher"] for i in ids)
                checked += 1
    assert checked > 20

