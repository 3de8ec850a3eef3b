"""Validate the data package; print one line per error and exit non-zero on any.

Each line names the file, the row (the header is row 1, so row N is line N of a file with no
multi-line cells), the column and the rule broken::

    data/events.csv: row 12, column "date": type-error: "2024-02-30" is not a valid date

Frictionless checks types, constraints, primary and foreign keys, headers and CSV shape; this
module adds the rules Frictionless cannot express: list-valued foreign keys (``x-list-of``),
dates after the data's as-of date, the encoding, and the rule that every fact table cites a
source.

Run as ``python -m alliance.build.validate [path/to/datapackage.json]``.
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from alliance.data.paths import CHAPTERS_DIR, DATAPACKAGE, ROOT

# Tables that are registries rather than facts, so they carry no source_id of their own.
REGISTRY_TABLES = {"sources", "countries", "topics"}
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
        place = f"{where[0]}:{''.join(where[1:])}" if len(where) > 1 else where[0]
        return f"{place}: {self.rule}: {self.message}"


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


def read_tables(descriptor: dict, base: Path) -> dict[str, tuple[dict, str, list[str], list[list[str]]]]:
    """Every resource's CSV read once: name -> (resource, path as shown, header, rows)."""
    tables = {}
    for res in descriptor["resources"]:
        parsed = _read_rows(base / res["path"])
        if parsed is not None:
            tables[res["name"]] = (res, _display_path(base / res["path"]), *parsed)
    return tables


def _index(tables: dict, name: str, field: str) -> set[str]:
    if name not in tables or field not in tables[name][2]:
        return set()
    _, _, header, rows = tables[name]
    col = header.index(field)
    return {row[col] for row in rows if col < len(row)}


def _custom_problems(descriptor: dict, tables: dict) -> list[Problem]:
    """Rules Frictionless cannot express, checked row by row."""
    problems = []
    as_of = date.fromisoformat(descriptor["as_of"])
    for res in descriptor["resources"]:
        if res["name"] not in tables:  # an empty or unreadable file, refused by _check_files already
            continue
        _, shown, header, rows = tables[res["name"]]
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
        for field in fields:
            name = field["name"]
            if name not in header:
                continue
            col = header.index(name)
            if field.get("x-links-to-first-row"):
                problems += _chain_problems(shown, header, rows, col, res["schema"]["primaryKey"][0])
            target = field.get("x-list-of")
            keys = _index(tables, target["resource"], target["field"]) if target else None
            for line, row in enumerate(rows, start=2):
                if col >= len(row) or not row[col]:
                    continue
                value = row[col]
                if field.get("type") in ("number", "integer") and _not_finite(value):
                    problems.append(
                        Problem(
                            shown,
                            line,
                            name,
                            "not-finite",
                            f"{value!r} is not a finite number; leave the cell empty if unknown",
                        )
                    )
                if field.get("type") == "date" and not field.get("x-may-follow-as-of"):
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


def _not_finite(value: str) -> bool:
    """'nan', 'inf', and numbers too large for a float (1e999) that would load as infinity."""
    if value.strip().lower().lstrip("+-") in _NOT_FINITE:
        return True
    try:
        return math.isinf(float(value))
    except ValueError:
        return False


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
    if not isinstance(descriptor, dict):
        return [Problem(_display_path(package_path), None, None, "descriptor-error", "not a JSON object")]
    problems = descriptor_problems(descriptor, package_path)
    if problems:  # a broken descriptor would make every later check fail or reach the network
        return sorted(set(problems), key=_sort_key)
    problems = _check_files(descriptor, base)
    if problems:  # unreadable files would only produce noise further on
        return sorted(set(problems), key=_sort_key)
    try:
        problems += _frictionless_problems(package_path)
    except Exception as exc:  # noqa: BLE001 - any failure inside Frictionless is one line, not a traceback
        problems.append(Problem(_display_path(package_path), None, None, "descriptor-error", str(exc)))
    tables = read_tables(descriptor, base)
    problems += _custom_problems(descriptor, tables)
    problems += cross_field_problems(descriptor, tables, base)
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


