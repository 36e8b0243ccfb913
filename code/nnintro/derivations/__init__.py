"""SymPy derivations that the book displays and the tests assert.

Each identity is one function returning an
:class:`~nnintro.derivations.core.Identity` (the two sides, the residual SymPy
computes, the verdict). ``core`` holds the proof machinery, ``symbolic`` the
symbolic network that every topic builds on; the topics are ``forward``
(questions 3-7), ``loss`` (8 and 9), ``simplified_loss`` (14),
``backprop`` (15-17) and ``svm`` (the svm page's equations, checked
numerically on its fitted machines). Each topic
module lists its identities in a module-level ``IDENTITIES`` dict;
:data:`IDENTITIES` below gathers them for the ledger.
"""

from __future__ import annotations

from collections.abc import Callable

from nnintro.derivations import (
    backprop,
    forward,
    loss,
    simplified_loss,
    svm,
)
from nnintro.derivations.backprop import softmax_ce_gradient, tanh_derivative
from nnintro.derivations.core import Identity
from nnintro.derivations.simplified_loss import (
    softmax_ce_simplification,
    softmax_ce_simplification_one_hot,
)

#: The topic modules, in the order of the book;
#: each contributes its IDENTITIES to the ledger.
TOPIC_MODULES = (forward, loss, simplified_loss, backprop, svm)


def all_identities() -> dict[str, Callable[[], Identity]]:
    """Every registered identity builder, keyed by name,
    in the order of the book."""
    registry: dict[str, Callable[[], Identity]] = {}
    for module in TOPIC_MODULES:
        for name, build in module.IDENTITIES.items():
            if name in registry:
                raise ValueError(f"identity name {name!r} is registered twice")
            registry[name] = build
    return registry


def verify_all() -> list[Identity]:
    """Build every registered identity
    (the rows of the verification ledger)."""
    return [build() for build in all_identities().values()]


__all__ = [
    "Identity",
    "TOPIC_MODULES",
    "all_identities",
    "softmax_ce_gradient",
    "softmax_ce_simplification",
    "softmax_ce_simplification_one_hot",
    "tanh_derivative",
    "verify_all",
]
