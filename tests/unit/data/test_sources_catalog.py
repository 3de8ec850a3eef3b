"""Unit tests of the source registry and the coverage catalogue."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from alliance.data import sources

AS_OF = date(2026, 11, 24)



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
    from alliance.data import catalog

    assert catalog._coverage_label(value, unit, precision) == label
    assert catalog._period_end(value, unit) == pd.Timestamp(end)


def test_coverage_sentence_names_sampled_ends_and_latest_changes():
    from alliance.data import catalog

    text = catalog.coverage_sentence(["approval_polls", "leaders"])
    frame = catalog.coverage(["approval_polls", "leaders"]).set_index("table")
    # In datapackage.json order, which lists leaders before polls.
    assert text == (
        f"leaders in office (latest entry {frame.at['leaders', 'last']}), "
        f"cabinet approval polls to {frame.at['approval_polls', 'last']}"
    )


def test_stale_series_table_lists_each_stale_series_with_its_reason():
    from alliance.data import catalog

    frame = catalog.coverage()
    table = catalog.table_stale_series(frame)
    assert list(table["Series"]) == list(frame.loc[frame["is_stale"], "label"])
    assert table["Why it ends there"].ne("").all()
