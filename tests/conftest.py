"""Fixtures of every test, the markers of the slow ones, and a garbage
collector that leaves what collection imported alone.

``site``: tests of the built website (tests/site/, Chromium); ``build``:
tests that build a small book. ``make unit`` runs everything else.
"""

from __future__ import annotations

import gc

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "site: needs the built site in _build/html (make book)"
    )
    config.addinivalue_line(
        "markers", "build: builds a small book with Jupyter Book"
    )


def pytest_collectstart(collector: pytest.Collector) -> None:
    """What is imported and collected lives until the end of the run: out of
    the garbage collector's sight (``gc.freeze``), so that its full passes
    scan only what came since, not the millions of objects of torch and
    SymPy (serially, garbage collection took 5.5 s, 2.3 s of it while
    collecting; 1.9 s with the freeze)."""
    gc.freeze()


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.freeze()


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """Tiny tensors: one intra-op thread beats two competing for 2 cores."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
