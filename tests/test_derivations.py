"""The registry of identities behind the ledger:
every identity holds and names its label."""

import pytest

from nnintro.derivations import all_identities, verify_all
from nnintro.derivations.core import Identity


def test_every_registered_identity_holds():
    results = verify_all()
    assert results, "no identity registered"
    failing = [r.name for r in results if not r.holds]
    assert not failing, f"identities that do not hold: {failing}"


def test_every_identity_names_an_equation_label_and_a_method():
    for name, build in all_identities().items():
        identity = build()
        assert isinstance(identity, Identity), name
        assert identity.label and identity.method and identity.statement, name


def test_require_raises_with_the_name_and_label():
    bad = Identity("demo", "demo-label", "a = b", "none", 0, 1, 1, False)
    with pytest.raises(AssertionError, match="demo.*demo-label"):
        bad.require()
