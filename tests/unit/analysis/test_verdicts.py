"""Statuses from tests under one rule: the rule's unit cases, and the stored statuses reproduced."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from alliance.analysis import scorecard, verdicts
from alliance.data import datapkg


def _test(**kw):
    base = dict(
        test_id="x-01-t1",
        check="event-by",
        evidence="",
        low=None,
        high=None,
        stated_value=None,
        expected_text="",
        hand_result="",
    )
    return pd.Series({**base, **kw})


EVENTS = pd.DataFrame(
    {
        "event_id": ["ev-2024-a", "ev-2025-b"],
        "date": pd.to_datetime(["2024-07-01", "2025-03-24"]),
        "date_precision": ["month", "day"],
        "title": ["A", "B"],
    }
)
GLUE = {"ch": {"n": "55,154", "rank": "1st", "word": "level with", "when": "2026-03-13"}}


@pytest.mark.parametrize(
    "kw, judged, expected",
    [
        (dict(evidence="event:ev-2024-a"), date(2024, 7, 1), "pass"),  # month-precision counts from its first day
        (dict(evidence="event:ev-2024-a"), date(2024, 6, 30), "fail"),
        (dict(evidence="event:ev-2025-b"), date(2024, 4, 22), "fail"),
        (dict(evidence="glue:ch::when", check="date-by"), date(2026, 11, 24), "pass"),
        (dict(evidence="glue:ch::n", check="about", stated_value=54000), date(2024, 1, 1), "pass"),
        (dict(evidence="glue:ch::n", check="about", stated_value=45000), date(2024, 1, 1), "fail"),
        (dict(evidence="glue:ch::rank", check="value-at-most", high=1), date(2024, 1, 1), "pass"),
        (dict(evidence="glue:ch::n", check="value-in-range", low=10, high=20), date(2024, 1, 1), "fail"),
        (
            dict(evidence="glue:ch::word", check="text-is", expected_text="level with|ahead of"),
            date(2024, 1, 1),
            "pass",
        ),
        (dict(evidence="glue:ch::word", check="text-starts", expected_text="behind"), date(2024, 1, 1), "fail"),
        (dict(evidence="glue:ch::n", check="not-found"), date(2024, 1, 1), "unknown"),
        (dict(evidence="glue:ch::n", check="awaited"), date(2024, 1, 1), "pending"),
        (dict(evidence="glue:ch::n", check="hand", hand_result="fail"), date(2024, 1, 1), "fail"),
        (dict(evidence="glue:ch::n", check="no-weakening", claim_id="weak-01"), date(2024, 1, 1), "fail"),
        (dict(evidence="glue:ch::n", check="no-weakening", claim_id="other-01"), date(2024, 1, 1), "pass"),
    ],
)
def test_each_check(kw, judged, expected):
    assert verdicts.evaluate(_test(**kw), judged, EVENTS, GLUE, {"weak-01"}) == expected


@pytest.mark.parametrize(
    "kind, results, weakened, expected",
    [
        ("assessment", [("headline", "pass")], False, "borne-out"),
        ("assessment", [("headline", "pass"), ("robustness", "fail")], False, "partly-borne-out"),
        ("assessment", [("headline", "pass"), ("headline", "fail")], False, "partly-borne-out"),
        ("prediction", [("headline", "pass"), ("headline", "pending")], False, "partly-borne-out"),
        ("prediction", [("headline", "pending")], False, "too-early"),
        ("assessment", [("headline", "fail")], False, "not-borne-out"),
        ("prediction", [("headline", "fail")], False, "not-borne-out"),
        # A gap in our sources never counts against a brief.
        ("assessment", [("headline", "unknown")], False, "untestable"),
        ("assessment", [("headline", "pass"), ("headline", "unknown")], False, "borne-out"),
        ("prediction", [("condition", "pending"), ("headline", "pass")], False, "too-early"),
        ("assessment", [("condition", "fail"), ("headline", "pass")], False, "untestable"),
    ],
)
def test_the_rule(kind, results, weakened, expected):
    assert verdicts.status(kind, results) == expected


def test_a_stronger_claim_may_not_score_better_than_the_weaker_it_contains():
    outcomes = pd.DataFrame({"claim_id": ["a", "b"], "stronger_than": ["b", ""]})
    assert verdicts.stronger_weaker_violations(outcomes, {"a": "borne-out", "b": "partly-borne-out"})
    assert not verdicts.stronger_weaker_violations(outcomes, {"a": "partly-borne-out", "b": "borne-out"})


@pytest.fixture(scope="module")
def scored():
    claims = datapkg.load_table("claims")
    outcomes = datapkg.load_table("claim_outcomes")
    tests = datapkg.load_table("claim_tests")
    frame, computed, _ = verdicts.compute(
        tests, outcomes, claims, datapkg.load_table("events"), datapkg.load_table("developments")
    )
    return claims, outcomes, tests, frame, computed


def test_every_stored_status_is_reproduced_by_the_rule(scored):
    _, outcomes, _, _, computed = scored
    stored = outcomes.set_index("claim_id")["status"]
    assert computed.set_index("claim_id")["status"].to_dict() == stored.to_dict()


def test_every_scored_claim_has_a_headline_test_and_every_test_a_scored_claim(scored):
    _, outcomes, tests, _, _ = scored
    headline = set(tests.loc[tests["role"].eq("headline"), "claim_id"])
    assert set(outcomes["claim_id"]) == headline


def test_claims_are_judged_at_the_rule_date(scored):
    claims, outcomes, _, _, _ = scored
    sources = datapkg.load_table("sources")
    frame = outcomes.merge(claims, on="claim_id")
    for row in frame.itertuples():
        expected = verdicts.judged_at(row.kind, verdicts.brief_date(sources, row.source_id_y), datapkg.as_of())
        assert pd.Timestamp(row.as_of_date).date() == expected, row.claim_id


def test_no_assessment_or_prediction_is_dropped_silently(scored):
    claims, outcomes, _, _, _ = scored
    rest = claims[~claims["claim_id"].isin(outcomes["claim_id"])]
    assert rest["not_scored_reason"].fillna("").str.len().gt(0).all()
    scored_ids = set(outcomes["claim_id"])
    assert claims.loc[claims["not_scored_reason"].fillna("").ne(""), "claim_id"].isin(scored_ids).sum() == 0


def test_stronger_claims_do_not_score_better(scored):
    _, outcomes, _, _, computed = scored
    assert verdicts.stronger_weaker_violations(outcomes, computed.set_index("claim_id")["status"].to_dict()) == []


def test_hand_judgements_give_a_reason_and_awaited_steps_are_predictions(scored):
    claims, _, tests, _, _ = scored
    hand = tests[tests["check"].eq("hand")]
    assert hand["note"].fillna("").str.len().gt(20).all()
    assert hand["hand_result"].isin(["pass", "fail", "pending"]).all()
    kinds = claims.set_index("claim_id")["kind"]
    awaited = tests[tests["check"].eq("awaited")]
    assert set(awaited["claim_id"].map(kinds)) <= {"prediction"}


def test_a_prediction_is_borne_out_only_by_what_came_after_its_brief(scored):
    claims, _, tests, _, _ = scored
    sources = datapkg.load_table("sources")
    events = datapkg.load_table("events").set_index("event_id")
    frame = tests.merge(claims[["claim_id", "kind", "source_id"]], on="claim_id", suffixes=("", "_brief"))
    chosen = frame["kind"].eq("prediction") & frame["check"].eq("event-by") & frame["role"].eq("headline")
    for row in frame[chosen].itertuples():
        event = events.loc[row.evidence.split(":", 1)[1]]
        assert event["date"].date() > verdicts.brief_date(sources, row.source_id_brief), row.test_id


def test_every_weakened_prediction_has_a_no_weakening_test(scored):
    claims, _, tests, _, _ = scored
    weak = verdicts.weakened_claims(datapkg.load_table("developments"))
    predictions = set(claims.loc[claims["kind"].eq("prediction"), "claim_id"])
    tested = set(tests.loc[tests["check"].eq("no-weakening"), "claim_id"])
    assert (weak & predictions & set(tests["claim_id"])) <= tested


# Values an assessment's test may read that are the same whatever date they are computed at: why.
DATE_FREE_KEYS = {
    "window_in_band_pct": "counted over the polls between the scandal and the brief's date",
    "fy24_pct": "the summit's fiscal year's initial budget, adopted before either brief",
}
# Checks that compare a date with the date the claim is judged at, or read nothing.
DATE_CHECKS = {"date-by", "event-by", "not-found", "hand", "awaited", "no-weakening"}


def test_an_assessment_reads_values_computed_at_its_brief_date(scored):
    """A statement of fact is judged at its brief's date, so every computed value its tests read is
    one the chapter computed at that date (key ending '_at_<brief>'), or one no date changes."""
    claims, _, tests, _, _ = scored
    brief = claims.set_index("claim_id")["brief"]
    kinds = claims.set_index("claim_id")["kind"]
    wrong = []
    for row in tests[tests["claim_id"].map(kinds).eq("assessment") & ~tests["check"].isin(DATE_CHECKS)].itertuples():
        for kind, _, key in scorecard.parse_evidence(row.evidence):
            if kind == "glue" and not key.endswith(f"_at_{brief[row.claim_id]}") and key not in DATE_FREE_KEYS:
                wrong.append(f"{row.test_id} reads {key}")
    assert wrong == []


@pytest.mark.parametrize(
    "when, expected",
    [("2026-03-13", "pass"), ("2024-01-18", "fail"), ("2027-01-01", "fail")],
)
def test_date_after_brief_needs_the_date_after_the_brief_and_by_the_judging_date(when, expected):
    """A prediction is borne out only by what happened after its brief: a date before it fails."""
    glue = {"ch": {"when": when}}
    test = _test(evidence="glue:ch::when", check="date-after-brief", source_id="brief")
    briefs = {"brief": date(2024, 8, 1)}
    assert verdicts.evaluate(test, date(2026, 11, 24), EVENTS, glue, set(), briefs) == expected
