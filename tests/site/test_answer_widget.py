"""The answer-check boxes of the built site, in Chromium, with no network.

Every request that is not to the local test server is blocked. On the
backprop page, for every label, a correct and an incorrect formula get
their verdict through the box (data-verdict on the element, explanation
shown): the first within 15 s of the reader's first interaction with a
box, the later ones within 2 s of the click. A page where nobody clicks
into a box fetches no Pyodide file, and only pages with a box load its
script. At a phone's width the verdict fits the screen.

Also: the formula as read is typeset under the box (MathJax) with the
verdict, whose equation is cited by the number the page shows; a check
that overruns its box's time limit is stopped and says so, while a check
in another box gets its verdict, and the stopped box works again; every
box has the syntax line, a link to the syntax paragraph and the size of
the download (equal to the files the site serves); the placeholder fits
a phone's box; the verdict words pass axe's colour-contrast rule, light
and dark. Opened as files (file://), where no engine can start, a box
says within seconds that the site must be served (and how) and names the
command line, and its button works again; a download that stalls ends
the wait with a message too.

Under CI (CI=true) a site built without Pyodide fails these tests, as a
missing Chromium does; elsewhere they are skipped.
"""

from __future__ import annotations

import importlib.util
import os
import re
import time
from pathlib import Path

import pytest
from book_sources import ALLOWED_JS_ERRORS, unavailable
from bs4 import BeautifulSoup

from nnintro.answers import TARGETS

PAGE = "book/backprop"
FIRST_LIMIT = 15.0  # seconds, first interaction to the first verdict
LATER_LIMIT = 2.0  # seconds, click to verdict once the engine is loaded
ENGINE_FILES = ("/answer-check/pyodide/", "/answer-check/python/")
SCREENSHOTS = os.environ.get("NNINTRO_SCREENSHOTS")

# label: (a correct formula, an incorrect one), as a student types them
ANSWERS = {
    "q14-simplified": (
        "log(sum(exp(ytilde))) - y.T @ ytilde",
        "-sum(y * ytilde)",
    ),
    "q15-grad": ("yhat * sum(y) - y", "y - yhat"),
    "q15-batch": ("Yhat / N - Y / N", "Yhat - Y"),
    "q16-Wy": ("(yhat - y) @ h.T", "h @ (yhat - y).T"),
    "q16-by": ("exp(ytilde) / sum(exp(ytilde)) - y", "delta_y.T"),
    "q16-batch": ("(Yhat - Y).T @ H / N", "(Yhat - Y).T @ H"),
    "q16-batch-by": ("sum(Delta_y, axis=0)", "sum(Yhat - Y, axis=0)"),
    "q17-htilde": ("(Wy.T @ (yhat - y)) * (1 - h*h)", "1 - h**2"),
    "q17-Wh": ("(x @ delta_h.T).T", "(1 - h**2) @ x.T"),
    "q17-bh": ("(Wy.T @ delta_y) * (1 - h**2)", "(Wy.T @ delta_y) * (1 - h)"),
    "q17-batch": (
        "Delta_y @ Wy * (1 - tanh(Htilde)**2)",
        "(Delta_y @ Wy) * (1 - H)",
    ),
    "q17-batch-Wh": ("(X.T @ Delta_h).T", "X.T @ Delta_h"),
    "q17-batch-bh": ("sum(Delta_h, axis=0)", "sum(Delta_h, axis=0) / N"),
}


def box(key: str) -> str:
    return f'[data-answer-check="{key}"]'


