"""The chart fonts: every character a chart can draw is in them, and with them a chart's SVG and
PNG are the same bytes whatever fonts the machine has installed."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from fontTools.ttLib import TTFont

from alliance.build import execute
from alliance.data.paths import CHAPTERS_DIR, ROOT
from alliance.present import theme

SCRIPT = ROOT / "scripts" / "subset-fonts.py"
REMAKE = "run `.venv/bin/python scripts/subset-fonts.py`, then `make update`"
_spec = importlib.util.spec_from_file_location("subset_fonts", SCRIPT)
subset_fonts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(subset_fonts)

FONTS = sorted(theme.FONT_DIR.glob("*.ttf"))


def _covered(path: Path) -> set[int]:
    return set(TTFont(path).getBestCmap())


def _uncovered(chars: set[str]) -> dict[str, str]:
    """{font file: the characters of ``chars`` it lacks}, for the fonts lacking any."""
    assert len(FONTS) == 2, f"expected the two chart fonts in {theme.FONT_DIR}; {REMAKE}"
    gaps = {}
    for path in FONTS:
        cmap = _covered(path)
        missing = sorted(c for c in chars if c.isprintable() and ord(c) not in cmap)
        if missing:
            gaps[path.name] = " ".join(f"{c} (U+{ord(c):04X})" for c in missing)
    return gaps


def test_shipped_fonts_are_the_theme_family_in_two_weights_with_their_licence():
    faces = {(TTFont(p)["name"].getDebugName(1), TTFont(p)["OS/2"].usWeightClass) for p in FONTS}
    assert faces == {(theme.FONT_FAMILY, 400), (theme.FONT_FAMILY, 700)}
    assert theme.FONT.split(",")[0] == theme.FONT_FAMILY
    assert "SIL OPEN FONT LICENSE Version 1.1" in (theme.FONT_DIR / "OFL.txt").read_text(encoding="utf-8")


def test_theme_pins_the_shipped_fonts():
    """The pin makes new fonts change the package, so every chapter with charts goes stale."""
    assert theme.fonts_digest() == theme.FONTS_DIGEST, f"the chart fonts are not the pinned ones: {REMAKE}"


def test_theme_refuses_fonts_that_are_not_the_pinned_ones(tmp_path, monkeypatch):
    shutil.copy(FONTS[0], tmp_path / FONTS[0].name)  # one weight only: not the pinned set
    monkeypatch.setattr(theme, "FONT_DIR", tmp_path)
    monkeypatch.setattr(theme, "_fonts_registered", False)
    with pytest.raises(RuntimeError, match="subset-fonts.py"):
        theme.register_fonts()


def test_no_installed_font_has_the_shipped_family_name():
    """Otherwise vl-convert could draw with that font instead of the shipped one."""
    if not shutil.which("fc-list"):
        pytest.skip("fc-list (fontconfig) not installed")
    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    assert theme.FONT_FAMILY not in {name.strip() for line in installed.splitlines() for name in line.split(",")}


def test_stored_specs_are_found_and_their_text_collected():
    # A collector that silently found no spec would let every later check pass.
    assert len(subset_fonts.stored_specs()) >= 20
    assert {"防", "衛", "省"} <= subset_fonts.spec_characters()  # a source name in a chart footer


@pytest.mark.parametrize(
    "source, chars",
    [
        ("chart specs stored in chapters/*.ipynb", subset_fonts.spec_characters()),
        ("data/*.csv", subset_fonts.data_characters()),
        ("text Vega writes itself", set(subset_fonts.VEGA_TEXT)),
    ],
)
def test_every_character_a_chart_can_draw_is_in_every_weight(source, chars):
    gaps = _uncovered(chars)
    assert not gaps, f"characters in {source} missing from the chart fonts: {gaps}; {REMAKE}"


def test_a_new_glyph_in_the_data_fails_the_coverage_check(data_copy):
    # 'Ꙁ' (Cyrillic Zemlya) is in no chart or data file, so not in the subset.
    data_copy.set_cell("countries.csv", 2, "name_en", "Ꙁemlya")
    assert "Ꙁ" in subset_fonts.data_characters(data_copy.dir)
    assert _uncovered(subset_fonts.data_characters(data_copy.dir))


# --- A chapter run with the system fonts hidden draws the same bytes -------------------------

CHAPTER = CHAPTERS_DIR / "01_protection_to_projection.ipynb"
_SVG = re.compile(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+")
_RUN = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
nbformat.write(nb, sys.argv[3])
"""


