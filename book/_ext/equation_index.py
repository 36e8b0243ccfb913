"""Sphinx extension: ``{equation-index}`` lists every labelled
equation of the book.

The directive leaves a placeholder; once every page has been read and numbered
(``doctree-resolved``), the placeholder becomes a table with one row per
equation of the math domain: its number as the book prints it (a link to the
equation), its label, the page and the formula. The page holding the directive
is re-read on every build so the table can never be stale.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.nodes import make_id
from sphinx.application import Sphinx
from sphinx.builders.latex.nodes import math_reference
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode


class equation_index_placeholder(nodes.General, nodes.Element):
    """Replaced by the table at doctree-resolved time."""


class EquationIndexDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        docs = getattr(self.env, "equation_index_docs", set())
        docs.add(self.env.docname)
        self.env.equation_index_docs = docs
        # The math node inside marks the page as one with mathematics, so that
        # MathJax is loaded on it (the math domain looks for math nodes when
        # the page is read).
        return [equation_index_placeholder("", nodes.math("", ""))]


def equation_number(env, docname: str, label: str, fallback: int) -> str:
    """The number Sphinx prints for an equation,
    e.g. ``3.2`` (same rule as the math domain)."""
    if env.config.numfig and env.config.math_numfig:
        node_id = make_id("equation-" + label)
        numbers = (
            env.toc_fignumbers.get(docname, {})
            .get("displaymath", {})
            .get(node_id, ())
        )
        eqno = ".".join(map(str, numbers))
        return env.config.math_numsep.join(eqno.rsplit(".", 1))
    return str(fallback)


def toc_order(env) -> list[str]:
    """Every document in the order of the table of contents, root first."""
    order: list[str] = []

    def walk(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    order += sorted(set(env.found_docs) - set(order))
    return order


# Environments that stand only at the top of a display, never inside a formula.
DISPLAY_ONLY = re.compile(
    r"\\begin\{(?:align|equation|gather|multline|eqnarray|flalign|split)\*?\}"
)


def equation_source(env, docname: str, label: str) -> str | None:
    """The LaTeX of a labelled display equation,
    shaped to sit in one table cell."""
    for block in env.get_doctree(docname).findall(nodes.math_block):
        if block.get("label") == label:
            latex = block.astext().strip()
            if DISPLAY_ONLY.search(latex):
                return None  # the number links to the equation itself
            parts = [
                p.strip() for p in re.split(r"\n\s*\n", latex) if p.strip()
            ]
            latex = r" \\ ".join(parts)
            outside = re.sub(
                r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", "", latex, flags=re.S
            )
            if r"\\" in outside:
                env_name = "aligned" if "&" in outside else "gathered"
                latex = rf"\begin{{{env_name}}}{latex}\end{{{env_name}}}"
            return r"\displaystyle " + latex
    return None


def collect(env) -> list[tuple[str, str, str]]:
    """(label, docname, printed number) for every labelled equation,
    in reading order."""
    rank = {doc: i for i, doc in enumerate(toc_order(env))}
    rows = []
    for label, (docname, number) in env.get_domain("math").equations.items():
        printed = equation_number(env, docname, label, number)
        key = tuple(int(p) for p in re.findall(r"\d+", printed)) or (number,)
        rows.append(
            (rank.get(docname, len(rank)), key, label, docname, printed)
        )
    rows.sort()
    return [
        (label, docname, printed) for _, _, label, docname, printed in rows
    ]


def _cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    para = nodes.paragraph()
    para.extend(children)
    entry += para
    return entry


def build_table(app: Sphinx, fromdocname: str) -> nodes.Node:
    env = app.env
    rows = collect(env)
    if not rows:
        return nodes.paragraph(text="The book has no labelled equation yet.")
    table = nodes.table(classes=["equation-index"])
    if app.builder.format == "latex":
        # In the PDF: a table that breaks across pages,
        # with room for the labels.
        table["classes"] += ["longtable", "colwidths-given"]
    group = nodes.tgroup(cols=4)
    table += group
    for width in (11, 28, 16, 45):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += nodes.row(
        "",
        *(
            _cell(nodes.Text(t))
            for t in ("Number", "Label", "Page", "Equation")
        ),
    )
    group += head
    body = nodes.tbody()
    group += body
    for label, docname, printed in rows:
        if app.builder.format == "latex":
            number = math_reference("", docname=docname, target=label)
        else:
            node_id = make_id("equation-" + label)
            text = nodes.Text(f"({printed})" if printed else label)
            number = make_refnode(
                app.builder, fromdocname, docname, node_id, text
            )
        source = equation_source(env, docname, label)
        formula = nodes.math(source, source) if source else nodes.Text("")
        title = (
            env.titles[docname].astext() if docname in env.titles else docname
        )
        page = make_refnode(
            app.builder, fromdocname, docname, "", nodes.Text(title)
        )
        body += nodes.row(
            "",
            _cell(number),
            _cell(nodes.literal(label, label)),
            _cell(page),
            _cell(formula),
        )
    return table


def on_doctree_resolved(
    app: Sphinx, doctree: nodes.document, docname: str
) -> None:
    for placeholder in list(doctree.findall(equation_index_placeholder)):
        placeholder.replace_self(build_table(app, docname))


def always_reread(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages with the index are re-read every build:
    their table depends on every page."""
    return sorted(
        getattr(env, "equation_index_docs", set()) & set(env.found_docs)
    )


def purge(app: Sphinx, env, docname: str) -> None:
    getattr(env, "equation_index_docs", set()).discard(docname)


def merge(app: Sphinx, env, docnames, other) -> None:
    docs = getattr(env, "equation_index_docs", set())
    env.equation_index_docs = docs | getattr(
        other, "equation_index_docs", set()
    )


def setup(app: Sphinx) -> dict:
    app.add_node(equation_index_placeholder)
    app.add_directive("equation-index", EquationIndexDirective)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("env-get-outdated", always_reread)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
