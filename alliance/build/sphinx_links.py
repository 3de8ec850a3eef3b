"""Every glued value in the prose links to where it comes from.

A chapter glues a value with its source (``alliance.present.glue.glue_text(..., of=..., rows=...)``,
stored in the output's metadata). This extension wraps each ``{glue:text}`` paste, local or
from another page, and at HTML build time turns it into a link to the figure or table it comes
from (``title`` "From Figure 4.1"), on its own page or another. A count or sum stored with its rows
is followed by a small link to a CSV of exactly those rows (``_downloads/data/ch04-value-n-deals.csv``,
with a README beside it). Tables get anchors (``id="table-4-2"``) here, numbered as
``alliance.build.sphinx_downloads`` numbers their downloads. The LaTeX builder prints plain text.

Pure helpers (unit-tested): ``paste_key``, ``table_anchor``, ``value_stem``, ``figure_keys``,
``rows_frame``, ``value_readme``.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from docutils import nodes
from myst_nb.ext.glue.roles import PasteTextRole
from myst_nb.ext.glue.utils import PendingGlueReference
from sphinx.util import logging

from alliance.build.sphinx_downloads import (
    _TABLE,
    CSV_ENCODING,
    DATA_DIR,
    TABLE_MARKER,
    _html_raw,
    add_sources,
    csv_text,
    parse_table,
)

LOGGER = logging.getLogger(__name__)
PASTE_CLASS = "alliance-paste"
LINK_CLASS = "alliance-source-link"
ROWS_CLASS = "alliance-rows-link"
WRAP_MARKER = '<div class="alliance-table-wrap"'
# A ```{glue:figure} key``` directive and its :name: option, in a notebook's Markdown.
_GLUE_FIGURE = re.compile(r"```\{glue:figure\}\s+(\S+)[^\n]*\n((?::[\w-]+:[^\n]*\n)*)")
_NAME_OPTION = re.compile(r"^:name:\s*(\S+)", re.M)


def paste_key(text: str) -> tuple[str, str]:
    """('doc path' or '', key) of a ``{glue:text}`` role's content: 'a.ipynb::k:s' -> ('a.ipynb', 'k')."""
    parts = text.rsplit(":", 1)
    key = parts[0] if len(parts) == 2 else text
    doc, _, key2 = key.partition("::")
    return (doc, key2) if key2 else ("", key)


def table_anchor(number: tuple[int, ...]) -> str:
    return "table-" + "-".join(map(str, number))


def value_stem(chapter: tuple[int, ...] | None, docname: str, key: str) -> str:
    """'ch04-value-n-deals' for key n_deals glued by chapter 4; an unnumbered page uses its file name."""
    page = f"ch{chapter[0]:02d}" if chapter else posixpath.basename(docname)
    return f"{page}-value-{key.replace('_', '-')}"


def figure_keys(markdown: str) -> dict[str, str]:
    """Figure glue key -> the figure's ``:name:`` label, from ``{glue:figure}`` directives."""
    out = {}
    for m in _GLUE_FIGURE.finditer(markdown):
        name = _NAME_OPTION.search(m.group(2))
        if name:
            out[m.group(1)] = name.group(1)
    return out


def rows_frame(stored: dict) -> tuple[list[str], list[dict]]:
    """(columns, rows) of the rows stored with a value (``{"columns", "data"}``)."""
    columns = list(stored["columns"])
    return columns, [dict(zip(columns, row, strict=True)) for row in stored["data"]]


def value_readme(stem: str, *, shown: str, kind: str, column: str, source_name: str, chapter: str,
                 page: str, n_rows: int, cited: list[str]) -> str:
    what = (f"the {n_rows} rows counted for the number {shown}" if kind == "count"
            else f"the {n_rows} rows whose '{column}' adds up to the number {shown}")
    lines = [
        f"{stem}.csv: {what}, as the prose of {chapter} gives it.",
        f"The number is read from {source_name}: {page}",
        "Comma-separated, UTF-8 with a byte-order mark; lists inside a cell are joined by '; '.",
    ]
    if cited:
        lines.append(f"Rows carry their own source (source_id, with title, publisher and URL): {len(cited)} documents.")
    return "\n".join(lines) + "\n"


# --- Reading: wrap every paste, record each page's tables and figures ----------------------


class LinkedPasteTextRole(PasteTextRole):
    """myst-nb's ``glue:text`` role, its result wrapped in a node naming the page and key."""

    def run(self):
        result, messages = super().run()
        if not result:
            return result, messages
        env = self.document.settings.env
        pending = result[0] if isinstance(result[0], PendingGlueReference) else None
        key = pending.key if pending is not None else paste_key(self.text)[1]
        doc = pending.refdoc if pending is not None else env.docname
        wrap = nodes.inline("", "", *result, classes=[PASTE_CLASS])
        wrap["alliance_doc"], wrap["alliance_key"] = doc, key
        return [wrap], messages


def _record(app, doctree) -> None:
    env = app.env
    info = {"tables": [], "figures": {}}
    for raw in doctree.findall(_html_raw):
        text = raw.astext()
        if TABLE_MARKER in text:
            table = parse_table(_TABLE.search(text).group(0))
            info["tables"].append(table.label or table.caption)
    source = Path(env.doc2path(env.docname))
    if source.suffix == ".ipynb":
        import nbformat

        markdown = "\n".join(c.source for c in nbformat.read(source, as_version=4).cells if c.cell_type == "markdown")
        info["figures"] = figure_keys(markdown)
    if not hasattr(env, "alliance_links"):
        env.alliance_links = {}
    env.alliance_links[env.docname] = info


