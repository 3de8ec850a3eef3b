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
