"""The bibliography written from the registry: escaped text, working URLs, one part per source."""


from alliance.build import bibtex


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
