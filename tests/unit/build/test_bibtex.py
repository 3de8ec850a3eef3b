"""The bibliography written from the registry: escaped text, working URLs, one part per source."""

import pandas as pd
import pytest

from alliance.build import bibtex


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


def test_bibtex_escapes_text_and_keeps_urls(registry):
    bib = bibtex.to_bibtex(registry)
    assert r"Summit \& <statement>" in bib
    assert r"Budget \{FY\}" in bib
    assert "url = {https://c.example/3?x=1%}" in bib
    assert "author = {{State Dept}}" in bib  # an organisation, not a person
    assert bib.count("@") == 3
    assert r"title = {{[Budget \{FY\}]}}" in bib  # a title nobody saw is a description in brackets
    assert "read via nippon.com" in bib and "No publication date shown" in bib


def test_each_source_is_in_exactly_one_part_of_the_bibliography(registry):
    bib = bibtex.to_bibtex(registry)
    assert bib.count("keywords = {") == len(registry)
    parts = set(bibtex.BIBLIOGRAPHY_PARTS)
    assert {line.split("{")[1].rstrip("},") for line in bib.splitlines() if "keywords" in line} <= parts
