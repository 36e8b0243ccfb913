"""The svm page: the machines (:mod:`.machines`) and the studies
(:mod:`.studies`)."""

from nnintro.experiments.svm.machines import (
    SVMConfig,
    SVMResult,
    encloses_centre,
    fit_all,
    fit_svm,
    labels,
    paired_comparison,
)
from nnintro.experiments.svm.studies import (
    C_study,
    CSweepFinding,
    SVMFinding,
    SVMStudyConfig,
    svm_study,
)

__all__ = [
    "CSweepFinding",
    "C_study",
    "SVMConfig",
    "SVMFinding",
    "SVMResult",
    "SVMStudyConfig",
    "encloses_centre",
    "fit_all",
    "fit_svm",
    "labels",
    "paired_comparison",
    "svm_study",
]
