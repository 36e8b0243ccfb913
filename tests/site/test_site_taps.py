"""The built website tapped and clicked, at 390 px (a phone, touch) and
1280 px (a desktop, mouse).

Each test performs one interaction a reader performs and checks what they
should see: the "On this page" entries lead to ``#q16`` and a phone's drawer
closes and scrolls there; an equation's citation note is opaque, wrapped,
inside the screen and dismissible; a tap on the title of a solution opens
it without a script error; a figure opens full screen, can be pinched, and
Escape closes it; a phone shows figures with tick labels at least 10 px
tall; copy buttons show on touch screens; wide tables say they scroll;
search snippets show no LaTeX; the checked claims show each sentence and
its named values; dark mode keeps figures crisp; axe-core finds nothing
serious or critical before and after the widgets are used, light and dark.
From the files: the repository is linked on every page and in the BibTeX
entry, and the downloaded notebooks carry their outputs.
``NNINTRO_SCREENSHOTS=folder`` keeps a screenshot of each interaction.
"""

from __future__ import annotations

import json
import os
import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from book_sources import ALLOWED_JS_ERRORS, ROOT, toc_docnames
from bs4 import BeautifulSoup

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import book_addresses  # noqa: E402
import mathjax4  # noqa: E402

PAGES = toc_docnames()
PHONE, DESKTOP = 390, 1280
WIDTHS = [PHONE, DESKTOP]
SCREENSHOTS = os.environ.get("NNINTRO_SCREENSHOTS")  # a folder, if set
EQUATION_PAGE = "book/backprop"  # equations, folded solutions, questions
QUESTION = "q16"
MIN_TICK_PX = 10.0
SVG = "{http://www.w3.org/2000/svg}"


