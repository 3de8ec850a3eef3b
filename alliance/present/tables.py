"""Tables for the book: built as DataFrames, shown through one escaping renderer."""

from __future__ import annotations

import html
import re
import string
from urllib.parse import quote

import pandas as pd

from alliance.present.glue import set_default_source

# Every ASCII punctuation character is escaped in Markdown cells, so no text from the data can
# open a role, a directive, emphasis, a link or a table cell (CommonMark allows escaping any).
# A page of this book, optionally with an anchor: the only relative links a table may carry.
_INTERNAL = re.compile(r"[a-z0-9_]+\.html(#[a-z0-9-]+)?")
_MD_ESCAPES = {ch: "\\" + ch for ch in string.punctuation}


class Table:
    """A DataFrame shown as an escaped HTML table (and plain text elsewhere).

    Every cell is escaped, so text from the data can never inject markup into a page. Column
    names are shown as given: chapters rename columns to reader-facing headers, units included.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        label: str,
        caption: str | None = None,
        links: dict[str, str] | None = None,
        print_text: str | None = None,
    ):
        self.frame = frame.reset_index(drop=True)
        self.label = label  # a short description used as the table's accessible name
        self.caption = caption
        # For a table too long to print (the full source list), a sentence the PDF shows instead.
        self.print_text = print_text
        # {shown column: column holding its URL}; URL columns are not shown themselves.
        self.links = links or {}
        # A value glued in the cell that makes the table comes from it (alliance.glue.glue_text).
        set_default_source(label)

    def _repr_html_(self) -> str:
        shown = [c for c in self.frame.columns if c not in self.links.values()]
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in shown)
        rows = []
        for record in self.frame.to_dict("records"):
            cells = "".join(f"<td>{self._cell_html(record, c)}</td>" for c in shown)
            rows.append(f"<tr>{cells}</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        label = html.escape(self.label, quote=True)
        # The wrapper scrolls a table wider than a phone sideways, with a shadow at the edge that
        # has more columns (CSS); it takes keyboard focus so the scroll works without a pointer.
        return (
            f'<div class="alliance-table-wrap" role="region" tabindex="0" aria-label="{label}">'
            f'<table class="alliance-table" aria-label="{label}">{caption}'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    def _cell_html(self, record: dict, column: str) -> str:
        text = html.escape(_cell(record[column]))
        url = record.get(self.links.get(column, ""), "")
        # Only web addresses and pages of this book become links.
        if isinstance(url, str) and (url.startswith(("https://", "http://")) or _INTERNAL.fullmatch(url)):
            return f'<a href="{html.escape(url, quote=True)}">{text}</a>'
        return text

    def _repr_markdown_(self) -> str:
        """A GitHub-flavoured Markdown table, used by the PDF builder (HTML uses _repr_html_)."""
        if self.print_text:
            return _md(self.print_text) + "\n"
        shown = [c for c in self.frame.columns if c not in self.links.values()]
        lines = []
        if self.caption:
            lines += [_md(self.caption), ""]
        lines.append("| " + " | ".join(_md(str(c)) for c in shown) + " |")
        lines.append("|" + "---|" * len(shown))
        for record in self.frame.to_dict("records"):
            cells = []
            for column in shown:
                text = _md(_cell(record[column]))
                url = record.get(self.links.get(column, ""), "")
                if isinstance(url, str) and url.startswith(("https://", "http://")):
                    text = f"[{text}](<{quote(url, safe=':/?#[]@!$&*+,;=%~')}>)"
                cells.append(text)
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return self.frame.drop(columns=list(self.links.values())).to_string(index=False)


def _cell(value) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def _md(text: str) -> str:
    flat = " ".join(text.split())  # a newline would end the table row
    return "".join(_MD_ESCAPES.get(ch, ch) for ch in flat)
