"""The built website as its readers use it: a phone, a desktop, a keyboard.

In Chromium (playwright, every request to another host blocked), at 390 px
(a phone), 900 px (a tablet) and 1280 px (a desktop): the menu buttons open
and close the chapter list and the page contents; every displayed equation
fits a phone's width with its number clear of it; no image is blurry; no
output shows a raw Python repr; no code line overflows its box on a
desktop; axe-core finds no serious or critical accessibility violation in
light or dark mode; an equation's citation button copies a citation; a
figure opens full screen (tests/site/test_site_taps.py taps the rest).
From the files: the download menu's PDF and package links resolve, the
cite page has no placeholder address, and a downloaded notebook runs in a
fresh virtual environment with only pip and the published wheel.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from book_sources import IN_CI, ROOT, toc_docnames, unavailable
from bs4 import BeautifulSoup

PAGES = toc_docnames()
PHONE, TABLET, DESKTOP = 390, 900, 1280
REQUIRE_PDF = os.environ.get("NNINTRO_REQUIRE_PDF", "") not in ("", "0")
# The page whose downloaded notebook is run outside the repository.
NOTEBOOK_PAGE = os.environ.get("NNINTRO_NOTEBOOK_PAGE", "book/notation")
# Raw reprs a reader should never see in an output.
REPR = re.compile(
    r"tensor\(|dtype=torch|<Figure size|<matplotlib\.|array\(\[|<Axes"
)


sys.path.insert(0, str(ROOT / "book" / "_ext"))
import book_addresses  # noqa: E402
import downloads  # noqa: E402
import mathjax4  # noqa: E402


def open_page(browser, base_url, docname, width, **options):
    """A page at WIDTH px; requests to other hosts are aborted."""
    context = browser.new_context(
        viewport={"width": width, "height": 844}, **options
    )
    page = context.new_page()

    def route(route):
        if route.request.url.startswith(base_url + "/"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", route)
    page.goto(f"{base_url}/{docname}.html", wait_until="load")
    page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup)"
        " await MathJax.startup.promise; }"
    )
    return context, page


MEASURE_JS = r"""
async () => {
  const article = document.querySelector("article.bd-article");
  const equations = [];
  for (const math of article.querySelectorAll("div.math")) {
    const box = math.querySelector("mjx-container[display='true']");
    if (!box) continue;
    const r = box.getBoundingClientRect();
    const number = math.querySelector("span.eqno");
    let overlap = false;
    if (number) {
      const n = number.getBoundingClientRect();
      overlap = n.left < r.right - 1 && r.left < n.right - 1;
    }
    const room = math.getBoundingClientRect();
    equations.push({
      id: math.id || "(no label)",
      scrolls: box.scrollWidth > box.clientWidth + 1,
      outside: r.right > room.right + 1 || r.left < room.left - 1,
      overlap,
    });
  }
  const images = [...article.querySelectorAll("img")];
  images.forEach(img => { img.loading = "eager"; });
  await Promise.all(images.map(img => img.complete ? null :
    new Promise(done => { img.onload = done; img.onerror = done; })));
  const blurry = images
    .filter(img => img.getBoundingClientRect().width > 0)
    .filter(img => !/\.svg(\?|$)/i.test(img.currentSrc || img.src))
    .filter(img => img.naturalWidth < 1.5 * img.getBoundingClientRect().width)
    .map(img => `${(img.currentSrc || img.src).split("/").pop()}`
                + ` (${img.naturalWidth} px shown at`
                + ` ${Math.round(img.getBoundingClientRect().width)} px)`);
  const outputs = [...article.querySelectorAll("div.cell_output")]
    .map(e => e.innerText);
  const code = [];
  for (const pre of article.querySelectorAll("pre")) {
    if (pre.getClientRects().length === 0) continue;
    if (pre.scrollWidth > pre.clientWidth + 1) {
      const widest = pre.textContent.split("\n")
        .reduce((a, b) => (b.length > a.length ? b : a), "");
      code.push(`${widest.trim().slice(0, 70)} (${widest.length} columns)`);
    }
  }
  return {equations, blurry, outputs, code,
          mathjax: window.MathJax && MathJax.version};
}
"""

AXE_JS = """
async (rules) => {
  const options = {resultTypes: ["violations"]};
  if (rules) options.runOnly = rules;
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}
"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core, from the pinned npm package (never from the network)."""
    folder = mathjax4.npm_package("axe-core")
    if folder is None:
        unavailable("axe-core is missing: run `python3 scripts/fetch_npm.py`")
    return (folder / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def reader(browser, base_url):
    """reader(docname, width) -> measurements of the page (cached)."""
    cache: dict[tuple[str, int], dict] = {}

    def measure(docname: str, width: int) -> dict:
        if (docname, width) not in cache:
            context, page = open_page(browser, base_url, docname, width)
            try:
                cache[docname, width] = page.evaluate(MEASURE_JS)
            finally:
                context.close()
        return cache[docname, width]

    return measure


# --- navigation -------------------------------------------------------------


@pytest.mark.parametrize("width", [PHONE, TABLET])
@pytest.mark.parametrize(
    "side, dialog",
    [
        ("primary", "#pst-primary-sidebar-modal"),
        ("secondary", "#pst-secondary-sidebar-modal"),
    ],
)
def test_menu_opens_and_closes(browser, base_url, width, side, dialog):
    context, page = open_page(browser, base_url, "book/backprop", width)
    try:
        button = page.locator(f".{side}-toggle:visible").first
        assert button.count() == 1, f"no visible {side} menu button"
        button.click()
        modal = page.locator(dialog)
        page.wait_for_function(
            "(s) => document.querySelector(s).open", arg=dialog, timeout=5000
        )
        links = modal.locator("a:visible")
        assert links.count() > 0, f"the {side} menu opened empty"
        page.keyboard.press("Escape")
        page.wait_for_function(
            "(s) => !document.querySelector(s).open", arg=dialog, timeout=5000
        )
    finally:
        context.close()


def test_sidebar_toggles_on_a_desktop(browser, base_url):
    context, page = open_page(browser, base_url, "book/backprop", DESKTOP)
    try:
        sidebar = page.locator("#pst-primary-sidebar")
        assert sidebar.is_visible()
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_function(
            "() => document.querySelector('#pst-primary-sidebar')"
            ".classList.contains('pst-sidebar-hidden')",
            timeout=5000,
        )
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_function(
            "() => !document.querySelector('#pst-primary-sidebar')"
            ".classList.contains('pst-sidebar-hidden')",
            timeout=5000,
        )
    finally:
        context.close()


def test_no_empty_header_bar_on_a_wide_screen(browser, base_url):
    context, page = open_page(browser, base_url, "book/backprop", 1400)
    try:
        assert not page.locator("#pst-header").is_visible()
        searches = page.locator(".search-button-field:visible")
        assert searches.count() == 1, f"{searches.count()} search boxes"
    finally:
        context.close()


# --- equations --------------------------------------------------------------


@pytest.mark.parametrize("docname", PAGES)
def test_equations_fit_a_phone(reader, docname):
    """No displayed equation is wider than its box at 390 px, and none
    runs under its number."""
    equations = reader(docname, PHONE)["equations"]
    wide = [e["id"] for e in equations if e["scrolls"] or e["outside"]]
    overlapping = [e["id"] for e in equations if e["overlap"]]
    assert not wide, f"{docname}: equations wider than a phone: {wide}"
    assert not overlapping, f"{docname}: numbers over equations: {overlapping}"


def test_mathjax_4_breaks_lines(reader):
    fetched = mathjax4.npm_package("mathjax") is not None
    if not fetched and not IN_CI:
        pytest.skip("MathJax 4 not fetched: python3 scripts/fetch_npm.py")
    version = reader("book/backprop", PHONE)["mathjax"]
    assert version and version.startswith("4."), version


def test_equation_citation_button(browser, base_url):
    context, page = open_page(browser, base_url, "book/backprop", PHONE)
    try:
        math = page.locator("#equation-q14-simplified")
        number = math.locator("span.eqno").inner_text().strip("#\uf0c1 \n")
        math.locator("button.nnintro-cite").click()
        note = page.locator("div.nnintro-cite-note")
        note.wait_for(state="visible", timeout=5000)
        text = note.locator("p").inner_text()
        cff = book_addresses.read_citation(ROOT)
        assert cff["title"] in text and f"version {cff['version']}" in text
        assert f"equation {number}" in text, text
        assert text.rstrip().endswith(
            "backprop.html#equation-q14-simplified"
        ), text
        assert "<site>" not in text
    finally:
        context.close()


def test_question_links_show_on_touch_screens(browser, base_url):
    context, page = open_page(
        browser,
        base_url,
        "book/backprop",
        PHONE,
        has_touch=True,
        is_mobile=True,
    )
    try:
        link = page.locator("h2.nnintro-question a.headerlink").first
        assert link.count() == 1, "no question heading found"
        assert link.is_visible()
    finally:
        context.close()


def test_hidden_heading_links_take_no_room(browser, base_url):
    """A heading's hidden link sign adds no line to a wrapped heading."""
    context, page = open_page(browser, base_url, "book/backprop", PHONE)
    try:
        boxes = page.evaluate(
            "() => [...document.querySelectorAll('article h1 > a.headerlink,"
            " article h2 > a.headerlink')].map(a => a.getClientRects().length)"
        )
        assert boxes and not any(boxes), boxes
    finally:
        context.close()


# --- figures ----------------------------------------------------------------


@pytest.mark.parametrize("docname", PAGES)
def test_no_blurry_image(reader, docname):
    """Every image is SVG, or has at least 1.5 pixels per pixel shown."""
    for width in (PHONE, DESKTOP):
        blurry = reader(docname, width)["blurry"]
        assert not blurry, f"{docname} at {width} px: blurry: {blurry}"


def test_figure_opens_full_screen(browser, base_url):
    docname = next((d for d in PAGES if "fig-" in _source_text(d)), None)
    if docname is None:
        pytest.skip("no page with a figure in this table of contents")
    context, page = open_page(browser, base_url, docname, PHONE)
    try:
        link = page.locator("article a.nnintro-enlarge").first
        link.click()
        viewer = page.locator("dialog.nnintro-viewer")
        page.wait_for_function(
            "() => document.querySelector('dialog.nnintro-viewer').open",
            timeout=5000,
        )
        shown = viewer.locator("img").bounding_box()
        assert shown["width"] >= PHONE - 20, shown
        page.keyboard.press("Escape")
        assert not viewer.evaluate("d => d.open")
    finally:
        context.close()


def _source_text(docname: str) -> str:
    path = ROOT / f"{docname}.md"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


# --- outputs and code -------------------------------------------------------


@pytest.mark.parametrize("docname", PAGES)
def test_no_raw_repr_in_outputs(reader, docname):
    shown = [
        text.strip()[:80]
        for text in reader(docname, DESKTOP)["outputs"]
        if REPR.search(text)
    ]
    assert not shown, f"{docname}: outputs showing a raw repr: {shown}"


@pytest.mark.parametrize("docname", PAGES)
def test_code_lines_fit_on_a_desktop(reader, docname):
    wide = reader(docname, DESKTOP)["code"]
    assert not wide, f"{docname}: code lines wider than their box: {wide}"


# --- accessibility ----------------------------------------------------------


@pytest.mark.parametrize("docname", PAGES)
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_nothing_serious(
    browser, base_url, axe_source, docname, mode
):
    context, page = open_page(
        browser, base_url, docname, DESKTOP, color_scheme=mode
    )
    try:
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        assert theme == mode, f"the page shows the {theme} theme"
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(AXE_JS, None)
    finally:
        context.close()
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"{docname} ({mode}): {json.dumps(serious, indent=1)}"


def test_focus_is_visible(browser, base_url):
    """A link reached with the keyboard is outlined."""
    context, page = open_page(browser, base_url, "book/backprop", DESKTOP)
    try:
        page.locator("article.bd-article a.reference").first.focus()
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth),"
            " s.boxShadow]; }"
        )
        style, width, shadow = outline
        assert (style != "none" and width >= 1) or shadow != "none", outline
    finally:
        context.close()


