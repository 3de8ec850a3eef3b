"""Defence budgets, the 2% line, the build-up plan and the regional context (SIPRI)."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from alliance.data.datapkg import distinct, first_reports
from alliance.data.sources import source_line
from alliance.present import theme

# Countries the chapters compare: the allies, the rivals the briefs name, and Australia and India.
REGION = ["USA", "CHN", "JPN", "KOR", "IND", "AUS", "TWN", "PHL"]
# The regional panel starts after the Cold War, where SIPRI's coverage of China begins.
REGION_FROM_YEAR = 1990
# Japan's 2% of GDP goal for security-related spending (NSS 2022), as a share of GDP.
TARGET_SHARE_GDP_PCT = 2.0
# Length of a Japanese five-year defence plan, in fiscal years.
PLAN_YEARS = 5
# Years over which the table measures real growth.
GROWTH_SPAN_YEARS = 10


def _names(countries: pd.DataFrame) -> pd.Series:
    return countries.set_index("country_code")["name_en"]


def chart_regional_milex(milex: pd.DataFrame, countries: pd.DataFrame, sources: pd.DataFrame, as_of: date):
    """Military spending in constant 2022 US$ (log scale) and as a share of GDP, region, since 1990."""
    names = _names(countries)
    frame = milex[milex["country_code"].isin(REGION) & milex["year"].ge(REGION_FROM_YEAR)].copy()
    frame["country"] = frame["country_code"].map(names)
    frame["milex_constant_2022_usd_bn"] = (frame["milex_constant_2022_usd_m"] / 1000).round(2)
    frame["milex_share_gdp_pct"] = frame["milex_share_gdp_pct"].astype(float)
    frame = frame.drop(columns=["milex_constant_2022_usd_m"]).astype({"milex_constant_2022_usd_bn": float})
    order = [names[c] for c in REGION]
    color = alt.Color(
        "country:N",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order, range=theme.PALETTE),
        legend=alt.Legend(columns=4),
    )
    highlight = alt.selection_point(fields=["country"], bind="legend")
    base = alt.Chart(frame).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
        color=color,
        opacity=alt.condition(highlight, alt.value(1.0), alt.value(0.15)),
        tooltip=[
            alt.Tooltip("country:N", title="Country"),
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("milex_constant_2022_usd_bn:Q", title="Spending (constant 2022 US$ bn)", format=",.1f"),
            alt.Tooltip("milex_share_gdp_pct:Q", title="Share of GDP (%)", format=".2f"),
        ],
    )
    half = (theme.WIDTH_PX - 40) // 2
    level = (
        base.mark_line(point=alt.OverlayMarkDef(size=10))
        .encode(
            y=alt.Y(
                "milex_constant_2022_usd_bn:Q", title="Constant 2022 US$ bn (log scale)", scale=alt.Scale(type="log")
            )
        )
        .add_params(highlight)
        .properties(width=half, height=260, title="Spending")
    )
    share = (
        base.mark_line(point=alt.OverlayMarkDef(size=10))
        .encode(y=alt.Y("milex_share_gdp_pct:Q", title="Share of GDP (%)"))
        .properties(width=half, height=260, title="Share of GDP")
    )
    last = frame["year"].max()
    share_last = frame[frame["year"].eq(last)].set_index("country_code")["milex_share_gdp_pct"]
    description = (
        f"Two line charts of military spending from {REGION_FROM_YEAR} to {last} for {', '.join(order)}: "
        f"in constant 2022 US dollars on a log scale, and as a share of GDP. In {last} Japan spent "
        f"{share_last['JPN']:.2f}% of GDP and China {share_last['CHN']:.2f}%."
    )
    return theme.finish(
        alt.hconcat(level, share, spacing=30),
        title="Military spending in the region, SIPRI estimates",
        subtitle=f"SIPRI data to {last}, in constant 2022 dollars",
        description=description,
        footer=source_line(frame["source_id"], sources, as_of),
    )


def milex_growth_span(milex: pd.DataFrame) -> tuple[int, int]:
    """(first, last): the latest SIPRI year and the year GROWTH_SPAN_YEARS before it."""
    last = int(milex["year"].max())
    return last - GROWTH_SPAN_YEARS, last


def milex_growth_columns(milex: pd.DataFrame) -> dict[str, str]:
    """The growth table's columns by what they hold, so prose never parses years out of their names."""
    first, last = milex_growth_span(milex)
    return {
        "spending": f"spending_{last}_usd_bn",
        "share": f"share_gdp_{last}_pct",
        "growth": f"real_growth_{first}_{last}_pct",
    }


