"""South Korea chapters: scenarios through the lattice API, the options matrix, the pathway graph."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from alliance.analysis import korea

AS_OF = date(2026, 11, 24)


@pytest.fixture
def scenarios():
    return pd.DataFrame(
        {
            "scenario_id": ["kor-aukus", "kor-ind"],
            "name": ["ROK in AUKUS-like group", "ROK-India tie"],
            "kind": ["defense-industrial", "other"],
            "level": ["ministers", "officials"],
            "is_formal_alliance": pd.array([False, False], dtype="boolean"),
            "proposed_by": ["both", "asan"],
            "note": ["", ""],
            "source_id": ["s", "s"],
        }
    )


@pytest.fixture
def scenario_members():
    return pd.DataFrame(
        {
            "scenario_id": ["kor-aukus"] * 3 + ["kor-ind"] * 2,
            "country_code": ["USA", "JPN", "KOR", "IND", "KOR"],
            "source_id": ["s"] * 5,
        }
    )


@pytest.fixture
def sourced(ties, members):
    return ties.assign(source_id="s", same_tie_as=""), members.assign(source_id="s", spell_n=1)


def test_scenario_rows_take_the_tie_form(scenarios, scenario_members):
    ties, members = korea.scenario_ties(scenarios, scenario_members, AS_OF)
    assert list(ties["tie_id"]) == ["scenario-kor-aukus", "scenario-kor-ind"]
    assert (ties["start_date"] == pd.Timestamp(AS_OF)).all() and ties["end_date"].isna().all()
    assert set(members["tie_id"]) == set(ties["tie_id"])


def test_scenario_effects_against_the_baseline(sourced, scenarios, scenario_members):
    ties, members = sourced
    effects = korea.scenario_effects(ties, members, scenarios, scenario_members, AS_OF).set_index("scenario_id")
    assert effects.at["baseline", "partners_n"] == 1  # in the fixture South Korea is tied to the U.S. only
    assert effects.at["kor-aukus", "partners_n_change"] == 1  # gains Japan
    assert effects.at["kor-ind", "partners_n_change"] == 1  # gains India
    assert effects.at["kor-aukus", "rank_change"] >= 0
    assert effects.at["kor-aukus", "hub_dependence_change"] < 0  # a JPN-KOR link bypasses the U.S.


def test_partners_already_tied(sourced, scenario_members):
    ties, members = sourced
    assert korea.scenario_partners_already_tied(ties, members, scenario_members, AS_OF) == (1, 3)


def test_options_matrix_marks_agreement():
    options = pd.DataFrame(
        {
            "option_id": ["asan-a", "eai-a", "eai-b"],
            "topic": ["aukus", "aukus", "aid"],
            "brief": ["asan", "eai", "eai"],
            "option": ["Decide", "Join", "Give aid"],
            "domain": ["military-technology", "military-technology", "aid"],
        }
    )
    matrix = korea.options_matrix(options).set_index("topic")
    assert matrix.at["aukus", "addressed_by"] == "both"
    assert matrix.at["aid", "addressed_by"] == "Kim (EAI) only"
    assert matrix.at["aukus", "asan"] == "Decide" and matrix.at["aukus", "eai"] == "Join"


def test_pathway_layers_follow_the_chain():
    pathway = pd.DataFrame(
        {
            "link_id": ["a", "b", "c"],
            "from_step": ["rok-joins-pillar2", "china-opposes", "defensive-messaging"],
            "to_step": ["china-opposes", "china-eases-dprk-sanctions", "china-opposes"],
            "relation": ["leads-to", "leads-to", "reduces"],
            "note": ["", "", ""],
            "source_id": ["s"] * 3,
        }
    )
    depth = korea.pathway_layers(korea.pathway_graph(pathway))
    assert depth["rok-joins-pillar2"] == 0 and depth["china-opposes"] == 1 and depth["china-eases-dprk-sanctions"] == 2
    assert depth["defensive-messaging"] == 1  # beside the link it cuts


def test_every_pathway_step_has_a_label_and_a_column():
    assert set(korea.STEP_LABELS) == set(korea.PATHWAY_COLUMNS)


def test_missing_tasks():
    innovation = pd.DataFrame({"item_id": ["fa1", "t01", "t16"], "level": ["focus-area", "task", "task"]})
    missing = korea.missing_tasks(innovation)
    assert missing[0] == "t02" and "t16" not in missing and len(missing) == korea.DEFENSE_INNOVATION_TASKS_N - 2


def test_threads_select_by_the_coding_not_by_the_title():
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3"],
            "date": pd.to_datetime(["2024-01-02", "2023-05-01", "2022-01-01"]),
            "title": ["KMPR revived", "Budget passes", "KMPR mentioned in passing"],
            "same_event_as": ["", "", ""],
        }
    )
    threads = pd.DataFrame({"thread": ["kmpr-three-axis", "kmpr-three-axis"], "event_id": ["e1", "e2"]})
    assert list(korea.kmpr_events(events, threads)["event_id"]) == ["e2", "e1"]
    with pytest.raises(KeyError, match="summit-for-democracy"):
        korea.democracy_summits(events, threads)