# --- downloads and citing (from the files) ---------------------------------


def soup(site_dir: Path, docname: str) -> BeautifulSoup:
    html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def menu_link(site_dir: Path, docname: str, label: str) -> Path | None:
    link = soup(site_dir, docname).select_one(f"a.btn-{label}")
    if link is None:
        return None
    return (site_dir / docname).parent / link["href"]


@pytest.mark.parametrize("docname", PAGES)
def test_download_menu_offers_the_pdf_and_the_package(site_dir, docname):
    page = soup(site_dir, docname)
    if page.select_one(".dropdown-download-buttons") is None:
        pytest.skip(f"{docname} has no download menu")
    pdf = menu_link(site_dir, docname, "download-book-pdf-button")
    wheel = menu_link(site_dir, docname, "download-wheel-button")
    assert pdf is not None and wheel is not None, "menu entries missing"
    assert pdf.resolve() == (site_dir / "book.pdf").resolve()
    assert wheel.resolve().is_file(), f"no package at {wheel}"


def test_pdf_link_resolves(site_dir):
    pdf = menu_link(site_dir, PAGES[-1], "download-book-pdf-button")
    assert pdf is not None, "the download menu has no PDF entry"
    if not pdf.resolve().is_file():
        message = "no book.pdf in the site: run `make pdf` after `make book`"
        if REQUIRE_PDF:
            pytest.fail(message)
        pytest.skip(message)
    assert pdf.resolve().read_bytes()[:5] == b"%PDF-"


