"""Network metrics on small graphs with known answers, and the tie-to-graph builder."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
import pytest

from alliance.analysis import network


def star(n_spokes: int) -> nx.Graph:
    return nx.star_graph([network.HUB] + [f"S{i}" for i in range(n_spokes)])


def complete(n: int) -> nx.Graph:
    return nx.complete_graph([network.HUB] + [f"S{i}" for i in range(n - 1)])


@pytest.mark.parametrize("spokes", [3, 5, 9])
def test_star_is_fully_centralised(spokes):
    graph = star(spokes)
    assert network.degree_centralization(graph) == pytest.approx(1)
    assert network.betweenness_centralization(graph) == pytest.approx(1)
    assert network.hub_dependence(graph) == pytest.approx(1)


@pytest.mark.parametrize("n", [3, 5, 8])
def test_complete_graph_is_not_centralised(n):
    graph = complete(n)
    assert network.degree_centralization(graph) == pytest.approx(0)
    assert network.betweenness_centralization(graph) == pytest.approx(0)
    assert network.hub_dependence(graph) == pytest.approx(0)


def five_node() -> nx.Graph:
    """Hand-worked case: the U.S. tied to JPN, KOR, AUS, PHL, and JPN tied to AUS."""
    graph = nx.Graph([("USA", "JPN"), ("USA", "KOR"), ("USA", "AUS"), ("USA", "PHL"), ("JPN", "AUS")])
    return graph


def test_five_node_case_by_hand():
    graph = five_node()
    # degrees 4,2,2,1,1: sum of (4 - d) = 10 over (n-1)(n-2) = 12
    assert network.degree_centralization(graph) == pytest.approx(10 / 12)
    # of the 6 pairs of partners only JPN-AUS avoid the U.S.
    assert network.hub_dependence(graph) == pytest.approx(5 / 6)
    # normalised betweenness: USA 5/6, others 0; sum of (max - c) over n-1 = 4 * 5/6 / 4
    assert network.betweenness_centralization(graph) == pytest.approx(5 / 6)
    metrics = network.network_metrics(graph)
    assert metrics["density"] == pytest.approx(0.5)
    # clustering: USA 1/6, JPN 1, AUS 1, KOR 0, PHL 0
    assert metrics["avg_clustering"] == pytest.approx(round(13 / 30, 4))


def test_hub_dependence_counts_shares_of_equal_shortest_paths():
    # JPN-KOR have two shortest paths, one through the U.S.: that pair contributes 1/2
    graph = nx.Graph([("USA", "JPN"), ("USA", "KOR"), ("AUS", "JPN"), ("AUS", "KOR")])
    pairs = {("AUS", "JPN"): 0, ("AUS", "KOR"): 0, ("JPN", "KOR"): 0.5}
    assert network.hub_dependence(graph) == pytest.approx(sum(pairs.values()) / len(pairs))


@pytest.mark.parametrize("seed", range(5))
def test_hub_dependence_is_the_hubs_betweenness_in_a_connected_graph(seed):
    """By definition, not by coincidence: the same sum over the same pairs (the reviewer saw the
    two equal in the chapter's tables)."""
    graph = nx.relabel_nodes(nx.connected_watts_strogatz_graph(12, 4, 0.3, seed=seed), {0: network.HUB})
    betweenness = nx.betweenness_centrality(graph, normalized=True)[network.HUB]
    assert network.hub_dependence(graph) == pytest.approx(betweenness)


def test_hub_dependence_leaves_out_pairs_that_cannot_meet():
    # A star of three spokes, and a pair apart: betweenness counts the 6 unconnected pairs as 0.
    graph = nx.Graph([("USA", "JPN"), ("USA", "KOR"), ("USA", "AUS"), ("NZL", "FJI")])
    assert network.hub_dependence(graph) == pytest.approx(3 / 4)  # JPN-KOR, JPN-AUS, KOR-AUS; NZL-FJI
    assert nx.betweenness_centrality(graph, normalized=True)["USA"] == pytest.approx(3 / 10)


def test_hub_dependence_without_hub_or_pairs():
    assert network.hub_dependence(nx.Graph([("JPN", "AUS")])) == 0.0
    assert network.hub_dependence(nx.Graph([("USA", "JPN")])) == 0.0


def test_small_graphs_have_zero_centralization():
    graph = nx.Graph([("USA", "JPN")])
    assert network.degree_centralization(graph) == 0.0
    assert network.betweenness_centralization(graph) == 0.0


def test_country_metrics_rank_the_hub_first():
    table = network.country_metrics(five_node())
    assert table.iloc[0]["country_code"] == "USA"
    assert table.iloc[0]["eigenvector_rank"] == 1
    assert list(table.columns) == [
        "country_code",
        "degree_n",
        "weighted_degree_n",
        "betweenness",
        "eigenvector",
        "eigenvector_rank",
    ]
    assert table.set_index("country_code").at["JPN", "degree_n"] == 2


def test_detached_component_scores_below_main_network():
    graph = nx.Graph([("USA", "JPN"), ("USA", "KOR"), ("USA", "AUS"), ("GBR", "ITA")])
    eigen = network.country_metrics(graph).set_index("country_code")["eigenvector"]
    assert eigen["USA"] > eigen["GBR"]


# --- building graphs from tie tables (fixtures ties and members in conftest) ----------------


def test_graph_at_a_date_uses_only_active_ties(ties, members):
    graph = network.country_graph(ties, members, date(1980, 1, 1))
    assert sorted(graph.nodes) == ["AUS", "JPN", "KOR", "NZL", "USA"]
    assert graph.has_edge("AUS", "NZL")
    later = network.country_graph(ties, members, date(1990, 1, 1))
    assert "NZL" not in later  # left before this date


def test_edges_count_and_name_shared_ties(ties, members):
    graph = network.country_graph(ties, members, date(2024, 1, 1))
    edge = graph.edges["JPN", "USA"]
    assert edge["weight"] == 2
    assert edge["ties"] == ["Quad", "U.S.-Japan treaty"]
    assert edge["kind"] == "bilateral-treaty"  # the strongest kind wins
    assert graph.edges["AUS", "JPN"]["ties"] == ["Japan-Australia RAA", "Quad"]


def test_filters_by_kind_level_and_formality(ties, members):
    when = date(2024, 1, 1)
    formal = network.country_graph(ties, members, when, formal_only=True)
    assert not formal.has_edge("AUS", "JPN")
    leaders = network.country_graph(ties, members, when, levels=["leaders"])
    assert leaders.edges["AUS", "JPN"]["ties"] == ["Quad"]
    groupings = network.country_graph(ties, members, when, kinds=["minilateral-grouping"])
    assert sorted(groupings.nodes) == ["AUS", "IND", "JPN", "USA"]


def test_end_date_is_exclusive(ties, members):
    ended = ties.assign(end_date=ties["end_date"].where(ties["tie_id"].ne("quad"), pd.Timestamp("2022-01-01")))
    assert network.country_graph(ended, members, date(2021, 12, 31)).has_edge("IND", "USA")
    assert not network.country_graph(ended, members, date(2022, 1, 1)).has_edge("IND", "USA")


def test_bipartite_graph(ties, members):
    graph = network.bipartite_graph(ties, members, date(2024, 1, 1))
    countries = {n for n, d in graph.nodes(data=True) if d["bipartite"] == 0}
    assert countries == {"USA", "JPN", "KOR", "AUS", "IND"}  # NZL left ANZUS in 1986
    assert graph.degree("quad") == 4


def test_snapshot_table_one_row_per_date(ties, members):
    dates = [date(1960, 12, 31), date(2024, 1, 1)]
    table = network.snapshot_table(ties, members, dates)
    assert list(table["date"]) == [pd.Timestamp(d) for d in dates]
    # 1960: JPN, KOR, AUS, NZL reach each other only through the U.S., except AUS-NZL (ANZUS)
    assert table["hub_dependence"].iloc[0] == pytest.approx(5 / 6, abs=1e-4)
    assert table["hub_dependence"].iloc[1] < 1.0


def test_country_table_stacks_dates(ties, members):
    table = network.country_table(ties, members, [date(1960, 12, 31), date(2024, 1, 1)])
    assert set(table["date"].dt.year) == {1960, 2024}
    first = table[table["date"].dt.year.eq(1960)]
    assert first.iloc[0]["country_code"] == "USA"
