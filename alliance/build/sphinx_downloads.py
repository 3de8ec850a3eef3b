"""'Download the data' for every chart and table of the HTML book.

At HTML build time, for each chart (a Vega-Lite spec in ``<script class="alliance-chart-spec">``
inside a numbered figure) and each table (``<table class="alliance-table">``, see
``alliance.present.tables``), the extension writes ``_downloads/data/ch<NN>-figure-<N.M>.csv`` (or
``-table-``) holding exactly the rows the reader sees, with a ``...README.txt`` beside it, and
puts two links under the figure or table. The LaTeX builder shows no link.

Public functions (pure, unit-tested): ``chart_datasets``, ``chart_rows``, ``parse_table``,
``add_sources``, ``column_lines``, ``download_stem``, ``readme_text``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from docutils import nodes

# Under the site root, beside Sphinx's own _downloads/<hash>/ folders.
DATA_DIR = "_downloads/data"
# Excel (common among the book's readers) reads UTF-8 as a legacy code page without the mark,
# which garbles Japanese and Korean names; every CSV reader accepts it.
CSV_ENCODING = "utf-8-sig"
LIST_JOIN = "; "
SPEC_MARKER = 'class="alliance-chart-spec"'
TABLE_MARKER = 'class="alliance-table"'
_SPEC = re.compile(r'<script type="application/json" class="alliance-chart-spec"[^>]*>(.*?)</script>', re.S)
_TABLE = re.compile(r'<table class="alliance-table".*?</table>', re.S)
SOURCE_COLUMNS = ("source_title", "source_publisher", "source_url")
# Column added when a chart draws more than one dataset, so each row says which marks draw it.
DRAWN_AS = "drawn_as"


# --- Charts -------------------------------------------------------------------------------


def _is_footer(rows: list) -> bool:
    # theme.finish's source line is a text mark over one empty row: no data a reader needs.
    return all(not row for row in rows)


def chart_datasets(spec: dict) -> list[dict]:
    """The datasets a chart's marks draw, in order of first use: ``{"rows", "marks", "panel"}``.

    A view without ``data`` inherits its parent's (layers, facets, concatenations). Named
    datasets resolve through ``spec["datasets"]``; inline ``values`` count too. The footer's
    empty row (theme.finish) and datasets no mark uses are left out.
    """
    named = spec.get("datasets", {})
    found: dict[str, dict] = {}

    def walk(view, data, panel):
        if isinstance(view, list):
            for child in view:
                walk(child, data, panel)
            return
        if not isinstance(view, dict):
            return
        data = view.get("data", data)
        if view is not spec and isinstance(view.get("title"), (str, dict)):
            title = view["title"]
            panel = title.get("text") if isinstance(title, dict) else title
            panel = " ".join(panel) if isinstance(panel, list) else panel
        if "mark" in view and data is not None:
            rows = named.get(data["name"], []) if "name" in data else data.get("values", [])
            if rows and not _is_footer(rows):
                key = data.get("name") or json.dumps(rows, sort_keys=True)
                mark = view["mark"]["type"] if isinstance(view["mark"], dict) else view["mark"]
                entry = found.setdefault(key, {"rows": rows, "marks": [], "panel": panel})
                if mark not in entry["marks"]:
                    entry["marks"].append(mark)
        for key in ("layer", "vconcat", "hconcat", "concat", "spec"):
            if key in view:
                walk(view[key], data, panel)

    walk(spec, spec.get("data"), None)
    return list(found.values())


def chart_rows(spec: dict) -> tuple[list[str], list[dict]]:
    """(columns, rows) of every row the chart draws; columns in order of first appearance.

    With more than one dataset a leading ``drawn_as`` column names the marks (and panel)
    drawing each row, since the datasets' rows mean different things.
    """
    datasets = chart_datasets(spec)
    columns: list[str] = [DRAWN_AS] if len(datasets) > 1 else []
    rows: list[dict] = []
    for dataset in datasets:
        drawn = ", ".join(dataset["marks"])
        if dataset["panel"]:
            drawn = f"{dataset['panel']}: {drawn}"
        for row in dataset["rows"]:
            columns += [c for c in row if c not in columns]
            rows.append({DRAWN_AS: drawn, **row} if len(datasets) > 1 else dict(row))
    return columns, rows


def chart_title(spec: dict) -> str:
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


# --- Tables -------------------------------------------------------------------------------


@dataclass
class ParsedTable:
    caption: str = ""
    label: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.table = ParsedTable()
        self._in: str | None = None  # "caption", "th" or "td"
        self._section = ""
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.table.label = dict(attrs).get("aria-label", "") or ""
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "tr" and self._section == "tbody":
            self.table.rows.append([])
        elif tag in ("caption", "th", "td"):
            self._in, self._text = tag, []

    def handle_endtag(self, tag):
        if tag != self._in:
            return
        text = "".join(self._text)
        if tag == "caption":
            self.table.caption = text
        elif self._section == "thead":
            self.table.header.append(text)
        else:
            self.table.rows[-1].append(text)
        self._in = None

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


def parse_table(markup: str) -> ParsedTable:
    """Caption, accessible name, header cells and body cells of one rendered table, as text
    a reader sees (entities decoded, links reduced to their text)."""
    parser = _TableParser()
    parser.feed(markup)
    parser.close()
    return parser.table


# --- Sources, columns, README ---------------------------------------------------------------


def _ids(value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [value] if isinstance(value, str) and value else []


def add_sources(columns: list[str], rows: list[dict], sources) -> tuple[list[str], list[dict], list[str]]:
    """Rows with each ``source_id``'s title, publisher and URL (a list of ids gives lists).

    ``sources`` is the sources table (``alliance.data.sources.load_sources()``). Returns the new
    columns, the rows and the source ids cited, in order of first citation.
    """
    if "source_id" not in columns:
        return columns, rows, []
    from alliance.data.sources import display_title

    table = sources.set_index("source_id")
    cited: list[str] = []
    out = []
    for row in rows:
        ids = [i for i in _ids(row.get("source_id")) if i in table.index]
        cited += [i for i in ids if i not in cited]
        out.append(
            {
                **row,
                "source_title": LIST_JOIN.join(
                    display_title(table.at[i, "title"], table.at[i, "is_title_as_shown"]) for i in ids
                ),
                "source_publisher": LIST_JOIN.join(str(table.at[i, "publisher"]) for i in ids),
                "source_url": LIST_JOIN.join(str(table.at[i, "url"]) for i in ids),
            }
        )
    at = columns.index("source_id") + 1
    return columns[:at] + list(SOURCE_COLUMNS) + columns[at:], out, cited


# Units from the house style's name suffixes (PUDL-style), longest suffix first.
UNIT_SUFFIXES = (
    ("_jpy_tn", "trillions of yen"),
    ("_jpy_bn", "billions of yen"),
    ("_constant_2022_usd_bn", "billions of constant 2022 US dollars"),
    ("_usd_bn", "billions of US dollars"),
    ("_national_bn", "billions of the national currency"),
    ("_pct", "percent"),
    ("_n", "count"),
    ("_id", "identifier"),
    ("_date", "date (YYYY-MM-DD)"),
    ("_year", "year"),
)
UNITS_BY_NAME = {
    "usd_bn": "billions of US dollars",
    "date": "date (YYYY-MM-DD)",
    "year": "year",
}
COLUMN_MEANINGS = {
    DRAWN_AS: "Which marks of the chart (and which panel) draw the row.",
    "source_id": "The row's source: a source_id of data/sources.csv (several joined by '; ').",
    "source_title": "Title of the row's source (from data/sources.csv; several joined by '; ').",
    "source_publisher": "Publisher of the row's source (from data/sources.csv).",
    "source_url": "Address of the row's source (from data/sources.csv).",
}
_UNIT_IN_HEADER = re.compile(r"\(([^()]*)\)\s*$")


def unit_of(column: str) -> str:
    """The unit a column name states (house style: units in names), or '' when it states none."""
    if column in UNITS_BY_NAME:
        return UNITS_BY_NAME[column]
    header = _UNIT_IN_HEADER.search(column)  # reader-facing headers: "Share (%)"
    if header:
        return {"%": "percent", "n": "count"}.get(header.group(1), header.group(1))
    return next((unit for suffix, unit in UNIT_SUFFIXES if column.endswith(suffix)), "")


def _resources(descriptor: dict, data_files: list[str] | None):
    """The package's tables, or only those among ``data_files`` (the files a chapter read)."""
    return [r for r in descriptor["resources"] if data_files is None or "data/" + r["path"] in data_files]


