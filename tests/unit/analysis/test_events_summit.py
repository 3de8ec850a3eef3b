"""Unit tests of the events and summit logic and their charts."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from alliance.analysis import events, summit
from alliance.data import datapkg
from alliance.present import theme

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


def test_date_label_respects_precision():
    when = pd.Timestamp("2024-07-01")
    assert events.date_label(when, "day") == "2024-07-01"
    assert events.date_label(when, "month") == "2024-07"
    assert events.date_label(when, "year") == "2024"


def test_distinct_drops_second_sources(record):
    assert list(datapkg.distinct(record)["event_id"]) == [
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
    chart = events.chart_timeline(datapkg.distinct(record), countries, registry, AS_OF)
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
