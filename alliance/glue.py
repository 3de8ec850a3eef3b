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