def _purge(app, env, docname) -> None:
    getattr(env, "alliance_links", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    if not hasattr(env, "alliance_links"):
        env.alliance_links = {}
    for doc in docnames:
        if doc in getattr(other, "alliance_links", {}):
            env.alliance_links[doc] = other.alliance_links[doc]


# --- Writing: links, anchors and rows files ---------------------------------------------------


def _sources_of(app, docname: str) -> dict[str, dict]:
    cache = app.__dict__.setdefault("_alliance_links_sources", {})
    if docname not in cache:
        from alliance.present.glue import glued_sources

        path = Path(app.env.doc2path(docname))
        cache[docname] = glued_sources(path) if path.suffix == ".ipynb" else {}
    return cache[docname]


def _chapter(env, docname):
    return env.toc_secnumbers.get(docname, {}).get("")


def _resolve(app, doc: str, of: str) -> tuple[str, str, str] | None:
    """(target docname, anchor, name as readers see it) of a source named by ``of`` in ``doc``."""
    env = app.env
    if "::" in of:  # a table of another page: "chapters/sources::Coverage by table"
        doc, _, of = of.partition("::")
    info = getattr(env, "alliance_links", {}).get(doc, {"tables": [], "figures": {}})
    label = info["figures"].get(of, of)
    labels = env.get_domain("std").labels
    if label in labels:
        todoc, anchor, sectname = labels[label]
        number = env.toc_fignumbers.get(todoc, {}).get("figure", {}).get(anchor)
        if number:
            return todoc, anchor, "Figure " + ".".join(map(str, number))
        return todoc, anchor, sectname or env.titles[todoc].astext()
    if of in info["tables"]:
        chapter = _chapter(env, doc)
        index = info["tables"].index(of) + 1
        number = (*chapter, index) if chapter else (index,)
        return doc, table_anchor(number), "Table " + ".".join(map(str, number))
    return None


def _anchor_tables(app, doctree, docname) -> None:
    chapter = _chapter(app.env, docname)
    count = 0
    for raw in list(doctree.findall(_html_raw)):
        text = raw.astext()
        if TABLE_MARKER not in text or WRAP_MARKER not in text:
            continue
        count += 1
        anchor = table_anchor((*chapter, count) if chapter else (count,))
        marked = text.replace(WRAP_MARKER, f'{WRAP_MARKER} id="{anchor}"', 1)
        raw.replace_self(nodes.raw("", marked, format=raw["format"]))


def _rows_link(app, docname, doc, key, source, shown, name, page) -> nodes.Node:
    env = app.env
    ctx_sources = None
    columns, rows = rows_frame(source["rows"])
    if "source_id" in columns:
        from alliance.build.sphinx_downloads import _context

        ctx_sources = _context(app)["sources"]
        columns, rows, cited = add_sources(columns, rows, ctx_sources)
    else:
        cited = []
    stem = value_stem(_chapter(env, doc), doc, key)
    outdir = Path(app.outdir) / DATA_DIR
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / f"{stem}.csv").write_text(csv_text(columns, rows), encoding=CSV_ENCODING)
    chapter = _chapter(env, doc)
    title = env.titles[doc].astext() if doc in env.titles else doc
    readme = value_readme(
        stem, shown=shown, kind=source["kind"], column=source.get("column", ""), source_name=name,
        chapter=f"Chapter {chapter[0]}: {title}" if chapter else title, page=page, n_rows=len(rows), cited=cited,
    )
    (outdir / f"{stem}-README.txt").write_text(readme, encoding="utf-8")
    target = app.builder.get_target_uri(docname)
    href = posixpath.relpath(f"{DATA_DIR}/{stem}.csv", posixpath.dirname(target) or ".")
    what = "count" if source["kind"] == "count" else "sum"
    label = html.escape(f"The {len(rows)} rows behind this {what}, {shown} (CSV)", quote=True)
    return nodes.raw(
        "",
        f'<a class="{ROWS_CLASS}" href="{html.escape(href, quote=True)}" download '
        # The word is drawn by CSS (::after), so copied text reads "12 concluded", not "12 rows concluded".
        f'data-rows="{len(rows)}" data-kind="{source["kind"]}" title="{label}" aria-label="{label}"></a>',
        format="html",
    )


def _link_pastes(app, doctree, docname) -> None:
    pastes = [n for n in doctree.findall(nodes.inline) if PASTE_CLASS in n["classes"]]
    if app.builder.format != "html":
        for wrap in pastes:  # print: the value as plain text, nothing spliced in
            wrap.replace_self(wrap.children or [])
        return
    _anchor_tables(app, doctree, docname)
    for wrap in pastes:
        doc, key = wrap["alliance_doc"], wrap["alliance_key"]
        source = _sources_of(app, doc).get(key)
        if not source or "of" not in source:
            continue  # left unlinked: tests/site/test_links.py names it
        found = _resolve(app, doc, source["of"])
        if found is None:
            LOGGER.warning(f"glued value {key!r} of {doc}: no figure, table or label {source['of']!r}",
                           location=wrap)
            continue
        todoc, anchor, name = found
        uri = ("" if todoc == docname else app.builder.get_relative_uri(docname, todoc)) + "#" + anchor
        link = nodes.reference("", "", *wrap.children, refuri=uri, internal=True, reftitle=f"From {name}",
                               classes=[LINK_CLASS])
        out = [link]
        if source.get("rows", {}).get("data"):  # a count of none has no rows to show
            page = f"{app.builder.get_target_uri(todoc)}#{anchor}"
            out.append(_rows_link(app, docname, doc, key, source, wrap.astext(), name, page))
        wrap.replace_self(out)


def setup(app):
    app.add_role_to_domain("glue", "text", LinkedPasteTextRole(), override=True)
    app.connect("doctree-read", _record)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    # Before alliance.build.sphinx_downloads (priority 500) reads the same tables.
    app.connect("doctree-resolved", _link_pastes, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 3}
