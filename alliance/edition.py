"""The edition of the book, read from ``CITATION.cff``: version, release date and title.

One place for what the title page, the page footer and the citation forms print, so a new
edition is a change to ``CITATION.cff`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import yaml

from alliance.paths import ROOT

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
