"""The house chart theme and the one Altair renderer every chapter enables.

``enable()`` (one line at the top of a chapter) registers both. The renderer turns a chart into
a MIME bundle with:

* ``text/html``: a container holding a static SVG of the chart (so a reader without scripts, a
  printer or a notebook viewer still sees it) and a script that replaces it with the
  interactive chart through ``window.vegaEmbed``, loaded once per page from the site's local
  bundle (``vega-bundle.js``, written by ``alliance.build.site``) and driven by
  ``_static/alliance-charts.js``. No CDN is referenced.
* ``image/png`` at 2x for the PDF builder.
* ``text/plain``: the chart's text description, for screen readers and plain viewers.

Chart ids are hashes of the spec, so re-executing a notebook gives byte-identical output.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import tempfile
import textwrap
from pathlib import Path

import altair as alt
import vl_convert as vlc

from alliance.data.paths import ROOT

# Okabe-Ito: distinguishable under the common colour-vision deficiencies. Yellow goes last
# because it has too little contrast on white to carry small marks.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442"]
# The book's own face first: a subset of Noto Sans and Noto Sans CJK JP with every glyph the
# charts draw (scripts/subset-fonts.py), so vl-convert draws the same bytes on every machine. A
# name no installed font has, so none is chosen instead. The rest serve browsers without it.
FONT_FAMILY = "Alliance Sans"
FONT = f"{FONT_FAMILY}, Noto Sans, Helvetica, Arial, Noto Sans CJK JP, Noto Sans CJK KR, sans-serif"
FONT_DIR = ROOT / "assets" / "fonts"
WIDTH_PX = 640  # fits the book's text column at its default width
# A chart that must read on a phone at its drawn size (the front page's): a 390 px screen leaves
# the text column about 340 px, and the chart's furniture (padding, axis labels) needs the rest.
NARROW_WIDTH_PX = 330
PNG_SCALE = 2  # print-quality raster for the PDF builder
# Coordinates to a tenth of a pixel are more than a screen or printer resolves.
_LONG_DECIMALS = re.compile(r"(\d\.\d)\d+")
_MARK_ATTRIBUTES = re.compile(r'\s(?:aria-[a-z]+|role|class)="[^"]*"')
# The footer wraps by characters because Vega text marks do not wrap by width.
FOOTER_CHARS_PER_LINE = 110
RENDERER = "alliance"
THEME = "alliance"
# Drawings are kept by what determines them (the spec, the pinned fonts, vl-convert's version and
# the PNG scale), so an unchanged chart is not drawn again. ALLIANCE_DRAW_CACHE names another
# folder, or 'off' to draw every chart afresh, as nbval does to prove the stored images.
DRAW_CACHE_ENV = "ALLIANCE_DRAW_CACHE"
DRAW_CACHE_DIR = ROOT / "_build" / "draw-cache"


def _theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": WIDTH_PX},
            "range": {"category": PALETTE},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#444"},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e6e6e6"},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "bottom", "columns": 4},
        }
    }


def chart_id(spec: dict) -> str:
    """A stable id derived from the chart's content."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8")).hexdigest()
    return f"chart-{digest[:12]}"


