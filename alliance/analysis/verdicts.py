"""Statuses of the briefs' claims, computed from written tests under one rule.

Each scored claim has one or more tests in ``claim_tests.csv``. A test reads one item of
evidence (an event in events.csv, or a value another chapter computed and glued) and checks it
against what the claim says. Every test gives one result; the claim's status follows from its
tests' results under the rule in ``RULE`` (shown to readers in the scorecard chapter), so another
analyst given the same tests reaches the same statuses.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from alliance.analysis.events import date_label
from alliance.analysis.scorecard import KIND_LABELS, glued_values, parse_evidence
from alliance.data import datapkg
from alliance.data.paths import CHAPTERS_DIR

# A test's result.
PASS, FAIL, PENDING, UNKNOWN = "pass", "fail", "pending", "unknown"
RESULT_LABELS = {
    PASS: "holds",
    FAIL: "does not hold",
    PENDING: "not yet (the step may still come)",
    UNKNOWN: "not measured (a gap in this project's sources)",
}

# What a test checks. Each check is applied by ``evaluate`` below.
CHECKS = {
    "event-by": "the event is in the record, dated on or before the date the claim is judged at",
    "date-by": "the computed date is on or before the date the claim is judged at",
    "date-after-brief": "the computed date falls after the brief's publication and on or before the date the claim "
    "is judged at (what a prediction foresaw happened since the brief)",
    "about": "the computed value is within ABOUT_SHARE of the figure the brief states",
    "value-in-range": "the computed value lies in the stated range (ends included)",
    "value-at-least": "the computed value is at least the stated low",
    "value-at-most": "the computed value is at most the stated high",
    "text-is": "the computed reading is one of the stated readings",
    "text-starts": "the computed reading begins with the stated words",
    "awaited": "a step the claim predicts that is not in the record yet; the evidence is the latest step",
    "no-weakening": "no development since the briefs weakens the claim (the chapter 'Since the briefs' codes each one)",
    "not-found": "what the claim is about is not measured in this project's data",
    "hand": "a judgement by hand where no check fits; its result and reason are shown",
}
ROLES = ("headline", "robustness", "condition")
ROLE_LABELS = {"headline": "Headline", "robustness": "Robustness", "condition": "Condition"}
# 'About N' in a brief is read as within a tenth of N either way.
ABOUT_SHARE = 0.10

RULE = [
    "Each test gives one result: holds, does not hold, not yet, or not measured.",
    "A claim stated as already true (an assessment) is judged at the brief's date of publication, on values "
    "the chapters compute for that date (the network, the polls and the counts as they stood then); "
    "a prediction at the data's as-of date, against the record as far as it reaches (the chapter's coverage "
    "line gives where each series ends).",
    "If a condition the claim depends on (the brief's 'if') has not been met, a prediction is too early "
    "to tell and an assessment untestable.",
    "Tests whose result is 'not measured' are set aside: a gap in this project's sources never counts against "
    "a brief. If no headline test is left, the claim is untestable with these data.",
    "If every headline test holds, the claim is borne out, unless a robustness test does not hold; then it is "
    "partly borne out. Every prediction that a development since the briefs weakens has such a robustness test.",
    "If some headline tests hold and others do not, or have not happened yet, it is partly borne out.",
    "If no headline test holds: a prediction with a step still to come is too early to tell; "
    "otherwise the claim is not borne out.",
]


def _number(text: str) -> float:
    """The leading number of a glued value: '55,154' -> 55154, '1st' -> 1, '-2' -> -2."""
    match = re.match(r"\s*(-?[\d,]*\.?\d+)", str(text))
    if not match:
        raise ValueError(f"{text!r} is not a number")
    return float(match.group(1).replace(",", ""))


def _period_start(value: str, precision: str = "day") -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.to_period({"year": "Y", "month": "M"}.get(precision, "D")).start_time


def evaluate(
    test: pd.Series,
    judged_at: date,
    events: pd.DataFrame,
    glue: dict[str, dict[str, str]],
    weakened=frozenset(),
    brief_dates: dict[str, date] | None = None,
) -> str:
    """One test's result. ``glue`` maps chapter -> {key: value as shown}; ``weakened`` holds the claims
    a development since the briefs weakens; ``brief_dates`` maps a brief's source_id to its date."""
    check = test["check"]
    if check == "no-weakening":
        return FAIL if test["claim_id"] in weakened else PASS
    ((kind, chapter, ref),) = parse_evidence(str(test["evidence"]))
    if check == "not-found":
        return UNKNOWN
    if check == "awaited":
        return PENDING
    if check == "hand":
        return test["hand_result"]
    judged = pd.Timestamp(judged_at)
    if kind == "event":
        row = events.set_index("event_id").loc[ref]
        if check != "event-by":
            raise ValueError(f"test {test['test_id']}: an event can only be checked with event-by")
        # An event known only to the month counts as on or before a date in that month.
        return PASS if _period_start(row["date"], row["date_precision"]) <= judged else FAIL
    value = glue[chapter][ref]
    if check == "date-by":
        return PASS if _period_start(value) <= judged else FAIL
    if check == "date-after-brief":
        after = pd.Timestamp((brief_dates or {})[test["source_id"]])
        return PASS if after < _period_start(value) <= judged else FAIL
    if check == "text-is":
        return PASS if value in str(test["expected_text"]).split("|") else FAIL
    if check == "text-starts":
        return PASS if value.startswith(str(test["expected_text"])) else FAIL
    number = _number(value)
    if check == "about":
        stated = float(test["stated_value"])
        return PASS if abs(number - stated) <= ABOUT_SHARE * abs(stated) else FAIL
    low = -float("inf") if pd.isna(test["low"]) else float(test["low"])
    high = float("inf") if pd.isna(test["high"]) else float(test["high"])
    if check in ("value-in-range", "value-at-least", "value-at-most"):
        return PASS if low <= number <= high else FAIL
    raise ValueError(f"test {test['test_id']}: unknown check {check!r}")


