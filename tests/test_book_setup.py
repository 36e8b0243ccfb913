"""nnintro.book.setup: the book's figure style, and vector figures in IPython.

A figure displayed (or glued) after ``setup()`` carries SVG, which the website
shows, and PDF, which the PDF book includes; the style file is the package's.
"""

from __future__ import annotations

import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from nnintro.book import STYLE, setup  # noqa: E402


@pytest.fixture
def restore_style():
    saved = matplotlib.rcParams.copy()
    yield
    matplotlib.rcParams.update(saved)


def test_style_ships_with_the_package():
    from importlib.resources import files

    assert (files("nnintro") / STYLE).is_file()


def test_setup_applies_the_style(restore_style):
    setup()
    params = matplotlib.rcParams
    assert params["svg.fonttype"] == "path"
    assert params["xtick.labelsize"] >= 10 and params["font.size"] >= 11
    colours = [c["color"] for c in params["axes.prop_cycle"]]
    assert colours[:3] == ["#0072B2", "#D55E00", "#009E73"]


def test_figures_display_as_svg_and_pdf(restore_style):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    setup()
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    data, _ = shell.display_formatter.format(fig)
    plt.close(fig)
    assert "image/svg+xml" in data and "application/pdf" in data
    assert "image/png" not in data
    assert data["image/svg+xml"].lstrip().startswith("<?xml")
    pdf = data["application/pdf"]  # base64 text, as in a notebook
    assert base64.b64decode(pdf)[:5] == b"%PDF-"
