"""Japanese domestic politics: the arithmetic of amending the constitution, approval, continuity."""

from __future__ import annotations

import math
from datetime import date

import altair as alt
import pandas as pd

from alliance.analysis.events import CATEGORY_GROUPS, date_labels
from alliance.data.datapkg import first_reports
from alliance.data.sources import source_line
from alliance.present import theme

CHAMBER_LABELS = {"representatives": "House of Representatives", "councillors": "House of Councillors"}
# Article 96: an amendment is initiated by two-thirds or more of all the members of each House.
# The book takes 'all the members' as the chamber's size as sourced (the data record no vacancies).
SUPERMAJORITY = (2, 3)
# The lower house is elected whole, so seats won are seats held; the upper house elects half at a
# time, so only counts of seats held after an election say anything about two-thirds.
BASIS_FOR_CHAMBER = {"representatives": "won", "councillors": "held"}
# Event categories that are foreign and security policy, for the continuity question.
POLICY_CATEGORIES = [
    "treaty",
    "summit",
    "two-plus-two",
    "diplomacy",
    "minilateral",
    "command-and-control",
    "capability",
    "defense-industry",
    "export-rules",
    "strategy-document",
    "budget",
]
# Pollsters shown as lines (the two with the longest monthly series); others as points.
SERIES_POLLSTERS = ["Yomiuri Shimbun", "NHK"]


def two_thirds(size: int, vacancies: int = 0, count_vacancies: bool = False) -> int:
    """Seats needed for two-thirds of a chamber: of its full size, or of its sitting members
    when ``count_vacancies`` is true (vacancies then lower the bar)."""
    if size <= 0 or vacancies < 0 or vacancies >= size:
        raise ValueError(f"impossible chamber: size {size}, vacancies {vacancies}")
    base = size - vacancies if count_vacancies else size
    num, den = SUPERMAJORITY
    return math.ceil(base * num / den)


def bloc_seats(
    seats: pd.DataFrame, parties: pd.DataFrame, chamber: str, election: pd.Timestamp, positions=("for",)
) -> dict:
    """Seats of the parties whose stated position is in ``positions``, after one election.

    Sources that disagree on a party's seats give a range: the low end adds every party's
    lowest sourced count, the high end its highest.
    """
    rows = seats[
        seats["chamber"].eq(chamber)
        & seats["election_date"].eq(election)
        & seats["seats_basis"].eq(BASIS_FOR_CHAMBER[chamber])
        & seats["party_id"].ne("independents")
    ]
    stance = parties.set_index("party_id")["position_on_revision"]
    members = sorted(p for p in rows["party_id"].unique() if stance.get(p) in positions)
    unknown = sorted(p for p in rows["party_id"].unique() if p not in stance.index)
    per_party = rows[rows["party_id"].isin(members)].groupby("party_id")["seats_n"]
    return {
        "low": int(per_party.min().sum()) if members else 0,
        "high": int(per_party.max().sum()) if members else 0,
        "parties": members,
        "parties_without_position": unknown,
        "has_counts": not rows.empty,
    }


def party_names(seats: pd.DataFrame, parties: pd.DataFrame) -> dict[str, str]:
    """party_id -> the party's name for readers: its name in parties.csv, or for a party with no
    row there (no stated position) the name its seat counts' source gives most often."""
    names = {}
    if "party_as_sourced" in seats:
        for party, group in seats.groupby("party_id"):
            shown = group["party_as_sourced"].replace("", pd.NA).dropna()
            if len(shown):
                names[party] = shown.mode().iloc[0]
    if "name_en" in parties:
        names.update(zip(parties["party_id"], parties["name_en"], strict=True))
    return names


