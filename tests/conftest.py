"""Shared fixtures: a throwaway copy of the data package to break in tests."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from alliance.data.paths import DATA_DIR


class DataCopy:
    """A copy of data/ in a temporary folder, with helpers to edit its CSV files."""

    def __init__(self, root: Path):
        self.dir = root / "data"
        shutil.copytree(DATA_DIR, self.dir)
        self.package = self.dir / "datapackage.json"

    def rows(self, name: str) -> list[list[str]]:
        with open(self.dir / name, encoding="utf-8", newline="") as fh:
            return list(csv.reader(fh))

    def write_rows(self, name: str, rows: list[list[str]]) -> None:
        with open(self.dir / name, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)

    def set_cell(self, name: str, line: int, column: str, value: str) -> None:
        """Set one cell; ``line`` is the file's line number (the header is line 1)."""
        rows = self.rows(name)
        rows[line - 1][rows[0].index(column)] = value
        self.write_rows(name, rows)


@pytest.fixture
def data_copy(tmp_path) -> DataCopy:
    return DataCopy(tmp_path)


# A small tie network for the network and lattice tests (test data, not sourced facts).
@pytest.fixture
def ties():
    return pd.DataFrame(
        {
            "tie_id": ["us-jpn", "us-kor", "anzus", "quad", "raa"],
            "name": ["U.S.-Japan treaty", "U.S.-ROK treaty", "ANZUS", "Quad", "Japan-Australia RAA"],
            "kind": [
                "bilateral-treaty",
                "bilateral-treaty",
                "multilateral-treaty",
                "minilateral-grouping",
                "reciprocal-access-agreement",
            ],
            "level": ["leaders", "leaders", "leaders", "leaders", "ministers"],
            "start_date": pd.to_datetime(["1960-06-23", "1954-11-17", "1952-04-29", "2021-03-12", "2023-08-13"]),
            "end_date": pd.to_datetime([None, None, None, None, None]),
            "is_formal_alliance": pd.array([True, True, True, False, False], dtype="boolean"),
        }
    )


@pytest.fixture
def members():
    rows = [
        ("us-jpn", "USA"),
        ("us-jpn", "JPN"),
        ("us-kor", "USA"),
        ("us-kor", "KOR"),
        ("anzus", "USA"),
        ("anzus", "AUS"),
        ("anzus", "NZL"),
        ("quad", "USA"),
        ("quad", "JPN"),
        ("quad", "AUS"),
        ("quad", "IND"),
        ("raa", "JPN"),
        ("raa", "AUS"),
    ]
    frame = pd.DataFrame(rows, columns=["tie_id", "country_code"])
    frame["joined_date"] = pd.NaT
    frame["left_date"] = pd.NaT
    # New Zealand's ANZUS obligations suspended in 1986 (test data, not a sourced date)
    frame.loc[frame["country_code"].eq("NZL"), "left_date"] = pd.Timestamp("1986-09-17")
    return frame


def chromium_executable() -> str | None:
    """The browser for reader-level tests: $ALLIANCE_CHROMIUM, else Debian's /usr/bin/chromium,
    else None, which makes Playwright use its own download (`make system-deps` fetches it where
    apt has no real Chromium, as on Ubuntu)."""
    chosen = os.environ.get("ALLIANCE_CHROMIUM") or "/usr/bin/chromium"
    return chosen if Path(chosen).is_file() else None
