"""Numbers in the prose come from the data: every figure a chapter's text states is glued.

What may stay typed is a number that is part of a name (Article 9, Defense Innovation 4.0, the
2+2, ISO 3166), a unit of the sentence ('per 100 days'), a definition, or the 2% of GDP target,
which is the government's name for its goal; years are names of documents and events.
"""

from __future__ import annotations

import re

import nbformat

from alliance.data.paths import CHAPTERS_DIR, ROOT

# Each allowed number with the words around it that make it a name, not a figure.
NAMES = (
    "Article 9",
    "Defense Innovation 4.0",
    "2+2",
    "ISO 3166",
    "per 100 days",
    "scores 1 on",
    "is 1 in a pure",
    "2% of GDP",
    "path to 2%",
    "the 2% the government",
    "his 2% figure",
    "The 2% line",
    "chapter 8",
    "width: 100%",
    "line is 2%",
    "points of 2%",
    "(1 is the most central",
)
NUMBER = re.compile(r"(?<![\w.-])(\d[\d,.]*%?)(?![\w-])")
# Roles and links whose text is not prose typed by an author: glued values, citations, cross-references.
ROLES = re.compile(r"\{[a-z:-]+\}`[^`]*`")


def typed_numbers(markdown: str) -> list[str]:
    text = ROLES.sub("", markdown)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"^\(.*\)=$", "", text, flags=re.M)  # labels
    text = re.sub(r"^#+ *\d+\.\d* ", "# ", text, flags=re.M)
    found = []
    for match in NUMBER.finditer(text):
        value = match.group(1).rstrip(".,")
        if re.fullmatch(r"(19|20)\d\d", value) or re.fullmatch(r"\d\.", match.group(1)):
            continue  # a year, or a numbered list's item number
        around = text[max(0, match.start() - 30) : match.end() + 30]
        if not any(name in around and value in name for name in NAMES):
            found.append(f"{value!r} in '...{around.strip()}...'")
    return found


def test_the_check_finds_a_typed_figure():
    assert typed_numbers("Approval fell to 14% in May.") == ["'14%' in '...Approval fell to 14% in May....'"]
    assert typed_numbers("Approval fell to {glue:text}`low`% in 2024 under Article 9.") == []


def test_every_figure_in_the_prose_is_glued():
    typed = []
    for path in sorted(CHAPTERS_DIR.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                typed += [f"{path.name}: {t}" for t in typed_numbers(cell.source)]
    typed += [f"intro.md: {t}" for t in typed_numbers((ROOT / "intro.md").read_text(encoding="utf-8"))]
    assert typed == []
