"""nnintro.book.glued_value: a page's format spec rounds a glued number once.

myst-nb's ``{glue:text}`key:.2f``` evaluates the glued text and formats it;
a number glued already rounded to 4 digits would be rounded twice.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from myst_nb.core.variables import format_plain_text

from nnintro.book import glued_value


def as_page_shows(value, spec: str = "s") -> str:
    """The text a page shows for ``{glue:text}`key:spec```."""
    return format_plain_text(repr(glued_value(value)), spec)


def test_a_format_spec_rounds_once():
    assert as_page_shows(1.0153, ".2f") == "1.02"  # not 1.015 -> 1.01
    assert as_page_shows(739.47, ".0f") == "739"  # not 739.5 -> 740
    assert as_page_shows(np.float64(3.9e-16), ".1e") == "3.9e-16"
    assert as_page_shows(0.12345678901, ".12g") == "0.12345678901"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.1, "0.1"), (10.0, "10"), (1000.0, "1000"), (np.int64(3), "3"),
     (True, "True"), ("2, 3, 4", "2, 3, 4"), (1e-12, "1e-12")],
)  # fmt: skip
def test_without_a_spec_constants_read_as_written(value, shown):
    assert as_page_shows(value) == shown


def test_non_finite_values_are_glued_as_printed():
    assert as_page_shows(math.inf) == "inf"
    assert as_page_shows(math.nan, ".2f") == "nan"
