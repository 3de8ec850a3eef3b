"""Sphinx extension for the book.

* The PDF's title page (edition and release date from CITATION.cff, the data's as-of date from
  datapackage.json, a citation line) and its tables' column widths and type size (below).
* Roles {screen} and {print}: text for one medium only (a hover instruction, its print wording).
* Each chapter notebook ends with download links to the data files it read, taken from the input
  fingerprint the chapter runner recorded in the notebook, so the list cannot drift from the code.
* Jupyter Book always loads sphinx-thebe, which writes an inline script naming a CDN address on
  every page (and, on incremental builds, writes it twice, a console error). The book has no
  live-code buttons, so the extension drops thebe's scripts from every page.
"""

from __future__ import annotations

import json
import re
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
    from alliance.data.datapkg import as_of

    config.today = f"Data as of {as_of():%d %B %Y}"


_LATEX_SPECIALS = {
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


def latex_text(text: str) -> str:
    return "".join(_LATEX_SPECIALS.get(ch, ch) for ch in text)


def citation_line(edition, as_of) -> str:
    """How to cite the edition a reader holds (plain text)."""
    authors = ", ".join(edition.authors)
    return (
        f"{authors} ({edition.released:%Y}). {edition.title}. Edition {edition.version}, "
        f"released {edition.released:%-d %B %Y}; data as of {as_of:%-d %B %Y}."
    )


def title_page(edition, as_of) -> str:
    """LaTeX for the title page: title, authors, edition and its date, data as-of date, a
    citation line, and the repository address when CITATION.cff gives one (else no line)."""
    main, _, sub = edition.title.partition(": ")
    lines = [
        r"\begin{titlepage}\centering\sffamily",
        r"\vspace*{4cm}",
        rf"{{\Huge\bfseries {latex_text(main)}\par}}",
    ]
    if sub:  # CITATION.cff's subtitle runs on after a colon: on its own line it takes a capital
        lines.append(rf"\vspace{{1em}}{{\Large {latex_text(sub[:1].upper() + sub[1:])}\par}}")
    lines += [
        rf"\vspace{{2.5em}}{{\large {latex_text(', '.join(edition.authors))}\par}}",
        rf"\vspace{{2.5em}}{{\large Edition {latex_text(edition.version)}, released "
        rf"{edition.released:%-d %B %Y}\par}}",
        rf"\vspace{{0.5em}}{{\large Data as of {as_of:%d %B %Y}\par}}",
        r"\vfill",
        r"\begin{minipage}{0.85\linewidth}\RaggedRight\small",
        rf"\textbf{{Cite as:}} {latex_text(citation_line(edition, as_of))}\par",
    ]
    if edition.repository:
        lines.append(rf"\textbf{{Repository:}} \url{{{edition.repository}}}\par")
    lines += [r"\end{minipage}", r"\end{titlepage}"]
    return "\n".join(lines) + "\n"


def _set_title_page(app, config) -> None:
    from alliance.data.datapkg import as_of
    from alliance.data.edition import current

    edition = current()
    config.release = config.version = edition.version
    title = title_page(edition, as_of())
    # The running header names the edition ("Edition 1.0.0"), not Sphinx's "Release".
    config.latex_elements = {**config.latex_elements, "maketitle": title, "releasename": "Edition"}


# Reader instructions that only make sense on a screen ("Hover a dot for ...") are written
# {screen}`...`; {print}`...` gives the printed wording. The builder for the other medium drops them.
SCREEN_CLASS, PRINT_CLASS = "alliance-screen-only", "alliance-print-only"


def _medium_role(css_class):
    def role(name, rawtext, text, lineno, inliner, options=None, content=None):
        return [nodes.inline(rawtext, text, classes=[css_class])], []

    return role


def _drop_other_medium(app, doctree, docname) -> None:
    drop = SCREEN_CLASS if app.builder.format == "latex" else PRINT_CLASS
    for node in list(doctree.findall(nodes.inline)):
        if drop in node.get("classes", []):
            node.parent.remove(node)


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


# LaTeX tables. Every column is at least as wide as its longest unbreakable token (a number, a
# date part, a code), so no value is clipped; the rest of the line goes to the columns in
# proportion to their typical (90th-percentile) cell length, capped. A table whose minimum does
# not fit the text width at the body size gets a smaller size, and the widest go landscape.
MAX_COL_CHARS = 40
# Letters-only words longer than this hyphenate inside a cell, so they need no wider column.
HYPHENATED_WORD_CHARS = 8
# A character's width in em: Noto Serif's digits are 0.56 em, its average lowercase less; a
# little wider than average so a column sized for a token really holds it.
CHAR_EM = 0.58
CJK_EM = 1.0
# Usable line width (pt) inside a cell output (indented), portrait and landscape (A4, 10pt).
PORTRAIT_PT, LANDSCAPE_PT = 420.0, 680.0
# (landscape, size command, font size pt, column padding pt per side), tried in order.
TABLE_LAYOUTS = (
    (False, "", 10.0, 5.0),
    (False, r"\small", 9.0, 4.0),
    (False, r"\footnotesize", 8.0, 3.0),
    (False, r"\scriptsize", 7.0, 2.5),
    (True, r"\footnotesize", 8.0, 3.0),
    (True, r"\scriptsize", 7.0, 2.5),
)
# A table whose typical cells would need more than this many text widths gets a smaller size.
ROOMY_LINES = 2.0
_CJK = re.compile(r"[\u1100-\u11ff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
_LETTERS = re.compile(r"[^\W\d_]+")


# A file path, address or identifier longer than this gets break points (after "/", ".", "_"
# and, failing those, every LONG_TOKEN_CHARS characters), so it cannot force a column wide.
LONG_TOKEN_CHARS = 14
_LONG_TOKEN = re.compile(rf"\S{{{LONG_TOKEN_CHARS + 1},}}")


def _break_long(token: str) -> list[str]:
    """The pieces a long token may be broken into (LaTeX gets \\allowbreak between them)."""
    pieces = []
    for part in re.split(r"(?<=[/._])", token):
        pieces += [part[i : i + LONG_TOKEN_CHARS] for i in range(0, len(part), LONG_TOKEN_CHARS)] or [part]
    return [piece for piece in pieces if piece]


def _token_ems(text: str) -> float:
    """Width in em of the widest piece of ``text`` LaTeX cannot break inside."""
    widest = 0.0
    for word in text.split():
        # LaTeX may break after a hyphen (Sphinx writes \sphinxhyphen) and between CJK characters.
        for piece in re.split(r"(?<=-)", word):
            if _LETTERS.fullmatch(piece.rstrip("-")) and len(piece) > HYPHENATED_WORD_CHARS:
                piece = piece[:HYPHENATED_WORD_CHARS]
            for part in _break_long(piece) if len(piece) > LONG_TOKEN_CHARS else [piece]:
                ems = sum(CJK_EM if _CJK.match(ch) else CHAR_EM for ch in part)
                if _CJK.search(part):
                    ems = CJK_EM  # CJK text breaks between any two characters
                widest = max(widest, ems)
    return widest


def _add_break_points(table: nodes.table) -> None:
    """Let LaTeX break the long tokens _token_ems assumed breakable."""
    for text in list(table.findall(nodes.Text)):
        value = str(text)
        if not _LONG_TOKEN.search(value) or isinstance(text.parent, (nodes.literal, nodes.raw)):
            continue
        replacement, last = [], 0
        for match in _LONG_TOKEN.finditer(value):
            replacement.append(nodes.Text(value[last : match.start()]))
            pieces = _break_long(match.group())
            for piece in pieces[:-1]:
                replacement += [nodes.Text(piece), nodes.raw("", r"\allowbreak{}", format="latex")]
            replacement.append(nodes.Text(pieces[-1]))
            last = match.end()
        replacement.append(nodes.Text(value[last:]))
        text.parent.replace(text, [node for node in replacement if not isinstance(node, nodes.Text) or str(node)])


def _columns(table: nodes.table) -> list[tuple[float, float]]:
    """Per column: (minimum width in em, typical width in em)."""
    rows = list(table.findall(nodes.row))
    width = max((len(list(row.findall(nodes.entry))) for row in rows), default=0)
    texts: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        for i, entry in enumerate(row.findall(nodes.entry)):
            texts[i].append(" ".join(entry.astext().split()))
    columns = []
    for values in texts:
        lengths = sorted(len(v) for v in values) or [1]
        typical = min(MAX_COL_CHARS, lengths[int(0.9 * (len(lengths) - 1))]) * CHAR_EM
        minimum = max((_token_ems(v) for v in values), default=CHAR_EM)
        columns.append((minimum, max(typical, minimum)))
    return columns


def table_layout(columns: list[tuple[float, float]]) -> tuple[tuple, list[float]]:
    """The layout for a table and its columns' widths in pt, padding included.

    The first portrait layout in which every column's minimum fits and the typical widths need
    at most ``ROOMY_LINES`` lines' worth, else the first in which the minimum fits; landscape
    only when no portrait size holds the minimum (a landscape page breaks the text flow)."""

    def fits(layout, key, lines=1.0):
        landscape, _, size, pad = layout
        line = LANDSCAPE_PT if landscape else PORTRAIT_PT
        return sum(col[key] * size + 2 * pad for col in columns) <= lines * line

    fitting = [layout for layout in TABLE_LAYOUTS if fits(layout, 0)]
    roomy = [layout for layout in fitting if not layout[0] and fits(layout, 1, ROOMY_LINES)]
    layout = (roomy or fitting or [TABLE_LAYOUTS[-1]])[0]
    landscape, _, size, pad = layout
    line = LANDSCAPE_PT if landscape else PORTRAIT_PT
    minimum = [col[0] * size + 2 * pad for col in columns]
    typical = [col[1] * size + 2 * pad for col in columns]
    # Share the line in proportion to the typical widths, never below a column's minimum.
    fixed: set[int] = set()
    for _ in range(len(columns)):
        free = [i for i in range(len(columns)) if i not in fixed]
        room = line - sum(minimum[i] for i in fixed)
        scale = room / max(sum(typical[i] for i in free), 1e-9)
        short = {i for i in free if typical[i] * scale < minimum[i]}
        if not short:
            break
        fixed |= short
    widths = [minimum[i] if i in fixed else typical[i] * scale for i in range(len(columns))]
    return layout, widths


def _fit_latex_tables(app, doctree, docname) -> None:
    if app.builder.format != "latex":
        return
    for table in list(doctree.findall(nodes.table)):
        if "colwidths-given" in table.get("classes", []):
            continue
        colspecs = list(table.findall(nodes.colspec))
        columns = _columns(table)
        if len(colspecs) != len(columns) or not columns:
            continue
        (landscape, size, _, pad), widths = table_layout(columns)
        _add_break_points(table)
        for colspec, width in zip(colspecs, widths, strict=True):
            colspec["colwidth"] = max(1, round(width * 10))
        # longtable: a table taller than the rest of the page breaks across pages, header repeated.
        table["classes"] += ["colwidths-given", "longtable"]
        before = rf"\begingroup{size}\setlength{{\tabcolsep}}{{{pad}pt}}"
        after = r"\endgroup"
        if landscape:
            before, after = r"\begin{landscape}" + before, after + r"\end{landscape}"
        parent = table.parent
        index = parent.index(table)
        parent.insert(index + 1, nodes.raw("", after + "\n", format="latex"))
        parent.insert(index, nodes.raw("", before + "\n", format="latex"))


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
    app.connect("config-inited", _set_title_page)
    app.add_role("screen", _medium_role(SCREEN_CLASS))
    app.add_role("print", _medium_role(PRINT_CLASS))
    app.connect("doctree-resolved", _drop_other_medium)
    # Before Sphinx's download collector (priority 500) registers the files.
    app.connect("doctree-read", _add_downloads, priority=400)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("doctree-resolved", _fit_latex_tables)
    app.connect("build-finished", _fix_bibliography_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