class Visit:
    """A page open in Chromium with every non-local request blocked."""

    def __init__(self, browser, base_url: str, width: int, **options):
        self.base = base_url
        self.context = browser.new_context(
            viewport={"width": width, "height": 900}, **options
        )
        self.page = self.context.new_page()
        self.local: list[str] = []
        self.external: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self.route)
        self.context.on("request", self.on_request)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not m.text.startswith("Failed to load resource")
                and self.errors.append(m.text)
            ),
        )
        self.page.on(
            "response",
            lambda r: (
                r.status >= 400 and self.failed.append(f"{r.status} {r.url}")
            ),
        )

    def route(self, route):
        url = route.request.url
        if url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def on_request(self, request):  # the worker's requests too
        if request.url.startswith(self.base + "/"):
            self.local.append(request.url)

    def open(self, docname: str) -> Visit:
        self.page.goto(
            f"{self.base}/{docname}.html", wait_until="load", timeout=60_000
        )
        return self

    def engine_requests(self) -> list[str]:
        return [u for u in self.local if any(f in u for f in ENGINE_FILES)]

    def check(self, key: str, formula: str, timeout: float = 60.0) -> float:
        """Type, click, wait for the verdict; seconds from click to verdict."""
        element = self.page.locator(box(key))
        element.locator("input").fill(formula)
        start = time.perf_counter()
        element.locator("button").click()
        self.page.wait_for_selector(
            f"{box(key)}[data-verdict]", timeout=timeout * 1000
        )
        return time.perf_counter() - start

    def close(self):
        self.context.close()


def require_engine(visit: Visit) -> None:
    boxes = visit.page.locator("[data-answer-check]")
    if boxes.count() == 0:
        pytest.fail(f"{PAGE} has no answer-check box")
    if boxes.first.get_attribute("data-available") != "true":
        unavailable(
            "the site was built without the answer checker's engine: run "
            "`make npm` (scripts/fetch_npm.py and scripts/fetch_wheels.py) "
            "and rebuild"
        )


@pytest.fixture(scope="module")
def checker(browser, base_url):
    """The backprop page after its first check, and how long that took."""
    visit = Visit(browser, base_url, 1280).open(PAGE)
    require_engine(visit)
    key, (_, wrong) = next(iter(ANSWERS.items()))
    element = visit.page.locator(box(key))
    start = time.perf_counter()  # the first interaction starts the engine
    element.locator("input").fill(wrong)
    element.locator("button").click()
    visit.page.wait_for_selector(f"{box(key)}[data-verdict]", timeout=120_000)
    visit.first_seconds = time.perf_counter() - start
    print(f"browser: first verdict {visit.first_seconds:.1f} s")
    yield visit
    visit.close()


