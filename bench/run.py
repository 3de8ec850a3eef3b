"""Benchmarks for updating, building and reading the book; writes BENCHMARKS.md.

Run with `make bench` (not part of `make test`: these are measurements with targets, not
pass/fail tests). Everything that changes files runs on a throwaway copy of the repository.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COPY_IGNORE = shutil.ignore_patterns(
    ".venv", "_build", ".git", "__pycache__", ".pytest_cache", "*.egg-info", ".ruff_cache"
)
# Targets from the benchmarks issue, on the 2-core reference machine.
TARGETS = {
    "parallel_speedup": 1.8,
    "noop_update_s": 2.0,
    "book_from_clean_s": 20.0,
    "page_kb": 300.0,
    "render_s": 1.5,
}
# A data file that some chapters read and others do not, changed for benchmark 3.
CHANGED_FILE = "data/summit_follow_ups.csv"
# One analysis module and one build module, each edited for benchmark 3b: the first must re-run
# only the chapters that imported it (and those that quote them, if what they quote changed), the
# second nothing.
CHANGED_MODULES = ("alliance/analysis/politics.py", "alliance/build/site.py")


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def machine() -> str:
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return (
        f"{os.cpu_count()} cores, {mem_kb / 1024 / 1024:.0f} GiB memory, {platform.machine()}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def verdict(ok: bool, detail: str) -> str:
    return f"met ({detail})" if ok else f"MISSED ({detail})"


def shortfall(speedup: float, target: float) -> str:
    gap = "ok" if speedup >= target else f"short by {target - speedup:.2f}x"
    return f"target at least {target}x; {gap}"


def bench_updates(copy: Path, env: dict) -> dict:
    execute = [sys.executable, "-m", "alliance.build.execute"]
    # Both sides draw every chart afresh: a draw cache warmed by the first run would flatter the second.
    fresh = {**env, "ALLIANCE_DRAW_CACHE": "off"}
    parallel, _ = run(execute + ["--all"], copy, fresh)
    serial, _ = run(execute + ["--all", "--jobs", "1"], copy, fresh)
    noop, out_noop = run(execute, copy, env)
    target = copy / CHANGED_FILE
    target.write_text(target.read_text(encoding="utf-8").replace("First", "Inaugural", 1), encoding="utf-8")
    changed, out_changed = run(execute, copy, env)
    executed = sorted(re.findall(r"chapters/(\S+)\.ipynb: executed", out_changed))
    # Expected: the chapters that read the file, and any notebook that quotes one of them.
    inputs = {}
    for nb in sorted((copy / "chapters").glob("*.ipynb")):
        meta = json.loads(nb.read_text(encoding="utf-8"))["metadata"]
        inputs[nb.stem] = meta.get("alliance", {}).get("inputs", {}).get("data", {})
    reading = {name for name, data in inputs.items() if CHANGED_FILE in data}
    reading |= {name for name, data in inputs.items() if any(f"chapters/{r}.ipynb" in data for r in reading)}
    reading = sorted(reading)
    modules = {}
    for module in CHANGED_MODULES:
        importing = sorted(
            nb.stem
            for nb in (copy / "chapters").glob("*.ipynb")
            if module in json.loads(nb.read_text(encoding="utf-8"))["metadata"]["alliance"]["inputs"]["modules"]
        )
        source = copy / module
        # A comment: the code's behaviour is unchanged, so nothing that quotes these chapters changes either.
        source.write_text(source.read_text(encoding="utf-8") + "\n# edited by the benchmark\n", encoding="utf-8")
        seconds, out = run(execute, copy, env)
        ran = sorted(re.findall(r"chapters/(\S+)\.ipynb: executed", out))
        modules[module] = {"s": seconds, "executed": ran, "importing": importing}
    return {
        "modules": modules,
        "parallel_s": parallel,
        "serial_s": serial,
        "noop_s": noop,
        "noop_skipped": out_noop.count("skipped"),
        "changed_s": changed,
        "executed": executed,
        "reading": reading,
    }


def bench_build(copy: Path, env: dict) -> dict:
    shutil.rmtree(copy / "_build", ignore_errors=True)
    run([sys.executable, "-m", "alliance.build.site"], copy, env)
    cmd = [str(BIN / "jupyter-book"), "build", ".", "--warningiserror", "--nitpick", "--keep-going"]
    clean, _ = run(cmd, copy, env)
    again, _ = run(cmd, copy, env)
    return {"clean_s": clean, "again_s": again}


def page_weights(html_dir: Path) -> list[dict]:
    import vl_convert as vlc

    bundle_kb = (html_dir / "_static" / "vega-bundle.js").stat().st_size / 1024
    rows = []
    for page in sorted((html_dir / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        specs = [
            json.loads(m.replace("\\u003c", "<").replace("\\u003e", ">").replace("\\u0026", "&"))
            for m in re.findall(
                r'<script type="application/json" class="alliance-chart-spec"[^>]*>(.*?)</script>', text, flags=re.S
            )
        ]
        ours = len(text.encode("utf-8")) / 1024
        own_assets = (
            sum((page.parent / m).stat().st_size for m in re.findall(r'src="(\.\./_images/[^"]+)"', text)) / 1024
        )
        fallback = sum(len(m) for m in re.findall(r'src="data:image/svg\+xml;base64,[^"]+"', text)) / 1024
        chart_html = (
            sum(len(m) for m in re.findall(r'<div class="alliance-chart".*?</script>', text, flags=re.S)) / 1024
        )
        cdn = sum(len(vlc.vegalite_to_html(s, bundle=False).encode()) for s in specs) / 1024
        inline = sum(len(vlc.vegalite_to_html(s, bundle=True).encode()) for s in specs) / 1024
        rows.append(
            {
                "page": page.stem,
                "charts": len(specs),
                "ours_kb": ours + own_assets,
                "static_fallback_kb": fallback,
                "cdn_kb": ours - chart_html + cdn,
                "inline_kb": ours - chart_html + inline,
                "bundle_kb": bundle_kb,
            }
        )
    return rows


def render_time(html_dir: Path, page: str) -> float:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html_dir)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(3):
            tab = browser.new_page()
            start = time.perf_counter()
            errors = []
            tab.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            tab.goto(f"http://127.0.0.1:{httpd.server_address[1]}/chapters/{page}.html", wait_until="commit")
            try:
                tab.wait_for_function(
                    "() => document.querySelectorAll('.alliance-chart').length > 0 && "
                    "[...document.querySelectorAll('.alliance-chart')].every(c => c.dataset.embedded === 'done')",
                    timeout=30_000,
                    polling=10,
                )
            except Exception:
                states = tab.evaluate(
                    "() => [...document.querySelectorAll('.alliance-chart')].map(c => c.dataset.embedded)"
                )
                raise RuntimeError(f"charts on {page} did not render: {states}; console errors: {errors}") from None
            times.append(time.perf_counter() - start)
            tab.close()
        browser.close()
    httpd.shutdown()
    return sorted(times)[1]  # the median of three


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "book"
        shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
        env = {**os.environ, "PYTHONPATH": str(copy)}
        print("benchmark 1-3: updates", flush=True)
        updates = bench_updates(copy, env)
        print("benchmark 4: builds", flush=True)
        builds = bench_build(copy, env)
        for folder in ("assets", "_generated/static"):
            for file in (copy / folder).glob("*.*"):
                shutil.copy(file, copy / "_build/html/_static" / file.name)
        print("benchmark 5: page weight", flush=True)
        weights = page_weights(copy / "_build" / "html")
        heaviest = max((w for w in weights if w["charts"]), key=lambda w: w["ours_kb"])
        print("benchmark 6: rendering", flush=True)
        render = render_time(copy / "_build" / "html", heaviest["page"])

    speedup = updates["serial_s"] / updates["parallel_s"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` (`bench/run.py`) on: {machine()}.",
        "Every run works on a throwaway copy of the repository. Targets are those of the benchmarks issue.",
        "",
        "| # | measure | result | target |",
        "|---|---|---|---|",
    ]
    lines.append(
        f"| 1 | re-execute every chapter: parallel (`make update ARGS=--all`, {os.cpu_count()} workers) against "
        f"serial (the same runner, one notebook at a time) | {updates['parallel_s']:.1f} s against "
        f"{updates['serial_s']:.1f} s: {speedup:.2f}x | "
        + verdict(speedup >= TARGETS["parallel_speedup"], shortfall(speedup, TARGETS["parallel_speedup"]))
        + " |"
    )
    lines += [
        f"| 2 | `make update` with nothing changed ({updates['noop_skipped']} notebooks skipped) | "
        f"{updates['noop_s']:.2f} s | "
        + verdict(updates["noop_s"] < TARGETS["noop_update_s"], f"under {TARGETS['noop_update_s']:g} s")
        + " |",
        f"| 3 | `make update` after changing `{CHANGED_FILE}` | {updates['changed_s']:.1f} s; re-executed: "
        f"{', '.join(updates['executed'])} | "
        + verdict(
            updates["executed"] == updates["reading"],
            "only the chapters that read it, and those that quote them: " + ", ".join(updates["reading"]),
        )
        + " |",
    ]
    for module, m in updates["modules"].items():
        lines.append(
            f"| 3b | `make update` after editing `{module}` | {m['s']:.1f} s; re-executed: "
            f"{', '.join(m['executed']) or 'none'} | "
            + verdict(
                m["executed"] == m["importing"],
                "only the chapters whose kernels imported it: " + (", ".join(m["importing"]) or "none"),
            )
            + " |"
        )
    lines += [
        f"| 4 | `make book` from clean, then with nothing changed | {builds['clean_s']:.1f} s, then "
        f"{builds['again_s']:.1f} s | "
        + verdict(
            builds["clean_s"] < TARGETS["book_from_clean_s"], f"under {TARGETS['book_from_clean_s']:g} s from clean"
        )
        + " |",
        f"| 6 | time from navigation until every chart has rendered, heaviest page (`{heaviest['page']}`, median "
        f"of 3) | {render:.2f} s | " + verdict(render < TARGETS["render_s"], f"under {TARGETS['render_s']:g} s") + " |",
        "",
        "## 5. Page weight per chapter",
        "",
        f"Our way: each chapter's HTML with its own assets; the shared Vega bundle "
        f"({weights[0]['bundle_kb']:.0f} KB, loaded once and cached) is counted once, not per page. "
        "The default way loads Vega from a CDN (small pages, but the book would need the network); the inline "
        "way puts the bundle inside every chart. 'Static fallback' is the part of our HTML that is the static SVG "
        f"shown before scripts run (and to readers without them). Target: each chapter under "
        f"{TARGETS['page_kb']:g} KB apart from the shared bundle.",
        "",
        "| chapter | charts | ours (KB) | of which static fallback (KB) | default, CDN (KB) | inline bundle (KB) "
        "| target |",
        "|---|---|---|---|---|---|---|",
    ]
    for w in weights:
        lines.append(
            f"| {w['page']} | {w['charts']} | {w['ours_kb']:.0f} | {w['static_fallback_kb']:.0f} | "
            f"{w['cdn_kb']:.0f} | {w['inline_kb']:.0f} | "
            + verdict(
                w["ours_kb"] < TARGETS["page_kb"],
                "ok" if w["ours_kb"] < TARGETS["page_kb"] else f"over by {w['ours_kb'] - TARGETS['page_kb']:.0f} KB",
            )
            + " |"
        )
    lines += [
        "",
        "The CDN column is what the page would weigh without the book's offline rule; it is not an option here.",
        "",
    ]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
