"""The built website as its readers use it.

In Chromium (pytest-playwright), every page of the table of contents: loads
without a JavaScript error, asks nothing of any other host, typesets all its
mathematics, loads all its images, gives every image a text alternative,
keeps its headings in order, and fits a phone's width. From the HTML files:
no page or style sheet refers to another host, the question anchors and
every equation label exist, equation numbers are unique in the book, the
equation index lists them all with the numbers the pages print, the citation
page matches CITATION.cff, and every notebook page offers its source and
notebook for download.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from book_sources import (
    ALLOWED_JS_ERRORS,
    ROOT,
    equation_labels,
    source_of,
    toc_docnames,
)
from bs4 import BeautifulSoup
from docutils.nodes import make_id

PAGES = toc_docnames()
# The one JavaScript error every Jupyter Book 1 page may raise: sphinx-thebe
# writes its inline script twice. (This book drops that script.)
QUESTIONS = [f"q{k}" for k in range(1, 18)]
PHONE_WIDTH = 390


def soup(site_dir: Path, docname: str) -> BeautifulSoup:
    path = site_dir / f"{docname}.html"
    assert path.is_file(), f"{docname}.html was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def is_external(url: str) -> bool:
    """True for an address on another host (protocol-relative included)."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in (
        "",
        "data",
        "blob",
        "javascript",
        "mailto",
    )


# --- in the browser ----------------------------------------------------------


@pytest.mark.parametrize("docname", PAGES)
def test_no_javascript_error(visit, docname):
    errors = [
        e
        for e in visit(docname).js_errors
        if not e.endswith(ALLOWED_JS_ERRORS)
    ]
    assert not errors, f"{docname}: JavaScript errors: {errors}"


@pytest.mark.parametrize("docname", PAGES)
def test_no_request_to_another_host(visit, docname):
    external = visit(docname).external_requests
    assert not external, f"{docname} asked other hosts for: {external}"


@pytest.mark.parametrize("docname", PAGES)
def test_every_local_request_succeeds(visit, docname):
    failed = visit(docname).failed_requests
    assert not failed, f"{docname}: requests that failed: {failed}"


@pytest.mark.parametrize("docname", PAGES)
def test_mathematics_typeset(visit, docname):
    math = visit(docname).math
    if math["count"]:
        assert math["mathjax"], (
            f"{docname} has {math['count']} formulas but no MathJax"
        )
    assert not math["untypeset"], (
        f"{docname}: formulas left as TeX: {math['untypeset']}"
    )
    assert not math["errors"], f"{docname}: MathJax errors: {math['errors']}"
    assert not math["raw_tex"], (
        f"{docname}: raw TeX in the text: {math['raw_tex']}"
    )


@pytest.mark.parametrize("docname", PAGES)
def test_images_load(visit, docname):
    broken = [
        img["src"]
        for img in visit(docname).images
        if img["natural_width"] <= 0
    ]
    assert not broken, f"{docname}: images that did not load: {broken}"


@pytest.mark.parametrize("docname", PAGES)
def test_images_have_alt_text(visit, docname):
    missing = [
        img["src"]
        for img in visit(docname).images
        if img["in_article"] and not (img["alt"] or "").strip()
    ]
    assert not missing, f"{docname}: images without alt text: {missing}"


@pytest.mark.parametrize("docname", PAGES)
def test_headings_in_order(visit, docname):
    headings = visit(docname).headings
    assert headings and headings[0][0] == 1, (
        f"{docname} does not open with a title: {headings}"
    )
    assert sum(level == 1 for level, _ in headings) == 1, (
        f"{docname}: several titles"
    )
    for (before, _), (level, text) in zip(headings, headings[1:]):
        assert level <= before + 1, (
            f"{docname}: heading '{text}' (h{level}) follows an h{before}"
        )


@pytest.mark.parametrize("docname", PAGES)
def test_fits_a_phone(visit, docname):
    """At 390 px the page does not scroll sideways (wide content scrolls in
    its own box)."""
    overflow = visit(docname, PHONE_WIDTH).overflow
    widest = max(overflow["document"], overflow["body"])
    assert widest <= overflow["viewport"], (
        f"{docname} at {PHONE_WIDTH} px: {overflow}"
    )


