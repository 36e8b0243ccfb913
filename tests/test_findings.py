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
    between,
    claim,
    format_value,
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


def test_claim_takes_its_test_text_and_values_from_the_check():
    c = claim("q-x", "x is large", above(("x", 5.0), 1.0))
    assert c.holds and c.test == "x > 1" and dict(c.values) == {"x": 5.0}
    failing = claim("q-x", "x is large", above(("x", 0.5), 1.0))
    with pytest.raises(AssertionError, match="x > 1"):
        failing.require()


def test_claim_refuses_a_verdict_without_its_check():
    with pytest.raises(TypeError, match="give a Check"):
        claim("q-x", "x is large", True)  # type: ignore[arg-type]
