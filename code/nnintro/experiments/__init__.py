"""The experiments of the book, one module per page or question group.

Each experiment returns a :class:`~nnintro.findings.Finding` (its numbers and
its checked claims) and draws nothing; the figures are in :mod:`nnintro.plots`.

Each is named after its page. Part I: ``data`` (question 2), ``forward``
(3-7), ``loss`` (8, 9), ``optimisation`` (10-13), ``backprop`` (14-17).
Part II: ``manual_network``, ``playground``, ``batch_lr_study``,
``pytorch``, ``digits``, ``svm``; the appendix: ``wrong_answers``. A page
whose studies need more than one module has a subpackage of that name.
"""
