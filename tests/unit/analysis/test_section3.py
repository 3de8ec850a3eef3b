"""The briefs' section-3 topics: reactions, aid, NATO attendance, perception polls, legal thresholds."""

from __future__ import annotations

import pandas as pd

from alliance.analysis import korea, politics
from alliance.data import datapkg
from alliance.present.glue import and_join


def test_reactions_are_china_north_korea_or_russia_and_tied_steps_exist():
    reactions = datapkg.load_table("reactions")
    assert set(reactions["actor"]) <= {"CHN", "PRK", "RUS"}  # an allied action is never a reaction
    events = set(datapkg.load_table("events")["event_id"])
    tied = reactions["reacts_to_event_id"].fillna("")
    assert set(tied[tied.ne("")]) <= events
    counts = korea.reaction_counts(reactions)
    assert counts["CHN"] + counts["PRK"] + counts["RUS"] == counts["explicit"]
    assert counts["explicit"] + counts["context"] == counts["all"]


def test_humanitarian_sums_leave_out_loans_plans_and_running_totals():
    pledges = pd.DataFrame(
        {
            "date": pd.to_datetime(["2023-01-01", "2023-06-01", "2023-07-01", "2024-01-01"]),
            "recipient": ["ukraine", "ukraine", "ukraine", "gaza"],
            "kind": ["humanitarian", "loan", "humanitarian", "cumulative-statement"],
            "amount_usd_m": [10.0, 2000.0, 5.0, 40.0],
        }
    )
    table = korea.humanitarian_by_year(pledges)
    assert table["Ukraine (USD million)"].sum() == 15
    assert table["Gaza (USD million)"].sum() == 0
    assert "Year announced" in table


def test_ip4_reading_counts_leaders_and_names_who_stayed_away():
    attendance = pd.DataFrame(
        {
            "summit_id": ["nato-2024-washington"] * 2 + ["nato-2025-the-hague"] * 2,
            "summit_date": pd.to_datetime(["2024-07-09"] * 2 + ["2025-06-24"] * 2),
            "country_code": ["JPN", "KOR", "JPN", "KOR"],
            "attendance": ["leader", "leader", "minister", "leader"],
            "attendee": ["a", "b", "c", "d"],
        }
    )
    countries = pd.DataFrame({"country_code": ["JPN", "KOR"], "name_en": ["Japan", "South Korea"]})
    text = korea.reading_ip4(attendance, countries)
    assert "2 in 2024 and 1 in 2025" in text and "Japan sent someone" in text


def test_and_join():
    assert and_join(["a"]) == "a"
    assert and_join(["a", "b"]) == "a and b"
    assert and_join(["a", "b", "c"]) == "a, b and c"


def test_revision_polls_are_drawn_mid_period_and_all_listed():
    polls = pd.DataFrame(
        {
            "pollster": ["A", "A", "B"],
            "fieldwork_date": pd.to_datetime(["2015-04-01", "2025-01-01", "2020-04-10"]),
            "date_precision": ["month", "year", "day"],
            "favour_pct": [30.0, 45.0, 50.0],
            "against_pct": [40.0, None, 30.0],
            "question": ["q", "q", "q"],
        }
    )
    drawn = politics.plot_dates(polls)
    assert drawn.iloc[0] == pd.Timestamp("2015-04-15") and drawn.iloc[1] == pd.Timestamp("2025-07-02")
    assert drawn.iloc[2] == pd.Timestamp("2020-04-10")
    assert len(politics.table_revision_polls(polls)) == 3
    assert politics.revision_latest(polls) == {"A": "2025", "B": "2020"}


def test_asset_protection_reading_keeps_scopes_apart():
    missions = pd.DataFrame(
        {"year": [2020, 2022, 2022, 2021], "missions_n": [25, 31, 27, 1],
         "scope": ["usa-only", "all-partners", "usa-only", "australia-only"]}
    )
    reading = politics.asset_protection_reading(missions)
    assert reading["usa_peak"] == "27" and reading["all_partner"] == "31 in 2022" and reading["usa_gaps"] == "2021"


def test_perception_chart_breaks_the_line_where_the_survey_changed():
    polls = datapkg.load_table("perception_polls")
    spec = korea.chart_perception(polls, datapkg.load_table("sources"), datapkg.as_of()).to_dict()
    text = str(spec)
    assert "'detail': {'field': 'segment'" in text
