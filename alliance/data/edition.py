"""The edition of the book, read from ``CITATION.cff``: version, release date and title.

One place for what the title page, the page footer and the citation forms print, so a new
edition is a change to ``CITATION.cff`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import yaml

from alliance.data.paths import ROOT

CITATION = ROOT / "CITATION.cff"


@dataclass(frozen=True)
class Edition:
    version: str
    released: date
    title: str
    authors: tuple[str, ...]
    repository: str | None


def current(path=CITATION) -> Edition:
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    released = meta["date-released"]
    return Edition(
        version=str(meta["version"]),
        released=released if isinstance(released, date) else date.fromisoformat(str(released)),
        title=meta["title"],
        authors=tuple(a.get("name") or f"{a['given-names']} {a['family-names']}" for a in meta["authors"]),
        repository=meta.get("repository-code"),
    )


def long_date(day: date) -> str:
    """'2 December 2026': the date as the book's prose writes it (no leading zero)."""
    return f"{day.day} {day:%B %Y}"


def footer_text(edition: Edition, data_as_of: date) -> str:
    """The line every page's footer shows: which edition, and how recent its data are."""
    return f"Edition {edition.version}, {long_date(edition.released)} · data as of {long_date(data_as_of)}"


# The book cannot know the address it is published at, nor when it is read: the forms carry these
# words, which a script on the page replaces with the page's address and today's date. Without
# scripts (and in the PDF) the words stay, and say what the reader should fill in.
URL_PLACEHOLDER = "the address where you read it"
DATE_PLACEHOLDER = "the date you read it"
# BibTeX's urldate wants an ISO date; the script writes one there.
ISO_DATE_PLACEHOLDER = "YYYY-MM-DD, the date you read it"


_BIBTEX_ESCAPES = {ch: "\\" + ch for ch in "{}%&$#_"} | {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def _bibtex_escape(text: str) -> str:
    """Characters BibTeX or LaTeX would read as markup, escaped, so a title cannot unbalance braces."""
    return "".join(_BIBTEX_ESCAPES.get(ch, ch) for ch in text)


def _bibtex_key(edition: Edition) -> str:
    first = "".join(ch for ch in edition.title.split(":")[0].lower() if ch.isalnum() or ch == " ").split()
    # Words run together in camel case, as BibTeX keys commonly are ('protectionToProjection2026v1.0.0').
    words = [w for w in first if w not in {"from", "the", "a", "an"}][:3]
    return "".join([words[0]] + [w.capitalize() for w in words[1:]]) + f"{edition.released.year}v{edition.version}"


def citation_forms(edition: Edition, data_as_of: date) -> dict[str, str]:
    """The citation as plain text, BibTeX and APA, each naming title, authors, edition, date,
    the book's address and an access date (the last two as placeholders, see URL_PLACEHOLDER)."""
    authors = (
        ", ".join(edition.authors[:-1]) + " & " + edition.authors[-1]
        if len(edition.authors) > 1
        else edition.authors[0]
    )
    released, year = long_date(edition.released), edition.released.year
    plain = (
        f"{authors} ({year}). {edition.title}. Edition {edition.version}, {released}; data as of "
        f"{long_date(data_as_of)}. Online at {URL_PLACEHOLDER}, accessed {DATE_PLACEHOLDER}."
    )
    # APA 7 for a versioned work that changes over time: the retrieval date is given.
    apa = (
        f"{authors}. ({year}, {edition.released:%B} {edition.released.day}). {edition.title} "
        f"(Edition {edition.version}). Retrieved {DATE_PLACEHOLDER}, from {URL_PLACEHOLDER}"
    )
    # Each author's name in double braces: a team's name is not split into given and family names.
    fields = {
        "author": " and ".join("{" + _bibtex_escape(a) + "}" for a in edition.authors),
        "title": "{" + _bibtex_escape(edition.title) + "}",
        "edition": _bibtex_escape(edition.version),
        "version": _bibtex_escape(edition.version),
        "year": str(year),
        "date": edition.released.isoformat(),
        "url": URL_PLACEHOLDER,
        "urldate": ISO_DATE_PLACEHOLDER,
        "note": f"Edition {_bibtex_escape(edition.version)}, data as of {long_date(data_as_of)}",
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    bibtex = f"@misc{{{_bibtex_key(edition)},\n{body}\n}}"
    return {"plain": plain, "bibtex": bibtex, "apa": apa}
