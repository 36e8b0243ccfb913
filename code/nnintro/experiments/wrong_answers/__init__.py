"""Common wrong answers, each refuted by a computed counterexample.

Three are answers to questions 14 to 17 (:mod:`.gradients`), one is about
the initial weights of the implementation (:mod:`.init_scale`), one about
what backpropagation needs (:mod:`.skip_connection`). Each function returns
a finding whose claims say that the counterexample really contradicts the
wrong answer, computed from the finding's data.
"""

from nnintro.experiments.wrong_answers.gradients import (
    hidden_gradient_without_upstream,
    output_gradient_with_summed_error,
    simplification_without_simplex_targets,
)
from nnintro.experiments.wrong_answers.init_scale import (
    InitVariance,
    init_scale_comparison,
    init_variance_study,
)
from nnintro.experiments.wrong_answers.skip_connection import (
    skip_backward,
    skip_connection_check,
)

__all__ = [
    "InitVariance",
    "hidden_gradient_without_upstream",
    "init_scale_comparison",
    "init_variance_study",
    "output_gradient_with_summed_error",
    "simplification_without_simplex_targets",
    "skip_backward",
    "skip_connection_check",
]
