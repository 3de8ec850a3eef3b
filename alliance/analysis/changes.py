"""What changed in this edition: the data and the scorecard compared with an earlier edition.

Each edition records a baseline, ``data/editions/<version>.json``: for every table of the data
package, each row's primary key and a digest of its contents, and for every scored claim its
status, its evidence reference and each of its tests' results with the evidence value they read.
The page "What changed in this edition" compares the current data with the baseline of the latest
EARLIER edition; the first edition has none, and shows its own baseline instead.

A table without a primary key (none has one missing today; the rule is written for the day one
does) is keyed by the digest of the row itself: its rows can only be added or removed, never
changed, and identical rows are told apart by their order of occurrence.

Run ``python -m alliance.analysis.changes record`` (``make edition``) once per edition, when it is released:
it writes the baseline for the version in CITATION.cff and refuses to overwrite one.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from alliance.data import datapkg
from alliance.data import edition as editions
from alliance.data.paths import CHAPTERS_DIR, DATA_DIR, DATAPACKAGE, ROOT
from alliance.present.tables import Table

BASELINE_DIR = DATA_DIR / "editions"
FORMAT = 1
KEY_SEPARATOR = "|"
# 16 hex digits (64 bits): no two of a table's few thousand rows share one by chance.
DIGEST_CHARS = 16
NOT_SCORED = "not scored"


def version_tuple(version: str) -> tuple[int, ...]:
    """'1.10.0' -> (1, 10, 0), so versions sort as numbers, not as text."""
    return tuple(int(part) for part in version.split("."))


def row_digest(record: dict[str, str]) -> str:
    """Digest of a row's non-empty cells by column name: a new column left blank in old rows, or a
    reordering of columns, does not count as a change to every row."""
    cells = {name: value for name, value in record.items() if value != ""}
    text = json.dumps(cells, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def table_snapshot(path: Path, key: list[str] | None) -> dict:
    """A table's columns and {row key: digest}; see the module docstring for tables without a key."""
    with open(path, encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    columns = list(records[0].keys()) if records else []
    rows: dict[str, str] = {}
    for record in records:
        digest = row_digest(record)
        if key:
            values = [record[name] for name in key]
            if any(KEY_SEPARATOR in v for v in values):
                raise ValueError(f"{path.name}: a key value contains {KEY_SEPARATOR!r}: {values}")
            row_key = KEY_SEPARATOR.join(values)
        else:
            n = sum(1 for k in rows if k.split("#")[0] == digest) + 1
            row_key = digest if n == 1 else f"{digest}#{n}"
        rows[row_key] = digest
    return {"key": key, "columns": columns, "rows": dict(sorted(rows.items()))}


def claims_snapshot(tested: pd.DataFrame, outcomes: pd.DataFrame, events: pd.DataFrame, glue: dict) -> dict:
    """Every scored claim's status and evidence reference, and its tests with result and evidence."""
    from alliance.analysis.verdicts import describe_evidence

    claims = {}
    for _, row in outcomes.iterrows():
        claims[row["claim_id"]] = {"status": row["status"], "evidence": row["evidence"], "tests": {}}
    for _, test in tested.iterrows():
        claims[test["claim_id"]]["tests"][test["test_id"]] = {
            "measure": test["measure"],
            "evidence": test["evidence"],
            "value": describe_evidence(test, events, glue),
            "result": test["result"],
        }
    return dict(sorted(claims.items()))


def snapshot(package_path: Path = DATAPACKAGE, chapters_dir: Path = CHAPTERS_DIR) -> dict:
    """The current data and scorecard as a baseline records them (without the edition's name)."""
    from alliance.analysis import verdicts

    descriptor = datapkg.read_descriptor(package_path)
    tables = {}
    for res in descriptor["resources"]:
        path = package_path.parent / res["path"]
        datapkg._log_read(path)
        key = res["schema"].get("primaryKey")
        tables[res["name"]] = table_snapshot(path, [key] if isinstance(key, str) else key)
    load = {name: datapkg.load_table(name, package_path) for name in ("claim_tests", "claim_outcomes", "claims")}
    events = datapkg.load_table("events", package_path)
    developments = datapkg.load_table("developments", package_path)
    tested, outcomes, glue = verdicts.compute(
        load["claim_tests"], load["claim_outcomes"], load["claims"], events, developments, chapters_dir
    )
    return {
        "format": FORMAT,
        "data_as_of": descriptor["as_of"],
        "tables": tables,
        "claims": claims_snapshot(tested, outcomes, events, glue),
    }


def baseline_path(version: str, directory: Path = BASELINE_DIR) -> Path:
    return directory / f"{version}.json"


def record(ed: editions.Edition, directory: Path = BASELINE_DIR, **where) -> Path:
    """Write the baseline of edition ``ed``; an edition's baseline is never overwritten."""
    path = baseline_path(ed.version, directory)
    if path.exists():
        raise FileExistsError(
            f"{path} exists: edition {ed.version} has its baseline; raise the version in CITATION.cff"
        )
    data = {"edition": ed.version, "released": ed.released.isoformat(), **snapshot(**where)}
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_baseline(path: Path) -> dict:
    datapkg._log_read(path)  # the changes page is re-executed when a baseline changes
    return json.loads(path.read_text(encoding="utf-8"))


def earlier_baseline(version: str, directory: Path = BASELINE_DIR) -> Path | None:
    """The baseline of the latest edition before ``version``, or None for the first edition."""
    earlier = [p for p in directory.glob("*.json") if version_tuple(p.stem) < version_tuple(version)]
    return max(earlier, key=lambda p: version_tuple(p.stem), default=None)


@dataclass
class Changes:
    """The comparison of the current data with an earlier edition's baseline (``previous``), or,
    for the first edition (``previous`` None), the edition's own baseline (``baseline``)."""

    edition: str
    previous: dict | None
    current: dict
    baseline: dict | None = None
    tables: pd.DataFrame = field(default_factory=pd.DataFrame)
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    claims: pd.DataFrame = field(default_factory=pd.DataFrame)


def compare_tables(old: dict, new: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per table: rows then, now, added, changed, removed, column changes; every row that changed)."""
    summary, rows = [], []
    for name in sorted(set(old) | set(new)):
        before = old.get(name, {"rows": {}, "columns": []})
        after = new.get(name, {"rows": {}, "columns": []})
        then, now = before["rows"], after["rows"]
        moved = {
            "added": sorted(set(now) - set(then)),
            "changed": sorted(k for k in set(now) & set(then) if now[k] != then[k]),
            "removed": sorted(set(then) - set(now)),
        }
        for change, keys in moved.items():
            rows += [{"table": name, "key": k, "change": change} for k in keys]
        notes = []
        if name not in old:
            notes.append("new table")
        elif name not in new:
            notes.append("table removed")
        else:
            added_cols = [c for c in after["columns"] if c not in before["columns"]]
            removed_cols = [c for c in before["columns"] if c not in after["columns"]]
            if added_cols:
                notes.append("columns added: " + ", ".join(added_cols))
            if removed_cols:
                notes.append("columns removed: " + ", ".join(removed_cols))
            if before.get("key") != after.get("key"):
                notes.append("primary key changed")
        summary.append(
            {"table": name, "rows_then": len(then), "rows_now": len(now)}
            | {change: len(keys) for change, keys in moved.items()}
            | {"note": "; ".join(notes)}
        )
    return pd.DataFrame(summary), pd.DataFrame(rows, columns=["table", "key", "change"])


def _moved_tests(old: dict, new: dict) -> list[str]:
    """The tests whose evidence or result differs between two records of one claim."""
    old_tests, new_tests = old.get("tests", {}), new.get("tests", {})
    lines = []
    for test_id in sorted(set(old_tests) | set(new_tests)):
        a, b = old_tests.get(test_id), new_tests.get(test_id)
        if a is None:
            lines.append(f"new test, {b['measure']}: {b['value']} ({b['result']})")
        elif b is None:
            lines.append(f"test dropped, {a['measure']} (was {a['result']})")
        elif (a["value"], a["result"], a["evidence"]) != (b["value"], b["result"], b["evidence"]):
            value = b["value"] if a["value"] == b["value"] else f"{a['value']} → {b['value']}"
            result = b["result"] if a["result"] == b["result"] else f"{a['result']} → {b['result']}"
            lines.append(f"{b['measure']}: {value} ({result})")
    return lines


def compare_claims(old: dict, new: dict) -> pd.DataFrame:
    """Claims whose status changed, each with the evidence that moved it."""
    rows = []
    for claim_id in sorted(set(old) | set(new)):
        a, b = old.get(claim_id, {}), new.get(claim_id, {})
        then, now = a.get("status", NOT_SCORED), b.get("status", NOT_SCORED)
        if then == now:
            continue
        moved = _moved_tests(a, b)
        if not moved and a.get("evidence") != b.get("evidence"):
            moved = [f"evidence {a.get('evidence', '')} → {b.get('evidence', '')}"]
        rows.append(
            {
                "claim_id": claim_id,
                "status_then": then,
                "status_now": now,
                # No test moved: the rule, the claim's kind or a condition changed the status.
                "evidence": "; ".join(moved) or "no test's evidence or result changed (the rule or the claim changed)",
            }
        )
    return pd.DataFrame(rows, columns=["claim_id", "status_then", "status_now", "evidence"])


def compare(previous: dict, current: dict, version: str) -> Changes:
    tables, rows = compare_tables(previous["tables"], current["tables"])
    return Changes(
        version,
        previous,
        current,
        tables=tables,
        rows=rows,
        claims=compare_claims(previous["claims"], current["claims"]),
    )


def for_edition(ed: editions.Edition, directory: Path = BASELINE_DIR, current: dict | None = None) -> Changes:
    """The changes of edition ``ed``: the current data against the latest earlier baseline, or
    the edition's own baseline when there is no earlier one."""
    current = current if current is not None else snapshot()
    earlier = earlier_baseline(ed.version, directory)
    if earlier is not None:
        return compare(load_baseline(earlier), current, ed.version)
    own = baseline_path(ed.version, directory)
    if not own.exists():
        raise FileNotFoundError(f"no baseline for edition {ed.version}: run `make edition`")
    baseline = load_baseline(own)
    summary = pd.DataFrame(
        [
            {"table": name, "rows_now": len(t["rows"]), "key": ", ".join(t["key"] or ["(whole row)"])}
            for name, t in sorted(baseline["tables"].items())
        ]
    )
    return Changes(ed.version, None, current, baseline=baseline, tables=summary)


def unrecorded(result: Changes) -> pd.DataFrame:
    """For the first edition: how the current data differ from the edition's own baseline (rows
    edited after it was recorded); empty when they match."""
    tables, _ = compare_tables(result.baseline["tables"], result.current["tables"])
    return tables[tables[["added", "changed", "removed"]].sum(axis=1).gt(0)]


# --- for the page ---------------------------------------------------------------------------


def reading(result: Changes) -> str:
    """The page's opening sentences about this edition's changes."""
    if result.previous is None:
        n_rows = int(result.tables["rows_now"].sum())
        text = (
            f"This is the first edition, so nothing is compared: its baseline records "
            f"{n_rows:,} rows in {len(result.tables)} tables and the status of "
            f"{len(result.baseline['claims'])} scored claims, against which the next edition will be compared."
        )
        late = unrecorded(result)
        if not late.empty:
            text += (
                " The data have changed since the baseline was recorded, in "
                + ", ".join(late["table"])
                + "; the next edition's page will count those changes too."
            )
        return text
    totals = result.tables[["added", "changed", "removed"]].sum()
    released = result.previous["released"]
    return (
        f"Since edition {result.previous['edition']} ({editions.long_date(date.fromisoformat(released))}), "
        f"{totals['added']:,} rows were added, {totals['changed']:,} changed and {totals['removed']:,} removed "
        f"across {int(result.tables[['added', 'changed', 'removed']].sum(axis=1).gt(0).sum())} tables, "
        f"and {len(result.claims)} scored claims changed status."
    )


def keys_sentence(result: Changes) -> str:
    """Whether every table of the data has a primary key, and if not, which lack one."""
    tables = result.current["tables"]
    keyless = sorted(name for name, t in tables.items() if not t["key"])
    if not keyless:
        return "Every file of this edition has a primary key."
    titles = _table_titles()
    return f"{len(keyless)} of this edition's files have none: " + ", ".join(titles.get(n, n) for n in keyless) + "."


def _table_titles(package_path: Path = DATAPACKAGE) -> dict[str, str]:
    """A table as readers know it: its title in the data package and its file."""
    return {r["name"]: f"{r['title']} ({r['path']})" for r in datapkg.read_descriptor(package_path)["resources"]}


def table_tables(result: Changes) -> Table:
    """Per table: rows, and (against an earlier edition) rows added, changed and removed."""
    titles = _table_titles()
    if result.previous is None:
        # The key's column names are in the data package's description of each file.
        frame = result.tables.drop(columns=["key"]).rename(columns={"table": "Table", "rows_now": "Rows (n)"})
        frame["Table"] = frame["Table"].map(lambda name: titles.get(name, name))
        return Table(
            frame,
            label="Tables in this edition's baseline",
            caption=f"The tables edition {result.edition} records, with their rows.",
        )
    frame = result.tables.rename(
        columns={
            "table": "Table",
            "rows_then": f"Rows in {result.previous['edition']} (n)",
            "rows_now": "Rows now (n)",
            "added": "Added",
            "changed": "Changed",
            "removed": "Removed",
            "note": "Columns and keys",
        }
    )
    frame["Table"] = frame["Table"].map(lambda name: titles.get(name, name))
    return Table(
        frame,
        label="Rows changed per table",
        caption=f"Rows added, changed and removed in each table since edition {result.previous['edition']}.",
    )


def table_rows(result: Changes):
    """Every row added, changed or removed, by table and key (a note for the first edition)."""
    if result.previous is None:
        return Markdown("The first edition has no earlier rows to compare; its baseline lists each row's key.")
    if result.rows.empty:
        return Markdown("No row was added, changed or removed.")
    frame = result.rows.rename(columns={"table": "Table", "key": "Row (primary key)", "change": "Change"})
    return Table(
        frame,
        label="Rows added, changed and removed",
        caption="Each row added, changed or removed, by its primary key ('|' joins the parts of a key).",
    )


def table_claims(result: Changes, claims: pd.DataFrame):
    """Scored claims whose status changed and the evidence that moved them; for the first edition,
    the statuses its baseline records."""
    from alliance.analysis.scorecard import STATUS_LABELS, claim_short

    text = claims.set_index("claim_id")["claim"]
    label = {**STATUS_LABELS, NOT_SCORED: "Not scored"}
    if result.previous is None:
        recorded = result.baseline["claims"]
        frame = pd.DataFrame(
            {
                "Claim number": [claim_short(c) for c in recorded],
                "Claim": [text.get(c, c) for c in recorded],
                "Status recorded": [label.get(r["status"], r["status"]) for r in recorded.values()],
            }
        )
        return Table(
            frame,
            label="Statuses in this edition's baseline",
            caption=f"The status of every scored claim as edition {result.edition} records it (the scorecard "
            "chapter gives the evidence for each).",
        )
    if result.claims.empty:
        return Markdown("No scored claim changed status.")
    frame = pd.DataFrame(
        {
            "Claim number": result.claims["claim_id"].map(claim_short),
            "Claim": result.claims["claim_id"].map(lambda c: text.get(c, c)),
            f"Status in {result.previous['edition']}": result.claims["status_then"].map(lambda s: label.get(s, s)),
            "Status now": result.claims["status_now"].map(lambda s: label.get(s, s)),
            "Evidence that moved it": result.claims["evidence"],
        }
    )
    return Table(
        frame,
        label="Status changes",
        caption=f"Scored claims whose status changed since edition {result.previous['edition']}.",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "command", choices=["record", "show"], help="record: write this edition's baseline; show: print what changed"
    )
    args = parser.parse_args(argv)
    ed = editions.current()
    if args.command == "record":
        try:
            path = record(ed)
        except FileExistsError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"baseline of edition {ed.version} written to {path.relative_to(ROOT)}")
        return 0
    result = for_edition(ed)
    print(reading(result))
    print(result.tables.to_string(index=False))
    if not result.claims.empty:
        print(result.claims.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
