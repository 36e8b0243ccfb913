"""The comparison helpers: each tested both ways, and its text checked."""

import pytest

from nnintro.comparisons import (
    above,
    at_least,
    at_most,
    below,
    between,
    close,
    each,
    equal,
    ordered,
)


def test_above_and_below_write_their_text_from_their_operands():
    c = above(("gain", 0.2), 0.1)
    assert c.holds and c.text == "gain > 0.1" and c.values == {"gain": 0.2}
    assert not above(("gain", 0.1), 0.1).holds
    c = below(("gap at N=600", 0.05), ("gap at N=10", 0.3))
    assert c.holds and c.text == "gap at N=600 < gap at N=10"
    assert c.values == {"gap at N=600": 0.05, "gap at N=10": 0.3}
    assert not below(("a", 2.0), ("b", 1.0)).holds


def test_inclusive_bounds_and_equality():
    assert at_least(("x", 1.0), 1.0).holds
    assert not at_least(("x", 0.999), 1.0).holds
    assert at_most(("x", 1.0), 1.0).holds
    assert not at_most(("x", 1.001), 1.0).holds
    assert equal(("count", 3), 3).holds and not equal(("count", 4), 3).holds
    assert equal(("count", 3), 3).text == "count == 3"


def test_nan_and_inf_never_hold():
    nan, inf = float("nan"), float("inf")
    assert not above(("x", nan), 0.0).holds
    assert not below(("x", nan), 1.0).holds
    assert not at_most(("x", -inf), 0.0).holds
    assert not between(("x", nan), 0, 1).holds
    assert not close(("x", nan), 0.0, tol=1.0).holds


def test_between_and_close():
    c = between(("share", 0.5), 0.4, 0.6)
    assert c.holds and c.text == "0.4 <= share <= 0.6"
    assert not between(("share", 0.7), 0.4, 0.6).holds
    assert not between(("share", 0.3), 0.4, 0.6).holds
    c = close(("a", 1.0), ("b", 1.05), tol=0.1)
    assert c.holds and c.text == "|a - b| <= 0.1"
    assert not close(("a", 1.0), ("b", 1.2), tol=0.1).holds


def test_ordered_tests_every_step_of_a_trend():
    rising = [("N=10", 0.7), ("N=30", 0.8), ("N=100", 0.9)]
    c = ordered(rising)
    assert c.holds and c.text == "N=10 < N=30 < N=100"
    # one step down in the middle is enough to fail
    assert not ordered([("a", 0.7), ("b", 0.9), ("c", 0.85)]).holds
    assert ordered([("a", 3), ("b", 2), ("c", 1)], ">").holds
    with pytest.raises(ValueError):
        ordered([("a", 1)])


def test_each_names_the_count_and_the_worst_or_failing_row():
    rows = {"B=1": 0.91, "B=10": 0.95, "B=200": 0.93}
    c = each("final accuracy", rows, ">=", 0.9)
    assert c.holds
    assert c.text == "final accuracy >= 0.9 for each of the 3 rows"
    c = each("final accuracy", rows, ">=", 0.9, of="batch sizes")
    assert c.text.endswith("for each of the 3 batch sizes")
    assert c.values == {"final accuracy at B=1": 0.91}
    c = each("final accuracy", {**rows, "B=50": 0.5}, ">=", 0.9)
    assert not c.holds and c.values == {"final accuracy at B=50": 0.5}
    with pytest.raises(ValueError):
        each("x", {}, ">", 0)


def test_a_conjunction_holds_only_when_both_do():
    c = above(("a", 2), 1) & below(("b", 0), 1)
    assert c.holds and c.text == "a > 1 and b < 1"
    assert not (above(("a", 2), 1) & below(("b", 5), 1)).holds
