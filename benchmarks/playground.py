"""Measure the playground in headless Chromium: epochs per second while the
regions are redrawn, redraws per second, the engine alone, and the bytes the
playground adds to the site.

    .venv/bin/python benchmarks/playground.py            # site in _build/html
    .venv/bin/python benchmarks/playground.py --site DIR --seconds 10

The playground trains at its fastest setting ("as fast as it can": epochs
for up to 12 ms, less when frames come slower than 40 ms apart, then one
redraw, every animation frame) at n_h = 10, batch 10, on the 200 training
points, for a few seconds; the figures are medians of three such runs. The
machine's load average is reported with them: on a shared 2-core machine
the figures move with it. Writes benchmarks/results/playground.md.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = "/usr/bin/chromium"
TARGETS = {"epochs per second": 200, "redraws per second": 20}

MEASURE_JS = """
async (seconds) => {
  const pg = window.nnintroPlayground;
  document.getElementById("pg-speed").value = "0";
  document.getElementById("pg-reset").click();
  const before = pg.state();
  const start = performance.now();
  document.getElementById("pg-play").click();
  await new Promise((done) => setTimeout(done, seconds * 1000));
  document.getElementById("pg-play").click();
  const after = pg.state();
  const elapsed = (performance.now() - start) / 1000;
  return {epochs: (after.epoch - before.epoch) / elapsed,
          redraws: (after.draws - before.draws) / elapsed,
          diverged: after.diverged};
}
"""

FRAMES_JS = """
async (seconds) => {
  let frames = 0;
  const start = performance.now();
  await new Promise((done) => {
    const tick = () => {
      frames += 1;
      const more = performance.now() - start < seconds * 1000;
      if (more) requestAnimationFrame(tick);
      else done();
    };
    requestAnimationFrame(tick);
  });
  return frames / ((performance.now() - start) / 1000);
}
"""

ENGINE_JS = """
async (seconds) => {
  const runs = await import("../_static/playground/runs.mjs");
  const page = JSON.parse(
    document.getElementById("playground-data").textContent);
  const data = runs.prepareData(page);
  const settings = {nh: 10, eta: 0.1, batch: 10, activation: "tanh",
                    std: 0.3, seed: 0};
  const run = runs.startRun(settings, data, page.divergence_factor);
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) runs.advance(run, data);
  return run.epoch / ((performance.now() - start) / 1000);
}
"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - base signature
        pass


def added_bytes(site: Path) -> dict[str, int]:
    """The playground's static files, and its data inside its page."""
    static = sum(
        f.stat().st_size for f in (site / "_static" / "playground").iterdir()
    )
    html = (site / "book" / "playground.html").read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="playground-data">(.*?)</script>',
        html,
        re.DOTALL,
    )
    data = len(found.group(1).encode()) if found else 0
    return {"static files": static, "data in the page": data}


def measure(site: Path, seconds: float, repeats: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/book/playground.html"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, wait_until="load")
            page.wait_for_function("() => window.nnintroPlayground")
            live = [page.evaluate(MEASURE_JS, seconds) for _ in range(repeats)]
            alone = [page.evaluate(ENGINE_JS, seconds) for _ in range(repeats)]
            idle = [page.evaluate(FRAMES_JS, seconds) for _ in range(repeats)]
            browser.close()
    finally:
        server.shutdown()
    if any(run["diverged"] for run in live):
        raise RuntimeError("the benchmark's run diverged")
    return {
        "epochs per second": statistics.median(r["epochs"] for r in live),
        "redraws per second": statistics.median(r["redraws"] for r in live),
        "engine alone, epochs per second": statistics.median(alone),
        "animation frames per second of an idle page": statistics.median(idle),
    }


def report(figures: dict[str, float], sizes: dict[str, int]) -> str:
    lines = [
        "# Playground benchmark",
        "",
        "Headless Chromium, n_h = 10, batch 10, 200 training points, the "
        "fastest setting (`benchmarks/playground.py`).",
        "",
        "| measure | value | target |",
        "| --- | ---: | ---: |",
    ]
    for name, value in figures.items():
        target = TARGETS.get(name)
        lines.append(
            f"| {name} | {value:.0f} | {f'>= {target}' if target else ''} |"
        )
    total = sum(sizes.values())
    load = os.getloadavg()[0]
    lines.append(f"| load average of the machine (1 min) | {load:.1f} | |")
    for name, size in sizes.items():
        lines.append(f"| bytes: {name} | {size} | |")
    lines.append(f"| bytes added in all | {total} | <= 150000 |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not (args.site / "book" / "playground.html").is_file():
        raise SystemExit(f"no playground in {args.site}: run `make book`")
    figures = measure(args.site, args.seconds, args.repeats)
    text = report(figures, added_bytes(args.site))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "playground.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
