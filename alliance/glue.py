"""Glue computed values into prose as plain text.

``myst_nb.glue`` stores a value's ``text/plain`` repr, so a glued string would appear with
quotes and a float with every digit. ``glue_text`` formats the value first and glues text whose
repr is exactly that, so ``{glue:text}`key``` shows what the chapter means to say.
"""

from __future__ import annotations

from myst_nb import glue


class GluedText:
    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def glue_text(name: str, value, fmt: str = "{}"):
    """Glue ``fmt.format(value)`` under ``name`` without displaying it; return the value."""
    glue(name, GluedText(fmt.format(value)), display=False)
    return value


def glue_figure(name: str, chart) -> None:
    """Glue a chart for a ``{glue:figure}`` directive (numbered, captioned) without showing it twice."""
    glue(name, chart, display=False)