class Tab:
    """A page open in its own browser context; script errors recorded."""

    def __init__(self, browser, base_url, docname, width, **options):
        phone = width <= PHONE
        if phone:
            options.setdefault("has_touch", True)
            options.setdefault("is_mobile", True)
        self.context = browser.new_context(
            viewport={"width": width, "height": 844 if phone else 800},
            **options,
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.width, self.phone = width, phone

        def route(route):
            if route.request.url.startswith(base_url + "/"):
                route.continue_()
            else:
                route.abort()

        def on_console(message):
            if message.type == "error" and not message.text.startswith(
                "Failed to load resource"
            ):
                self.errors.append(message.text)

        self.page.route("**/*", route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", on_console)
        self.page.goto(f"{base_url}/{docname}.html", wait_until="load")
        self.page.evaluate(
            "async () => { if (window.MathJax && MathJax.startup)"
            " await MathJax.startup.promise; }"
        )

    def press(self, locator) -> None:
        """A tap on a phone, a click on a desktop."""
        if self.phone:
            locator.tap()
        else:
            locator.click()

    def script_errors(self) -> list[str]:
        return [
            e
            for e in self.errors
            if not any(allowed in e for allowed in ALLOWED_JS_ERRORS)
        ]

    def shot(self, name: str) -> None:
        if SCREENSHOTS:
            path = Path(SCREENSHOTS) / f"{name}-{self.width}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(path))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, base_url):
    opened: list[Tab] = []

    def open_tab(docname: str, width: int, **options) -> Tab:
        opened.append(Tab(browser, base_url, docname, width, **options))
        return opened[-1]

    yield open_tab
    for each in opened:
        each.close()


def section_top(tab: Tab, ident: str) -> float:
    return tab.page.evaluate(
        "(id) => document.getElementById(id).getBoundingClientRect().top",
        ident,
    )


def figure_page() -> str:
    for docname in PAGES:
        source = ROOT / f"{docname}.md"
        if source.is_file() and "fig-" in source.read_text(encoding="utf-8"):
            return docname
    pytest.skip("no page with a figure in this table of contents")


# --- "On this page": short anchors, the drawer closes ----------------------


def test_every_contents_list_links_questions_by_their_short_anchor(site_dir):
    for docname in PAGES:
        html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        for link in page.select("#pst-page-toc-nav a, .bd-sidebar a"):
            text = link.get_text(" ", strip=True)
            if re.match(r"Q\d+\.", text):
                number = text.split(".")[0][1:]
                assert link["href"].endswith(f"#q{number}"), (
                    docname,
                    link["href"],
                )
        for heading in page.select("article h2"):
            if re.match(r"Q\d+\.", heading.get_text(strip=True)):
                section = heading.find_parent("section")
                assert re.fullmatch(r"q\d+", section["id"]), section["id"]


@pytest.mark.parametrize("width", WIDTHS)
def test_contents_entry_leads_to_the_short_anchor(tab, width):
    reader = tab(EQUATION_PAGE, width)
    page = reader.page
    if reader.phone:
        reader.press(page.locator(".secondary-toggle:visible").first)
        page.wait_for_function(
            "() => document.querySelector('#pst-secondary-sidebar-modal')"
            ".open",
            timeout=5000,
        )
        entry = page.locator(
            f"#pst-secondary-sidebar-modal a[href='#{QUESTION}']"
        )
    else:
        entry = page.locator(f"#pst-page-toc-nav a[href='#{QUESTION}']")
    assert entry.count() == 1, f"no contents entry links #{QUESTION}"
    reader.press(entry)
    if reader.phone:
        page.wait_for_function(
            "() => !document.querySelector('#pst-secondary-sidebar-modal')"
            ".open",
            timeout=5000,
        )
    page.wait_for_function(
        "(id) => Math.abs(document.getElementById(id)"
        ".getBoundingClientRect().top) < 120",
        arg=QUESTION,
        timeout=5000,
    )
    page.wait_for_timeout(400)  # anything that scrolls back would have
    assert page.evaluate("() => window.location.hash") == f"#{QUESTION}"
    top = section_top(reader, QUESTION)
    assert -5 <= top < 120, f"#{QUESTION} is at {top} px, not at the top"
    assert page.locator(f"#{QUESTION} h2").is_visible()
    assert not reader.script_errors(), reader.script_errors()


# --- the citation note -------------------------------------------------------


NOTE_JS = """
() => {
  const note = document.querySelector("div.nnintro-cite-note");
  const box = note.getBoundingClientRect();
  const text = note.querySelector("p");
  const colour = getComputedStyle(note).backgroundColor;
  const alpha = colour.startsWith("rgba") ? parseFloat(colour.split(",")[3])
                                          : 1;
  return {left: box.left, right: box.right, top: box.top,
          bottom: box.bottom, width: innerWidth, height: innerHeight,
          alpha, wraps: text.scrollWidth <= text.clientWidth + 1,
          text: text.innerText};
}
"""


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_citation_note_is_readable_and_dismissible(tab, width, mode):
    reader = tab(EQUATION_PAGE, width, color_scheme=mode)
    page = reader.page
    math = page.locator("#equation-q14-simplified")
    math.scroll_into_view_if_needed()
    reader.press(math.locator("button.nnintro-cite"))
    note = page.locator("div.nnintro-cite-note")
    note.wait_for(state="visible", timeout=5000)
    reader.shot(f"cite-note-{mode}")
    shown = page.evaluate(NOTE_JS)
    assert shown["alpha"] == 1, "the note lets the page show through"
    assert 0 <= shown["left"] and shown["right"] <= shown["width"], shown
    assert 0 <= shown["top"] and shown["bottom"] <= shown["height"], shown
    assert shown["wraps"], "the citation is cut at the right"
    assert shown["text"].rstrip().endswith("#equation-q14-simplified")
    # covers nothing it would need: not the equation's own number
    number = math.locator("span.eqno").bounding_box()
    box = note.bounding_box()
    assert not (
        number["y"] < box["y"] + box["height"]
        and box["y"] < number["y"] + number["height"]
        and number["x"] < box["x"] + box["width"]
        and box["x"] < number["x"] + number["width"]
    ), "the note covers the equation's number"
    reader.press(note.locator("button.nnintro-cite-close"))
    note.wait_for(state="hidden", timeout=5000)
    reader.press(math.locator("button.nnintro-cite"))
    note.wait_for(state="visible", timeout=5000)
    page.keyboard.press("Escape")
    note.wait_for(state="hidden", timeout=5000)
    assert not reader.script_errors(), reader.script_errors()


# --- solutions ---------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_a_tap_on_a_solution_title_opens_it(tab, width):
    reader = tab(EQUATION_PAGE, width)
    page = reader.page
    solution = page.locator(".solution.dropdown").first
    title = solution.locator(".admonition-title")
    assert "toggle-hidden" in solution.get_attribute("class")
    words = title.locator("a").first  # "Exercise 5.1", a link
    words.scroll_into_view_if_needed()
    before = page.evaluate("() => window.location.href")
    reader.press(words)
    page.wait_for_function(
        "(e) => !e.classList.contains('toggle-hidden')",
        arg=solution.element_handle(),
        timeout=5000,
    )
    assert solution.locator("section").first.is_visible()
    assert page.evaluate("() => window.location.href") == before, (
        "the tap followed the link instead of opening the solution"
    )
    assert title.locator("button").get_attribute("aria-expanded") == "true"
    reader.press(title)  # the title's own box closes it again
    page.wait_for_function(
        "(e) => e.classList.contains('toggle-hidden')",
        arg=solution.element_handle(),
        timeout=5000,
    )
    assert not reader.script_errors(), reader.script_errors()


# --- figures -----------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_figure_zoom_fills_the_screen_and_escape_closes_it(tab, width):
    reader = tab(figure_page(), width)
    page = reader.page
    link = page.locator("article a.nnintro-enlarge").first
    link.scroll_into_view_if_needed()
    reader.press(link)
    viewer = page.locator("dialog.nnintro-viewer")
    page.wait_for_function(
        "() => document.querySelector('dialog.nnintro-viewer').open",
        timeout=5000,
    )
    page.wait_for_function(
        "() => document.querySelector('dialog.nnintro-viewer img').complete"
    )
    reader.shot("zoom")
    size = page.evaluate(
        """() => {
      const d = document.querySelector("dialog.nnintro-viewer");
      const img = d.querySelector("img");
      const box = d.getBoundingClientRect();
      const ratio = img.naturalWidth / img.naturalHeight;
      const w = Math.min(box.width, box.height * ratio);
      return {dialog: [box.left, box.top, box.width, box.height],
              shown: [w, w / ratio], screen: [innerWidth, innerHeight],
              touch: getComputedStyle(img).touchAction,
              viewport: [...document.querySelectorAll("meta[name=viewport]")]
                  .map(m => m.content).join(";")};
    }"""
    )
    left, top, w, h = size["dialog"]
    screen_w, screen_h = size["screen"]
    assert (left, top) == (0, 0) and (w, h) == (screen_w, screen_h), size
    shown_w, shown_h = size["shown"]
    assert shown_w >= screen_w - 1 or shown_h >= screen_h - 1, size
    assert size["touch"] in ("auto", "pinch-zoom", "manipulation"), size
    assert "user-scalable=no" not in size["viewport"].replace(" ", "")
    assert "maximum-scale=1" not in size["viewport"].replace(" ", "")
    reader.press(viewer.locator("img"))  # a tap on the figure keeps it open
    assert viewer.evaluate("d => d.open")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => !document.querySelector('dialog.nnintro-viewer').open",
        timeout=2000,
    )
    reader.press(link)  # opens again, closes with the button
    page.wait_for_function(
        "() => document.querySelector('dialog.nnintro-viewer').open"
    )
    reader.press(viewer.locator("button.nnintro-viewer-close"))
    assert not viewer.evaluate("d => d.open")
    assert not reader.script_errors(), reader.script_errors()


def _scale(element) -> float | None:
    found = re.search(r"scale\(([\d.]+) -", element.get("transform", ""))
    return float(found.group(1)) if found else None


def _box(element) -> tuple[float, float]:
    _, _, width, height = (float(v) for v in element.get("viewBox").split())
    return width, height


def tick_label_px(svg_text: str, shown_width: float) -> float | None:
    """The smallest tick label of a Matplotlib SVG, in CSS px, when the
    image is shown SHOWN_WIDTH px wide: the drawing its style sheet selects
    at that width, its glyphs' scale (a 10 pt label has scale 0.1)."""
    root = ElementTree.fromstring(svg_text.encode("utf-8"))
    outer_w, outer_h = _box(root)
    drawing, factor = root, shown_width / outer_w
    style = "".join(s.text or "" for s in root.iter(f"{SVG}style"))
    limit = re.search(r"@media \(max-width:(\d+)px\)", style)
    for inner in root.iter(f"{SVG}svg"):
        if "nnintro-phone" in inner.get("class", ""):
            if limit and shown_width <= float(limit.group(1)):
                width, height = _box(inner)
                drawing = inner
                factor *= min(outer_w / width, outer_h / height)
            else:
                inner.clear()  # not shown at this width
    sizes = []
    for group in drawing.iter(f"{SVG}g"):
        if not re.fullmatch(r"(phone-)?[xy]tick_\d+", group.get("id", "")):
            continue
        for glyphs in group.iter(f"{SVG}g"):
            scale = _scale(glyphs)
            if scale is not None:
                points = scale * 100  # glyphs are drawn at 100 units per pt
                sizes.append(points * factor)
    return min(sizes) if sizes else None


@pytest.mark.parametrize(
    "docname", [d for d in PAGES if (ROOT / f"{d}.md").is_file()]
)
def test_tick_labels_are_legible_on_a_phone(tab, site_dir, docname):
    reader = tab(docname, PHONE)
    shown = reader.page.evaluate(
        """() => [...document.querySelectorAll("article img")]
          .filter(img => img.getBoundingClientRect().width > 0)
          .map(img => [img.getAttribute("src"),
                       img.getBoundingClientRect().width])"""
    )
    small = []
    for src, width in shown:
        if not src.endswith(".svg"):
            continue
        path = (site_dir / docname).parent / src
        size = tick_label_px(path.read_text(encoding="utf-8"), width)
        if size is not None and size < MIN_TICK_PX:
            small.append(f"{path.name[:12]}: {size:.1f} px at {width:.0f}")
    if docname == figure_page() and shown:
        reader.page.locator("article img").first.scroll_into_view_if_needed()
        reader.shot("phone-figure")
    assert not small, f"{docname}: tick labels under 10 px: {small}"


@pytest.mark.parametrize("width", WIDTHS)
def test_dark_mode_figures_are_not_dimmed(tab, width):
    reader = tab(figure_page(), width, color_scheme="dark")
    looks = reader.page.evaluate(
        """() => [...document.querySelectorAll("article img")].map(img => {
          const s = getComputedStyle(img);
          return [s.filter, s.backgroundColor];
        })"""
    )
    assert looks
    for filter_, background in looks:
        assert filter_ == "none", looks
        assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), looks
    reader.page.locator("article img").first.scroll_into_view_if_needed()
    reader.shot("dark-figure")


