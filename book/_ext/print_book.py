"""Sphinx extension: the PDF (latex builder) is the website in print.

Only the latex builder is changed; the website is not touched.

- Structure: each part of the table of contents (a captioned toctree of the
  root page) starts with an unnumbered ``\\part*``, and each page is a
  ``\\chapter`` numbered 1, 2, ... across the parts, as on the site; only as
  many levels are numbered as on the site (chapters only: sections keep
  their "Q14." titles).
  The root page's text becomes an unnumbered chapter before Part I. With
  ``numfig`` the LaTeX equation and figure counters restart in each chapter,
  so (5.3) and Fig. 5.1 mean the same thing in print and online.
- What a reader reads: the parts of notebook cells that the site hides behind
  a button (tags ``hide-input``, ``hide-output``, ``hide-cell``) are left out
  by sphinx-jupyterbook-latex's transform (its LaTeX layout, which needs
  XeLaTeX and ``bbm.sty``, is not used), as are removed parts (``remove-*``,
  which myst-nb already drops). Exercise
  solutions folded on the site (``:class: dropdown``) move to a "Solutions"
  section at the end of their chapter; each exercise names the page of its
  solution. Other closed dropdowns (sphinx-design) become sections at the end
  of their chapter, with a line in their place that gives the page.
- Front matter: a title page with the version (``CITATION.cff``), the build
  date (``SOURCE_DATE_EPOCH`` when set, else today) and the site's address
  (``NNINTRO_SITE_URL``, when set); the BibTeX entry and how to cite an
  equation on its back; PDF metadata (title, authors, subject, keywords).
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

from book_addresses import UNKNOWN_SITE, repo_url
from citation import bibtex_entry
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder
from sphinx.environment import BuildEnvironment
from sphinx_jupyterbook_latex.nodes import HiddenCellNode
from sphinx_jupyterbook_latex.transforms import MystNbPostTransform


def raw_latex(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def latex_escape(text: str) -> str:
    """Escape the characters that LaTeX treats specially in running text
    (Sphinx's own escaping writes \\sphinxhyphen, which a PDF string such
    as the title in the metadata cannot hold)."""
    specials = {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "#": r"\#",
        "$": r"\$",
        "%": r"\%",
        "&": r"\&",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
    return "".join(specials.get(char, char) for char in text)


def hide_what_the_site_hides(app: Sphinx) -> None:
    """For the latex builder only: the parts of notebook cells that the site
    hides behind a button (tags ``hide-input``, ``hide-output``,
    ``hide-cell``) are not printed (sphinx-jupyterbook-latex's transform)."""
    if app.builder.name == "latex":
        app.add_post_transform(MystNbPostTransform)


# For the PDF's bookmarks, which cannot show TeX: a Unicode spelling.
TEX_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
    "epsilon": "ε", "varepsilon": "ε", "eta": "η", "theta": "θ",
    "lambda": "λ", "mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ",
    "phi": "φ", "varphi": "φ", "omega": "ω", "Delta": "Δ", "Sigma": "Σ",
    "partial": "∂", "ell": "ℓ", "sum": "Σ", "nabla": "∇", "top": "ᵀ",
    "odot": "⊙", "cdot": "·", "times": "×", "infty": "∞", "leq": "≤",
    "geq": "≥", "approx": "≈", "to": "→", "in": "∈", "log": "log",
    "exp": "exp", "tanh": "tanh", "max": "max", "min": "min", "sqrt": "√",
}  # fmt: skip
TEX_ACCENTS = {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304"}
PDF_STRING_SPECIALS = {
    "_": r"\_", "^": r"\textasciicircum{}", "&": r"\&", "%": r"\%",
    "#": r"\#", "$": r"\$", "~": r"\textasciitilde{}",
}  # fmt: skip


def tex_to_unicode(tex: str) -> str:
    """A plain spelling of a short formula: ``\\tilde h`` -> h̃."""
    accent = re.compile(
        r"\\("
        + "|".join(TEX_ACCENTS)
        + r")\s*(?:\{([^{}]*)\}|(\\[A-Za-z]+|\w))"
    )
    text = accent.sub(
        lambda m: " " + (m.group(2) or m.group(3)) + TEX_ACCENTS[m.group(1)],
        tex,
    )
    text = re.sub(
        r"\\([A-Za-z]+)", lambda m: TEX_SYMBOLS.get(m.group(1), ""), text
    )
    text = re.sub(r"\\.", " ", text)
    text = text.replace("{", "").replace("}", "")
    return " ".join(text.split())


def math_in_titles(tree: nodes.Element) -> int:
    """Give each formula in a section title a plain spelling for the PDF's
    bookmarks (``\\texorpdfstring``); the page still shows the formula."""
    changed = 0
    for title in list(tree.findall(nodes.title)):
        if not isinstance(title.parent, nodes.section):
            continue
        for math in list(title.findall(nodes.math)):
            tex = math.astext()
            plain = "".join(
                PDF_STRING_SPECIALS.get(c, c) for c in tex_to_unicode(tex)
            )
            math.replace_self(
                raw_latex(
                    rf"\texorpdfstring{{\protect\({tex}\protect\)}}"
                    f"{{{plain}}}"
                )
            )
            changed += 1
    return changed


LONG_TABLE_ROWS = 10


def break_long_tables(tree: nodes.Element) -> int:
    """Let tables of more than ``LONG_TABLE_ROWS`` rows break across pages.

    LaTeX prints a table in one piece unless it is a longtable, and Sphinx
    makes one only past 30 rows; a table of tall rows then runs off the
    page. Tables inside a box (an admonition, a sidebar) stay as they are:
    a longtable cannot break inside one.
    """
    changed = 0
    for table in list(tree.findall(nodes.table)):
        rows = sum(len(body.children) for body in table.findall(nodes.tbody))
        if rows <= LONG_TABLE_ROWS or "longtable" in table["classes"]:
            continue
        if _inside_a_box(table):
            continue
        table["classes"].append("longtable")
        if "colwidths-given" not in table["classes"]:
            _widths_from_content(table)
        changed += 1
    return changed


def _widths_from_content(table: nodes.table) -> None:
    """Column widths in proportion to the longest text of each column
    (between 6 and 60 characters), so that a longtable wraps its cells
    (without widths its columns do not wrap)."""
    for group in table.findall(nodes.tgroup):
        specs = [c for c in group.children if isinstance(c, nodes.colspec)]
        longest = [6] * len(specs)
        for row in group.findall(nodes.row):
            entries = [c for c in row.children if isinstance(c, nodes.entry)]
            for column, entry in enumerate(entries[: len(specs)]):
                size = min(len(entry.astext()), 60)
                longest[column] = max(longest[column], size)
        for spec, width in zip(specs, longest, strict=True):
            spec["colwidth"] = width
    table["classes"].append("colwidths-given")


def _inside_a_box(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(
            parent, (nodes.Admonition, nodes.sidebar, nodes.topic, nodes.table)
        ):
            return True
        parent = parent.parent
    return False


def is_folded_solution(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.Element)
        and type(node).__name__ == "solution_node"
        and "dropdown" in node.get("classes", [])
    )


def own_nodes(page: nodes.Element):
    """The nodes of a page, not those of the pages it includes.

    Walks the children lists: the latex builder moves a page's children
    under a ``start_of_file`` node without updating their parent.
    """
    stack = list(reversed(page.children))
    while stack:
        node = stack.pop()
        if isinstance(node, addnodes.start_of_file):
            continue
        yield node
        stack.extend(reversed(getattr(node, "children", [])))


def is_folded_dropdown(node: nodes.Node) -> bool:
    """A sphinx-design dropdown that the site shows closed."""
    return (
        isinstance(node, nodes.container)
        and node.get("design_component") == "dropdown"
        and not node.get("opened", False)
    )


def move_folded_dropdowns(tree: nodes.Element) -> int:
    """Move each closed dropdown to a section of its own at the end of its
    chapter, titled as the dropdown; a line in its place gives the page."""
    moved = 0
    for page in list(tree.findall(addnodes.start_of_file)):
        chapter = next(
            (c for c in page.children if isinstance(c, nodes.section)), None
        )
        if chapter is None:
            continue
        docname = page["docname"]
        folded = [node for node in own_nodes(page) if is_folded_dropdown(node)]
        for number, dropdown in enumerate(folded, start=1):
            body = list(dropdown.children)
            heading = (
                body.pop(0)
                if body and isinstance(body[0], nodes.rubric)
                else None
            )
            ident = f"print-folded-{_slug(docname)}-{number}"
            title = nodes.title()
            if heading is not None:
                title.extend(child.deepcopy() for child in heading.children)
            else:
                title += nodes.Text("Details")
            section = nodes.section(ids=[ident])
            section += title
            section.extend(body)
            pointer = nodes.paragraph()
            pointer += nodes.emphasis(
                "", "", *(child.deepcopy() for child in title.children)
            )
            pointer += raw_latex(
                f": printed at the end of the chapter, page~"
                f"\\pageref{{{docname}:{ident}}}."
            )
            dropdown.replace_self(pointer)
            chapter += section
            moved += 1
    return moved


def move_solutions(tree: nodes.Element) -> int:
    """Move each folded solution to a "Solutions" section ending its chapter.

    A chapter is a page: the first section of a ``start_of_file`` node.
    Each exercise with a moved solution gets a line naming its page.
    """
    moved = 0
    for page in list(tree.findall(addnodes.start_of_file)):
        chapter = next(
            (c for c in page.children if isinstance(c, nodes.section)), None
        )
        if chapter is None:
            continue
        mine = list(own_nodes(page))
        solutions = [node for node in mine if is_folded_solution(node)]
        if not solutions:
            continue
        exercises = {
            node.get("label"): node
            for node in mine
            if type(node).__name__.startswith("exercise") and node.get("label")
        }
        docname = page["docname"]
        section = nodes.section(ids=[f"print-solutions-{_slug(docname)}"])
        section += nodes.title("Solutions", "Solutions")
        for solution in solutions:
            solution.parent.remove(solution)
            section += solution
            exercise = exercises.get(solution.get("target_label"))
            if exercise is not None:
                target = f"{docname}:{solution['label']}"
                exercise += raw_latex(
                    "\n\\par\\sphinxAtStartPar\\emph{Solution: page~"
                    f"\\pageref{{{target}}}.}}\n"
                )
            moved += 1
        chapter += section
    return moved


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def numbered_depth(env: BuildEnvironment) -> int:
    """How many levels the site numbers: 1 for chapters only."""
    depth = 0
    for numbers in env.toc_secnumbers.values():
        depth = max(depth, *(len(n) for n in numbers.values() if n))
    return max(depth, 1)


def book_structure(
    root: nodes.document, front_title: str, secnumdepth: int
) -> nodes.document:
    """Rearrange the root page: its text as an unnumbered chapter, then each
    toctree after a ``\\part*`` with its caption.

    The first section of the root stays first, so that the latex writer takes
    its title as the title of the book (and prints no heading for it).
    """
    root = root.deepcopy()
    title_section = next(root.findall(nodes.section))
    toctrees = list(title_section.findall(addnodes.toctree))
    for toctree in toctrees:
        wrapper = toctree.parent
        wrapper.remove(toctree)
        if (
            wrapper is not title_section
            and isinstance(wrapper, nodes.compound)
            and not wrapper.children
        ):
            wrapper.parent.remove(wrapper)
    title, *content = title_section.children
    title_section.children = [title]
    front = nodes.section(ids=["print-front-matter"])
    front += nodes.title(front_title, front_title)
    front.extend(content)
    for child in content:
        child.parent = front
    title_section += raw_latex(r"\setcounter{secnumdepth}{-1}")
    title_section += front
    title_section += raw_latex(rf"\setcounter{{secnumdepth}}{{{secnumdepth}}}")
    for toctree in toctrees:
        caption = toctree.get("caption")
        if caption:
            text = latex_escape(caption)
            title_section += raw_latex(
                "\\cleardoublepage\\phantomsection"
                f"\\addcontentsline{{toc}}{{part}}{{{text}}}"
                f"\\part*{{{text}}}"
            )
        title_section += toctree
    return root


class PrintLaTeXBuilder(LaTeXBuilder):
    """The latex builder, with the book's structure and print rules."""

    def assemble_doctree(self, indexfile, toctree_only, appendices):
        env = self.env
        original = env.get_doctree
        secnumdepth = numbered_depth(env) - 1
        front_title = self.config.print_book_front_title

        def get_doctree(docname: str):
            tree = original(docname)
            if docname == indexfile:
                tree = book_structure(tree, front_title, secnumdepth)
            return tree

        env.get_doctree = get_doctree
        try:
            tree = super().assemble_doctree(indexfile, False, appendices)
        finally:
            del env.get_doctree
        move_folded_dropdowns(tree)
        move_solutions(tree)
        break_long_tables(tree)
        math_in_titles(tree)
        self.context["maketitle"] = title_pages(self.app)
        return tree

    def get_contentsname(self, indexfile: str) -> str:
        """Keep LaTeX's "Contents" (the base class takes the first caption)."""
        return ""


def read_citation(confdir: str) -> dict:
    import yaml

    path = Path(confdir) / "CITATION.cff"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def build_date() -> datetime.date:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) or today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        stamp = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        return stamp.date()
    return datetime.date.today()


