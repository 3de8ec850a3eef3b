"""Chart rules: an axis fits the data it shows, a line is broken at long gaps, counts have whole
ticks, and every encoding a caption promises is in the spec."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from alliance.analysis import budgets, korea, politics, scorecard, verdicts
from alliance.data import datapkg
from alliance.data.paths import CHAPTERS_DIR
from alliance.present import theme


def _walk(spec):
    """Every unit or layer spec in a (nested) Vega-Lite spec."""
    yield spec
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for part in spec.get(key, []):
            yield from _walk(part)


def _spec(chart) -> dict:
    return json.loads(chart.to_json())


@pytest.fixture(scope="module")
def tables():
    names = [
        "defense_budgets",
        "sources",
        "capability_milestones",
        "us_troops",
        "countries",
        "approval_polls",
        "leaders",
        "brief_figures",
    ]
    return {n: datapkg.load_table(n) for n in names}


def test_line_segments_break_at_long_gaps():
    dates = ["2024-01-01", "2024-02-01", "2024-03-01", "2025-06-01", "2025-07-01", "2024-01-05"]
    assert theme.line_segments(dates, ["a"] * 5 + ["b"]) == ["a#0", "a#0", "a#0", "a#1", "a#1", "b#0"]
    # A series read at a steady pace is one line.
    assert len(set(theme.line_segments(pd.date_range("2020-01-01", periods=12, freq="MS"), ["x"] * 12))) == 1


def test_milestones_are_not_drawn_on_the_yen_axis(tables):
    series = budgets.headline_series(tables["defense_budgets"], tables["sources"])
    spec = _spec(budgets.chart_mod_budget(series, tables["capability_milestones"], tables["sources"], datapkg.as_of()))
    fields = {p.get("encoding", {}).get("y", {}).get("field") for p in _walk(spec)} - {None}
    assert "y" not in fields  # the old stacked-on-top milestone positions
    colours = [p["encoding"]["color"] for p in _walk(spec) if p.get("encoding", {}).get("color", {}).get("field")]
    assert any(c["field"] == "stage_label" for c in colours), "a draft budget must look different from an enacted one"


def test_troop_axes_end_where_the_data_end(tables):
    spec = _spec(
        budgets.chart_us_troops(
            tables["us_troops"], tables["countries"], tables["sources"], datapkg.as_of(), 54000, "x"
        )
    )
    years = tables["us_troops"]["year"]
    domains = [
        p["encoding"]["x"]["scale"]["domain"]
        for p in _walk(spec)
        if p.get("encoding", {}).get("x", {}).get("field") == "year"
    ]
    assert domains and all(d[1] == years.max() and not d[0] < years.min() for d in domains)
    assert any(d[0] > years.min() for d in domains), (
        "a recent panel shows the years the brief's figure is compared with"
    )


def test_poll_lines_break_at_gaps(tables):
    claim = tables["brief_figures"].set_index("figure_id").loc["eai-ldp-approval"].copy()
    claim["label"] = "claim"
    spec = _spec(
        politics.chart_approval(tables["approval_polls"], tables["leaders"], claim, tables["sources"], datapkg.as_of())
    )
    lines = [
        p
        for p in _walk(spec)
        if p.get("mark") in ("line", {"type": "line", "point": True})
        or (isinstance(p.get("mark"), dict) and p["mark"].get("type") == "line")
    ]
    assert lines and all(p["encoding"].get("detail", {}).get("field") == "segment" for p in lines)


def test_count_axes_have_whole_number_ticks():
    ties = datapkg.load_table("security_ties")
    members = datapkg.load_table("tie_members")
    effects = korea.scenario_effects(
        ties, members, datapkg.load_table("scenarios"), datapkg.load_table("scenario_members"), datapkg.as_of()
    )
    spec = _spec(korea.chart_scenarios(effects, datapkg.load_table("sources"), [], datapkg.as_of()))
    count_panels = [
        p
        for p in _walk(spec)
        if "(change, n)" in str(p.get("encoding", {}).get("x", {}).get("title", ""))
        or "places gained" in str(p.get("encoding", {}).get("x", {}).get("title", ""))
    ]
    assert len(count_panels) == 2
    assert all(p["encoding"]["x"]["axis"].get("tickMinStep") == 1 for p in count_panels)


def test_scorecard_shapes_the_caption_promises_exist():
    claims = datapkg.load_table("claims")
    events = datapkg.load_table("events")
    _, outcomes, _ = verdicts.compute(
        datapkg.load_table("claim_tests"),
        datapkg.load_table("claim_outcomes"),
        claims,
        events,
        datapkg.load_table("developments"),
    )
    table = scorecard.table_scorecard(claims, outcomes, events)
    spec = _spec(scorecard.chart_scorecard(table, datapkg.load_table("sources"), [], datapkg.as_of()))
    marks = [p for p in _walk(spec) if p.get("encoding", {}).get("shape")]
    assert marks, "the caption promises squares for Kim's claims"
    mark = marks[0]["mark"]
    assert (mark if isinstance(mark, str) else mark["type"]) == "point"  # a circle mark drops the shape channel
    assert "square" in marks[0]["encoding"]["shape"]["scale"]["range"]
    caption = (CHAPTERS_DIR / "10_scorecard.ipynb").read_text(encoding="utf-8")
    assert "squares Kim" in caption