def _script_json(value) -> str:
    """JSON safe to place inside a <script> element: no '<', '>' or '&' can close it."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def draw_key(kind: str, spec: dict) -> str:
    """The digest a drawing is kept under: everything vl-convert's output depends on."""
    what = {"kind": kind, "spec": spec, "fonts": FONTS_DIGEST, "vl_convert": vlc.__version__, "scale": PNG_SCALE}
    return hashlib.sha256(json.dumps(what, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _drawn(kind: str, spec: dict, draw) -> bytes:
    """vl-convert's drawing of ``spec``, from the draw cache when it holds one; byte-identical to
    a fresh drawing, because the key covers every input of the drawing."""
    folder = os.environ.get(DRAW_CACHE_ENV) or str(DRAW_CACHE_DIR)
    if folder == "off":
        return draw()
    key = draw_key(kind, spec)
    path = Path(folder) / key[:2] / f"{key}.{kind}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = draw()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a parallel kernel never reads half a drawing.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(data)
        Path(tmp.name).replace(path)
    except OSError:
        pass  # an unwritable cache only costs the next drawing
    return data


def static_svg(spec: dict) -> str:
    """The chart as SVG for the static fallback, without per-mark ARIA, role and class
    attributes (inside an <img> they are never read: the container carries the text
    alternative) and with coordinates rounded to a tenth of a pixel; both halve its size."""
    register_fonts()  # a chart drawn without enable() still gets the book's fonts
    svg = _drawn("svg", spec, lambda: vlc.vegalite_to_svg(spec).encode("utf-8")).decode("utf-8")
    return _LONG_DECIMALS.sub(r"\1", _MARK_ATTRIBUTES.sub("", svg))


def render_html(spec: dict) -> str:
    """The HTML for one chart: static SVG fallback plus the script that embeds it live."""
    cid = chart_id(spec)
    description = spec.get("description", "")
    svg = static_svg(spec)
    svg_uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt_text = html.escape(description, quote=True)
    # No inline script: _static/alliance-charts.js finds every container and its spec.
    return (
        f'<div class="alliance-chart" id="{cid}" role="figure" aria-label="{alt_text}">'
        f'<img class="alliance-chart-static" alt="{alt_text}" src="{svg_uri}">'
        f'<div class="alliance-chart-live"></div></div>\n'
        f'<script type="application/json" class="alliance-chart-spec" data-chart="{cid}">'
        f"{_script_json(spec)}</script>"
    )


def mimebundle(spec: dict) -> dict:
    register_fonts()
    png = _drawn("png", spec, lambda: vlc.vegalite_to_png(spec, scale=PNG_SCALE))
    return {
        "text/html": render_html(spec),
        "image/png": base64.b64encode(png).decode("ascii"),
        "text/plain": spec.get("description", "chart"),
    }


def _renderer(spec: dict, **_metadata) -> dict:
    return mimebundle(spec)


# The chart fonts' digest: pinned here so that remaking them (scripts/subset-fonts.py rewrites
# this line) changes the package and so makes every chapter stale, as their images change.
FONTS_DIGEST = "a5e7e9e2ecfd9e30cd8805694026a8dc08cbced7ff7eabfeb78298951f007d42"
_fonts_registered = False


def fonts_digest(font_dir: Path | None = None) -> str:
    """Digest of the chart font files (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted((font_dir or FONT_DIR).glob("*.ttf")):
        digest.update(path.name.encode("utf-8") + b"\x00" + path.read_bytes())
    return digest.hexdigest()


def register_fonts() -> None:
    """Give vl-convert the book's fonts, once per process (each call would add the faces again).
    Refuses fonts other than the pinned ones: charts drawn with them would not match."""
    global _fonts_registered
    if _fonts_registered:
        return
    if fonts_digest() != FONTS_DIGEST:
        raise RuntimeError(
            f"the chart fonts in {FONT_DIR} are not the ones pinned in alliance/theme.py: run scripts/subset-fonts.py"
        )
    vlc.register_font_directory(str(FONT_DIR))
    _fonts_registered = True


def enable() -> None:
    """Register and enable the house theme and renderer (call once per chapter)."""
    register_fonts()
    alt.theme.register(THEME, enable=True)(_theme)
    alt.renderers.register(RENDERER, _renderer)
    alt.renderers.enable(RENDERER)
    # Data are embedded in the spec (no external files) and never sampled away.
    alt.data_transformers.disable_max_rows()


def finish(chart, *, title: str, description: str, footer: str, subtitle: str | None = None,
           width: int = WIDTH_PX):
    """Give a chart the house furniture: title, a source line under it, a text description.

    The footer is a text mark concatenated below the chart, so it appears in the interactive
    chart, the static SVG and the PNG alike. ``width`` is the footer's: a narrower chart
    (``NARROW_WIDTH_PX``) passes its own, so the source line wraps within it instead of
    widening the figure.
    """
    lines = _wrap(footer, footer_chars_per_line(width))
    footer_chart = (
        alt.Chart(alt.Data(values=[{}]))
        .mark_text(align="left", baseline="top", fontSize=10, color="#555", lineHeight=13)
        .encode(text=alt.value(lines), x=alt.value(0), y=alt.value(0))
        .properties(width=width, height=13 * len(lines))
    )
    heading = alt.TitleParams(title, subtitle=subtitle) if subtitle else alt.TitleParams(title)
    return alt.vconcat(chart, footer_chart, spacing=6).properties(title=heading, description=description)


def footer_chars_per_line(width: int) -> int:
    """Characters of footer text that fit on one line of a footer ``width`` pixels wide."""
    return FOOTER_CHARS_PER_LINE * width // WIDTH_PX


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


# A line breaks where two readings of a series are further apart than this many times the
# series' usual (median) spacing, so a line never bridges a long silence in the data.
GAP_FACTOR = 3


def line_segments(dates, groups) -> list[str]:
    """A segment label per row: same group and no long gap since the group's previous reading.

    Use the labels as a ``detail`` encoding so Vega draws each segment as its own line.
    """
    import pandas as pd

    frame = pd.DataFrame({"date": pd.to_datetime(pd.Series(list(dates))), "group": list(groups)})
    labels = pd.Series("", index=frame.index)
    for group, rows in frame.sort_values("date").groupby("group", sort=False):
        steps = rows["date"].diff()
        # A first reading (no step) never breaks; a comparison with a missing median is False.
        breaks = steps.gt(GAP_FACTOR * steps.median())
        labels[rows.index] = [f"{group}#{n}" for n in breaks.cumsum()]
    return list(labels)


def count_axis(**kwargs) -> alt.Axis:
    """An axis for counts: whole-number ticks only."""
    return alt.Axis(tickMinStep=1, format="d", **kwargs)


def positional(scale_x: alt.Scale, scale_y: alt.Scale) -> dict:
    """x and y encodings for a diagram drawn at fixed positions (fields x, y): no axes."""
    none = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    return {"x": alt.X("x:Q", scale=scale_x, axis=none), "y": alt.Y("y:Q", scale=scale_y, axis=none)}
