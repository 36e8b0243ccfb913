"""The thin layer of checks around the network's maths.

:func:`checked` gives a function of :mod:`nnintro.network` a keyword
``check`` (default ``True``): with it, a check of the inputs runs before the
function and a check of its results after; ``check=False`` runs the maths
alone. One pair of checks per function of the network, built from
:mod:`nnintro.validation`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping

import torch

from nnintro.validation import (
    KEY_SET,
    PARAM_KEYS,
    all_finite,
    check_learning_rate,
    check_param_shapes,
    check_targets,
    name_non_finite,
    require_finite,
    require_matrix,
    require_probabilities,
)


def checked(inputs: Callable, results: Callable | None = None):
    """Decorate ``fn`` with checks: ``inputs(*args, **kwargs)`` before it,
    ``results(result, *args, **kwargs)`` after, unless ``check=False``."""

    def decorate(fn):
        @functools.wraps(fn)
        def public(*args, check: bool = True, **kwargs):
            if not check:
                return fn(*args, **kwargs)
            inputs(*args, **kwargs)
            result = fn(*args, **kwargs)
            if results is not None:
                results(result, *args, **kwargs)
            return result

        return public

    return decorate


# --- what each function of the network receives and returns ------------------


def check_inputs(params: Mapping[str, torch.Tensor], X) -> None:
    """Before forward: shapes and dtypes of ``params`` and ``X``."""
    nx, _, _ = check_param_shapes(params)
    require_matrix("X", X, columns=nx)
    if X.dtype != params["Wh"].dtype:
        raise TypeError(
            f"X is {X.dtype} but the parameters are {params['Wh'].dtype}; "
            f"convert one, e.g. X.to({params['Wh'].dtype})"
        )


def check_outputs(result, params, X) -> None:
    """After forward: one finiteness test of htilde and ytilde.

    With N >= 1, every NaN or inf in X or the parameters reaches them.
    """
    _, outputs = result
    htilde, ytilde = outputs["htilde"], outputs["ytilde"]
    if not all_finite(htilde, ytilde):
        name_non_finite(
            {"X": X, "params": params},
            {"htilde": htilde, "ytilde": ytilde},
        )


def check_accuracy_inputs(Yhat, Y) -> None:
    """Before accuracy: two matrices of one shape."""
    require_matrix("Yhat", Yhat)
    require_matrix("Y", Y)
    if Y.shape != Yhat.shape:
        raise ValueError(
            f"Y has shape {tuple(Y.shape)} but the prediction has shape "
            f"{tuple(Yhat.shape)}"
        )


def check_loss_inputs(Yhat, Y, ytilde=None) -> None:
    """``Y`` one-hot of the shape of ``Yhat``; then either ``ytilde`` of that
    shape too (the loss and the accuracy come from it, and
    :func:`check_loss_result` tests its values) or ``Yhat`` probabilities."""
    require_matrix("Yhat", Yhat)
    check_targets(Y, rows=Yhat.shape[0], classes=Yhat.shape[1])
    if ytilde is None:
        require_probabilities("Yhat", Yhat)
        return
    require_matrix("ytilde", ytilde)
    if ytilde.shape != Yhat.shape:
        raise ValueError(
            f"ytilde has shape {tuple(ytilde.shape)}, "
            f"Yhat has {tuple(Yhat.shape)}"
        )


def check_loss_result(result, Yhat, Y, ytilde=None) -> None:
    """After the loss from the logits: an infinite loss means bad logits
    (or logits near 1e308, whose log-sum-exp overflows)."""
    if ytilde is not None and not math.isfinite(result[0].item()):
        require_finite("ytilde", ytilde)


def check_backward_inputs(params, outputs, Y, **rule) -> None:
    """Keys and shapes of ``params`` and ``outputs`` agree; Y is one-hot."""
    nx, nh, ny = check_param_shapes(params)
    if not ("X" in outputs and "h" in outputs and "yhat" in outputs):
        missing = [k for k in ("X", "h", "yhat") if k not in outputs]
        raise KeyError(
            f"outputs lacks {missing}; pass the dict returned by forward"
        )
    N = outputs["X"].shape[0]
    for key, shape in (("X", (N, nx)), ("h", (N, nh)), ("yhat", (N, ny))):
        if outputs[key].shape != shape:
            raise ValueError(
                f"outputs[{key!r}] has shape {tuple(outputs[key].shape)} but "
                f"params give {shape}; pass the outputs of forward(params, X)"
            )
    check_targets(Y, rows=N, classes=ny)


def check_gradients_finite(grads, params, outputs, Y, **rule) -> None:
    """After backward: one finiteness test of the gradients.

    A NaN or inf in ``Wy`` or in ``outputs`` reaches them; it is named
    where it entered.
    """
    if not all_finite(*grads.values()):
        name_non_finite(
            {"params": params, "outputs": outputs}, {"grads": grads}
        )


def check_step(params, grads, eta) -> None:
    """Before sgd: keys and shapes agree, ``eta`` is a positive rate."""
    check_param_shapes(params)
    if not isinstance(grads, Mapping):
        raise TypeError(
            f"grads must be a dict with keys {PARAM_KEYS}, "
            f"got {type(grads).__name__}"
        )
    if grads.keys() != KEY_SET:
        raise KeyError(
            f"grads must have the keys {PARAM_KEYS}, got {sorted(grads)}"
        )
    check_learning_rate(eta)
    for key in PARAM_KEYS:
        if not isinstance(grads[key], torch.Tensor):
            raise TypeError(f"grads[{key!r}] must be a torch.Tensor")
        if grads[key].shape != params[key].shape:
            raise ValueError(
                f"grads[{key!r}] has shape {tuple(grads[key].shape)}, "
                f"params[{key!r}] has {tuple(params[key].shape)}"
            )


def check_step_result(new, params, grads, eta) -> None:
    """After sgd: one finiteness test of the new parameters.

    A NaN or inf in ``params`` or ``grads`` always reaches them and is named
    where it entered; from finite inputs, a step so large that it overflows
    is let through (the next ``forward`` reports the divergence).
    """
    if not all_finite(*new.values()):
        name_non_finite({"grads": grads, "params": params})
