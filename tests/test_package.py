"""Unit tests for the package: charts, tables, events logic, sources, glue, the renderer."""

from __future__ import annotations

import json
from datetime import date

import altair as alt
import pandas as pd
import pytest

from alliance import events, sources, summit, theme
from alliance.tables import Table

AS_OF = date(2026, 11, 24)


@pytest.fixture
def countries():
    return pd.DataFrame(
        {
            "country_code": ["JPN", "KOR", "USA"],
            "name_en": ["Japan", "South Korea", "United States"],
            "name_ja": ["日本", "韓国", "アメリカ合衆国"],
            "name_ko": ["일본", "한국", "미국"],
        }
    )


@pytest.fixture
def registry():
    return pd.DataFrame(
        {
            "source_id": ["a-src", "b-src", "c-src"],
            "title": ["Treaty text", "Summit & <statement>", "Budget {FY}"],
            "author": ["", "Kim", ""],
            "publisher": ["State Dept", "White House", "Kyodo"],
            "url": ["https://a.example/1", "https://b.example/2", "https://c.example/3?x=1%"],
            "date_published": ["1960", "2024-04-10", ""],
            "date_accessed": pd.to_datetime(["2026-11-24"] * 3),
            "kind": ["official", "official", "news-wire"],
            "is_title_as_shown": pd.array([True, True, False], dtype="boolean"),
            "via": ["", "", "nippon.com"],
            "weak_reason": ["", "", ""],
        }
    )


@pytest.fixture
def record():
    return pd.DataFrame(
        {
            "event_id": ["ev-1960-a", "ev-2013-b", "ev-2023-c", "ev-2024-d", "ev-2024-d-s2", "ev-2025-e"],
            "date": pd.to_datetime(
                ["1960-01-19", "2013-12-01", "2023-06-01", "2024-07-28", "2024-07-29", "2025-03-24"]
            ),
            "date_precision": ["day", "month", "month", "day", "day", "day"],
            "title": ["Treaty signed", "Strategy", "Exports eased", "2+2", "2+2", "JJOC set up"],
            "category": [
                "treaty",
                "strategy-document",
                "export-rules",
                "two-plus-two",
                "two-plus-two",
                "command-and-control",
            ],
            "country_codes": [["USA", "JPN"], ["JPN"], ["JPN"], ["USA", "JPN"], ["USA", "JPN"], ["JPN"]],
            "brief_section": ["asan-1", "asan-2", "asan-2", "eai-2", "eai-2", "eai-2"],
            "note": [""] * 6,
            "same_event_as": ["", "", "", "", "ev-2024-d", ""],
            "source_id": ["a-src", "a-src", "c-src", "b-src", "c-src", "b-src"],
        }
    )


# --- events ---------------------------------------------------------------------------


def test_date_label_respects_precision():
    when = pd.Timestamp("2024-07-01")
    assert events.date_label(when, "day") == "2024-07-01"
    assert events.date_label(when, "month") == "2024-07"
    assert events.date_label(when, "year") == "2024"


def test_distinct_events_drops_second_sources(record):
    assert list(events.distinct_events(record)["event_id"]) == [
        "ev-1960-a",
        "ev-2013-b",
        "ev-2023-c",
        "ev-2024-d",
        "ev-2025-e",
    ]


def test_period_table_counts_every_distinct_event_once(record):
    table = events.table_events_by_period(record, AS_OF)
    assert table["events_n"].sum() == 5
    assert list(table["events_n"]) == [1, 1, 1, 2]
    assert list(table["projection_events_n"]) == [0, 0, 1, 1]
    # events per year is the count over the period's length
    last = table.iloc[-1]
    assert last["events_per_year"] == pytest.approx(round(2 / last["years_n"], 1), abs=0.05)


def test_period_lengths_add_up_to_the_whole_span(record):
    table = events.table_events_by_period(record, AS_OF)
    whole = (AS_OF - events.PERIODS[0][1]).days / 365.25
    assert table["years_n"].sum() == pytest.approx(whole, abs=0.2)


def test_source_agreement_flags_different_dates(record, registry):
    table = events.table_source_agreement(record, registry)
    assert list(table["event_id"]) == ["ev-2024-d"]
    assert table.iloc[0]["sources_n"] == 2
    assert table.iloc[0]["dates_agree"] == "no"
    assert table.iloc[0]["dates_reported"] == "2024-07-28, 2024-07-29"


