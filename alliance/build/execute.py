"""Re-execute chapter notebooks whose inputs changed; check that stored outputs are current.

A notebook's inputs are its code cells, the data files it read when it last ran, and the
package modules it imported then (each logged with its digest as it was read or imported; see
``alliance/__init__.py``). After a run their SHA-256 digests are written to the notebook's metadata
(``alliance.inputs``), so whether a stored output is stale is decidable from the repository
alone: ``python -m alliance.build.execute --check`` recomputes the digests and compares.

Usage::

    python -m alliance.build.execute            # run stale notebooks, in parallel
    python -m alliance.build.execute --all      # run every notebook
    python -m alliance.build.execute --check    # exit 1 if any notebook is stale
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path

import nbformat

from alliance.data.datapkg import READ_LOG_ENV
from alliance.data.paths import CHAPTERS_DIR, PACKAGE_DIR, ROOT

METADATA_KEY = "alliance"
# Where the package's modules are named from: 'alliance/analysis/politics.py'.
PACKAGE_ROOT = PACKAGE_DIR.parent
KERNEL = "python3"
CELL_TIMEOUT_S = 600  # a chapter that needs longer is doing work that belongs in the package
# Notebooks are executed with the chapter folder as working directory, as the book does.
LOCK_DIR = Path(tempfile.gettempdir()) / "alliance-execute-locks"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def code_digest(nb: nbformat.NotebookNode) -> str:
    """Digest of the code cells' sources, in order (markdown edits do not need a re-run)."""
    sources = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    return _sha("\n\x00".join(sources).encode("utf-8"))


