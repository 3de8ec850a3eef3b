"""Fixtures shared by the unit tests of several layers."""

import pandas as pd
import pytest


@pytest.fixture
def registry():
    return pd.DataFrame(
        {
            "source_id": ["a-src", "b-src", "c-src"],
            "title": ["Treaty text", "Summit & <statement>", "Budget {FY}"],
            "author": ["", "Kim", ""],
            "publisher": ["State Dept", "White House", "Kyodo"],
            "url": ["https://a.example/1", "https://b.example/2", "https://c.example/3?x=1%"],
            "date_published": ["1960", "2024-04-10", ""],
            "date_accessed": pd.to_datetime(["2026-11-24"] * 3),
            "kind": ["official", "official", "news-wire"],
            "is_title_as_shown": pd.array([True, True, False], dtype="boolean"),
            "via": ["", "", "nippon.com"],
            "weak_reason": ["", "", ""],
        }
    )
