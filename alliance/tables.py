"""Tables for the book: built as DataFrames, shown through one escaping renderer."""

from __future__ import annotations

import html

import pandas as pd


class Table:
    """A DataFrame shown as an escaped HTML table (and plain text elsewhere).

    Every cell is escaped, so text from the data can never inject markup into a page. Column
    names are shown as given: chapters rename columns to reader-facing headers, units included.
    """

    def __init__(self, frame: pd.DataFrame, *, label: str):
        self.frame = frame.reset_index(drop=True)
        self.label = label  # a short description used as the table's accessible name

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in self.frame.columns)
        rows = []
        for values in self.frame.itertuples(index=False):
            cells = "".join(f"<td>{html.escape(_cell(v))}</td>" for v in values)
            rows.append(f"<tr>{cells}</tr>")
        return (
            f'<table class="alliance-table" aria-label="{html.escape(self.label, quote=True)}">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def _cell(value) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
