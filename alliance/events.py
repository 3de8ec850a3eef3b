"""The dated events: labels, groups and the timeline chart."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from alliance import theme
from alliance.sources import source_line

# Categories shown together share one colour; six groups keep the palette colour-blind safe.
CATEGORY_GROUPS = {
    "treaty": "Alliances and diplomacy",
    "summit": "Alliances and diplomacy",
    "two-plus-two": "Alliances and diplomacy",
    "diplomacy": "Alliances and diplomacy",
    "minilateral": "Minilateral groupings",
    "command-and-control": "Forces and command",
    "capability": "Forces and command",
    "defense-industry": "Defence industry and exports",
    "export-rules": "Defence industry and exports",
    "strategy-document": "Strategy and budgets",
    "budget": "Strategy and budgets",
    "politics-japan": "Domestic politics",
    "politics-korea": "Domestic politics",
    "politics-us": "Domestic politics",
}
GROUP_ORDER = list(dict.fromkeys(CATEGORY_GROUPS.values()))
CATEGORY_LABELS = {
    "treaty": "Treaty",
    "summit": "Summit",
    "two-plus-two": "2+2 meeting",
    "diplomacy": "Other diplomacy",
    "minilateral": "Minilateral",
    "command-and-control": "Command and control",
    "capability": "Capability",
    "defense-industry": "Defence industry",
    "export-rules": "Export rules",
    "strategy-document": "Strategy document",
    "budget": "Budget",
    "politics-japan": "Politics: Japan",
    "politics-korea": "Politics: South Korea",
    "politics-us": "Politics: U.S.",
}
BRIEF_SECTIONS = {
    "asan-1": "Choi (Asan) §1: protection to projection",
    "asan-2": "Choi (Asan) §2: Japan's security policy",
    "asan-3": "Choi (Asan) §3: implications for South Korea",
    "asan-domestic": "Choi (Asan): Japanese domestic politics",
    "eai-1": "Kim (EAI) I: the April 2024 summit",
    "eai-2": "Kim (EAI) II: Japan's rising status",
    "eai-3": "Kim (EAI) III: South Korea's way forward",
    "background": "Background (neither brief)",
}
# The detail panel opens on the period both briefs discuss; the overview brush widens it.
DETAIL_START = date(2012, 1, 1)
DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def date_label(when: pd.Timestamp, precision: str) -> str:
    """The date written only as precisely as the source gives it."""
    return when.strftime(DATE_FORMATS[precision])


def prepare_events(events: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Events with display columns: date label, group, country names and source citation."""
    names = countries.set_index("country_code")["name_en"]
    cite = sources.set_index("source_id")
    frame = events.copy()
    frame["date_label"] = [date_label(d, p) for d, p in zip(frame["date"], frame["date_precision"], strict=True)]
    frame["category_label"] = frame["category"].map(CATEGORY_LABELS)
    frame["group"] = frame["category"].map(CATEGORY_GROUPS)
    frame["countries"] = [", ".join(names[c] for c in codes) for codes in frame["country_codes"]]
    frame["brief_section_label"] = frame["brief_section"].map(BRIEF_SECTIONS)
    frame["source"] = [f"{cite.at[s, 'publisher']}: {cite.at[s, 'title']}" for s in frame["source_id"]]
    return frame.sort_values(["date", "event_id"]).reset_index(drop=True)


def count_by_group(events: pd.DataFrame, since: date | None = None) -> pd.DataFrame:
    """Number of events per category group, optionally from a date on."""
    frame = events if since is None else events[events["date"] >= pd.Timestamp(since)]
    counts = frame["category"].map(CATEGORY_GROUPS).value_counts().reindex(GROUP_ORDER, fill_value=0)
    return counts.rename_axis("group").reset_index(name="events_n")


def chart_timeline(
    events: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame, as_of: date
) -> alt.VConcatChart:
    """Overview-plus-detail timeline: drag on the overview to choose the period shown below."""
    frame = prepare_events(events, countries, sources)
    columns = [
        "event_id",
        "date",
        "date_label",
        "title",
        "category_label",
        "group",
        "countries",
        "brief_section_label",
        "source",
    ]
    data = frame[columns].assign(date=frame["date"].dt.strftime("%Y-%m-%d"))
    category_order = [CATEGORY_LABELS[c] for c in CATEGORY_GROUPS]
    color = alt.Color(
        "group:N",
        title="Kind of event",
        scale=alt.Scale(domain=GROUP_ORDER),
        legend=alt.Legend(orient="bottom", columns=3),
    )
    pick = alt.selection_point(fields=["group"], bind="legend")
    brush = alt.selection_interval(encodings=["x"], value={"x": [DETAIL_START.isoformat(), as_of.isoformat()]})
    first, last = frame["date"].min(), pd.Timestamp(as_of)
    span = [f"{first.year}-01-01", last.strftime("%Y-%m-%d")]
    overview = (
        alt.Chart(data)
        .mark_tick(thickness=2, size=14)
        .encode(x=alt.X("date:T", title=None, scale=alt.Scale(domain=span), axis=alt.Axis(format="%Y")), color=color)
        .add_params(brush)
        .properties(width=theme.WIDTH_PX, height=30, title="All events; drag to choose the period shown below")
    )
    tooltip = [
        alt.Tooltip("title:N", title="Event"),
        alt.Tooltip("date_label:N", title="Date"),
        alt.Tooltip("category_label:N", title="Category"),
        alt.Tooltip("countries:N", title="Countries"),
        alt.Tooltip("brief_section_label:N", title="Bears on"),
        alt.Tooltip("source:N", title="Source"),
    ]
    detail = (
        alt.Chart(data)
        .mark_circle(size=90, opacity=0.85, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("date:T", title="Date", scale=alt.Scale(domain={"param": brush.name})),
            y=alt.Y("category_label:N", title=None, sort=category_order),
            color=color,
            opacity=alt.condition(pick, alt.value(0.9), alt.value(0.12)),
            tooltip=tooltip,
            href=alt.value(None),
        )
        .add_params(pick)
        .properties(width=theme.WIDTH_PX, height=22 * len(category_order))
    )
    description = (
        f"Timeline of {len(frame)} dated events in the U.S.-Japan alliance from {frame['date_label'].iloc[0]} "
        f"to {frame['date_label'].iloc[-1]}, one dot per event, in rows by category and coloured by kind. "
        f"An overview strip above selects the period shown; hovering a dot shows its title, date, countries and source."
    )
    return theme.finish(
        alt.vconcat(overview, detail, spacing=12),
        title="From protection to projection: the alliance's dated events",
        subtitle=f"{len(frame)} events, {first.year} to {as_of:%Y-%m-%d}; click a legend entry to highlight one kind",
        description=description,
        footer=source_line(frame["source_id"], sources, as_of) + " Each event's own source is in its tooltip.",
    )