# --- rules across fields, rows and tables (declared in datapackage.json where they are data) ----

# Bidirectional controls can make a cell display as something other than what it holds.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
# A cell a spreadsheet would run as a formula: '=' or '@' anything, '+' or '-' before a letter.
_FORMULA = re.compile(r"^\s*(?:[=@]|[+-]\s*[A-Za-z(])")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
TRUE, FALSE = "true", "false"


def _is_remote(value) -> bool:
    return isinstance(value, str) and "://" in value


def _constraint_fits(kind: str, value) -> bool:
    """Whether a minimum/maximum (or enum item) can be read as a value of the field's type."""
    try:
        if kind == "date":
            date.fromisoformat(str(value))
        elif kind == "integer":
            if isinstance(value, bool) or int(value) != float(value):
                return False
        elif kind == "number":
            if isinstance(value, bool):
                return False
            float(value)
        return True
    except (TypeError, ValueError):
        return False


def descriptor_problems(descriptor: dict, package_path: Path) -> list[Problem]:
    """Errors in datapackage.json itself, one line each (never a traceback)."""
    shown = _display_path(package_path)
    problems = []

    def bad(rule: str, message: str) -> None:
        problems.append(Problem(shown, None, None, rule, message))

    try:
        date.fromisoformat(str(descriptor.get("as_of")))
    except ValueError:
        bad("descriptor-error", f"as_of {descriptor.get('as_of')!r} is not a date (YYYY-MM-DD)")
    for key in ("profile", "$schema"):
        if _is_remote(descriptor.get(key)):
            bad("remote-reference", f"package {key} {descriptor[key]!r} would make validation reach the network")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        bad("descriptor-error", "the package lists no resources")
        return problems
    for res in resources:
        name = res.get("name", "?") if isinstance(res, dict) else "?"
        if not isinstance(res, dict) or not isinstance(res.get("schema"), dict) or "path" not in res:
            bad("descriptor-error", f"resource {name!r} needs a name, a path and an inline schema")
            continue
        path = res["path"]
        if not isinstance(path, str) or _is_remote(path) or path.startswith(("/", "\\")) or ".." in Path(path).parts:
            bad("path-outside-data", f"resource {name!r} path {path!r} must be a file inside data/")
        for key in ("profile", "dialect", "$schema"):
            if _is_remote(res.get(key)) or (key == "dialect" and isinstance(res.get(key), str)):
                bad("remote-reference", f"resource {name!r} {key} {res[key]!r} must be inline, not fetched")
        for field in res["schema"].get("fields", []):
            kind = field.get("type", "string")
            cons = field.get("constraints", {})
            for key in ("minimum", "maximum"):
                if key in cons and not _constraint_fits(kind, cons[key]):
                    bad("descriptor-error", f"{name}.{field['name']}: {key} {cons[key]!r} is not a {kind}")
            if kind == "boolean" and (field.get("trueValues") != [TRUE] or field.get("falseValues") != [FALSE]):
                bad(
                    "descriptor-error",
                    f'{name}.{field["name"]}: a boolean must declare trueValues ["true"] and falseValues ["false"]',
                )
            if "pattern" in cons:
                try:
                    re.compile(cons["pattern"])
                except re.error as exc:
                    bad("descriptor-error", f"{name}.{field['name']}: pattern does not compile: {exc}")
        problems += [Problem(shown, None, None, "descriptor-error", m) for m in _coverage_spec_problems(res)]
    return problems


COVERAGE_UNITS = {"date": "date", "year": "integer", "fiscal-year": "integer"}
COVERAGE_SERIES = ("sampled", "changes")