def test_every_label_is_on_the_page(site_dir):
    html = (site_dir / f"{PAGE}.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    keys = [e["data-answer-check"] for e in page.select("[data-answer-check]")]
    assert sorted(keys) == sorted(TARGETS) == sorted(ANSWERS)
    for element in page.select("[data-answer-check]"):
        assert element.select_one("input[type=text]") and element.select_one(
            "button"
        )


def test_first_verdict_within_15_s(checker):
    key = next(iter(ANSWERS))
    assert checker.page.get_attribute(box(key), "data-verdict") == "incorrect"
    assert checker.first_seconds < FIRST_LIMIT, (
        f"{checker.first_seconds:.1f} s"
    )


@pytest.mark.parametrize("kind", ["correct", "incorrect"])
@pytest.mark.parametrize("key", list(ANSWERS))
def test_verdict_through_the_box(checker, key, kind):
    formula = ANSWERS[key][kind == "incorrect"]
    seconds = checker.check(key, formula)
    element = checker.page.locator(box(key))
    assert element.get_attribute("data-verdict") == kind, element.inner_text()
    result = element.locator(".answer-check-result")
    assert result.locator(".answer-check-echo").count() == 1  # echo first
    text = result.locator(".answer-check-verdict ~ *, .answer-check-verdict")
    text = "\n".join(text.all_inner_texts())
    if kind == "correct":
        assert text.startswith("Correct:"), text
    else:
        assert text.startswith("Not right:"), text
        shape = " is " in text and "x" in text
        table = element.locator(".answer-check-tables table").count() > 0
        assert shape or table, text
    print(f"browser check {key} ({kind}): {seconds:.2f} s")
    assert seconds < LATER_LIMIT, f"{key} ({kind}): {seconds:.2f} s"


def test_error_verdict_and_the_enter_key(checker):
    element = checker.page.locator(box("q16-Wy"))
    element.locator("input").fill("__import__('os').system('true')")
    element.locator("input").press("Enter")
    checker.page.wait_for_selector(
        f"{box('q16-Wy')}[data-verdict]", timeout=10_000
    )
    assert element.get_attribute("data-verdict") == "error"
    assert "Cannot read:" in element.inner_text()


def test_nothing_external_nothing_failed_no_error(checker):
    assert not checker.external, checker.external
    assert not checker.failed, checker.failed
    errors = [e for e in checker.errors if not e.endswith(ALLOWED_JS_ERRORS)]
    assert not errors, errors
    assert checker.engine_requests(), "the engine was not loaded from the site"


def test_no_engine_file_before_a_click(browser, base_url):
    visit = Visit(browser, base_url, 1280).open(PAGE)
    try:
        require_engine(visit)
        visit.page.mouse.wheel(0, 20_000)  # scroll past every box
        visit.page.keyboard.press("Tab")
        visit.page.wait_for_timeout(1500)
        assert not visit.engine_requests(), visit.engine_requests()
        scripts = [u for u in visit.local if "answer-check" in u]
        assert all(u.split("?")[0].endswith((".js", ".css")) for u in scripts)
    finally:
        visit.close()


def test_only_pages_with_a_box_load_its_script(site_dir):
    for path in sorted(site_dir.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        has_box = bool(page.select("[data-answer-check]"))
        loads = any(
            "answer-check/answer-check.js" in (s.get("src") or "")
            for s in page.find_all("script")
        )
        assert has_box == loads, path.relative_to(site_dir)


@pytest.mark.parametrize("width", [390, 1280])
def test_verdict_reads_well(browser, base_url, width):
    visit = Visit(browser, base_url, width).open(PAGE)
    try:
        require_engine(visit)
        visit.check("q17-batch", "(Delta_y @ Wy) * (1 - H)", timeout=120)
        element = visit.page.locator(box("q17-batch"))
        element.locator("details summary").click()
        element.scroll_into_view_if_needed()
        sizes = visit.page.evaluate(
            "() => [window.innerWidth, document.documentElement.scrollWidth,"
            " document.body.scrollWidth]"
        )
        assert max(sizes[1:]) <= sizes[0], sizes
        box_right = element.bounding_box()
        assert (
            box_right["x"] >= 0
            and box_right["x"] + box_right["width"] <= width
        )
        verdict = element.locator(".answer-check-verdict")
        assert verdict.is_visible() and "Not right:" in verdict.inner_text()
        visit.page.wait_for_selector(  # typeset by MathJax, asynchronously
            f"{box('q17-batch')} .answer-check-echo mjx-container",
            timeout=10_000,
        )
        if SCREENSHOTS:
            folder = Path(SCREENSHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            shot(visit.page, element, folder / f"answer-check-{width}.png")
            element.locator("details summary").click()  # closed again
            shot(
                visit.page, element, folder / f"answer-check-echo-{width}.png"
            )
    finally:
        visit.close()


# --- echo, equation numbers, overruns, help, placeholder, contrast --------


def test_echo_and_the_equation_number(checker):
    checker.check("q16-Wy", "delta_y @ htilde.T")
    element = checker.page.locator(box("q16-Wy"))
    echo = element.locator(".answer-check-echo")
    assert echo.is_visible()
    assert "Read as:" in echo.inner_text()
    checker.page.wait_for_selector(
        f"{box('q16-Wy')} .answer-check-echo mjx-container", timeout=10_000
    )
    text = element.locator(".answer-check-result").inner_text()
    shown = checker.page.evaluate(
        "() => document.querySelector('#equation-q16-wy .eqno')"
        ".firstChild.textContent.trim()"
    )
    assert re.fullmatch(r"\(\d+\.\d+\)", shown), shown
    assert f"(eq. {shown[1:-1]})" in text, text
    assert "eq. q16-Wy" not in text, text
    assert "Known mistake" in text


def test_an_overrun_is_stopped_and_other_boxes_keep_working(checker):
    page = checker.page
    slow = page.locator(box("q16-batch"))
    slow.evaluate("e => { e.dataset.timeoutMs = '300'; }")
    slow.locator("input").fill("Delta_y.T @ H * sum(Yhat) / N")
    slow.locator("button").click()
    fast = page.locator(box("q16-by"))
    fast.locator("input").fill("delta_y")
    start = time.perf_counter()
    fast.locator("button").click()
    page.wait_for_selector(f"{box('q16-by')}[data-verdict]", timeout=120_000)
    fast_seconds = time.perf_counter() - start
    page.wait_for_selector(
        f"{box('q16-batch')}[data-verdict]", timeout=120_000
    )
    assert fast.get_attribute("data-verdict") == "correct"
    assert slow.get_attribute("data-stopped") == "true"
    assert "was stopped after 0.3 s" in slow.inner_text()
    assert "other boxes keep working" in slow.inner_text()
    print(f"the other box's verdict after {fast_seconds:.1f} s")
    slow.evaluate("e => { delete e.dataset.timeoutMs; }")
    checker.check("q16-batch", "Delta_y.T @ H * sum(Yhat) / N", timeout=120)
    assert slow.get_attribute("data-verdict") == "correct"
    assert slow.get_attribute("data-stopped") is None


def shot(page, element, path: Path) -> None:
    """The box as the reader sees it, below the sticky header: a window
    tall enough for the whole box, scrolled so that the box starts below
    the header."""
    width = page.viewport_size["width"]
    height = element.bounding_box()["height"]
    page.set_viewport_size({"width": width, "height": int(height) + 400})
    element.evaluate(
        "e => window.scrollTo(0, e.getBoundingClientRect().top"
        " + window.scrollY - 250)"
    )
    box_now = element.bounding_box()
    page.screenshot(path=str(path), clip=box_now)
    page.set_viewport_size({"width": width, "height": 900})


def _served_bytes(site_dir: Path) -> int:
    folder = site_dir / "_static" / "answer-check"
    files = [*(folder / "pyodide").iterdir(), *(folder / "python").iterdir()]
    files += list(folder.glob("nnintro-answers-*.zip"))
    return sum(f.stat().st_size for f in files if f.is_file())


def test_help_and_download_size_at_every_box(site_dir):
    html = (site_dir / f"{PAGE}.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one("#answer-check-syntax") is not None
    boxes = page.select("[data-answer-check]")
    assert len(boxes) == len(TARGETS)
    available = boxes[0].get("data-available") == "true"
    for element in boxes:
        help_line = element.select_one(".answer-check-help")
        assert help_line is not None, element["data-answer-check"]
        link = help_line.select_one("a")
        assert link is not None and link["href"] == "#answer-check-syntax"
        if available:
            found = re.search(r"\(([\d.]+) MB\)", help_line.get_text())
            assert found, help_line.get_text()
            served = _served_bytes(site_dir) / 1e6
            assert float(found.group(1)) == round(served, 1), served


def test_the_placeholder_fits_on_a_phone(browser, base_url):
    visit = Visit(browser, base_url, 390).open(PAGE)
    try:
        cut = visit.page.evaluate(
            """() => [...document.querySelectorAll('.answer-check-input')]
              .filter(i => {
                const s = getComputedStyle(i);
                const c = document.createElement('canvas').getContext('2d');
                c.font = `${s.fontSize} ${s.fontFamily}`;
                const room = i.clientWidth - parseFloat(s.paddingLeft)
                             - parseFloat(s.paddingRight);
                return c.measureText(i.placeholder).width > room;
              }).map(i => i.placeholder)"""
        )
        assert not cut, cut
    finally:
        visit.close()


def _axe_source() -> str:
    root = Path(__file__).resolve().parents[2]
    path = root / "book" / "_ext" / "mathjax4.py"
    spec = importlib.util.spec_from_file_location("_tweaks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = module.npm_package("axe-core")
    if folder is None:
        unavailable("axe-core is missing: run `python3 scripts/fetch_npm.py`")
    return (folder / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_verdict_words_have_contrast(browser, base_url, mode):
    visit = Visit(browser, base_url, 1280, color_scheme=mode).open(PAGE)
    try:
        require_engine(visit)
        visit.check("q15-grad", "yhat - y", timeout=120)
        visit.check("q16-Wy", "h @ delta_y.T")
        visit.check("q16-by", "delta_y @")
        visit.page.add_script_tag(content=_axe_source())
        violations = visit.page.evaluate(
            """async () => (await axe.run(
                 {include: [['.answer-check']]},
                 {runOnly: ['color-contrast'], resultTypes: ['violations']}
               )).violations.map(v => [v.impact, v.nodes.map(
                 n => n.target.join(' ') + ' ' + n.failureSummary)])"""
        )
        serious = [v for v in violations if v[0] in ("serious", "critical")]
        assert not serious, serious
        if SCREENSHOTS:
            folder = Path(SCREENSHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            element = visit.page.locator(box("q16-Wy"))
            element.screenshot(path=str(folder / f"answer-check-{mode}.png"))
    finally:
        visit.close()


def test_opened_as_files_says_to_serve_the_folder(browser, site_dir):
    """From file:// no engine starts; the box says why within seconds."""
    context = browser.new_context(viewport={"width": 390, "height": 900})
    context.route(
        "**/*",
        lambda r: (
            r.continue_() if r.request.url.startswith("file:") else r.abort()
        ),
    )
    try:
        page = context.new_page()
        page.goto((site_dir / f"{PAGE}.html").as_uri(), wait_until="load")
        if page.get_attribute(box("q16-Wy"), "data-available") != "true":
            pytest.skip("the site was built without the checker's engine")
        element = page.locator(box("q16-Wy"))
        element.locator("input").fill("delta_y @ h.T")
        element.locator("button").click()
        page.wait_for_selector(f"{box('q16-Wy')}[data-verdict]", timeout=5000)
        assert element.get_attribute("data-verdict") == "error"
        text = element.locator(".answer-check-result").inner_text()
        assert text.startswith("Not available:"), text
        assert "python -m http.server" in text and "index.html" in text, text
        assert 'nnintro.answers q16-Wy "delta_y @ h.T"' in text, text
        assert not element.locator("button").is_disabled()
        assert not element.locator(".answer-check-status").inner_text()
    finally:
        context.close()


def test_a_stalled_download_ends_the_wait(browser, base_url):
    """A file that never arrives: the check ends with a message, retryable."""
    visit = Visit(browser, base_url, 1280).open(PAGE)
    held = []  # requests left unanswered, as by a stalled connection

    def route(route):
        if "pyodide.asm" in route.request.url:
            held.append(route)
        else:
            visit.route(route)

    try:
        require_engine(visit)
        visit.context.unroute("**/*")
        visit.context.route("**/*", route)
        visit.page.evaluate(
            "document.documentElement.dataset.answerCheckStallMs = '3000'"
        )
        seconds = visit.check("q16-Wy", "delta_y @ h.T", timeout=30)
        element = visit.page.locator(box("q16-Wy"))
        text = element.locator(".answer-check-result").inner_text()
        assert held, "the stall was not simulated"
        assert element.get_attribute("data-verdict") == "error", text
        assert text.startswith("Not available:"), text
        assert "nothing new arrived for 3 s" in text, text
        assert seconds < 20, seconds
        assert not element.locator("button").is_disabled()
    finally:
        visit.close()
