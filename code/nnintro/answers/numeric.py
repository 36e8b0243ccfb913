"""Evaluate SymPy expressions at a point, fast, with mpmath.

The entries of the symbolic network share their subexpressions (every
entry of yhat has the same denominator), so a recursive evaluator with a
cache visits each one once; SymPy's ``evalf(subs=...)`` does not.
A value that is not a finite real number (a division by zero, the log of
a negative number, exp of more than 10,000) comes out as None.
"""

from __future__ import annotations

import mpmath
import sympy as sp

DIGITS = 60  # working precision (decimal digits)
CONFIRM_DIGITS = 120  # a difference found is confirmed at this precision
MAX_EXP_ARGUMENT = 10_000  # exp of more is taken as an overflow

_FUNCTIONS = {
    sp.exp: mpmath.exp,
    sp.log: mpmath.log,
    sp.tanh: mpmath.tanh,
}


class Evaluator:
    """Values of expressions at a point (a dict of symbols to rationals)."""

    def __init__(self, point: dict, digits: int = DIGITS):
        self.digits = digits
        with mpmath.workdps(digits):
            self.cache: dict = {
                s: mpmath.mpf(v.p) / v.q for s, v in point.items()
            }

    def __call__(self, expr: sp.Expr):
        with mpmath.workdps(self.digits):
            try:
                value = self.value(sp.sympify(expr))
            except (ZeroDivisionError, ValueError, OverflowError):
                return None
        if value is None or not isinstance(value, mpmath.mpf):
            return None
        return value if mpmath.isfinite(value) else None

    def value(self, e):
        cached = self.cache.get(e)
        if cached is not None:
            return cached
        if e.is_Rational:
            v = mpmath.mpf(e.p) / e.q
        elif e.is_Float:
            v = mpmath.mpf(e)
        elif e.is_Add:
            v = mpmath.fsum(self.value(a) for a in e.args)
        elif e.is_Mul:
            v = mpmath.fprod(self.value(a) for a in e.args)
        elif e.is_Pow:
            base, exponent = self.value(e.base), e.exp
            if exponent.is_Integer:
                if base == 0 and exponent < 0:
                    raise ZeroDivisionError
                v = base ** int(exponent)
            else:
                v = mpmath.power(base, self.value(exponent))
        elif e.func in _FUNCTIONS:
            (arg,) = e.args
            x = self.value(arg)
            if e.func is sp.log and x <= 0:
                raise ValueError("log of a number <= 0")
            if e.func is sp.exp and abs(x) > MAX_EXP_ARGUMENT:
                raise OverflowError("exp of a huge number")
            v = _FUNCTIONS[e.func](x)
        elif e is sp.S.Exp1:
            v = mpmath.e
        else:
            raise ValueError(f"cannot evaluate {e.func.__name__}")
        if isinstance(v, mpmath.mpc):
            raise ValueError("not a real number")
        self.cache[e] = v
        return v