# --- in the HTML files -------------------------------------------------------

LOADING_TAGS = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "link": "href",
}
URL_IN_TEXT = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
URL_IN_CSS = re.compile(
    r"(?:url\(\s*['\"]?|@import\s+['\"])\s*(?:https?:)?//", re.I
)


def html_files(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def test_html_loads_nothing_from_other_hosts(site_dir):
    offenders = []
    for path in html_files(site_dir):
        name = path.relative_to(site_dir)
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in LOADING_TAGS.items():
            for element in page.find_all(tag):
                url = element.get(attribute) or ""
                if url and is_external(url):
                    offenders.append(f"{name}: <{tag} {attribute}={url}>")
                if tag == "img" and "srcset" in element.attrs:
                    offenders.append(f"{name}: srcset {element['srcset']}")
        for script in page.find_all("script", src=False):
            if URL_IN_TEXT.search(script.get_text()):
                offenders.append(f"{name}: inline script names a host")
        for style in page.find_all("style"):
            if URL_IN_CSS.search(style.get_text()):
                offenders.append(f"{name}: inline style loads from a host")
    assert not offenders, "\n".join(offenders)


def test_style_sheets_load_nothing_from_other_hosts(site_dir):
    offenders = [
        str(path.relative_to(site_dir))
        for path in sorted(site_dir.rglob("*.css"))
        if URL_IN_CSS.search(
            path.read_text(encoding="utf-8", errors="replace")
        )
    ]
    assert not offenders, (
        f"style sheets that load from another host: {offenders}"
    )


def test_mathjax_is_bundled(site_dir):
    page = soup(site_dir, PAGES[0])
    sources = [s.get("src", "") for s in page.find_all("script")]
    mathjax = [s for s in sources if "mathjax" in s.lower()]
    assert mathjax and not any(is_external(s) for s in mathjax), sources


def test_every_question_has_one_anchor(site_dir):
    where = {q: [] for q in QUESTIONS}
    for docname in PAGES:
        ids = {tag["id"] for tag in soup(site_dir, docname).find_all(id=True)}
        for q in QUESTIONS:
            if q in ids:
                where[q].append(docname)
    missing = [q for q, pages in where.items() if not pages]
    doubled = {q: pages for q, pages in where.items() if len(pages) > 1}
    assert not missing, f"question anchors missing from the book: {missing}"
    assert not doubled, f"question anchors on several pages: {doubled}"


def labelled_pages() -> list[tuple[str, str]]:
    return [
        (docname, label)
        for docname in PAGES
        if source_of(docname).is_file()
        for label in equation_labels(source_of(docname))
    ]


@pytest.mark.parametrize("docname", PAGES)
def test_equation_labels_have_anchors(site_dir, docname):
    source = source_of(docname)
    labels = equation_labels(source) if source.is_file() else []
    ids = {tag["id"] for tag in soup(site_dir, docname).find_all(id=True)}
    missing = [
        label for label in labels if make_id(f"equation-{label}") not in ids
    ]
    assert not missing, f"{docname}: equations without their anchor: {missing}"


def printed_numbers(site_dir: Path) -> dict[str, tuple[str, str]]:
    """label -> (docname, number printed next to the equation), whole book."""
    numbers = {}
    for docname in PAGES:
        for eqno in soup(site_dir, docname).select("span.eqno"):
            link = eqno.find("a", class_="headerlink")
            anchor = (link.get("href", "") if link else "").lstrip("#")
            number = (
                eqno.get_text().replace("\uf0c1", "").replace("#", "").strip()
            )
            numbers[anchor.removeprefix("equation-")] = (docname, number)
    return numbers


def test_equation_numbers_unique_and_chapter_prefixed(site_dir):
    numbers = printed_numbers(site_dir)
    seen: dict[str, str] = {}
    for label, (docname, number) in numbers.items():
        assert re.fullmatch(r"\(\d+\.\d+\)", number), (
            f"{label} on {docname}: {number!r}"
        )
        assert number not in seen, (
            f"{number} is both {seen[number]} and {label}"
        )
        seen[number] = label


def test_equation_index_lists_every_equation(site_dir):
    if "book/equations" not in PAGES:
        pytest.skip("book/equations is not in this table of contents")
    index = soup(site_dir, "book/equations")
    expected = {label for _, label in labelled_pages()}
    table = index.select_one("table.equation-index")
    if not expected:
        assert table is None and "no labelled equation" in index.get_text()
        return
    assert table is not None, "the equation index has no table"
    rows = {}
    for row in table.select("tbody tr"):
        cells = row.find_all("td")
        label = cells[1].get_text().strip()
        rows[label] = (cells[0].get_text().strip(), cells[0].find("a")["href"])
    numbers = printed_numbers(site_dir)
    assert set(rows) == expected, "the index and the pages' labels differ"
    for label, (number, href) in rows.items():
        node_id = make_id(f"equation-{label}")
        docname, printed = numbers[node_id.removeprefix("equation-")]
        assert number == printed, (
            f"{label}: index says {number}, page prints {printed}"
        )
        assert href.split("/")[-1] == f"{Path(docname).name}.html#{node_id}", (
            href
        )


def test_citation_file_and_cite_page(site_dir):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for key in (
        "cff-version",
        "message",
        "title",
        "authors",
        "version",
        "date-released",
    ):
        assert key in cff, f"CITATION.cff lacks {key}"
    if "book/cite" not in PAGES:
        pytest.skip("book/cite is not in this table of contents")
    page = soup(site_dir, "book/cite")
    bibtex = page.select_one("div.highlight-bibtex pre") or page.find("pre")
    text = bibtex.get_text()
    assert text.startswith("@misc{")
    assert "{" + cff["title"] + "}" in text and cff["version"] in text
    body = page.get_text()
    assert "#q14" in body and "#equation-q14-simplified" in body


def is_notebook(docname: str) -> bool:
    source = source_of(docname)
    return (
        source.is_file()
        and "kernelspec:" in source.read_text(encoding="utf-8")[:1000]
    )


@pytest.mark.parametrize("docname", [d for d in PAGES if is_notebook(d)])
def test_notebook_pages_offer_downloads(site_dir, docname):
    page = soup(site_dir, docname)
    links = {
        a.get("href", "") for a in page.select("a.btn-download-source-button")
    }
    links |= {
        a.get("href", "")
        for a in page.select("a.btn-download-notebook-button")
    }
    suffixes = {Path(link).suffix for link in links}
    assert {".md", ".ipynb"} <= suffixes, f"{docname}: download links {links}"
    for link in links:
        target = (site_dir / docname).parent / link
        assert target.resolve().is_file(), (
            f"{docname}: {link} is not in the site"
        )


# Part I and Part II: every one of them states checked claims.
CONTENT_PAGES = (
    "data",
    "forward",
    "loss",
    "optimisation",
    "backprop",
    "manual_network",
    "batch_lr_study",
    "pytorch",
    "digits",
    "svm",
)


def test_ledger_lists_the_claims_of_every_content_page(site_dir):
    page = BeautifulSoup(
        (site_dir / "book" / "ledger.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    target = page.find(id=re.compile(r"^claims"))
    assert target is not None, "the ledger has no element with id claims*"
    section = (
        target if target.name == "section" else target.find_parent("section")
    )
    rows = section.select("table.claims-ledger tbody tr")
    assert rows, "the claims section has no table"
    pages = set()
    for row in rows:
        link = row.select_one("a")
        target, _, anchor = link["href"].partition("#")
        assert anchor.startswith("claim-"), link["href"]
        pages.add(Path(target).stem)
        verdict = row.find_all("td")[-1].get_text(strip=True)
        assert verdict == "holds", row.get_text(" ", strip=True)
    assert pages >= set(CONTENT_PAGES), sorted(set(CONTENT_PAGES) - pages)


def test_each_claim_anchor_exists_on_its_page(site_dir):
    ledger = site_dir / "book" / "ledger.html"
    page = BeautifulSoup(ledger.read_text(encoding="utf-8"), "html.parser")
    for link in page.select("table.claims-ledger tbody tr a"):
        target, _, anchor = link["href"].partition("#")
        html = (ledger.parent / target).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, link["href"]
