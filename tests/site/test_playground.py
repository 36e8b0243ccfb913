"""The playground in Chromium: the book's numbers, the presets the text links
to, divergence, the keyboard, a phone's tap, and axe; from the files, the
equation numbers of the engine's comments; opened as files, the sentence
that says how to serve the folder.

Every request to another host is aborted. The page's numbers are read from
``window.nnintroPlayground`` (the state the page draws).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from book_sources import ALLOWED_JS_ERRORS, ROOT
from bs4 import BeautifulSoup
from test_site_reader import AXE_JS, axe_source  # noqa: F401 - a fixture

PAGE = "book/playground"
PHONE, DESKTOP = 390, 1280
ENGINE = ROOT / "book" / "_ext" / "static" / "playground" / "engine.mjs"
LINKING_PAGES = ("book/forward", "book/optimisation", "book/batch_lr_study")
REQUIRED = {"tanh, B = 10", "tanh, B = 1", "tanh, B = 200", "relu, B = 10"}
# What each linked preset shows, as its sentence states it.
OUTCOMES = {
    "act=none&run=200": lambda o: (
        max(o["maxRowChanges"], o["maxColumnChanges"]) == 1
    ),
    "act=tanh&run=200": lambda o: (
        o["maxRowChanges"] == 2
        and o["maxColumnChanges"] == 2
        and o["classOneCells"] > 0
        and o["classOneOnBorder"] == 0
    ),
    "eta=10&run=20": lambda o: o["diverged"] and o["epoch"] == 1,
    "batch=200&eta=0.01&run=150": lambda o: o["testAcc"] < 0.5,
    "batch=200&eta=2&run=150": lambda o: o["testAcc"] > 0.9,
}
FINISHED = """() => { const s = window.nnintroPlayground.state();
  return !s.playing && (s.diverged || s.epoch > 0); }"""
STATE = "() => window.nnintroPlayground.state()"


def open_playground(browser, base_url, query="", width=DESKTOP, **options):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, **options
    )
    page = context.new_page()
    problems: list[str] = []

    def route(route):
        if route.request.url.startswith(base_url + "/"):
            route.continue_()
        else:
            problems.append(f"request to another host: {route.request.url}")
            route.abort()

    def error(text):
        if not any(allowed in text for allowed in ALLOWED_JS_ERRORS):
            problems.append(text)

    page.route("**/*", route)
    page.on("pageerror", lambda e: error(str(e)))
    page.on(
        "console", lambda m: m.type == "error" and error(f"console: {m.text}")
    )
    page.goto(f"{base_url}/{PAGE}.html{query}", wait_until="load")
    page.wait_for_function("() => window.nnintroPlayground")
    return context, page, problems


def finished_state(page) -> dict:
    page.wait_for_function(FINISHED, timeout=60_000)
    return page.evaluate(STATE)


def test_engine_in_chromium_equals_package(browser, base_url):
    context, page, problems = open_playground(browser, base_url)
    try:
        page.click("#pg-verify")
        page.wait_for_selector("#pg-verify-result table")
        rows = page.evaluate("() => window.nnintroPlayground.verify()")
        shown = page.inner_text("#pg-verify-result")
    finally:
        context.close()
    assert not problems, problems
    gaps = {row["name"]: row["gap"] for row in rows}
    assert set(gaps) >= REQUIRED, gaps
    assert all(row["epochs"] >= 1 for row in rows)
    too_far = {k: v for k, v in gaps.items() if not v <= 1e-9}
    assert not too_far, f"relative differences above 1e-9: {too_far}"
    assert "Every loss agrees to 1e-9 relative" in shown


def linked_queries(site_dir: Path) -> dict[str, list[str]]:
    """The presets each linking page points to, as queries."""
    found = {}
    for docname in LINKING_PAGES:
        html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
        links = BeautifulSoup(html, "html.parser").select("a.playground-link")
        found[docname] = [a["href"].split("?", 1)[1] for a in links]
        assert all(a["href"].startswith("playground.html?") for a in links), (
            found
        )
    return found


def test_every_linking_page_links_a_preset(site_dir):
    found = linked_queries(site_dir)
    assert all(found.values()), f"pages without a preset link: {found}"


@pytest.mark.parametrize("query", sorted(OUTCOMES))
def test_linked_preset_shows_its_sentence(browser, base_url, site_dir, query):
    linked = {q for qs in linked_queries(site_dir).values() for q in qs}
    assert query in linked, f"no page links ?{query}"
    context, page, problems = open_playground(browser, base_url, f"?{query}")
    try:
        state = finished_state(page)
    finally:
        context.close()
    assert not problems, problems
    assert OUTCOMES[query](state["outcome"]), state["outcome"]


def test_online_beats_full_batch_per_epoch(browser, base_url, site_dir):
    """Q10's pair of links: the online run ends with the lower loss."""
    linked = {q for qs in linked_queries(site_dir).values() for q in qs}
    losses = {}
    for query in ("batch=1&run=20", "batch=200&run=20"):
        assert query in linked, f"no page links ?{query}"
        context, page, _ = open_playground(browser, base_url, f"?{query}")
        try:
            state = finished_state(page)
        finally:
            context.close()
        assert state["epoch"] == 20
        losses[query] = state["outcome"]["trainLoss"]
    assert losses["batch=1&run=20"] < losses["batch=200&run=20"], losses


