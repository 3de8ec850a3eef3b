"""The data command refuses bad input with a message naming file, row, column and rule."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from alliance.build.validate import validate

EVENTS = "events.csv"


def messages(data_copy) -> list[str]:
    return [str(p) for p in validate(data_copy.package)]


def assert_refused(data_copy, file: str, row: int | None, column: str | None, rule: str) -> None:
    found = messages(data_copy)
    where = f"{file}:" if row is not None or column is not None else file
    if row is not None:
        where += f" row {row}"
    if column is not None:
        where += f'{"," if row is not None else ""} column "{column}"'
    expected = f"{where}: {rule}:"
    assert any(expected in m for m in found), f"expected a problem containing {expected!r}, got {found[:5]}"


def test_real_package_is_valid():
    assert [str(p) for p in validate()] == []


def test_copy_is_valid_before_mutation(data_copy):
    assert messages(data_copy) == []


# One bad cell each: (case, file, line, column, bad value, rule the message must name).
BAD_CELLS = [
    ("wrong type", EVENTS, 5, "date", "2024-13-01", "type-error"),
    ("impossible date", EVENTS, 6, "date", "2024-02-30", "type-error"),
    ("dangling source_id", EVENTS, 7, "source_id", "no-such-source", "foreign-key"),
    ("unknown country code", EVENTS, 8, "country_codes", "USA;XKX", "foreign-key"),
    ("country named twice", EVENTS, 8, "country_codes", "USA;JPN;USA", "duplicate-list-item"),
    ("date before range", EVENTS, 9, "date", "1900-01-01", "constraint-error"),
    ("date after as-of", EVENTS, 9, "date", "2099-01-01", "after-as-of"),
    ("empty required field", EVENTS, 10, "title", "", "constraint-error"),
    ("value outside enum", EVENTS, 11, "category", "coup", "constraint-error"),
    ("non-web source url", "sources.csv", 2, "url", "javascript:alert(1)", "constraint-error"),
]


# Rules across the fields of a row, the rows of a table and the tables of the package.
CROSS_FIELD_CELLS = [
    # (case, file, line, column, bad value, rule)
    ("tie ends before it starts", "security_ties.csv", 3, "end_date", "1952-01-01", "end-before-start"),
    ("prime minister leaves before taking office", "leaders.csv", 2, "end_date", "2012-01-01", "end-before-start"),
    ("member leaves before it joins", "tie_members.csv", 10, "left_date", "2024-01-01", "end-before-start"),
    ("member joins before the tie starts", "tie_members.csv", 10, "joined_date", "1990-01-01", "member-before-tie"),
    ("approval plus disapproval above 100", "approval_polls.csv", 2, "disapprove_pct", "70", "sum-above-limit"),
    ("brief's low figure above its high", "brief_figures.csv", 2, "figure_high", "5", "low-above-high"),
    ("publication date that is no date", "sources.csv", 2, "date_published", "2024-02-30", "type-error"),
    ("publication month that is no month", "sources.csv", 2, "date_published", "2024-13", "type-error"),
    ("publication date after as-of", "sources.csv", 2, "date_published", "2099-01-01", "after-as-of"),
    ("boolean in capitals", "security_ties.csv", 3, "is_formal_alliance", "TRUE", "type-error"),
    ("boolean as a digit", "security_ties.csv", 3, "is_formal_alliance", "1", "type-error"),
    ("number that overflows to infinity", "sipri_milex.csv", 3, "milex_constant_2022_usd_m", "1e999", "not-finite"),
    ("evidence naming no event", "claim_outcomes.csv", 2, "evidence", "event:ev-no-such-event", "unknown-evidence"),
    (
        "evidence naming no glue key",
        "claim_outcomes.csv",
        2,
        "evidence",
        "glue:02_lattice::no_such_key",
        "unknown-evidence",
    ),
    ("formula with =", EVENTS, 5, "title", '=HYPERLINK("http://example.org","x")', "formula-prefix"),
    ("formula with @", EVENTS, 5, "note", "@SUM(A1:A9)", "formula-prefix"),
    ("formula with + and a letter", EVENTS, 5, "title", "+cmd|' /C calc'!A0", "formula-prefix"),
    ("formula with - and a letter", EVENTS, 5, "title", "-cmd", "formula-prefix"),
    ("right-to-left override", EVENTS, 5, "title", "Treaty \u202esigned", "bidi-control"),
    ("line break in a key", "leaders.csv", 2, "person", "Shinzo\nAbe", "line-break-in-key"),
    # Line 27 is the Japan-Australia RAA's entry into force; line 19 of security_ties is that tie.
    ("agreement in force before it is signed", "tie_dates.csv", 26, "date", "2021-01-01", "end-before-start"),
    ("tie starting off its own dated step", "security_ties.csv", 19, "start_date", "2023-08-14", "start-not-its-date"),
    ("start basis outside the vocabulary", "security_ties.csv", 19, "start_basis", "ratified", "constraint-error"),
]

ALL_BAD_CELLS = BAD_CELLS + CROSS_FIELD_CELLS


@pytest.mark.parametrize(
    ("case", "file", "line", "column", "value", "rule"), ALL_BAD_CELLS, ids=[c[0] for c in ALL_BAD_CELLS]
)
def test_bad_cell_is_refused(data_copy, case, file, line, column, value, rule):
    data_copy.set_cell(file, line, column, value)
    assert_refused(data_copy, file, line, column, rule)


def test_missing_column(data_copy):
    rows = data_copy.rows(EVENTS)
    col = rows[0].index("category")
    data_copy.write_rows(EVENTS, [r[:col] + r[col + 1 :] for r in rows])
    assert_refused(data_copy, EVENTS, 1, "category", "missing-column")
    assert len(messages(data_copy)) == 1  # one message, not one per shifted cell


def test_unknown_extra_column(data_copy):
    rows = data_copy.rows(EVENTS)
    data_copy.write_rows(EVENTS, [rows[0] + ["comment"]] + [r + ["x"] for r in rows[1:]])
    assert_refused(data_copy, EVENTS, 1, "comment", "unknown-column")


def test_duplicate_key(data_copy):
    rows = data_copy.rows(EVENTS)
    rows[3][0] = rows[2][0]
    data_copy.write_rows(EVENTS, rows)
    assert_refused(data_copy, EVENTS, 4, "event_id", "primary-key")


def test_malformed_csv_extra_cell(data_copy):
    rows = data_copy.rows(EVENTS)
    rows[11].append("stray")
    data_copy.write_rows(EVENTS, rows)
    assert_refused(data_copy, EVENTS, 12, None, "extra-cell")


def test_link_to_a_second_source_is_refused(data_copy):
    rows = data_copy.rows(EVENTS)
    head = rows[0]
    link, key = head.index("same_event_as"), head.index("event_id")
    second = next(i for i, r in enumerate(rows[1:], start=1) if r[link])
    first = next(i for i, r in enumerate(rows[1:], start=1) if not r[link] and r[key] != rows[second][link])
    rows[first][link] = rows[second][key]
    data_copy.write_rows(EVENTS, rows)
    assert_refused(data_copy, EVENTS, first + 1, "same_event_as", "chained-link")


def test_not_utf8(data_copy):
    data_copy.set_cell(EVENTS, 5, "title", "Marker ZZZ")
    path = data_copy.dir / EVENTS
    path.write_bytes(path.read_bytes().replace(b"ZZZ", "\xe1".encode("latin-1")))
    assert_refused(data_copy, EVENTS, 5, "title", "encoding-error")


def test_empty_file(data_copy):
    (data_copy.dir / EVENTS).write_text("", encoding="utf-8")
    assert_refused(data_copy, EVENTS, None, None, "empty-file")


def test_listed_resource_missing_on_disk(data_copy):
    (data_copy.dir / EVENTS).unlink()
    assert_refused(data_copy, EVENTS, None, None, "missing-file")


@pytest.mark.parametrize("broken", [True, False])
def test_command_exit_code_and_output(data_copy, broken):
    if broken:
        data_copy.set_cell(EVENTS, 5, "category", "coup")
    result = subprocess.run(
        [sys.executable, "-m", "alliance.build.validate", str(data_copy.package)], capture_output=True, text=True
    )
    assert result.returncode == (1 if broken else 0)
    if broken:
        assert 'events.csv: row 5, column "category": constraint-error:' in result.stdout
        assert "nothing was executed or built" in result.stderr


# --- the wider corpus: encodings, line ends, keys, columns, numbers, memberships ------------


def test_byte_order_mark_is_refused(data_copy):
    path = data_copy.dir / EVENTS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert_refused(data_copy, EVENTS, 1, None, "byte-order-mark")


def test_crlf_line_ends_are_accepted_and_read_the_same(data_copy):
    from alliance.data import datapkg

    path = data_copy.dir / EVENTS
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert messages(data_copy) == []
    original = datapkg.load_table("events")
    crlf = datapkg.load_table("events", package_path=data_copy.package)
    pd.testing.assert_frame_equal(original, crlf)


def test_trailing_space_in_a_key_is_refused(data_copy):
    rows = data_copy.rows(EVENTS)
    data_copy.set_cell(EVENTS, 5, "event_id", rows[4][0] + " ")
    assert_refused(data_copy, EVENTS, 5, "event_id", "constraint-error")


def test_duplicate_column_names_are_refused(data_copy):
    rows = data_copy.rows(EVENTS)
    data_copy.write_rows(EVENTS, [rows[0] + ["note"]] + [r + [""] for r in rows[1:]])
    assert_refused(data_copy, EVENTS, 1, "note", "duplicate-column")


@pytest.mark.parametrize("value", ["NaN", "inf", "-Infinity"])
def test_non_finite_numbers_are_refused(data_copy, value):
    data_copy.set_cell("sipri_milex.csv", 3, "milex_share_gdp_pct", value)
    assert_refused(data_copy, "sipri_milex.csv", 3, "milex_share_gdp_pct", "not-finite")


def test_a_tie_listing_a_country_twice_is_refused(data_copy):
    rows = data_copy.rows("tie_members.csv")
    rows.append(list(rows[1]))
    data_copy.write_rows("tie_members.csv", rows)
    assert_refused(data_copy, "tie_members.csv", len(rows), "tie_id,country_code,spell_n", "primary-key")


def test_impossible_date_in_another_table(data_copy):
    data_copy.set_cell("security_ties.csv", 3, "start_date", "2023-02-29")
    assert_refused(data_copy, "security_ties.csv", 3, "start_date", "type-error")


def test_date_after_as_of_in_another_table(data_copy):
    data_copy.set_cell("defense_transfers.csv", 2, "contract_date", "2031-01-01")
    assert_refused(data_copy, "defense_transfers.csv", 2, "contract_date", "after-as-of")


def test_refused_update_leaves_chapters_and_build_untouched(tmp_path):
    """`make update` runs `alliance.build.execute --validate-first`: with bad data nothing is executed."""
    import hashlib
    import os
    import shutil

    from alliance.data.paths import ROOT

    root = tmp_path / "book"
    shutil.copytree(
        ROOT,
        root,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache", "html", "latex", "screenshots"
        ),
    )
    (root / "_build").mkdir(exist_ok=True)
    (root / "_build" / "marker.txt").write_text("built", encoding="utf-8")
    events = root / "data" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",treaty,", ",coup,", 1), encoding="utf-8")

    def snapshot() -> dict[str, str]:
        files = sorted(p for d in ("chapters", "_build") for p in (root / d).rglob("*") if p.is_file())
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}

    before = snapshot()
    result = subprocess.run(
        [sys.executable, "-m", "alliance.build.execute", "--validate-first", "--all"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert 'column "category": constraint-error' in result.stdout
    assert "no chapter was executed" in result.stderr
    assert snapshot() == before


def test_make_targets_validate_before_they_run_or_build():
    from alliance.data.paths import ROOT

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("update", "book", "pdf", "test"):
        line = next(line for line in makefile.splitlines() if line.startswith(f"{target}:"))
        assert "validate" in line, target


# --- rules across fields, rows and tables: one mutated copy of a real file per rule ---------


def test_a_negative_number_is_not_a_formula(data_copy):
    data_copy.set_cell(EVENTS, 5, "note", "-2 points on the month before")
    assert messages(data_copy) == []


def test_key_differing_only_by_case_is_refused(data_copy):
    rows = data_copy.rows("leaders.csv")
    copy = list(rows[1])
    copy[1] = copy[1].upper()
    rows.append(copy)
    data_copy.write_rows("leaders.csv", rows)
    assert_refused(data_copy, "leaders.csv", len(rows), "office,person,start_date", "near-duplicate-key")


def test_table_with_header_and_no_rows_is_refused(data_copy):
    data_copy.write_rows("spending_targets.csv", data_copy.rows("spending_targets.csv")[:1])
    assert_refused(data_copy, "spending_targets.csv", None, None, "no-rows")


def _edit_descriptor(data_copy, edit) -> None:
    import json

    descriptor = json.loads(data_copy.package.read_text(encoding="utf-8"))
    edit(descriptor)
    data_copy.package.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def _resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def _field(descriptor: dict, resource: str, name: str) -> dict:
    return next(f for f in _resource(descriptor, resource)["schema"]["fields"] if f["name"] == name)


DESCRIPTOR_CASES = [
    ("as_of that is no date", lambda d: d.update(as_of="2026-13-01"), "descriptor-error"),
    ("resource path outside data", lambda d: _resource(d, "events").update(path="../events.csv"), "path-outside-data"),
    ("absolute resource path", lambda d: _resource(d, "events").update(path="/etc/passwd"), "path-outside-data"),
    (
        "remote profile",
        lambda d: _resource(d, "events").update(profile="https://example.org/profile.json"),
        "remote-reference",
    ),
    (
        "remote dialect",
        lambda d: _resource(d, "events").update(dialect="https://example.org/d.json"),
        "remote-reference",
    ),
    ("remote package profile", lambda d: d.update(profile="http://example.org/p.json"), "remote-reference"),
    (
        "minimum that does not fit the type",
        lambda d: _field(d, "events", "date")["constraints"].update(minimum="soon"),
        "descriptor-error",
    ),
    (
        "boolean that accepts TRUE",
        lambda d: _field(d, "security_ties", "is_formal_alliance").update(trueValues=["true", "TRUE"]),
        "descriptor-error",
    ),
    (
        "coverage on a text field",
        lambda d: _resource(d, "events")["x-coverage"].update(field="title"),
        "descriptor-error",
    ),
    (
        "coverage of an unknown kind of series",
        lambda d: _resource(d, "approval_polls")["x-coverage"].update(series="sometimes"),
        "descriptor-error",
    ),
]


@pytest.mark.parametrize(("case", "edit", "rule"), DESCRIPTOR_CASES, ids=[c[0] for c in DESCRIPTOR_CASES])
def test_descriptor_error_is_one_line(data_copy, case, edit, rule):
    _edit_descriptor(data_copy, edit)
    result = subprocess.run(
        [sys.executable, "-m", "alliance.build.validate", str(data_copy.package)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"datapackage.json: {rule}:" in result.stdout, result.stdout


def _line_where(data_copy, file: str, **match) -> int:
    rows = data_copy.rows(file)
    head = rows[0]
    return next(i for i, r in enumerate(rows[1:], start=2) if all(r[head.index(k)] == v for k, v in match.items()))


def test_preferred_seats_above_the_chamber_are_refused(data_copy):
    line = _line_where(data_copy, "diet_seats.csv", party_id="ldp", is_preferred="true", chamber="representatives")
    data_copy.set_cell("diet_seats.csv", line, "seats_n", "470")
    assert_refused_anywhere(data_copy, "diet_seats.csv", "seats_n", "sum-above-limit")


def test_two_preferred_rows_for_one_fact_are_refused(data_copy):
    line = _line_where(data_copy, "diet_seats.csv", is_preferred="false")
    data_copy.set_cell("diet_seats.csv", line, "is_preferred", "true")
    data_copy.set_cell("diet_seats.csv", line, "alt_reason", "")
    assert_refused_anywhere(data_copy, "diet_seats.csv", "is_preferred", "preferred-count")


def test_a_fact_with_no_preferred_row_is_refused(data_copy):
    line = _line_where(data_copy, "defense_budgets.csv", is_preferred="true")
    data_copy.set_cell("defense_budgets.csv", line, "is_preferred", "false")
    data_copy.set_cell("defense_budgets.csv", line, "alt_reason", "conflicting-value")
    assert_refused(data_copy, "defense_budgets.csv", line, "is_preferred", "preferred-count")


def test_an_alternative_without_its_reason_is_refused(data_copy):
    line = _line_where(data_copy, "events.csv", is_preferred="false")
    data_copy.set_cell("events.csv", line, "alt_reason", "")
    assert_refused(data_copy, "events.csv", line, "alt_reason", "alternative-without-reason")


def test_a_weak_source_must_say_why_it_is_kept(data_copy):
    line = _line_where(data_copy, "sources.csv", kind="aggregator")
    data_copy.set_cell("sources.csv", line, "weak_reason", "")
    assert_refused(data_copy, "sources.csv", line, "weak_reason", "required-when")


def test_a_fact_typed_twice_is_refused(data_copy):
    rows = data_copy.rows("leaders.csv")
    copy = list(rows[1])
    copy[rows[0].index("note")] = "same term again"
    rows.append(copy)
    data_copy.write_rows("leaders.csv", rows)
    assert_refused_anywhere(data_copy, "leaders.csv", "office,person,start_date", "primary-key")


def test_a_source_kind_outside_the_vocabulary_is_refused(data_copy):
    data_copy.set_cell("sources.csv", 2, "kind", "news")
    assert_refused(data_copy, "sources.csv", 2, "kind", "constraint-error")


def assert_refused_anywhere(data_copy, file: str, column: str, rule: str) -> None:
    found = messages(data_copy)
    assert any(f"{file}:" in m and f'column "{column}": {rule}:' in m for m in found), found[:5]
