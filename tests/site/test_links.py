"""No broken internal link: a crawl of every HTML file of the built site.

Every internal ``href``/``src`` must name a file of the site, and every
``#fragment`` an element id (or anchor name) of the page it points to. Links
to other sites are not followed (the site must work offline); the sources
must build with ``--nitpick`` as well.

Hand-written (sixty lines over BeautifulSoup) because no link checker fits
offline here: pytest-check-links (0.10.1) requires pytest < 9, reads only
``a``, ``img`` and ``iframe``, and accepts ``x.md`` for a link to ``x.html``;
LinkChecker's anchor check does not work on local files (its support was
reverted) and reports false missing anchors over HTTP; Sphinx's ``linkcheck``
checks the sources' external links, not the built HTML of the theme.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "area": "href",
    "img": "src",
    "script": "src",
    "iframe": "src",
    "source": "src",
}


@cache
def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@cache
def anchors(path: Path) -> frozenset[str]:
    page = parse(path)
    ids = {tag["id"] for tag in page.find_all(id=True)}
    names = {tag["name"] for tag in page.find_all("a", attrs={"name": True})}
    return frozenset(ids | names)


def internal_links(page: BeautifulSoup) -> list[str]:
    links = []
    for tag, attribute in LINK_ATTRIBUTES.items():
        for element in page.find_all(tag):
            url = (element.get(attribute) or "").strip()
            parts = urlsplit(url)
            if not url or parts.scheme or parts.netloc:
                continue  # empty, another host, mailto:, data:, javascript:
            links.append(url)
    return links


def resolve(site_dir: Path, page_path: Path, url: str) -> tuple[Path, str]:
    parts = urlsplit(url)
    if parts.path:
        target = (page_path.parent / unquote(parts.path)).resolve()
    else:
        target = page_path.resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def pages(site: Path) -> list[Path]:
    """The HTML pages of the site (not the theme's fragments in _static/)."""
    return sorted(
        p
        for p in site.rglob("*.html")
        if "_static" not in p.relative_to(site).parts
    )


def pdf_required() -> bool:
    """The whole-book PDF is linked from every page; it exists after
    ``make pdf`` (CI builds it and sets NNINTRO_REQUIRE_PDF)."""
    return os.environ.get("NNINTRO_REQUIRE_PDF", "") not in ("", "0")


def broken_links(site_dir: Path) -> list[str]:
    site = site_dir.resolve()
    optional = set() if pdf_required() else {site / "book.pdf"}
    problems = []
    for page_path in pages(site):
        where = page_path.relative_to(site)
        for url in internal_links(parse(page_path)):
            target, fragment = resolve(site, page_path, url)
            if not target.is_relative_to(site):
                problems.append(f"{where}: {url} leaves the site")
            elif not target.is_file():
                if target not in optional:
                    problems.append(f"{where}: {url} -> no such file")
            elif (
                fragment
                and target.suffix == ".html"
                and fragment not in anchors(target)
            ):
                name = target.relative_to(site)
                problems.append(f"{where}: {url} -> no #{fragment} in {name}")
    return problems


def test_site_has_pages(site_dir):
    assert len(pages(site_dir)) > 1


def test_no_broken_internal_link(site_dir):
    problems = broken_links(site_dir)
    assert not problems, (
        f"{len(problems)} broken internal links:\n" + "\n".join(problems)
    )


def test_crawler_sees_a_broken_link(tmp_path):
    """The crawl works: a missing page and a missing anchor are reported."""
    (tmp_path / "index.html").write_text(
        '<a href="a.html#here">ok</a> <a href="a.html#gone">x</a>'
        ' <a href="b.html">y</a> <a href="https://example.org/">external</a>'
        ' <img src="img/p.png">'
    )
    (tmp_path / "a.html").write_text('<h1 id="here">A</h1>')
    problems = broken_links(tmp_path)
    assert len(problems) == 3, problems
    assert any("#gone" in p for p in problems) and any(
        "b.html" in p for p in problems
    )
