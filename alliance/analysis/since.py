"""Since the briefs: developments from the summer of 2024 to the as-of date, each read against
the claim of a brief it bears on."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from alliance.analysis.events import date_labels
from alliance.data.sources import source_line
from alliance.present import theme

ACTORS = {
    "washington": "Washington",
    "tokyo": "Tokyo",
    "seoul": "Seoul",
    "pyongyang-beijing-moscow": "Pyongyang, Beijing, Moscow",
}
# How a development bears on a claim, in the order the chapter reads them.
BEARINGS = {
    "supports": "supports the claim",
    "weakens": "weakens the claim",
    "tests": "puts the claim to the test, not yet settled",
    "overtakes": "overtakes a fact the brief states",
    "beyond-the-briefs": "beyond the briefs: neither discusses it",
}
BRIEF_NAMES = {"asan": "Choi (Asan)", "eai": "Kim (EAI)"}


def claim_label(claim_id: str, claims: pd.DataFrame) -> str:
    """'Choi (Asan): <the claim>' for a claim id, so readers never meet the code alone."""
    if not claim_id:
        return "neither brief"
    row = claims.set_index("claim_id").loc[claim_id]
    return f"{BRIEF_NAMES[row['brief']]}: {row['claim']}"


def prepare(developments: pd.DataFrame, events: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Developments joined to their event (date, title, source) and their claim, in date order."""
    ev = events.set_index("event_id")
    frame = developments.copy()
    frame["date"] = frame["event_id"].map(ev["date"])
    frame["date_precision"] = frame["event_id"].map(ev["date_precision"])
    frame["title"] = frame["event_id"].map(ev["title"])
    frame["source_id"] = frame["event_id"].map(ev["source_id"])
    frame["date_label"] = date_labels(frame)
    frame["actor_label"] = frame["actor"].map(ACTORS)
    frame["bearing_label"] = frame["bearing"].map(BEARINGS)
    frame["claim_label"] = [claim_label(c, claims) for c in frame["claim_id"]]
    return frame.sort_values(["date", "development_id"]).reset_index(drop=True)


def table_developments(frame: pd.DataFrame, actor: str) -> pd.DataFrame:
    """One actor's developments: date, what happened, the claim it bears on, how, and why."""
    rows = frame[frame["actor"].eq(actor)]
    return pd.DataFrame(
        {
            "Date": rows["date_label"],
            "Development": rows["title"],
            "Bears on": rows["claim_label"],
            "Reading": rows["bearing_label"],
            "Why": rows["reason"],
        }
    ).reset_index(drop=True)


def counts_by_actor(frame: pd.DataFrame) -> pd.DataFrame:
    """Developments per actor and bearing (every actor and bearing shown, zeros included)."""
    table = pd.crosstab(frame["actor"], frame["bearing"]).reindex(index=list(ACTORS), columns=list(BEARINGS))
    table = table.fillna(0).astype(int)
    return pd.DataFrame(
        {
            "Actor": [ACTORS[a] for a in table.index],
            **{f"{BEARINGS[b].capitalize()} (n)": table[b].to_numpy() for b in BEARINGS},
            "All (n)": table.sum(axis=1).to_numpy(),
        }
    )


# (singular, plural) verbs for a count of developments bearing one way on a claim.
VERBS = {
    "supports": ("supports", "support"),
    "weakens": ("weakens", "weaken"),
    "tests": ("tests", "test"),
    "overtakes": ("overtakes", "overtake"),
}


def claim_summary(frame: pd.DataFrame, claim_id: str) -> str:
    """'since the briefs, 2 developments support it and 1 weakens it': the scorecard's evidence."""
    rows = frame[frame["claim_id"].eq(claim_id)]
    parts = []
    for bearing, (one, many) in VERBS.items():
        n = int(rows["bearing"].eq(bearing).sum())
        if n:
            parts.append(f"{n} development{'s' if n > 1 else ''} {many if n > 1 else one} it")
    if not parts:
        return "no development since the briefs in the record"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"since the briefs, {listed}"


def glue_key(claim_id: str) -> str:
    return "since_" + claim_id.replace("-", "_")


def chart_developments(frame: pd.DataFrame, sources: pd.DataFrame, as_of: date) -> alt.VConcatChart:
    """One dot per development, in rows by actor, coloured by how it bears on its claim."""
    data = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d"))[
        ["date", "date_label", "title", "actor_label", "bearing_label", "claim_label", "reason"]
    ]
    # source_id is not drawn: it lets the book's data download name each development's source.
    data = data.assign(
        source=[source_line([s], sources, as_of) for s in frame["source_id"]], source_id=frame["source_id"]
    )
    chart = (
        alt.Chart(data)
        .mark_circle(size=110, stroke="white", strokeWidth=0.5, opacity=0.9)
        .encode(
            x=alt.X(
                "date:T",
                title="Date",
                scale=alt.Scale(domain=[f"{frame['date'].min():%Y-%m}-01", as_of.isoformat()]),
                axis=alt.Axis(format="%Y-%m", tickCount=8),
            ),
            y=alt.Y("actor_label:N", title=None, sort=list(ACTORS.values())),
            color=alt.Color(
                "bearing_label:N",
                title="How it bears on the brief",
                scale=alt.Scale(domain=list(BEARINGS.values())),
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("title:N", title="Development"),
                alt.Tooltip("date_label:N", title="Date"),
                alt.Tooltip("claim_label:N", title="Bears on"),
                alt.Tooltip("bearing_label:N", title="Reading"),
                alt.Tooltip("reason:N", title="Why"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=46 * len(ACTORS))
    )
    counts = frame["bearing"].value_counts()
    first = frame["date"].min()
    description = (
        f"Timeline of {len(frame)} developments from {frame['date_label'].iloc[0]} to {frame['date_label'].iloc[-1]}, "
        f"one dot per development, in rows for Washington, Tokyo, Seoul and Pyongyang, Beijing and Moscow, coloured "
        f"by how each bears on a claim of the briefs: {int(counts.get('supports', 0))} support a claim, "
        f"{int(counts.get('weakens', 0))} weaken one, {int(counts.get('tests', 0))} test one, "
        f"{int(counts.get('overtakes', 0))} overtake a fact and {int(counts.get('beyond-the-briefs', 0))} lie beyond "
        f"both briefs. The tables below give each development, the claim it bears on and why."
    )
    return theme.finish(
        chart,
        title="Since the briefs: what happened, and which claim it bears on",
        subtitle=f"{len(frame)} developments, {first:%B %Y} to {as_of:%Y-%m-%d}; readings are this project's coding",
        description=description,
        footer=source_line(frame["source_id"], sources, as_of) + " Each development's own source is in its tooltip.",
    )
