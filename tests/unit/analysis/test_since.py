"""The chapter on developments since the briefs: labels, tables and the scorecard's evidence."""

from __future__ import annotations

import pandas as pd
import pytest

from alliance.analysis import since


@pytest.fixture
def frame():
    developments = pd.DataFrame(
        {
            "development_id": ["dev-a", "dev-b", "dev-c"],
            "event_id": ["ev-1", "ev-2", "ev-2"],
            "actor": ["tokyo", "washington", "washington"],
            "claim_id": ["asan-19", "asan-19", "eai-05"],
            "bearing": ["supports", "weakens", "supports"],
            "reason": ["r1", "r2", "r3"],
            "source_id": ["s1", "s2", "s2"],
        }
    )
    events = pd.DataFrame(
        {
            "event_id": ["ev-1", "ev-2"],
            "date": pd.to_datetime(["2025-10-10", "2024-11-05"]),
            "date_precision": ["day", "month"],
            "title": ["Event one", "Event two"],
            "source_id": ["s1", "s2"],
        }
    )
    claims = pd.DataFrame(
        {
            "claim_id": ["asan-19", "eai-05"],
            "brief": ["asan", "eai"],
            "claim": ["Amendment unlikely", "Japan in Pillar II"],
        }
    )
    return since.prepare(developments, events, claims)


def test_prepare_orders_by_date_and_labels_claims_for_readers(frame):
    assert list(frame["development_id"]) == ["dev-b", "dev-c", "dev-a"]
    assert list(frame["date_label"]) == ["2024-11", "2024-11", "2025-10-10"]
    assert frame["claim_label"].iloc[-1] == "Choi (Asan): Amendment unlikely"


def test_claim_summary_counts_each_way(frame):
    assert (
        since.claim_summary(frame, "asan-19")
        == "since the briefs, 1 development supports it and 1 development weakens it"
    )
    assert since.claim_summary(frame, "eai-05") == "since the briefs, 1 development supports it"
    assert since.claim_summary(frame, "eai-99") == "no development since the briefs in the record"


def test_counts_by_actor_show_every_actor_and_reading(frame):
    table = since.counts_by_actor(frame)
    assert list(table["Actor"]) == list(since.ACTORS.values())
    assert table["All (n)"].sum() == len(frame)
    assert table.set_index("Actor").at["Seoul", "All (n)"] == 0


def test_table_developments_keeps_one_actor(frame):
    table = since.table_developments(frame, "washington")
    assert list(table["Development"]) == ["Event two", "Event two"]
    assert set(table["Reading"]) == {since.BEARINGS["weakens"], since.BEARINGS["supports"]}


def test_a_development_beyond_the_briefs_is_labelled_for_readers():
    assert since.claim_label("", pd.DataFrame(columns=["claim_id", "brief", "claim"])) == "neither brief"
