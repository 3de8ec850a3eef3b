#!/usr/bin/env python3
"""Remake the chart fonts in assets/fonts/ from the installed Noto fonts.

Charts are drawn by vl-convert with the fonts it can find. With only the machine's fonts, the
same chart gives different SVG and PNG bytes on different machines (text widths move every mark
after them). The book therefore ships its own face, "Alliance Sans", and alliance.present.theme registers
it with vl-convert before any chart is drawn.

Each weight is ONE font file holding every glyph the book can draw: Noto Sans for what it has
(Latin, Greek, Cyrillic, punctuation) and Noto Sans CJK JP for the rest (kana, kanji, Hangul,
arrows). One file matters: for a character missing from the chosen face, vl-convert's renderer
takes the first installed font that has it, which differs between machines.

The glyphs kept are those of every character in the chart specs stored in chapters/*.ipynb, in
every cell of data/*.csv (so a new data row is covered before a chart draws it) and in the
text Vega writes itself (number and date formats). tests/test_fonts.py fails when a character
is not covered: run this script again, then re-execute the chapters (make update). The script
pins the fonts' digest in alliance/present/theme.py (FONTS_DIGEST), so new fonts change the package and
every chapter goes stale; the theme refuses to draw with fonts that do not match the pin.

Usage (needs fonts-noto-core and fonts-noto-cjk, and fontTools from requirements.txt):

    .venv/bin/python scripts/subset-fonts.py

The output is byte-identical from one run to the next on the same sources.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = ROOT / "assets" / "fonts"
FAMILY = "Alliance Sans"
NOTO = Path("/usr/share/fonts/truetype/noto")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
# (style, Noto Sans file, Noto Sans CJK collection); index 0 of the collection is the JP face,
# which also holds every Hangul syllable: the Korean text needs no second CJK face.
WEIGHTS = [
    ("Regular", NOTO / "NotoSans-Regular.ttf", NOTO_CJK / "NotoSansCJK-Regular.ttc"),
    ("Bold", NOTO / "NotoSans-Bold.ttf", NOTO_CJK / "NotoSansCJK-Bold.ttc"),
]
CJK_JP_INDEX = 0
OFL_SOURCE = Path("/usr/share/doc/fonts-noto-core/copyright")  # Debian's copy of the OFL text
# Text Vega and d3 write themselves: ASCII for numbers and English dates, the minus sign
# (U+2212) of d3-format, the ellipsis of truncated labels, micro of SI prefixes, no-break space.
VEGA_TEXT = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u2212\u2026\u00b5\u00a0"
# Scripts in data/*.csv that no chart draws and no shipped face has: the one Arabic source
# title is listed in the bibliography only. A stored chart that drew it would still fail the test.
UNCHARTED_DATA_SCRIPTS = [(0x0600, 0x06FF)]
_SPEC = re.compile(
    r'<script type="application/json" class="alliance-chart-spec" data-chart="[^"]+">(.*?)</script>', re.S
)
THEME = ROOT / "alliance" / "present" / "theme.py"
_PIN = re.compile(r'^FONTS_DIGEST = "[0-9a-f]*"$', re.M)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def stored_specs(chapters_dir: Path = ROOT / "chapters") -> list[dict]:
    """The chart specs stored in the chapters' outputs (shown or glued)."""
    specs = []
    for path in sorted(chapters_dir.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            for output in cell.get("outputs", []):
                for mime, html in output.get("data", {}).items():
                    if mime.endswith("text/html"):
                        html = "".join(html) if isinstance(html, list) else html
                        # Inside the <script> '<', '>' and '&' are \u-escaped JSON: json decodes them.
                        specs.extend(json.loads(m.group(1)) for m in _SPEC.finditer(html))
    return specs


def spec_characters(chapters_dir: Path = ROOT / "chapters") -> set[str]:
    """Every character of every string in the stored specs (titles, data values, labels)."""
    return {c for spec in stored_specs(chapters_dir) for text in _strings(spec) for c in text}


def _uncharted(c: str) -> bool:
    return any(lo <= ord(c) <= hi for lo, hi in UNCHARTED_DATA_SCRIPTS)


def data_characters(data_dir: Path = ROOT / "data") -> set[str]:
    """Every character in every cell of data/*.csv, less the scripts no chart draws."""
    chars = set()
    for path in sorted(data_dir.glob("*.csv")):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                chars.update(cell)
    return {c for c in chars if not _uncharted(c)}


def book_characters() -> set[str]:
    """The characters the fonts must cover; control characters are never drawn."""
    chars = spec_characters() | data_characters() | set(VEGA_TEXT)
    return {c for c in chars if c.isprintable() or c == "\u00a0"}


def _cff_to_glyf(font) -> None:
    """Turn CFF outlines into TrueType quadratic ones, so the CJK glyphs can join Noto Sans."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        pen = TTGlyphPen(glyph_set)
        # 1 unit of 1000 per em: invisible at any size charts are drawn or printed.
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["head"].glyphDataFormat = 0
    font["maxp"].tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(font["maxp"], attr, 0)
    font["maxp"].maxZones = 1
    font["maxp"].maxComponentDepth = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None  # names come from the font's glyph order
    font.sfntVersion = "\x00\x01\x00\x00"


def _subset(font, chars: set[str], *, drop_layout: bool):
    from fontTools import subset

    options = subset.Options()
    options.hinting = False  # vl-convert does not hint; browsers render unhinted outlines well
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 11, 13, 14]
    options.notdef_outline = True
    if drop_layout:
        # The CJK glyphs need no kerning or ligatures in horizontal chart text.
        options.layout_features = []
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars})
    subsetter.subset(font)
    return font


def _rename(font, style: str, sources: list) -> None:
    name = font["name"]
    copyright_ = "; ".join(src["name"].getDebugName(0) for src in sources)
    full = f"{FAMILY} {style}" if style != "Regular" else FAMILY
    postscript = f"{FAMILY.replace(' ', '')}-{style}"
    for record in list(name.names):
        if record.nameID in (1, 2, 3, 4, 6, 16, 17):
            name.removeNames(nameID=record.nameID)
    for name_id, text in [
        (0, copyright_ + f". {FAMILY} is a subset of Noto Sans and Noto Sans CJK JP."),
        (1, FAMILY),
        (2, style),
        (3, f"{postscript};alliance-subset"),
        (4, full),
        (6, postscript),
    ]:
        name.setName(text, name_id, 3, 1, 0x409)
        name.setName(text, name_id, 1, 0, 0)
    font["OS/2"].achVendID = "NONE"


def build_weight(style: str, latin_path: Path, cjk_path: Path, chars: set[str], out: Path) -> set[str]:
    """Write one weight; return the characters neither source has."""
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    latin = TTFont(latin_path, recalcTimestamp=False)
    cjk = TTFont(cjk_path, fontNumber=CJK_JP_INDEX, recalcTimestamp=False)
    latin_chars = {c for c in chars if ord(c) in latin.getBestCmap()}
    cjk_chars = {c for c in chars - latin_chars if ord(c) in cjk.getBestCmap()}
    missing = chars - latin_chars - cjk_chars
    sources = [TTFont(latin_path), TTFont(cjk_path, fontNumber=CJK_JP_INDEX)]
    _subset(latin, latin_chars, drop_layout=False)
    _subset(cjk, cjk_chars, drop_layout=True)
    _cff_to_glyf(cjk)
    # The merger reads files; both sources have 1000 units per em, so glyphs keep their scale.
    tmp = out.with_suffix(".parts")
    tmp.mkdir(exist_ok=True)
    parts = [tmp / "latin.ttf", tmp / "cjk.ttf"]
    latin.save(parts[0])
    cjk.save(parts[1])
    merged = Merger().merge([str(p) for p in parts])
    for p in parts:
        p.unlink()
    tmp.rmdir()
    _rename(merged, style, sources)
    # Fixed dates so a rerun on the same sources writes the same bytes.
    merged["head"].created = merged["head"].modified = sources[0]["head"].modified
    merged.recalcTimestamp = False
    merged.save(out)
    return missing


def write_licence(out: Path) -> None:
    """The OFL 1.1 text with the sources' copyright lines (the licence travels with the fonts)."""
    from fontTools.ttLib import TTFont

    lines = OFL_SOURCE.read_text(encoding="utf-8").splitlines()
    start = lines.index(" PREAMBLE") if " PREAMBLE" in lines else None
    if start is None:
        sys.exit(f"no OFL text found in {OFL_SOURCE}")
    body = []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    notices = sorted(
        {TTFont(w[1])["name"].getDebugName(0) for w in WEIGHTS}
        | {TTFont(w[2], fontNumber=CJK_JP_INDEX)["name"].getDebugName(0) for w in WEIGHTS}
    )
    head = [
        f"{FAMILY} (AllianceSans-*.ttf) is a subset of Noto Sans and Noto Sans CJK JP, under a name of",
        "its own (a modified version may not use the Reserved Font Name). The sources' notices:",
        "",
        *notices,
        "Noto Sans CJK: with Reserved Font Name 'Source'.",
        "",
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        "This license is copied below, and is also available with a FAQ at: https://openfontlicense.org",
        "",
        "-----------------------------------------------------------",
        "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007",
        "-----------------------------------------------------------",
        "",
    ]
    out.write_text("\n".join(head + body).rstrip() + "\n", encoding="utf-8")


def pin_digest() -> bool:
    """Write the new fonts' digest into alliance/present/theme.py; True when it changed.

    The package changes with it, so every chapter is stale and re-runs with the new fonts."""
    sys.path.insert(0, str(ROOT))
    from alliance.present.theme import fonts_digest

    text = THEME.read_text(encoding="utf-8")
    if not _PIN.search(text):
        sys.exit(f"no FONTS_DIGEST line in {THEME}")
    pinned = _PIN.sub(f'FONTS_DIGEST = "{fonts_digest(FONT_DIR)}"', text)
    THEME.write_text(pinned, encoding="utf-8")
    return pinned != text


def main() -> int:
    chars = book_characters()
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    missing = set()
    for style, latin, cjk in WEIGHTS:
        out = FONT_DIR / f"{FAMILY.replace(' ', '')}-{style}.ttf"
        missing |= build_weight(style, latin, cjk, chars, out)
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KiB")
    write_licence(FONT_DIR / "OFL.txt")
    print(f"{len(chars)} characters covered")
    if pin_digest():
        print("new fonts: their digest is pinned in alliance/present/theme.py; run make update")
    if missing:
        listing = " ".join(f"U+{ord(c):04X}" for c in sorted(missing))
        print(f"no source font has: {listing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
