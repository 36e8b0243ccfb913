"""Execute the book's pages two at a time and store the results in Jupyter Book's execution cache.

Jupyter Book 1 executes pages one after another. On a machine with several cores, running them in
parallel beforehand and filling the same cache (``_build/.jupyter_cache``, keyed on each page's
code cells) lets the build that follows find every page already executed. A page that fails here
is simply not cached: the build then executes it again and reports the error as usual, so this
step can only save time, never hide a failure.

    .venv/bin/python scripts/execute_pages.py [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import yaml
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.executors.utils import single_nb_execution
from myst_nb.core.read import is_myst_markdown_notebook, myst_nb_reader_plugin

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "_build" / ".jupyter_cache"
TIMEOUT = 600


def toc_pages(toc_path: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every page named in the table of contents, as absolute paths."""
    toc = yaml.safe_load(toc_path.read_text())
    names = [toc["root"]]
    for part in toc.get("parts", [{"chapters": toc.get("chapters", [])}]):
        for chapter in part.get("chapters", []):
            names.append(chapter["file"])
            names += [section["file"] for section in chapter.get("sections", [])]
    return [ROOT / f"{name}.md" for name in names]


def has_code(path: Path) -> bool:
    text = path.read_text()
    return is_myst_markdown_notebook(text) and "```{code-cell}" in text


def execute(path: Path):
    """Run one page in its own folder; return it with the executed notebook and any error."""
    notebook = myst_nb_reader_plugin(str(path))
    result = single_nb_execution(
        notebook, cwd=str(path.parent), allow_errors=False, timeout=TIMEOUT, meta_override=True
    )
    error = None if result.err is None else f"{type(result.err).__name__}: {result.err}"[:300]
    return path, notebook, result.time, error


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    cache = get_cache(str(CACHE))
    todo = []
    for path in filter(has_code, toc_pages()):
        try:
            cache.match_cache_notebook(myst_nb_reader_plugin(str(path)))
        except KeyError:
            todo.append(path)
    if not todo or args.jobs < 2:
        return 0
    start = time.perf_counter()
    # largest pages first, so that the two workers finish close together
    todo.sort(key=lambda p: p.stat().st_size, reverse=True)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(execute, path) for path in todo]
        for future in as_completed(futures):
            path, notebook, seconds, error = future.result()
            name = path.relative_to(ROOT)
            if error:
                print(f"  {name}: failed ({error.splitlines()[0]}); the build will report it")
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(notebook, str(path), data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            print(f"  {name}: executed in {seconds:.1f} s")
    print(f"executed {len(todo)} page(s) in {time.perf_counter() - start:.1f} s with {args.jobs} jobs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
