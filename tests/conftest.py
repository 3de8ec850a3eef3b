"""Shared fixtures: a throwaway copy of the data package to break in tests."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from alliance.paths import DATA_DIR


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
