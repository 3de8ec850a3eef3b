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

GLUE_MIME = "application/papermill.record/text/plain"


def glue_text(name: str, value, fmt: str = "{}"):
    """Glue ``fmt.format(value)`` under ``name`` without displaying it; return the value."""
    glue(name, fmt.format(value), display=False)
    return value


def glue_figure(name: str, chart) -> None:
    """Glue a chart for a ``{glue:figure}`` directive (numbered, captioned) without showing it twice."""
    glue(name, chart, display=False)


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