def table_milex_growth(milex: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Latest SIPRI year: spending, share of GDP, and real growth over the last ten years."""
    names = _names(countries)
    first, last = milex_growth_span(milex)
    col = milex_growth_columns(milex)
    wide = milex[milex["country_code"].isin(REGION)].pivot(index="country_code", columns="year")
    spend = wide["milex_constant_2022_usd_m"]
    table = pd.DataFrame(
        {
            "country_code": REGION,
            "country": [names[c] for c in REGION],
            col["spending"]: [round(spend.at[c, last] / 1000, 1) for c in REGION],
            col["share"]: [round(float(wide["milex_share_gdp_pct"].at[c, last]), 2) for c in REGION],
            col["growth"]: [round(100 * (spend.at[c, last] / spend.at[c, first] - 1), 1) for c in REGION],
        }
    )
    return table.sort_values(col["spending"], ascending=False).reset_index(drop=True)


# The troop chart's lower panel shows the most recent years at a scale where the brief's
# figure can be told apart from the count.
RECENT_TROOP_YEARS = 25


def _troop_panel(frame, order, domain, height, title):
    return (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d"), scale=alt.Scale(domain=domain, nice=False)),
            y=alt.Y("us_troops_active_duty_n:Q", title=title, scale=alt.Scale(nice=False, zero=False)),
            color=alt.Color(
                "country:N", title=None, sort=order, scale=alt.Scale(domain=order, range=theme.PALETTE[:2])
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Host"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("us_troops_active_duty_n:Q", title="Personnel", format=",d"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=height)
    )


def chart_us_troops(
    troops: pd.DataFrame,
    countries: pd.DataFrame,
    sources: pd.DataFrame,
    as_of: date,
    claim_n: int | None = None,
    claim_label: str = "",
    claim_source_ids=(),
):
    """U.S. active-duty personnel in Japan and South Korea by year: the whole series, and the
    recent years with a brief's figure as a rule. The axes end where the data end."""
    names = _names(countries)
    frame = troops[troops["country_code"].isin(["JPN", "KOR"])].assign(country=lambda f: f["country_code"].map(names))
    order = [names["JPN"], names["KOR"]]
    first, last = int(frame["year"].min()), int(frame["year"].max())
    recent_from = last - RECENT_TROOP_YEARS + 1
    whole = _troop_panel(frame, order, [first, last], 170, "Personnel, whole series")
    recent = frame[frame["year"].ge(recent_from)]
    layers = [_troop_panel(recent, order, [recent_from, last], 220, f"Personnel since {recent_from}")]
    used = list(frame["source_id"])
    if claim_n is not None:
        claim = pd.DataFrame({"value": [claim_n], "label": [claim_label]})
        layers.append(
            alt.Chart(claim)
            .mark_rule(strokeDash=[6, 4], color="#555")
            .encode(y="value:Q", tooltip=[alt.Tooltip("label:N", title="Claim"), alt.Tooltip("value:Q", format=",d")])
        )
        layers.append(
            alt.Chart(claim)
            .mark_text(align="left", dx=4, dy=-7, color="#555", fontSize=11)
            .encode(y="value:Q", x=alt.value(4), text="label:N")
        )
        used += list(claim_source_ids)
    latest = frame[frame["year"].eq(last)].set_index("country_code")["us_troops_active_duty_n"]
    description = (
        f"Two line charts of U.S. active-duty personnel in Japan and South Korea: the whole series from {first} "
        f"to {last}, and the years from {recent_from} on; in {last}, {latest['JPN']:,} in Japan and "
        f"{latest['KOR']:,} in South Korea."
        + (f" A dashed line in the second marks {claim_label}." if claim_n is not None else "")
    )
    return theme.finish(
        alt.vconcat(whole, alt.layer(*layers), spacing=14),
        title="U.S. forces in Japan and South Korea",
        subtitle="Active-duty personnel at the end of each reporting year",
        description=description,
        footer=source_line(used, sources, as_of),
    )


# Japan's fiscal year starts in April: a date in January to March belongs to the previous FY.
FY_START_MONTH = 4
# Preference among budget stages for the headline series: enacted before drafted.
STAGE_ORDER = ["diet-approved", "assembly-final", "cabinet-draft", "government-proposal", "actual", "estimate", "plan"]
STAGE_LABELS = {
    "diet-approved": "Enacted by the Diet",
    "assembly-final": "Passed by the National Assembly",
    "cabinet-draft": "Cabinet draft (not yet enacted)",
    "government-proposal": "Government proposal (not yet enacted)",
    "actual": "Actual",
    "estimate": "Estimate",
    "plan": "Plan",
}
MEASURE_LABELS = {
    "mod-initial-budget": "MOD initial budget",
    "mod-supplementary": "MOD supplementary budget",
    "security-related-spending": "Security-related spending, initial budget",
    "security-related-supplementary": "Security-related spending, supplementary budget",
    "security-related-supplementary-non-mod": "Security-related spending, supplementary budget outside the MOD",
    "security-related-with-supplementary": "Security-related spending, initial plus supplementary",
    "defense-budget": "Defence budget",
    "buildup-plan-total": "Build-up plan, five-year total",
}
BASIS_LABELS = {
    "incl-saco-realignment": "Including SACO and U.S. realignment costs",
    "excl-saco-realignment": "Excluding SACO and U.S. realignment costs",
    "not-stated": "Not stated by the source",
    "not-applicable": "Not applicable",
    "incl-saco-realignment-reconstruction": "Including SACO, U.S. realignment and reconstruction costs",
}
CAPABILITY_LABELS = {
    "command-and-control": "Command and control",
    "counterstrike": "Counterstrike",
    "defense-budget": "Defence budget",
    "standoff-missiles": "Stand-off missiles",
    "tomahawk": "Tomahawk",
    "type-12-upgraded": "Upgraded Type 12 missile",
}
# Two sourced figures for one series differ when they are more than this far apart (rounded
# reports such as 7.95 trillion against 7,949.6 billion yen are the same figure).
DISAGREE_REL = 0.01
# The GDP base of Japan's 2% target: FY2022 nominal GDP as the Ministry of Defense states it.
TARGET_BASE_GDP_ROW = "g-JPN-2022-5"


def fiscal_year(when: pd.Timestamp) -> int:
    return when.year if when.month >= FY_START_MONTH else when.year - 1


def headline_series(
    budgets: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    country: str = "JPN",
    measure: str = "mod-initial-budget",
    basis: str = "incl-saco-realignment",
) -> pd.DataFrame:
    """One figure per fiscal year for one series: the most advanced stage, an official source
    first, and the figure most sources give; with year-on-year growth."""
    kind = sources.set_index("source_id")["kind"]
    frame = budgets[budgets["country_code"].eq(country) & budgets["measure"].eq(measure) & budgets["basis"].eq(basis)]
    frame = frame[~frame["stage"].isin(["plan", "estimate"])].assign(
        stage_rank=lambda f: f["stage"].map(STAGE_ORDER.index),
        is_official=lambda f: f["source_id"].map(kind).eq("official"),
    )
    rows = []
    for year, group in frame.groupby("fiscal_year"):
        best = group[group["stage_rank"].eq(group["stage_rank"].min())]
        counts = best["amount_national_bn"].value_counts()
        preferred = best.sort_values(["is_official", "row_id"], ascending=[False, True])
        pick = (
            preferred[preferred["amount_national_bn"].eq(counts.index[0])].iloc[0]
            if counts.iloc[0] > 1
            else preferred.iloc[0]
        )
        rows.append(
            {
                "fiscal_year": int(year),
                "amount_national_bn": float(pick["amount_national_bn"]),
                "stage": pick["stage"],
                "source_id": pick["source_id"],
                "sources_n": int(group["source_id"].nunique()),
            }
        )
    series = pd.DataFrame(rows)
    series["growth_pct"] = year_on_year_pct(series)
    return series


def year_on_year_pct(series: pd.DataFrame) -> pd.Series:
    """Growth on the previous fiscal year, in percent; missing after a gap in the years, since a
    change over two years is not a year-on-year change."""
    by_year = series.set_index("fiscal_year")["amount_national_bn"]
    previous = series["fiscal_year"].sub(1).map(by_year)
    return (100 * (series["amount_national_bn"] / previous - 1)).round(1)


def missing_years(series: pd.DataFrame, first: int, last: int) -> list[int]:
    return sorted(set(range(first, last + 1)) - set(series["fiscal_year"]))


def table_disagreements(budgets: pd.DataFrame, sources: pd.DataFrame, country: str = "JPN") -> pd.DataFrame:
    """Series-years where sources' figures differ by more than DISAGREE_REL, with who says what."""
    publisher = sources.set_index("source_id")["publisher"]
    frame = budgets[budgets["country_code"].eq(country)]
    rows = []
    for (year, measure, basis, stage), group in frame.groupby(["fiscal_year", "measure", "basis", "stage"]):
        values = sorted(group["amount_national_bn"].unique())
        if len(values) > 1 and values[-1] > values[0] * (1 + DISAGREE_REL):
            rows.append(
                {
                    "fiscal_year": int(year),
                    "measure": MEASURE_LABELS[measure],
                    "basis": BASIS_LABELS[basis],
                    "stage": STAGE_LABELS[stage],
                    "figures_bn": ", ".join(f"{v:,.1f}" for v in values),
                    "sources": "; ".join(
                        f"{publisher[s]} ({a:,.1f})"
                        for s, a in zip(group["source_id"], group["amount_national_bn"], strict=True)
                    ),
                }
            )
    return pd.DataFrame(rows)


def chart_mod_budget(series: pd.DataFrame, milestones: pd.DataFrame, sources: pd.DataFrame, as_of: date):
    """Japan's MOD initial budget by fiscal year, growth on each bar, capability milestones above."""
    data = series.assign(
        amount_jpy_tn=(series["amount_national_bn"] / 1000).round(3),
        growth=series["growth_pct"].map(lambda g: "" if pd.isna(g) else f"{g:+.1f}%"),
    )
    steps = distinct(milestones)
    steps["fiscal_year"] = steps["date"].map(fiscal_year)
    steps = steps[steps["fiscal_year"].between(data["fiscal_year"].min(), data["fiscal_year"].max())]
    steps = steps.assign(
        when=steps["date"].dt.strftime("%Y-%m-%d"),
        lane=steps.groupby("fiscal_year").cumcount(),
        capability_label=steps["capability"].map(CAPABILITY_LABELS),
    )
    # A draft or request is not an enacted budget: the stage is drawn, not only told in the tooltip.
    data["stage_label"] = data["stage"].map(STAGE_LABELS).fillna(data["stage"])
    stages = [STAGE_LABELS[s] for s in STAGE_ORDER if STAGE_LABELS[s] in set(data["stage_label"])]
    # Every fiscal year has a slot, so a year without a sourced figure shows as a gap.
    years = list(range(int(data["fiscal_year"].min()), int(data["fiscal_year"].max()) + 1))
    x = alt.X("fiscal_year:O", title="Fiscal year (April to March)", scale=alt.Scale(domain=years))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("amount_jpy_tn:Q", title="MOD initial budget (trillion yen)"),
            color=alt.Color(
                "stage_label:N",
                title="Stage",
                scale=alt.Scale(domain=stages, range=[theme.PALETTE[0], theme.PALETTE[4], "#bbbbbb"][: len(stages)]),
            ),
            tooltip=[
                alt.Tooltip("fiscal_year:O", title="Fiscal year"),
                alt.Tooltip("amount_jpy_tn:Q", title="Trillion yen", format=".2f"),
                alt.Tooltip("growth:N", title="Change on previous year"),
                alt.Tooltip("stage_label:N", title="Stage"),
                alt.Tooltip("sources_n:Q", title="Sources (n)"),
            ],
        )
    )
    labels = (
        alt.Chart(data)
        .mark_text(dy=-6, fontSize=10, color="#333")
        .encode(x=x, y=alt.Y("amount_jpy_tn:Q", title="MOD initial budget (trillion yen)"), text="growth:N")
    )
    # Milestones are not yen: they sit in a strip of their own above the bars, on the same years.
    ticks = (
        alt.Chart(steps)
        .mark_point(shape="diamond", filled=True, size=80, color=theme.PALETTE[3])
        .encode(
            x=alt.X(
                "fiscal_year:O", title=None, scale=alt.Scale(domain=years), axis=alt.Axis(labels=False, ticks=False)
            ),
            y=alt.Y("lane:O", title="Milestones", axis=alt.Axis(labels=False, ticks=False, domain=False)),
            tooltip=[
                alt.Tooltip("what:N", title="Milestone"),
                alt.Tooltip("when:N", title="Date"),
                alt.Tooltip("capability_label:N", title="Capability"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=14 * (int(steps["lane"].max()) + 1 if len(steps) else 1))
    )
    first, last = data.iloc[0], data.iloc[-1]
    description = (
        f"Bar chart of Japan's Ministry of Defense initial budget from FY{first['fiscal_year']} "
        f"({first['amount_jpy_tn']:.2f} trillion yen) to FY{last['fiscal_year']} "
        f"({last['amount_jpy_tn']:.2f} trillion yen), "
        f"with the change on the previous year above each bar, the stage of each figure ("
        + ", ".join(stages)
        + f") by colour, and {len(steps)} capability milestones as diamonds in a strip above the bars."
    )
    return theme.finish(
        alt.vconcat(ticks, alt.layer(bars, labels).properties(width=theme.WIDTH_PX, height=300), spacing=4),
        title="Japan's defence budget and new capabilities",
        subtitle="MOD initial budget including SACO and U.S. realignment costs; diamonds: capability milestones",
        description=description,
        footer=source_line(list(series["source_id"]) + list(steps["source_id"]), sources, as_of),
    )


def security_share_table(budgets: pd.DataFrame, shares: pd.DataFrame, gdp: pd.DataFrame) -> pd.DataFrame:
    """Security-related spending against the 2% line: the official shares and the shares computed
    here from the sourced amounts and the target's GDP base."""
    base = float(gdp.loc[gdp["row_id"].eq(TARGET_BASE_GDP_ROW), "gdp_national_bn"].iloc[0])
    measures = {
        "security-related-spending": "Initial budget",
        "security-related-with-supplementary": "Initial plus supplementary",
    }
    amounts = budgets[budgets["country_code"].eq("JPN") & budgets["measure"].isin(list(measures))]
    rows = []
    for (year, measure, stage), group in amounts.groupby(["fiscal_year", "measure", "stage"]):
        amount = float(group["amount_national_bn"].mode().iloc[0])
        official = shares[
            shares["fiscal_year"].eq(year)
            & shares["measure"].eq("security-related-share-gdp")
            & shares["gdp_base"].eq("fy2022")
        ]
        rows.append(
            {
                "fiscal_year": int(year),
                "what": measures[measure],
                "stage": stage,
                "amount_jpy_tn": round(amount / 1000, 2),
                "computed_share_gdp_pct": round(100 * amount / base, 2),
                "official_share_gdp_pct": float(official["share_pct"].mode().iloc[0])
                if len(official) and measure == "security-related-spending"
                else None,
            }
        )
    return pd.DataFrame(rows).sort_values(["fiscal_year", "what"]).reset_index(drop=True)


def chart_two_percent(table: pd.DataFrame, targets: pd.DataFrame, sources_used, sources: pd.DataFrame, as_of: date):
    """Security-related spending as a share of FY2022 GDP, with the 2% line and the target years."""
    data = table.assign(stage_label=table["stage"].map(STAGE_LABELS))
    target = targets.sort_values("decided_date").reset_index(drop=True)
    target["decided"] = target["decided_date"].dt.strftime("%Y-%m-%d")
    target["label"] = "Target FY" + target["target_fiscal_year"].astype(str) + " (set " + target["decided"] + ")"
    target["label_y"] = [12 + 16 * i for i in range(len(target))]
    years_all = list(data["fiscal_year"]) + list(target["target_fiscal_year"])
    scale = alt.Scale(domain=[min(years_all) - 0.6, max(years_all) + 0.6], zero=False, nice=False)
    axis = alt.Axis(format="d", tickMinStep=1)
    line = (
        alt.Chart(pd.DataFrame({"y": [TARGET_SHARE_GDP_PCT]}))
        .mark_rule(color="#555", strokeDash=[6, 4])
        .encode(y=alt.Y("y:Q", title="Share of FY2022 GDP (%)"))
    )
    years = (
        alt.Chart(target)
        .mark_rule(color=theme.PALETTE[3], strokeWidth=2)
        .encode(
            x=alt.X("target_fiscal_year:Q", scale=scale, axis=axis, title="Fiscal year"),
            tooltip=[alt.Tooltip("label:N", title="Decision"), alt.Tooltip("note:N", title="What")],
        )
    )
    year_labels = (
        alt.Chart(target)
        .mark_text(align="right", dx=-4, fontSize=10, color=theme.PALETTE[3])
        .encode(
            x=alt.X("target_fiscal_year:Q", scale=scale, title="Fiscal year"),
            y=alt.Y("label_y:Q", scale=None, title="Share of FY2022 GDP (%)"),
            text="label:N",
        )
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=110)
        .encode(
            x=alt.X("fiscal_year:Q", scale=scale, axis=axis, title="Fiscal year"),
            y=alt.Y("computed_share_gdp_pct:Q", title="Share of FY2022 GDP (%)", scale=alt.Scale(domain=[0, 2.5])),
            color=alt.Color("what:N", title=None),
            shape=alt.Shape("what:N", title=None),
            tooltip=[
                alt.Tooltip("fiscal_year:Q", title="FY", format="d"),
                alt.Tooltip("what:N", title="Spending"),
                alt.Tooltip("stage_label:N", title="Stage"),
                alt.Tooltip("amount_jpy_tn:Q", title="Trillion yen"),
                alt.Tooltip("computed_share_gdp_pct:Q", title="Computed share (%)", format=".2f"),
                alt.Tooltip("official_share_gdp_pct:Q", title="Official share (%)"),
            ],
        )
    )
    description = (
        f"Security-related spending as a share of FY2022 GDP for fiscal years {data['fiscal_year'].min()} to "
        f"{data['fiscal_year'].max()}, against a dashed 2% line; vertical lines mark the target year as set on "
        + " and ".join(f"{d} (FY{y})" for d, y in zip(target["decided"], target["target_fiscal_year"], strict=True))
        + "."
    )
    return theme.finish(
        alt.layer(line, years, year_labels, points).properties(width=theme.WIDTH_PX, height=300),
        title="Japan's path to 2% of GDP, and the moving target year",
        subtitle="Shares computed from sourced amounts over the target's GDP base (FY2022 nominal GDP)",
        description=description,
        footer=source_line(sources_used, sources, as_of),
    )


def table_plan_totals(budgets: pd.DataFrame) -> pd.DataFrame:
    """Five-year build-up plans: their totals as sourced (several sources may agree)."""
    plans = budgets[budgets["measure"].eq("buildup-plan-total")]
    rows = []
    for year, group in plans.groupby("fiscal_year"):
        values = sorted(group["amount_national_bn"].unique())
        rows.append(
            {
                "first_fiscal_year": int(year),
                "plan": f"FY{year}-{str(year + PLAN_YEARS - 1)[-2:]}",
                "total_jpy_tn": ", ".join(f"{v / 1000:g}" for v in values),
                "sources_n": len(group),
                "total_jpy_tn_max": max(values) / 1000,
            }
        )
    frame = pd.DataFrame(rows)
    frame["change_on_previous_pct"] = (100 * frame["total_jpy_tn_max"].pct_change()).round(0)
    return frame


def table_capabilities(milestones: pd.DataFrame) -> pd.DataFrame:
    """Capability milestones other than command changes, in date order, with their stated figures."""
    from alliance.analysis.events import date_labels

    frame = milestones[
        milestones["capability"].ne("command-and-control") & first_reports(milestones)
    ]
    frame = frame.sort_values(["date", "milestone_id"])
    figures = [
        "" if pd.isna(q) else f"{q:,g} {u}" for q, u in zip(frame["quantity_n"], frame["quantity_unit"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Date": date_labels(frame),
            "Capability": frame["capability"].map(CAPABILITY_LABELS).to_numpy(),
            "What happened": frame["what"].to_numpy(),
            "Figure stated": figures,
        }
    )
