"""The print layout of book/_ext/print_book.py, on small document trees."""

from __future__ import annotations

import sys

import pytest
from book_sources import ROOT
from docutils import nodes
from docutils.utils import new_document
from sphinx import addnodes

sys.path.insert(0, str(ROOT / "book" / "_ext"))

import print_book  # noqa: E402
from print_book import (  # noqa: E402
    book_structure,
    latex_escape,
    move_solutions,
)
from sphinx_jupyterbook_latex.nodes import HiddenCellNode  # noqa: E402
from sphinx_jupyterbook_latex.transforms import MystNbPostTransform  # noqa: E402

sphinx_exercise = pytest.importorskip("sphinx_exercise.nodes")


def cell(*tags: str, hide_mode: str | None = None) -> nodes.container:
    """A myst-nb code cell with an input and an output."""
    node = nodes.container(
        classes=["cell", *(f"tag_{t}" for t in tags)],
        nb_element="cell_code",
        cell_metadata={"tags": list(tags)},
    )
    if hide_mode:
        node["hide_mode"] = hide_mode
    node += nodes.container(classes=["cell_input"])
    node += nodes.container(classes=["cell_output"])
    return node


def test_what_the_site_hides_is_not_printed():
    """The library transform print_book registers for the latex builder
    replaces each hidden part of a cell with a node no builder renders."""
    document = new_document("<test>")
    shown, hide_input, hide_output, hide_all = (
        cell(),
        cell("hide-input", hide_mode="input"),
        cell("hide-output", hide_mode="output"),
        cell("hide-cell", hide_mode="all"),
    )
    document.extend([shown, hide_input, hide_output, hide_all])
    MystNbPostTransform(document).apply()
    printed = [
        parts(node)
        for node in document.children
        if not isinstance(node, HiddenCellNode)
    ]
    assert printed == [
        ["cell_input", "cell_output"],
        ["cell_output"],
        ["cell_input"],
    ]


def parts(node: nodes.Element) -> list[str]:
    return [
        child["classes"][0]
        for child in node.children
        if not isinstance(child, HiddenCellNode)
    ]


def exercise(label: str) -> nodes.Element:
    node = sphinx_exercise.exercise_enumerable_node(label=label)
    node += nodes.paragraph(text=f"Exercise {label}")
    return node


def solution(target: str, number: int, folded: bool = True):
    classes = ["solution", "dropdown"] if folded else ["solution"]
    node = sphinx_exercise.solution_node(
        label=f"book/page-solution-{number}",
        target_label=target,
        classes=classes,
    )
    node += nodes.paragraph(text=f"Answer to {target}")
    return node


def chapter_page(*children: nodes.Node) -> addnodes.start_of_file:
    page = addnodes.start_of_file(docname="book/page")
    chapter = nodes.section(ids=["page"])
    chapter += nodes.title("A page", "A page")
    question = nodes.section(ids=["q1"])
    question += nodes.title("Q1. A question", "Q1. A question")
    question.extend(children)
    chapter += question
    page += chapter
    return page


def test_folded_solutions_move_to_the_end_of_their_chapter():
    document = new_document("<test>")
    folded, inline = solution("ex-a", 1), solution("ex-b", 2, folded=False)
    ex_a, ex_b = exercise("ex-a"), exercise("ex-b")
    page = chapter_page(ex_a, folded, ex_b, inline)
    document += page
    assert move_solutions(document) == 1
    chapter = page.children[0]
    last = chapter.children[-1]
    assert last.children[0].astext() == "Solutions"
    assert last.children[1:] == [folded]
    question = chapter.children[1]
    assert folded not in question.children
    assert inline in question.children  # shown on the site: stays
    reference = ex_a.children[-1]
    assert isinstance(reference, nodes.raw)
    assert r"\pageref{book/page:book/page-solution-1}" in reference.astext()
    assert not isinstance(ex_b.children[-1], nodes.raw)


def test_a_chapter_without_folded_solutions_is_unchanged():
    document = new_document("<test>")
    page = chapter_page(exercise("ex-a"))
    document += page
    before = page.pformat()
    assert move_solutions(document) == 0
    assert page.pformat() == before


def root_page() -> nodes.document:
    document = new_document("<root>")
    section = nodes.section(ids=["root"])
    section += nodes.title("The book", "The book")
    section += nodes.paragraph(text="What the book is.")
    wrapper = nodes.compound(classes=["toctree-wrapper"])
    for caption, pages in (("Part I: theory", ["a", "b"]), ("Appendices", [])):
        wrapper += addnodes.toctree(caption=caption, includefiles=pages)
    section += wrapper
    document += section
    return document


