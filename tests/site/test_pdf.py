"""The whole book as one PDF (``make pdf`` writes _build/latex/book.pdf).

The PDF must carry the site's numbers: every labelled equation, figure,
chapter and question has the same number in the PDF as in the built site
(_build/html), and none is missing. It prints what a reader of the site
reads (no glue calls, no asserts), on A4, with a title page and metadata.

Skipped with a message when the PDF has not been built; under CI
(``CI=true``) or with ``NNINTRO_REQUIRE_PDF=1`` that is a failure.
``NNINTRO_PDF`` names another file (its LaTeX label file, the ``.aux``,
is read from beside it).
"""

from __future__ import annotations

import datetime
import html
import os
import re
from pathlib import Path

import pytest
import yaml
from book_sources import (
    IN_CI,
    ROOT,
    SITE_DIR,
    equation_labels,
    source_of,
    toc_docnames,
)

PDF = Path(
    os.environ.get("NNINTRO_PDF", ROOT / "_build" / "latex" / "book.pdf")
)
AUX = PDF.with_suffix(".aux")
REQUIRED = IN_CI or os.environ.get("NNINTRO_REQUIRE_PDF", "") not in ("", "0")
A4_POINTS = (595.276, 841.890)  # 210 mm x 297 mm


def missing(message: str) -> None:
    if REQUIRED:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def pdf():
    if not PDF.is_file():
        missing(
            f"no PDF at {PDF}: run `make pdf` to build it (needs TeX, "
            "see the README)"
        )
    from pypdf import PdfReader

    return PdfReader(PDF)


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [page.extract_text() or "" for page in pdf.pages]


@pytest.fixture(scope="module")
def text(pages) -> str:
    return "\n".join(pages)


@pytest.fixture(scope="module")
def aux(pdf) -> dict[str, str]:
    """LaTeX label -> number, from the label file of the last LaTeX run."""
    if not AUX.is_file():
        missing(f"no LaTeX label file at {AUX}: run `make pdf`")
    return latex_labels(AUX.read_text(encoding="utf-8", errors="replace"))


@pytest.fixture(scope="module")
def site():
    """The numbers of the built site, read from its HTML pages."""
    if not (SITE_DIR / "index.html").is_file():
        missing(f"no built site in {SITE_DIR}: run `make book` first")
    return {
        docname: site_numbers((SITE_DIR / f"{docname}.html").read_text())
        for docname in toc_docnames()
        if (SITE_DIR / f"{docname}.html").is_file()
    }


@pytest.fixture(scope="module")
def outline(pdf) -> list[tuple[int, str]]:
    """The PDF's bookmarks as (depth, title), in order."""
    found: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, " ".join(item.title.split())))

    walk(pdf.outline, 0)
    return found


# -- reading the two sides --------------------------------------------------

NEWLABEL = re.compile(r"\\newlabel\{([^{}]+)\}\{\{([^{}]*)\}")


def latex_labels(aux_text: str) -> dict[str, str]:
    """``\\newlabel{name}{{number}...}`` of a LaTeX .aux file."""
    return {name: number for name, number in NEWLABEL.findall(aux_text)}


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def site_numbers(page: str) -> dict:
    """Chapter number, equations, figures and question anchors of a page."""
    headings = [plain(h) for h in re.findall(r"<h1>(.*?)</h1>", page, re.S)]
    title = next((h for h in headings if re.match(r"\d+\.\s", h)), "")
    chapter = re.match(r"(\d+)\.\s", title)
    equations = {
        label.lower(): number
        for number, label in re.findall(
            r'<span class="eqno">\(([^)<]+)\)<a class="headerlink" '
            r'href="#equation-([^"]+)"',
            page,
        )
    }
    figures = {}
    for ident, body in re.findall(
        r'<figure[^>]*\bid="([^"]+)"[^>]*>(.*?)</figure>', page, re.S
    ):
        number = re.search(
            r'<span class="caption-number">Fig\.\s*([\d.]+)\s*</span>', body
        )
        if number:
            figures[ident] = number.group(1)
    # a question's section carries its short anchor (book/_ext/short_anchors)
    questions = re.findall(r'<section id="q(\d+)">', page)
    return {
        "chapter": chapter.group(1) if chapter else None,
        "title": title,
        "equations": equations,
        "figures": figures,
        "questions": [int(k) for k in questions],
    }


