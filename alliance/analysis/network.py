"""The security network as graphs: who is tied to whom at a date, and how centralised it is.

The API the chapters share (the lattice chapter, and the South Korea chapter's scenarios, which
add rows of ties and members and call the same functions):

* ``memberships(ties, members)``: one row per (tie, country) with the dates it applies.
* ``country_graph(ties, members, when, ...)``: countries linked by the active ties they share.
* ``bipartite_graph(ties, members, when, ...)``: countries and ties as the two node sets.
* ``network_metrics(graph)`` and ``country_metrics(graph)``: the numbers the chapter reports.
* ``snapshot_table`` and ``country_table``: those metrics over a list of dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import combinations

import networkx as nx
import pandas as pd

from alliance.data.datapkg import distinct

HUB = "USA"
# Ties that are stronger in kind win when an edge carries several: a defence commitment is the
# strongest tie, then other treaties, access agreements, groupings and industrial projects.
KIND_STRENGTH = [
    "bilateral-treaty",
    "multilateral-treaty",
    "reciprocal-access-agreement",
    "minilateral-grouping",
    "defense-industrial",
    "other",
]
# The tie universe: the kinds of instrument the network counts, the same for every country
# (security_ties.instrument). Exercises are recorded but lie outside it.
INSTRUMENTS = {
    "alliance": "Formal alliances (as ATOP codes them)",
    "grouping": "Standing minilateral groupings",
    "dialogue": "Bilateral security declarations and dialogues",
    "access": "Access and visiting-forces agreements",
    "logistics": "Logistics (acquisition and cross-servicing) agreements",
    "information": "Information-sharing agreements",
    "industrial": "Defence-industrial programmes",
    "exercise": "Recurring exercises (outside the universe)",
}
OUTSIDE_UNIVERSE = ("exercise",)
INSTRUMENT_SHORT = {
    "alliance": "formal alliances",
    "grouping": "minilateral groupings",
    "dialogue": "security declarations and dialogues",
    "access": "access agreements",
    "logistics": "logistics agreements",
    "information": "information-sharing agreements",
    "industrial": "defence-industrial programmes",
    "exercise": "exercises",
}
LEVEL_ORDER = ["officials", "ministers", "leaders"]
# Centrality scores are rounded so stored outputs do not depend on floating-point noise.
DIGITS = 4
# Eigenvector centrality counts an edge by the number of ties it carries.
EIGENVECTOR_WEIGHT = "weight"


def memberships(ties: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """One row per (tie, country, spell): the member's own dates where given, else the tie's.

    A tie row that only records a second source's dating is left out, so a disputed tie is
    counted once.
    """
    ties = distinct(ties)
    if "instrument" not in ties:
        ties = ties.assign(instrument=None)
    frame = members.merge(
        ties[["tie_id", "name", "kind", "instrument", "level", "start_date", "end_date", "is_formal_alliance"]],
        on="tie_id",
        how="inner",
        validate="many_to_one",
    )
    frame["from_date"] = frame["joined_date"].fillna(frame["start_date"])
    frame["to_date"] = frame["left_date"].fillna(frame["end_date"])
    return frame


def active_memberships(
    ties: pd.DataFrame,
    members: pd.DataFrame,
    when: date,
    *,
    kinds: Iterable[str] | None = None,
    levels: Iterable[str] | None = None,
    formal_only: bool = False,
    exclude_countries: Iterable[str] = (),
    exclude_instruments: Iterable[str] = OUTSIDE_UNIVERSE,
    japan_party_only: Iterable[str] = (),
    level_history: pd.DataFrame | None = None,
    levels_for: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Memberships in force on ``when`` (from its start date up to, not including, its end).

    Instruments outside the tie universe (exercises) are left out unless ``exclude_instruments``
    says otherwise; ``japan_party_only`` keeps those instruments only where Japan is a party;
    ``levels`` filters by the level a tie had reached on ``when`` when ``level_history`` is given,
    only for the instruments in ``levels_for`` where that is given.
    """
    frame = memberships(ties, members)
    moment = pd.Timestamp(when)
    keep = frame["from_date"].le(moment) & (frame["to_date"].isna() | frame["to_date"].gt(moment))
    if kinds is not None:
        keep &= frame["kind"].isin(list(kinds))
    keep &= ~frame["instrument"].isin(list(exclude_instruments))
    if japan_party_only:
        japanese = set(frame.loc[frame["country_code"].eq("JPN"), "tie_id"])
        keep &= ~(frame["instrument"].isin(list(japan_party_only)) & ~frame["tie_id"].isin(japanese))
    if levels is not None:
        level = frame["level"]
        if level_history is not None:
            level = frame["tie_id"].map(level_on(level_history, when)).fillna(frame["level"])
        if levels_for is None:
            keep &= level.isin(list(levels))
        else:
            keep &= level.isin(list(levels)) | ~frame["instrument"].isin(list(levels_for))
    if formal_only:
        keep &= frame["is_formal_alliance"].fillna(False).astype(bool)
    if exclude_countries:
        keep &= ~frame["country_code"].isin(list(exclude_countries))
    return frame[keep].sort_values(["tie_id", "country_code"]).reset_index(drop=True)


