"""The committed extracts are exactly what the extract script makes from the publishers' files."""

from __future__ import annotations

import pytest

from alliance.build import extracts
from alliance.data import datapkg
from alliance.data.paths import ROOT

SHARED = ROOT.parent / "shared" / "data"
RAW = {
    "sipri": (SHARED / "SIPRI-Milex-data-1948-2023.xlsx", extracts.SIPRI_OUT),
    "troops": (SHARED / "us_troops_country_year.csv", extracts.TROOPS_OUT),
}


@pytest.mark.parametrize("dataset", sorted(RAW))
def test_extract_reproduces_committed_file(dataset, tmp_path):
    raw, committed = RAW[dataset]
    if not raw.exists():
        pytest.skip(f"raw file not present beside the project: {raw}")
    out = tmp_path / committed.name
    assert extracts.main([dataset, str(raw), "--out", str(out)]) == 0
    assert out.read_bytes() == committed.read_bytes()


def test_sipri_extract_is_in_percent_and_covers_the_region():
    milex = datapkg.load_table("sipri_milex")
    assert set(extracts.SIPRI_COUNTRIES.values()) <= set(milex["country_code"])
    japan = milex[milex["country_code"].eq("JPN") & milex["year"].ge(1960)]
    # Japan has spent about one per cent of GDP since 1960: a fraction (0.01) would mean a lost x100
    assert japan["milex_share_gdp_pct"].between(0.5, 2.0).all()
    assert milex["year"].max() == 2023


def test_troops_extract_hosts():
    troops = datapkg.load_table("us_troops")
    assert set(troops["country_code"]) == set(extracts.TROOP_HOSTS)
    assert troops.groupby("country_code")["year"].max().min() >= 2020