def _coverage_spec_problems(res: dict) -> list[str]:
    """An x-coverage entry must name a field of the right type, a unit, a label and a kind of series."""
    spec = res.get("x-coverage")
    if spec is None:
        return []
    name = res.get("name", "?")
    types = {f.get("name"): f.get("type", "string") for f in res["schema"].get("fields", [])}
    if not isinstance(spec, dict) or not spec.get("label"):
        return [f"{name}: x-coverage needs a field, a unit, a label and a series"]
    out = []
    unit = spec.get("unit")
    if unit not in COVERAGE_UNITS:
        out.append(f"{name}: x-coverage unit {unit!r} is not one of {', '.join(COVERAGE_UNITS)}")
    elif types.get(spec.get("field")) != COVERAGE_UNITS[unit]:
        out.append(f"{name}: x-coverage field {spec.get('field')!r} is not a {COVERAGE_UNITS[unit]} field of the table")
    if "precision_field" in spec and spec["precision_field"] not in types:
        out.append(f"{name}: x-coverage precision_field {spec['precision_field']!r} is not a field of the table")
    if "stage_field" in spec and not isinstance(spec.get("stage_order"), list):
        out.append(f"{name}: x-coverage stage_field needs a stage_order list")
    if spec.get("series") not in COVERAGE_SERIES:
        out.append(f"{name}: x-coverage series {spec.get('series')!r} is not one of {', '.join(COVERAGE_SERIES)}")
    return out


def _cells(header: list[str], rows: list[list[str]], name: str):
    col = header.index(name)
    return [(line, row[col] if col < len(row) else "") for line, row in enumerate(rows, start=2)]


def _value(kind: str, text: str):
    if not text:
        return None
    try:
        return date.fromisoformat(text) if kind == "date" else float(text)
    except ValueError:
        return None  # a type error, reported by Frictionless


def _glued_keys(chapters_dir: Path) -> dict[str, set[str]]:
    """Glue keys per chapter: those stored in outputs and those its code glues."""
    keys: dict[str, set[str]] = {}
    for path in chapters_dir.glob("*.ipynb"):
        text = path.read_text(encoding="utf-8")
        nb = json.loads(text)
        found = set()
        for cell in nb.get("cells", []):
            source = "".join(cell.get("source", ""))
            found |= set(re.findall(r"glue_(?:text|count)\(\s*[\"']([A-Za-z0-9_]+)[\"']", source))
            for out in cell.get("outputs", []):
                name = out.get("metadata", {}).get("scrapbook", {}).get("name")
                if name:
                    found.add(name)
        keys[path.stem] = found
    return keys


