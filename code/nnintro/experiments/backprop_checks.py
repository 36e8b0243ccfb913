"""TRANSITION: the backprop page's studies moved to
:mod:`nnintro.experiments.backprop`; this name stays until
``wrong_answers`` imports from there."""

from nnintro.experiments.backprop import factor_n_mismatch

__all__ = ["factor_n_mismatch"]
