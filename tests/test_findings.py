"""Claims and findings: verdicts, messages,
and the checked-claims block of the pages."""

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from nnintro.book import claims_markdown
from nnintro.findings import (
    Finding,
    above,
    at_least,
    at_most,
    below,
    between,
    claim,
    close,
    each,
    equal,
    format_value,
    ordered,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
from claims import parse_claims  # noqa: E402


@dataclass(frozen=True)
class Coin(Finding):
    page = "data"
    name = "coin"
    heads: int
    tosses: int

    def numbers(self):
        return {"coin-heads": self.heads}

    def claims(self):
        share = self.heads / self.tosses
        return (
            claim(
                "coin-fair",
                "The coin looks fair",
                between(("heads / tosses", share), 0.4, 0.6),
            ),
        )


def test_require_passes_and_fails_naming_the_claim_and_its_numbers():
    assert Coin(50, 100).require().heads == 50
    with pytest.raises(AssertionError) as error:
        Coin(90, 100).require()
    message = str(error.value)
    assert "coin-fair" in message and "heads / tosses = 0.9" in message
    assert "0.4 <= heads / tosses <= 0.6" in message


def test_claim_ids_are_single_words():
    with pytest.raises(ValueError):
        claim("not an id", "x", above(("x", 1), 0))


def test_format_value():
    assert format_value(0.123456) == "0.1235"
    assert format_value(3) == "3"
    assert format_value(1.5e-7) == "1.5e-07"


def test_claims_markdown_round_trips_through_the_directive_parser():
    block = claims_markdown(Coin(50, 100))
    lines = block.splitlines()
    assert lines[0] == "```{checked-claims} coin" and lines[-1] == "```"
    (data,) = parse_claims("\n".join(lines[1:-1]))
    assert data == {
        "id": "coin-fair",
        "statement": "The coin looks fair",
        "test": "0.4 <= heads / tosses <= 0.6",
        "holds": True,
        "values": [{"name": "heads / tosses", "value": 0.5, "text": "0.5"}],
    }
    failing = claims_markdown(Coin(90, 100)).splitlines()[1:-1]
    assert parse_claims("\n".join(failing))[0]["holds"] is False

    text = "a | b, ``` and a line\nbreak"  # any text survives the trip

    @dataclass(frozen=True)
    class Awkward(Finding):
        name = "awkward"

        def claims(self):
            return (claim("awkward", text, above(("x", 1), 0)),)

    block = claims_markdown(Awkward())
    fence = block.splitlines()[0].split("{")[0]
    assert len(fence) > 3 and block.endswith("\n" + fence)
    body = block.splitlines()[1:-1]
    assert parse_claims("\n".join(body))[0]["statement"] == text
    with pytest.raises(ValueError, match="statement"):
        parse_claims('[{"id": "x", "test": "t", "holds": true, "values": []}]')


# The comparison helpers: each tested both ways, and its text checked.


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


def test_claim_takes_its_test_text_and_values_from_the_check():
    c = claim("q-x", "x is large", above(("x", 5.0), 1.0))
    assert c.holds and c.test == "x > 1" and dict(c.values) == {"x": 5.0}
    failing = claim("q-x", "x is large", above(("x", 0.5), 1.0))
    with pytest.raises(AssertionError, match="x > 1"):
        failing.require()


def test_claim_refuses_a_verdict_without_its_check():
    with pytest.raises(TypeError, match="give a Check"):
        claim("q-x", "x is large", True)  # type: ignore[arg-type]