def _font_dirs() -> list[str]:
    """Every directory fontconfig or vl-convert's font loader may search, that exists."""
    home = Path.home()
    dirs = {"/usr/share/fonts", "/usr/local/share/fonts", str(home / ".fonts"), str(home / ".local/share/fonts")}
    for conf in [Path("/etc/fonts/fonts.conf"), *sorted(Path("/etc/fonts/conf.d").glob("*.conf"))]:
        if conf.is_file():
            for found in re.findall(r"<dir(?:\s[^>]*)?>([^<]+)</dir>", conf.read_text(errors="replace")):
                dirs.add(found.replace("~", str(home), 1) if found.startswith("~") else found)
    return sorted(d for d in dirs if os.path.isabs(d) and os.path.isdir(d))


def _namespace_command() -> list[str] | None:
    """unshare for a private mount namespace, or None where it is not permitted."""
    if not sys.platform.startswith("linux") or not shutil.which("unshare"):
        return None
    for command in (["unshare", "--mount"], ["unshare", "--mount", "--map-root-user"]):
        probe = subprocess.run([*command, "mount", "--bind", "/tmp", "/tmp"], capture_output=True)
        if probe.returncode == 0:
            return command
    return None


def _run_chapter(out: Path, hide_fonts_in: Path | None) -> nbformat.NotebookNode:
    # Charts drawn afresh (no draw cache), with only the shipped fonts visible.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "0", theme.DRAW_CACHE_ENV: "off"}
    run = [sys.executable, "-c", _RUN, str(CHAPTER), str(CHAPTERS_DIR), str(out)]
    if hide_fonts_in is None:
        subprocess.run(run, env=env, check=True, capture_output=True)
    else:
        hide = " && ".join(f"mount --bind {hide_fonts_in} '{d}'" for d in _font_dirs())
        # Prove the fonts are gone before running: no font file left in any searched directory.
        check = " && ".join(f"test -z \"$(find '{d}' -type f | head -n 1)\"" for d in _font_dirs())
        script = f'{hide} && {check} && exec "$@"'
        command = [*_namespace_command(), "sh", "-c", script, "sh", *run]
        subprocess.run(command, env=env, check=True, capture_output=True)
    return nbformat.read(out, as_version=4)


def chart_images(nb: nbformat.NotebookNode) -> list[str]:
    """Every chart image in a notebook's outputs, in order: the SVG in each chart's HTML and
    the PNG (shown or glued), as stored."""
    images = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                text = "".join(value) if isinstance(value, list) else value
                if mime.endswith("image/png"):
                    images.append(text)
                elif mime.endswith("text/html"):
                    images.extend(_SVG.findall(text))
    return images


@pytest.fixture(scope="module")
def hidden_and_visible(tmp_path_factory):
    if _namespace_command() is None:
        pytest.skip("unshare cannot make a private mount namespace here (needs Linux and root or user namespaces)")
    tmp = tmp_path_factory.mktemp("fonts")
    empty = tmp / "no-fonts"
    empty.mkdir()
    return _run_chapter(tmp / "hidden.ipynb", empty), _run_chapter(tmp / "visible.ipynb", None)


def test_chapter_draws_the_same_chart_bytes_with_system_fonts_hidden(hidden_and_visible):
    hidden, visible = (chart_images(nb) for nb in hidden_and_visible)
    assert len(visible) >= 2 and any(i.startswith("data:image/svg") for i in visible)
    assert len(hidden) == len(visible)
    for n, (a, b) in enumerate(zip(hidden, visible, strict=True)):
        assert a == b, f"chart image {n} of {CHAPTER.name} differs when the system fonts are hidden"


def test_chapter_run_with_system_fonts_hidden_matches_the_stored_outputs(hidden_and_visible):
    if execute.stale_reasons(CHAPTER):
        pytest.skip(f"{CHAPTER.name} is stale: make update first")
    stored = nbformat.read(CHAPTER, as_version=4)
    hidden = hidden_and_visible[0]
    assert chart_images(hidden) == chart_images(stored)
    outputs = [json.dumps(c.get("outputs", []), sort_keys=True) for c in hidden.cells if c.cell_type == "code"]
    assert outputs == [json.dumps(c.get("outputs", []), sort_keys=True) for c in stored.cells if c.cell_type == "code"]