def cross_field_problems(descriptor: dict, tables: dict, base: Path) -> list[Problem]:
    """Rules between cells of a row, rows of a table and tables of the package."""
    problems: list[Problem] = []
    as_of = date.fromisoformat(descriptor["as_of"])
    for res, shown, header, rows in tables.values():
        fields = {f["name"]: f for f in res["schema"]["fields"]}
        if not rows:
            problems.append(Problem(shown, None, None, "no-rows", "the table has a header but no rows"))
        problems += _key_problems(shown, header, rows, res["schema"].get("primaryKey", []))
        problems += _text_problems(shown, header, rows, fields)
        for fname, field in fields.items():
            other = field.get("x-not-before")
            if other and fname in header and other in header:
                kind = field.get("type", "string")
                for (line, hi), (_, lo) in zip(_cells(header, rows, fname), _cells(header, rows, other), strict=True):
                    h, low = _value(kind, hi), _value(kind, lo)
                    if h is not None and low is not None and h < low:
                        rule = "end-before-start" if kind == "date" else "low-above-high"
                        problems.append(Problem(shown, line, fname, rule, f"{hi} is before/below {other} {lo}"))
        for spec in res["schema"].get("x-row-sum-at-most", []):
            cols = [c for c in spec["fields"] if c in header]
            for line, row in enumerate(rows, start=2):
                vals = [_value("number", row[header.index(c)]) for c in cols if header.index(c) < len(row)]
                vals = [v for v in vals if v is not None]
                if len(vals) == len(cols) and sum(vals) > spec["max"]:
                    problems.append(
                        Problem(
                            shown,
                            line,
                            cols[-1],
                            "sum-above-limit",
                            f"{' + '.join(cols)} = {sum(vals):g}, above {spec['max']}",
                        )
                    )
        for spec in res["schema"].get("x-required-when", []):
            if spec["field"] not in header:
                continue
            col = header.index(spec["field"])
            for line, row in enumerate(rows, start=2):
                hit = all(row[header.index(c)] in vals for c, vals in spec["when"].items() if c in header)
                if hit and col < len(row) and not row[col].strip():
                    problems.append(
                        Problem(shown, line, spec["field"], "required-when", f"required when {spec['when']}")
                    )
        problems += _preferred_problems(shown, header, rows, res["schema"])
        problems += _group_sum_problems(shown, header, rows, res["schema"].get("x-group-sum-at-most"))
    if "sources" in tables:
        _, shown, header, rows = tables["sources"]
        for line, text in _cells(header, rows, "date_published") if "date_published" in header else []:
            m = _PARTIAL_DATE.fullmatch(text)
            if not text or not m:
                continue  # an empty date is allowed; a malformed one breaks the pattern constraint
            y, mo, d = int(m[1]), int(m[2] or 1), int(m[3] or 1)
            try:
                when = date(y, mo, d)
            except ValueError:
                problems.append(Problem(shown, line, "date_published", "type-error", f"{text!r} is not a valid date"))
                continue
            if when > as_of:
                problems.append(
                    Problem(shown, line, "date_published", "after-as-of", f"{text} is after the as-of date {as_of}")
                )
    problems += _membership_problems(tables)
    problems += _tie_date_problems(tables)
    problems += _evidence_problems(tables, base)
    return problems


def _key_problems(shown: str, header: list[str], rows: list[list[str]], key: list[str]) -> list[Problem]:
    """Keys that differ only by case or surrounding space are one key typed twice."""
    if not key or any(k not in header for k in key):
        return []
    cols = [header.index(k) for k in key]
    seen: dict[tuple, tuple[int, tuple]] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        raw = tuple(row[c] if c < len(row) else "" for c in cols)
        for k, v in zip(key, raw, strict=True):
            if "\n" in v or "\r" in v:
                problems.append(Problem(shown, line, k, "line-break-in-key", f"{v!r} contains a line break"))
        norm = tuple(v.strip().casefold() for v in raw)
        if norm in seen and seen[norm][1] != raw:
            first_line, first = seen[norm]
            problems.append(
                Problem(
                    shown,
                    line,
                    ",".join(key),
                    "near-duplicate-key",
                    f"{'/'.join(raw)!r} differs from row {first_line} {'/'.join(first)!r} only by case or spaces",
                )
            )
        seen.setdefault(norm, (line, raw))
    return problems


def _text_problems(shown: str, header: list[str], rows: list[list[str]], fields: dict) -> list[Problem]:
    problems = []
    text_cols = [(i, n) for i, n in enumerate(header) if fields.get(n, {}).get("type", "string") == "string"]
    for line, row in enumerate(rows, start=2):
        for i, name in text_cols:
            if i >= len(row) or not row[i]:
                continue
            cell = row[i]
            if _BIDI & set(cell):
                problems.append(
                    Problem(shown, line, name, "bidi-control", "contains a bidirectional control character")
                )
            if _FORMULA.match(cell):
                problems.append(
                    Problem(
                        shown,
                        line,
                        name,
                        "formula-prefix",
                        f"{cell[:20]!r} would run as a formula in a spreadsheet; reword the start of the cell",
                    )
                )
    return problems


