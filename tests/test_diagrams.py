"""The network drawing has one circle per neuron and one line per weight."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

from nnintro.diagrams import draw_network, neuron_positions  # noqa: E402


@pytest.mark.parametrize("sizes", [(2, 4, 2), (3, 5, 1), (2, 2), (1, 3, 3, 2)])
def test_one_circle_per_neuron_one_line_per_weight(sizes):
    ax = draw_network(sizes)
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == sum(sizes)
    assert len(ax.lines) == sum(a * b for a, b in zip(sizes, sizes[1:]))
    plt.close(ax.figure)


def test_labels_name_the_sizes():
    ax = draw_network((2, 4, 2))
    texts = " ".join(t.get_text() for t in ax.texts)
    for part in ("$n_x = 2$", "$n_h = 4$", "$n_y = 2$", "$h_{4}$", "$x_{2}$"):
        assert part in texts
    assert "$h_{5}$" not in texts
    plt.close(ax.figure)


def test_layers_are_centred_columns():
    pos = neuron_positions((2, 4, 2))
    assert [len(c) for c in pos] == [2, 4, 2]
    for column in pos:
        assert abs(sum(y for _, y in column)) < 1e-12
        assert len({x for x, _ in column}) == 1


@pytest.mark.parametrize("bad", [(2,), (2, 0, 2), (2, 1.5, 2)])
def test_bad_sizes_raise(bad):
    with pytest.raises(ValueError):
        neuron_positions(bad)
