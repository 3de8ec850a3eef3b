"""The closing chapter: the two briefs side by side, and a scorecard of their claims.

Evidence for an outcome is either an event (``event:ID`` in events.csv) or a computed result
of another chapter (``glue:chapter::key``), read from the glued outputs stored in that chapter's
notebook, so the scorecard quotes the number the chapter shows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import altair as alt
import pandas as pd

from alliance.analysis.events import date_label
from alliance.data.datapkg import _log_read
from alliance.data.paths import CHAPTERS_DIR
from alliance.data.sources import source_line
from alliance.present import glue, theme

STATUS_ORDER = ["borne-out", "partly-borne-out", "not-borne-out", "too-early", "untestable"]
STATUS_LABELS = {
    "borne-out": "Borne out",
    "partly-borne-out": "Partly borne out",
    "not-borne-out": "Not borne out",
    "too-early": "Too early to tell",
    "untestable": "Untestable with these data",
}
# Colour-blind-safe: blue for borne out, orange for partly, vermilion for not, greys otherwise.
STATUS_COLORS = [theme.PALETTE[0], theme.PALETTE[1], theme.PALETTE[3], "#999999", "#cccccc"]
BRIEF_LABELS = {"asan": "Choi (Asan)", "eai": "Kim (EAI)"}
# A claim's short name for a chart axis and the table beside it: the author and the claim's number.
BRIEF_AUTHORS = {"asan": "Choi", "eai": "Kim"}
# The front-page chart's type: a step above the house 11 px, since a phone shows it at drawn size.
FRONT_FONT_PX = 13
KIND_LABELS = {"assessment": "Assessment", "prediction": "Prediction", "recommendation": "Recommendation"}


def claim_short(claim_id: str) -> str:
    """'asan-08' -> 'Choi 8': a claim as a reader can find it in the scorecard table."""
    brief, _, number = claim_id.partition("-")
    return f"{BRIEF_AUTHORS[brief]} {int(number)}"


def glued_values(notebook: Path) -> dict[str, str]:
    """Every value a chapter glued, as the text the book shows."""
    values = glue.glued_values(notebook)
    # Logged as a read of the glued values alone: a prose edit in a quoted chapter leaves the
    # scorecard current; a changed value makes it stale.
    _log_read(notebook, glue.values_bytes(values), part="glue")
    return values


def chapter_title(notebook: Path) -> str:
    """The chapter's heading as readers see it (its first '# ' line), or the file name."""
    title = glue.chapter_heading(notebook)
    _log_read(notebook, title.encode("utf-8"), part="title")
    return title


# A glued value of this many words or more reads as a sentence and is shown as it is.
SENTENCE_WORDS = 4
# A shorter value (a number, a rank) needs to say what it measures: a label per glue key that an
# outcome cites, in the words of the chapter that glues it. resolve_evidence refuses a key missing here.
EVIDENCE_LABELS = {
    "hub_last": "Hub dependence at the as-of date",
    "jpn_deg": "Japan's partners in the security network at the as-of date",
    "jpn_rank": "Japan's rank by eigenvector centrality at the as-of date",
    "jpn_rank_now": "Japan's rank by eigenvector centrality at the as-of date",
    "kor_rank_now": "South Korea's rank by eigenvector centrality at the as-of date",
    "kor_us_jpn_groupings_at_asan": "Standing groupings with the United States and Japan that South Korea had "
    "joined by Choi's brief",
    "ratio_first_last": "Japan's defence budget in the record's last year, as a multiple of its first",
    "last_tn": "Japan's defence budget in the record's last year, trillion yen",
    "fy24_pct": "Japan's security-related spending in the summit's fiscal year, % of GDP",
    "tomahawk_n": "Tomahawk missiles the agreement covers, at most",
    "tomahawk_delivered": "Date deliveries of Tomahawk missiles to Japan began",
    "n_transfer_rows": "Defence-transfer rows in the record",
    "n_items_with_steps": "The summit's industrial items with at least one dated step",
    "n_listed": "Items in Kim's list of summit initiatives",
    "n_listed_in_documents": "Items of Kim's list found in the summit's own documents",
    "n_unlisted": "Summit initiatives the brief does not list",
    "n_possible_wide": "Spans between elections in which both houses held two-thirds, counting mixed parties",
    "n_kor_aukus_events": "Events on AUKUS Pillar II naming South Korea",
    "kishida_low": "Lowest cabinet approval under Kishida, %",
    "n_in_band": "Polls putting cabinet approval inside the brief's range",
    "troops_jpn": "U.S. active-duty personnel in Japan, latest year",
    "claim_gap_pct": "The brief's troop figure against that count, % difference",
    "n_reactions": "Chinese, North Korean and Russian reactions in the record",
    # Values taken at a brief's date, for claims stated as already true (judged at that date).
    "proj_largest_rise_at_asan": "Period of the largest rise in projecting events, counted to Choi's brief",
    "hub_at_asan": "Hub dependence at the date of Choi's brief",
    "jpn_groupings_rank_at_eai": "Japan's rank by standing minilateral groupings at the date of Kim's brief",
    "jpn_usa_eig_at_eai": "Japan against the United States on eigenvector centrality at the date of Kim's brief",
    "kishida_low_at_eai": "Lowest cabinet approval under Kishida in the polls out by Kim's brief, %",
    "n_window_in_band": "Polls between the scandal and Kim's brief inside the brief's range",
    "troops_jpn_at_eai": "U.S. active-duty personnel in Japan, latest yearly count before Kim's brief",
    "troops_year_at_eai": "Year of that count",
}


