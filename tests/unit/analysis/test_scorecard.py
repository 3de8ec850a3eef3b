"""The scorecard: every claim points to a chapter in the book, every outcome's evidence exists."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from alliance.analysis import scorecard
from alliance.build import execute
from alliance.data import datapkg
from alliance.data.paths import CHAPTERS_DIR, ROOT
from alliance.present import glue


@pytest.fixture(scope="module")
def claims():
    return datapkg.load_table("claims")


@pytest.fixture(scope="module")
def outcomes():
    return datapkg.load_table("claim_outcomes")


def toc_chapters() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return {c["file"].split("/")[-1] for part in toc["parts"] for c in part["chapters"]}


def test_at_least_forty_claims_from_both_briefs(claims):
    assert len(claims) >= 40
    assert set(claims["brief"]) == {"asan", "eai"}


def test_every_claim_points_to_a_chapter_in_the_book(claims):
    assert set(claims["chapter"]) <= toc_chapters()


def test_every_prediction_has_an_outcome(claims, outcomes):
    predictions = set(
        claims.loc[claims["kind"].eq("prediction") & claims["not_scored_reason"].fillna("").eq(""), "claim_id"]
    )
    assert predictions <= set(outcomes["claim_id"])
    scored = claims.set_index("claim_id").loc[outcomes["claim_id"], "kind"]
    assert "recommendation" not in set(scored)


def test_every_outcome_cites_evidence_that_exists(outcomes):
    events = datapkg.load_table("events")
    for row in outcomes.itertuples():
        resolved = scorecard.resolve_evidence(row.evidence, events)
        assert len(resolved) == len(row.evidence.split(";")), row.claim_id


def test_missing_evidence_is_refused(tmp_path):
    events = pd.DataFrame(
        {"event_id": ["ev-2024-a"], "date": pd.to_datetime(["2024-01-01"]), "date_precision": ["day"], "title": ["A"]}
    )
    with pytest.raises(KeyError, match="not in events.csv"):
        scorecard.resolve_evidence("event:ev-2024-missing", events, tmp_path)
    with pytest.raises(KeyError, match="does not exist"):
        scorecard.resolve_evidence("glue:99_none::key", events, tmp_path)
    assert scorecard.resolve_evidence("event:ev-2024-a", events, tmp_path) == ["2024-01-01: A"]


def test_glued_values_read_back_as_shown():
    values = scorecard.glued_values(CHAPTERS_DIR / "06_politics.ipynb")
    assert values["lower_need"] == "310"


def test_topic_matrix_relations():
    claims = pd.DataFrame(
        {
            "topic": ["a", "a", "b", "b", "c"],
            "brief": ["asan", "eai", "asan", "eai", "eai"],
            "stance": ["x", "x", "y", "z", "w"],
            "claim": ["1", "2", "3", "4", "5"],
        }
    )
    matrix = scorecard.topic_matrix(claims).set_index("topic")
    assert matrix.at["a", "relation"] == "share a view"
    assert matrix.at["b", "relation"] == "different emphasis"
    assert matrix.at["c", "relation"] == "Kim (EAI) only"


def test_scorecard_runs_after_the_chapters_it_quotes():
    assert execute.reads_other_chapters(CHAPTERS_DIR / "10_scorecard.ipynb")
    assert not execute.reads_other_chapters(CHAPTERS_DIR / "02_lattice.ipynb")


def test_glued_evidence_names_the_chapter_and_drops_the_key_of_a_sentence(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("(ch-x)=\n# A chapter title\n\nText."),
        nbformat.v4.new_code_cell(
            "",
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={glue.GLUE_MIME: repr(v)},
                    metadata={"scrapbook": {"name": k}},
                )
                for k, v in {
                    "jpn_rank": "1st",
                    "reading": "since the briefs, 2 developments support it",
                    "unlabelled_n": "3",
                }.items()
            ],
        ),
    ]
    nbformat.write(nb, tmp_path / "99_x.ipynb")
    events = pd.DataFrame(columns=["event_id", "date", "date_precision", "title"])
    shown = scorecard.resolve_evidence("glue:99_x::jpn_rank;glue:99_x::reading", events, tmp_path)
    # A short value is named by its label, never by its glue key; a key without a label is refused.
    assert shown == [
        f"{scorecard.EVIDENCE_LABELS['jpn_rank']}: 1st (chapter 'A chapter title')",
        "since the briefs, 2 developments support it (chapter 'A chapter title')",
    ]
    with pytest.raises(KeyError, match="needs a label"):
        scorecard.resolve_evidence("glue:99_x::unlabelled_n", events, tmp_path)


# The text column of a 390 px phone (the book's page margins take the rest).
PHONE_COLUMN_PX = 342


def _png_width(png: bytes) -> int:
    """A PNG's width in pixels, from its header."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big")


def test_front_chart_is_drawn_to_fit_a_phone(claims, outcomes):
    """The front page's chart is shown at its drawn size, so it must be drawn no wider than a
    phone's column (drawn at the house 640 px it shrank to half size and could not be read)."""
    import base64
    import re

    from alliance.present import theme

    theme.enable()
    chart = scorecard.chart_status_counts(claims, outcomes, datapkg.load_table("sources"),
                                          list(outcomes["source_id"]), datapkg.as_of())
    svg = theme.static_svg(chart.to_dict())
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))
    assert width <= PHONE_COLUMN_PX, f"the front chart is {width:.0f} px wide"
    # And the front page shows the stored image at that size: not stretched, not shrunk.
    stored = dict(glue.glued_outputs(CHAPTERS_DIR / "10_scorecard.ipynb"))["fig_status_counts"]
    png = base64.b64decode(stored["application/papermill.record/image/png"])
    shown = re.search(r"```\{figure\} _generated/front/status-counts\.png\n(?:.*\n)*?:width: (\d+)px",
                      (ROOT / "intro.md").read_text(encoding="utf-8"))
    assert shown, "intro.md gives the front chart no width in px"
    assert abs(int(shown.group(1)) - _png_width(png) / theme.PNG_SCALE) <= 1
