"""The front page's link to the PDF edition, shown only when the site will hold a current PDF.

``{pdf-edition}`text``` renders as a link to ``alliance-report.pdf`` when ``make pdf`` has built
one from the current sources (``alliance.build.site.pdf_is_current``; ``make book`` then copies it),
and as plain text saying there is none otherwise, so no build links to a file it lacks. The
state is a config value that makes Sphinx re-read every page when it changes, so an incremental
build and a clean one give the same pages.
"""

from __future__ import annotations

from docutils import nodes

PDF_NAME = "alliance-report.pdf"


def _detect(app, config) -> None:
    from alliance.build.site import pdf_is_current

    config.alliance_pdf_available = pdf_is_current()


def pdf_edition_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    env = inliner.document.settings.env
    if env.app.builder.format == "html" and env.config.alliance_pdf_available:
        return [nodes.reference(rawtext, text, refuri=PDF_NAME, classes=["alliance-pdf"])], []
    if env.app.builder.format == "html":
        return [nodes.inline(rawtext, f"{text} (not part of this build: `make pdf` makes it)")], []
    return [nodes.inline(rawtext, text)], []


def setup(app):
    app.add_config_value("alliance_pdf_available", False, "env")
    app.connect("config-inited", _detect)
    app.add_role("pdf-edition", pdf_edition_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
