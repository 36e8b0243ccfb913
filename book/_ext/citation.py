"""Sphinx extension: how to cite the book (book/cite.md).

- ``{citation-bibtex}`` renders the book's BibTeX entry from
  ``CITATION.cff``: its ``url`` is the published site when known
  (``NNINTRO_SITE_URL``), else the repository; a note names the repository
  when the site is known too.
- ``{repository-link}`` is the repository's address as a link.
- ``{site-urls}`` lists addresses on the site, one per line, as links: full
  addresses when the site's address is known, else relative to the page.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from book_addresses import UNKNOWN_SITE, read_citation, repo_url, site_url
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

NOTE = "Every derivation verified by code at build time"


def bibtex_entry(cff: dict, url: str, repository: str = "") -> str:
    """A BibTeX ``@misc`` entry from the fields of CITATION.cff."""
    authors = " and ".join(
        "{" + a["name"] + "}"
        if "name" in a
        else f"{a['family-names']}, {a['given-names']}"
        for a in cff["authors"]
    )
    site = url if url != UNKNOWN_SITE else ""
    note = NOTE
    if site and repository:
        note += f"; source: {repository}"
    fields = [
        ("title", "{" + cff["title"] + "}"),
        ("author", authors),
        ("year", str(cff["date-released"])[:4]),
        ("version", str(cff["version"])),
        ("howpublished", "Jupyter Book website"),
        ("note", note),
    ]
    if site or repository:
        fields.append(("url", site or repository))
    body = ",\n".join(f"  {key:<12} = {{{value}}}" for key, value in fields)
    return "@misc{nnintro_backprop_by_hand,\n" + body + "\n}"


class CitationBibtex(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        confdir = self.env.app.confdir
        self.env.note_dependency(str(Path(confdir) / "CITATION.cff"))
        cff = read_citation(confdir)
        text = bibtex_entry(cff, site_url(), repo_url(confdir))
        return [nodes.literal_block(text, text, language="bibtex")]


class RepositoryLink(SphinxDirective):
    """The repository's address as a link (nothing when none is known)."""

    def run(self) -> list[nodes.Node]:
        confdir = self.env.app.confdir
        self.env.note_dependency(str(Path(confdir) / "CITATION.cff"))
        url = repo_url(confdir)
        if not url:
            return []
        link = nodes.reference(url, "", refuri=url)
        link += nodes.literal(url, url)
        return [nodes.paragraph("", "", link, classes=["nnintro-repository"])]


def site_address(docname: str, target: str) -> tuple[str, str]:
    """(text, href) of TARGET (a path from the site's root) seen from DOCNAME.

    The text is the full address when the site's address is known, otherwise
    the address relative to the page (which is also the link).
    """
    path, _, fragment = target.strip().lstrip("/").partition("#")
    relative = posixpath.relpath(path, posixpath.dirname(docname) or ".")
    href = relative + (f"#{fragment}" if fragment else "")
    url = site_url()
    text = url + target.strip().lstrip("/") if url != UNKNOWN_SITE else href
    return text, href


class SiteUrls(SphinxDirective):
    """Addresses on the site, one per line of content, each a link."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        items = nodes.bullet_list(classes=["nnintro-site-urls"])
        for line in self.content:
            if not line.strip():
                continue
            text, href = site_address(self.env.docname, line)
            link = nodes.reference(text, "", refuri=href)
            link += nodes.literal(text, text)
            items += nodes.list_item("", nodes.paragraph("", "", link))
        return [items]


def setup(app: Sphinx) -> dict:
    app.add_directive("citation-bibtex", CitationBibtex)
    app.add_directive("repository-link", RepositoryLink)
    app.add_directive("site-urls", SiteUrls)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