def table_arithmetic(seats: pd.DataFrame, parties: pd.DataFrame, blocs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per chamber and election: size, two-thirds, the pro-revision bloc (parties 'for', and
    with 'mixed' parties too), and whether it reaches two-thirds; ``blocs`` (diet_bloc_seats)
    adds the pro-revision totals that sources state themselves."""
    if blocs is None:
        blocs = pd.DataFrame(columns=["chamber", "election_date", "bloc_id", "seats_basis", "seats_n"])
    names = party_names(seats, parties)

    def named(ids) -> str:
        return "; ".join(names.get(p, p) for p in ids)

    rows = []
    for (chamber, election), group in seats.groupby(["chamber", "election_date"]):
        size = int(group["chamber_size_n"].mode().iloc[0])
        need = two_thirds(size)
        strict = bloc_seats(seats, parties, chamber, election, ("for",))
        wide = bloc_seats(seats, parties, chamber, election, ("for", "mixed"))
        sourced = blocs[
            blocs["chamber"].eq(chamber)
            & blocs["election_date"].eq(election)
            & blocs["bloc_id"].eq("pro-revision")
            & blocs["seats_basis"].eq("held")
        ]["seats_n"]
        rows.append(
            {
                "chamber": chamber,
                "election_date": election,
                "size_n": size,
                "two_thirds_n": need,
                "has_counts": strict["has_counts"],
                "bloc_for_low_n": strict["low"] if strict["has_counts"] else None,
                "bloc_for_high_n": strict["high"] if strict["has_counts"] else None,
                "bloc_with_mixed_low_n": wide["low"] if wide["has_counts"] else None,
                "bloc_with_mixed_high_n": wide["high"] if wide["has_counts"] else None,
                "sourced_pro_revision_n": ", ".join(str(int(v)) for v in sorted(sourced.unique())) or "",
                "parties_for": named(strict["parties"]),
                "parties_mixed": named(sorted(set(wide["parties"]) - set(strict["parties"]))),
                "parties_without_position": named(strict["parties_without_position"]),
            }
        )
    frame = pd.DataFrame(rows).sort_values(["chamber", "election_date"]).reset_index(drop=True)
    for bloc in ("for", "with_mixed"):
        frame[f"reaches_{bloc}"] = [
            "unknown" if not has else "yes" if low >= need else "only on some counts" if high >= need else "no"
            for has, low, high, need in zip(
                frame["has_counts"],
                frame[f"bloc_{bloc}_low_n"],
                frame[f"bloc_{bloc}_high_n"],
                frame["two_thirds_n"],
                strict=True,
            )
        ]
    return frame


ARITHMETIC_COLUMNS = {
    "chamber": "Chamber",
    "election_date": "Election",
    "size_n": "Seats",
    "two_thirds_n": "Two-thirds",
    "bloc_for_low_n": "Parties for: seats (low)",
    "bloc_for_high_n": "Parties for: seats (high)",
    "bloc_with_mixed_low_n": "With mixed parties: seats (low)",
    "bloc_with_mixed_high_n": "With mixed parties: seats (high)",
    "sourced_pro_revision_n": "Bloc total as sourced",
    "parties_for": "Parties for",
    "parties_mixed": "Mixed parties",
    "parties_without_position": "Parties with no stated position",
    "reaches_for": "Parties for reach two-thirds",
    "reaches_with_mixed": "With mixed parties reach two-thirds",
}


def table_arithmetic_for_readers(table: pd.DataFrame) -> pd.DataFrame:
    """The arithmetic table with named chambers, dated elections and headers in words."""
    return (
        table[list(ARITHMETIC_COLUMNS)]
        .assign(
            chamber=table["chamber"].map(CHAMBER_LABELS),
            election_date=table["election_date"].dt.strftime("%Y-%m-%d"),
        )
        .rename(columns=ARITHMETIC_COLUMNS)
    )


def possible_periods(table: pd.DataFrame, as_of: date, bloc: str = "with_mixed") -> pd.DataFrame:
    """Spans between elections, with whether each chamber's bloc reached two-thirds, and whether
    initiating an amendment was arithmetically possible (both chambers)."""
    dates = sorted(set(table["election_date"])) + [pd.Timestamp(as_of)]
    rows = []
    for start, end in zip(dates[:-1], dates[1:], strict=True):
        status = {}
        for chamber in CHAMBER_LABELS:
            latest = table[table["chamber"].eq(chamber) & table["election_date"].le(start)]
            status[chamber] = latest.iloc[-1][f"reaches_{bloc}"] if len(latest) else "unknown"
        both = status.values()
        possible = "yes" if all(s == "yes" for s in both) else "no" if any(s == "no" for s in both) else "uncertain"
        rows.append(
            {
                "from_date": start,
                "to_date": end,
                "lower_house": status["representatives"],
                "upper_house": status["councillors"],
                "possible": possible,
            }
        )
    return pd.DataFrame(rows)


def chart_arithmetic(table: pd.DataFrame, sources: pd.DataFrame, sources_used, as_of: date):
    """Each chamber's pro-revision bloc against its two-thirds line, election by election."""
    data = table[table["has_counts"]].copy()
    data["chamber_label"] = data["chamber"].map(CHAMBER_LABELS)
    data["when"] = data["election_date"].dt.strftime("%Y-%m-%d")
    data["bloc_for_mid"] = (data["bloc_for_low_n"] + data["bloc_for_high_n"]) / 2
    data["bloc_with_mixed_mid"] = (data["bloc_with_mixed_low_n"] + data["bloc_with_mixed_high_n"]) / 2
    base = alt.Chart(data).encode(x=alt.X("election_date:T", title="Election", axis=alt.Axis(format="%Y")))
    tooltip = [
        alt.Tooltip("chamber_label:N", title="Chamber"),
        alt.Tooltip("when:N", title="Election"),
        alt.Tooltip("size_n:Q", title="Seats"),
        alt.Tooltip("two_thirds_n:Q", title="Two-thirds"),
        alt.Tooltip("bloc_for_low_n:Q", title="Parties for (low)"),
        alt.Tooltip("bloc_for_high_n:Q", title="Parties for (high)"),
        alt.Tooltip("bloc_with_mixed_low_n:Q", title="With 'mixed' parties (low)"),
        alt.Tooltip("bloc_with_mixed_high_n:Q", title="With 'mixed' parties (high)"),
        alt.Tooltip("parties_for:N", title="Parties for"),
        alt.Tooltip("parties_mixed:N", title="Mixed"),
    ]
    # Every layer titles its y axis: a layer without a title adds its field name to the shared axis.
    need = base.mark_line(color="#555", strokeDash=[6, 4], interpolate="step-after").encode(
        y=alt.Y("two_thirds_n:Q", title="Seats"), tooltip=tooltip
    )
    wide = base.mark_point(filled=True, size=90, color=theme.PALETTE[1], shape="diamond").encode(
        y=alt.Y("bloc_with_mixed_mid:Q", title="Seats"), tooltip=tooltip
    )
    strict = base.mark_point(filled=True, size=90, color=theme.PALETTE[0]).encode(
        y=alt.Y("bloc_for_mid:Q", title="Seats"), tooltip=tooltip
    )
    spread = base.mark_rule(color=theme.PALETTE[0]).encode(
        y=alt.Y("bloc_for_low_n:Q", title="Seats"), y2="bloc_for_high_n:Q"
    )
    chart = (
        alt.layer(need, spread, strict, wide)
        .properties(width=300, height=260)
        .facet(column=alt.Column("chamber_label:N", title=None, sort=list(CHAMBER_LABELS.values())))
    )
    description = (
        "Two panels, one per chamber of Japan's Diet: after each election, the seats of parties for revising the "
        "constitution (circles) and of those parties with the 'mixed' ones (diamonds), against a dashed two-thirds "
        "line. Vertical bars span the range where sources disagree on a party's seats."
    )
    return theme.finish(
        chart.resolve_scale(y="independent"),
        title="Could the Diet initiate an amendment? The two-thirds arithmetic",
        subtitle="Circles: parties for revision; diamonds: with the 'mixed' parties; dashed: two-thirds",
        description=description,
        footer=source_line(sources_used, sources, as_of),
    )


def chart_approval(polls: pd.DataFrame, leaders: pd.DataFrame, claim: pd.Series, sources: pd.DataFrame, as_of: date):
    """Cabinet approval by pollster, with changes of prime minister and the brief's claimed range."""
    data = polls.dropna(subset=["approve_pct"]).assign(
        when=lambda f: f["fieldwork_date"].dt.strftime("%Y-%m-%d"),
        series=lambda f: f["pollster"].where(f["pollster"].isin(SERIES_POLLSTERS), "Other pollsters"),
    )
    data["segment"] = theme.line_segments(data["fieldwork_date"], data["series"])
    start = data["fieldwork_date"].min()
    pms = leaders[
        leaders["office"].eq("jp-prime-minister") & (leaders["end_date"].isna() | leaders["end_date"].ge(start))
    ]
    pms = pms.assign(
        when=pms["start_date"].dt.strftime("%Y-%m-%d"),
        x=pms["start_date"].where(pms["start_date"].ge(start), start).dt.strftime("%Y-%m-%d"),
    )
    x = alt.X("fieldwork_date:T", title="Fieldwork", axis=alt.Axis(format="%Y-%m"))
    colors = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=SERIES_POLLSTERS + ["Other pollsters"], range=[theme.PALETTE[0], theme.PALETTE[1], "#888"]
        ),
    )
    tooltip = [
        alt.Tooltip("pollster:N", title="Pollster"),
        alt.Tooltip("when:N", title="Fieldwork"),
        alt.Tooltip("cabinet:N", title="Cabinet"),
        alt.Tooltip("approve_pct:Q", title="Approve (%)"),
        alt.Tooltip("disapprove_pct:Q", title="Disapprove (%)"),
    ]
    # source_id is not drawn: it lets the book's data download name the brief as the band's source.
    cited = {"label": [claim["label"]], "source_id": [claim["source_id"]]}
    band = (
        alt.Chart(pd.DataFrame({"low": [claim["figure_low"]], "high": [claim["figure_high"]], **cited}))
        .mark_rect(color=theme.PALETTE[3], opacity=0.15)
        .encode(
            y=alt.Y("low:Q", title="Cabinet approval (%)", scale=alt.Scale(domain=[0, 70])),
            y2="high:Q",
            tooltip=[alt.Tooltip("label:N", title="Claim")],
        )
    )
    band_label = (
        alt.Chart(pd.DataFrame({"y": [claim["figure_high"]], **cited}))
        .mark_text(align="left", dx=4, dy=-6, fontSize=10, color=theme.PALETTE[3])
        .encode(y=alt.Y("y:Q", title="Cabinet approval (%)"), x=alt.value(0), text="label:N")
    )
    lines = (
        alt.Chart(data[data["series"].ne("Other pollsters")])
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("approve_pct:Q", title="Cabinet approval (%)"),
            color=colors,
            detail="segment:N",
            tooltip=tooltip,
        )
    )
    dots = (
        alt.Chart(data[data["series"].eq("Other pollsters")])
        .mark_point(size=30)
        .encode(x=x, y=alt.Y("approve_pct:Q", title="Cabinet approval (%)"), color=colors, tooltip=tooltip)
    )
    rules = (
        alt.Chart(pms)
        .mark_rule(color="#999", strokeDash=[2, 2])
        .encode(
            x="x:T", tooltip=[alt.Tooltip("person:N", title="Prime minister from"), alt.Tooltip("when:N", title="Date")]
        )
    )
    names = (
        alt.Chart(pms).mark_text(align="left", dx=3, y=8, fontSize=10, color="#555").encode(x="x:T", text="person:N")
    )
    description = (
        f"Line chart of cabinet approval from {data['when'].min()} to {data['when'].max()} for "
        f"{data['pollster'].nunique()} pollsters, with the start of each prime minister's term and the EAI brief's "
        f"claimed range of {claim['figure_low']:g} to {claim['figure_high']:g}% shaded."
    )
    used = list(data["source_id"]) + list(pms["source_id"]) + [claim["source_id"]]
    return theme.finish(
        alt.layer(band, band_label, rules, names, lines, dots).properties(width=theme.WIDTH_PX, height=300),
        title=f"Cabinet approval in Japan, and the brief's '{claim['figure_low']:g}-{claim['figure_high']:g}%'",
        subtitle="Each pollster asks differently: compare a pollster with itself over time",
        description=description,
        footer=source_line(used, sources, as_of),
    )


