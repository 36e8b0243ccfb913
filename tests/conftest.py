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


def cached_proofs() -> list:
    """The cached identity builders of nnintro.derivations (functools)."""
    import nnintro.derivations as derivations

    return [
        builder
        for module in derivations.TOPIC_MODULES
        for builder in vars(module).values()
        if hasattr(builder, "cache_clear")
    ]


def patches_proofs(item: pytest.Item) -> bool:
    """True for a test that uses monkeypatch in a module of the tests of
    nnintro.derivations (or of what builds on it, such as the ledger)."""
    if "monkeypatch" not in getattr(item, "fixturenames", ()):
        return False
    names = (
        getattr(value, "__module__", None) or getattr(value, "__name__", "")
        for value in vars(item.module).values()
    )
    return any(
        isinstance(name, str) and name.startswith("nnintro.derivations")
        for name in names
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that patch the derivations run last, so that every other
    test shares the cached SymPy proofs."""
    items.sort(key=patches_proofs)


@pytest.fixture(autouse=True)
def fresh_proofs_when_patched(request: pytest.FixtureRequest):
    """The SymPy proofs are cached: a test that patches them (a wrong closed
    form) must neither read proofs made before nor leave its own behind."""
    if not patches_proofs(request.node):
        yield
        return
    for builder in cached_proofs():
        builder.cache_clear()
    yield
    for builder in cached_proofs():
        builder.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """Tiny tensors: one intra-op thread beats two competing for 2 cores."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