def level_on(level_history: pd.DataFrame, when: date) -> pd.Series:
    """The highest level each tie in the history had reached by ``when`` (tie_id -> level)."""
    reached = level_history[pd.to_datetime(level_history["from_date"]).le(pd.Timestamp(when))]
    rank = reached["level"].map(LEVEL_ORDER.index)
    return reached.assign(rank=rank).sort_values("rank").groupby("tie_id")["level"].last()


def _strongest(kinds: Iterable[str]) -> str:
    return min(kinds, key=KIND_STRENGTH.index)


def country_graph(ties: pd.DataFrame, members: pd.DataFrame, when: date, **filters) -> nx.Graph:
    """Countries as nodes; an edge for each pair sharing at least one active tie.

    Edge attributes: ``weight`` (number of shared ties), ``ties`` (their names, sorted),
    ``kind`` (the strongest kind among them). Filters are those of ``active_memberships``.
    """
    active = active_memberships(ties, members, when, **filters)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(active["country_code"].unique()))
    for _, group in active.groupby("tie_id", sort=True):
        name, kind = group["name"].iloc[0], group["kind"].iloc[0]
        for a, b in combinations(sorted(group["country_code"].unique()), 2):
            if graph.has_edge(a, b):
                edge = graph.edges[a, b]
                edge["weight"] += 1
                edge["ties"] = sorted({*edge["ties"], name})
                edge["kind"] = _strongest([edge["kind"], kind])
            else:
                graph.add_edge(a, b, weight=1, ties=[name], kind=kind)
    return graph


def bipartite_graph(ties: pd.DataFrame, members: pd.DataFrame, when: date, **filters) -> nx.Graph:
    """Countries (bipartite=0) and ties (bipartite=1), with an edge for each membership."""
    active = active_memberships(ties, members, when, **filters)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(active["country_code"].unique()), bipartite=0)
    for row in active.drop_duplicates("tie_id").itertuples():
        graph.add_node(row.tie_id, bipartite=1, name=row.name, kind=row.kind, level=row.level)
    graph.add_edges_from(zip(active["country_code"], active["tie_id"], strict=True))
    return graph


def degree_centralization(graph: nx.Graph) -> float:
    """Freeman's degree centralization: 1 for a star, 0 when every node has the same degree."""
    n = graph.number_of_nodes()
    if n < 3:
        return 0.0
    degrees = [d for _, d in graph.degree()]
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


def betweenness_centralization(graph: nx.Graph) -> float:
    """Freeman's betweenness centralization (normalised betweenness): 1 for a star, 0 for a clique."""
    n = graph.number_of_nodes()
    if n < 3:
        return 0.0
    scores = list(nx.betweenness_centrality(graph, normalized=True).values())
    top = max(scores)
    return sum(top - s for s in scores) / (n - 1)


