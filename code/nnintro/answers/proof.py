"""Prove that two formulas are equal: SymPy reduces their difference to 0.

The difference is tried as it stands, then expanded, then (logs expanded)
as a rational function in which each tanh(...) and each exp(...) is an
unknown. Zero there means zero everywhere, since putting the functions
back into 0 gives 0; a nonzero result proves nothing (the checker then
looks for a counterexample).
"""

from __future__ import annotations

import math
from functools import cache

import sympy as sp

from nnintro.answers.expression import MAX_EXPONENT
from nnintro.answers.network import NETWORKS


def atoms_as_unknowns(expr: sp.Expr, form: str | None = None) -> sp.Expr:
    """Each tanh(...) and then each exp(...) replaced by an unknown.

    If the result is identically 0, so was ``expr``: substituting the
    functions back into 0 gives 0. The atoms of the network ``form`` have
    their unknowns already; SymPy writes exp(a)**k as exp(k*a), which
    becomes e**k for the unknown e of exp(a).
    """
    known, bases = network_unknowns(form) if form else ({}, ())
    expr = expr.xreplace(known)
    tanhs = sorted(expr.atoms(sp.tanh), key=sp.default_sort_key)
    expr = expr.xreplace({a: sp.Dummy(f"t{i}") for i, a in enumerate(tanhs)})
    exps = sorted(expr.atoms(sp.exp), key=sp.default_sort_key)
    fresh = {}
    for i, atom in enumerate(exps):
        fresh[atom] = _power_of_known(atom, bases) or sp.Dummy(
            f"e{i}", positive=True
        )
    return expr.xreplace(fresh)


def _power_of_known(atom: sp.exp, bases):
    """e**k if ``atom`` is exp(k*a) for a known exp(a) (k a whole number)."""
    arg = atom.args[0]
    for base, unknown in bases:
        k = sp.cancel(arg / base)
        if k.is_Integer and abs(k) <= 2 * MAX_EXPONENT:
            return unknown**k
    return None


@cache
def network_unknowns(form: str):
    """Unknowns for the tanh(...) of h and the exp(...) of yhat: the map
    from atoms, and each exp's argument (its tanh's replaced) with its
    unknown."""
    values = NETWORKS[form]().values
    names: dict[str, tuple[str, ...]] = {
        "column": ("h", "yhat"),
        "batch": ("H", "Yhat"),
    }
    names["loss"] = ("ytilde",)
    known: dict = {}
    for name in names[form]:
        for entry in values[name].entries:
            for atom in entry.atoms(sp.tanh, sp.exp):
                if atom not in known:
                    positive = isinstance(atom, sp.exp)
                    kind = "e" if positive else "t"
                    known[atom] = sp.Dummy(
                        f"{kind}{len(known)}", positive=positive
                    )
    if form == "loss":
        for entry in values["ytilde"].entries:
            known[sp.exp(entry)] = sp.Dummy(f"e{len(known)}", positive=True)
    tanhs = {a: u for a, u in known.items() if isinstance(a, sp.tanh)}
    bases = tuple(
        (a.args[0].xreplace(tanhs), u)
        for a, u in known.items()
        if isinstance(a, sp.exp)
    )
    return known, bases


MAX_TERMS = 20_000  # larger expansions are left to the numerical check


def expansion_size(expr: sp.Expr) -> int:
    """About how many terms expanding ``expr`` gives (an upper bound)."""
    if expr.is_Add:
        return sum(expansion_size(a) for a in expr.args)
    if expr.is_Mul:
        size = 1
        for a in expr.args:
            size *= expansion_size(a)
        return size
    if expr.is_Pow and expr.exp.is_Integer:
        n, k = expansion_size(expr.base), abs(int(expr.exp))
        return math.comb(n + k - 1, k) if n > 1 else 1
    return 1


def is_zero(difference: sp.Expr, form: str) -> bool:
    """True when SymPy reduces the expression to 0 (a proof)."""
    if difference == 0:
        return True
    unknowns = atoms_as_unknowns(difference, form)
    if expansion_size(unknowns) > MAX_TERMS:
        return False
    if sp.expand(unknowns) == 0:
        return True
    logs = sp.expand_log(difference, force=True)
    return sp.cancel(atoms_as_unknowns(logs, form)) == 0