# The slush-fund scandal reached the polls in the month Kishida replaced four Abe-faction ministers.
SCANDAL_EVENT = "ev-2023-kishida-replaces-four-abe-faction"


def scandal_month(events: pd.DataFrame) -> pd.Timestamp:
    """First day of the month the LDP funding scandal reached the cabinet (the EAI brief's 'after')."""
    return pd.Timestamp(events.set_index("event_id").at[SCANDAL_EVENT, "date"]).replace(day=1)


def share_in_band(polls: pd.DataFrame, low: float, high: float, start, end) -> tuple[int, int]:
    """(readings inside [low, high], all readings) of cabinet approval with fieldwork in [start, end]."""
    dates = pd.to_datetime(polls["fieldwork_date"])
    window = polls[dates.between(pd.Timestamp(start), pd.Timestamp(end))].dropna(subset=["approve_pct"])
    return int(window["approve_pct"].between(low, high).sum()), len(window)


def pm_on(leaders: pd.DataFrame, when: pd.Timestamp) -> str:
    pms = leaders[leaders["office"].eq("jp-prime-minister")]
    current = pms[pms["start_date"].le(when) & (pms["end_date"].isna() | pms["end_date"].gt(when))]
    return current["person"].iloc[0] if len(current) else "unknown"


def table_continuity(events: pd.DataFrame, leaders: pd.DataFrame, since: date, as_of: date) -> pd.DataFrame:
    """Foreign and security policy events since a date, counted by prime minister and kind. The
    sitting prime minister's rate runs to the as-of date: ending it at the last event would make
    the rate higher by construction."""
    frame = events[
        first_reports(events)
        & events["category"].isin(POLICY_CATEGORIES)
        & events["date"].ge(pd.Timestamp(since))
        & events["country_codes"].map(lambda c: "JPN" in c)
    ]
    frame = frame.assign(
        pm=frame["date"].map(lambda d: pm_on(leaders, d)), group=frame["category"].map(CATEGORY_GROUPS)
    )
    table = pd.crosstab(frame["pm"], frame["group"])
    order = list(dict.fromkeys(pm_on(leaders, d) for d in sorted(frame["date"])))
    table = table.reindex(order)
    table["Total"] = table.sum(axis=1)
    tenure = leaders[leaders["office"].eq("jp-prime-minister")].set_index("person")
    days = []
    for pm in table.index:
        start = max(tenure.at[pm, "start_date"], pd.Timestamp(since))
        end = tenure.at[pm, "end_date"] if pd.notna(tenure.at[pm, "end_date"]) else pd.Timestamp(as_of)
        days.append(max((end - start).days, 1))
    table["Events per 100 days"] = (100 * table["Total"] / pd.Series(days, index=table.index)).round(1)
    return table.rename_axis("Prime minister").reset_index()


