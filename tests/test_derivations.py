"""The registry of identities behind the ledger: every identity holds and
names its label, its statement and its method.

This is the one test that every registered identity holds (the topic tests,
tests/test_derivations_<topic>.py, check that a wrong closed form makes it
fail). Each identity is its own test, so that pytest-xdist spreads them;
they share one xdist group with the other tests that read every identity,
so that each is built (and cached) in one process only.
"""

import pytest

from nnintro.derivations import TOPIC_MODULES, all_identities
from nnintro.derivations.core import Identity

NAMES = list(all_identities())


def test_every_topic_module_registers_identities():
    assert NAMES, "no identity registered"
    assert all(module.IDENTITIES for module in TOPIC_MODULES)


@pytest.mark.xdist_group("identities")
@pytest.mark.parametrize("name", NAMES)
def test_registered_identity_holds(name):
    identity = all_identities()[name]()
    assert isinstance(identity, Identity), name
    assert identity.label and identity.method and identity.statement, name
    assert identity.holds, f"{name}: residual {identity.residual}"
    assert identity.require() is identity


def test_require_raises_with_the_name_and_label():
    bad = Identity("demo", "demo-label", "a = b", "none", 0, 1, 1, False)
    with pytest.raises(AssertionError, match="demo.*demo-label"):
        bad.require()
