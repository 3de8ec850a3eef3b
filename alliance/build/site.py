"""Files the build needs that are generated, never edited: the bibliography and the Vega bundle.

``python -m alliance.build.site`` writes ``_generated/references.bib`` from ``data/sources.csv`` (so
the bibliography cannot drift from the sources registry) and ``_generated/static/vega-bundle.js``
with vl-convert (Vega, Vega-Lite and vega-embed in one local script, so no page loads a CDN).
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import sys

import altair as alt
import vl_convert as vlc

from alliance.build.bibtex import to_bibtex
from alliance.data.paths import BUILD_DIR, GENERATED_DIR, ROOT
from alliance.data.sources import load_sources
from alliance.present.glue import glued_outputs

BIB_PATH = GENERATED_DIR / "references.bib"
BUNDLE_PATH = GENERATED_DIR / "static" / "vega-bundle.js"
PDF_PATH = BUILD_DIR / "latex" / "alliance-report.pdf"
# What the PDF is built from: a PDF whose stamp does not match these files is out of date and is
# never copied into the site (a site must not offer a PDF that says 5% where its pages say 16%).
PDF_INPUTS = (
    "chapters/*.ipynb", "*.md", "_toc.yml", "_config.yml", "CITATION.cff", "assets/**/*",
    "data/sources.csv", "data/datapackage.json", "alliance/sphinx_*.py",
)
PDF_STAMP = PDF_PATH.with_suffix(".inputs")


def vegalite_minor() -> str:
    """The Vega-Lite version Altair writes specs for, as vl-convert names it ('6.4')."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def write_bibliography() -> bool:
    return _write_if_changed(BIB_PATH, to_bibtex(load_sources()))


def write_bundle() -> bool:
    stamp = f"// vega-lite {vegalite_minor()}, vl-convert {vlc.__version__}\n"
    if BUNDLE_PATH.exists() and BUNDLE_PATH.read_text(encoding="utf-8").startswith(stamp):
        return False
    # Wrapped in a function so the bundle's top-level names cannot clash with other scripts;
    # it still publishes window.vegaEmbed, window.vega and window.vegaLite.
    bundle = vlc.javascript_bundle(vl_version=vegalite_minor())
    return _write_if_changed(BUNDLE_PATH, f"{stamp}(function () {{\n{bundle}\n}})();\n")


FRONT_FIGURE = GENERATED_DIR / "front" / "status-counts.png"
FRONT_FIGURE_SOURCE = ("chapters/10_scorecard.ipynb", "fig_status_counts")


def write_front_figure() -> bool:
    """The front page's chart, as the PNG the scorecard chapter stored (a glued figure cannot be
    pasted into another page, so the image is copied, never redrawn)."""
    notebook, key = FRONT_FIGURE_SOURCE
    data = next((data for name, data in glued_outputs(ROOT / notebook) if name == key), None)
    if data is None:
        raise SystemExit(f"{notebook} stores no figure glued as {key!r}: run `make update`")
    png = base64.b64decode(data["application/papermill.record/image/png"])
    if FRONT_FIGURE.exists() and FRONT_FIGURE.read_bytes() == png:
        return False
    FRONT_FIGURE.parent.mkdir(parents=True, exist_ok=True)
    FRONT_FIGURE.write_bytes(png)
    return True


def _write_if_changed(path, text: str) -> bool:
    """Write only on change, so Sphinx's incremental build sees untouched files as unchanged."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def pdf_inputs_digest(root=ROOT) -> str:
    digest = hashlib.sha256()
    files = sorted({p for pattern in PDF_INPUTS for p in root.glob(pattern) if p.is_file() and p.name != "README.md"})
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\x00" + path.read_bytes())
    return digest.hexdigest()


def stamp_pdf(pdf=PDF_PATH, stamp=PDF_STAMP, root=ROOT) -> None:
    """Record what a freshly built PDF was built from (``make pdf`` calls this after xelatex)."""
    stamp.write_text(pdf_inputs_digest(root) + "\n", encoding="utf-8")


def pdf_is_current(pdf=PDF_PATH, stamp=PDF_STAMP, root=ROOT) -> bool:
    return pdf.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == pdf_inputs_digest(root)


def publish_pdf(html_dir=BUILD_DIR / "html", pdf=PDF_PATH, stamp=PDF_STAMP, root=ROOT) -> str:
    """Copy the PDF into the site only when it was built from the current sources; otherwise
    remove any copy an earlier build left there."""
    target = html_dir / pdf.name
    if pdf_is_current(pdf, stamp, root):
        shutil.copyfile(pdf, target)
        return "PDF edition copied into the site"
    target.unlink(missing_ok=True)
    return "no current PDF edition (run `make pdf`): the site offers none"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--stamp-pdf"]:
        stamp_pdf()
        return 0
    if argv == ["--publish-pdf"]:
        print(publish_pdf())
        return 0
    written = (
        ("bibliography", write_bibliography()),
        ("vega bundle", write_bundle()),
        ("front-page figure", write_front_figure()),
    )
    for label, changed in written:
        print(f"{label}: {'written' if changed else 'up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