@pytest.mark.parametrize("query", ["?eta=10&run=20", "?eta=20&batch=1&run=50"])
def test_divergence_stops_with_a_message_and_no_nan(browser, base_url, query):
    context, page, problems = open_playground(browser, base_url, query)
    try:
        state = finished_state(page)
        text = page.inner_text("#playground")
    finally:
        context.close()
    assert not problems, problems
    assert state["diverged"] and not state["playing"]
    assert "Training diverged at epoch" in state["status"]
    assert "NaN" not in text and "Infinity" not in text
    for name, values in state["history"].items():
        assert len(values) == state["epoch"] + 1, name
        # what is drawn: every finite value; a non-finite one is skipped
        assert all(v is None or math.isfinite(v) for v in values[:-1]), name


def test_a_link_can_be_clicked_from_the_text(browser, base_url):
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith(base_url + "/")
            else r.abort()
        ),
    )
    try:
        page.goto(f"{base_url}/book/optimisation.html", wait_until="load")
        page.click("a.playground-link[href*='eta=10']")
        page.wait_for_function("() => window.nnintroPlayground")
        state = finished_state(page)
    finally:
        context.close()
    assert state["diverged"] and state["settings"]["eta"] == 10


def test_keyboard_alone_sets_and_trains(browser, base_url):
    context, page, problems = open_playground(browser, base_url)
    try:
        page.focus("#pg-nh")
        page.keyboard.press("Control+A")
        page.keyboard.type("4")
        page.keyboard.press("Tab")  # to the learning rate: the change applies
        page.keyboard.press("ArrowRight")
        settings = page.evaluate(STATE)["settings"]
        page.focus("#pg-play")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => window.nnintroPlayground.state().epoch > 3"
        )
        page.keyboard.press(" ")
        state = page.evaluate(STATE)
    finally:
        context.close()
    assert not problems, problems
    assert settings["nh"] == 4 and settings["eta"] == 0.2, settings
    assert not state["playing"] and "Paused" in state["status"]


def test_a_tap_on_play_trains_on_a_phone(browser, base_url):
    context, page, problems = open_playground(
        browser, base_url, width=PHONE, has_touch=True, is_mobile=True
    )
    try:
        page.tap("#pg-play")
        page.wait_for_function(
            "() => window.nnintroPlayground.state().epoch > 3"
        )
        width = page.evaluate("() => document.documentElement.scrollWidth")
    finally:
        context.close()
    assert not problems, problems
    assert width <= PHONE, f"the page scrolls sideways: {width} px"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_nothing_serious(browser, base_url, axe_source, width, mode):  # noqa: F811
    context, page, _ = open_playground(
        browser, base_url, "?run=30", width=width, color_scheme=mode
    )
    try:
        finished_state(page)
        page.click("#pg-verify")
        page.add_script_tag(content=axe_source)
        violations = page.evaluate(AXE_JS, None)
    finally:
        context.close()
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"{width} px, {mode}: {json.dumps(serious, indent=1)}"


def test_only_the_playground_loads_its_script(site_dir):
    assert "playground/playground.mjs" in (
        site_dir / f"{PAGE}.html"
    ).read_text(encoding="utf-8")
    assert "playground.mjs" not in (
        site_dir / "book" / "index.html"
    ).read_text(encoding="utf-8")


def test_engine_comments_cite_the_numbers_the_reader_sees(site_dir):
    """Each '(2.6) fwd-batch' of the engine is equation fwd-batch's number."""
    cited = set(re.findall(r"\((\d+\.\d+)\) ([\w-]+)", ENGINE.read_text()))
    assert len(cited) >= 7, cited
    numbers = {}
    for html in (site_dir / "book").glob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for label in {label for _, label in cited}:
            box = soup.find(id=f"equation-{label}")
            number = box and box.find("span", class_="eqno")
            if number:
                shown = re.search(r"\((\d+\.\d+)\)", number.get_text())
                numbers[label] = shown and shown.group(1)
    wrong = {
        label: (n, numbers.get(label))
        for n, label in cited
        if numbers.get(label) != n
    }
    assert not wrong, f"engine.mjs cites (its number, the book's): {wrong}"


def test_opened_as_files_says_to_serve_this_folder(browser, site_dir):
    """From file:// the module does not run; its text says what to do."""
    page = browser.new_page(viewport={"width": PHONE, "height": 900})
    page.route(
        "**/*",
        lambda r: (
            r.continue_() if r.request.url.startswith("file:") else r.abort()
        ),
    )
    try:
        page.goto((site_dir / f"{PAGE}.html").as_uri(), wait_until="load")
        text = page.locator("#playground").inner_text()
        assert "python -m http.server" in text, text
        assert "index.html" in text and "_build" not in text, text
    finally:
        page.close()