def status(kind: str, results: list[tuple[str, str]]) -> str:
    """A claim's status from its tests' (role, result) pairs, under RULE; ``kind`` is the claim's
    kind (assessment or prediction)."""
    conditions = [r for role, r in results if role == "condition"]
    if any(r != PASS for r in conditions):
        return "too-early" if kind == "prediction" else "untestable"
    headline = [r for role, r in results if role == "headline" and r != UNKNOWN]
    robust = [r for role, r in results if role == "robustness"]
    if not headline:
        return "untestable"
    if all(r == PASS for r in headline):
        return "partly-borne-out" if FAIL in robust else "borne-out"
    if PASS in headline:
        return "partly-borne-out"
    if PENDING in headline and kind == "prediction":
        return "too-early"
    return "not-borne-out"


def judged_at(kind: str, brief_date: date, as_of: date) -> date:
    """The date a claim is judged at: the brief's for an assessment, the as-of date for a prediction."""
    return brief_date if kind == "assessment" else as_of


def brief_date(sources: pd.DataFrame, source_id: str) -> date:
    """A brief's date of publication; a brief dated only to the month counts from its first day."""
    published = str(sources.set_index("source_id").at[source_id, "date_published"])
    return pd.Timestamp(published if len(published) > 7 else f"{published}-01").date()


def weakened_claims(developments: pd.DataFrame) -> set[str]:
    """Claims that at least one development since the briefs weakens."""
    return set(developments.loc[developments["bearing"].eq("weakens"), "claim_id"])


