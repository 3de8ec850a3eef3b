"""Charts and tables of the lattice chapter, built on ``alliance.analysis.network``."""

from __future__ import annotations

from datetime import date

import altair as alt
import networkx as nx
import pandas as pd

from alliance.analysis import network
from alliance.analysis.events import date_label
from alliance.data import datapkg
from alliance.data.sources import source_line
from alliance.present import theme
from alliance.present.glue import and_join, counted, ordinal

# Snapshot dates: the end of each year the issue and the briefs single out, then the as-of date.
SNAPSHOT_YEARS = [1955, 1965, 1980, 1995, 2007, 2017, 2021, 2024]
# Yearly series start with the first U.S. treaties in Asia; NATO (1949) alone is not the subject.
FIRST_YEAR = 1951
LAYOUT_SEED = 7  # any fixed seed: the layout only has to be the same on every run
# The spring layout puts the two best-tied countries (the U.S. and Japan) almost on top of each
# other, so their dots and names overlapped; no two countries are drawn closer than this (in
# layout units, where the whole layout spans about 2).
MIN_NODE_DISTANCE = 0.3
# Both panels of the network diagram, one above the other at the column's width: side by side,
# each got half the width, too little to name the countries.
NETWORK_PANEL_HEIGHT_PX = 340
FOCUS = ["USA", "JPN", "KOR"]
KIND_LABELS = {
    "bilateral-treaty": "Bilateral treaty",
    "multilateral-treaty": "Multilateral treaty",
    "reciprocal-access-agreement": "Reciprocal access agreement",
    "minilateral-grouping": "Minilateral grouping",
    "defense-industrial": "Defence-industrial",
    "other": "Other (declarations, ACSAs)",
}
# Hub dependence is the U.S.'s betweenness centrality (see network.hub_dependence): its label says so.
HUB_DEPENDENCE_LABEL = "Hub dependence (U.S. betweenness)"
METRIC_LABELS = {
    "degree_centralization": "Degree centralization",
    "betweenness_centralization": "Betweenness centralization",
    "hub_dependence": HUB_DEPENDENCE_LABEL,
    "density": "Density",
}
# Countries outside the Indo-Pacific that the network reaches through NATO, GCAP, AUKUS and
# Japan's logistics agreements; one robustness coding leaves them out.
EXTRA_REGIONAL = ["CAN", "DEU", "FRA", "GBR", "ITA", "NLD"]
# Coding variants for the robustness table: (label, filters for network.country_graph). The
# instrument codings leave each kind of the tie universe out in turn; then exercises are added,
# agreements are counted only where Japan is a party, and the Manila Pact is counted for all its
# remaining parties after SEATO's dissolution instead of ATOP's U.S.-Thailand phase.
AGREEMENTS = ("access", "logistics", "information")
MANILA_PACT_ALL = "manila_pact_all_parties"
VARIANTS = (
    [
        ("All ties", {}),
        ("Formal alliances only", {"formal_only": True}),
        ("Groupings counted only at leader level", {"levels": ["leaders"], "levels_for": ("grouping",)}),
        ("Indo-Pacific countries only", {"exclude_countries": EXTRA_REGIONAL}),
    ]
    + [
        (f"Without {network.INSTRUMENT_SHORT[kind]}", {"exclude_instruments": (*network.OUTSIDE_UNIVERSE, kind)})
        for kind in network.INSTRUMENTS
        if kind not in network.OUTSIDE_UNIVERSE
    ]
    + [
        ("With recurring exercises", {"exclude_instruments": ()}),
        ("Japan-party agreements only", {"japan_party_only": AGREEMENTS}),
        ("Manila Pact for all its parties after 1977", {MANILA_PACT_ALL: True}),
    ]
)


