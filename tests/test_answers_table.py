"""The checker on the table of formulas (tests/answer_table.py): every
verdict as expected (no false "correct", no false "incorrect"), every
catalogued mistake named with its message, a right answer never named as
a mistake, and the catalogue complete (an example for every entry, every
wrong formula readable and wrong)."""

from __future__ import annotations

import pytest
from answer_table import RIGHT, rows

from nnintro.answers import TARGETS, check
from nnintro.answers.catalogue import CATALOGUE, MISTAKES
from nnintro.answers.checker import interpret
from nnintro.answers.symbolic_network import FIRST, NETWORKS

TABLE = rows()


def test_the_table_is_large_and_covers_every_label():
    assert len(TABLE) >= 150
    assert {row[0] for row in TABLE} == set(TARGETS)
    for verdict in ("correct", "incorrect", "error"):
        labels = {row[0] for row in TABLE if row[2] == verdict}
        assert labels, verdict
    assert set(RIGHT) == set(TARGETS)
    for key, formulas in RIGHT.items():  # the book's answer, rewritten
        assert TARGETS[key].reference in formulas
        assert len(set(formulas) - {TARGETS[key].reference}) >= 2, key


@pytest.mark.parametrize("key,formula,verdict,what", TABLE)
def test_verdict(key, formula, verdict, what):
    result = check(key, formula)
    assert result.verdict == verdict, result.text()
    if verdict == "correct":
        assert result.mistake is None
        assert not any("Known mistake" in d for d in result.details)
    elif verdict == "incorrect":
        assert result.mistake == what, result.text()
        if what and MISTAKES[what].message:
            assert f"Known mistake: {MISTAKES[what].message}" in (
                result.details
            ), result.text()
    elif what:
        assert what in result.summary, result.summary


def test_every_mistake_has_an_example_in_the_table():
    named = {row[3] for row in TABLE if row[2] == "incorrect"}
    assert {m.id for m in CATALOGUE} <= named


@pytest.mark.parametrize(
    "mistake,key",
    [(m, k) for m in CATALOGUE if m.kind == "value" for k in m.wrong],
    ids=lambda v: getattr(v, "id", v),
)
def test_every_wrong_formula_is_readable_and_wrong(mistake, key):
    target = TARGETS[key]
    formula = mistake.wrong[key].replace("{ref}", target.reference)
    network = NETWORKS[target.form](FIRST)
    interpret(target, formula, network)  # raises if unreadable
    assert check(key, formula).verdict == "incorrect"


def test_messages_point_to_an_equation_of_the_page():
    labels = {t.equation for t in TARGETS.values()} | {"tanh-derivative"}
    for mistake in CATALOGUE:
        if mistake.see:
            assert mistake.see in labels, mistake.id
            assert f"eq. {mistake.see}" in mistake.message, mistake.id
