"""An incremental build writes the same HTML as a clean one.

myst-nb copies its stylesheet into ``_static`` only when the build finishes, and Sphinx adds a
``?v=<checksum>`` to a stylesheet link only when the file is already in the output, so pages
written by a clean build linked it without the suffix and pages rewritten later with it. Copying
the file in before any page is written gives every build the same links.
"""

from __future__ import annotations

from pathlib import Path


def _copy_mystnb_css(app) -> None:
    if app.builder.format != "html":
        return
    from myst_nb import static
    from myst_nb.sphinx_ext import _get_file_hash, _import_resources_path
    from sphinx.util.fileutil import copy_asset_file

    with _import_resources_path(static, "mystnb.css") as source:
        target = Path(app.builder.outdir) / "_static" / f"mystnb.{_get_file_hash(source)}.css"
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_asset_file(str(source), str(target))


def setup(app):
    app.connect("builder-inited", _copy_mystnb_css)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
