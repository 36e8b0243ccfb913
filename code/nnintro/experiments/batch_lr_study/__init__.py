"""The batch size x learning rate page: the grid of runs and their twins
(:mod:`.grid`), and what the page says about it (:mod:`.finding`)."""

from nnintro.experiments.batch_lr_study.finding import (
    StudyFinding,
    batch_lr_study,
)
from nnintro.experiments.batch_lr_study.grid import (
    StudyConfig,
    StudyGrid,
    gaps,
    label,
    twins,
)

__all__ = [
    "StudyConfig",
    "StudyFinding",
    "StudyGrid",
    "batch_lr_study",
    "gaps",
    "label",
    "twins",
]
