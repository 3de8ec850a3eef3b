"""What the data package holds, for the reader: one row per data file, and the country registry."""

from __future__ import annotations

import pandas as pd

from alliance.data import datapkg


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


# A table whose coverage ends more than this many months before the as-of date must say why
# (x-coverage "note"): no newer source found, or an annual series not yet published.
STALE_AFTER_MONTHS = 6


def _period_end(value, unit: str) -> pd.Timestamp:
    """Last day a coverage value stands for: a date itself, or 31 December of a (fiscal) year."""
    if unit == "date":
        return pd.Timestamp(value)
    return pd.Timestamp(year=int(value), month=12, day=31)


def _coverage_label(value, unit: str, precision: str | None) -> str:
    if unit == "year":
        return str(int(value))
    if unit == "fiscal-year":
        return f"FY{int(value)}"
    stamp = pd.Timestamp(value)
    if precision == "year":
        return f"{stamp:%Y}"
    if precision == "month":
        return f"{stamp:%B %Y}"
    return f"{stamp.day} {stamp:%B %Y}"


def _latest_stages(dated: pd.DataFrame, field: str, stage_field: str, order: list[str]) -> str:
    """'JPN FY2026 cabinet draft; KOR FY2026 assembly final': the most advanced stage (in
    ``order``) that each country's latest year has reached."""
    rank = {v: i for i, v in enumerate(order)}
    parts = []
    for code, rows in dated.groupby("country_code"):
        year = rows[field].max()
        best = max(rows.loc[rows[field].eq(year), stage_field], key=rank.get)
        parts.append(f"{code} FY{int(year)} {best.replace('-', ' ')}")
    return "; ".join(parts)


def coverage(tables: list[str] | None = None) -> pd.DataFrame:
    """For each data file with a dated series (``x-coverage`` in datapackage.json): where its
    coverage starts and ends (its earliest and latest dated preferred row), how many months the
    end lies before the as-of date, and why, where it is stale."""
    as_of = pd.Timestamp(datapkg.as_of())
    rows = []
    for res in datapkg.read_descriptor()["resources"]:
        spec = res.get("x-coverage")
        if not spec or (tables is not None and res["name"] not in tables):
            continue
        frame = datapkg.load_table(res["name"])
        if "is_preferred" in frame:
            frame = datapkg.preferred(frame)
        field, unit = spec["field"], spec["unit"]
        for col, values in spec.get("exclude", {}).items():
            frame = frame[~frame[col].isin(values)]  # e.g. plans and targets are not budgets
        dated = frame[frame[field].notna()]
        last_row = dated.loc[dated[field].idxmax()]
        precision = last_row.get(spec["precision_field"]) if "precision_field" in spec else None
        stage = _latest_stages(dated, field, spec["stage_field"], spec["stage_order"]) if "stage_field" in spec else ""
        end = _period_end(last_row[field], unit)
        months = (as_of.year - end.year) * 12 + (as_of.month - end.month) - (as_of.day < end.day)
        rows.append(
            {
                "table": res["name"],
                "label": spec["label"],
                "first": _coverage_label(dated[field].min(), unit, "year"),
                "last": _coverage_label(last_row[field], unit, precision),
                "months_before_as_of": max(0, months),
                "stage": stage,
                "series": spec["series"],
                # A record of changes (leaders, coalitions, elections) is current however old its
                # latest change; a sampled series (polls, budgets, troop counts) goes stale.
                "is_stale": spec["series"] == "sampled" and end < as_of - pd.DateOffset(months=STALE_AFTER_MONTHS),
                "note": spec.get("note", ""),
            }
        )
    return pd.DataFrame(rows)


def coverage_sentence(tables: list[str] | None = None) -> str:
    """'events to June 2026, ..., leaders in office (latest entry 21 October 2025)' for the named
    tables (all dated tables if none are named), in the order of datapackage.json. A sampled series
    runs 'to' its end; a record of changes shows its latest entry, since no change after it is known."""
    frame = coverage(tables)
    parts = []
    for row in frame.itertuples():
        if row.series != "sampled":
            parts.append(f"{row.label} (latest entry {row.last})")
        else:
            parts.append(f"{row.label} to {row.last}" + (f" ({row.stage})" if row.stage else ""))
    return ", ".join(parts)


def table_coverage(frame: pd.DataFrame) -> pd.DataFrame:
    """The data catalogue's coverage table (from ``coverage()``): each dated file and how far it runs."""
    return pd.DataFrame(
        {
            "File": frame["table"] + ".csv",
            "Series": frame["label"],
            "From": frame["first"],
            "To": frame["last"].where(frame["series"].eq("sampled"), "latest entry " + frame["last"]),
            "Latest stage": frame["stage"],
            "Months before the as-of date (n)": frame["months_before_as_of"],
        }
    )


def table_stale_series(frame: pd.DataFrame) -> pd.DataFrame:
    """The sampled series (of ``coverage()``) that end more than STALE_AFTER_MONTHS before the
    as-of date, and why."""
    stale = frame[frame["is_stale"]]
    return pd.DataFrame({"Series": stale["label"], "Runs to": stale["last"], "Why it ends there": stale["note"]})