def test_book_structure_puts_parts_above_the_pages():
    root = root_page()
    tree = book_structure(root, "About this book", secnumdepth=0)
    title_section = tree.children[0]
    kinds = [type(child).__name__ for child in title_section.children]
    assert kinds == [
        "title",
        "raw",
        "section",
        "raw",
        "raw",
        "toctree",
        "raw",
        "toctree",
    ]
    raws = [c.astext() for c in title_section.children if c.tagname == "raw"]
    assert raws[0] == r"\setcounter{secnumdepth}{-1}"
    assert raws[1] == r"\setcounter{secnumdepth}{0}"
    assert r"\part*{Part I: theory}" in raws[2]
    assert r"\addcontentsline{toc}{part}{Part I: theory}" in raws[2]
    assert r"\part*{Appendices}" in raws[3]
    front = title_section.children[2]
    assert front.children[0].astext() == "About this book"
    assert front.children[1].astext() == "What the book is."
    assert not list(front.findall(addnodes.toctree))
    # the root page itself is left as it was
    assert len(list(root.findall(addnodes.toctree))) == 2


def test_latex_escape():
    assert latex_escape("50% of x_1 & {y}") == r"50\% of x\_1 \& \{y\}"
    assert latex_escape("a\\b") == r"a\textbackslash{}b"


def test_verbatim_escape_keeps_every_character():
    text = "@misc{key,\n  title = {{A \\ B}},\n}"
    escaped = print_book._verbatim(text)
    assert "{" not in escaped.replace(r"\PYGZob{}", "").replace(
        r"\PYGZcb{}", ""
    ).replace(r"\PYGZbs{}", "")
    restored = (
        escaped.replace(r"\PYGZob{}", "{")
        .replace(r"\PYGZcb{}", "}")
        .replace(r"\PYGZbs{}", "\\")
    )
    assert restored == text


def test_build_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert print_book.build_date().isoformat() == "1970-01-02"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert print_book.build_date() is not None


def test_site_address(monkeypatch):
    monkeypatch.delenv("NNINTRO_SITE_URL", raising=False)
    assert print_book.site_address() == ""
    monkeypatch.setenv("NNINTRO_SITE_URL", "https://example.org/book")
    assert print_book.site_address() == "https://example.org/book/"


def dropdown(title: str, opened: bool = False) -> nodes.container:
    """A sphinx-design dropdown: a rubric (its title), then its body."""
    node = nodes.container(design_component="dropdown", opened=opened)
    node += nodes.rubric(title, title)
    node += nodes.paragraph(text=f"Body of {title}")
    return node


def test_closed_dropdowns_become_sections_ending_their_chapter():
    document = new_document("<test>")
    closed, opened = dropdown("The code"), dropdown("Open", opened=True)
    page = chapter_page(closed, opened)
    document += page
    assert print_book.move_folded_dropdowns(document) == 1
    chapter = page.children[0]
    last = chapter.children[-1]
    assert last.children[0].astext() == "The code"
    assert last.children[1].astext() == "Body of The code"
    question = chapter.children[1]
    pointer = question.children[1]
    assert isinstance(pointer, nodes.paragraph)
    assert pointer.astext().startswith("The code")
    ident = last["ids"][0]
    assert rf"\pageref{{book/page:{ident}}}" in pointer.astext()
    assert opened in question.children  # shown open on the site: stays


def table(rows: int, texts=("a", "a much longer cell")) -> nodes.table:
    node = nodes.table()
    group = nodes.tgroup(cols=len(texts))
    for _ in texts:
        group += nodes.colspec(colwidth=1)
    body = nodes.tbody()
    for _ in range(rows):
        row = nodes.row()
        for text in texts:
            entry = nodes.entry()
            entry += nodes.paragraph(text=text)
            row += entry
        body += row
    group += body
    node += group
    return node


def test_long_tables_break_across_pages_and_wrap():
    section = nodes.section()
    long, short = table(print_book.LONG_TABLE_ROWS + 1), table(3)
    boxed = nodes.admonition()
    boxed_long = table(print_book.LONG_TABLE_ROWS + 1)
    boxed += boxed_long
    section.extend([long, short, boxed])
    assert print_book.break_long_tables(section) == 1
    assert {"longtable", "colwidths-given"} <= set(long["classes"])
    widths = [spec["colwidth"] for spec in long.findall(nodes.colspec)]
    assert widths == [6, len("a much longer cell")]
    assert "longtable" not in short["classes"]
    assert "longtable" not in boxed_long["classes"]


@pytest.mark.parametrize(
    ("tex", "plain"),
    [
        (r"\tilde h", "h\u0303"),
        (r"\hat{y}", "y\u0302"),
        (r"W_y", "W_y"),
        (r"\partial\ell/\partial\tilde h = 1 - h^2", "∂ℓ/∂ h\u0303 = 1 - h^2"),
        (r"1/\sqrt{0.3}", "1/√0.3"),
    ],
)
def test_tex_to_unicode(tex, plain):
    assert print_book.tex_to_unicode(tex) == plain


def test_math_in_titles_gets_a_bookmark_spelling():
    section = nodes.section()
    title = nodes.title()
    title += nodes.Text("Q5. The prediction ")
    title += nodes.math(r"\hat y_1", r"\hat y_1")
    section += title
    assert print_book.math_in_titles(section) == 1
    raw = title.children[1]
    assert raw.astext() == (
        r"\texorpdfstring{\protect\(\hat y_1\protect\)}{y" + "\u0302" + r"\_1}"
    )