def outputs_digest(nb: nbformat.NotebookNode) -> str:
    """Digest of the stored outputs, so only the runner can make a notebook current: an output
    edited by hand no longer matches the fingerprint recorded when the notebook ran."""
    outputs = [cell.get("outputs", []) for cell in nb.cells if cell.cell_type == "code"]
    return _sha(json.dumps(outputs, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def input_digest(name: str, root: Path = ROOT) -> str | None:
    """The current digest of a recorded input: a file, or one part of a chapter ('x.ipynb#glue')
    that another chapter reads. None when the file is gone."""
    file, _, part = name.partition("#")
    path = root / file
    if not path.exists():
        return None
    if part:
        from alliance.present.glue import PARTS

        return _sha(PARTS[part](path))
    return _sha(path.read_bytes())


def read_log(lines, root: Path = ROOT, package_root: Path = PACKAGE_ROOT) -> tuple[dict[str, str], dict[str, str]]:
    """The read log ('<absolute path>[#part]<TAB><digest at read>') as two {relative name: digest}
    maps: the data and chapters read (named from ``root``) and the package modules imported (named
    from ``package_root``). A file read twice with different contents cannot be fingerprinted."""
    reads: dict[str, str] = {}
    modules: dict[str, str] = {}
    package = (package_root / PACKAGE_DIR.name).resolve()
    for line in lines:
        key, _, digest = line.partition("\t")
        file, sep, part = key.partition("#")
        path = Path(file).resolve()
        if path.is_relative_to(package):
            found, name = modules, path.relative_to(package_root.resolve()).as_posix()
        else:
            found, name = reads, path.relative_to(root).as_posix() + sep + part
        if found.setdefault(name, digest) != digest:
            raise RuntimeError(f"{name} changed while the notebook ran: run it again when the edit is done")
    return dict(sorted(reads.items())), dict(sorted(modules.items()))


def module_digest(name: str, package_root: Path = PACKAGE_ROOT) -> str | None:
    path = package_root / name
    return _sha(path.read_bytes()) if path.exists() else None


def stored_inputs(nb: nbformat.NotebookNode) -> dict | None:
    return nb.metadata.get(METADATA_KEY, {}).get("inputs")


def stale_reasons(path: Path, root: Path = ROOT, package_root: Path = PACKAGE_ROOT) -> list[str]:
    """Why a notebook's stored outputs may not match its inputs; empty when current."""
    nb = nbformat.read(path, as_version=4)
    inputs = stored_inputs(nb)
    if not inputs:
        return ["never executed by the runner (no input fingerprint)"]
    reasons = []
    if inputs["code"] != code_digest(nb):
        reasons.append("code cells changed")
    if "modules" not in inputs:
        reasons.append("no record of the package modules it imports (run by an older runner)")
    for name, digest in inputs.get("modules", {}).items():
        now = module_digest(name, package_root)
        if now is None:
            reasons.append(f"{name} is gone")
        elif now != digest:
            reasons.append(f"{name} changed")
    if inputs.get("outputs") != outputs_digest(nb):
        reasons.append("stored outputs differ from those the runner wrote (edited by hand?)")
    for name, digest in inputs["data"].items():
        now = input_digest(name, root)
        if now is None:
            reasons.append(f"{name} is gone")
        elif now != digest:
            reasons.append(f"{name} changed")
    return reasons


def error_outputs(nb: nbformat.NotebookNode) -> list[str]:
    """Stored error outputs: a notebook holding one must never be built into the book."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
    return found


@contextmanager
def notebook_lock(path: Path):
    """One runner per notebook at a time, across processes: a second one stops at once."""
    LOCK_DIR.mkdir(parents=True, exist_ok=True)
    lock_file = LOCK_DIR / (_sha(str(path.resolve()).encode("utf-8"))[:16] + ".lock")
    with open(lock_file, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another update is running on {path.name}; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def execute(path: Path, root: Path = ROOT, package_root: Path = PACKAGE_ROOT) -> float:
    """Execute one notebook in place and record its input fingerprint; return seconds taken.

    The notebook file is replaced only after a clean run whose inputs did not change while it
    ran, and only if nobody saved the notebook meanwhile; otherwise it is left untouched.
    """
    from nbclient import NotebookClient

    start = time.perf_counter()
    with notebook_lock(path):
        original = path.read_bytes()
        nb = nbformat.reads(original.decode("utf-8"), as_version=4)
        # No execution timestamps: a re-run that changes nothing must change no byte.
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as log:
            log_path = Path(log.name)
        try:
            client = NotebookClient(
                nb,
                timeout=CELL_TIMEOUT_S,
                kernel_name=KERNEL,
                allow_errors=False,
                record_timing=False,
                resources={"metadata": {"path": str(path.parent)}},
            )
            # Each kernel gets its own read log; a fixed hash seed keeps set orders repeatable.
            client.execute(env={**os.environ, READ_LOG_ENV: str(log_path), "PYTHONHASHSEED": "0"})
            lines = [line for line in log_path.read_text(encoding="utf-8").splitlines() if line]
            reads, modules = read_log(lines, root, package_root)
        finally:
            log_path.unlink(missing_ok=True)
        # An input edited during the run: the outputs may come from its old contents.
        changed = [name for name, digest in reads.items() if input_digest(name, root) != digest]
        changed += [name for name, digest in modules.items() if module_digest(name, package_root) != digest]
        if changed:
            raise RuntimeError(f"{', '.join(changed)} changed while the notebook ran: run it again")
        nb.metadata[METADATA_KEY] = {
            "inputs": {
                "code": code_digest(nb),
                "modules": modules,
                "data": reads,
                "outputs": outputs_digest(nb),
            }
        }
        # A unique temporary file beside the notebook, so the final rename is atomic and no
        # other process can write into it.
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, prefix=f".{path.stem}.", suffix=".ipynb.tmp", delete=False, encoding="utf-8"
        ) as tmp:
            nbformat.write(nb, tmp)
        tmp_path = Path(tmp.name)
        if path.read_bytes() != original:
            tmp_path.unlink()
            raise RuntimeError(f"{path.name} was saved while it ran; its new contents are kept: run it again")
        tmp_path.replace(path)
    return time.perf_counter() - start


# A notebook whose code uses one of these reads other chapters' stored outputs (the scorecard
# quotes their glued results), so it runs after the chapters it reads.
READS_OTHER_CHAPTERS = ("scorecard.", "changes.")
# Last recorded run times, to start the longest notebooks first (kept out of the notebooks, whose
# bytes must not change when nothing else does).
DURATIONS = ROOT / "_build" / "execute-durations.json"


def reads_other_chapters(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    recorded = (stored_inputs(nb) or {}).get("data", {})
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return any(".ipynb" in name for name in recorded) or any(m in code for m in READS_OTHER_CHAPTERS)


def quoted_chapters(path: Path, among: set[Path], root: Path = ROOT) -> set[Path]:
    """The notebooks among ``among`` whose outputs ``path`` reads: those its last run recorded,
    or, never run yet but quoting others, every notebook that quotes none."""
    recorded = (stored_inputs(nbformat.read(path, as_version=4)) or {}).get("data", {})
    found = {(root / name.partition("#")[0]).resolve() for name in recorded if ".ipynb" in name}
    if not found and reads_other_chapters(path):
        found = {p for p in among if not reads_other_chapters(p)}
    return (found & among) - {path}


def chapter_notebooks(chapters_dir: Path = CHAPTERS_DIR) -> list[Path]:
    return sorted(p for p in chapters_dir.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _load_durations() -> dict[str, float]:
    try:
        return json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_durations(durations: dict[str, float]) -> None:
    try:
        DURATIONS.parent.mkdir(parents=True, exist_ok=True)
        DURATIONS.write_text(json.dumps(durations, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    except OSError:
        pass  # an unwritable build folder only costs the ordering next time


def run(paths: list[Path], force: bool, workers: int) -> int:
    """Run stale notebooks as a dependency graph: a notebook that quotes others starts as soon as
    those it quotes have finished (not after a whole wave), longest first by recorded durations.
    A quoting notebook whose quoted chapters re-ran is checked again then, and runs only if what
    it quotes changed."""
    reasons = {p: (["forced"] if force else stale_reasons(p)) for p in paths}
    todo = {p for p, why in reasons.items() if why}
    universe = set(paths)
    deps = {p: quoted_chapters(p, universe) for p in paths}
    # A quoting notebook waits for the chapters it quotes that are about to run, then is re-checked.
    watch = {p for p in paths if p not in todo and deps[p] & todo}
    for path in sorted(universe - todo - watch):
        print(f"{path.relative_to(ROOT)}: skipped (inputs unchanged)", flush=True)
    durations = _load_durations()
    pending = todo | watch
    failed: set[Path] = set()
    failures = 0

    def one(path):
        try:
            return execute(path), None
        except Exception as exc:  # report and go on: every failure is listed, the exit code says it
            first = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            return None, f"{type(exc).__name__}: {first}"

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        running = {}
        while pending or running:
            ready = [p for p in pending if not (deps[p] & (pending | set(running.values())))]
            for path in sorted(ready, key=lambda p: -durations.get(p.name, 0.0)):
                pending.discard(path)
                name = path.relative_to(ROOT)
                if deps[path] & failed:
                    failures += 1
                    failed.add(path)
                    print(f"{name}: not run (a chapter it quotes failed); stored outputs left as they were", flush=True)
                    continue
                if path in watch and not force:
                    why = stale_reasons(path)
                    if not why:
                        print(f"{name}: skipped (the values it quotes did not change)", flush=True)
                        continue
                    reasons[path] = why
                running[pool.submit(one, path)] = path
            if not running:
                # A notebook skipped just now may have been the last one another waited for: look again
                # before deciding that nothing can start.
                if ready:
                    continue
                if pending:  # nothing can start and nothing runs: the notebooks quote each other
                    raise RuntimeError(f"notebooks quote each other: {sorted(p.name for p in pending)}")
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                path = running.pop(future)
                seconds, error = future.result()
                name = path.relative_to(ROOT)
                if error:
                    failures += 1
                    failed.add(path)
                    print(f"{name}: FAILED ({error}); stored outputs left as they were", flush=True)
                else:
                    durations[path.name] = round(seconds, 2)
                    print(f"{name}: executed in {seconds:.1f} s ({'; '.join(reasons[path])})", flush=True)
    _save_durations(durations)
    return 1 if failures else 0


def check(paths: list[Path]) -> int:
    bad = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        problems = stale_reasons(path) + [f"stored error output, {e}" for e in error_outputs(nb)]
        if problems:
            bad += 1
            print(f"{path.relative_to(ROOT)}: stale: {'; '.join(problems)} (run `make update`)")
    if not bad:
        print(f"all {len(paths)} notebooks are current with their inputs")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook under chapters/")
    parser.add_argument("--all", action="store_true", help="execute every notebook, changed or not")
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks run at once")
    parser.add_argument(
        "--validate-first",
        action="store_true",
        help="refuse to run anything if the data package is invalid (make update does this)",
    )
    args = parser.parse_args(argv)
    if args.validate_first:
        from alliance.build import validate

        if validate.main([]) != 0:
            print("no chapter was executed: fix the data first", file=sys.stderr)
            return 1
    paths = [p.resolve() for p in args.notebooks] or chapter_notebooks()
    if args.check:
        return check(paths)
    return run(paths, force=args.all, workers=args.jobs)


if __name__ == "__main__":
    sys.exit(main())
