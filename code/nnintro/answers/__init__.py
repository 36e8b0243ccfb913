"""Check a student's own formula for the gradients of questions 14 to 17.

``check("q16-Wy", "delta_y @ h.T")`` returns a :class:`Result`: the
verdict (``correct``, ``incorrect`` or ``error``) and an explanation. The
formula is NumPy-style and uses the book's names; it is parsed, never run
as Python. This subpackage needs only SymPy and the standard library, so
the same code runs in the reader's browser (Pyodide) and on the command
line: ``python -m nnintro.answers q16-Wy "delta_y @ h.T"``.
"""

from nnintro.answers.checker import check
from nnintro.answers.result import CORRECT, ERROR, INCORRECT, Result
from nnintro.answers.targets import TARGETS, Target

__all__ = [
    "CORRECT",
    "ERROR",
    "INCORRECT",
    "TARGETS",
    "Result",
    "Target",
    "check",
]
