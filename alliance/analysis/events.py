"""The dated events: labels, groups and the timeline chart."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from alliance.data.datapkg import distinct, item_key
from alliance.data.sources import source_line
from alliance.present import theme

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


def date_labels(frame: pd.DataFrame, column: str = "date", precision: str = "date_precision") -> list[str]:
    """Each row's date written as precisely as its source gives it."""
    return [date_label(d, p) for d, p in zip(frame[column], frame[precision], strict=True)]


def prepare_events(events: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Events with display columns: date label, group, country names and source citation."""
    names = countries.set_index("country_code")["name_en"]
    cite = sources.set_index("source_id")
    frame = events.copy()
    frame["date_label"] = date_labels(frame)
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
        "source_id",  # not drawn: lets the book's data download name each event's source
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
    first = frame["date"].min()
    full = [f"{first.year}-01-01", f"{as_of:%Y-%m-%d}"]
    zoom = [DETAIL_START.isoformat(), f"{as_of:%Y-%m-%d}"]
    # The overview shades the period the detail panel shows; both domains are fixed, so the
    # static image matches what an interactive reader first sees (then pans and zooms).
    window = alt.Chart(alt.Data(values=[{"start": zoom[0], "end": zoom[1]}])).mark_rect(color="#000", opacity=0.07)
    overview = alt.layer(
        window.encode(x="start:T", x2="end:T"),
        alt.Chart(data)
        .mark_tick(thickness=2, size=14)
        .encode(x=alt.X("date:T", title=None, scale=alt.Scale(domain=full), axis=alt.Axis(format="%Y")), color=color),
    ).properties(width=theme.WIDTH_PX, height=30, title=f"All events since {first.year}; shaded: the period below")
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
        .mark_circle(size=90, stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("date:T", title="Date", scale=alt.Scale(domain=zoom), axis=alt.Axis(format="%Y")),
            y=alt.Y("category_label:N", title=None, sort=category_order),
            color=color,
            opacity=alt.condition(pick, alt.value(0.9), alt.value(0.12)),
            tooltip=tooltip,
        )
        .add_params(pick)
        .interactive(bind_y=False)
        .properties(
            width=theme.WIDTH_PX,
            height=22 * len(category_order),
            title=f"{DETAIL_START.year} to {as_of:%Y} in detail",
        )
    )
    description = (
        f"Timeline of {len(frame)} dated events in the U.S.-Japan alliance from {frame['date_label'].iloc[0]} "
        f"to {frame['date_label'].iloc[-1]}, one dot per event, in rows by category and coloured by kind. "
        f"An overview strip covers the whole period; the main panel shows {DETAIL_START.year} onwards. "
        f"Each dot stands for one event, with its title, date, countries and source."
    )
    return theme.finish(
        alt.vconcat(overview, detail, spacing=12),
        title="From protection to projection: the alliance's dated events",
        subtitle=f"{len(frame)} events, {first.year} to {as_of:%Y-%m-%d}",
        description=description,
        footer=source_line(frame["source_id"], sources, as_of) + " Each event's own source is in the list of sources.",
    )


# Period boundaries for counting events: the Abe government's return (Dec 2012) opens the
# decade of reform the briefs build on; the NSS of 16 Dec 2022 and the summit of 10 Apr 2024
# are the two turning points the briefs name.
PERIODS = [
    ("1951 to 2012-12-25", date(1951, 1, 1)),
    ("2012-12-26 to 2022-12-15", date(2012, 12, 26)),
    ("2022-12-16 (NSS) to 2024-04-09", date(2022, 12, 16)),
    ("2024-04-10 (summit) onwards", date(2024, 4, 10)),
]
SUMMIT_DATE = date(2024, 4, 10)
NSS_DATE = date(2022, 12, 16)
# Categories that measure the briefs' 'projection': Japan acting with, not only under, the U.S.
PROJECTION_CATEGORIES = ["command-and-control", "capability", "defense-industry", "export-rules", "minilateral"]


def period_of(when: pd.Series, as_of: date) -> pd.Series:
    starts = [pd.Timestamp(start) for _, start in PERIODS] + [pd.Timestamp(as_of) + pd.Timedelta(days=1)]
    labels = [label for label, _ in PERIODS]
    return pd.cut(when, bins=starts, labels=labels, right=False)


def table_events_by_period(events: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Events per period and per year, overall and for the 'projection' categories."""
    frame = distinct(events)
    frame = frame.assign(
        period=period_of(frame["date"], as_of), is_projection=frame["category"].isin(PROJECTION_CATEGORIES)
    )
    ends = [start for _, start in PERIODS[1:]] + [as_of + pd.Timedelta(days=1).to_pytimedelta()]
    years = [(end - start).days / 365.25 for (_, start), end in zip(PERIODS, ends, strict=True)]
    grouped = frame.groupby("period", observed=False)
    table = pd.DataFrame(
        {
            "period": [label for label, _ in PERIODS],
            "years_n": [round(y, 1) for y in years],
            "events_n": grouped.size().to_numpy(),
            "projection_events_n": grouped["is_projection"].sum().to_numpy(),
        }
    )
    # Rates use the exact lengths; only the column shown to readers is rounded.
    table["events_per_year"] = (table["events_n"] / pd.Series(years)).round(1)
    table["projection_events_per_year"] = (table["projection_events_n"] / pd.Series(years)).round(1)
    return table


def table_source_agreement(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Events reported by more than one source, and whether the sources agree on the date.

    Differences in figures are kept in each row's note (and, for seat counts, in the politics
    chapter's tables); only dates are compared here, because titles are paraphrases.
    """
    frame = events.assign(key=item_key(events, "event_id"))
    publisher = sources.set_index("source_id")["publisher"]
    rows = []
    for key, group in frame.groupby("key", sort=False):
        if len(group) < 2:
            continue
        first = group[group["event_id"].eq(key)].iloc[0]
        dates = sorted(set(date_labels(group)))
        rows.append(
            {
                "event_id": key,
                "date": first["date"],
                "event": first["title"],
                "sources_n": len(group),
                "publishers": "; ".join(publisher[s] for s in group["source_id"]),
                "dates_reported": ", ".join(dates),
                "dates_agree": "yes" if len(dates) == 1 else "no",
            }
        )
    return pd.DataFrame(rows).sort_values(["date", "event_id"]).reset_index(drop=True)


def event_date(events: pd.DataFrame, event_id: str) -> str:
    """An event's date, written as precisely as its source gives it (for glued prose)."""
    row = events.loc[events["event_id"].eq(event_id)]
    if row.empty:
        raise KeyError(f"no event {event_id!r} in events.csv")
    return date_label(row["date"].iloc[0], row["date_precision"].iloc[0])


def months_between(start: date, end: date) -> int:
    """Whole calendar months from start to end."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


# Rates within this many events a year of each other count as level, not as a rise or fall:
# the record's counts are small, so smaller differences say nothing.
LEVEL_BAND_PER_YEAR = 1.0


def describe_change(before: float, after: float) -> str:
    """'rose', 'fell' or 'stayed about level', for prose that must follow the numbers."""
    if abs(after - before) < LEVEL_BAND_PER_YEAR:
        return "stayed about level"
    return "rose" if after > before else "fell"


def largest_rise(table: pd.DataFrame, column: str) -> str:
    """The period whose rate rose most over the period before it."""
    rises = table[column].diff()
    return table.loc[rises.idxmax(), "period"]


def timing_reading(table: pd.DataFrame, column: str) -> str:
    """What the period of the largest rise says about the briefs' timing (a sentence for prose)."""
    period = largest_rise(table, column)
    labels = [label for label, _ in PERIODS]
    if period == labels[2]:
        return (
            "The largest rise begins with the strategy, before the summit: the record fits a transformation "
            "prepared over years, which the summit confirmed, better than a single break at the summit."
        )
    if period == labels[3]:
        return "The largest rise comes after the summit: the record fits the reading of the summit itself as the break."
    return "The largest rise predates both turning points the briefs name."