def evaluate_all(
    tests, outcomes, claims, events, developments, glue, brief_dates=None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every test with its result, and every scored claim's computed status."""
    kinds = claims.set_index("claim_id")["kind"]
    dates = outcomes.set_index("claim_id")["as_of_date"]
    weak = weakened_claims(developments)
    frame = tests.copy()
    frame["result"] = [
        evaluate(t, dates[t["claim_id"]], events, glue, weak, brief_dates) for _, t in tests.iterrows()
    ]
    computed = {
        claim: status(kinds[claim], list(zip(group["role"], group["result"], strict=True)))
        for claim, group in frame.groupby("claim_id", sort=False)
    }
    return frame, computed


def chapters_glue(tests: pd.DataFrame, chapters_dir=CHAPTERS_DIR) -> dict[str, dict[str, str]]:
    """The glued values of every chapter the tests read, as the book shows them."""
    chapters = {chapter for item in tests["evidence"] for kind, chapter, _ in parse_evidence(item) if kind == "glue"}
    return {chapter: glued_values(chapters_dir / f"{chapter}.ipynb") for chapter in sorted(chapters)}


def compute(tests, outcomes, claims, events, developments, chapters_dir=CHAPTERS_DIR):
    """(tests with results, outcomes with the computed status in 'status'); see evaluate_all."""
    glue = chapters_glue(tests, chapters_dir)
    sources = datapkg.load_table("sources")
    briefs = {source_id: brief_date(sources, source_id) for source_id in set(claims["source_id"])}
    frame, computed = evaluate_all(tests, outcomes, claims, events, developments, glue, briefs)
    return frame, outcomes.assign(status=outcomes["claim_id"].map(computed)), glue


def rule_markdown() -> str:
    """The rule as a numbered list, with what each check does, for the chapter."""
    lines = [f"{i}. {step}" for i, step in enumerate(RULE, 1)]
    checks = [f"- *{name}*: {what.replace('ABOUT_SHARE', f'{ABOUT_SHARE:.0%}')}." for name, what in CHECKS.items()]
    return "\n".join(lines) + "\n\nThe checks a test can apply:\n\n" + "\n".join(checks)


def reading_not_borne(outcomes: pd.DataFrame, claims: pd.DataFrame) -> str:
    """Which claims are not borne out, and whether they are predictions or statements of fact."""
    frame = outcomes.merge(claims, on="claim_id")
    frame = frame[frame["status"].eq("not-borne-out")]
    if frame.empty:
        return "No claim is contradicted by the record."
    kinds = set(frame["kind"])
    lead = (
        "The claims not borne out are all statements of fact judged at their brief's date, not predictions: "
        if kinds == {"assessment"}
        else "The claims not borne out: "
    )
    return lead + "; ".join(frame["claim"]) + "."


def stronger_weaker_violations(outcomes: pd.DataFrame, computed: dict[str, str]) -> list[str]:
    """Pairs where a stronger claim got a stronger graded status than the weaker claim it contains."""
    grade = {"borne-out": 2, "partly-borne-out": 1, "not-borne-out": 0}
    bad = []
    for _, row in outcomes[outcomes["stronger_than"].fillna("").ne("")].iterrows():
        strong, weak = computed.get(row["claim_id"]), computed.get(row["stronger_than"])
        if strong in grade and weak in grade and grade[strong] > grade[weak]:
            bad.append(f"{row['claim_id']} ({strong}) is stronger than {row['stronger_than']} ({weak})")
    return bad


def describe_evidence(test: pd.Series, events: pd.DataFrame, glue: dict[str, dict[str, str]]) -> str:
    """The evidence a test reads, as readers see it: nothing for what is not measured, the latest
    step for what is awaited."""
    if test["check"] == "not-found":
        return "not in these data"
    if test["check"] == "awaited":
        return "latest step: " + _evidence_text(test, events, glue)
    return _evidence_text(test, events, glue)


def _evidence_text(test: pd.Series, events: pd.DataFrame, glue: dict[str, dict[str, str]]) -> str:
    ((kind, chapter, ref),) = parse_evidence(str(test["evidence"]))
    if kind == "event":
        row = events.set_index("event_id").loc[ref]
        return f"{date_label(row['date'], row['date_precision'])}: {row['title']}"
    return glue[chapter][ref]


def table_tests(frame: pd.DataFrame, claims: pd.DataFrame, events, glue) -> pd.DataFrame:
    """Each test as readers see it: the claim, what is tested, the evidence and the result. A
    claim's tests are kept together and the claim is written once, on its first test's row."""
    text = claims.set_index("claim_id")["claim"]
    order = {claim: i for i, claim in enumerate(dict.fromkeys(frame["claim_id"]))}
    frame = frame.sort_values("claim_id", key=lambda s: s.map(order), kind="stable")
    first = ~frame["claim_id"].duplicated()
    return pd.DataFrame(
        {
            "Claim": frame["claim_id"].map(text).where(first, "").to_numpy(),
            "Role": frame["role"].map(ROLE_LABELS).to_numpy(),
            "What is tested": frame["measure"].to_numpy(),
            "Evidence": [describe_evidence(t, events, glue) for _, t in frame.iterrows()],
            "Result": frame["result"].map(RESULT_LABELS).to_numpy(),
            "By hand": frame["check"].eq("hand").map({True: "yes: ", False: ""}).to_numpy()
            + frame["note"].where(frame["check"].eq("hand"), "").to_numpy(),
        }
    )


def table_not_scored(claims: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Claims without a status, each with the reason given in claims.csv."""
    rest = claims[~claims["claim_id"].isin(outcomes["claim_id"])]
    return pd.DataFrame(
        {
            "Claim": rest["claim"].to_numpy(),
            "Kind": rest["kind"].map(KIND_LABELS).to_numpy(),
            "Why not scored": rest["not_scored_reason"].to_numpy(),
        }
    )
