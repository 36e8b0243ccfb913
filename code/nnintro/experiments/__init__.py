"""The experiments of the book, one module per page or question group.

Each experiment returns a :class:`~nnintro.findings.Finding` (its numbers and
its checked claims) and draws nothing; the figures are in :mod:`nnintro.plots`.

- Part I, named after their pages: ``data`` (question 2), ``forward`` (3-7,
  a subpackage), ``loss`` (8, 9), ``optimisation`` (10-13, a subpackage),
  ``backprop`` (14-17); ``manual_training``,
  ``batch_lr_study``, ``torch_versions``, ``digits``, ``svm`` (Part II);
  ``wrong_answers`` (the appendix).
"""