def hub_dependence(graph: nx.Graph, hub: str = HUB) -> float:
    """The hub's betweenness centrality: the share of shortest paths between other countries that
    pass through the hub.

    For every pair of nodes other than the hub that are connected, the share of their shortest
    paths that run through the hub; averaged over pairs. 1 for a star around the hub, 0 when
    every pair of partners is tied directly. Unconnected pairs are left out; 0 if there are none
    or the hub is absent.

    This is not a separate measure: in a connected graph every pair of other nodes counts, and
    the average is by definition the hub's normalised betweenness centrality (networkx's
    ``betweenness_centrality(graph, normalized=True)[hub]``: the same sum over the same
    (n-1)(n-2)/2 pairs). The two part only when some pairs cannot reach each other, which
    betweenness counts as zeros and this average leaves out, so here it is the larger.
    """
    if hub not in graph:
        return 0.0
    shares = []
    others = sorted(n for n in graph if n != hub)
    for a, b in combinations(others, 2):
        if not nx.has_path(graph, a, b):
            continue
        paths = list(nx.all_shortest_paths(graph, a, b))
        shares.append(sum(hub in p for p in paths) / len(paths))
    return sum(shares) / len(shares) if shares else 0.0


def network_metrics(graph: nx.Graph, hub: str = HUB) -> dict:
    """The whole network's shape, for one snapshot."""
    return {
        "nodes_n": graph.number_of_nodes(),
        "edges_n": graph.number_of_edges(),
        "density": round(nx.density(graph), DIGITS) if graph.number_of_nodes() > 1 else 0.0,
        "degree_centralization": round(degree_centralization(graph), DIGITS),
        "betweenness_centralization": round(betweenness_centralization(graph), DIGITS),
        "avg_clustering": round(nx.average_clustering(graph), DIGITS) if graph else 0.0,
        "hub_dependence": round(hub_dependence(graph, hub), DIGITS),
    }


def _eigenvector(graph: nx.Graph) -> dict[str, float]:
    if graph.number_of_edges() == 0:
        return dict.fromkeys(graph, 0.0)
    scores = {}
    # Per connected component, scaled by its share of nodes, so a small detached group does
    # not score as high as the main network (eigenvector centrality is defined per component).
    for component in nx.connected_components(graph):
        sub = graph.subgraph(component)
        if sub.number_of_nodes() < 2:
            scores.update(dict.fromkeys(component, 0.0))
            continue
        values = nx.eigenvector_centrality(sub, weight=EIGENVECTOR_WEIGHT, max_iter=10_000, tol=1e-12)
        share = sub.number_of_nodes() / graph.number_of_nodes()
        scores.update({node: abs(v) * share for node, v in values.items()})
    return scores


def country_metrics(graph: nx.Graph) -> pd.DataFrame:
    """Per country: degree, weighted degree, betweenness, eigenvector centrality and its rank."""
    columns = ["country_code", "degree_n", "weighted_degree_n", "betweenness", "eigenvector", "eigenvector_rank"]
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=columns)
    between = nx.betweenness_centrality(graph, normalized=True)
    eigen = _eigenvector(graph)
    frame = pd.DataFrame(
        {
            "country_code": sorted(graph),
            "degree_n": [graph.degree(n) for n in sorted(graph)],
            "weighted_degree_n": [graph.degree(n, weight="weight") for n in sorted(graph)],
            "betweenness": [round(between[n], DIGITS) for n in sorted(graph)],
            "eigenvector": [round(eigen[n], DIGITS) for n in sorted(graph)],
        }
    )
    frame["eigenvector_rank"] = frame["eigenvector"].rank(ascending=False, method="min").astype(int)
    return frame.sort_values(["eigenvector_rank", "country_code"]).reset_index(drop=True)[columns]


def snapshot_table(ties: pd.DataFrame, members: pd.DataFrame, dates: Iterable[date], **filters) -> pd.DataFrame:
    """``network_metrics`` for each date, one row per date."""
    rows = [{"date": pd.Timestamp(d), **network_metrics(country_graph(ties, members, d, **filters))} for d in dates]
    return pd.DataFrame(rows)


def country_table(ties: pd.DataFrame, members: pd.DataFrame, dates: Iterable[date], **filters) -> pd.DataFrame:
    """``country_metrics`` for each date, stacked, with a ``date`` column."""
    frames = [country_metrics(country_graph(ties, members, d, **filters)).assign(date=pd.Timestamp(d)) for d in dates]
    return pd.concat(frames, ignore_index=True)
