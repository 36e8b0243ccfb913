"""The verification ledger: a row per registered identity, in the
registry's order (tests/test_derivations.py checks that each holds and
that its label is defined once in the book), every numeric row passes,
failures are reported."""

import dataclasses
import types

import pytest

import nnintro.derivations as registry
import nnintro.ledger as ledger
from nnintro.chain_rule import BATCH
from nnintro.derivations.core import Identity


def fake_module(*identities):
    return types.SimpleNamespace(
        IDENTITIES={i.name: (lambda i=i: i) for i in identities}
    )


def test_registry_is_iterated_not_hard_coded(monkeypatch):
    """Every registered identity appears, in the registry's order."""
    one = Identity("extra", "eq-one", "a=b", "by hand", 0, 0, 0, True)
    two = Identity("more", "eq-two", "c=d", "by hand", 0, 0, 0, True)
    three = Identity("last", "eq-one", "e=f", "by hand", 0, 0, 0, True)
    modules = (fake_module(one, two), fake_module(three))
    monkeypatch.setattr(registry, "TOPIC_MODULES", modules)
    rows = ledger.identity_rows()
    assert [(r.name, r.label, r.passed) for r in rows] == [
        ("extra", "eq-one", True),
        ("more", "eq-two", True),
        ("last", "eq-one", True),
    ]


def test_a_failing_identity_fails_the_ledger(monkeypatch):
    bad = Identity("false", "eq-one", "a=b", "m", 0, 1, 1, False)
    monkeypatch.setattr(registry, "TOPIC_MODULES", (fake_module(bad),))
    rows = ledger.identity_rows()
    assert not rows[0].passed and "does not hold" in rows[0].result
    with pytest.raises(AssertionError, match="false"):
        ledger.require_all(rows, [])


def test_numeric_rows_pass_for_every_case():
    rows = ledger.numeric_rows()
    assert len(rows) == len(ledger.CASES)
    assert all(r.passed for r in rows), [
        r.case.name for r in rows if not r.passed
    ]
    ledger.require_all([], rows)


def test_a_wrong_step_of_backward_fails_its_numeric_row():
    forgot_1_over_N = dataclasses.replace(BATCH, Delta_y=lambda P, Y: P - Y)
    row = ledger.numeric_row(ledger.Case("N = 4", 4, 2, 3, 2), forgot_1_over_N)
    assert not row.passed and row.backward_vs_autograd > 0.5
    with pytest.raises(AssertionError, match="N = 4"):
        ledger.require_all([], [row])


def test_tables_have_one_line_per_row_and_link_equations(monkeypatch):
    one = Identity("extra", "eq-one", "a=b", "by hand", 0, 0, 0, True)
    two = Identity("false", "eq-two", "c=d", "by hand", 0, 1, 1, False)
    monkeypatch.setattr(registry, "TOPIC_MODULES", (fake_module(one, two),))
    rows = ledger.identity_rows()
    table = ledger.identity_table(rows)
    assert len(table.splitlines()) == len(rows) + 2
    assert all(f"{{eq}}`{r.label}`" in table for r in rows)
    numeric = ledger.numeric_table(ledger.numeric_rows(ledger.CASES[:2]))
    assert len(numeric.splitlines()) == 4 and "| pass |" in numeric
