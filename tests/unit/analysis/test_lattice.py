"""The lattice chapter's charts, tables and computed readings."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from alliance.analysis import lattice, network
from alliance.present import theme

AS_OF = date(2026, 11, 24)


@pytest.fixture
def countries():
    codes = ["AUS", "IND", "JPN", "KOR", "NZL", "USA"]
    return pd.DataFrame({"country_code": codes, "name_en": codes, "name_ja": codes, "name_ko": codes})


@pytest.fixture
def registry():
    return pd.DataFrame(
        {
            "source_id": ["s1"],
            "title": ["T"],
            "author": [""],
            "publisher": ["P"],
            "url": ["https://p.example"],
            "date_published": ["2024"],
            "date_accessed": pd.to_datetime(["2026-11-24"]),
            "kind": ["official"],
        }
    )


@pytest.fixture
def sourced(ties, members):
    return ties.assign(source_id="s1", same_tie_as=""), members.assign(source_id="s1", spell_n=1)


def test_snapshot_dates_end_with_as_of():
    dates = lattice.snapshot_dates(AS_OF)
    assert dates[0] == date(1955, 12, 31) and dates[-1] == AS_OF
    assert all(a < b for a, b in zip(dates, dates[1:], strict=False))


def test_layout_is_deterministic_and_covers_every_country(sourced):
    ties, members = sourced
    first, second = lattice.layout(ties, members, AS_OF), lattice.layout(ties, members, AS_OF)
    assert first == second
    assert set(first) == {"AUS", "IND", "JPN", "KOR", "NZL", "USA"}


def test_network_pair_chart(sourced, countries, registry):
    theme.enable()
    ties, members = sourced
    spec = lattice.chart_network_pair(ties, members, countries, registry, AS_OF, date(1980, 12, 31)).to_dict()
    panels = spec["vconcat"][0]["vconcat"]  # one above the other, each at the column's width
    assert [p["title"] for p in panels] == ["End of 1980", "2026-11-24"]
    assert {p["width"] for p in panels} == {theme.WIDTH_PX}
    # Countries are named, not coded: every text layer draws the name from countries.csv.
    texts = [layer for layer in panels[1]["layer"] if layer["mark"]["type"] == "text"]
    assert texts and {t["encoding"]["text"]["field"] for t in texts} == {"country"}
    assert "1980, 5 countries and 5 links" in spec["description"]
    edge_layer = panels[1]["layer"][0]
    assert [t["field"] for t in edge_layer["encoding"]["tooltip"]] == ["pair", "shared_ties_n", "ties"]


def test_layout_keeps_every_two_countries_apart(sourced):
    """The spring layout drew Japan and the United States on top of each other, names and all."""
    ties, members = sourced
    positions = lattice.layout(ties, members, AS_OF)
    codes = sorted(positions)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            (xa, ya), (xb, yb) = positions[a], positions[b]
            assert ((xa - xb) ** 2 + (ya - yb) ** 2) ** 0.5 >= lattice.MIN_NODE_DISTANCE - 0.002, (a, b)


def test_spread_positions_parts_close_points_and_leaves_far_ones():
    spread = lattice.spread_positions({"A": (0.0, 0.0), "B": (0.0, 0.1), "C": (5.0, 5.0), "D": (5.0, 5.0)}, 0.3)
    assert spread["C"] != spread["D"]  # even two points in the same place are parted
    for a, b in (("A", "B"), ("C", "D")):
        (xa, ya), (xb, yb) = spread[a], spread[b]
        assert ((xa - xb) ** 2 + (ya - yb) ** 2) ** 0.5 == pytest.approx(0.3, abs=1e-6)
    assert spread["A"][0] == pytest.approx(0.0) and spread["A"][1] + spread["B"][1] == pytest.approx(0.1)
    assert lattice.spread_positions({"A": (0.0, 0.0), "B": (1.0, 0.0)}, 0.3) == {"A": (0.0, 0.0), "B": (1.0, 0.0)}


def test_centralization_chart_has_one_line_per_measure(sourced, registry):
    ties, members = sourced
    series = network.snapshot_table(ties, members, lattice.yearly_dates(1955, AS_OF))
    spec = lattice.chart_centralization(series, ["s1"], registry, AS_OF).to_dict()
    rows = max(spec["datasets"].values(), key=len)
    assert {r["metric"] for r in rows} == set(lattice.METRIC_LABELS.values())
    assert len(rows) == len(series) * len(lattice.METRIC_LABELS)


@pytest.mark.parametrize(
    ("first", "last", "word"),
    [
        (0.8, 0.4, "fell, as the lattice claim expects"),
        (0.4, 0.8, "rose, against what the lattice claim expects"),
        (0.5, 0.52, "changed little"),
    ],
)
def test_verdict_decline(first, last, word):
    assert lattice.verdict_decline(first, last) == word


def _metrics(jpn, usa):
    return pd.DataFrame([{"country_code": "JPN", **jpn}, {"country_code": "USA", **usa}]).set_index("country_code")


def test_reading_japan_ties_but_not_brokerage():
    now = _metrics(
        {"eigenvector": 0.59, "degree_n": 11, "betweenness": 0.2},
        {"eigenvector": 0.54, "degree_n": 12, "betweenness": 0.41},
    )
    text = lattice.reading_japan(now)
    assert text.startswith("Japan is level with the United States on eigenvector centrality (0.59 against 0.54)")
    assert "behind it on betweenness" in text and "holds for ties, not for brokerage" in text


def test_reading_japan_behind_everywhere():
    now = _metrics(
        {"eigenvector": 0.1, "degree_n": 2, "betweenness": 0.0}, {"eigenvector": 0.6, "degree_n": 9, "betweenness": 0.8}
    )
    assert lattice.reading_japan(now).endswith("The data do not put Japan beside the United States at the centre.")


def test_reading_korea_counts_partners():
    then = pd.DataFrame({"degree_n": [1], "eigenvector_rank": [5]}, index=["KOR"])
    now = pd.DataFrame({"degree_n": [5, 9], "eigenvector_rank": [6, 1]}, index=["KOR", "USA"])
    assert lattice.reading_korea(now, then).startswith("Its partners grew from 1 to 5, and it now ranks 6th of 2")


def test_robustness_table_and_reading(sourced):
    ties, members = sourced
    table = lattice.table_robustness(ties, members, date(1980, 12, 31), AS_OF)
    assert list(table["coding"].unique()) == [label for label, _ in lattice.VARIANTS]
    assert len(table) == 2 * len(lattice.VARIANTS)
    formal = table[table["coding"].eq("Formal alliances only")]
    assert formal["hub_dependence"].iloc[-1] == pytest.approx(1.0)  # treaties alone stay a pure star
    text = lattice.reading_robustness(table)
    assert text.startswith("The conclusion depends on the coding.")
    assert "not with 'Formal alliances only' (0.83 to 1.00)" in text
    conclusions = lattice.table_conclusions(table).set_index("key")
    assert not conclusions.at["hub_falls", "survives"]
    assert "Formal alliances only" in conclusions.at["hub_falls", "Does not hold under"]


def test_every_instrument_kind_is_left_out_in_turn_and_exercises_stay_outside():
    labels = [label for label, _ in lattice.VARIANTS]
    kinds = [k for k in network.INSTRUMENTS if k not in network.OUTSIDE_UNIVERSE]
    assert sum(label.startswith("Without ") for label in labels) == len(kinds)
    ties = pd.DataFrame(
        {
            "tie_id": ["t1", "t2"],
            "name": ["a", "b"],
            "kind": ["other", "other"],
            "instrument": ["logistics", "exercise"],
            "level": ["officials", "officials"],
            "start_date": pd.to_datetime(["2000-01-01"] * 2),
            "end_date": pd.NaT,
            "is_formal_alliance": [False, False],
            "same_tie_as": ["", ""],
        }
    )
    members = pd.DataFrame(
        {
            "tie_id": ["t1", "t1", "t2", "t2"],
            "country_code": ["JPN", "AUS", "USA", "KOR"],
            "joined_date": pd.NaT,
            "left_date": pd.NaT,
        }
    )
    assert set(network.country_graph(ties, members, date(2010, 1, 1)).edges) == {("AUS", "JPN")}
    both = network.country_graph(ties, members, date(2010, 1, 1), exclude_instruments=())
    assert both.number_of_edges() == 2
    japan_only = network.country_graph(ties, members, date(2010, 1, 1), japan_party_only=("logistics",))
    assert japan_only.has_edge("AUS", "JPN")


def test_a_grouping_counts_as_leader_level_from_the_date_it_reached_leaders():
    history = pd.DataFrame(
        {"tie_id": ["q", "q"], "level": ["officials", "leaders"], "from_date": ["2017-11-12", "2021-03-12"]}
    )
    assert network.level_on(history, date(2020, 1, 1))["q"] == "officials"
    assert network.level_on(history, date(2022, 1, 1))["q"] == "leaders"


def test_shared_with_counts_ties_including_all_partners(sourced):
    ties, members = sourced
    # JPN's active ties in 2024: the U.S.-Japan treaty, the Quad, the RAA; two include the U.S.
    assert lattice.shared_with(ties, members, date(2024, 1, 1), "JPN", ["USA"]) == (2, 3)
    assert lattice.shared_with(ties, members, date(2024, 1, 1), "KOR", ["USA", "JPN"]) == (0, 1)


def test_reading_korea_surface_follows_the_share():
    assert lattice.reading_korea_surface(4, 9).startswith("Most of its ties do not include both allies")
    assert lattice.reading_korea_surface(5, 9).startswith("Most of the surface South Korea stands on")
    assert lattice.reading_korea_surface(0, 0).startswith("Most of its ties do not include both allies")


def test_country_ranks_table(sourced, countries):
    ties, members = sourced
    table = lattice.table_country_ranks(network.country_graph(ties, members, AS_OF), countries)
    assert list(table.columns) == [
        "Rank",
        "Country",
        "Partners (n)",
        "Shared ties (n)",
        "Betweenness",
        "Eigenvector centrality",
    ]
    assert table["Rank"].is_monotonic_increasing
    assert len(table) == 5  # NZL left ANZUS


def test_agreement_dates_show_both_steps_and_the_counted_one():
    ties = pd.DataFrame(
        {
            "tie_id": ["t-treaty", "t-decl", "t-group"],
            "name": ["A treaty", "A declaration", "A grouping"],
            "start_date": pd.to_datetime(["1952-04-28", "2007-03-13", "2010-01-01"]),
            "start_basis": ["in-force", "signed", "first-held"],
            "is_preferred": pd.array([True, True, True], dtype="boolean"),
        }
    )
    dates = pd.DataFrame(
        {
            "tie_id": ["t-treaty", "t-treaty", "t-treaty", "t-decl"],
            "date_kind": ["signed", "in-force", "in-force", "signed"],
            "date": pd.to_datetime(["1951-09-08", "1952-04-28", "1952-04-29", "2007-03-13"]),
            "date_precision": ["day", "day", "day", "month"],
            "note": ["", "", "", "No entry into force."],
            "is_preferred": pd.array([True, True, False, True], dtype="boolean"),
        }
    )
    table = lattice.table_agreement_dates(ties, dates)
    assert list(table["tie_id"]) == ["t-treaty", "t-decl"]  # a grouping has no dated steps
    assert list(table["Signed"]) == ["1951-09-08", "2007-03"]
    assert list(table["In force"]) == ["1952-04-28", "none found"]  # the alternative row is not shown
    assert list(table["Network counts it from"]) == ["entry into force", "signature"]


def test_formal_alliances_agree_with_atop():
    """On formal alliances only, the network links the pairs ATOP codes as allied, year by year,
    and not the pairs ATOP says left (first and last years of a span are not compared)."""
    from alliance.data import datapkg

    ties, members = datapkg.load_table("security_ties"), datapkg.load_table("tie_members")
    checks = datapkg.load_table("formal_alliance_checks")
    last_year = AS_OF.year - 1
    problems = []
    for row in checks.itertuples():
        end = int(row.to_year) if pd.notna(row.to_year) else last_year + 1
        years = (
            range(int(row.from_year) + 1, min(end - 1, last_year) + 1)
            if row.expect == "present"
            else range(int(row.from_year) + 1, last_year + 1)
        )
        for year in years:
            graph = network.country_graph(ties, members, date(year, 12, 31), formal_only=True)
            linked = graph.has_edge(row.country_a, row.country_b)
            if linked != (row.expect == "present"):
                problems.append(f"{row.check_id} {year}")
    assert not problems, problems


def test_surface_reading_follows_the_gap_and_the_share():
    table = pd.DataFrame(
        {
            "date": pd.to_datetime(["2005-12-31", "2026-11-24"]),
            "us_japan_groupings_n": [1, 6],
            "with_south_korea_n": [0, 1],
            "with_south_korea_pct": [0.0, 16.7],
            "japan_minus_korea_eigenvector": [0.35, 0.27],
        }
    )
    text = lattice.reading_surface(table)
    assert "1 of the 6" in text and "fell" in text and "has narrowed" in text
    wider = table.assign(japan_minus_korea_eigenvector=[0.10, 0.30])
    assert "has not narrowed" in lattice.reading_surface(wider)


@pytest.fixture
def with_instruments(sourced):
    """The fixture network with each tie's instrument, plus a second grouping Japan is not in."""
    ties, members = sourced
    instrument = {"us-jpn": "alliance", "us-kor": "alliance", "anzus": "alliance", "quad": "grouping", "raa": "access"}
    ties = ties.assign(instrument=ties["tie_id"].map(instrument))
    extra = ties[ties["tie_id"].eq("quad")].assign(
        tie_id="aus-ind-kor", name="AUS-IND-ROK grouping", start_date=pd.Timestamp("2024-06-01")
    )
    rows = pd.DataFrame({"tie_id": "aus-ind-kor", "country_code": ["AUS", "IND", "KOR"]}).assign(
        joined_date=pd.NaT, left_date=pd.NaT, source_id="s1", spell_n=1
    )
    return pd.concat([ties, extra], ignore_index=True), pd.concat([members, rows], ignore_index=True)


