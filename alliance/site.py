"""Files the build needs that are generated, never edited: the bibliography and the Vega bundle.

``python -m alliance.site`` writes ``_generated/references.bib`` from ``data/sources.csv`` (so
the bibliography cannot drift from the sources registry) and ``_generated/static/vega-bundle.js``
with vl-convert (Vega, Vega-Lite and vega-embed in one local script, so no page loads a CDN).
"""

from __future__ import annotations

import sys

import altair as alt
import vl_convert as vlc

from alliance.paths import GENERATED_DIR
from alliance.sources import load_sources, to_bibtex

BIB_PATH = GENERATED_DIR / "references.bib"
BUNDLE_PATH = GENERATED_DIR / "static" / "vega-bundle.js"


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


def _write_if_changed(path, text: str) -> bool:
    """Write only on change, so Sphinx's incremental build sees untouched files as unchanged."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def main() -> int:
    for label, changed in (("bibliography", write_bibliography()), ("vega bundle", write_bundle())):
        print(f"{label}: {'written' if changed else 'up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