def test_event_date_and_missing_event(record):
    assert events.event_date(record, "ev-2013-b") == "2013-12"
    with pytest.raises(KeyError):
        events.event_date(record, "ev-1999-none")


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2022, 12, 16), date(2024, 4, 10), 15),
        (date(2022, 12, 16), date(2024, 4, 16), 16),
        (date(2024, 1, 31), date(2024, 2, 29), 0),
    ],
)
def test_months_between(start, end, months):
    assert events.months_between(start, end) == months


def test_timeline_chart_spec(record, countries, registry):
    theme.enable()
    chart = events.chart_timeline(events.distinct_events(record), countries, registry, AS_OF)
    spec = chart.to_dict()
    datasets = list(spec["datasets"].values())
    points = max(datasets, key=len)
    assert len(points) == 5  # one mark per distinct event
    assert {"title", "date_label", "countries", "source"} <= set(points[0])
    assert spec["title"]["text"].startswith("From protection to projection")
    assert "5 dated events" in spec["description"]
    footer = json.dumps(spec["vconcat"][-1])
    assert "Data as of 2026-11-24" in footer
    detail = spec["vconcat"][0]["vconcat"][1]
    tooltips = [t["field"] for t in detail["encoding"]["tooltip"]]
    assert tooltips == ["title", "date_label", "category_label", "countries", "brief_section_label", "source"]
    assert detail["encoding"]["x"]["scale"]["domain"] == [events.DETAIL_START.isoformat(), "2026-11-24"]


def test_count_by_group_covers_every_group(record):
    counts = events.count_by_group(record)
    assert list(counts["group"]) == events.GROUP_ORDER
    assert counts["events_n"].sum() == len(record)


def test_every_category_has_a_group_and_a_label():
    schema_categories = {
        "treaty",
        "summit",
        "two-plus-two",
        "command-and-control",
        "defense-industry",
        "export-rules",
        "budget",
        "strategy-document",
        "capability",
        "minilateral",
        "diplomacy",
        "politics-japan",
        "politics-korea",
        "politics-us",
    }
    assert set(events.CATEGORY_GROUPS) == schema_categories == set(events.CATEGORY_LABELS)
    assert len(events.GROUP_ORDER) <= len(theme.PALETTE) - 1  # the yellow is never needed


# --- sources ----------------------------------------------------------------------------


def test_source_line_names_most_cited_first(registry):
    line = sources.source_line(["b-src", "b-src", "a-src"], registry, AS_OF)
    assert line.startswith("Sources (2 documents), most cited first: White House; State Dept.")
    assert line.endswith("Data as of 2026-11-24.")


def test_source_line_summarises_long_lists(registry):
    many = pd.concat(
        [
            registry.assign(source_id=registry["source_id"] + str(i), publisher=registry["publisher"] + str(i))
            for i in range(3)
        ]
    )
    line = sources.source_line(many["source_id"], many, AS_OF)
    assert f"and {9 - sources.MAX_NAMED_PUBLISHERS} other publishers" in line


def test_bibtex_escapes_text_and_keeps_urls(registry):
    bib = sources.to_bibtex(registry)
    assert r"Summit \& <statement>" in bib
    assert r"Budget \{FY\}" in bib
    assert "url = {https://c.example/3?x=1%}" in bib
    assert "author = {{State Dept}}" in bib  # an organisation, not a person
    assert bib.count("@") == 3
    assert r"title = {{[Budget \{FY\}]}}" in bib  # a title nobody saw is a description in brackets
    assert "read via nippon.com" in bib and "No publication date shown" in bib


def test_weak_rows_are_counted_and_explained(registry):
    weak = registry.assign(kind=["official", "aggregator", "news-wire"], weak_reason=["", "no better page", ""])
    tables = {
        "sources": weak,
        "events": pd.DataFrame({"event_id": ["e1", "e2", "e3"], "source_id": ["a-src", "b-src", "b-src"]}),
    }
    assert sources.weak_row_share(tables, weak) == (2, 3)
    shown = sources.table_weak_rows(sources.weak_rows(tables, weak))
    assert list(shown["Why it is kept"]) == ["no better page", "no better page"]
    assert sources.weak_kind_of_url("https://www.urdupoint.com/en/x") == "aggregator"
    assert sources.weak_kind_of_url("https://www.mofa.go.jp/x") is None


def test_sources_by_kind_sums_to_registry(registry):
    table = sources.table_sources_by_kind(registry)
    assert table["Documents (n)"].sum() == 3
    assert table["Share (%)"].sum() == pytest.approx(100, abs=0.2)


# --- tables and glue -------------------------------------------------------------------


