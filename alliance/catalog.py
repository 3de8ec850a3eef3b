"""What the data package holds, for the reader: one row per data file, and the country registry."""

from __future__ import annotations

import pandas as pd

from alliance import datapkg


def table_data_files() -> pd.DataFrame:
    """Each data file with its row count and what a row is (from datapackage.json)."""
    rows = []
    for res in datapkg.read_descriptor()["resources"]:
        frame = datapkg.load_table(res["name"])
        rows.append(
            {
                "File": f"data/{res['path']}",
                "Rows (n)": len(frame),
                "Columns (n)": len(res["schema"]["fields"]),
                "What it holds": res["description"],
            }
        )
    return pd.DataFrame(rows)


def table_countries(countries: pd.DataFrame) -> pd.DataFrame:
    return countries.rename(
        columns={
            "country_code": "ISO code",
            "name_en": "English",
            "name_ja": "日本語 (Japanese)",
            "name_ko": "한국어 (Korean)",
        }
    )


def table_alternatives() -> pd.DataFrame:
    """For each table that keeps alternative values: what one fact is, and how many rows are
    preferred, further sources agreeing, and conflicting values."""
    rows = []
    for res in datapkg.read_descriptor()["resources"]:
        names = [f["name"] for f in res["schema"]["fields"]]
        if "is_preferred" not in names:
            continue
        frame = datapkg.load_table(res["name"])
        key = [k.replace("same_", "").replace("_as", "") for k in res["schema"]["x-fact-key"]]
        rows.append(
            {
                "File": f"data/{res['path']}",
                "One fact is": ", ".join(k.replace("_", " ") for k in key),
                "Preferred rows (n)": int(frame["is_preferred"].sum()),
                "Agreeing further sources (n)": int(frame["alt_reason"].eq("same-value-other-source").sum()),
                "Conflicting values (n)": int(frame["alt_reason"].eq("conflicting-value").sum()),
            }
        )
    return pd.DataFrame(rows)