# --- the legal thresholds, their test cases, and opinion on revision ----------------------------

SCOPE_LABELS = {
    "all-partners": "All partners",
    "usa-only": "U.S. forces only",
    "australia-only": "Australian forces only",
}


def table_thresholds(thresholds: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Situation": thresholds["name"].str.capitalize().to_numpy(),
            "Japanese term": thresholds["name_ja"].to_numpy(),
            "What the Self-Defense Forces may do": thresholds["what_it_permits"].to_numpy(),
            "Law (Japanese short title)": thresholds["law"].to_numpy(),
        }
    )


def table_legal_steps(steps: pd.DataFrame) -> pd.DataFrame:
    frame = steps.sort_values("date")
    return pd.DataFrame({"Date": date_labels(frame), "Step": frame["title"].to_numpy()})


def chart_asset_protection(missions: pd.DataFrame, sources: pd.DataFrame, as_of: date):
    """Asset-protection missions per year, by the scope each source counts; scopes are never added."""
    data = missions.assign(scope_label=missions["scope"].map(SCOPE_LABELS))
    order = list(SCOPE_LABELS.values())
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "year:O", title="Year", scale=alt.Scale(domain=list(range(data["year"].min(), data["year"].max() + 1)))
            ),
            xOffset=alt.XOffset("scope_label:N", sort=order),
            y=alt.Y("missions_n:Q", title="Missions (n)", axis=theme.count_axis()),
            color=alt.Color(
                "scope_label:N",
                title="Whose assets",
                sort=order,
                scale=alt.Scale(domain=order, range=theme.PALETTE[:3]),
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("scope_label:N", title="Counted"),
                alt.Tooltip("missions_n:Q", title="Missions"),
                alt.Tooltip("note:N", title="Detail"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=240)
    )
    peak = data.loc[data["missions_n"].idxmax()]
    description = (
        f"Bar chart of asset-protection missions per year from {data['year'].min()} to {data['year'].max()}, one bar "
        f"per scope the source counts; the most is {int(peak['missions_n'])} in {int(peak['year'])} "
        f"({peak['scope_label'].lower()})."
    )
    return theme.finish(
        chart,
        title="Guarding partners' forces: asset-protection missions",
        subtitle="Missions per year under Article 95-2 of the Self-Defense Forces Act, as counted by each source",
        description=description,
        footer=source_line(list(data["source_id"]), sources, as_of),
    )


