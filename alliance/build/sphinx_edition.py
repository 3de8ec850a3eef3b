"""Sphinx extension: the edition on every page, and the citation forms to copy.

* Every HTML page's footer names the edition, its date and the data's as-of date, read from
  CITATION.cff and datapackage.json when the book is built (never typed into _config.yml).
* The ``citation-forms`` directive (the front page's "How to cite") shows the citation as plain
  text, BibTeX and APA in copyable blocks. The book cannot know where it is published or when it
  is read, so the blocks say "the address where you read it" and "the date you read it"; a few
  lines of script fill in the page's address and today's date. Without scripts, and in the PDF,
  the words stay and tell the reader what to fill in.
"""

from __future__ import annotations

import html
import json

from docutils import nodes
from docutils.parsers.rst import Directive

FORMS = (("plain", "Plain text"), ("apa", "APA"), ("bibtex", "BibTeX"))


def _footer(app, config) -> None:
    from alliance.data import datapkg, edition

    text = edition.footer_text(edition.current(), datapkg.as_of())
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = f'<p class="alliance-edition">{html.escape(text)}</p>'
    config.html_theme_options = options


def _fill_script() -> str:
    from alliance.data import edition

    placeholders = json.dumps(
        {"url": edition.URL_PLACEHOLDER, "iso": edition.ISO_DATE_PLACEHOLDER, "date": edition.DATE_PLACEHOLDER}
    )
    # The ISO placeholder contains the long one, so it is replaced first. Query and fragment are
    # dropped from the address: they name a place on the page, not the book.
    return f"""document.addEventListener("DOMContentLoaded", function () {{
  var p = {placeholders};
  var blocks = document.querySelectorAll(".alliance-cite pre");
  if (!blocks.length) return;
  var now = new Date();
  var months = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  var pad = function (n) {{ return (n < 10 ? "0" : "") + n; }};
  var iso = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var url = window.location.href.split(/[?#]/)[0];
  blocks.forEach(function (pre) {{
    var apa = pre.closest(".alliance-cite-apa") !== null;
    var day = apa ? months[now.getMonth()] + " " + now.getDate() + ", " + now.getFullYear()
                  : now.getDate() + " " + months[now.getMonth()] + " " + now.getFullYear();
    pre.textContent = pre.textContent.split(p.url).join(url).split(p.iso).join(iso).split(p.date).join(day);
  }});
}});"""


# A citation wraps on a phone instead of scrolling sideways (a BibTeX entry keeps its lines).
_STYLE = (
    "<style>.alliance-cite-plain pre, .alliance-cite-apa pre "
    "{ white-space: pre-wrap; overflow-wrap: anywhere; }</style>"
)


def _cite_style(app, pagename, templatename, context, doctree) -> None:
    if doctree is not None and any("alliance-cite" in n["classes"] for n in doctree.findall(nodes.literal_block)):
        context["metatags"] = context.get("metatags", "") + _STYLE


class CitationForms(Directive):
    """The edition in one sentence, then each citation form in a literal block to copy."""

    has_content = False

    def run(self):
        from alliance.data import datapkg, edition

        ed, as_of = edition.current(), datapkg.as_of()
        forms = edition.citation_forms(ed, as_of)
        lead = nodes.paragraph(
            text=f"This is edition {ed.version} of the book, released on {edition.long_date(ed.released)}, "
            f"with data as of {edition.long_date(as_of)}. Cite the edition you read, with the address where you "
            "read it and the date:"
        )
        out = [lead]
        for name, label in FORMS:
            out.append(nodes.rubric(text=label))
            block = nodes.literal_block(forms[name], forms[name], language="none")
            block["classes"] += ["alliance-cite", f"alliance-cite-{name}"]
            out.append(block)
        return out


def setup(app):
    app.connect("config-inited", _footer)
    app.add_directive("citation-forms", CitationForms)
    app.add_js_file(None, body=_fill_script())
    app.connect("html-page-context", _cite_style)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
