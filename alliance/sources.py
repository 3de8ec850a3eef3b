"""The sources registry: citation lines for charts and the BibTeX file for the book."""

from __future__ import annotations

import pandas as pd

from alliance import datapkg

# A chart's source line names at most this many publishers before summarising the rest.
MAX_NAMED_PUBLISHERS = 5
# sources.kind -> BibTeX entry type
BIBTEX_TYPES = {
    "official": "misc",
    "news": "misc",
    "think-tank": "techreport",
    "brief": "techreport",
    "dataset": "misc",
    "encyclopedia": "misc",
    "academic": "misc",
    "corporate": "misc",
    "blog": "misc",
}
# Characters that (pybtex's) BibTeX parser treats specially, escaped for LaTeX-style text.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def source_line(source_ids, sources: pd.DataFrame, as_of) -> str:
    """'Sources: A; B; and 3 others. Data as of YYYY-MM-DD.' for a chart's footer."""
    cited = pd.Series(list(source_ids)).map(sources.set_index("source_id")["publisher"])
    used = sources[sources["source_id"].isin(set(source_ids))]
    # Most-cited publishers first; ties alphabetically, so the line is stable.
    counts = cited.value_counts()
    publishers = sorted(counts.index, key=lambda p: (-counts[p], p.casefold()))
    named = publishers[:MAX_NAMED_PUBLISHERS]
    text = "; ".join(named)
    rest = len(publishers) - len(named)
    if rest:
        text += f"; and {rest} other publisher{'s' if rest > 1 else ''}"
    label = "Source" if len(used) == 1 else f"Sources ({len(used)} documents), most cited first"
    return f"{label}: {text}. Data as of {as_of:%Y-%m-%d}."


def _bibtex_text(value: str) -> str:
    return "".join(_BIBTEX_ESCAPES.get(ch, ch) for ch in value)


def _bibtex_url(value: str) -> str:
    # URLs go in verbatim-ish fields; only braces and percent signs would break parsing.
    return value.replace("{", "%7B").replace("}", "%7D")


def to_bibtex(sources: pd.DataFrame) -> str:
    """BibTeX for every source, in source_id order; text fields escaped."""
    entries = []
    for row in sources.sort_values("source_id").itertuples(index=False):
        year = row.date_published[:4] if row.date_published else "n.d."
        fields = {
            # Braces keep title case, and keep an organisation from being parsed as a person.
            "title": "{" + _bibtex_text(row.title) + "}",
            "author": _bibtex_text(row.author) if row.author else "{" + _bibtex_text(row.publisher) + "}",
            "year": year,
            "url": _bibtex_url(row.url),
            "note": f"Published {row.date_published or 'undated'}; accessed {row.date_accessed:%Y-%m-%d}",
        }
        entry_type = BIBTEX_TYPES[row.kind]
        fields["institution" if entry_type == "techreport" else "publisher"] = _bibtex_text(row.publisher)
        if entry_type == "article":
            fields["journal"] = _bibtex_text(row.publisher)
        body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
        entries.append(f"@{entry_type}{{{row.source_id},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


def load_sources() -> pd.DataFrame:
    return datapkg.load_table("sources")


KIND_LABELS = {
    "official": "Official documents",
    "news": "News reports",
    "think-tank": "Think-tank work",
    "brief": "The two briefs",
    "academic": "Academic and archival",
    "encyclopedia": "Reference works",
    "dataset": "Datasets",
    "corporate": "Company releases",
    "blog": "Blogs and reposts",
}


def table_sources_by_kind(sources: pd.DataFrame) -> pd.DataFrame:
    counts = sources["kind"].value_counts().reindex(list(KIND_LABELS), fill_value=0)
    return pd.DataFrame(
        {
            "Kind": [KIND_LABELS[k] for k in counts.index],
            "Documents (n)": counts.to_numpy(),
            "Share (%)": (100 * counts / counts.sum()).round(1).to_numpy(),
        }
    )


def table_sources(sources: pd.DataFrame) -> pd.DataFrame:
    """Every source with what a reader needs to find it again."""
    frame = sources.sort_values("source_id")
    return pd.DataFrame(
        {
            "source_id": frame["source_id"],
            "Title": frame["title"],
            "url": frame["url"],
            "Publisher": frame["publisher"],
            "Published": frame["date_published"],
            "Accessed": frame["date_accessed"].dt.strftime("%Y-%m-%d"),
            "Kind": frame["kind"],
        }
    )
