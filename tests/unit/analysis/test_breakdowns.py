"""Parts add up to their whole: every glued breakdown the prose states sums to its glued total.

Each entry names a chapter, the key of the total, and the keys of its parts as the chapter's
prose sets them side by side ("Of N, a are ..., b ... and c ...").
"""

from __future__ import annotations

import pytest

from alliance.analysis import scorecard, verdicts
from alliance.data.paths import CHAPTERS_DIR

BREAKDOWNS = [
    ("10_scorecard", "n_scored", ["n_borne", "n_partly", "n_not", "n_early", "n_untestable"]),
    ("10_scorecard", "n_topics", ["n_shared", "n_different", "n_single"]),
    ("10_scorecard", "n_claims", ["n_asan", "n_eai"]),
    ("10_scorecard", "n_claims", ["n_predictions", "n_assessments", "n_recommendations"]),
    ("10_scorecard", "n_claims", ["n_scored", "n_not_scored"]),
    ("04_industry_exports", "n_deals", ["n_transfers", "n_deals_proposed", "n_deals_lost"]),
    ("04_industry_exports", "n_transfers", ["n_under_2014", "n_after_2023", "n_other_rule"]),
    ("08_korea_options", "n_topics", ["n_topics_both", "n_asan_only", "n_eai_only"]),
    ("09_since_briefs", "n_dev", ["n_supports", "n_weakens", "n_tests", "n_overtakes", "n_beyond_the_briefs"]),
    ("09_since_briefs", "n_dev", ["n_washington", "n_tokyo", "n_seoul", "n_pyongyang_beijing_moscow"]),
]


@pytest.mark.parametrize("chapter, total, parts", BREAKDOWNS, ids=lambda v: v if isinstance(v, str) else None)
def test_parts_add_up_to_their_whole(chapter, total, parts):
    glued = scorecard.glued_values(CHAPTERS_DIR / f"{chapter}.ipynb")
    whole = verdicts._number(glued[total])
    assert sum(verdicts._number(glued[p]) for p in parts) == whole, (total, {p: glued[p] for p in parts})
