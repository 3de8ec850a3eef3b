"""Validate the data package; print one line per error and exit non-zero on any.

Each line names the file, the row (the header is row 1, so row N is line N of a file with no
multi-line cells), the column and the rule broken::

    data/events.csv: row 12, column "date": type-error: "2024-02-30" is not a valid date

Frictionless checks types, constraints, primary and foreign keys, headers and CSV shape; this
module adds the rules Frictionless cannot express: list-valued foreign keys (``x-list-of``),
dates after the data's as-of date, the encoding, and the rule that every fact table cites a
source.

Run as ``python -m alliance.validate [path/to/datapackage.json]``.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from alliance.paths import DATAPACKAGE, ROOT

# Tables that are registries rather than facts, so they carry no source_id of their own.
REGISTRY_TABLES = {"sources", "countries"}
SOURCE_TABLE, SOURCE_KEY = "sources", "source_id"
# Spellings of not-a-number and infinity that CSV readers would otherwise turn into floats.
_NOT_FINITE = {"nan", "inf", "infinity"}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f" row {self.row}")
        if self.column:
            where.append(f'{"," if self.row is not None else ""} column "{self.column}"')
        return f"{where[0]}:{''.join(where[1:])}: {self.rule}: {self.message}"


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]] | None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return None
    return rows[0], rows[1:]


def _check_files(descriptor: dict, base: Path) -> list[Problem]:
    """Problems that stop a file from being read at all: missing, empty, or not UTF-8."""
    problems = []
    for res in descriptor.get("resources", []):
        path = base / res["path"]
        shown = _display_path(path)
        if not path.is_file():
            problems.append(
                Problem(
                    shown,
                    None,
                    None,
                    "missing-file",
                    f"resource {res['name']!r} is listed in datapackage.json but the file does not exist",
                )
            )
            continue
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            problems.append(
                Problem(
                    shown,
                    1,
                    None,
                    "byte-order-mark",
                    "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM",
                )
            )
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            problems.append(
                Problem(
                    shown,
                    line,
                    _column_at(raw, exc.start),
                    "encoding-error",
                    f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not UTF-8; save the file as UTF-8",
                )
            )
            continue
        if not text.strip():
            problems.append(Problem(shown, None, None, "empty-file", "the file has no header and no rows"))
            continue
        problems += _header_problems(shown, next(csv.reader(text.splitlines())), res["schema"]["fields"])
    return problems


def _column_at(raw: bytes, offset: int) -> str | None:
    """The header name of the column holding byte ``offset`` (for an encoding error)."""
    text = raw.decode("utf-8", errors="replace")
    lines = text.splitlines()
    line_no = raw[:offset].count(b"\n")
    header = next(csv.reader(lines[:1]), [])
    cells = next(csv.reader(lines[line_no : line_no + 1]), [])
    for name, cell in zip(header, cells, strict=False):
        if "\ufffd" in cell:
            return name
    return None


def _header_problems(shown: str, header: list[str], fields: list[dict]) -> list[Problem]:
    """Columns are matched by name: a missing, unknown or repeated column is named once here,
    instead of shifting every later column and failing every row."""
    expected = [f["name"] for f in fields]
    problems = []
    for name in sorted({n for n in header if header.count(n) > 1}):
        problems.append(Problem(shown, 1, name, "duplicate-column", f"column {name!r} appears more than once"))
    for name in expected:
        if name not in header:
            problems.append(Problem(shown, 1, name, "missing-column", "the schema requires this column"))
    for name in header:
        if name not in expected:
            problems.append(
                Problem(shown, 1, name, "unknown-column", f"not in the schema; expected columns: {', '.join(expected)}")
            )
    if not problems and header != expected:
        problems.append(
            Problem(shown, 1, None, "column-order", f"columns must be in schema order: {', '.join(expected)}")
        )
    return problems


def _frictionless_problems(package_path: Path) -> list[Problem]:
    from frictionless import Package, system

    with system.use_context(trusted=True):
        package = Package(str(package_path))
        report = package.validate()
    problems = []
    for error in report.errors:  # package-level (descriptor) errors
        problems.append(Problem(_display_path(package_path), None, None, error.type, error.message))
    for task in report.tasks:
        shown = _display_path(package_path.parent / task.place)
        for error in task.errors:
            info = error.to_descriptor()
            column = info.get("fieldName") or ",".join(info.get("fieldNames", [])) or None
            if error.type == "primary-key":
                column = ",".join(package.get_resource(task.name).schema.primary_key)
            row = info.get("rowNumber") or (1 if error.type.endswith("label") else None)
            problems.append(Problem(shown, row, column, error.type, _explain(error.type, info)))
    return problems


def _explain(kind: str, info: dict) -> str:
    """A reader's version of Frictionless's note, quoting the offending cell."""
    cell = info.get("cell")
    if kind == "type-error":
        wanted = info["note"].removeprefix('type is "').split("/")[0]
        return f"{cell!r} is not a valid {wanted}"
    if kind == "constraint-error":
        return f"{cell!r} breaks the rule {info['note']}"
    if kind == "foreign-key":
        return info["note"]
    return info.get("note") or info["message"]


def _index(descriptor: dict, base: Path, name: str, field: str) -> set[str]:
    for res in descriptor["resources"]:
        if res["name"] == name:
            parsed = _read_rows(base / res["path"])
            if parsed is None or field not in parsed[0]:
                return set()
            col = parsed[0].index(field)
            return {row[col] for row in parsed[1][:] if col < len(row)}
    return set()


def _custom_problems(descriptor: dict, base: Path) -> list[Problem]:
    """Rules Frictionless cannot express, checked row by row."""
    problems = []
    as_of = date.fromisoformat(descriptor["as_of"])
    for res in descriptor["resources"]:
        path = base / res["path"]
        shown = _display_path(path)
        fields = res["schema"]["fields"]
        names = [f["name"] for f in fields]
        if res["name"] not in REGISTRY_TABLES:
            fks = {
                fk["reference"]["resource"] for fk in res["schema"].get("foreignKeys", []) if fk["fields"] == SOURCE_KEY
            }
            if SOURCE_KEY not in names or SOURCE_TABLE not in fks:
                problems.append(
                    Problem(
                        shown,
                        None,
                        SOURCE_KEY,
                        "source-required",
                        "every fact table needs a source_id column that is a foreign key into sources",
                    )
                )
        parsed = _read_rows(path)
        if parsed is None:
            continue
        header, rows = parsed
        for field in fields:
            name = field["name"]
            if name not in header:
                continue
            col = header.index(name)
            if field.get("x-links-to-first-row"):
                problems += _chain_problems(shown, header, rows, col, res["schema"]["primaryKey"][0])
            target = field.get("x-list-of")
            keys = _index(descriptor, base, target["resource"], target["field"]) if target else None
            for line, row in enumerate(rows, start=2):
                if col >= len(row) or not row[col]:
                    continue
                value = row[col]
                if field.get("type") in ("number", "integer") and value.strip().lower().lstrip("+-") in _NOT_FINITE:
                    problems.append(
                        Problem(
                            shown,
                            line,
                            name,
                            "not-finite",
                            f"{value!r} is not a finite number; leave the cell empty if unknown",
                        )
                    )
                if field.get("type") == "date":
                    try:
                        when = date.fromisoformat(value)
                    except ValueError:
                        continue  # Frictionless reports the type error
                    if when > as_of:
                        problems.append(
                            Problem(
                                shown,
                                line,
                                name,
                                "after-as-of",
                                f"{value} is after the data's as-of date {as_of} in datapackage.json",
                            )
                        )
                if target:
                    items = value.split(";")
                    for item in items:
                        if item not in keys:
                            problems.append(
                                Problem(
                                    shown,
                                    line,
                                    name,
                                    "foreign-key",
                                    f"{item!r} is not a {target['field']} in {target['resource']}",
                                )
                            )
                    if len(set(items)) != len(items):
                        problems.append(
                            Problem(shown, line, name, "duplicate-list-item", f"{value!r} names the same key twice")
                        )
    return problems


def _chain_problems(shown: str, header: list[str], rows: list[list[str]], col: int, key: str) -> list[Problem]:
    """A row that links to another (same_event_as) must link to a first row, not to a link."""
    key_col = header.index(key)
    linked = {row[key_col]: row[col] for row in rows if len(row) > max(col, key_col)}
    problems = []
    for line, row in enumerate(rows, start=2):
        if len(row) <= max(col, key_col) or not row[col]:
            continue
        if row[col] == row[key_col]:
            problems.append(Problem(shown, line, header[col], "self-link", f"{row[col]!r} links to itself"))
        elif linked.get(row[col]):
            problems.append(
                Problem(
                    shown,
                    line,
                    header[col],
                    "chained-link",
                    f"{row[col]!r} is itself a second source of {linked[row[col]]!r}; link to that",
                )
            )
    return problems


def validate(package_path: Path = DATAPACKAGE) -> list[Problem]:
    """Return every problem in the package, sorted by file, row and column."""
    package_path = Path(package_path)
    try:
        descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [Problem(_display_path(package_path), None, None, "descriptor-error", str(exc))]
    base = package_path.parent
    problems = _check_files(descriptor, base)
    if problems:  # unreadable files would only produce noise further on
        return sorted(set(problems), key=_sort_key)
    problems += _frictionless_problems(package_path)
    problems += _custom_problems(descriptor, base)
    return sorted(set(problems), key=_sort_key)


def _sort_key(p: Problem) -> tuple:
    return (p.file, p.row or 0, p.column or "", p.rule, p.message)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    package_path = Path(args[0]) if args else DATAPACKAGE
    problems = validate(package_path)
    for problem in problems:
        print(problem)
    if problems:
        print(f"data package invalid: {len(problems)} problem(s); nothing was executed or built", file=sys.stderr)
        return 1
    print(f"data package valid: {_display_path(package_path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
