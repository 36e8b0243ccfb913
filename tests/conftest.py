"""Fixtures of every test, and the markers of the slow ones.

``site``: tests of the built website (tests/site/, Chromium); ``build``:
tests that build a small book. ``make unit`` runs everything else.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "site: needs the built site in _build/html (make book)"
    )
    config.addinivalue_line(
        "markers", "build: builds a small book with Jupyter Book"
    )


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """Tiny tensors: one intra-op thread beats two competing for 2 cores."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
