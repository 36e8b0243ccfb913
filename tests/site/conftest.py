"""Fixtures of the tests of the built website; every test here is ``site``.

The site is read from ``_build/html`` (what ``make book`` writes; ``make
test`` builds it first) or from the folder named by ``NNINTRO_SITE_DIR``.
It is served on 127.0.0.1 (``base_url``) and opened in Debian's Chromium
through pytest-playwright's ``browser`` fixture, launched from
``NNINTRO_CHROMIUM`` (default ``/usr/bin/chromium``): no browser is ever
downloaded. Under CI (``CI=true``) a missing site or Chromium fails the
tests; elsewhere they are skipped with a message saying what to do.
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from book_sources import SITE_DIR, unavailable

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("NNINTRO_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = os.environ.get("NNINTRO_SCREENSHOTS")  # a folder, if set

INSTALL_CHROMIUM = (
    "Chromium is needed for the browser tests and was not found at {path}. "
    "Install it with `sudo apt-get update && sudo apt-get install -y "
    "chromium` (Debian, Ubuntu), or run `make test` as root, which installs "
    "it; another Chromium binary can be named with "
    "NNINTRO_CHROMIUM=/path/to/chromium."
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``site``."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.site)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE_DIR / "index.html").is_file():
        unavailable(
            f"no built site in {SITE_DIR}: run `make book` first "
            "(or `make test`)"
        )
    return SITE_DIR


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - base signature
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path):
    """The built site served on 127.0.0.1 (a free port) for the session."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, with Debian's Chromium."""
    if not CHROMIUM.is_file():
        unavailable(INSTALL_CHROMIUM.format(path=CHROMIUM))
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@dataclass
class PageVisit:
    """What happened while a page loaded in the browser, and what it showed."""

    docname: str
    js_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    images: list[dict] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    overflow: dict = field(default_factory=dict)


@pytest.fixture(scope="session")
def visit(browser, base_url):
    """visit(docname, width=1280) -> PageVisit, loaded once per width."""
    cache: dict[tuple[str, int], PageVisit] = {}

    def load(docname: str, width: int = 1280) -> PageVisit:
        if (docname, width) not in cache:
            cache[docname, width] = _load(browser, base_url, docname, width)
        return cache[docname, width]

    return load


MATH_JS = r"""
async () => {
  const article = document.querySelector("article") || document.body;
  const mathjax = Boolean(window.MathJax && window.MathJax.startup);
  if (mathjax) { await window.MathJax.startup.promise; }
  const maths = [...article.querySelectorAll(".math")];
  const untypeset = maths.filter(e => !e.querySelector("mjx-container"))
                         .map(e => e.textContent.trim().slice(0, 120));
  const errors = [...document.querySelectorAll("mjx-merror")]
      .map(e => e.getAttribute("data-mjx-error") || e.textContent);
  const copy = article.cloneNode(true);
  copy.querySelectorAll(
      "pre, code, kbd, samp, script, style, mjx-container, .highlight")
      .forEach(e => e.remove());
  const raw = copy.textContent.match(/\\[A-Za-z]+|\\\(|\\\[|\$\$/g) || [];
  return {mathjax: mathjax, count: maths.length, untypeset: untypeset,
          errors: errors, raw_tex: raw.slice(0, 20)};
}
"""

IMAGES_JS = """
async () => {
  const imgs = [...document.querySelectorAll("img")];
  imgs.forEach(img => { img.loading = "eager"; });
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(done => {
    img.addEventListener("load", done); img.addEventListener("error", done);
    setTimeout(done, 10000);
  })));
  return imgs.map(img => ({src: img.getAttribute("src"),
                           alt: img.getAttribute("alt"),
                           natural_width: img.naturalWidth,
                           in_article: Boolean(img.closest("article"))}));
}
"""

PAGE_JS = """
() => {
  const article = document.querySelector("article") || document.body;
  return {
    headings: [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")]
        .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 80)]),
    ids: [...document.querySelectorAll("[id]")].map(e => e.id),
    overflow: {viewport: window.innerWidth,
               document: document.documentElement.scrollWidth,
               body: document.body.scrollWidth},
  };
}
"""


def _load(browser, base_url: str, docname: str, width: int) -> PageVisit:
    """Open a page at a width; record errors and requests; inspect it."""
    result = PageVisit(docname)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()

    def route(route):
        url = route.request.url
        if url.startswith(base_url + "/"):
            route.continue_()
        else:
            result.external_requests.append(url)
            route.abort()

    def on_console(message):
        text = message.text
        if message.type == "error" and not text.startswith(
            "Failed to load resource"
        ):
            result.js_errors.append(f"console: {text}")

    def on_response(response):
        if response.status >= 400:
            result.failed_requests.append(f"{response.status} {response.url}")

    def on_failed(request):
        if request.url.startswith(base_url + "/"):
            result.failed_requests.append(f"{request.failure} {request.url}")

    page.route("**/*", route)
    page.on("pageerror", lambda error: result.js_errors.append(str(error)))
    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    try:
        page.goto(
            f"{base_url}/{docname}.html", wait_until="load", timeout=60_000
        )
        result.math = page.evaluate(MATH_JS)
        result.images = page.evaluate(IMAGES_JS)
        info = page.evaluate(PAGE_JS)
        result.headings = [tuple(h) for h in info["headings"]]
        result.ids = set(info["ids"])
        result.overflow = info["overflow"]
        if SCREENSHOTS:
            name = f"{docname.replace('/', '_')}-{width}.png"
            shot = Path(SCREENSHOTS) / name
            shot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()
    return result