def numbered_chapters(outline) -> list[tuple[str, str]]:
    """(number, title) of each bookmark that starts with a chapter number."""
    chapters = []
    for _depth, title in outline:
        match = re.match(r"(\d+)\s+(.*)", title)
        if match and not title.startswith(("Q", "“")):
            chapters.append((match.group(1), match.group(2)))
    return chapters


def question_chapters(outline) -> dict[int, str]:
    """Question number -> number of the chapter bookmark above it."""
    found, chapter, chapter_depth = {}, None, None
    for depth, title in outline:
        match = re.match(r"(\d+)\s+\S", title)
        if match:
            chapter, chapter_depth = match.group(1), depth
            continue
        question = re.match(r"Q(\d+)\.", title)
        if question and chapter_depth is not None and depth > chapter_depth:
            found[int(question.group(1))] = chapter
    return found


def expected_questions() -> list[int]:
    """The questions whose anchor (qK)= is in a page of the table of
    contents."""
    found = set()
    for docname in toc_docnames():
        source = source_of(docname)
        if source.is_file():
            found |= {
                int(k)
                for k in re.findall(
                    r"^\(q(\d+)\)=\s*$", source.read_text(), re.M
                )
            }
    return sorted(found)


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


# -- one numbering -----------------------------------------------------------


def test_every_equation_has_the_site_number(site, aux):
    """Every labelled equation of the sources: same number in both."""
    problems = []
    count = 0
    for docname in toc_docnames():
        source = source_of(docname)
        if not source.is_file():
            continue
        for label in equation_labels(source):
            count += 1
            online = site.get(docname, {}).get("equations", {})
            online = online.get(label.lower())
            printed = aux.get(f"equation:{docname}:{label}")
            if online is None or printed is None or online != printed:
                problems.append(
                    f"{docname}:{label} site {online} pdf {printed}"
                )
    assert count > 0, "no labelled equation found in the sources"
    assert not problems, "\n".join(problems)


def test_no_equation_number_only_in_the_pdf(site, aux):
    """The PDF numbers no equation that the site leaves unnumbered."""
    online = {
        f"equation:{docname}:{label}"
        for docname, numbers in site.items()
        for label in numbers["equations"]
    }
    printed = {name.lower() for name in aux if name.startswith("equation:")}
    assert printed == {name.lower() for name in online}


def test_every_figure_has_the_site_number(site, aux):
    problems = []
    for docname, numbers in site.items():
        for ident, number in numbers["figures"].items():
            printed = aux.get(f"{docname}:{ident}")
            if printed != number:
                problems.append(
                    f"{docname}#{ident}: Fig. {number} site, pdf {printed}"
                )
    assert not problems, "\n".join(problems)


def test_the_pdf_has_as_many_figures_as_the_site(site, pages):
    """Every numbered figure of the site is a numbered figure of the PDF:
    the same list of numbers in the captions of the PDF's text and in the
    list of figures of the LaTeX run."""
    online = sorted(
        (n for numbers in site.values() for n in numbers["figures"].values()),
        key=lambda n: tuple(int(p) for p in n.split(".")),
    )
    assert online, "the site has no numbered figure"
    captions = []
    for page in pages:
        captions += re.findall(r"^Fig\.\s*(\d+\.\d+):\s", page, re.M)
    assert captions == online
    listed = re.findall(
        r"\\contentsline \{figure\}\{\\numberline \{([\d.]+)\}",
        AUX.read_text(encoding="utf-8", errors="replace"),
    )
    assert listed == online


def test_every_figure_is_drawn(pdf, site):
    """One drawing (image or vector form) per figure at least."""
    figures = sum(len(n["figures"]) for n in site.values())
    drawings = 0
    for page in pdf.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        drawings += sum(
            1
            for ref in xobjects.values()
            if ref.get_object().get("/Subtype") in ("/Image", "/Form")
        )
    assert drawings >= figures, f"{drawings} drawings for {figures} figures"


