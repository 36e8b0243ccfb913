"""The proof machinery: one test of a residual for zero,
entry-by-entry residuals."""

import sympy as sp

from nnintro.derivations.core import entrywise_residual, is_zero


def test_is_zero_for_scalars_and_matrices():
    assert is_zero(sp.Integer(0)) and not is_zero(sp.Symbol("x"))
    assert is_zero(sp.zeros(2, 3)) and not is_zero(sp.Matrix([[0, 1]]))


def test_entrywise_residual_reports_a_nonzero_difference():
    x = sp.Symbol("x", real=True)
    derivative = sp.Matrix([[sp.diff(sp.tanh(x), x)], [sp.exp(2 * x)]])
    residual = entrywise_residual(
        derivative, [1 - sp.tanh(x) ** 2, sp.exp(x) ** 2], {}
    )
    assert residual[0] == 0
    assert (
        residual[1] == 0
    )  # exp(x)**2 and exp(2x) are the same atom after SymPy's evaluation
    residual = entrywise_residual(derivative, [1 - sp.tanh(x), sp.exp(x)], {})
    assert residual[0] != 0 and residual[1] != 0
