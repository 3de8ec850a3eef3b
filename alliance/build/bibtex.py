"""The bibliography as BibTeX, written at build time from the sources registry (never edited by
hand), so the book's bibliography cannot drift from data/sources.csv. A build-layer module: editing
it re-runs no chapter."""

from __future__ import annotations

import pandas as pd

from alliance.data.sources import display_title, publication_note

# sources.kind -> BibTeX entry type
BIBTEX_TYPES = {
    "official": "misc",
    "intergovernmental": "misc",
    "news-wire": "misc",
    "newspaper": "misc",
    "broadcaster": "misc",
    "think-tank": "techreport",
    # An issue brief and a commentary, not technical reports.
    "brief": "misc",
    "academic": "misc",
    "dataset": "misc",
    "encyclopedia": "misc",
    "blog": "misc",
    "aggregator": "misc",
    "state-media": "misc",
}
# The bibliography is printed in parts, one page each, so that no page grows too heavy for a phone:
# each source is in exactly one part (a BibTeX keyword), chosen by its kind.
BIBLIOGRAPHY_PARTS = {
    "official-research": ("official", "intergovernmental", "think-tank", "brief", "academic", "dataset",
                          "encyclopedia", "blog", "aggregator"),
    "newspapers": ("newspaper",),
    "wires-broadcasters": ("news-wire", "broadcaster", "state-media"),
}
BIBLIOGRAPHY_PART = {kind: part for part, kinds in BIBLIOGRAPHY_PARTS.items() for kind in kinds}
# Characters that (pybtex's) BibTeX parser treats specially, escaped for LaTeX-style text. Not
# "$": pybtex keeps "\\$" as a literal backslash and dollar (the book printed "\\$56 billion"),
# and a bare "$" reaches HTML and LaTeX as a dollar sign.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bibtex_text(value: str) -> str:
    return "".join(_BIBTEX_ESCAPES.get(ch, ch) for ch in value)


def _bibtex_url(value: str) -> str:
    # URLs go in verbatim-ish fields; only braces and percent signs would break parsing.
    return value.replace("{", "%7B").replace("}", "%7D")


def cited_years(sources: pd.DataFrame) -> dict[str, str]:
    """source_id -> the year an author-year citation shows. Two works of one author (or
    publisher) in one year are told apart as 2024a, 2024b, in order of publication, since
    '[The White House, 2024]' twice would send readers to either document."""
    frame = sources.assign(
        _by=[a if a else p for a, p in zip(sources["author"], sources["publisher"], strict=True)],
        _year=[d[:4] if d else "n.d." for d in sources["date_published"]],
    ).sort_values(["date_published", "source_id"])
    years = {}
    for (_, year), group in frame.groupby(["_by", "_year"], sort=False):
        for i, source_id in enumerate(group["source_id"]):
            years[source_id] = year if len(group) == 1 else f"{year}{'-' if year == 'n.d.' else ''}{_letters(i)}"
    return years


def _letters(i: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa': a suffix for the i-th work of an author in a year."""
    return _letters(i // 26 - 1) + chr(97 + i % 26) if i >= 26 else chr(97 + i)


def to_bibtex(sources: pd.DataFrame) -> str:
    """BibTeX for every source, in source_id order; text fields escaped."""
    entries = []
    years = cited_years(sources)
    for row in sources.sort_values("source_id").itertuples(index=False):
        year = years[row.source_id]
        fields = {
            # Braces keep title case, and keep an organisation from being parsed as a person.
            "title": "{" + _bibtex_text(display_title(row.title, row.is_title_as_shown)) + "}",
            "author": _bibtex_text(row.author) if row.author else "{" + _bibtex_text(row.publisher) + "}",
            "year": year,
            "url": _bibtex_url(row.url),
            "note": publication_note(row.date_published, row.date_accessed, row.via),
            # Which page of the bibliography lists it (a filter in each page's bibliography directive).
            "keywords": BIBLIOGRAPHY_PART[row.kind],
        }
        entry_type = BIBTEX_TYPES[row.kind]
        fields["institution" if entry_type == "techreport" else "publisher"] = _bibtex_text(row.publisher)
        if entry_type == "article":
            fields["journal"] = _bibtex_text(row.publisher)
        body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
        entries.append(f"@{entry_type}{{{row.source_id},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