def test_chapters_have_the_site_numbers(site, outline):
    online = [
        (numbers["chapter"], numbers["title"].split(". ", 1)[-1])
        for numbers in site.values()
        if numbers["chapter"]
    ]
    printed = numbered_chapters(outline)
    assert [n for n, _ in printed] == [n for n, _ in online]
    for (number, title), (_, printed_title) in zip(
        online, printed, strict=True
    ):
        words = re.findall(r"[A-Za-z]{3,}", title)
        assert words == re.findall(r"[A-Za-z]{3,}", printed_title), number


def test_questions_are_in_the_chapters_of_the_site(site, outline):
    """Each question heading Q1..Q17 sits under the same chapter number."""
    online = {
        k: numbers["chapter"]
        for numbers in site.values()
        for k in numbers["questions"]
    }
    printed = question_chapters(outline)
    expected = expected_questions()
    assert expected == list(range(1, 18))
    assert sorted(online) == expected, "questions missing from the site"
    assert {k: printed.get(k) for k in expected} == {
        k: online[k] for k in expected
    }


def test_questions_are_headings_of_the_pdf(text):
    missing_ones = [
        k for k in expected_questions() if not re.search(rf"\bQ{k}\.", text)
    ]
    assert not missing_ones, missing_ones


def test_exercises_have_the_site_numbers(site, text):
    numbers = set()
    for docname in site:
        page = (SITE_DIR / f"{docname}.html").read_text()
        numbers |= set(
            re.findall(r'caption-number">Exercise ([\d.]+)\s*</span>', page)
        )
    assert numbers
    absent = [n for n in sorted(numbers) if f"Exercise {n}" not in text]
    assert not absent, absent


# -- what a reader reads -----------------------------------------------------


def test_no_glue_call_is_printed(pages):
    found = [
        f"page {i + 1}: {line.strip()}"
        for i, page in enumerate(pages)
        for line in page.splitlines()
        if re.search(r"\bglue\s*\(", line)
    ]
    report = "\n".join(found)
    assert not found, f"{len(found)} glue calls printed:\n{report}"


def test_no_assert_line_is_printed(pages):
    found = [
        f"page {i + 1}: {line.strip()}"
        for i, page in enumerate(pages)
        for line in page.splitlines()
        if re.match(r"\s*assert\s+\S", line)
    ]
    report = "\n".join(found)
    assert not found, f"{len(found)} assert lines printed:\n{report}"


def test_solutions_are_at_the_end_of_their_chapter(outline):
    """Where a chapter has folded solutions, they are its last section."""
    for index, (depth, title) in enumerate(outline):
        if title != "Solutions":
            continue
        after = outline[index + 1] if index + 1 < len(outline) else None
        assert after is None or after[0] < depth, after


# -- the book around it ------------------------------------------------------


def test_title_page(pages):
    cff = citation()
    first = " ".join(pages[0].split())
    assert cff["title"] in first
    assert f"Version {cff['version']}" in first
    built = re.search(r"Built on (\d{4}-\d{2}-\d{2})", first)
    assert built, first
    datetime.date.fromisoformat(built.group(1))
    url = os.environ.get("NNINTRO_SITE_URL", "").strip()
    if url:
        assert url.rstrip("/") in first.replace(" ", "")


def test_citation_on_the_back_of_the_title_page(pages):
    cff = citation()
    back = " ".join(pages[1].split())
    assert "@misc{" in back
    assert f"version = {{{cff['version']}}}" in back
    assert re.search(r"by equation \(\d+\.\d+\) of", back), back


def test_a4_paper(pdf):
    for number, page in enumerate(pdf.pages, start=1):
        box = page.mediabox
        size = (float(box.width), float(box.height))
        assert size == pytest.approx(A4_POINTS, abs=1.0), (number, size)


def test_metadata(pdf):
    cff = citation()
    info = pdf.metadata
    assert info.title == cff["title"]
    for author in cff["authors"]:
        assert author.get("name", author.get("family-names")) in info.author
    assert info.subject and len(info.subject) > 20
    keywords = info.get("/Keywords", "")
    for keyword in cff["keywords"]:
        assert keyword in keywords


def test_bookmarks_show_parts_and_chapters(outline):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    captions = [part["caption"] for part in toc.get("parts", [])]
    top = [title for depth, title in outline if depth == 0]
    for caption in captions:
        assert caption in top
    pages = sum(len(part["chapters"]) for part in toc.get("parts", []))
    assert len(numbered_chapters(outline)) == pages
