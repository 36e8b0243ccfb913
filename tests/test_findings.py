"""Claims and findings: verdicts, messages,
and the checked-claims block of the pages."""

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from nnintro.book import claims_markdown
from nnintro.findings import Finding, claim, format_value

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
from claims import parse_claim_line  # noqa: E402


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
                0.4 < share < 0.6,
                "0.4 < heads / tosses < 0.6",
                share=share,
            ),
        )


def test_require_passes_and_fails_naming_the_claim_and_its_numbers():
    assert Coin(50, 100).require().heads == 50
    with pytest.raises(AssertionError) as error:
        Coin(90, 100).require()
    message = str(error.value)
    assert "coin-fair" in message and "share = 0.9" in message
    assert "0.4 < heads / tosses < 0.6" in message


def test_claim_ids_are_single_words():
    with pytest.raises(ValueError):
        claim("not an id", "x", True, "t")


def test_format_value():
    assert format_value(0.123456) == "0.1235"
    assert format_value(3) == "3"
    assert format_value(1.5e-7) == "1.5e-07"


def test_claims_markdown_round_trips_through_the_directive_parser():
    block = claims_markdown(Coin(50, 100))
    lines = block.splitlines()
    assert lines[0] == "```{checked-claims} coin" and lines[-1] == "```"
    data = parse_claim_line(lines[1])
    assert data == {
        "id": "coin-fair",
        "statement": "The coin looks fair",
        "values": "share = 0.5",
        "test": "0.4 < heads / tosses < 0.6",
        "holds": True,
    }
    assert (
        parse_claim_line(claims_markdown(Coin(90, 100)).splitlines()[1])[
            "holds"
        ]
        is False
    )


def test_a_separator_inside_a_field_is_refused():
    @dataclass(frozen=True)
    class Bad(Finding):
        name = "bad"

        def claims(self):
            return (claim("bad-sep", "a | b", True, "t"),)

    with pytest.raises(ValueError, match="bad-sep"):
        claims_markdown(Bad())