def site_address() -> str:
    """The published site's address, or "" when it is not known."""
    url = os.environ.get("NNINTRO_SITE_URL", "").strip()
    if not url:
        return ""
    return url if url.endswith("/") else url + "/"


def bibtex(cff: dict, url: str) -> str:
    """The BibTeX entry that the page "How to cite" shows."""
    return bibtex_entry(cff, url or UNKNOWN_SITE, repo_url())


def authors_of(cff: dict) -> list[str]:
    names = []
    for author in cff.get("authors", []):
        if "name" in author:
            names.append(author["name"])
        else:
            names.append(f"{author['given-names']} {author['family-names']}")
    return names


def pdf_string(text: str) -> str:
    """Text for a hyperref key: no braces, commas kept inside a group."""
    return "{" + latex_escape(" ".join(str(text).split())) + "}"


def front_matter(app: Sphinx, cff: dict, example: str) -> dict[str, str]:
    """The latex_elements of the title page, its back, and the PDF metadata."""
    title = latex_escape(str(cff.get("title", app.config.project)))
    authors = authors_of(cff) or [app.config.author]
    version = latex_escape(str(cff.get("version", app.config.version)))
    date = build_date().isoformat()
    url = site_address()
    subject = app.config.print_book_subject or cff.get("abstract", "")
    keywords = ", ".join(str(k) for k in cff.get("keywords", []))
    lines = [
        r"\begin{titlepage}",
        r"\hypersetup{",
        f"  pdftitle={pdf_string(cff.get('title', app.config.project))},",
        f"  pdfauthor={pdf_string(', '.join(authors))},",
        f"  pdfsubject={pdf_string(subject)},",
        f"  pdfkeywords={pdf_string(keywords)},",
        r"  pdfcreator={Jupyter Book (Sphinx, LaTeX)}}",
        r"\centering\vspace*{0.18\textheight}",
        r"{\py@HeaderFamily\Huge " + title + r"\par}\vspace{1.5em}",
        r"{\Large " + latex_escape(" and ".join(authors)) + r"\par}",
        r"\vspace{3em}",
        r"{\large Version " + version + r"\par}\vspace{0.5em}",
        r"{\large Built on " + date + r"\par}",
    ]
    if url:
        lines.append(
            r"\vspace{0.5em}{\large\url{" + _url_escape(url) + r"}\par}"
        )
    lines += [r"\vfill", r"\end{titlepage}"]
    back = [
        r"\thispagestyle{empty}",
        r"\section*{How to cite this book}",
        r"\sphinxAtStartPar",
        "Cite the book with this BibTeX entry (version " + version + "):",
        r"\begin{sphinxVerbatim}[commandchars=\\\{\}]",
        _verbatim(bibtex(cff, url)),
        r"\end{sphinxVerbatim}",
        r"\sphinxAtStartPar",
        "Equations are numbered by chapter, the same in this PDF and on the "
        "website: (5.2) is the second numbered equation of chapter 5. Each "
        "equation also has a label that never changes. Cite both, the "
        "number for the reader and the label for a later edition, for "
        "example:",
        r"\begin{quote}",
        _example_citation(example, title, version),
        r"\end{quote}",
    ]
    if url:
        back += [
            r"\sphinxAtStartPar",
            "Every equation also has an address on the website: the page's "
            "address followed by \\sphinxcode{\\sphinxupquote{\\#equation-}} "
            "and its label",
        ]
        if example:
            docname, label = example.split(":", 1)
            address = f"{url}{docname}.html#equation-{label.lower()}"
            back[-1] += ", here " + r"\url{" + _url_escape(address) + "}"
        back[-1] += "."
    return {
        "maketitle": "\n".join(lines),
        "sphinxbackoftitlepage": "\n".join(back),
    }