# --- code, tables, search, claims -------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_copy_buttons_show_on_touch_and_on_hover(tab, width):
    reader = tab(figure_page(), width)
    page = reader.page
    code = page.locator("article div.highlight").first
    code.scroll_into_view_if_needed()
    if not reader.phone:
        code.hover()
    button = code.locator("button.copybtn")
    page.wait_for_function(
        "(b) => getComputedStyle(b).opacity === '1'",
        arg=button.element_handle(),
        timeout=3000,
    )
    assert button.is_visible()


# Measured once MathJax has typeset the page (formulas change the tables'
# widths) and the page's script has had two frames to measure again.
TABLES = """async () => {
  const startup = window.MathJax && window.MathJax.startup;
  if (startup && startup.promise) await startup.promise;
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  await frame();
  await frame();
  return [...document.querySelectorAll(
      "article .pst-scrollable-table-container")].map(box => {
          const hint = box.previousElementSibling;
          const shown = hint && hint.classList.contains("nnintro-scroll-hint")
              && !hint.hidden && hint.getClientRects().length > 0;
          return [box.scrollWidth > box.clientWidth + 1, Boolean(shown),
                  box.tabIndex];
        })}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("docname", ["book/ledger", "book/loss"])
def test_wide_tables_say_that_they_scroll(tab, width, docname):
    reader = tab(docname, width)
    found = reader.page.evaluate(TABLES)
    assert found, f"{docname} has no table"
    for wide, hinted, tab_index in found:
        assert wide == hinted, found
        assert not wide or tab_index == 0, found
    if width == PHONE and docname == "book/ledger":
        assert any(wide for wide, _, _ in found), "no table scrolls at 390 px"


def test_the_scroll_hint_follows_the_width(tab):
    reader = tab("book/ledger", PHONE)
    assert any(wide for wide, _, _ in reader.page.evaluate(TABLES))
    reader.page.set_viewport_size({"width": DESKTOP, "height": 900})
    found = reader.page.evaluate(TABLES)
    assert all(wide == hinted for wide, hinted, _ in found), found
    assert not all(wide for wide, _, _ in found), found


@pytest.mark.parametrize("width", WIDTHS)
def test_search_snippets_show_no_latex(tab, width):
    reader = tab("search", width)
    page = reader.page
    page.goto(page.url + "?q=shapes", wait_until="load")
    page.wait_for_selector("#search-results ul.search li p", timeout=20000)
    page.wait_for_timeout(500)
    snippets = page.locator("#search-results ul.search li p").all_inner_texts()
    assert snippets
    raw = [s[:80] for s in snippets if re.search(r"\\[A-Za-z(\[]|\$\$", s)]
    assert not raw, f"snippets with LaTeX source: {raw}"


@pytest.mark.parametrize("width", WIDTHS)
def test_checked_claims_show_sentences_and_named_values(tab, width):
    reader = tab(figure_page(), width)
    page = reader.page
    block = page.locator("div.checked-claims").first
    block.scroll_into_view_if_needed()
    reader.shot("checked-claims")
    padding = block.evaluate(
        "b => ['paddingLeft', 'paddingTop', 'paddingBottom']"
        ".map(p => parseFloat(getComputedStyle(b)[p]))"
    )
    assert padding[0] >= 8 and padding[1] >= 4 and padding[2] >= 4, padding
    for claim in block.locator("li.claim").all():
        sentence = claim.locator(".claim-statement").inner_text()
        detail = claim.locator(".claim-detail").inner_text()
        assert len(sentence.split()) >= 3, sentence
        assert "Test:" in detail, detail
        if "Measured:" in detail:  # each value: its name, then the number
            numbers = claim.locator(".claim-detail strong").all_inner_texts()
            assert numbers and all(
                re.fullmatch(r"-?[\d.]+(e[-+]?\d+)?|True|False|nan|inf", n)
                for n in numbers
            ), numbers
    box = block.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1


# --- accessibility after the widgets are used -------------------------------


AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}
"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    folder = mathjax4.npm_package("axe-core")
    if folder is None:
        pytest.skip("axe-core is missing: run `python3 scripts/fetch_npm.py`")
    return (folder / "axe.min.js").read_text(encoding="utf-8")


def use_widgets(reader: Tab) -> None:
    """Open a solution, copy a citation, scroll (back-to-top shows)."""
    page = reader.page
    solution = page.locator(".solution.dropdown").first
    reader.press(solution.locator(".admonition-title"))
    page.wait_for_function(
        "(e) => !e.classList.contains('toggle-hidden')",
        arg=solution.element_handle(),
    )
    cite = page.locator("button.nnintro-cite").first
    cite.scroll_into_view_if_needed()
    reader.press(cite)
    page.locator("div.nnintro-cite-note").wait_for(state="visible")
    page.mouse.wheel(0, -200)
    page.wait_for_timeout(300)


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_before_and_after_the_widgets(tab, axe_source, width, mode):
    reader = tab(EQUATION_PAGE, width, color_scheme=mode)
    page = reader.page
    page.add_script_tag(content=axe_source)
    before = page.evaluate(AXE_JS)
    use_widgets(reader)
    after = page.evaluate(AXE_JS)
    figures = tab(figure_page(), width, color_scheme=mode)
    figures.page.add_script_tag(content=axe_source)
    link = figures.page.locator("article a.nnintro-enlarge").first
    link.scroll_into_view_if_needed()
    figures.press(link)
    figures.page.wait_for_function(
        "() => document.querySelector('dialog.nnintro-viewer').open"
    )
    zoomed = figures.page.evaluate(AXE_JS)
    found = {"before": before, "after": after, "zoomed": zoomed}
    assert not any(found.values()), json.dumps(found, indent=1)


# --- the repository and the downloads (from the files) -----------------------


def test_every_page_links_the_repository(site_dir):
    repository = book_addresses.repo_url(ROOT)
    assert repository, "no repository address (CITATION.cff repository-code)"
    for docname in PAGES:
        html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
        header = BeautifulSoup(html, "html.parser").select_one(
            ".bd-header-article"
        )
        links = [a.get("href", "") for a in header.select("a")]
        assert any(h.startswith(repository) for h in links), docname
    cite = (site_dir / "book" / "cite.html").read_text(encoding="utf-8")
    page = BeautifulSoup(cite, "html.parser")
    assert page.select_one(f".nnintro-repository a[href='{repository}']")
    bibtex = page.select_one("div.highlight-bibtex").get_text()
    assert re.search(r"url\s*=\s*\{https?://", bibtex), bibtex


def test_downloaded_notebooks_carry_their_outputs(site_dir):
    for docname in PAGES:
        notebook = site_dir / "_sources" / f"{docname}.ipynb"
        if not notebook.is_file():
            continue
        html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
        shown = BeautifulSoup(html, "html.parser").select("div.cell_output")
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        with_outputs = [c for c in cells if c.get("outputs")]
        if shown:
            assert len(with_outputs) >= len(shown) > 0, (
                f"{docname}: the page shows {len(shown)} outputs, its "
                f"notebook has {len(with_outputs)}"
            )