def test_table_escapes_every_cell_and_header():
    frame = pd.DataFrame({"<b>col</b>": ["<script>alert(1)</script>", "a & b"], "url": ["javascript:x", ""]})
    html = Table(frame, label='x" onmouseover="y', caption="<i>c</i>", links={"<b>col</b>": "url"})._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;col&lt;/b&gt;" in html and "a &amp; b" in html
    assert 'aria-label="x&quot; onmouseover=&quot;y"' in html
    assert "<caption>&lt;i&gt;c&lt;/i&gt;</caption>" in html
    assert "javascript:" not in html  # only http(s) addresses become links


def test_table_links_only_web_addresses():
    frame = pd.DataFrame({"Title": ["T"], "url": ["https://a.example/?q=1&r=2"]})
    html = Table(frame, label="t", links={"Title": "url"})._repr_html_()
    assert '<a href="https://a.example/?q=1&amp;r=2">T</a>' in html
    assert "url" not in html.split("<tbody>")[0]  # the URL column is not shown as a column


@pytest.mark.parametrize("text", ["54,000", "24 November 2026", "-2", "it's (a) 'test'", "1.0"])
def test_glued_text_reads_back_exactly(text):
    """myst-nb reads glued text/plain back with literal_eval; a formatted string must survive it."""
    from myst_nb.core.variables import format_plain_text

    assert format_plain_text(repr(text), "") == text


def _initiatives():
    return pd.DataFrame(
        {
            "initiative_id": ["z-extra", "b-second", "a-first"],
            "initiative": ["Extra", "Second", "First"],
            "area": ["trilateral", "technology", "command-and-control"],
            "partner_codes": [["KOR"], [], []],
            "eai_order": pd.array([pd.NA, 2, 1], dtype="Int64"),
            "joint_statement": ["stated", "in-part", "stated"],
            "fact_sheet": ["not-stated", "stated", "stated"],
            "note": ["", "Part only.", ""],
        }
    )


def test_summit_table_orders_by_brief_and_marks_unlisted(countries):
    table = summit.table_summit_initiatives(_initiatives(), countries)
    assert list(table["initiative_id"]) == ["a-first", "b-second", "z-extra"]
    assert list(table["In Kim (EAI) list"]) == ["1", "2", "not listed"]
    assert list(table["Third countries"]) == ["none", "none", "South Korea"]
    assert list(table["Joint statement"]) == ["stated", "in part", "stated"]


def test_summit_counts_listed_items_by_document():
    frame = _initiatives()
    assert summit.summit_document_counts(frame) == {
        "n_listed": 2,
        "n_listed_in_documents": 2,
        "n_listed_both_in_full": 1,
        "n_unlisted": 1,
    }
    frame.loc[1, ["joint_statement", "fact_sheet"]] = ["not-stated", "not-stated"]
    assert summit.summit_document_counts(frame)["n_listed_in_documents"] == 1


# --- renderer ---------------------------------------------------------------------------


@pytest.fixture
def tiny_spec():
    theme.enable()
    data = pd.DataFrame({"x": [1, 2], "label": ["</script><script>alert(1)</script>", "東京 서울"]})
    chart = alt.Chart(data).mark_point().encode(x="x:Q", tooltip="label:N")
    return theme.finish(chart, title="T", description="A test chart", footer="Source: test.").to_dict()


def test_renderer_bundle_has_html_png_and_text(tiny_spec):
    bundle = theme.mimebundle(tiny_spec)
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert bundle["text/plain"] == "A test chart"


def test_renderer_html_is_static_safe_and_offline(tiny_spec):
    html = theme.render_html(tiny_spec)
    assert 'class="alliance-chart-static"' in html and "data:image/svg+xml;base64," in html
    assert html.count("</script>") == 1  # data cannot close the spec's script element
    assert "\\u003c/script\\u003e" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html.replace(
        "https://vega.github.io/schema/", ""
    )
    assert "<script>" not in html  # no inline executable script; the site's JS embeds charts


def test_chart_id_depends_only_on_content(tiny_spec):
    assert theme.chart_id(tiny_spec) == theme.chart_id(json.loads(json.dumps(tiny_spec)))
    changed = {**tiny_spec, "description": "other"}
    assert theme.chart_id(changed) != theme.chart_id(tiny_spec)
    assert theme.render_html(tiny_spec) == theme.render_html(tiny_spec)


def test_theme_registered_with_palette():
    theme.enable()
    config = alt.theme.get()()["config"]
    assert config["range"]["category"] == theme.PALETTE
    assert "Noto Sans CJK JP" in config["font"] and "Noto Sans CJK KR" in config["font"]


@pytest.mark.parametrize(
    ("before", "after", "word"),
    [
        (10.8, 9.6, "fell"),
        (9.6, 10.8, "rose"),
        (10.0, 10.5, "stayed about level"),
        (1.0, 10.8, "rose"),
    ],
)
def test_describe_change(before, after, word):
    assert events.describe_change(before, after) == word