def _preferred_problems(shown: str, header: list[str], rows: list[list[str]], schema: dict) -> list[Problem]:
    """Exactly one preferred row per fact: the rest are marked alternatives with a reason."""
    key = schema.get("x-fact-key")
    if not key or any(k not in header for k in key):
        return []
    # A link column (same_event_as) names the preferred row: the fact is the link, or the row itself.
    links = {f["name"] for f in schema["fields"] if f.get("x-links-to-first-row")}
    own = header.index(schema["primaryKey"][0]) if schema.get("primaryKey") else 0
    cols = [header.index(k) for k in key]

    def fact_of(row: list[str]) -> tuple:
        return tuple((row[c] or row[own]) if header[c] in links else row[c] if c < len(row) else "" for c in cols)

    if "is_preferred" not in header:  # no alternatives kept: the fact key must be unique
        seen: dict[tuple, int] = {}
        out = []
        for line, row in enumerate(rows, start=2):
            fact = fact_of(row)
            if fact in seen:
                out.append(
                    Problem(
                        shown,
                        line,
                        ",".join(key),
                        "duplicate-fact",
                        f"fact {'/'.join(fact)!r} is already in row {seen[fact]}; mark one as an alternative",
                    )
                )
            seen.setdefault(fact, line)
        return out
    pref, reason = header.index("is_preferred"), header.index("alt_reason") if "alt_reason" in header else None
    groups: dict[tuple, list[tuple[int, bool]]] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        is_pref = pref < len(row) and row[pref] == TRUE
        fact = fact_of(row)
        groups.setdefault(fact, []).append((line, is_pref))
        if reason is not None and reason < len(row):
            if is_pref and row[reason]:
                problems.append(
                    Problem(shown, line, "alt_reason", "preferred-with-reason", "a preferred row takes no alt_reason")
                )
            if not is_pref and not row[reason]:
                problems.append(
                    Problem(
                        shown, line, "alt_reason", "alternative-without-reason", "an alternative row needs a reason"
                    )
                )
    for fact, members in groups.items():
        n = sum(p for _, p in members)
        if n != 1:
            line = members[0][0] if n == 0 else [ln for ln, p in members if p][1]
            problems.append(
                Problem(
                    shown,
                    line,
                    "is_preferred",
                    "preferred-count",
                    f"fact {'/'.join(fact)!r} ({', '.join(key)}) has {n} preferred rows; it needs exactly one",
                )
            )
    return problems


def _group_sum_problems(shown: str, header: list[str], rows: list[list[str]], spec: dict | None) -> list[Problem]:
    """E.g. the seats of a chamber's preferred party rows cannot add up to more than the chamber."""
    if not spec or any(c not in header for c in [*spec["group"], spec["field"], spec["limit_field"]]):
        return []
    totals: dict[tuple, list] = {}
    for line, row in enumerate(rows, start=2):
        if any(row[header.index(c)] != v for c, v in spec.get("where", {}).items()):
            continue
        group = tuple(row[header.index(c)] for c in spec["group"])
        amount = _value("number", row[header.index(spec["field"])]) or 0
        limit = _value("number", row[header.index(spec["limit_field"])])
        entry = totals.setdefault(group, [0.0, limit, line])
        entry[0] += amount
        entry[2] = line
    problems = []
    for group, (total, limit, line) in totals.items():
        if limit is not None and total > limit:
            problems.append(
                Problem(
                    shown,
                    line,
                    spec["field"],
                    "sum-above-limit",
                    f"{'/'.join(group)}: preferred rows add up to {total:g}, above {spec['limit_field']} {limit:g}",
                )
            )
    return problems


def _membership_problems(tables: dict) -> list[Problem]:
    """A member cannot join a tie before the tie exists."""
    if "tie_members" not in tables or "security_ties" not in tables:
        return []
    _, _, th, trows = tables["security_ties"]
    starts = {r[th.index("tie_id")]: _value("date", r[th.index("start_date")]) for r in trows if len(r) == len(th)}
    _, shown, header, rows = tables["tie_members"]
    problems = []
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            continue
        joined, start = _value("date", row[header.index("joined_date")]), starts.get(row[header.index("tie_id")])
        if joined and start and joined < start:
            problems.append(
                Problem(
                    shown, line, "joined_date", "member-before-tie", f"joined {joined} before the tie starts {start}"
                )
            )
    return problems


