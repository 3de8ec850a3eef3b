"""Defence budgets, the 2% line, the build-up plan and the regional context (SIPRI)."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from alliance import theme
from alliance.sources import source_line

# Countries the chapters compare: the allies, the rivals the briefs name, and Australia and India.
REGION = ["USA", "CHN", "JPN", "KOR", "IND", "AUS", "TWN", "PHL"]
# The regional panel starts after the Cold War, where SIPRI's coverage of China begins.
REGION_FROM_YEAR = 1990
# Japan's 2% of GDP goal for security-related spending (NSS 2022), as a share of GDP.
TARGET_SHARE_GDP_PCT = 2.0
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
        subtitle=f"SIPRI data to {last}, in constant 2022 dollars; click a country in the legend to pick it out",
        description=description,
        footer=source_line(frame["source_id"], sources, as_of),
    )


def table_milex_growth(milex: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Latest SIPRI year: spending, share of GDP, and real growth over the last ten years."""
    names = _names(countries)
    last = int(milex["year"].max())
    first = last - GROWTH_SPAN_YEARS
    wide = milex[milex["country_code"].isin(REGION)].pivot(index="country_code", columns="year")
    spend = wide["milex_constant_2022_usd_m"]
    table = pd.DataFrame(
        {
            "country_code": REGION,
            "country": [names[c] for c in REGION],
            f"spending_{last}_usd_bn": [round(spend.at[c, last] / 1000, 1) for c in REGION],
            f"share_gdp_{last}_pct": [round(float(wide["milex_share_gdp_pct"].at[c, last]), 2) for c in REGION],
            f"real_growth_{first}_{last}_pct": [
                round(100 * (spend.at[c, last] / spend.at[c, first] - 1), 1) for c in REGION
            ],
        }
    )
    return table.sort_values(f"spending_{last}_usd_bn", ascending=False).reset_index(drop=True)


def chart_us_troops(
    troops: pd.DataFrame,
    countries: pd.DataFrame,
    sources: pd.DataFrame,
    as_of: date,
    claim_n: int | None = None,
    claim_label: str = "",
    claim_source_ids=(),
):
    """U.S. active-duty personnel in Japan and South Korea by year, with a brief's figure as a rule."""
    names = _names(countries)
    frame = troops[troops["country_code"].isin(["JPN", "KOR"])].assign(country=lambda f: f["country_code"].map(names))
    order = [names["JPN"], names["KOR"]]
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d")),
            y=alt.Y("us_troops_active_duty_n:Q", title="U.S. active-duty personnel (people)"),
            color=alt.Color(
                "country:N", title=None, sort=order, scale=alt.Scale(domain=order, range=theme.PALETTE[:2])
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Host"),
                alt.Tooltip("year:Q", title="Year", format="d"),
                alt.Tooltip("us_troops_active_duty_n:Q", title="Personnel", format=",d"),
            ],
        )
    )
    layers = [lines]
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
    last = frame["year"].max()
    latest = frame[frame["year"].eq(last)].set_index("country_code")["us_troops_active_duty_n"]
    description = (
        f"Line chart of U.S. active-duty personnel in Japan and South Korea from {frame['year'].min()} to {last}; "
        f"in {last}, {latest['JPN']:,} in Japan and {latest['KOR']:,} in South Korea."
        + (f" A dashed line marks {claim_label}." if claim_n is not None else "")
    )
    return theme.finish(
        alt.layer(*layers).properties(width=theme.WIDTH_PX, height=280),
        title="U.S. forces in Japan and South Korea",
        subtitle="Active-duty personnel at the end of each reporting year",
        description=description,
        footer=source_line(used, sources, as_of),
    )