def parse_evidence(evidence: str) -> list[tuple[str, str, str]]:
    """'event:ID;glue:chapter::key' -> [('event', '', ID), ('glue', chapter, key)]."""
    items = []
    for item in evidence.split(";"):
        kind, _, ref = item.partition(":")
        if kind == "event":
            items.append(("event", "", ref))
        elif kind == "glue":
            chapter, _, key = ref.partition("::")
            items.append(("glue", chapter, key))
        else:
            raise ValueError(f"unknown evidence item {item!r}")
    return items


def resolve_evidence(evidence: str, events: pd.DataFrame, chapters_dir: Path = CHAPTERS_DIR) -> list[str]:
    """Evidence items as readers see them: event titles with dates, computed values with their key.

    Raises KeyError when an item does not exist: an event id missing from events.csv, or a glue
    key the chapter does not glue.
    """
    by_id = events.set_index("event_id")
    cache: dict[str, dict[str, str]] = {}
    titles: dict[str, str] = {}
    out = []
    for kind, chapter, ref in parse_evidence(evidence):
        if kind == "event":
            if ref not in by_id.index:
                raise KeyError(f"event {ref!r} is not in events.csv")
            row = by_id.loc[ref]
            out.append(f"{date_label(row['date'], row['date_precision'])}: {row['title']}")
        else:
            if chapter not in cache:
                path = chapters_dir / f"{chapter}.ipynb"
                if not path.exists():
                    raise KeyError(f"chapter {chapter!r} does not exist")
                cache[chapter] = glued_values(path)
                titles[chapter] = chapter_title(path)
            if ref not in cache[chapter]:
                raise KeyError(f"chapter {chapter!r} glues no key {ref!r}")
            value = cache[chapter][ref]
            # Readers get the chapter's title, not its file name, and a label, never the key.
            if len(value.split()) >= SENTENCE_WORDS:
                shown = value
            elif ref in EVIDENCE_LABELS:
                shown = f"{EVIDENCE_LABELS[ref]}: {value}"
            else:
                raise KeyError(f"glue key {ref!r} ({value!r}) needs a label in scorecard.EVIDENCE_LABELS")
            out.append(f"{shown} (chapter '{titles[chapter]}')")
    return out


def label_topics(frame: pd.DataFrame, topics: pd.DataFrame, column: str = "topic") -> pd.DataFrame:
    """``frame`` with each topic key replaced by its label from topics.csv, for readers."""
    labels = topics.set_index("topic")["label_en"]
    missing = sorted(set(frame[column]) - set(labels.index))
    if missing:
        raise KeyError(f"topics without a label in topics.csv: {missing}")
    return frame.assign(**{column: frame[column].map(labels)})


