"""The svm page's equations, checked numerically: each check holds on the
page's machines (tests/test_derivations.py) and fails on a wrong form."""

import numpy as np
import pytest

from nnintro.derivations import svm


def test_the_svm_identities_hold_and_name_their_tolerance():
    for build in svm.IDENTITIES.values():
        identity = build()
        assert identity.holds, identity.verdict()
        assert "max |lhs - rhs| <=" in identity.method
        assert identity.verdict().startswith("holds")


@pytest.mark.parametrize(
    "kernel",
    [
        # no + 1: a homogeneous kernel, not the page's
        lambda U, V, g: (g * U @ V.T) ** 2,
        # gamma twice scikit-learn's "scale"
        lambda U, V, g: (2 * g * U @ V.T + 1) ** 2,
        # degree 3
        lambda U, V, g: (g * U @ V.T + 1) ** 3,
    ],
)
def test_a_wrong_polynomial_kernel_fails(kernel):
    identity = svm.kernel_decision("poly", kernel)
    assert not identity.holds
    assert identity.verdict().startswith("FAILS")


def test_a_wrong_gaussian_kernel_fails():
    def no_square(U, V, g):  # |u - v| instead of |u - v|^2
        d = np.sqrt(((U[:, None, :] - V[None, :, :]) ** 2).sum(-1))
        return np.exp(-g * d)

    assert not svm.kernel_decision("rbf", no_square).holds


def test_numerical_identity_compares_entry_by_entry():
    ok = svm.numerical_identity("a", "l", "s", "m", [1.0, 2.0], [1, 2], 0)
    assert ok.holds and float(ok.residual) == 0
    off = svm.numerical_identity("a", "l", "s", "m", [1.0, 2.0], [1, 3], 0.5)
    assert not off.holds and float(off.residual) == 1
    shape = svm.numerical_identity("a", "l", "s", "m", [1.0], [1, 1], 1)
    assert not shape.holds
    side = svm.numerical_identity(
        "a", "l", "s", "m", [1.0], [1.0], 0, "a side condition", False
    )
    assert not side.holds and "a side condition: FAILS" in side.verdict()
    with pytest.raises(AssertionError, match="'a'"):
        side.require()


def test_the_hinge_objective_of_a_small_case():
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    t = np.array([1, -1])
    w, b = np.array([0.5, 0.0]), 0.0
    # margins t f = 0.5 and 0: hinge 0.5 + 1; plus |w|^2 / 2 = 0.125
    assert svm.hinge_objective(w, b, X, t, C=2.0) == 0.125 + 2 * 1.5
