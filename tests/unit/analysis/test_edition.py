"""Editions: the citation forms, the footer line, baselines and what changed between editions."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from alliance.analysis import changes
from alliance.data import edition
from alliance.data.paths import DATAPACKAGE

ED = edition.Edition("2.1.0", date(2027, 3, 5), "A {Title}: with 100% & more", ("Team A", "Kim B"), None)
AS_OF = date(2027, 2, 28)


def test_current_reads_citation_cff():
    ed = edition.current()
    assert ed.version and isinstance(ed.released, date) and ed.authors
    assert ed.repository is None  # the public address is not known yet; never invent one


def test_footer_names_edition_date_and_data_date():
    assert edition.footer_text(ED, AS_OF) == "Edition 2.1.0, 5 March 2027 · data as of 28 February 2027"


@pytest.mark.parametrize("form", ["plain", "bibtex", "apa"])
def test_every_citation_form_names_title_authors_edition_date_url_and_access(form):
    text = edition.citation_forms(ED, AS_OF)[form]
    assert "2.1.0" in text and "Team A" in text and "Kim B" in text and "2027" in text
    assert edition.URL_PLACEHOLDER in text
    assert (edition.ISO_DATE_PLACEHOLDER if form == "bibtex" else edition.DATE_PLACEHOLDER) in text
    assert "Title" in text and "more" in text


def test_bibtex_escapes_markup_and_keeps_braces_balanced():
    bib = edition.citation_forms(ED, AS_OF)["bibtex"]
    assert r"A \{Title\}: with 100\% \& more" in bib
    assert "author = {{Team A} and {Kim B}}" in bib
    unescaped = bib.replace(r"\{", "").replace(r"\}", "")
    assert unescaped.count("{") == unescaped.count("}")
    assert bib.startswith("@misc{title2027v2.1.0,")


# --- baselines and comparisons, on a synthetic earlier edition ----------------------------------


@pytest.fixture(scope="module")
def current():
    return changes.snapshot()


def earlier_from(current: dict) -> dict:
    """An earlier edition's baseline built from the current data, then edited so that the current
    data show one row added, one changed and one removed in events, and one status change."""
    old = copy.deepcopy(current) | {"edition": "0.9.0", "released": "2026-06-01"}
    rows = old["tables"]["events"]["rows"]
    added, changed = sorted(rows)[:2]
    del rows[added]  # absent then: added since
    rows[changed] = "0" * changes.DIGEST_CHARS  # other contents then: changed since
    rows["ev-removed-since"] = "1" * changes.DIGEST_CHARS  # there then, gone now: removed
    claim_id, claim = next(iter(old["claims"].items()))
    test_id = next(iter(claim["tests"]))
    claim["status"] = "too-early"
    claim["tests"][test_id] |= {"result": "pending", "value": "an earlier reading"}
    return old, added, changed, claim_id, test_id


def test_compare_reports_rows_added_changed_removed_by_key(current):
    old, added, changed, *_ = earlier_from(current)
    result = changes.compare(old, current, "1.0.0")
    events = result.tables.set_index("table").loc["events"]
    assert (events["added"], events["changed"], events["removed"]) == (1, 1, 1)
    assert events["rows_then"] == events["rows_now"]  # one added, one removed
    moved = {(r.key, r.change) for r in result.rows.itertuples()}
    assert moved == {(added, "added"), (changed, "changed"), ("ev-removed-since", "removed")}
    # Every other table is unchanged.
    others = result.tables[result.tables["table"].ne("events")]
    assert others[["added", "changed", "removed"]].to_numpy().sum() == 0


def test_compare_reports_a_status_change_with_the_evidence_that_moved_it(current):
    old, _, _, claim_id, test_id = earlier_from(current)
    result = changes.compare(old, current, "1.0.0")
    assert list(result.claims["claim_id"]) == [claim_id]
    row = result.claims.iloc[0]
    assert row["status_then"] == "too-early" and row["status_now"] == current["claims"][claim_id]["status"]
    test = current["claims"][claim_id]["tests"][test_id]
    assert f"an earlier reading → {test['value']}" in row["evidence"]
    assert f"pending → {test['result']}" in row["evidence"]


def test_new_and_dropped_tables_and_columns_are_named():
    old = {"a": {"key": ["id"], "columns": ["id", "x"], "rows": {"1": "d1"}}}
    new = {
        "a": {"key": ["id"], "columns": ["id", "y"], "rows": {"1": "d1"}},
        "b": {"key": ["id"], "columns": ["id"], "rows": {"1": "d"}},
    }
    tables, _ = changes.compare_tables(old, new)
    notes = tables.set_index("table")["note"]
    assert notes["a"] == "columns added: y; columns removed: x" and notes["b"] == "new table"


def test_a_table_without_a_key_is_keyed_by_row_contents(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,x\n1,x\n2,y\n", encoding="utf-8")
    snap = changes.table_snapshot(path, None)
    assert len(snap["rows"]) == 3  # identical rows kept apart by occurrence
    path.write_text("a,b\n1,x\n2,z\n", encoding="utf-8")
    tables, rows = changes.compare_tables({"t": snap}, {"t": changes.table_snapshot(path, None)})
    assert tables.iloc[0][["added", "changed", "removed"]].tolist() == [1, 0, 2]
    result = changes.Changes("2.0.0", {}, {"tables": {"t": snap, "u": snap | {"key": ["a"]}}})
    assert changes.keys_sentence(result) == "1 of this edition's files have none: t."


def test_digest_ignores_column_order_and_new_blank_columns():
    assert changes.row_digest({"a": "1", "b": "2"}) == changes.row_digest({"b": "2", "a": "1", "c": ""})
    assert changes.row_digest({"a": "1", "b": "2"}) != changes.row_digest({"a": "1", "b": "3"})


def test_record_refuses_to_overwrite(tmp_path, current, monkeypatch):
    monkeypatch.setattr(changes, "snapshot", lambda **_: current)
    path = changes.record(ED, tmp_path)
    assert json.loads(path.read_text(encoding="utf-8"))["edition"] == "2.1.0"
    with pytest.raises(FileExistsError):
        changes.record(ED, tmp_path)


def test_first_edition_shows_its_own_baseline(tmp_path, current):
    (tmp_path / "1.0.0.json").write_text(json.dumps(current | {"edition": "1.0.0", "released": "2026-12-02"}))
    first = edition.Edition("1.0.0", date(2026, 12, 2), "T", ("A",), None)
    result = changes.for_edition(first, tmp_path, current)
    assert result.previous is None
    assert result.tables["rows_now"].sum() == sum(len(t["rows"]) for t in current["tables"].values())
    assert "first edition" in changes.reading(result)


def test_a_later_edition_compares_with_the_latest_earlier_baseline(tmp_path, current):
    old, *_ = earlier_from(current)
    # Versions compare as numbers: 9.0.0 is before 10.0.0 and later than 2.0.0; 11.0.0 is not earlier.
    for version in ("2.0.0", "9.0.0", "11.0.0"):
        (tmp_path / f"{version}.json").write_text(json.dumps(old | {"edition": version}))
    later = edition.Edition("10.0.0", date(2028, 1, 1), "T", ("A",), None)
    result = changes.for_edition(later, tmp_path, current)
    assert result.previous["edition"] == "9.0.0"
    assert "Since edition 9.0.0 (1 June 2026)" in changes.reading(result)


def test_the_recorded_baseline_is_the_current_editions():
    ed = edition.current()
    baseline = json.loads(changes.baseline_path(ed.version).read_text(encoding="utf-8"))
    assert baseline["edition"] == ed.version and baseline["released"] == ed.released.isoformat()
    names = {r["name"] for r in json.loads(DATAPACKAGE.read_text(encoding="utf-8"))["resources"]}
    assert set(baseline["tables"]) == names