def field_descriptions(descriptor: dict, columns: list[str], data_files: list[str] | None = None) -> dict[str, str]:
    """Column -> its description in the data package, over the tables in ``data_files`` (all when
    None). A name several tables use ("note", "date") is described from the table sharing the most
    columns with ``columns``; tables tied on that with different descriptions are all quoted, each
    with its file, rather than one guessed."""
    tables = [
        ("data/" + r["path"], {f["name"]: f.get("description", "") for f in r["schema"]["fields"]})
        for r in _resources(descriptor, data_files)
    ]
    wanted = set(columns)
    out = {}
    for column in columns:
        having = [(len(wanted & fields.keys()), path, fields[column]) for path, fields in tables if fields.get(column)]
        if not having:
            continue
        best = max(n for n, _, _ in having)
        texts = {text: path for n, path, text in having if n == best}
        out[column] = next(iter(texts)) if len(texts) == 1 else " / ".join(f"In {p}: {t}" for t, p in texts.items())
    return out


def key_tables(descriptor: dict, data_files: list[str] | None = None) -> dict[str, list[str]]:
    """Single-column primary key -> the data files whose rows it identifies."""
    keys: dict[str, list[str]] = {}
    for res in _resources(descriptor, data_files):
        key = res["schema"].get("primaryKey") or []
        if len(key) == 1:
            keys.setdefault(key[0], []).append("data/" + res["path"])
    return keys