def manila_pact_all_parties(ties: pd.DataFrame, members: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The alternative coding of the Manila Pact: in force for every remaining party after SEATO's
    dissolution (its members' own exits kept), instead of ATOP's U.S.-Thailand phase."""
    ties = ties[ties["tie_id"].ne("manila-pact-us-tha")].copy()
    ties.loc[ties["tie_id"].eq("seato"), "end_date"] = pd.NaT
    return ties, members[members["tie_id"].ne("manila-pact-us-tha")]


def snapshot_dates(as_of: date) -> list[date]:
    return [date(y, 12, 31) for y in SNAPSHOT_YEARS if date(y, 12, 31) < as_of] + [as_of]


def yearly_dates(first_year: int, as_of: date) -> list[date]:
    return [date(y, 12, 31) for y in range(first_year, as_of.year) if date(y, 12, 31) < as_of] + [as_of]


def layout(ties: pd.DataFrame, members: pd.DataFrame, as_of: date) -> dict[str, tuple[float, float]]:
    """One position per country, from the union of all ties ever, so nodes keep their place
    across snapshots; a fixed seed makes it the same on every run."""
    union = nx.Graph()
    for d in yearly_dates(FIRST_YEAR, as_of):
        graph = network.country_graph(ties, members, d)
        union.add_nodes_from(graph)
        for a, b in graph.edges:
            weight = union.edges[a, b]["weight"] + 1 if union.has_edge(a, b) else 1
            union.add_edge(a, b, weight=weight)
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(union))  # node order fixes the starting positions
    ordered.add_edges_from(sorted(union.edges(data=True)))
    positions = nx.spring_layout(ordered, seed=LAYOUT_SEED, iterations=200, weight=None)
    positions = spread_positions({n: (float(x), float(y)) for n, (x, y) in positions.items()}, MIN_NODE_DISTANCE)
    return {node: (round(x, 3), round(y, 3)) for node, (x, y) in sorted(positions.items())}


def spread_positions(positions: dict[str, tuple[float, float]], min_distance: float,
                     rounds: int = 100) -> dict[str, tuple[float, float]]:
    """Push apart, in equal shares along the line joining them, any two points closer than
    ``min_distance``, repeating until none is (or ``rounds`` passes); deterministic, in name order."""
    points = {n: list(p) for n, p in sorted(positions.items())}
    names = list(points)
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                dx, dy = points[b][0] - points[a][0], points[b][1] - points[a][1]
                distance = (dx * dx + dy * dy) ** 0.5
                if distance >= min_distance:
                    continue
                # Two points in the same place are parted along x.
                ux, uy = (dx / distance, dy / distance) if distance else (1.0, 0.0)
                push = (min_distance - distance) / 2 + 1e-9
                points[a][0] -= ux * push
                points[a][1] -= uy * push
                points[b][0] += ux * push
                points[b][1] += uy * push
                moved = True
        if not moved:
            break
    return {n: (x, y) for n, (x, y) in points.items()}


def _panel(graph: nx.Graph, positions: dict, names: pd.Series, title: str, width_px: int,
           height_px: int) -> alt.LayerChart:
    metrics = network.country_metrics(graph).set_index("country_code")
    nodes = pd.DataFrame(
        [
            {
                "country_code": code,
                "country": names.get(code, code),
                "x": positions[code][0],
                "y": positions[code][1],
                "degree_n": int(metrics.at[code, "degree_n"]),
                "eigenvector": float(metrics.at[code, "eigenvector"]),
                "eigenvector_rank": int(metrics.at[code, "eigenvector_rank"]),
            }
            for code in sorted(graph)
        ]
    )
    edges = pd.DataFrame(
        [
            {
                "x": positions[a][0],
                "y": positions[a][1],
                "x2": positions[b][0],
                "y2": positions[b][1],
                "pair": f"{names.get(a, a)} - {names.get(b, b)}",
                "kind": KIND_LABELS[data["kind"]],
                "shared_ties_n": data["weight"],
                "ties": "; ".join(data["ties"]),
            }
            for a, b, data in sorted(graph.edges(data=True))
        ],
        columns=["x", "y", "x2", "y2", "pair", "kind", "shared_ties_n", "ties"],
    )
    # Both panels share one frame, fitted to every position with a margin for labels.
    xs, ys = [p[0] for p in positions.values()], [p[1] for p in positions.values()]
    pad_x, pad_y = 0.08 * (max(xs) - min(xs)), 0.1 * (max(ys) - min(ys))
    scale_x = alt.Scale(domain=[min(xs) - pad_x, max(xs) + pad_x], nice=False, zero=False)
    scale_y = alt.Scale(domain=[min(ys) - pad_y, max(ys) + pad_y], nice=False, zero=False)
    rules = (
        alt.Chart(edges)
        .mark_rule(opacity=0.7)
        .encode(
            **theme.positional(scale_x, scale_y),
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "kind:N", title="Strongest tie on the link", scale=alt.Scale(domain=list(KIND_LABELS.values())),
                legend=alt.Legend(columns=2),
            ),
            # Three sample widths and sizes, one per row: the three legends fit the column's width.
            strokeWidth=alt.StrokeWidth("shared_ties_n:Q", title="Shared ties (n)", scale=alt.Scale(range=[1, 6]),
                                        legend=alt.Legend(columns=1, tickCount=3)),
            tooltip=[
                alt.Tooltip("pair:N", title="Link"),
                alt.Tooltip("shared_ties_n:Q", title="Shared ties (n)"),
                alt.Tooltip("ties:N", title="Ties"),
            ],
        )
    )
    dots = (
        alt.Chart(nodes)
        .mark_circle(color="#333", opacity=0.9, stroke="white")
        .encode(
            **theme.positional(scale_x, scale_y),
            size=alt.Size(
                "eigenvector:Q", title="Eigenvector centrality", scale=alt.Scale(domain=[0, 1], range=[30, 700]),
                legend=alt.Legend(columns=1, values=[0.2, 0.6, 1.0]),
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("degree_n:Q", title="Partners (n)"),
                alt.Tooltip("eigenvector:Q", title="Eigenvector centrality", format=".2f"),
                alt.Tooltip("eigenvector_rank:Q", title="Rank"),
            ],
        )
    )
    # Each country by its name, above its dot, on a white halo so a link under it does not cut it.
    halo = (
        alt.Chart(nodes)
        .mark_text(dy=-13, fontSize=11, stroke="white", strokeWidth=3, strokeJoin="round")
        .encode(**theme.positional(scale_x, scale_y), text="country:N")
    )
    labels = (
        alt.Chart(nodes)
        .mark_text(dy=-13, fontSize=11)
        .encode(**theme.positional(scale_x, scale_y), text="country:N")
    )
    return alt.layer(rules, dots, halo, labels).properties(width=width_px, height=height_px, title=title)


def chart_network_pair(ties, members, countries, sources, as_of: date, early: date) -> alt.VConcatChart:
    """Two network diagrams, an early snapshot above the as-of date, on one layout, each
    country named (``countries.name_en``)."""
    positions = layout(ties, members, as_of)
    names = countries.set_index("country_code")["name_en"]
    early_graph = network.country_graph(ties, members, early)
    late_graph = network.country_graph(ties, members, as_of)
    pair = alt.vconcat(
        _panel(early_graph, positions, names, f"End of {early.year}", theme.WIDTH_PX, NETWORK_PANEL_HEIGHT_PX),
        _panel(late_graph, positions, names, f"{as_of:%Y-%m-%d}", theme.WIDTH_PX, NETWORK_PANEL_HEIGHT_PX),
        spacing=16,
    ).resolve_scale(size="shared", color="shared", strokeWidth="shared")
    used = pd.concat([ties["source_id"], members["source_id"]])
    description = (
        f"Two network diagrams of security ties among countries: at the end of {early.year}, "
        f"{early_graph.number_of_nodes()} countries and {early_graph.number_of_edges()} links; at {as_of:%Y-%m-%d}, "
        f"{late_graph.number_of_nodes()} countries and {late_graph.number_of_edges()} links. Dot size shows "
        "eigenvector centrality; link colour the strongest kind of tie."
    )
    return theme.finish(
        pair,
        title="From spokes to a web: security ties in the Indo-Pacific",
        subtitle="Countries linked by the active ties they share; same positions in both panels",
        description=description,
        footer=source_line(used, sources, as_of),
    )


def chart_centralization(series: pd.DataFrame, sources_used, sources, as_of: date) -> alt.VConcatChart:
    """Centralization, hub dependence and density over time (one line each)."""
    long = series.melt(id_vars="date", value_vars=list(METRIC_LABELS), var_name="metric", value_name="value")
    long["metric"] = long["metric"].map(METRIC_LABELS)
    long["year"] = long["date"].dt.strftime("%Y-%m-%d")
    long["date"] = long["date"].dt.strftime("%Y-%m-%d")
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=18), interpolate="step-after")
        .encode(
            x=alt.X("date:T", title="End of year", axis=alt.Axis(format="%Y")),
            y=alt.Y("value:Q", title="Score (0 to 1)", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "metric:N", title=None, sort=list(METRIC_LABELS.values()), legend=alt.Legend(orient="bottom", columns=1)
            ),
            tooltip=[
                alt.Tooltip("metric:N", title="Measure"),
                alt.Tooltip("year:N", title="Date"),
                alt.Tooltip("value:Q", title="Score", format=".3f"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=300)
    )
    first, last = series.iloc[0], series.iloc[-1]
    description = (
        f"Line chart of network centralization from {first['date']:%Y} to {last['date']:%Y-%m-%d}. "
        f"Hub dependence goes from {first['hub_dependence']:.2f} to {last['hub_dependence']:.2f}; "
        f"degree centralization from {first['degree_centralization']:.2f} to {last['degree_centralization']:.2f}."
    )
    return theme.finish(
        lines,
        title="Is the hub fading? Centralization of the network over time",
        subtitle="1 = every link runs through one country (a pure hub-and-spoke); 0 = no centre",
        description=description,
        footer=source_line(sources_used, sources, as_of),
    )


def chart_focus_centrality(table: pd.DataFrame, countries, sources_used, sources, as_of: date):
    """Eigenvector centrality of the U.S., Japan and South Korea over time."""
    names = countries.set_index("country_code")["name_en"]
    frame = table[table["country_code"].isin(FOCUS)].assign(
        country=lambda f: f["country_code"].map(names),
        date_label=lambda f: f["date"].dt.strftime("%Y-%m-%d"),
        date=lambda f: f["date"].dt.strftime("%Y-%m-%d"),
    )
    order = [names[c] for c in FOCUS]
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=18), interpolate="step-after")
        .encode(
            x=alt.X("date:T", title="End of year", axis=alt.Axis(format="%Y")),
            y=alt.Y("eigenvector:Q", title="Eigenvector centrality (0 to 1)"),
            color=alt.Color(
                "country:N", title=None, sort=order, scale=alt.Scale(domain=order, range=theme.PALETTE[:3])
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("date_label:N", title="Date"),
                alt.Tooltip("eigenvector:Q", title="Eigenvector centrality", format=".3f"),
                alt.Tooltip("eigenvector_rank:Q", title="Rank"),
                alt.Tooltip("degree_n:Q", title="Partners (n)"),
            ],
        )
        .properties(width=theme.WIDTH_PX, height=280)
    )
    description = (
        "Line chart of eigenvector centrality over time for the United States, Japan and South Korea; "
        "each point also carries the country's rank and number of partners in that year."
    )
    return theme.finish(
        chart,
        title="Both at the centre? The U.S., Japan and South Korea in the network",
        subtitle="Eigenvector centrality: high when a country is tied to countries that are themselves well tied",
        description=description,
        footer=source_line(sources_used, sources, as_of),
    )


def table_robustness(ties, members, early: date, as_of: date, tie_levels: pd.DataFrame | None = None) -> pd.DataFrame:
    """Headline metrics under each coding of what counts as a tie, early and now."""
    rows = []
    for label, filters in VARIANTS:
        coded_ties, coded_members = ties, members
        if filters.get(MANILA_PACT_ALL):
            coded_ties, coded_members = manila_pact_all_parties(ties, members)
            filters = {}
        if "levels" in filters and tie_levels is not None:
            filters = {**filters, "level_history": tie_levels}
        for when in (early, as_of):
            graph = network.country_graph(coded_ties, coded_members, when, **filters)
            metrics = network.network_metrics(graph)
            ranks = network.country_metrics(graph).set_index("country_code")["eigenvector_rank"]
            rows.append(
                {
                    "coding": label,
                    "date": pd.Timestamp(when),
                    **{k: metrics[k] for k in ("nodes_n", "edges_n", "degree_centralization", "hub_dependence")},
                    "jpn_rank": int(ranks["JPN"]) if "JPN" in ranks else None,
                    "usa_rank": int(ranks["USA"]) if "USA" in ranks else None,
                    "kor_rank": int(ranks["KOR"]) if "KOR" in ranks else None,
                }
            )
    frame = pd.DataFrame(rows)
    for column in ("jpn_rank", "usa_rank", "kor_rank"):
        frame[column] = frame[column].astype("Int64")
    return frame


# Changes in a 0-1 score smaller than this are read as 'little change' in the prose.
SCORE_CHANGE_BAND = 0.05
# Japan counts as level with the U.S. when its eigenvector score is at least this share of it.
LEVEL_WITH_SHARE = 0.9


# What each direction of change means for the lattice claim, in the prose.
DECLINE_VERDICTS = {
    "fell": "fell, as the lattice claim expects",
    "rose": "rose, against what the lattice claim expects",
    "changed little": "changed little",
}


def reading_hub_betweenness(series: pd.DataFrame, by_country: pd.DataFrame, hub: str = network.HUB) -> str:
    """Whether hub dependence (``series``) equals the hub's betweenness (``by_country``) at every
    date, in words: it does wherever every country can reach every other (network.hub_dependence)."""
    hub_dependence = series.set_index("date")["hub_dependence"]
    rows = by_country[by_country["country_code"].eq(hub)].set_index("date")["betweenness"]
    betweenness = rows.reindex(hub_dependence.index).fillna(0.0)
    # Both are rounded alike from the same sum when they agree; any real gap is far wider.
    apart = int((hub_dependence - betweenness).abs().gt(0.5 * 10 ** -network.DIGITS).sum())
    if not apart:
        return ("At every date of the series every country can reach every other, so hub dependence is, "
                "exactly, the United States' betweenness centrality: the table of country centralities below "
                "gives the same figure for the United States at the as-of date.")
    return (f"At {counted(apart, 'date')} of the series some countries could not reach the rest; there hub "
            "dependence, which leaves such pairs out, is above the United States' betweenness centrality, "
            "and at every other date it equals it.")


def verdict_decline(first: float, last: float) -> str:
    """How a centralization score moved, in words, for the lattice claim."""
    return DECLINE_VERDICTS[change_reading(first, last)]


def compare_to_us(japan: float, usa: float) -> str:
    """'level with', 'ahead of' or 'behind': Japan's score against the United States'."""
    if usa == 0 and japan == 0:
        return "level with"
    if abs(japan - usa) <= (1 - LEVEL_WITH_SHARE) * max(japan, usa):
        return "level with"
    return "ahead of" if japan > usa else "behind"


def reading_japan(now: pd.DataFrame) -> str:
    """Japan against the United States on three centralities, and what that says of 'both at the centre'."""
    j, u = now.loc["JPN"], now.loc["USA"]
    eig, deg, btw = (compare_to_us(j[c], u[c]) for c in ("eigenvector", "degree_n", "betweenness"))
    text = (
        f"Japan is {eig} the United States on eigenvector centrality ({j['eigenvector']:.2f} against "
        f"{u['eigenvector']:.2f}), {deg} it on number of partners ({int(j['degree_n'])} against "
        f"{int(u['degree_n'])}) and {btw} it on betweenness ({j['betweenness']:.2f} against "
        f"{u['betweenness']:.2f}). "
    )
    tied = eig != "behind" and deg != "behind"
    if tied and btw != "behind":
        return text + "On every measure the data support Choi's 'both at the centre'."
    if tied:
        return text + (
            "Japan is now as well tied as the United States, but the United States is still the broker "
            "through which other partners reach each other: 'both at the centre' holds for ties, "
            "not for brokerage."
        )
    if eig != "behind":
        return text + (
            "Japan is beside the United States on eigenvector centrality (scores within a tenth of each other), "
            "but the United States keeps more partners and remains the broker: 'both at the centre' holds on one "
            "measure of three."
        )
    return text + "The data do not put Japan beside the United States at the centre."


def reading_korea(now: pd.DataFrame, then: pd.DataFrame) -> str:
    """What South Korea's partners and rank say about 'from a line to a surface'."""
    before = int(then.at["KOR", "degree_n"]) if "KOR" in then.index else 0
    after = int(now.at["KOR", "degree_n"])
    rank, total = int(now.at["KOR", "eigenvector_rank"]), len(now)
    if after > before:
        # Whether the new ties run through U.S.-Japan groupings is measured separately
        # (reading_korea_surface), so this sentence does not say it.
        return (
            f"Its partners grew from {before} to {after}, and it now ranks {ordinal(rank)} of {total}: "
            "its own ties have widened beyond the single line to the United States. Choi's 'surface' is "
            "about its place within U.S.-Japan cooperation, which the next sentences measure."
        )
    return (
        f"Its partners did not grow ({before} then, {after} now; ranking {ordinal(rank)} of {total}): "
        "no line-to-surface move."
    )


def change_reading(before: float, after: float) -> str:
    """'rose', 'changed little' or 'fell': a 0-1 score between two dates."""
    if after >= before + SCORE_CHANGE_BAND:
        return "rose"
    if after <= before - SCORE_CHANGE_BAND:
        return "fell"
    return "changed little"


def score_between(ties, members, country: str, start: date, end: date, column: str = "eigenvector") -> tuple:
    """A country's centrality score in the network at two dates."""
    scores = []
    for when in (start, end):
        metrics = network.country_metrics(network.country_graph(ties, members, when)).set_index("country_code")
        scores.append(float(metrics.at[country, column]) if country in metrics.index else 0.0)
    return tuple(scores)


def ties_started_between(ties, members, country: str, start: date, end: date) -> int:
    """Preferred ties with the country as a member that started after ``start`` and by ``end``."""
    own = set(members.loc[members["country_code"].eq(country), "tie_id"])
    ties = datapkg.preferred(ties)
    dates = pd.to_datetime(ties["start_date"])
    chosen = ties["tie_id"].isin(own) & dates.gt(pd.Timestamp(start)) & dates.le(pd.Timestamp(end))
    return int(chosen.sum())


def count_change_reading(before: float, after: float) -> str:
    """'rose', 'stayed the same' or 'fell': a count between two dates."""
    return "rose" if after > before else "fell" if after < before else "stayed the same"


def falls_under_every_coding(robust: pd.DataFrame) -> bool:
    """Whether hub dependence falls, early to now, under every coding where it can be measured."""
    return survives(robust, "hub_falls")


CONCLUSIONS = {
    "hub_falls": "Hub dependence falls from the early date to the as-of date",
    "japan_first": "Japan ranks first by eigenvector centrality at the as-of date",
    "japan_above_us": "Japan ranks at or above the United States at the as-of date",
}


# Hub dependence needs pairs of countries besides the hub: below this many countries it is not measured.
MIN_NODES_FOR_HUB = 3


def _holds(group: pd.DataFrame) -> dict[str, bool | None]:
    """Each conclusion under one coding: True, False, or None where it cannot be measured."""
    first, last = group.iloc[0], group.iloc[-1]
    jpn, usa = last["jpn_rank"], last["usa_rank"]
    measurable = first["nodes_n"] >= MIN_NODES_FOR_HUB and last["nodes_n"] >= MIN_NODES_FOR_HUB
    return {
        "hub_falls": bool(last["hub_dependence"] <= first["hub_dependence"] - SCORE_CHANGE_BAND)
        if measurable
        else None,
        "japan_first": bool(pd.notna(jpn) and jpn == 1),
        "japan_above_us": bool(pd.notna(jpn) and (pd.isna(usa) or jpn <= usa)),
    }


def table_conclusions(robust: pd.DataFrame) -> pd.DataFrame:
    """Each headline conclusion: under how many codings it holds, and the codings where it does not."""
    results = {coding: _holds(group) for coding, group in robust.groupby("coding", sort=False)}
    rows = []
    for key, text in CONCLUSIONS.items():
        measured = {coding: held[key] for coding, held in results.items() if held[key] is not None}
        failed = [coding for coding, held in measured.items() if not held]
        unmeasured = [coding for coding in results if coding not in measured]
        rows.append(
            {
                "Conclusion": text,
                "Holds under (codings)": f"{len(measured) - len(failed)} of {len(measured)}",
                "Does not hold under": "; ".join(failed) or "none",
                "Not measurable under": "; ".join(unmeasured) or "none",
                "survives": not failed,
                "key": key,
                "measured_n": len(measured),
                "failed": failed,
            }
        )
    return pd.DataFrame(rows)


# Columns of table_conclusions that the readings use and the chapter's table does not show.
CONCLUSION_INTERNALS = ["survives", "key", "measured_n", "failed"]


def survives(robust: pd.DataFrame, key: str) -> bool:
    """Whether a headline conclusion holds under every coding."""
    table = table_conclusions(robust).set_index("key")
    return bool(table.at[key, "survives"])


def reading_robustness(robust: pd.DataFrame) -> str:
    """Whether the fall in hub dependence survives every coding, with each coding's values."""
    held, failed, unmeasured = [], [], []
    for coding, group in robust.groupby("coding", sort=False):
        first, last = group["hub_dependence"].iloc[0], group["hub_dependence"].iloc[-1]
        result = _holds(group)["hub_falls"]
        text = f"'{coding}' ({first:.2f} to {last:.2f})"
        (unmeasured if result is None else held if result else failed).append(text)
    lead = (
        "The fall in hub dependence holds under every coding where it can be measured: "
        if not failed
        else "The conclusion depends on the coding. Hub dependence falls with "
    )
    text = lead + "; ".join(held)
    if failed:
        text += ", but not with " + "; ".join(failed)
    text += "."
    if unmeasured:
        text += f" It cannot be measured under {and_join(unmeasured)}, whose early network has too few countries."
    return text


def hub_reading_short(robust: pd.DataFrame) -> str:
    """The front page's clause on the hub's fall across codings."""
    row = table_conclusions(robust).set_index("key").loc["hub_falls"]
    if row["survives"]:
        return f"holds under all {row['measured_n']} codings where it can be measured"
    return f"holds under {row['Holds under (codings)']} codings, not under {quoted(row['failed'])}"


def shared_with(ties: pd.DataFrame, members: pd.DataFrame, when: date, country: str, partners: list[str]) -> tuple:
    """How many of a country's active ties include every one of ``partners``: (with them, all)."""
    active = network.active_memberships(ties, members, when)
    own = set(active.loc[active["country_code"].eq(country), "tie_id"])
    both = {t for t in own if set(partners) <= set(active.loc[active["tie_id"].eq(t), "country_code"])}
    return len(both), len(own)


def reading_korea_surface(with_both: int, total: int) -> str:
    """Whether South Korea's ties are mostly those that include both the U.S. and Japan."""
    if total and with_both / total > 0.5:
        return (
            "Most of the surface South Korea stands on is the one the two allies are building, "
            "which is the dependence Choi warns of."
        )
    return (
        "Most of its ties do not include both allies: South Korea's surface is not only the one "
        "the United States and Japan are building."
    )


def table_country_ranks(graph, countries: pd.DataFrame) -> pd.DataFrame:
    """Every country's centralities in one snapshot, most central first, for the reader."""
    names = countries.set_index("country_code")["name_en"]
    frame = network.country_metrics(graph)
    return pd.DataFrame(
        {
            "Rank": frame["eigenvector_rank"],
            "Country": frame["country_code"].map(names),
            "Partners (n)": frame["degree_n"],
            "Shared ties (n)": frame["weighted_degree_n"],
            "Betweenness": frame["betweenness"],
            "Eigenvector centrality": frame["eigenvector"],
        }
    )


START_BASIS_LABELS = {
    "in-force": "entry into force",
    "signed": "signature",
    "first-held": "first meeting",
    "announced": "announcement",
}


def table_agreement_dates(ties: pd.DataFrame, tie_dates: pd.DataFrame) -> pd.DataFrame:
    """Each treaty, agreement or declaration with its signature and entry-into-force dates (the
    preferred row of each), and which of them the network counts the tie from."""
    dates = datapkg.preferred(tie_dates)
    rows = []
    for tie in datapkg.preferred(ties).itertuples():
        own = dates[dates["tie_id"].eq(tie.tie_id)].set_index("date_kind")
        if own.empty:
            continue
        signed = own.loc["signed"] if "signed" in own.index else None
        in_force = own.loc["in-force"] if "in-force" in own.index else None
        rows.append(
            {
                "tie_id": tie.tie_id,
                "Treaty or agreement": tie.name,
                "Signed": date_label(signed["date"], signed["date_precision"]) if signed is not None else "not found",
                "In force": date_label(in_force["date"], in_force["date_precision"])
                if in_force is not None
                else "none found",
                "Network counts it from": START_BASIS_LABELS[tie.start_basis],
                "Note": " ".join(n for n in (own["note"].tolist()) if n),
                "first_date": own["date"].min(),
            }
        )
    # In the order the documents were signed (or, without a signature date, took effect).
    return pd.DataFrame(rows).sort_values(["first_date", "tie_id"]).drop(columns="first_date").reset_index(drop=True)


def count_ties(ties: pd.DataFrame) -> int:
    """Ties in the universe: one per arrangement, second datings and exercises left out."""
    own = datapkg.distinct(ties)
    return int((~own["instrument"].isin(network.OUTSIDE_UNIVERSE)).sum())


def table_universe(
    ties: pd.DataFrame, members: pd.DataFrame, countries: pd.DataFrame, when: date | None = None
) -> pd.DataFrame:
    """Per country: its active ties by kind of instrument (at ``when``, else every tie ever), so a
    reader sees that each kind is coded for every country, not only for Japan."""
    ties = datapkg.preferred(ties)
    if when is None:
        frame = network.memberships(ties, members)
    else:
        # Exercises are shown too, in their own column, so nothing is left out of the count.
        frame = network.active_memberships(ties, members, when, exclude_instruments=())
    table = pd.crosstab(frame["country_code"], frame["instrument"])
    order = [k for k in network.INSTRUMENTS if k in table.columns]
    table = table[order].rename(columns={k: network.INSTRUMENTS[k] for k in order})
    names = countries.set_index("country_code")["name_en"]
    table.index = table.index.map(names)
    return table.reset_index().rename(columns={"country_code": "Country"}).rename_axis(columns=None)


def reading_conclusions(conclusions: pd.DataFrame, robust: pd.DataFrame) -> str:
    """Which conclusions survive every coding and which depend on one, in words, and how many
    codings leave the links at the as-of date as they are with all ties."""
    parts = []
    for _, row in conclusions.iterrows():
        if row["survives"]:
            parts.append(f"{row['Conclusion']}: under every coding where it can be measured.")
        else:
            parts.append(
                f"{row['Conclusion']}: under {row['Holds under (codings)']} codings where it can be measured; "
                f"not under {quoted(row['failed'])}."
            )
    same = unchanged_codings(robust)
    if same:
        parts.append(
            f"{len(same)} of the codings ({quoted(same)}) leave the links at the as-of date unchanged, "
            "so they repeat the all-ties result there."
        )
    return " ".join(parts)


def quoted(labels) -> str:
    return and_join([f"'{label}'" for label in labels])


def unchanged_codings(robust: pd.DataFrame) -> list[str]:
    """Codings that give the all-ties network's size, hub dependence and ranks at the as-of date."""
    now = robust[robust["date"].eq(robust["date"].max())].set_index("coding")
    base = now.loc["All ties"]
    columns = ["nodes_n", "edges_n", "hub_dependence", "jpn_rank", "usa_rank", "kor_rank"]
    same = now[(now[columns] == base[columns]).all(axis=1)]
    return [c for c in same.index if c != "All ties"]


def holds_under(conclusions: pd.DataFrame, key: str) -> str:
    """'10 of 13': the codings under which a conclusion holds."""
    return str(conclusions.set_index("key").at[key, "Holds under (codings)"])


def rank_range(robust: pd.DataFrame, column: str = "kor_rank") -> str:
    """A country's eigenvector rank at the as-of date across the codings: '4th to 7th'."""
    now = robust[robust["date"].eq(robust["date"].max())][column].dropna().astype(int)
    low, high = int(now.min()), int(now.max())
    return ordinal(low) if low == high else f"{ordinal(low)} to {ordinal(high)}"


def groupings_rank(ties: pd.DataFrame, members: pd.DataFrame, when: date, country: str) -> int:
    """A country's rank by the number of standing minilateral groupings it belongs to at ``when``
    (1 = the most; countries with equal counts share a rank)."""
    active = network.active_memberships(ties, members, when)
    counts = active[active["instrument"].eq("grouping")].groupby("country_code")["tie_id"].nunique()
    if country not in counts.index:
        return len(counts) + 1
    return int((counts > counts[country]).sum()) + 1


def korea_in_us_japan_groupings(ties: pd.DataFrame, members: pd.DataFrame, dates) -> pd.DataFrame:
    """Choi's 'line to a surface' as she meant it: at each date, the standing groupings that
    include both the United States and Japan, how many of them include South Korea, and the gap
    between Japan's and South Korea's eigenvector scores."""
    rows = []
    for when in dates:
        active = network.active_memberships(ties, members, when)
        groups = active[active["instrument"].eq("grouping")].groupby("tie_id")["country_code"].apply(set)
        centred = [m for m in groups if {"USA", "JPN"} <= m]
        with_korea = sum("KOR" in m for m in centred)
        scores = network.country_metrics(network.country_graph(ties, members, when)).set_index("country_code")
        jpn = float(scores.at["JPN", "eigenvector"]) if "JPN" in scores.index else 0.0
        kor = float(scores.at["KOR", "eigenvector"]) if "KOR" in scores.index else 0.0
        rows.append(
            {
                "date": pd.Timestamp(when),
                "us_japan_groupings_n": len(centred),
                "with_south_korea_n": with_korea,
                "with_south_korea_pct": round(100 * with_korea / len(centred), 1) if len(centred) else None,
                "japan_minus_korea_eigenvector": round(jpn - kor, 3),
            }
        )
    return pd.DataFrame(rows)


def reading_surface(table: pd.DataFrame) -> str:
    """Which reading of 'from a line to a surface' the record supports."""
    last = table.iloc[-1]
    grew = table[table["us_japan_groupings_n"].gt(0)].iloc[0]
    gap_then, gap_now = grew["japan_minus_korea_eigenvector"], last["japan_minus_korea_eigenvector"]
    share = last["with_south_korea_pct"]
    text = (
        f"At the as-of date South Korea belongs to {int(last['with_south_korea_n'])} of the "
        f"{int(last['us_japan_groupings_n'])} standing groupings that include both the United States and Japan "
        f"({share:.0f}%)."
    )
    gap = change_reading(gap_then, gap_now)
    text += (
        f" The gap between Japan's and South Korea's eigenvector scores {gap} between "
        f"{grew['date']:%Y} and the as-of date ({gap_then:.2f} to {gap_now:.2f})."
    )
    if share < 50:
        lead = (
            "though Japan's lead over it has narrowed" if gap == "fell" else "and Japan's lead over it has not narrowed"
        )
        text += (
            " South Korea has moved from lines to a surface in that it now sits in a U.S.-Japan grouping, but most "
            f"of the groupings the two allies lead leave it out, {lead}: the record fits Choi's concern that "
            "U.S.-Japan groupings multiply with South Korea as one partner among many, or outside them, better than "
            "a reading of South Korea simply gaining partners."
        )
    else:
        text += " Most U.S.-Japan groupings include South Korea: its place in them has widened."
    return text


# --- Values at a brief's date -------------------------------------------------------------
# The scorecard judges a claim stated as already true (an assessment) at its brief's date, so
# the values its tests read are computed on the network as it stood then, not at the as-of date.


def hub_at(ties: pd.DataFrame, members: pd.DataFrame, when: date) -> dict:
    """Hub dependence at its yearly peak up to ``when`` and on ``when`` itself, with the verdict on
    the fall: the chapter's headline measured on the network of that date."""
    series = network.snapshot_table(ties, members, yearly_dates(FIRST_YEAR, when))
    peak, last = series.loc[series["hub_dependence"].idxmax()], series.iloc[-1]
    return {
        "peak": float(peak["hub_dependence"]),
        "peak_date": peak["date"].date(),
        "last": float(last["hub_dependence"]),
        "verdict": verdict_decline(peak["hub_dependence"], last["hub_dependence"]),
    }


def japan_against_us_at(ties: pd.DataFrame, members: pd.DataFrame, when: date, column: str = "eigenvector") -> str:
    """'level with', 'ahead of' or 'behind': Japan against the United States on one centrality at ``when``."""
    scores = network.country_metrics(network.country_graph(ties, members, when)).set_index("country_code")
    return compare_to_us(scores.at["JPN", column], scores.at["USA", column])


def _coded(ties: pd.DataFrame, members: pd.DataFrame, filters: dict, tie_levels: pd.DataFrame | None):
    """The ties, members and filters of one coding of VARIANTS, as table_robustness applies it."""
    if filters.get(MANILA_PACT_ALL):
        ties, members = manila_pact_all_parties(ties, members)
        filters = {}
    if "levels" in filters and tie_levels is not None:
        filters = {**filters, "level_history": tie_levels}
    return ties, members, filters


def groupings_ranks_by_coding(
    ties: pd.DataFrame, members: pd.DataFrame, when: date, tie_levels: pd.DataFrame | None = None, country: str = "JPN"
) -> pd.DataFrame:
    """A country's rank by the number of standing groupings it belongs to at ``when`` under each
    coding of the robustness table; the rank is missing where a coding leaves no grouping to count
    (formal alliances only, or groupings left out), so the claim cannot be measured there."""
    rows = []
    for label, filters in VARIANTS:
        coded_ties, coded_members, coded_filters = _coded(ties, members, filters, tie_levels)
        active = network.active_memberships(coded_ties, coded_members, when, **coded_filters)
        counts = active[active["instrument"].eq("grouping")].groupby("country_code")["tie_id"].nunique()
        if counts.empty:
            rank = None
        elif country not in counts.index:
            rank = len(counts) + 1
        else:
            rank = int((counts > counts[country]).sum()) + 1
        rows.append({"coding": label, "groupings_n": int(counts.get(country, 0)), "rank": rank})
    frame = pd.DataFrame(rows)
    frame["rank"] = frame["rank"].astype("Int64")
    return frame


def first_on_groupings_every_coding(ranks: pd.DataFrame) -> bool:
    """Whether the country ranks first by groupings under every coding where groupings can be counted."""
    measured = ranks["rank"].dropna()
    return bool(len(measured)) and bool(measured.eq(1).all())


def groupings_first_under(ranks: pd.DataFrame) -> str:
    """'11 of 12': the codings, among those where groupings can be counted, under which the country ranks first."""
    measured = ranks["rank"].dropna()
    return f"{int(measured.eq(1).sum())} of {len(measured)}"


def reading_groupings_codings(ranks: pd.DataFrame) -> str:
    """Which codings leave groupings uncounted, and where the country is not first, in words."""
    unmeasured = ranks.loc[ranks["rank"].isna(), "coding"].tolist()
    behind = ranks[ranks["rank"].notna() & ranks["rank"].ne(1)]
    text = f"Japan ranks first by groupings under {groupings_first_under(ranks)} codings where groupings can be counted"
    if not behind.empty:
        text += "; not under " + and_join([f"'{row.coding}' ({ordinal(int(row.rank))})" for row in behind.itertuples()])
    text += "."
    if unmeasured:
        text += f" {quoted(unmeasured)} leave no grouping to count."
    return text
