"""Check a student's own formula for the gradients of questions 14 to 17.

``check("q16-Wy", "delta_y @ h.T")`` returns a :class:`Result`: the
verdict (``correct``, ``incorrect`` or ``error``) and an explanation. The
formula is NumPy-style and uses the book's names; it is parsed, never run
as Python. This subpackage needs only SymPy, the standard library and the
modules of :data:`SHARED_MODULES`, so the same code runs in the reader's
browser (Pyodide) and on the command line:
``python -m nnintro.answers q16-Wy "delta_y @ h.T"``.
"""

from nnintro.answers.checker import check
from nnintro.answers.result import CORRECT, ERROR, INCORRECT, Result
from nnintro.answers.targets import TARGETS, Target

#: The modules of nnintro outside this subpackage that it imports, and the
#: browser's bundle therefore holds: the closed forms that ``backward``
#: calls (they import nothing but the standard library).
SHARED_MODULES = ("nnintro.chain_rule", "nnintro.forward_pass")

__all__ = [
    "CORRECT",
    "ERROR",
    "INCORRECT",
    "SHARED_MODULES",
    "TARGETS",
    "Result",
    "Target",
    "check",
]
