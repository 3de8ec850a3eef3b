"""Budgets, transfers and command: the Japan chapters' functions on small frames with known answers."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
import pytest

from alliance.analysis import budgets, command, industry, summit

AS_OF = date(2026, 11, 24)


@pytest.fixture
def registry():
    return pd.DataFrame(
        {
            "source_id": ["off", "news", "news2"],
            "title": ["A", "B", "C"],
            "author": ["", "", ""],
            "publisher": ["MOD", "Kyodo", "Jiji"],
            "url": ["https://a.example"] * 3,
            "date_published": ["2024"] * 3,
            "date_accessed": pd.to_datetime(["2026-11-24"] * 3),
            "kind": ["official", "news", "news"],
        }
    )


def budget_rows(rows):
    cols = [
        "row_id",
        "country_code",
        "fiscal_year",
        "measure",
        "basis",
        "stage",
        "amount_national_bn",
        "currency_code",
        "note",
        "source_id",
    ]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


@pytest.fixture
def amounts():
    inc = "incl-saco-realignment"
    return budget_rows(
        [
            ("b1", "JPN", 2022, "mod-initial-budget", inc, "diet-approved", 5400.5, "JPY", "", "off"),
            ("b2", "JPN", 2022, "mod-initial-budget", inc, "diet-approved", 5400.0, "JPY", "", "news"),
            ("b3", "JPN", 2023, "mod-initial-budget", inc, "cabinet-draft", 6800.0, "JPY", "", "news"),
            ("b4", "JPN", 2023, "mod-initial-budget", inc, "diet-approved", 6821.9, "JPY", "", "news2"),
            (
                "b5",
                "JPN",
                2024,
                "mod-initial-budget",
                "excl-saco-realignment",
                "diet-approved",
                7724.9,
                "JPY",
                "",
                "off",
            ),
            ("b6", "JPN", 2025, "mod-initial-budget", inc, "cabinet-draft", 8700.5, "JPY", "", "off"),
            ("b7", "JPN", 2025, "mod-initial-budget", inc, "cabinet-draft", 8600.0, "JPY", "", "news"),
            (
                "b8",
                "JPN",
                2025,
                "security-related-spending",
                "not-applicable",
                "diet-approved",
                9900.0,
                "JPY",
                "",
                "off",
            ),
            (
                "b9",
                "JPN",
                2025,
                "security-related-with-supplementary",
                "not-applicable",
                "cabinet-draft",
                11000.0,
                "JPY",
                "",
                "off",
            ),
            ("b10", "JPN", 2019, "buildup-plan-total", "not-applicable", "plan", 27500.0, "JPY", "", "news"),
            ("b11", "JPN", 2023, "buildup-plan-total", "not-applicable", "plan", 43000.0, "JPY", "", "news"),
        ]
    )


def test_headline_series_prefers_enacted_and_official(amounts, registry):
    series = budgets.headline_series(amounts, registry).set_index("fiscal_year")
    assert series.at[2022, "amount_national_bn"] == 5400.5  # the official figure over the rounded one
    assert series.at[2023, "amount_national_bn"] == 6821.9  # enacted over drafted
    assert series.at[2023, "stage"] == "diet-approved"
    assert 2024 not in series.index  # only an excl-basis figure: no mixing of bases
    assert series.at[2023, "growth_pct"] == pytest.approx(26.3, abs=0.05)
    assert budgets.missing_years(series.reset_index(), 2022, 2025) == [2024]


def test_disagreements_ignore_rounding(amounts, registry):
    table = budgets.table_disagreements(amounts, registry)
    assert list(table["fiscal_year"]) == [2025]  # 8,700.5 against 8,600; 5,400.5 against 5,400 is rounding
    assert "Kyodo (8,600.0)" in table.iloc[0]["sources"]


def test_security_share_is_computed_over_the_target_base(amounts):
    shares = pd.DataFrame(
        {
            "row_id": ["s1"],
            "country_code": ["JPN"],
            "fiscal_year": [2025],
            "measure": ["security-related-share-gdp"],
            "gdp_base": ["fy2022"],
            "stage": ["diet-approved"],
            "share_pct": [1.8],
            "note": [""],
            "source_id": ["off"],
        }
    )
    gdp = pd.DataFrame(
        {
            "row_id": [budgets.TARGET_BASE_GDP_ROW],
            "country_code": ["JPN"],
            "fiscal_year": [2022],
            "year_basis": ["fiscal"],
            "stage": ["estimate"],
            "gdp_national_bn": [560000.0],
            "currency_code": ["JPY"],
            "note": [""],
            "source_id": ["off"],
        }
    )
    table = budgets.security_share_table(amounts, shares, gdp).set_index("what")
    assert table.at["Initial budget", "computed_share_gdp_pct"] == pytest.approx(100 * 9900 / 560000, abs=0.005)
    assert table.at["Initial budget", "official_share_gdp_pct"] == 1.8
    assert table.at["Initial plus supplementary", "computed_share_gdp_pct"] == pytest.approx(1.96, abs=0.005)


def test_plan_totals_and_change(amounts):
    plans = budgets.table_plan_totals(amounts)
    assert list(plans["plan"]) == ["FY2019-23", "FY2023-27"]
    assert plans["change_on_previous_pct"].iloc[-1] == pytest.approx(56, abs=0.5)


def test_fiscal_year_starts_in_april():
    assert budgets.fiscal_year(pd.Timestamp("2025-03-31")) == 2024
    assert budgets.fiscal_year(pd.Timestamp("2025-04-01")) == 2025


def test_milex_growth_table():
    milex = pd.DataFrame(
        [
            {"country_code": c, "year": y, "milex_constant_2022_usd_m": m, "milex_share_gdp_pct": 1.0, "source_id": "s"}
            for c in budgets.REGION
            for y, m in ((2013, 1000.0), (2023, 1500.0))
        ]
    )
    names = pd.DataFrame({"country_code": budgets.REGION, "name_en": budgets.REGION})
    table = budgets.table_milex_growth(milex, names)
    assert (table["real_growth_2013_2023_pct"] == 50.0).all()
    assert (table["spending_2023_usd_bn"] == 1.5).all()


# --- industry -----------------------------------------------------------------------------


@pytest.fixture
def transfers():
    return pd.DataFrame(
        {
            "transfer_id": ["tr-2020-a", "tr-2020-a-s2", "tr-2024-b", "tr-2024-c"],
            "item": ["Radars", "Radars", "Patriot", "Fighter"],
            "partner_codes": [["PHL"], ["PHL"], ["USA"], ["GBR", "ITA"]],
            "kind": ["export", "export", "licensed-production-return", "co-development"],
            "deal_id": ["radars", "radars", "patriot", "fighter"],
            "step": ["signed", "signed", "signed", "signed"],
            "decision_date": pd.to_datetime([None, None, "2023-12-22", "2024-03-26"]),
            "decision_precision": [None, None, "day", "day"],
            "contract_date": pd.to_datetime(["2020-08-28", "2020-08-28", "2024-07-28", None]),
            "contract_precision": ["day", "day", "day", None],
            "value_amount": [1e10, 1.035e8, None, None],
            "value_currency": ["JPY", "USD", None, None],
            "rule": ["2014-principles", "2014-principles", "2023-12-revision", "2024-03-gcap-revision"],
            "note": [""] * 4,
            "same_transfer_as": ["", "tr-2020-a", "", ""],
            "source_id": ["off"] * 4,
        }
    )


def test_transfers_counted_once_per_partner(transfers):
    names = pd.DataFrame(
        {
            "country_code": ["PHL", "USA", "GBR", "ITA"],
            "name_en": ["Philippines", "United States", "United Kingdom", "Italy"],
        }
    )
    table = industry.table_by_partner_and_kind(transfers, names).set_index("Partner")
    assert table.at["Philippines", "Total"] == 1  # the second source is not a second transfer
    assert table.at["Italy", "Co-development"] == 1 and table.at["United Kingdom", "Co-development"] == 1
    rules = industry.table_by_rule(transfers).set_index("Allowed under")["Transfers (n)"]
    assert rules[industry.RULE_LABELS["2014-principles"]] == 1 and rules.sum() == 3


def test_the_rows_behind_the_counts_by_rule_and_partner(transfers):
    """The rows a glued count links to are the rows the table counts (alliance.sphinx_links)."""
    names = pd.DataFrame(
        {"country_code": ["PHL", "USA", "GBR", "ITA"], "name_en": ["Philippines", "United States", "UK", "Italy"]}
    )
    rules = industry.table_by_rule(transfers).set_index("Allowed under")["Transfers (n)"]
    for code, label in industry.RULE_LABELS.items():
        assert len(industry.concluded_under(transfers, [code])) == rules[label]
    by_partner = industry.table_by_partner_and_kind(transfers, names).set_index("Partner")["Total"]
    for partner, total in by_partner.items():
        assert len(industry.concluded_with(transfers, names, partner)) == total
    assert list(industry.concluded_with(transfers, names, "Italy")["deal_id"]) == ["fighter"]

def test_a_deal_counts_once_and_only_when_concluded(transfers):
    steps = transfers.copy()
    steps.loc[3, "step"] = "talks"  # the fighter is only in talks
    extra = steps.iloc[[2]].assign(transfer_id="tr-2025-b-delivery", step="delivered")  # a second Patriot step
    steps = pd.concat([steps, extra], ignore_index=True)
    assert list(industry.concluded(steps)["deal_id"]) == ["patriot", "radars"]
    names = pd.DataFrame({"country_code": ["PHL", "USA", "GBR", "ITA"], "name_en": ["P", "U", "G", "I"]})
    table = industry.table_deals(steps, names).set_index("deal_id")
    assert table.at["patriot", "Steps in the record"] == "signed 2024-07-28; delivered"
    assert table.at["fighter", "Status"] == industry.STATUS_LABELS["proposed"]
    assert industry.deal_status(pd.Series(["bid-lost"])) == "lost"


def test_first_date_takes_the_earlier_step(transfers):
    dated = industry.first_date(transfers).set_index("transfer_id")
    assert dated.at["tr-2024-b", "first_date"] == pd.Timestamp("2023-12-22")
    assert dated.at["tr-2020-a", "first_date"] == pd.Timestamp("2020-08-28")


def test_follow_ups_table():
    initiatives = pd.DataFrame(
        {
            "initiative_id": ["dicas", "gpi", "c2"],
            "initiative": ["Forum", "GPI", "C2"],
            "area": ["defense-industry", "missile-defense", "command-and-control"],
            "eai_order": pd.array([4, 6, 1], dtype="Int64"),
        }
    )
    steps = pd.DataFrame(
        {
            "follow_up_id": ["fu-dicas-1"],
            "initiative_id": ["dicas"],
            "date": pd.to_datetime(["2024-06-09"]),
            "what": ["First meeting"],
        }
    )
    table = summit.table_follow_ups(initiatives, steps, summit.INDUSTRIAL_AREAS)
    assert list(table["initiative_id"]) == ["dicas", "gpi"]
    assert table.iloc[0]["What followed (date: step)"] == "2024-06-09: First meeting"
    assert table.iloc[1]["steps_n"] == 0


# --- command ------------------------------------------------------------------------------


@pytest.fixture
def links():
    return pd.DataFrame(
        {
            "link_id": ["b1", "a1", "a2", "a3"],
            "period": ["before", "after", "after", "after"],
            "from_unit": ["usfj", "usfj", "usfj", "jjoc"],
            "to_unit": ["indopacom", "indopacom", "jjoc", "gcc"],
            "relation": ["reports-to", "reports-to", "counterpart", "commands"],
            "source_id": ["off"] * 4,
        }
    )


def test_command_graphs_and_cross_command(links):
    before, after = command.command_graph(links, "before"), command.command_graph(links, "after")
    assert isinstance(after, nx.DiGraph) and after.number_of_edges() == 3
    assert command.lines_touching(before, {"usfj", "jjoc"}) == 1
    assert command.lines_touching(after, {"usfj", "jjoc"}) == 3
    assert command.cross_command(after, "USA", "JPN") == []  # the counterpart line is not command
    commanded = pd.concat(
        [
            links,
            pd.DataFrame(
                [
                    {
                        "link_id": "x",
                        "period": "after",
                        "from_unit": "usfj",
                        "to_unit": "gcc",
                        "relation": "commands",
                        "source_id": "off",
                    }
                ]
            ),
        ]
    )
    assert command.cross_command(command.command_graph(commanded, "after"), "USA", "JPN") == [
        ("usfj", "gcc", "commands")
    ]


def test_every_unit_has_a_label_a_short_name_a_place_and_a_country():
    assert set(command.UNIT_LABELS) == set(command.UNIT_SHORT) == set(command.LAYOUT) == set(command.UNIT_COUNTRY)


def test_comparison_separates_measured_from_claimed():
    structures = pd.DataFrame(
        {
            "row_id": ["a", "b", "c"],
            "structure": ["usfj-before"] * 3,
            "name": ["USFJ"] * 3,
            "commander_rank": ["three-star", "", "three-star"],
            "operational_authority": ["Limited", "", ""],
            "reports_to": ["INDOPACOM", "", ""],
            "personnel_n": pd.array([50000, 55000, 54000], dtype="Int64"),
            "is_brief_claim": pd.array([False, False, True], dtype="boolean"),
        }
    )
    table = command.table_comparison(structures).set_index("structure")
    assert table.at["usfj-before", "Personnel stated by sources"] == "50,000 to 55,000 (2 sources)"
    assert table.at["usfj-before", "Personnel claimed by a brief"] == "54,000"
    assert table.at["usfj-before", "Commander's rank (as sources give it)"] == "three-star"
    assert table.at["jjoc", "Personnel stated by sources"] == "not sourced"
    assert command.personnel_range(structures, "usfj-before") == (50000, 55000, 2)


def test_growth_is_missing_after_a_gap_in_the_years():
    """A change over two fiscal years is not a year-on-year change (FY2015 after a missing FY2014)."""
    series = pd.DataFrame({"fiscal_year": [2013, 2015, 2016], "amount_national_bn": [100.0, 110.0, 121.0]})
    growth = budgets.year_on_year_pct(series)
    assert growth.isna().tolist() == [True, True, False]
    assert growth.iloc[2] == pytest.approx(10.0)


def test_the_command_lines_in_force_at_a_date(links):
    events = pd.DataFrame({"event_id": [command.AFTER_FROM_EVENT], "date": pd.to_datetime(["2025-03-24"])})
    assert command.period_in_force(events, date(2024, 8, 1)) == "before"
    assert command.period_in_force(events, date(2025, 3, 24)) == "after"
    reading = command.us_jp_command_reading(command.command_graph(links, "before"))
    assert reading.startswith("None of the lines")


def test_troops_known_at_a_date_are_those_of_a_year_already_ended():
    troops = pd.DataFrame(
        {
            "country_code": ["JPN"] * 3 + ["KOR"],
            "year": [2022, 2023, 2024, 2023],
            "us_troops_active_duty_n": [100, 200, 300, 1],
        }
    )
    assert command.troops_known_at(troops, "JPN", date(2024, 4, 22)) == (2023, 200)
    assert command.troops_known_at(troops, "JPN", date(2025, 1, 1)) == (2024, 300)