def _verbatim(text: str) -> str:
    """Text for sphinxVerbatim with commandchars \\{}: escape those three."""
    escapes = {"\\": r"\PYGZbs{}", "{": r"\PYGZob{}", "}": r"\PYGZcb{}"}
    return "".join(escapes.get(char, char) for char in text)


def _url_escape(address: str) -> str:
    """An address inside ``\\url{}``: escape what LaTeX would still read."""
    return address.replace("%", r"\%").replace("#", r"\#")


def _example_citation(example: str, title: str, version: str) -> str:
    if not example:
        return "by equation (N.n) of the book (its label)"
    label = example.split(":", 1)[-1]
    return (
        r"by equation \eqref{equation:" + example + "} of "
        r"\emph{" + title + "}, version " + version + r" (label "
        r"\sphinxcode{\sphinxupquote{" + latex_escape(label) + "}})"
    )


def example_equation(app: Sphinx) -> str:
    """``docname:label`` of the equation used in the citation example."""
    wanted = app.config.print_book_example_equation
    equations = app.env.get_domain("math").data.get("objects", {})
    if wanted and wanted.split(":", 1)[-1] in equations:
        label = wanted.split(":", 1)[-1]
        return f"{equations[label][0]}:{label}"
    for label, (docname, _number) in sorted(
        equations.items(), key=lambda item: (item[1][0], item[1][1])
    ):
        return f"{docname}:{label}"
    return ""


def title_pages(app: Sphinx) -> str:
    """The ``maketitle`` element: title page, then its back."""
    cff = read_citation(app.confdir)
    elements = front_matter(app, cff, example_equation(app))
    return "\n".join(
        [
            # no page anchors on these two unnumbered pages: their page
            # numbers would clash with those of the contents (i, ii)
            r"\hypersetup{pageanchor=false}",
            r"\makeatletter",
            elements["maketitle"],
            r"\makeatother",
            r"\clearpage",
            elements["sphinxbackoftitlepage"],
            r"\cleardoublepage",
            r"\hypersetup{pageanchor=true}",
        ]
    )


def setup(app: Sphinx) -> dict:
    app.add_builder(PrintLaTeXBuilder, override=True)
    HiddenCellNode.add_node(app)  # a node no builder renders
    app.connect("builder-inited", hide_what_the_site_hides)
    app.add_config_value("print_book_front_title", "About this book", "env")
    app.add_config_value("print_book_subject", "", "env")
    app.add_config_value("print_book_example_equation", "", "env")
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
