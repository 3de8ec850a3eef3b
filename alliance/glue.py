"""Glue computed values into prose as formatted text.

``glue_text`` formats the value first and glues the resulting string. myst-nb stores a string's
``text/plain`` repr (quoted) and reads it back with ``ast.literal_eval``, so ``{glue:text}`key```
shows exactly the formatted text: '54,000' stays '54,000' rather than being read as a tuple,
and no float appears with every digit.
"""

from __future__ import annotations

from myst_nb import glue


def glue_text(name: str, value, fmt: str = "{}"):
    """Glue ``fmt.format(value)`` under ``name`` without displaying it; return the value."""
    glue(name, fmt.format(value), display=False)
    return value


def glue_figure(name: str, chart) -> None:
    """Glue a chart for a ``{glue:figure}`` directive (numbered, captioned) without showing it twice."""
    glue(name, chart, display=False)
