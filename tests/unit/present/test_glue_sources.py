"""Where a glued value comes from (alliance.present.glue.provenance) and how the link extension reads it
(alliance.build.sphinx_links). The built site is checked in tests/site/test_links.py."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from alliance.build import sphinx_links as links
from alliance.present import glue


def test_a_count_stores_its_source_and_exactly_its_rows():
    rows = pd.DataFrame({"deal": ["a", "b"], "source_id": ["s1", "s2"],
                         "date": pd.to_datetime(["2024-01-02", "2024-03-04"])})
    stored = glue.provenance(2, of="Deals and their steps", rows=rows)
    assert stored["of"] == "Deals and their steps"
    assert stored["kind"] == "count"
    columns, back = links.rows_frame(stored["rows"])
    assert columns == ["deal", "source_id", "date"]
    assert [r["deal"] for r in back] == ["a", "b"]
    assert back[0]["date"] == "2024-01-02"  # dates as the data files write them


def test_a_count_that_its_rows_do_not_give_is_refused():
    with pytest.raises(ValueError, match="3 rows"):
        glue.provenance(2, of="t", rows=pd.DataFrame({"x": [1, 2, 3]}))


def test_a_sum_checks_its_column():
    rows = pd.DataFrame({"units_n": [400, 0]})
    assert glue.provenance(400, of="t", rows=rows, total="units_n")["kind"] == "sum"
    with pytest.raises(ValueError, match="add up"):
        glue.provenance(401, of="t", rows=rows, total="units_n")


def test_a_value_without_source_stores_nothing():
    assert glue.provenance("12", of=None) == {}


def test_no_default_source_outside_a_cell():
    glue.set_default_source("fig_x")  # outside a kernel: no running cell, so no default
    assert glue.default_source() is None


def test_glued_sources_read_back_from_a_stored_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    meta = {"scrapbook": {"name": "n_x", "mime_prefix": glue.GLUE_PREFIX},
            glue.PROVENANCE: {"of": "fig_x"}}
    plain = {"scrapbook": {"name": "plain", "mime_prefix": glue.GLUE_PREFIX}}
    nb.cells.append(nbformat.v4.new_code_cell("", outputs=[
        nbformat.v4.new_output("display_data", data={glue.GLUE_MIME: "'3'"}, metadata=meta),
        nbformat.v4.new_output("display_data", data={glue.GLUE_MIME: "'4'"}, metadata=plain),
    ]))
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert glue.glued_sources(path) == {"n_x": {"of": "fig_x"}}
    assert glue.glued_values(path) == {"n_x": "3", "plain": "4"}  # values read as before


def test_paste_keys_local_and_from_another_page():
    assert links.paste_key("n_deals") == ("", "n_deals")
    assert links.paste_key("n_deals:s") == ("", "n_deals")
    assert links.paste_key("chapters/10_scorecard.ipynb::verdict_asan_01:s") == (
        "chapters/10_scorecard.ipynb", "verdict_asan_01")


def test_figure_keys_map_glue_keys_to_figure_labels():
    md = "Text\n\n```{glue:figure} fig_transfers\n:name: fig-transfers\n\nCaption.\n```\n" \
         "```{glue:figure} fig_b\n:figwidth: 100%\n:name: fig-b\n```\n```{glue:figure} unnamed\n\nC\n```"
    assert links.figure_keys(md) == {"fig_transfers": "fig-transfers", "fig_b": "fig-b"}


def test_value_files_are_named_after_the_chapter_and_key():
    assert links.value_stem((4,), "chapters/04_industry_exports", "n_deals") == "ch04-value-n-deals"
    assert links.value_stem(None, "intro", "n_x") == "intro-value-n-x"
    assert links.table_anchor((4, 2)) == "table-4-2"


def test_rows_may_be_a_series_or_a_set():
    stored = glue.provenance(2, of="t", rows={"b", "a"})
    assert links.rows_frame(stored["rows"]) == (["item"], [{"item": "a"}, {"item": "b"}])
    series = pd.Series(["x"], name="partner")
    assert links.rows_frame(glue.provenance(1, of="t", rows=series)["rows"])[0] == ["partner"]
