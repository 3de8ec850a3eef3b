"""'Count each item once': one rule, in one place (alliance.data.datapkg), used everywhere."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest

from alliance.data import datapkg
from alliance.data.paths import CHAPTERS_DIR, PACKAGE_DIR

SAME_AS = re.compile(r"same_[a-z]+_as")
# The rule's home, and the validator, which checks that every second source names a first row.
HOMES = {"data/datapkg.py", "build/validate.py"}


def _rows():
    return pd.DataFrame({"event_id": ["a", "b", "c"], "same_event_as": ["", "a", ""], "n": [1, 2, 3]})


def test_each_item_is_counted_once():
    rows = _rows()
    assert list(datapkg.distinct(rows)["event_id"]) == ["a", "c"]
    assert list(datapkg.second_reports(rows)["event_id"]) == ["b"]
    assert list(datapkg.item_key(rows, "event_id")) == ["a", "a", "c"]


def test_a_table_without_second_sources_is_whole():
    rows = pd.DataFrame({"x": [1, 2]})
    assert datapkg.first_reports(rows).all() and len(datapkg.distinct(rows)) == 2
    assert datapkg.second_reports(rows).empty


def test_missing_links_count_as_first_reports():
    rows = pd.DataFrame({"tie_id": ["t1", "t2"], "same_tie_as": [None, "t1"]})
    assert list(datapkg.distinct(rows)["tie_id"]) == ["t1"]


def test_two_second_source_columns_are_refused():
    with pytest.raises(ValueError, match="more than one"):
        datapkg.same_as_column(pd.DataFrame({"same_event_as": [""], "same_tie_as": [""]}))


def test_no_code_outside_the_rules_home_reads_a_second_source_column():
    """The rule had three names and inline copies in chapters; now any copy fails this test."""
    copies = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        name = path.relative_to(PACKAGE_DIR).as_posix()
        if name not in HOMES and SAME_AS.search(path.read_text(encoding="utf-8")):
            copies.append(name)
    for path in sorted(CHAPTERS_DIR.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and SAME_AS.search(cell.source):
                copies.append(path.name)
    assert copies == []
