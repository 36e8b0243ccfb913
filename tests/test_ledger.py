"""The verification ledger: labels found in the sources, every row passes,
failures are reported."""

import types

import pytest
import sympy as sp

import nnintro.derivations as registry
import nnintro.derivations.backprop as bp
import nnintro.ledger as ledger
from nnintro.derivations.core import Identity

PAGE = """# A page

```{math}
:label: eq-one
a = b
```

```{exercise}
:label: ex-not-an-equation
text
```

:::{math}
:label: eq-two
:nowrap:
c = d
:::
"""


def test_equation_pages_reads_math_labels_only(tmp_path):
    (tmp_path / "first.md").write_text(PAGE)
    (tmp_path / "second.md").write_text("```{math}\n:label: eq-one\nx\n```\n")
    pages = ledger.equation_pages(tmp_path)
    assert pages == {"eq-one": ["first", "second"], "eq-two": ["first"]}


def fake_module(identity):
    return types.SimpleNamespace(IDENTITIES={identity.name: lambda: identity})


def test_every_registered_identity_appears_and_passes():
    rows = ledger.identity_rows()
    assert [r.name for r in rows] == list(registry.all_identities())
    failing = [(r.name, r.result) for r in rows if not r.passed]
    assert not failing, failing


def test_registry_is_iterated_not_hard_coded(monkeypatch, tmp_path):
    (tmp_path / "page.md").write_text(PAGE)
    good = Identity("extra", "eq-one", "a=b", "by hand", 0, 0, 0, True)
    monkeypatch.setattr(registry, "TOPIC_MODULES", (fake_module(good),))
    rows = ledger.identity_rows(tmp_path)
    assert [(r.name, r.pages, r.passed) for r in rows] == [
        ("extra", ("page",), True)
    ]


@pytest.mark.parametrize(
    "identity, message",
    [
        (
            Identity("false", "eq-one", "a=b", "m", 0, 1, 1, False),
            "does not hold",
        ),
        (Identity("lost", "eq-nowhere", "a=b", "m", 0, 0, 0, True), "no page"),
    ],
)
def test_a_failing_or_unplaced_identity_fails_the_ledger(
    monkeypatch, tmp_path, identity, message
):
    (tmp_path / "page.md").write_text(PAGE)
    monkeypatch.setattr(registry, "TOPIC_MODULES", (fake_module(identity),))
    rows = ledger.identity_rows(tmp_path)
    assert not rows[0].passed and message in rows[0].result
    with pytest.raises(AssertionError, match=identity.name):
        ledger.require_all(rows, [])


def test_a_label_defined_twice_fails(monkeypatch, tmp_path):
    (tmp_path / "a.md").write_text(PAGE)
    (tmp_path / "b.md").write_text(PAGE)
    good = Identity("dup", "eq-one", "a=b", "m", 0, 0, 0, True)
    monkeypatch.setattr(registry, "TOPIC_MODULES", (fake_module(good),))
    (row,) = ledger.identity_rows(tmp_path)
    assert not row.passed and "2 pages" in row.result


def test_a_wrong_closed_form_shows_up_as_a_failing_row(monkeypatch):
    monkeypatch.setattr(registry, "TOPIC_MODULES", (bp,))
    monkeypatch.setattr(
        bp, "tanh_derivative_closed_form", lambda x: 1 + sp.tanh(x) ** 2
    )
    monkeypatch.setattr(
        bp, "IDENTITIES", {"tanh-derivative": bp.tanh_derivative}
    )
    rows = ledger.identity_rows()
    assert [r.passed for r in rows] == [False]
    with pytest.raises(AssertionError, match="tanh-derivative"):
        ledger.require_all(rows, [])


def test_numeric_rows_pass_for_every_case():
    rows = ledger.numeric_rows()
    assert len(rows) == len(ledger.CASES)
    assert all(r.passed for r in rows), [
        r.case.name for r in rows if not r.passed
    ]
    ledger.require_all([], rows)


def test_a_wrong_batch_equation_fails_its_numeric_row(monkeypatch):
    monkeypatch.setattr(
        ledger, "batch_grad_ytilde_closed_form", lambda Yhat, Y: Yhat - Y
    )
    row = ledger.numeric_row(ledger.Case("N = 4", 4, 2, 3, 2))
    assert not row.passed and row.batch_forms_vs_autograd > 0.5
    with pytest.raises(AssertionError, match="N = 4"):
        ledger.require_all([], [row])


def test_a_wrong_column_equation_fails_its_numeric_row(monkeypatch):
    monkeypatch.setattr(
        ledger, "grad_Wh_closed_form", lambda d, x: 2 * d @ x.T
    )
    row = ledger.numeric_row(ledger.Case("column", 3, 2, 3, 2))
    assert not row.passed and row.column_forms_vs_autograd > 0.1


def test_tables_have_one_line_per_row_and_link_equations():
    rows = ledger.identity_rows()
    table = ledger.identity_table(rows)
    assert len(table.splitlines()) == len(rows) + 2
    assert all(f"{{eq}}`{r.label}`" in table for r in rows)
    numeric = ledger.numeric_table(ledger.numeric_rows(ledger.CASES[:2]))
    assert len(numeric.splitlines()) == 4 and "| pass |" in numeric
