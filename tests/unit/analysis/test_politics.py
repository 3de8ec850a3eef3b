"""The arithmetic of amending Japan's constitution, and the continuity count."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from alliance.analysis import politics


@pytest.mark.parametrize(
    ("size", "need"), [(465, 310), (248, 166), (242, 162), (245, 164), (475, 317), (480, 320), (3, 2), (301, 201)]
)
def test_two_thirds_of_full_chamber(size, need):
    assert politics.two_thirds(size) == need


def test_vacancies_lower_the_bar_only_when_counted():
    assert politics.two_thirds(465, vacancies=4) == 310
    assert politics.two_thirds(465, vacancies=4, count_vacancies=True) == 308  # ceil(461 * 2 / 3)


@pytest.mark.parametrize(("size", "vacancies"), [(0, 0), (10, 10), (10, -1)])
def test_impossible_chambers_are_refused(size, vacancies):
    with pytest.raises(ValueError):
        politics.two_thirds(size, vacancies)


def seat_rows(rows):
    cols = [
        "chamber",
        "election_date",
        "party_id",
        "seats_basis",
        "seats_n",
        "chamber_size_n",
        "source_id",
    ]
    frame = pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])
    frame["election_date"] = pd.to_datetime(frame["election_date"])
    return frame


@pytest.fixture
def seats():
    return seat_rows(
        [
            ("representatives", "2021-10-31", "ldp", "won", 261, 465, "a"),
            ("representatives", "2021-10-31", "ldp", "won", 259, 465, "b"),  # a conflicting count
            ("representatives", "2021-10-31", "komeito", "won", 32, 465, "a"),
            ("representatives", "2021-10-31", "ishin", "won", 41, 465, "a"),
            ("representatives", "2021-10-31", "cdp", "won", 96, 465, "a"),
            ("representatives", "2021-10-31", "newparty", "won", 5, 465, "a"),
            ("councillors", "2022-07-10", "ldp", "won", 63, 248, "a"),  # won is not held: ignored
            ("councillors", "2022-07-10", "ldp", "held", 119, 248, "a"),
            ("councillors", "2022-07-10", "komeito", "held", 27, 248, "a"),
            ("councillors", "2022-07-10", "ishin", "held", 21, 248, "a"),
        ]
    )


@pytest.fixture
def parties():
    return pd.DataFrame(
        {"party_id": ["ldp", "komeito", "ishin", "cdp"], "position_on_revision": ["for", "mixed", "for", "against"]}
    )


def test_bloc_sums_stated_positions_with_a_range(seats, parties):
    strict = politics.bloc_seats(seats, parties, "representatives", pd.Timestamp("2021-10-31"), ("for",))
    assert (strict["low"], strict["high"]) == (259 + 41, 261 + 41)
    assert strict["parties"] == ["ishin", "ldp"]
    assert strict["parties_without_position"] == ["newparty"]
    wide = politics.bloc_seats(seats, parties, "representatives", pd.Timestamp("2021-10-31"), ("for", "mixed"))
    assert wide["low"] == 259 + 41 + 32


def test_upper_house_uses_seats_held(seats, parties):
    bloc = politics.bloc_seats(seats, parties, "councillors", pd.Timestamp("2022-07-10"), ("for", "mixed"))
    assert bloc["low"] == 119 + 27 + 21


def test_arithmetic_table_and_periods(seats, parties):
    table = politics.table_arithmetic(seats, parties).set_index("chamber")
    assert table.at["representatives", "two_thirds_n"] == 310
    assert table.at["representatives", "reaches_for"] == "no"  # 300-302 < 310
    assert table.at["representatives", "reaches_with_mixed"] == "yes"  # 332 >= 310
    assert table.at["councillors", "reaches_with_mixed"] == "yes"  # 167 >= 166
    periods = politics.possible_periods(table.reset_index(), date(2023, 1, 1))
    assert list(periods["possible"]) == ["uncertain", "yes"]  # no upper-house count before 2022


def test_pm_on_and_continuity_rate():
    leaders = pd.DataFrame(
        {
            "office": ["jp-prime-minister"] * 2,
            "person": ["A", "B"],
            "start_date": pd.to_datetime(["2024-01-01", "2024-03-01"]),
            "end_date": pd.to_datetime(["2024-03-01", None]),
            "source_id": ["s", "s"],
        }
    )
    assert politics.pm_on(leaders, pd.Timestamp("2024-02-29")) == "A"
    assert politics.pm_on(leaders, pd.Timestamp("2024-03-01")) == "B"
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3"],
            "same_event_as": ["", "", ""],
            "date": pd.to_datetime(["2024-01-10", "2024-02-10", "2024-05-30"]),
            "category": ["summit", "budget", "minilateral"],
            "country_codes": [["JPN"], ["JPN"], ["JPN", "USA"]],
        }
    )
    table = politics.table_continuity(events, leaders, date(2024, 1, 1), date(2024, 6, 9)).set_index("Prime minister")
    assert table.at["A", "Total"] == 2 and table.at["B", "Total"] == 1
    assert table.at["A", "Events per 100 days"] == pytest.approx(100 * 2 / 60, abs=0.05)
    # The sitting prime minister's span runs to the as-of date (100 days), not to the last event (90).
    assert table.at["B", "Events per 100 days"] == pytest.approx(1.0)


def test_lowest_approval_reads_only_the_polls_out_by_the_date():
    polls = pd.DataFrame(
        {
            "cabinet": ["Kishida", "Kishida", "Kishida", "Ishiba"],
            "fieldwork_date": pd.to_datetime(["2023-12-16", "2024-06-01", "2024-03-01", "2024-12-01"]),
            "approve_pct": [16.0, 12.0, None, 10.0],
        }
    )
    assert politics.lowest_approval(polls, "Kishida")["approve_pct"] == 12
    assert politics.lowest_approval(polls, "Kishida", date(2024, 4, 22))["approve_pct"] == 16
