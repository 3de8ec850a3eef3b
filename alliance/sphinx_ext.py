"""Sphinx extension for the book.

* The title page's date is the data's as-of date, read from datapackage.json (never typed twice).
* Each chapter notebook ends with download links to the data files it read, taken from the input
  fingerprint the chapter runner recorded in the notebook, so the list cannot drift from the code.
* Jupyter Book always loads sphinx-thebe, which writes an inline script naming a CDN address on
  every page (and, on incremental builds, writes it twice, a console error). The book has no
  live-code buttons, so the extension drops thebe's scripts from every page.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe.js", "thebe@")
DOWNLOADS_TITLE = "Data behind this chapter"


def _is_thebe(script) -> bool:
    body = script.attributes.get("body", "") if hasattr(script, "attributes") else ""
    text = f"{getattr(script, 'filename', '') or ''} {body}"
    return any(marker in text for marker in THEBE_MARKERS)


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def _set_date(app, config) -> None:
    from alliance.datapkg import as_of

    config.today = f"Data as of {as_of():%d %B %Y}"


def data_read_by(notebook: Path) -> list[str]:
    """Repository-relative paths of the data files a notebook read when it was last executed."""
    meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {})
    return sorted(meta.get("alliance", {}).get("inputs", {}).get("data", {}))


def _add_downloads(app, doctree) -> None:
    source = Path(app.env.doc2path(app.env.docname))
    if source.suffix != ".ipynb":
        return
    files = [f for f in data_read_by(source) if f.endswith(".csv") or f.endswith(".json")]
    if not files:
        return
    section = nodes.section(ids=["data-behind-this-chapter"], names=[DOWNLOADS_TITLE.lower()])
    section += nodes.title(text=DOWNLOADS_TITLE)
    section += nodes.paragraph(
        text="The data files this chapter read when it was last executed, as CSV files with "
        "their descriptions in datapackage.json:"
    )
    items = nodes.bullet_list()
    for name in files:
        ref = addnodes.download_reference(
            "", "", refdoc=app.env.docname, reftarget="/" + name, refexplicit=True, refdomain="", reftype="download"
        )
        ref += nodes.literal(text=name)
        items += nodes.list_item("", nodes.paragraph("", "", ref))
    section += items
    # The chapter's top-level section is the first section in the document.
    top = next(iter(doctree.findall(nodes.section)), None)
    (top if top is not None else doctree).append(section)


# LaTeX column widths: a column gets room in proportion to its typical cell length, within
# these bounds (in characters), so long tables wrap inside the page instead of running off it.
MIN_COL_CHARS, MAX_COL_CHARS = 5, 40


def _column_widths(table: nodes.table) -> list[int]:
    rows = [row for row in table.findall(nodes.row)]
    width = max((len(list(row.findall(nodes.entry))) for row in rows), default=0)
    lengths = [[] for _ in range(width)]
    for row in rows:
        for i, entry in enumerate(row.findall(nodes.entry)):
            lengths[i].append(len(entry.astext()))
    widths = []
    for values in lengths:
        values = sorted(values) or [MIN_COL_CHARS]
        typical = values[int(0.9 * (len(values) - 1))]  # the 90th percentile ignores a few outliers
        widths.append(max(MIN_COL_CHARS, min(MAX_COL_CHARS, typical)))
    return widths


def _fit_latex_tables(app, doctree, docname) -> None:
    if app.builder.format != "latex":
        return
    for table in doctree.findall(nodes.table):
        if "colwidths-given" in table.get("classes", []):
            continue
        colspecs = list(table.findall(nodes.colspec))
        widths = _column_widths(table)
        if len(colspecs) != len(widths):
            continue
        for colspec, width in zip(colspecs, widths, strict=True):
            colspec["colwidth"] = width
        table["classes"].append("colwidths-given")


# sphinxcontrib-bibtex marks the bibliography role="list" but its entries are not list items,
# which screen readers report as a broken list (axe: aria-required-children).
_BIB_LIST = '<div role="list" class="citation-list">'


def _fix_bibliography_role(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _BIB_LIST in text:
            page.write_text(text.replace(_BIB_LIST, '<div class="citation-list">'), encoding="utf-8")


def setup(app):
    app.connect("config-inited", _set_date)
    # Before Sphinx's download collector (priority 500) registers the files.
    app.connect("doctree-read", _add_downloads, priority=400)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("doctree-resolved", _fit_latex_tables)
    app.connect("build-finished", _fix_bibliography_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
