"""Sphinx extension for the book: keep pages free of scripts the book does not use.

Jupyter Book always loads sphinx-thebe, which writes an inline script naming a CDN address on
every page (and, on incremental builds, writes it twice, a console error). The book has no
live-code buttons, so the extension drops thebe's scripts from every page.
"""

from __future__ import annotations

THEBE_MARKERS = ("THEBE_JS_URL", "sphinx-thebe.js", "thebe@")


def _is_thebe(script) -> bool:
    body = script.attributes.get("body", "") if hasattr(script, "attributes") else ""
    text = f"{getattr(script, 'filename', '') or ''} {body}"
    return any(marker in text for marker in THEBE_MARKERS)


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = [s for s in context["script_files"] if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