def _periods(rates):
    return pd.DataFrame({"period": [label for label, _ in events.PERIODS], "rate": rates})


def test_largest_rise_and_timing_reading():
    table = _periods([0.0, 1.0, 10.8, 9.6])
    assert events.largest_rise(table, "rate") == events.PERIODS[2][0]
    assert events.timing_reading(table, "rate").startswith("The largest rise begins with the strategy")
    after = _periods([0.0, 1.0, 2.0, 9.0])
    assert events.timing_reading(after, "rate").startswith("The largest rise comes after the summit")
    early = _periods([0.0, 8.0, 9.0, 9.5])
    assert events.timing_reading(early, "rate") == "The largest rise predates both turning points the briefs name."


def test_table_markdown_escapes_every_punctuation_mark():
    frame = pd.DataFrame({"A|b": ["{glue}`k` <script>*y* [l](u)", "日本 한국"], "url": ["https://e.x/a b", ""]})
    md = Table(frame, label="l", caption="Cap: [x]", links={"A|b": "url"})._repr_markdown_()
    assert md.startswith("Cap\\: \\[x\\]\n\n| A\\|b |\n|---|\n")
    assert "\\{glue\\}\\`k\\` \\<script\\>\\*y\\* \\[l\\]\\(u\\)" in md
    assert "(<https://e.x/a%20b>)" in md
    assert "| 日本 한국 |" in md


def test_table_print_text_replaces_the_table_in_print():
    table = Table(pd.DataFrame({"a": [1]}), label="l", print_text="See the bibliography.")
    assert table._repr_markdown_() == "See the bibliography\\.\n"
    assert "<table" in table._repr_html_()


@pytest.mark.parametrize(
    ("value", "unit", "precision", "label", "end"),
    [
        ("2026-06-01", "date", "month", "June 2026", "2026-06-01"),
        ("2026-02-18", "date", "day", "18 February 2026", "2026-02-18"),
        (2023, "year", None, "2023", "2023-12-31"),
        (2027, "fiscal-year", None, "FY2027", "2027-12-31"),
    ],
)
def test_coverage_label_and_period_end(value, unit, precision, label, end):
    from alliance import catalog

    assert catalog._coverage_label(value, unit, precision) == label
    assert catalog._period_end(value, unit) == pd.Timestamp(end)


def test_coverage_sentence_names_sampled_ends_and_latest_changes():
    from alliance import catalog

    text = catalog.coverage_sentence(["approval_polls", "leaders"])
    frame = catalog.coverage(["approval_polls", "leaders"]).set_index("table")
    # In datapackage.json order, which lists leaders before polls.
    assert text == (
        f"leaders in office (latest entry {frame.at['leaders', 'last']}), "
        f"cabinet approval polls to {frame.at['approval_polls', 'last']}"
    )


def test_stale_series_table_lists_each_stale_series_with_its_reason():
    from alliance import catalog

    frame = catalog.coverage()
    table = catalog.table_stale_series(frame)
    assert list(table["Series"]) == list(frame.loc[frame["is_stale"], "label"])
    assert table["Why it ends there"].ne("").all()


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (102, "102nd"),
    ],
)
def test_ordinal(n, text):
    from alliance.glue import ordinal

    assert ordinal(n) == text


def test_counted_uses_the_plural_only_for_other_than_one():
    from alliance.glue import counted

    assert counted(1, "partner") == "1 partner"
    assert counted(0, "partner") == "0 partners"
    assert counted(2, "such row") == "2 such rows"
    assert counted(3, "country", "countries") == "3 countries"


def test_a_narrow_footer_wraps_within_its_width():
    """A chart drawn narrow for a phone gets a source line as narrow, not the house 640 px one."""
    theme.enable()
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    footer = "Sources: " + "; ".join(f"Publisher number {n}" for n in range(12)) + "."
    wide = theme.finish(chart, title="T", description="D", footer=footer).to_dict()["vconcat"][1]
    narrow = theme.finish(chart, title="T", description="D", footer=footer,
                          width=theme.NARROW_WIDTH_PX).to_dict()["vconcat"][1]
    assert wide["width"] == theme.WIDTH_PX and narrow["width"] == theme.NARROW_WIDTH_PX
    lines = narrow["encoding"]["text"]["value"]
    assert len(lines) > len(wide["encoding"]["text"]["value"])
    assert max(map(len, lines)) <= theme.footer_chars_per_line(theme.NARROW_WIDTH_PX)