def test_cite_page_has_no_placeholder(site_dir):
    if "book/cite" not in PAGES:
        pytest.skip("book/cite is not in this table of contents")
    page = soup(site_dir, "book/cite")
    assert "<site>" not in page.get_text()
    links = page.select("ul.nnintro-site-urls a")
    assert links, "the cite page lists no address"
    for link in links:
        path, _, fragment = link["href"].partition("#")
        target = (site_dir / "book" / path).resolve()
        assert target.is_file(), link["href"]
        assert soup_file(target).find(id=fragment), link["href"]


def soup_file(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_install_cell_names_its_sources():
    wheel = downloads.wheel_name()
    published = downloads.install_cell_source("https://example.org/nn/", "")
    assert f"WHEEL = '{wheel}'" in published
    assert "BOOK = 'https://example.org/nn/'" in published
    assert 'sources += [BOOK + "_downloads/" + WHEEL] if BOOK' in published
    from_repo = downloads.install_cell_source(
        book_addresses.UNKNOWN_SITE, "https://github.com/o/nnintro"
    )
    assert "BOOK = None" in from_repo
    assert "REPOSITORY = 'https://github.com/o/nnintro'" in from_repo
    neither = downloads.install_cell_source(book_addresses.UNKNOWN_SITE, "")
    assert "BOOK = None" in neither and "REPOSITORY = None" in neither
    assert "from the book's download" in neither  # what to do, in one line
    for source in (published, from_repo, neither):
        compile(source, "install-cell", "exec")
        assert max(len(line) for line in source.splitlines()) <= 79


def test_notebooks_start_with_the_install_cell(site_dir):
    notebooks = sorted((site_dir / "_sources").rglob("*.ipynb"))
    assert notebooks, "the site offers no notebook"
    for path in notebooks:
        first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
        assert "nnintro-install" in first["metadata"].get("tags", []), path


def test_downloaded_notebook_runs_outside_the_repository(
    base_url, site_dir, tmp_path
):
    """The notebook and the wheel, as a reader downloads them, run in a
    fresh virtual environment that has only Jupyter's kernel and pip."""
    if NOTEBOOK_PAGE not in PAGES:
        pytest.skip(f"{NOTEBOOK_PAGE} is not in this table of contents")
    page = soup(site_dir, NOTEBOOK_PAGE)
    links = {
        label: page.select_one(f"a.btn-{label}")
        for label in ("download-notebook-button", "download-wheel-button")
    }
    assert all(links.values()), f"download links: {links}"
    folder = tmp_path / "reader"
    folder.mkdir()
    base = f"{base_url}/{NOTEBOOK_PAGE}"
    for link in links.values():
        url = urljoin(base, link["href"])
        name = url.rsplit("/", 1)[-1]
        with urllib.request.urlopen(url) as response:
            (folder / name).write_bytes(response.read())
    notebook = next(folder.glob("*.ipynb"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = dict(os.environ, PIP_CONSTRAINT=str(ROOT / "constraints.txt"))
    env.pop("PYTHONPATH", None)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "ipykernel",
            "nbclient",
        ],
        check=True,
        env=env,
    )
    kernel = subprocess.run(
        [str(python), "-c", "import nnintro"], capture_output=True, env=env
    )
    assert kernel.returncode != 0, "the fresh environment already has nnintro"
    done = subprocess.run(
        [str(venv / "bin" / "jupyter-execute"), "--inplace", notebook.name],
        cwd=folder,
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    executed = json.loads(notebook.read_text(encoding="utf-8"))
    errors = [
        output
        for cell in executed["cells"]
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors, errors
