"""Read the Frictionless data package in ``data/`` into typed pandas frames.

Every read is logged when ``ALLIANCE_READ_LOG`` names a file: the chapter runner uses the log
to learn which data files a notebook depends on, so staleness is decided from real reads.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

import alliance
from alliance.data.paths import DATA_DIR, DATAPACKAGE

READ_LOG_ENV = alliance.READ_LOG_ENV  # one variable for data reads and module imports
# Names of the tables loaded in this process, in order: a chapter's coverage line names them.
_LOADED: dict[str, None] = {}
# Separator of list-valued cells such as ``country_codes`` ("USA;JPN").
LIST_SEPARATOR = ";"


def _log_read(path: Path, data: bytes | None = None, part: str = "") -> None:
    """Log a read with the digest of the bytes actually read (``data``), so a file edited while
    a chapter runs is caught: the runner compares these digests with the files after the run.
    ``part`` names a piece of a file read on its own (a chapter's glued values: ``glue``)."""
    log = os.environ.get(READ_LOG_ENV)
    if log:
        digest = hashlib.sha256(path.read_bytes() if data is None else data).hexdigest()
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{path.resolve()}{'#' + part if part else ''}\t{digest}\n")


@cache
def _descriptor(package_path: Path) -> tuple[bytes, dict]:
    raw = package_path.read_bytes()
    return raw, json.loads(raw.decode("utf-8"))


def read_descriptor(package_path: Path = DATAPACKAGE) -> dict:
    """Return the datapackage.json descriptor (logged as a read)."""
    raw, descriptor = _descriptor(package_path)
    _log_read(package_path, raw)
    return descriptor


def as_of(package_path: Path = DATAPACKAGE) -> date:
    """The date up to which the data were checked against their sources."""
    return date.fromisoformat(read_descriptor(package_path)["as_of"])


def resource(name: str, package_path: Path = DATAPACKAGE) -> dict:
    for res in read_descriptor(package_path)["resources"]:
        if res["name"] == name:
            return res
    raise KeyError(f"no resource named {name!r} in {package_path}")


def list_fields(res: dict) -> dict[str, dict]:
    """Fields whose cells hold a separator-joined list of keys into another table."""
    return {f["name"]: f["x-list-of"] for f in res["schema"]["fields"] if "x-list-of" in f}


def load_table(name: str, package_path: Path = DATAPACKAGE) -> pd.DataFrame:
    """Load one resource as a DataFrame typed from its schema.

    Dates become ``datetime64``, integers nullable ``Int64``, booleans ``boolean``, and
    list-valued fields (``x-list-of``) Python lists. The data command has already refused
    invalid files, so this only converts.
    """
    res = resource(name, package_path)
    path = package_path.parent / res["path"]
    raw = path.read_bytes()
    _log_read(path, raw)
    _LOADED[name] = None
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8")
    for field in res["schema"]["fields"]:
        col, kind = field["name"], field.get("type", "string")
        if col not in frame:
            continue
        blank = frame[col].eq("")
        if kind == "date":
            frame[col] = pd.to_datetime(frame[col].mask(blank), format="%Y-%m-%d")
        elif kind == "integer":
            frame[col] = pd.to_numeric(frame[col].mask(blank)).astype("Int64")
        elif kind == "number":
            frame[col] = pd.to_numeric(frame[col].mask(blank)).astype("Float64")
        elif kind == "boolean":
            frame[col] = frame[col].mask(blank).map({"true": True, "false": False}).astype("boolean")
        elif "x-list-of" in field:
            frame[col] = [[] if not v else v.split(LIST_SEPARATOR) for v in frame[col]]
    return frame


def loaded_tables() -> list[str]:
    """The tables this process has loaded so far (a chapter's data, once its set-up has run)."""
    return list(_LOADED)


# The column by which a second source on the same item names the first row: same_event_as,
# same_tie_as, same_transfer_as, same_milestone_as. Its name says which; a table has at most one.
_SAME_AS = re.compile(r"^same_[a-z]+_as$")


def same_as_column(frame: pd.DataFrame) -> str | None:
    """The table's 'second source of' column, or None for a table without second sources."""
    found = [c for c in frame.columns if _SAME_AS.match(str(c))]
    if len(found) > 1:
        raise ValueError(f"more than one second-source column: {found}")
    return found[0] if found else None


def first_reports(frame: pd.DataFrame) -> pd.Series:
    """Mask of rows that are the first report of their item: the one rule for counting each item once.

    A second source on the same event, transfer, milestone or tie names the first row in its
    ``same_*_as`` column; counting only rows with it empty counts each item once. A table without
    that column has no second sources.
    """
    link = same_as_column(frame)
    if link is None:
        return pd.Series(True, index=frame.index)
    return frame[link].fillna("").eq("")


def distinct(frame: pd.DataFrame) -> pd.DataFrame:
    """Each item once: the rows that are first reports (see ``first_reports``)."""
    return frame[first_reports(frame)].reset_index(drop=True)


def second_reports(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that are a second source on an item already in the table."""
    return frame[~first_reports(frame)].reset_index(drop=True)


def item_key(frame: pd.DataFrame, id_column: str) -> pd.Series:
    """For each row, the id of its item's first report (its own id when it is the first)."""
    link = same_as_column(frame)
    if link is None:
        return frame[id_column]
    return frame[link].fillna("").where(~first_reports(frame), frame[id_column])


def preferred(frame: pd.DataFrame) -> pd.DataFrame:
    """The one preferred row of each fact (tables without alternatives are returned whole)."""
    if "is_preferred" not in frame:
        return frame
    return frame[frame["is_preferred"].fillna(False).astype(bool)].reset_index(drop=True)


def load_all(package_path: Path = DATAPACKAGE) -> dict[str, pd.DataFrame]:
    """Every table of the package, by resource name."""
    return {res["name"]: load_table(res["name"], package_path) for res in read_descriptor(package_path)["resources"]}


def data_path(name: str) -> Path:
    return DATA_DIR / resource(name)["path"]