def test_hub_at_a_brief_date_reads_the_network_of_that_date(sourced):
    ties, members = sourced
    before_quad = lattice.hub_at(ties, members, date(2020, 12, 31))
    after_quad = lattice.hub_at(ties, members, AS_OF)
    # Before the Quad every partner reaches the others only through the United States.
    assert before_quad["last"] == pytest.approx(before_quad["peak"])
    assert before_quad["verdict"] == "changed little"
    assert after_quad["last"] < before_quad["last"] and after_quad["verdict"].startswith("fell")


def test_japan_against_us_at_a_date(sourced):
    ties, members = sourced
    assert lattice.japan_against_us_at(ties, members, date(2000, 12, 31)) == "behind"


def test_groupings_ranks_by_coding_skip_codings_without_groupings(with_instruments):
    ties, members = with_instruments
    before = lattice.groupings_ranks_by_coding(ties, members, date(2024, 1, 1)).set_index("coding")
    assert before.at["All ties", "rank"] == 1 and before.at["All ties", "groupings_n"] == 1
    # Formal alliances only, or groupings left out, leave nothing to count: not measured there.
    assert pd.isna(before.at["Formal alliances only", "rank"])
    assert pd.isna(before.at["Without minilateral groupings", "rank"])
    assert lattice.first_on_groupings_every_coding(before.reset_index())
    # Once Australia and India are in two groupings, Japan (in one) is no longer first.
    after = lattice.groupings_ranks_by_coding(ties, members, AS_OF)
    assert after.set_index("coding").at["All ties", "rank"] == 3
    assert not lattice.first_on_groupings_every_coding(after)
    text = lattice.reading_groupings_codings(after)
    assert text.startswith("Japan ranks first by groupings under 0 of 12 codings")
    assert "'All ties' (3rd)" in text and "leave no grouping to count" in text


def test_no_measured_coding_is_not_a_pass():
    ranks = pd.DataFrame({"coding": ["All ties"], "groupings_n": [0], "rank": pd.array([None], dtype="Int64")})
    assert not lattice.first_on_groupings_every_coding(ranks)


def test_hub_dependence_is_read_as_the_us_betweenness():
    dates = pd.to_datetime(["2000-12-31", "2001-12-31"])
    series = pd.DataFrame({"date": dates, "hub_dependence": [0.5, 0.75]})
    same = pd.DataFrame({"date": dates, "country_code": "USA", "betweenness": [0.5, 0.75]})
    assert "is, exactly, the United States' betweenness" in lattice.reading_hub_betweenness(series, same)
    cut_off = same.assign(betweenness=[0.5, 0.3])
    assert lattice.reading_hub_betweenness(series, cut_off).startswith("At 1 date of the series")
