"""Make the committed extracts of public reference datasets from the publishers' raw files.

The raw files are never committed; this script reads them from wherever a reader downloaded
them and writes only the countries, years and columns the chapters use, in the project's schema.
Re-running it on the same raw file reproduces the committed extract byte for byte.

    python -m alliance.build.extracts sipri PATH/SIPRI-Milex-data-1948-2023.xlsx
    python -m alliance.build.extracts troops PATH/us_troops_country_year.csv

Where to download the raw files:

* SIPRI Military Expenditure Database (2024 release, data 1948-2023):
  https://www.sipri.org/databases/milex (the Excel workbook).
* U.S. troops abroad by country and year (troopdata, compiled from DMDC reports by Allen,
  Flynn and Machain): https://github.com/meflynn/troopdata (the country-year CSV).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import pandas as pd

from alliance.data.paths import DATA_DIR

SIPRI_SOURCE_ID = "sipri2024milex"
TROOPS_SOURCE_ID = "troopdata2025"
SIPRI_OUT = DATA_DIR / "sipri_milex.csv"
TROOPS_OUT = DATA_DIR / "us_troops.csv"
# SIPRI's country names for the countries the chapters discuss, keyed to ISO alpha-3.
SIPRI_COUNTRIES = {
    "Australia": "AUS",
    "Canada": "CAN",
    "China": "CHN",
    "France": "FRA",
    "Germany": "DEU",
    "India": "IND",
    "Indonesia": "IDN",
    "Italy": "ITA",
    "Japan": "JPN",
    "Korea, South": "KOR",
    "Malaysia": "MYS",
    "New Zealand": "NZL",
    "Philippines": "PHL",
    "Russia": "RUS",
    "Singapore": "SGP",
    "Taiwan": "TWN",
    "Thailand": "THA",
    "United Kingdom": "GBR",
    "United States of America": "USA",
    "Viet Nam": "VNM",
}
# Host countries whose U.S. troop numbers the chapters use.
TROOP_HOSTS = ["JPN", "KOR", "PHL", "AUS", "DEU", "GBR"]
SIPRI_SHEETS = {"milex_constant_2022_usd_m": "Constant (2022) US$", "milex_share_gdp_pct": "Share of GDP"}
SIPRI_HEADER_ROW = 5  # 0-based row holding 'Country', 'Notes', 1948, 1949, ...
# SIPRI writes '...' for unavailable and 'xxx' for a country that did not exist.
SIPRI_MISSING = {"...", ". .", "xxx", ""}
DECIMALS = {"milex_constant_2022_usd_m": 1, "milex_share_gdp_pct": 3}


def _sipri_sheet(path: Path, sheet: str, column: str) -> pd.DataFrame:
    raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object)
    header = raw.iloc[SIPRI_HEADER_ROW].tolist()
    years = {i: int(v) for i, v in enumerate(header) if isinstance(v, (int, float)) and not pd.isna(v)}
    rows = []
    for _, row in raw.iloc[SIPRI_HEADER_ROW + 1 :].iterrows():
        name = str(row.iloc[0]).strip()
        if name not in SIPRI_COUNTRIES:
            continue
        for i, year in years.items():
            value = row.iloc[i]
            if value is None or (isinstance(value, str) and value.strip() in SIPRI_MISSING) or pd.isna(value):
                continue
            rows.append({"country_code": SIPRI_COUNTRIES[name], "year": year, column: float(value)})
    return pd.DataFrame(rows)


def extract_sipri(path: Path) -> pd.DataFrame:
    """Military expenditure in constant 2022 US$ m and as a share of GDP (percent), per country-year."""
    constant = _sipri_sheet(path, SIPRI_SHEETS["milex_constant_2022_usd_m"], "milex_constant_2022_usd_m")
    share = _sipri_sheet(path, SIPRI_SHEETS["milex_share_gdp_pct"], "milex_share_gdp_pct")
    share["milex_share_gdp_pct"] = share["milex_share_gdp_pct"] * 100  # SIPRI stores a fraction
    frame = constant.merge(share, on=["country_code", "year"], how="outer")
    for column, places in DECIMALS.items():
        frame[column] = frame[column].round(places)
    frame["source_id"] = SIPRI_SOURCE_ID
    return frame.sort_values(["country_code", "year"]).reset_index(drop=True)


def extract_troops(path: Path) -> pd.DataFrame:
    """U.S. active-duty personnel by host country and year (troops_ad: the service columns do not
    always sum to it, per the dataset's documentation)."""
    raw = pd.read_csv(path, dtype={"iso3c": str}, keep_default_na=False)
    raw = raw[raw["iso3c"].isin(TROOP_HOSTS)]
    frame = pd.DataFrame(
        {
            "country_code": raw["iso3c"],
            "year": raw["year"].astype(int),
            "us_troops_active_duty_n": pd.to_numeric(raw["troops_ad"], errors="coerce"),
        }
    ).dropna(subset=["us_troops_active_duty_n"])
    frame["us_troops_active_duty_n"] = frame["us_troops_active_duty_n"].astype(int)
    frame["source_id"] = TROOPS_SOURCE_ID
    return frame.sort_values(["country_code", "year"]).reset_index(drop=True)


def write(frame: pd.DataFrame, out: Path) -> None:
    frame.to_csv(out, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL, float_format="%.10g")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", choices=["sipri", "troops"])
    parser.add_argument("raw_file", type=Path, help="the publisher's file, as downloaded")
    parser.add_argument("--out", type=Path, help="where to write (default: the committed extract in data/)")
    args = parser.parse_args(argv)
    if args.dataset == "sipri":
        frame, out = extract_sipri(args.raw_file), args.out or SIPRI_OUT
    else:
        frame, out = extract_troops(args.raw_file), args.out or TROOPS_OUT
    write(frame, out)
    print(f"wrote {len(frame)} rows to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
