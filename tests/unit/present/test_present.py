"""Unit tests of the house style: theme and renderer, tables, glue."""

from __future__ import annotations

import json
from datetime import date

import altair as alt
import pandas as pd
import pytest

from alliance.present import theme
from alliance.present.tables import Table

AS_OF = date(2026, 11, 24)


def test_table_escapes_every_cell_and_header():
    frame = pd.DataFrame({"<b>col</b>": ["<script>alert(1)</script>", "a & b"], "url": ["javascript:x", ""]})
    html = Table(frame, label='x" onmouseover="y', caption="<i>c</i>", links={"<b>col</b>": "url"})._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;col&lt;/b&gt;" in html and "a &amp; b" in html
    assert 'aria-label="x&quot; onmouseover=&quot;y"' in html
    assert "<caption>&lt;i&gt;c&lt;/i&gt;</caption>" in html
    assert "javascript:" not in html  # only http(s) addresses become links


def test_table_links_only_web_addresses():
    frame = pd.DataFrame({"Title": ["T"], "url": ["https://a.example/?q=1&r=2"]})
    html = Table(frame, label="t", links={"Title": "url"})._repr_html_()
    assert '<a href="https://a.example/?q=1&amp;r=2">T</a>' in html
    assert "url" not in html.split("<tbody>")[0]  # the URL column is not shown as a column


@pytest.mark.parametrize("text", ["54,000", "24 November 2026", "-2", "it's (a) 'test'", "1.0"])
def test_glued_text_reads_back_exactly(text):
    """myst-nb reads glued text/plain back with literal_eval; a formatted string must survive it."""
    from myst_nb.core.variables import format_plain_text

    assert format_plain_text(repr(text), "") == text


@pytest.fixture
def tiny_spec():
    theme.enable()
    data = pd.DataFrame({"x": [1, 2], "label": ["</script><script>alert(1)</script>", "東京 서울"]})
    chart = alt.Chart(data).mark_point().encode(x="x:Q", tooltip="label:N")
    return theme.finish(chart, title="T", description="A test chart", footer="Source: test.").to_dict()


def test_renderer_bundle_has_html_png_and_text(tiny_spec):
    bundle = theme.mimebundle(tiny_spec)
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert bundle["text/plain"] == "A test chart"


def test_renderer_html_is_static_safe_and_offline(tiny_spec):
    html = theme.render_html(tiny_spec)
    assert 'class="alliance-chart-static"' in html and "data:image/svg+xml;base64," in html
    assert html.count("</script>") == 1  # data cannot close the spec's script element
    assert "\\u003c/script\\u003e" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html.replace(
        "https://vega.github.io/schema/", ""
    )
    assert "<script>" not in html  # no inline executable script; the site's JS embeds charts


def test_chart_id_depends_only_on_content(tiny_spec):
    assert theme.chart_id(tiny_spec) == theme.chart_id(json.loads(json.dumps(tiny_spec)))
    changed = {**tiny_spec, "description": "other"}
    assert theme.chart_id(changed) != theme.chart_id(tiny_spec)
    assert theme.render_html(tiny_spec) == theme.render_html(tiny_spec)


def test_theme_registered_with_palette():
    theme.enable()
    config = alt.theme.get()()["config"]
    assert config["range"]["category"] == theme.PALETTE
    assert "Noto Sans CJK JP" in config["font"] and "Noto Sans CJK KR" in config["font"]


def test_table_markdown_escapes_every_punctuation_mark():
    frame = pd.DataFrame({"A|b": ["{glue}`k` <script>*y* [l](u)", "日本 한국"], "url": ["https://e.x/a b", ""]})
    md = Table(frame, label="l", caption="Cap: [x]", links={"A|b": "url"})._repr_markdown_()
    assert md.startswith("Cap\\: \\[x\\]\n\n| A\\|b |\n|---|\n")
    assert "\\{glue\\}\\`k\\` \\<script\\>\\*y\\* \\[l\\]\\(u\\)" in md
    assert "(<https://e.x/a%20b>)" in md
    assert "| 日本 한국 |" in md


def test_table_print_text_replaces_the_table_in_print():
    table = Table(pd.DataFrame({"a": [1]}), label="l", print_text="See the bibliography.")
    assert table._repr_markdown_() == "See the bibliography\\.\n"
    assert "<table" in table._repr_html_()


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (102, "102nd"),
    ],
)
def test_ordinal(n, text):
    from alliance.present.glue import ordinal

    assert ordinal(n) == text


def test_counted_uses_the_plural_only_for_other_than_one():
    from alliance.present.glue import counted

    assert counted(1, "partner") == "1 partner"
    assert counted(0, "partner") == "0 partners"
    assert counted(2, "such row") == "2 such rows"
    assert counted(3, "country", "countries") == "3 countries"


def test_a_cached_drawing_is_the_fresh_drawing_and_skips_vl_convert(tiny_spec, tmp_path, monkeypatch):
    """The draw cache returns exactly what vl-convert draws, and draws nothing it already holds."""
    spec = tiny_spec
    monkeypatch.setenv(theme.DRAW_CACHE_ENV, "off")
    fresh = theme.mimebundle(spec)
    monkeypatch.setenv(theme.DRAW_CACHE_ENV, str(tmp_path))
    assert theme.mimebundle(spec) == fresh  # drawn and stored
    assert len(list(tmp_path.rglob("*.png"))) == 1 and len(list(tmp_path.rglob("*.svg"))) == 1

    def refuse(*_args, **_kwargs):
        raise AssertionError("drawn again")

    monkeypatch.setattr(theme.vlc, "vegalite_to_png", refuse)
    monkeypatch.setattr(theme.vlc, "vegalite_to_svg", refuse)
    assert theme.mimebundle(spec) == fresh  # from the cache
    changed = {**spec, "description": spec.get("description", "") + " (changed)"}
    with pytest.raises(AssertionError, match="drawn again"):
        theme.mimebundle(changed)  # a different spec is a different drawing


def test_the_draw_key_covers_fonts_and_version(tiny_spec, monkeypatch):
    spec = tiny_spec
    key = theme.draw_key("png", spec)
    monkeypatch.setattr(theme, "FONTS_DIGEST", "0" * 64)
    assert theme.draw_key("png", spec) != key
    monkeypatch.undo()
    monkeypatch.setattr(theme.vlc, "__version__", "0.0.0")
    assert theme.draw_key("png", spec) != key


def test_a_narrow_footer_wraps_within_its_width():
    """A chart drawn narrow for a phone gets a source line as narrow, not the house 640 px one."""
    theme.enable()
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    footer = "Sources: " + "; ".join(f"Publisher number {n}" for n in range(12)) + "."
    wide = theme.finish(chart, title="T", description="D", footer=footer).to_dict()["vconcat"][1]
    narrow = theme.finish(chart, title="T", description="D", footer=footer,
                          width=theme.NARROW_WIDTH_PX).to_dict()["vconcat"][1]
    assert wide["width"] == theme.WIDTH_PX and narrow["width"] == theme.NARROW_WIDTH_PX
    lines = narrow["encoding"]["text"]["value"]
    assert len(lines) > len(wide["encoding"]["text"]["value"])
    assert max(map(len, lines)) <= theme.footer_chars_per_line(theme.NARROW_WIDTH_PX)