def topic_matrix(claims: pd.DataFrame) -> pd.DataFrame:
    """Each topic: which brief addresses it, and whether they share a view (a common stance)."""
    rows = []
    for topic, group in claims.groupby("topic", sort=True):
        stances = {b: set(group.loc[group["brief"].eq(b), "stance"]) for b in BRIEF_LABELS}
        if stances["asan"] and stances["eai"]:
            relation = "share a view" if stances["asan"] & stances["eai"] else "different emphasis"
        else:
            relation = f"{BRIEF_LABELS['asan' if stances['asan'] else 'eai']} only"
        rows.append(
            {
                "topic": topic,
                "relation": relation,
                "asan_claims_n": len(group[group["brief"].eq("asan")]),
                "eai_claims_n": len(group[group["brief"].eq("eai")]),
                "asan": "; ".join(group.loc[group["brief"].eq("asan"), "claim"]),
                "eai": "; ".join(group.loc[group["brief"].eq("eai"), "claim"]),
            }
        )
    order = {"share a view": 0, "different emphasis": 1}
    frame = pd.DataFrame(rows)
    return frame.sort_values(
        ["relation", "topic"], key=lambda s: s.map(order).fillna(2) if s.name == "relation" else s
    ).reset_index(drop=True)


def table_counts(claims: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Outcomes by status and brief."""
    frame = outcomes.merge(claims[["claim_id", "brief"]], on="claim_id")
    table = pd.crosstab(frame["status"], frame["brief"]).reindex(STATUS_ORDER, fill_value=0)
    table = table.reindex(columns=list(BRIEF_LABELS), fill_value=0).rename(columns=BRIEF_LABELS)
    table["Both briefs"] = table.sum(axis=1)
    table.index = [STATUS_LABELS[s] for s in table.index]
    return table.rename_axis("Status").reset_index()


def table_scorecard(
    claims: pd.DataFrame, outcomes: pd.DataFrame, events: pd.DataFrame, chapters_dir: Path = CHAPTERS_DIR
) -> pd.DataFrame:
    """Every scored claim with its status, evidence and a link to the chapter that tests it."""
    frame = outcomes.merge(claims, on="claim_id").sort_values(["kind", "claim_id"], ascending=[False, True])
    return pd.DataFrame(
        {
            "claim_id": frame["claim_id"].to_numpy(),
            "Claim number": frame["claim_id"].map(claim_short).to_numpy(),
            "Brief": frame["brief"].map(BRIEF_LABELS).to_numpy(),
            "Kind": frame["kind"].map(KIND_LABELS).to_numpy(),
            "Claim": frame["claim"].to_numpy(),
            "Status": frame["status"].map(STATUS_LABELS).to_numpy(),
            "Evidence": ["; ".join(resolve_evidence(e, events, chapters_dir)) for e in frame["evidence"]],
            "Why": frame["rationale"].to_numpy(),
            "Chapter": [chapter_title(chapters_dir / f"{c}.ipynb") for c in frame["chapter"]],
            "chapter_url": [f"{c}.html" for c in frame["chapter"]],
            "status_code": frame["status"].to_numpy(),
        }
    ).reset_index(drop=True)


def chart_scorecard(table: pd.DataFrame, sources: pd.DataFrame, sources_used, as_of: date):
    """Each prediction and tested assessment at its status, the evidence in the tooltip."""
    data = table.assign(status_label=table["Status"], short=table["Claim number"])
    order = [STATUS_LABELS[s] for s in STATUS_ORDER]
    chart = (
        alt.Chart(data)
        # mark_point, not mark_circle: a circle mark ignores the shape channel (squares for Kim).
        .mark_point(size=160, opacity=0.9, filled=True)
        .encode(
            x=alt.X("status_label:N", title=None, sort=order, axis=alt.Axis(labelAngle=0, labelLimit=120)),
            y=alt.Y("short:N", title=None, sort=list(data.sort_values(["Brief", "claim_id"])["short"])),
            color=alt.Color(
                "status_label:N", title="Status", scale=alt.Scale(domain=order, range=STATUS_COLORS), legend=None
            ),
            shape=alt.Shape(
                "Brief:N",
                title="Brief",
                scale=alt.Scale(domain=list(BRIEF_LABELS.values()), range=["circle", "square"]),
            ),
            tooltip=[
                alt.Tooltip("Claim number:N"),
                alt.Tooltip("Claim:N"),
                alt.Tooltip("Brief:N"),
                alt.Tooltip("Kind:N"),
                alt.Tooltip("Status:N"),
                alt.Tooltip("Evidence:N"),
                alt.Tooltip("Why:N"),
            ],
        )
        .properties(width=theme.WIDTH_PX - 80, height=14 * len(data))
    )
    counts = data["status_code"].value_counts()
    description = (
        f"A dot chart of {len(data)} scored claims from the two briefs, one row each, placed by status: "
        + ", ".join(f"{counts.get(s, 0)} {STATUS_LABELS[s].lower()}" for s in STATUS_ORDER)
        + ". Each row is named by its brief's author and the claim's number, as in the scorecard table, "
        "which gives the claim, its evidence and the reason for its status."
    )
    return theme.finish(
        chart,
        title="How the briefs' claims have fared",
        subtitle=f"Status as of {as_of:%Y-%m-%d}; rows named as in the scorecard table",
        description=description,
        footer=source_line(sources_used, sources, as_of),
    )


def verdict_glue(outcomes: pd.DataFrame) -> dict[str, str]:
    """Each scored claim's status as prose writes it ('partly borne out'), keyed
    'verdict_<claim id>' (asan-01 -> verdict_asan_01), for the front page's findings."""
    return {
        f"verdict_{cid.replace('-', '_')}": STATUS_LABELS[status].lower()
        for cid, status in zip(outcomes["claim_id"], outcomes["status"], strict=True)
    }


def chart_status_counts(claims: pd.DataFrame, outcomes: pd.DataFrame, sources, sources_used, as_of: date):
    """The scorecard at a glance: how many of each brief's scored claims stand at each status.

    Drawn for the front page, where it must read on a phone at its drawn size: narrow
    (``theme.NARROW_WIDTH_PX``), with its type a step larger than the house default, as the
    image is never shown wider than drawn (intro.md gives its width).
    """
    order = [STATUS_LABELS[s] for s in STATUS_ORDER]
    frame = outcomes.merge(claims, on="claim_id")
    data = (
        frame.assign(Brief=frame["brief"].map(BRIEF_LABELS), Status=frame["status"].map(STATUS_LABELS))
        .groupby(["Brief", "Status"], as_index=False)
        .size()
        .rename(columns={"size": "claims_n"})
    )
    data["status_rank"] = data["Status"].map(order.index)
    # One row per brief, its name above its bar, so the bars and the source line get the whole
    # width and both start at the left edge (names beside the bars would take a quarter of it).
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("claims_n:Q", title="Scored claims (n)",
                    axis=theme.count_axis(labelFontSize=FRONT_FONT_PX, titleFontSize=FRONT_FONT_PX, tickCount=6)),
            color=alt.Color(
                "Status:N", title=None, sort=order, scale=alt.Scale(domain=order, range=STATUS_COLORS),
                legend=alt.Legend(orient="top", columns=2, labelFontSize=FRONT_FONT_PX - 1, labelLimit=0),
            ),
            order=alt.Order("status_rank:Q"),
            tooltip=[alt.Tooltip("Brief:N"), alt.Tooltip("Status:N"), alt.Tooltip("claims_n:Q", title="Claims (n)")],
        )
        .properties(width=theme.NARROW_WIDTH_PX, height=26)
        .facet(
            row=alt.Row("Brief:N", title=None, sort=list(BRIEF_LABELS.values()),
                        header=alt.Header(labelOrient="top", labelAnchor="start", labelAngle=0,
                                          labelFontSize=FRONT_FONT_PX, labelPadding=0, labelBaseline="bottom")),
            spacing=8,
        )
    )
    parts = []
    for brief, rows in data.sort_values("status_rank").groupby("Brief", sort=False):
        counts = ", ".join(f"{int(r.claims_n)} {r.Status.lower()}" for r in rows.itertuples())
        parts.append(f"{brief}, {int(rows['claims_n'].sum())} claims: {counts}")
    description = "Stacked bars of the scored claims of each brief by status: " + "; ".join(sorted(parts)) + "."
    return theme.finish(
        chart,
        title="How the briefs' claims have fared",
        subtitle=f"Scored claims by status, as of {as_of:%Y-%m-%d}",
        description=description,
        width=theme.NARROW_WIDTH_PX,
        footer=source_line(sources_used, sources, as_of),
    )
