"""Glue computed values into prose as formatted text.

``glue_text`` formats the value first and glues the resulting string. myst-nb stores a string's
``text/plain`` repr (quoted) and reads it back with ``ast.literal_eval``, so ``{glue:text}`key```
shows exactly the formatted text: '54,000' stays '54,000' rather than being read as a tuple,
and no float appears with every digit.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
from myst_nb import glue

GLUE_PREFIX = "application/papermill.record/"
GLUE_MIME = GLUE_PREFIX + "text/plain"
# Where a glued value comes from, in its output's metadata (alliance.build.sphinx_links reads it).
PROVENANCE = "alliance_source"

# The figure or table last shown or glued, and the cell that did it: a value glued in the same
# cell comes from it unless the call says otherwise (see glue_text).
_default_source: dict = {}


def _cell_count():
    """The running cell's execution count, or None outside a kernel (unit tests, scripts)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with myst-nb
        return None
    shell = get_ipython()
    return None if shell is None else shell.execution_count


def set_default_source(of: str) -> None:
    """Values glued later in the running cell come from ``of`` (a figure glue key or table label)."""
    count = _cell_count()
    if count is not None:
        _default_source.clear()
        _default_source.update(cell=count, of=of)


def default_source() -> str | None:
    count = _cell_count()
    return _default_source.get("of") if count is not None and _default_source.get("cell") == count else None


def _frame(rows):
    """Rows as a DataFrame: a Series becomes one column, a list or set one column named 'item'."""
    import pandas as pd

    if isinstance(rows, pd.DataFrame):
        return rows
    if isinstance(rows, pd.Series):
        return rows.to_frame(rows.name or "item")
    return pd.DataFrame({"item": sorted(rows) if isinstance(rows, (set, frozenset)) else list(rows)})


def _rows_json(rows) -> dict:
    """Rows as {"columns", "data"} of JSON values (dates as ISO text), for the metadata."""
    rows = _frame(rows).copy()
    for column in rows.columns:
        # A date as the data files write it (2024-05-15), not as a timestamp.
        if str(rows[column].dtype).startswith("datetime64"):
            rows[column] = rows[column].dt.strftime("%Y-%m-%d")
    return json.loads(rows.to_json(orient="split", index=False, date_format="iso", date_unit="s"))


def provenance(value, *, of: str | None, rows=None, total: str | None = None) -> dict:
    """What a glued value comes from, as stored with it.

    ``of`` names the figure (its glue key or ``:name:`` label), the table (its label; a table of
    another page as "chapters/sources::Coverage by table") or a section label the value is read
    from. ``rows`` are exactly the rows a count counts (``len(rows)`` must equal the value) or,
    with ``total`` naming a column, the rows a sum adds up (their ``total`` column must add up to
    the value). Raises ValueError when the rows do not give the value.
    """
    out: dict = {}
    if of:
        out["of"] = str(of)
    if rows is None:
        return out
    if total is None:
        if len(rows) != int(value):
            raise ValueError(f"a count of {value} cannot come from {len(rows)} rows")
        out["kind"] = "count"
    else:
        added = _frame(rows)[total].sum()
        if abs(float(added) - float(value)) > 1e-9 * max(1.0, abs(float(value))):
            raise ValueError(f"the rows' {total!r} add up to {added}, not {value}")
        out["kind"] = "sum"
        out["column"] = total
    out["rows"] = _rows_json(rows)
    return out


def glue_text(name: str, value, fmt: str = "{}", *, of: str | None = None, rows=None, total: str | None = None):
    """Glue ``fmt.format(value)`` under ``name`` without displaying it; return the value.

    ``of``, ``rows`` and ``total`` say where the value comes from (see ``provenance``); without
    ``of`` it comes from the figure or table the same cell glued or made, if any.
    """
    source = provenance(value, of=of or default_source(), rows=rows, total=total)
    text = fmt.format(value)
    if not source:
        glue(name, text, display=False)
        return value
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    bundle, metadata = format_display_data(text)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    metadata[PROVENANCE] = source
    display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
    return value


def glue_count(name: str, rows, *, of: str | None = None, fmt: str = "{}"):
    """Glue how many ``rows`` there are, with the rows themselves as the count's source."""
    return glue_text(name, len(rows), fmt, of=of, rows=rows)


def glue_figure(name: str, chart) -> None:
    """Glue a chart for a ``{glue:figure}`` directive (numbered, captioned) without showing it twice."""
    glue(name, chart, display=False)
    set_default_source(name)


def glued_sources(notebook: Path) -> dict[str, dict]:
    """Glue key -> the source stored with its value (``provenance``), for keys that have one."""
    out = {}
    for cell in nbformat.read(notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {})
            name = meta.get("scrapbook", {}).get("name")
            if name and PROVENANCE in meta:
                out[name] = meta[PROVENANCE]
    return out


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st: a rank as prose writes it."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 partner', '3 partners': a count with its noun, so prose never writes 'partner(s)'."""
    n = int(n)
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def and_join(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def glued_outputs(notebook: Path):
    """(name, MIME bundle) of every output a stored notebook glued, in order."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                yield name, output.get("data", {})


def glued_values(notebook: Path) -> dict[str, str]:
    """Every value a stored notebook glued, as the text the book shows."""
    values = {}
    for name, data in glued_outputs(notebook):
        text = data.get(GLUE_MIME)
        if text is not None:
            try:
                values[name] = str(ast.literal_eval(text))
            except (ValueError, SyntaxError):
                values[name] = text
    return values


def values_bytes(values: dict[str, str]) -> bytes:
    """The glued values in one canonical form, for fingerprints of what another chapter quotes."""
    return json.dumps(values, sort_keys=True, ensure_ascii=False).encode("utf-8")


def chapter_heading(notebook: Path) -> str:
    """A chapter's heading as readers see it (its first '# ' line), or the file name."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return notebook.stem


# What a chapter may read of another chapter, each fingerprinted on its own (see datapkg._log_read).
PARTS = {
    "glue": lambda notebook: values_bytes(glued_values(notebook)),
    "title": lambda notebook: chapter_heading(notebook).encode("utf-8"),
}
