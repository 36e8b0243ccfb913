"""The registry of identities behind the ledger: every identity holds and
names its statement, its method and an equation label that exactly one
page of the book defines.

This is the one test that every registered identity holds (the topic tests,
tests/test_derivations_<topic>.py, check that a wrong closed form makes it
fail); each identity is a test of its own, so that pytest-xdist spreads
them over its workers.
"""

from functools import cache

import pytest
from book_sources import equation_labels, source_of, toc_docnames

from nnintro.derivations import TOPIC_MODULES, all_identities
from nnintro.derivations.core import Identity

NAMES = list(all_identities())


@cache
def pages_defining() -> dict[str, list[str]]:
    """Equation label -> the pages of the table of contents that define it."""
    pages: dict[str, list[str]] = {}
    for docname in toc_docnames():
        for label in equation_labels(source_of(docname)):
            pages.setdefault(label, []).append(docname)
    return pages


def test_every_topic_module_registers_identities():
    assert NAMES, "no identity registered"
    assert all(module.IDENTITIES for module in TOPIC_MODULES)


@pytest.mark.parametrize("name", NAMES)
def test_registered_identity_holds(name):
    identity = all_identities()[name]()
    assert isinstance(identity, Identity), name
    assert identity.label and identity.method and identity.statement, name
    assert identity.holds, f"{name}: residual {identity.residual}"
    assert identity.require() is identity
    # what Sphinx checks when the ledger's {eq} link resolves
    pages = pages_defining().get(identity.label, [])
    assert len(pages) == 1, (identity.label, pages)


def test_require_raises_with_the_name_and_label():
    bad = Identity("demo", "demo-label", "a = b", "none", 0, 1, 1, False)
    with pytest.raises(AssertionError, match="demo.*demo-label"):
        bad.require()
