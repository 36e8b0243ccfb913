"""The symbolic network, built once for every topic."""

import sympy as sp

from nnintro.derivations.symbolic import (
    symbolic_batch_network,
    symbolic_network,
)


def test_symbolic_network_shapes_and_simplex_constraint():
    net = symbolic_network(2, 3, 4)
    assert (
        net.Wh.shape == (3, 2)
        and net.Wy.shape == (4, 3)
        and net.yhat.shape == (4, 1)
    )
    assert sp.simplify(sum(net.Y.subs(net.on_simplex)) - 1) == 0
    batch = symbolic_batch_network(2, 2, 3, 2)
    assert batch.htilde.shape == (2, 3) and batch.yhat.shape == (2, 2)
    for n in range(2):
        assert sp.simplify(sum(batch.Y[n, :].subs(batch.on_simplex)) - 1) == 0
