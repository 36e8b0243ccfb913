"""Prove that two formulas are equal: SymPy reduces their difference to 0.

The difference is tried as it stands, then expanded, then (logs expanded)
over a common denominator, in which each tanh(...) and each exp(...) is
an unknown; the numerator is expanded. Zero there means zero everywhere,
since putting the functions back into 0 gives 0; a nonzero result proves
nothing (the checker then relies on its numerical test).

Every step has a budget: an expansion is attempted only when it gives at
most MAX_TERMS terms, and no step starts after the deadline. Where the
platform has interval timers (CPython on the main thread), a step that
overruns the deadline is also interrupted.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from contextlib import contextmanager
from functools import cache

import sympy as sp

from nnintro.answers.expression import MAX_EXPONENT
from nnintro.answers.symbolic_network import NETWORKS


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


MAX_TERMS = 4_000  # larger expansions are left to the numerical check


class Overrun(Exception):
    """The proof ran past its budget."""


@contextmanager
def time_limit(seconds: float):
    """Interrupt the block after ``seconds`` where timers exist (CPython on
    the main thread); elsewhere (Pyodide) the block runs unguarded, and the
    size bounds and the deadline between steps keep it short."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable or seconds <= 0:
        yield
        return

    def stop(signum, frame):
        raise Overrun

    try:
        previous = signal.signal(signal.SIGALRM, stop)
    except (ValueError, OSError, AttributeError):  # no signals here
        yield
        return
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    except (ValueError, OSError, AttributeError):  # no timers here
        signal.signal(signal.SIGALRM, previous)
        yield
        return
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def all_zero(differences, form: str, seconds: float) -> bool:
    """True when every difference is proved 0 within ``seconds``."""
    network_unknowns(form)  # built outside the time limit (cached)
    deadline = time.monotonic() + seconds
    try:
        with time_limit(seconds):
            return all(is_zero(d, form, deadline) for d in differences)
    except (Overrun, RecursionError, MemoryError):
        return False


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


def is_zero(
    difference: sp.Expr, form: str, deadline: float = math.inf
) -> bool:
    """True when SymPy reduces the expression to 0 (a proof); False when
    it does not, or not within the size bounds and before the deadline."""
    if difference == 0:
        return True
    unknowns = atoms_as_unknowns(difference, form)
    if expansion_size(unknowns) <= MAX_TERMS and time.monotonic() < deadline:
        if sp.expand(unknowns) == 0:
            return True
    if time.monotonic() >= deadline:
        return False
    logs = atoms_as_unknowns(sp.expand_log(difference, force=True), form)
    if time.monotonic() >= deadline:
        return False
    numerator, _ = sp.fraction(sp.together(logs))
    if expansion_size(numerator) > MAX_TERMS:
        return False
    if time.monotonic() >= deadline:
        return False
    return sp.expand(numerator) == 0