def chart_revision_polls(polls: pd.DataFrame, sources: pd.DataFrame, as_of: date):
    """The share for revising the constitution, by pollster over time (each pollster asks differently)."""
    data = polls.assign(when=date_labels(polls, "fieldwork_date"), plot_date=plot_dates(polls))
    data["segment"] = theme.line_segments(data["plot_date"], data["pollster"])
    chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("plot_date:T", title="Fieldwork", axis=alt.Axis(format="%Y")),
            y=alt.Y("favour_pct:Q", title="For revision (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("pollster:N", title=None),
            detail="segment:N",
            tooltip=[
                alt.Tooltip("pollster:N", title="Pollster"),
                alt.Tooltip("when:N", title="Fieldwork"),
                alt.Tooltip("favour_pct:Q", title="For (%)"),
                alt.Tooltip("against_pct:Q", title="Against (%)"),
                alt.Tooltip("question:N", title="Question"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=260)
    )
    description = (
        f"Line chart of the share for revising the constitution in {len(data)} polls by {data['pollster'].nunique()} "
        f"pollsters from {data['fieldwork_date'].min():%Y} to {data['fieldwork_date'].max():%Y}, from "
        f"{data['favour_pct'].min():g}% to {data['favour_pct'].max():g}%."
    )
    return theme.finish(
        chart,
        title="Should the constitution be revised?",
        subtitle="Share in favour, by pollster; each asks its own question, so compare a pollster with itself",
        description=description,
        footer=source_line(list(data["source_id"]), sources, as_of),
    )


# A date known only to its month or year is drawn at the middle of that period.
MID_PERIOD = {"month": pd.Timedelta(days=14), "year": pd.Timedelta(days=182)}


def plot_dates(frame: pd.DataFrame, column: str = "fieldwork_date", precision: str = "date_precision") -> pd.Series:
    return frame[column] + frame[precision].map(MID_PERIOD).fillna(pd.Timedelta(0))


def table_revision_polls(polls: pd.DataFrame) -> pd.DataFrame:
    """Every revision poll by pollster and date, so a fall is as visible as a rise."""
    frame = polls.sort_values(["pollster", "fieldwork_date"])
    return pd.DataFrame(
        {
            "Pollster": frame["pollster"].to_numpy(),
            "Fieldwork": date_labels(frame, "fieldwork_date"),
            "For revision (%)": frame["favour_pct"].to_numpy(),
            "Against (%)": frame["against_pct"].to_numpy(),
            "Question (paraphrased)": frame["question"].to_numpy(),
        }
    )


def revision_latest(polls: pd.DataFrame) -> dict[str, str]:
    """Each pollster's latest year, for the prose: 'Asahi 2022, NHK 2017, ...'."""
    latest = polls.sort_values("fieldwork_date").groupby("pollster")["fieldwork_date"].max()
    return {p: f"{d:%Y}" for p, d in latest.items()}


def legal_step_summary(steps: pd.DataFrame) -> dict[str, str]:
    """For the prose: the year building began, the year the laws took effect, the first use, and
    the latest statement that tested the thresholds."""
    frame = steps.sort_values("date")
    built = frame[~frame["kind"].isin(["first-use", "statement"])]
    first_use = frame[frame["kind"].eq("first-use")].iloc[0]
    statement = frame[frame["kind"].eq("statement")].iloc[-1]
    return {
        "first_year": str(built["date"].iloc[0].year),
        "in_force_year": str(frame.loc[frame["kind"].eq("entry-into-force"), "date"].iloc[0].year),
        "first_use": f"{first_use['date']:%B %Y}",
        "statement_date": f"{statement['date'].day} {statement['date']:%B %Y}",
    }


def asset_protection_reading(missions: pd.DataFrame) -> dict[str, str]:
    """The most missions counted for U.S. forces in a year, the all-partner totals, and the years
    with no U.S. count, for the prose."""
    usa = missions[missions["scope"].eq("usa-only")]
    peak = usa.loc[usa["missions_n"].idxmax()]
    allp = missions[missions["scope"].eq("all-partners")]
    years = range(int(missions["year"].min()), int(missions["year"].max()) + 1)
    gaps = [str(y) for y in years if y not in set(usa["year"])]
    return {
        "usa_peak": str(int(peak["missions_n"])),
        "usa_peak_year": str(int(peak["year"])),
        "all_partner": "; ".join(f"{int(r.missions_n)} in {int(r.year)}" for r in allp.itertuples()) or "none",
        "usa_gaps": ", ".join(gaps) or "none",
    }


# Paces of policy within this ratio of each other (fastest to slowest prime minister) 'held within
# the same range'; further apart, they 'varied widely'.
CONTINUITY_MAX_RATIO = 2.0


def continuity_reading(rates: pd.Series) -> str:
    """The reading of events per 100 days under each prime minister, by CONTINUITY_MAX_RATIO."""
    if rates.max() <= CONTINUITY_MAX_RATIO * rates.min():
        return "The pace of security-policy steps held within the same range under each of them."
    return "The pace of security-policy steps varied widely between them."


def lowest_approval(polls: pd.DataFrame, cabinet: str, by: date | None = None) -> pd.Series:
    """The poll with a cabinet's lowest approval, among those fielded on or before ``by`` if given
    (a claim judged at a brief's date reads only the polls out by then)."""
    own = polls[polls["cabinet"].eq(cabinet)].dropna(subset=["approve_pct"])
    if by is not None:
        own = own[pd.to_datetime(own["fieldwork_date"]).le(pd.Timestamp(by))]
    return own.loc[own["approve_pct"].idxmin()]
