"""Every glued number in the built site's prose links to where it comes from (issue 17).

Run after `make book`. A pasted value (myst-nb's ``span.pasted-text``) holding a digit must sit
inside a link to its figure or table (alliance.build.sphinx_links): the link's anchor must exist on its
target page and its title must name what it links to. A count or sum followed by its rows link must
have the CSV, with as many rows as the link says, and for a count as many as the number shown."""

from __future__ import annotations

import csv
import posixpath
import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from alliance.data.paths import BUILD_DIR

HTML_DIR = BUILD_DIR / "html"
DIGIT = re.compile(r"\d")
NUMBER = re.compile(r"\d[\d,]*")


def built_pages() -> list[Path]:
    if not HTML_DIR.is_dir():
        pytest.fail("no built site: run `make book` first")
    return sorted(p for p in HTML_DIR.rglob("*.html")
                  if "_static" not in p.relative_to(HTML_DIR).parts
                  and p.name not in ("genindex.html", "search.html", "index.html"))


@cache
def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def ids_of(path: Path) -> frozenset[str]:
    return frozenset(tag["id"] for tag in soup_of(path).find_all(id=True))


def pastes(path: Path):
    article = soup_of(path).find("article") or soup_of(path)
    return article.select("span.pasted-text")


def _target(page: Path, href: str) -> tuple[Path, str]:
    address, _, anchor = href.partition("#")
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(str(page.relative_to(HTML_DIR))), address)) \
        if address else str(page.relative_to(HTML_DIR))
    return HTML_DIR / rel, anchor


def link_problems() -> tuple[list[str], int, int]:
    """(problems, numbers seen, words left unlinked) over the whole built site."""
    problems, numbers, words = [], 0, 0
    for page in built_pages():
        name = str(page.relative_to(HTML_DIR))
        for span in pastes(page):
            text = span.get_text(" ", strip=True)
            link = span.find_parent("a", class_="alliance-source-link")
            if not DIGIT.search(text):
                words += link is None
                continue
            numbers += 1
            context = span.find_parent(["p", "li", "td", "dd"])
            where = f"{name}: {text!r}"
            if context is not None:
                where += f" in {context.get_text(' ', strip=True)[:70]!r}"
            if link is None:
                problems.append(f"no link: {where}")
                continue
            target, anchor = _target(page, link.get("href", ""))
            if not target.is_file() or not anchor or anchor not in ids_of(target):
                problems.append(f"anchor #{anchor} not on {target.relative_to(HTML_DIR)}: {where}")
            if not re.fullmatch(r"From (Figure|Table) \d+(\.\d+)*|From [A-Z].*", link.get("title", "")) \
                    or "_" in link.get("title", ""):
                problems.append(f"title {link.get('title')!r}: {where}")
            rows = link.find_next_sibling()
            if rows is None or "alliance-rows-link" not in rows.get("class", []):
                continue
            csv_path, _ = _target(page, rows["href"])
            if not csv_path.is_file():
                problems.append(f"rows file {rows['href']} missing: {where}")
                continue
            with open(csv_path, encoding="utf-8-sig", newline="") as fh:
                n = len(list(csv.DictReader(fh)))
            if n != int(rows["data-rows"]) or n == 0:
                problems.append(f"{csv_path.name} holds {n} rows, the link says {rows['data-rows']}: {where}")
            if rows.get("data-kind") == "count":
                shown = NUMBER.search(text)
                if shown is None or int(shown.group(0).replace(",", "")) != n:
                    problems.append(f"{csv_path.name} holds {n} rows for the count {text!r}: {where}")
            readme = csv_path.with_name(csv_path.stem + "-README.txt")
            if not readme.is_file():
                problems.append(f"{readme.name} missing: {where}")
    return problems, numbers, words


@pytest.mark.site
def test_every_glued_number_links_to_its_source():
    problems, numbers, _ = link_problems()
    assert numbers > 100, f"only {numbers} glued numbers found: is the site built?"
    kinds: dict[str, int] = {}
    for p in problems:
        kinds[p.split(":")[0].split(" ")[0]] = kinds.get(p.split(":")[0].split(" ")[0], 0) + 1
    assert not problems, (f"{len(problems)} of {numbers} glued numbers fail ({kinds}):\n"
                          + "\n".join(problems[:40]))


@pytest.mark.site
def test_no_link_in_the_print_edition_source():
    """The links are HTML only: the LaTeX writer gets the value as plain text (checked on the
    built LaTeX when there is one)."""
    tex = BUILD_DIR / "latex" / "alliance-report.tex"
    if not tex.is_file():
        pytest.skip("no LaTeX build")
    text = tex.read_text(encoding="utf-8")
    assert "alliance-source-link" not in text and "value-n-" not in text


if __name__ == "__main__":  # a summary for whoever adds the missing sources
    problems, numbers, words = link_problems()
    by_page: dict[str, int] = {}
    for p in problems:
        page = p.split(": ", 1)[1].split(":")[0]
        by_page[page] = by_page.get(page, 0) + 1
    print(f"{numbers} glued numbers, {len(problems)} problems, {words} glued words unlinked")
    for page, n in sorted(by_page.items()):
        print(f"  {page}: {n}")