def column_lines(columns: list[str], descriptions: dict[str, str], *, default: str) -> list[str]:
    """One line per column: its name, meaning and unit."""
    lines = []
    for column in columns:
        meaning = COLUMN_MEANINGS.get(column) or descriptions.get(column) or default
        unit = unit_of(column)
        lines.append(f"- {column}: {meaning}" + (f" Unit: {unit}." if unit else ""))
    return lines


def download_stem(chapter: tuple[int, ...] | None, docname: str, kind: str, number: tuple[int, ...]) -> str:
    """'ch06-figure-6.2' for Figure 6.2 of chapter 6; an unnumbered page uses its file name."""
    page = f"ch{chapter[0]:02d}" if chapter else posixpath.basename(docname)
    return f"{page}-{kind}-{'.'.join(map(str, number))}"


@dataclass
class Download:
    stem: str
    name: str  # "Figure 6.2" or "Table 6.1", as the links and README name it
    title: str  # the caption the reader sees
    chapter: str  # "Chapter 6: Politics"
    page: str  # site-relative address of the page and anchor
    columns: list[str]
    rows: list[dict]
    chart_title: str = ""
    cited: list[str] = field(default_factory=list)
    label: str = ""  # a table's accessible name: tables show no number, so links name it too


def readme_text(
    item: Download,
    *,
    as_of,
    descriptions: dict[str, str],
    keys: dict[str, list[str]],
    data_files: list[str],
    sources=None,
) -> str:
    """The README beside a CSV: what it is, its columns and units, its date and its sources."""
    lines = [f"{item.name}: {item.title}"]
    if item.label and item.label != item.title:
        lines.append(f"Table name: {item.label}")
    if item.chart_title:
        lines.append(f"Chart title: {item.chart_title}")
    lines += [
        item.chapter,
        f"Page: {item.page}",
        f"Data as of {as_of:%Y-%m-%d}.",
        "",
        f"File: {item.stem}.csv ({len(item.rows)} rows; comma-separated, UTF-8 with a byte-order mark).",
        "Each row is one row the reader sees"
        + (" drawn in the chart." if item.chart_title else " in the table; cells as shown on the page."),
        "Lists inside a cell are joined by '; '.",
        "",
        "Columns",
    ]
    default = (
        "Derived for the chart (the chapter's code is on the page)." if item.chart_title
        else "As headed in the table."
    )
    lines += column_lines(item.columns, descriptions, default=default)
    lines += ["", "Sources"]
    if item.cited:
        lines.append(
            f"Rows carry their own source (source_id), with its title, publisher and URL: "
            f"{len(item.cited)} documents from data/sources.csv:"
        )
        table = sources.set_index("source_id") if sources is not None else None
        for sid in item.cited:
            extra = f" - {table.at[sid, 'publisher']}: {table.at[sid, 'url']}" if table is not None else ""
            lines.append(f"- {sid}{extra}")
    else:
        lines.append(
            "The rows carry no source of their own: the values are as drawn or shown, computed by the "
            "chapter from the data files below, whose rows each cite a source in data/sources.csv."
        )
    linked = [f"- {c}: rows of {' or '.join(keys[c])}" for c in item.columns if c in keys and c != "source_id"]
    if linked:
        lines += ["Rows can be matched to the data files by these keys:", *linked]
    if data_files:
        lines += ["Data files the chapter read (all in the book's data package):", *[f"- {f}" for f in data_files]]
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_JOIN.join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_text(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()


def links_html(item: Download, href_base: str) -> str:
    """The two links, each with an accessible name that names the figure or table."""
    name = html.escape(f"{item.name}, {item.label}" if item.label else item.name, quote=True)
    csv_href = html.escape(f"{href_base}{item.stem}.csv", quote=True)
    readme_href = html.escape(f"{href_base}{item.stem}-README.txt", quote=True)
    return (
        f'<p class="alliance-downloads">'
        f'<a class="alliance-download-csv" href="{csv_href}" download '
        f'aria-label="Download the data (CSV) of {name}">Download the data (CSV)</a>'
        f" · "
        f'<a class="alliance-download-readme" href="{readme_href}" '
        f'aria-label="About the data (README) of {name}: columns, units and sources">'
        f"About the data (README)</a></p>"
    )


# --- Sphinx -------------------------------------------------------------------------------


def _html_raw(node) -> bool:
    return isinstance(node, nodes.raw) and "html" in node.get("format", "").split()


def _ancestor(node, kind):
    while node is not None and not isinstance(node, kind):
        node = node.parent
    return node


def _context(app):
    """Sources, descriptor, descriptions and keys, read once per build process."""
    if not hasattr(app, "_alliance_downloads"):
        from alliance.data import datapkg
        from alliance.data.sources import load_sources

        descriptor = datapkg.read_descriptor()
        app._alliance_downloads = {
            "sources": load_sources(),
            "as_of": datapkg.as_of(),
            "descriptor": descriptor,
        }
    return app._alliance_downloads


def _data_files(app, docname: str) -> list[str]:
    from alliance.build.sphinx_ext import data_read_by

    source = Path(app.env.doc2path(docname))
    return data_read_by(source) if source.suffix == ".ipynb" else []


def _add_downloads(app, doctree, docname) -> None:
    if app.builder.format != "html":
        return
    env = app.env
    chapter = env.toc_secnumbers.get(docname, {}).get("")
    title = env.titles[docname].astext() if docname in env.titles else docname
    chapter_line = f"Chapter {chapter[0]}: {title}" if chapter else title
    target = app.builder.get_target_uri(docname)
    href_base = posixpath.relpath(DATA_DIR, posixpath.dirname(target) or ".") + "/"
    fignumbers = env.toc_fignumbers.get(docname, {}).get("figure", {})
    ctx = _context(app)
    outdir = Path(app.outdir) / DATA_DIR
    outdir.mkdir(parents=True, exist_ok=True)
    data_files = _data_files(app, docname)
    # Only tables this chapter read can describe its columns.
    keys = key_tables(ctx["descriptor"], data_files)
    tables = 0
    for raw in list(doctree.findall(_html_raw)):
        text = raw.astext()
        if SPEC_MARKER in text:
            figure = _ancestor(raw, nodes.figure)
            number = fignumbers.get(figure["ids"][0]) if figure is not None and figure["ids"] else None
            if number is None:
                continue  # only numbered figures get files named after their number
            spec = json.loads(_SPEC.search(text).group(1))
            columns, rows = chart_rows(spec)
            columns, rows, cited = add_sources(columns, rows, ctx["sources"])
            caption = next(iter(figure.findall(nodes.caption)), None)
            item = Download(
                stem=download_stem(chapter, docname, "figure", number),
                name="Figure " + ".".join(map(str, number)),
                title=caption.astext() if caption is not None else chart_title(spec),
                chapter=chapter_line,
                page=f"{target}#{figure['ids'][0]}",
                columns=columns,
                rows=rows,
                chart_title=chart_title(spec) or "(untitled)",
                cited=cited,
            )
            anchor = figure
        elif TABLE_MARKER in text:
            tables += 1
            number = (*chapter, tables) if chapter else (tables,)
            table = parse_table(_TABLE.search(text).group(0))
            item = Download(
                stem=download_stem(chapter, docname, "table", number),
                name=f"Table {'.'.join(map(str, number))}",
                label=table.label or table.caption,
                title=table.caption or table.label,
                chapter=chapter_line,
                page=target,
                columns=table.header,
                rows=[dict(zip(table.header, cells, strict=False)) for cells in table.rows],
            )
            anchor = raw
        else:
            continue
        (outdir / f"{item.stem}.csv").write_text(csv_text(item.columns, item.rows), encoding=CSV_ENCODING)
        readme = readme_text(
            item,
            as_of=ctx["as_of"],
            descriptions=field_descriptions(ctx["descriptor"], item.columns, data_files),
            keys=keys,
            data_files=data_files,
            sources=ctx["sources"],
        )
        (outdir / f"{item.stem}-README.txt").write_text(readme, encoding="utf-8")
        anchor.parent.insert(anchor.parent.index(anchor) + 1, nodes.raw("", links_html(item, href_base), format="html"))


def setup(app):
    app.connect("doctree-resolved", _add_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