def _coarse(when: date, *precisions: str) -> tuple:
    """A date cut to the coarsest of the given precisions, so '2017' is not before '2017-01-26'."""
    if "year" in precisions:
        return (when.year,)
    if "month" in precisions:
        return (when.year, when.month)
    return (when.year, when.month, when.day)


def _tie_date_problems(tables: dict) -> list[Problem]:
    """An agreement cannot enter into force before it is signed, and a tie whose start_basis names
    a kind of date that tie_dates.csv holds must start on that (preferred) date."""
    if "tie_dates" not in tables or "security_ties" not in tables:
        return []
    _, shown, header, rows = tables["tie_dates"]
    dates: dict[tuple, tuple] = {}
    for line, row in enumerate(rows, start=2):
        if len(row) == len(header) and row[header.index("is_preferred")] == TRUE:
            when = _value("date", row[header.index("date")])
            if when:
                key = (row[header.index("tie_id")], row[header.index("date_kind")])
                dates[key] = (when, row[header.index("date_precision")], line)
    problems = []
    for (tie, kind), (when, precision, line) in dates.items():
        if kind != "in-force" or (tie, "signed") not in dates:
            continue
        signed, signed_precision, _ = dates[(tie, "signed")]
        if _coarse(when, precision, signed_precision) < _coarse(signed, precision, signed_precision):
            problems.append(
                Problem(shown, line, "date", "end-before-start", f"{tie}: in force {when} before signed {signed}")
            )
    _, tshown, th, trows = tables["security_ties"]
    if "start_basis" not in th:
        return problems
    for line, row in enumerate(trows, start=2):
        if len(row) != len(th):
            continue
        tie, basis, start = (
            row[th.index("tie_id")],
            row[th.index("start_basis")],
            _value("date", row[th.index("start_date")]),
        )
        if (tie, basis) not in dates or not start:
            continue
        dated, precision, _ = dates[(tie, basis)]
        start_precision = row[th.index("start_precision")]
        if _coarse(dated, precision, start_precision) != _coarse(start, precision, start_precision):
            problems.append(
                Problem(
                    tshown,
                    line,
                    "start_date",
                    "start-not-its-date",
                    f"{tie} starts {start} but its {basis} date in tie_dates.csv is {dated}",
                )
            )
    return problems


def _evidence_problems(tables: dict, base: Path) -> list[Problem]:
    """Scorecard evidence must name events and glue keys that exist."""
    if "claim_outcomes" not in tables:
        return []
    events = set()
    if "events" in tables:
        _, _, eh, erows = tables["events"]
        events = {r[eh.index("event_id")] for r in erows if r}
    chapters = base.parent / "chapters"
    glued = _glued_keys(chapters if chapters.is_dir() else CHAPTERS_DIR)
    problems = []
    for table in ("claim_outcomes", "claim_tests"):
        if table in tables:
            problems += _unknown_evidence(tables[table], events, glued)
    return problems


def _unknown_evidence(table, events: set, glued: dict) -> list[Problem]:
    _, shown, header, rows = table
    problems = []
    for line, text in _cells(header, rows, "evidence") if "evidence" in header else []:
        for item in filter(None, text.split(";")):
            kind, _, ref = item.partition(":")
            chapter, _, key = ref.partition("::")
            if kind == "event" and ref in events:
                continue
            if kind == "glue" and key in glued.get(chapter, set()):
                continue
            problems.append(
                Problem(
                    shown, line, "evidence", "unknown-evidence", f"{item!r} names no event or glued value that exists"
                )
            )
    return problems


if __name__ == "__main__":
    sys.exit(main())
