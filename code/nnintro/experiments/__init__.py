"""The experiments of the book, one module per page or question group.

Each experiment returns a :class:`~nnintro.findings.Finding` (its numbers and
its checked claims) and draws nothing; the figures are in :mod:`nnintro.plots`.

- ``sample_size`` (question 2), ``activations`` (3), ``forward_pass`` (4-7),
  ``losses`` (8, 9), ``optimisation`` (10, 11), ``backprop_cost`` (12),
  ``architecture`` (13), ``backprop_checks`` (14-17); ``manual_network``,
  ``batch_lr_study``, ``pytorch``, ``digits``, ``svm`` (Part II, each named
  after its page); ``wrong_answers`` (the appendix). ``digits``, ``svm`` and
  ``wrong_answers`` are packages of two or three modules.
"""
