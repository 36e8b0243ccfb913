"""Checks of what the package receives: matrices, one-hot targets,
probabilities, parameters, a learning rate, finite values.

Each check raises a ``ValueError`` (or ``TypeError``, ``KeyError``) whose
message says what was expected, what was received, and where. Shapes are
compared in plain Python; values take one test per call (:func:`all_finite`),
and only when that test fails is each tensor scanned to write the message.
The tests of values read the tensors through NumPy (:func:`array_of`, no
copy): on the book's small batches one NumPy reduction costs a fraction of a
torch call. Nothing is remembered between calls.
:mod:`nnintro.network_checks` puts them around each function of the network.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np
import torch

PARAM_KEYS = ("Wh", "bh", "Wy", "by")
KEY_SET = frozenset(PARAM_KEYS)
DIVERGED = "a training run that diverged leaves non-finite weights"
OVERFLOW = "an overflow: the inputs are finite but too large"


# --- values: one test, then a scan that names the culprit --------------------


def array_of(tensor: torch.Tensor) -> np.ndarray:
    """The values of ``tensor`` as a NumPy array: a view of a CPU tensor,
    a float64 copy of one NumPy cannot view (bfloat16, on a GPU, ...)."""
    if tensor.requires_grad:
        tensor = tensor.detach()
    try:
        return tensor.numpy()
    except (TypeError, RuntimeError):
        return np.array(tensor.tolist(), dtype=np.float64)


def all_finite(*tensors: torch.Tensor) -> bool:
    """One test for many tensors: NaN and inf propagate through their sum.

    ``False`` can also mean that the sum overflowed; the callers then scan
    each tensor with :func:`require_finite` before raising anything.
    """
    values = np.concatenate([array_of(t).reshape(-1) for t in tensors])
    # a NaN, an inf or an overflow is what is tested for: no NumPy warning
    with np.errstate(invalid="ignore", over="ignore"):
        return math.isfinite(np.add.reduce(values))


def require_finite(name: str, value: torch.Tensor, why: str = "") -> None:
    """Raise if ``value`` holds a NaN or an inf, saying how many and where."""
    bad = ~torch.isfinite(value.detach())
    if bool(bad.any()):
        first = tuple(int(i) for i in torch.nonzero(bad)[0])
        where = f"{name} ({why})" if why else name
        raise ValueError(
            f"{where} contains {int(bad.sum())} non-finite value(s) "
            f"(NaN or inf), the first at index {first}"
        )


def named_tensors(tensors: Mapping, why: str = ""):
    """Yield ``(label, tensor, why)``; a dict ``d`` gives labels ``d['k']``."""
    for name, value in tensors.items():
        if isinstance(value, Mapping):
            reason = DIVERGED if name == "params" else why
            for key, tensor in value.items():
                yield f"{name}[{key!r}]", tensor, reason
        else:
            yield name, value, why


def name_non_finite(causes: Mapping, results: Mapping | None = None) -> None:
    """After a failed :func:`all_finite`: raise, naming the first culprit.

    ``causes`` (the inputs, by name; a dict of tensors counts as one name)
    are scanned first, so a NaN or inf passed in is reported where it
    entered; a result that is not finite from finite inputs overflowed.
    Returns quietly if everything is finite (only a sum overflowed).
    """
    for label, tensor, why in named_tensors(causes):
        require_finite(label, tensor, why)
    for label, tensor, why in named_tensors(results or {}, OVERFLOW):
        require_finite(label, tensor, why)


def require_all_finite(tensors: Mapping) -> None:
    """One finiteness test of every tensor in ``tensors`` (dicts included)."""
    flat = [t for _, t, _ in named_tensors(tensors)]
    if not all_finite(*flat):
        name_non_finite(tensors)


# --- matrices, targets, probabilities ----------------------------------------


def require_matrix(name: str, value, *, columns: int | None = None) -> None:
    """Raise unless ``value`` is a non-empty 2-D floating tensor."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor, got {type(value).__name__}"
        )
    if value.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (a batch of rows, N x features); "
            f"got shape {tuple(value.shape)}"
        )
    if not value.is_floating_point():
        raise TypeError(
            f"{name} must be a floating tensor, got dtype {value.dtype}"
        )
    if value.shape[0] == 0:
        raise ValueError(
            f"{name} is an empty batch (0 rows, shape {tuple(value.shape)}); "
            "a mean over no examples is undefined"
        )
    if columns is not None and value.shape[1] != columns:
        raise ValueError(
            f"{name} has {value.shape[1]} columns but {columns} are expected "
            f"(shape {tuple(value.shape)})"
        )


def as_matrix(name: str, value, *, columns: int | None = None) -> torch.Tensor:
    """Return ``value`` if a finite, non-empty 2-D floating tensor."""
    require_matrix(name, value, columns=columns)
    require_finite(name, value)
    return value


def is_one_hot(Y: np.ndarray) -> bool:
    """Every row sums to 1, so holds a nonzero entry; with N nonzero entries
    in all, each row holds exactly one, which is then 1.

    NaN and inf never pass: their rows do not sum to 1.
    """
    rows_not_summing_to_1 = np.count_nonzero(Y.sum(axis=1) != 1)
    return np.count_nonzero(Y) == Y.shape[0] and rows_not_summing_to_1 == 0


def require_one_hot(name: str, Y: torch.Tensor) -> None:
    """Raise unless each row of ``Y`` is one-hot (a single 1, zeros else)."""
    if is_one_hot(array_of(Y)):
        return
    is_binary = (Y == 0) | (Y == 1)
    bad_rows = torch.nonzero(~is_binary.all(dim=1) | (Y.sum(dim=1) != 1))
    i = int(bad_rows[0, 0])
    raise ValueError(
        f"{name} must be one-hot (each row a single 1, zeros elsewhere); "
        f"{bad_rows.shape[0]} row(s) are not, the first is row {i}: "
        f"{Y[i].tolist()}"
    )


def check_targets(
    Y: torch.Tensor, *, rows: int, classes: int, name: str = "Y"
) -> torch.Tensor:
    """Check that ``Y`` is an N x ny one-hot matrix matching a prediction."""
    require_matrix(name, Y)
    if Y.shape != (rows, classes):
        raise ValueError(
            f"{name} has shape {tuple(Y.shape)} but the prediction has shape "
            f"({rows}, {classes})"
        )
    require_one_hot(name, Y)  # one-hot rows are finite
    return Y


def probability_tolerance(dtype: torch.dtype) -> float:
    """How far from 1 a row of probabilities may sum: sqrt(eps)."""
    return math.sqrt(torch.finfo(dtype).eps)


def require_probabilities(name: str, Yhat: torch.Tensor) -> None:
    """Raise unless all entries are >= 0 and each row sums to 1 (with tol)."""
    tol = probability_tolerance(Yhat.dtype)
    P = array_of(Yhat)
    sums = P.sum(axis=1)
    if P.min() >= 0 and 1 - tol <= sums.min() and sums.max() <= 1 + tol:
        return  # NaN fails every comparison
    require_finite(name, Yhat)
    values, row_sums = Yhat.detach(), Yhat.detach().sum(dim=1)
    if values.min().item() < 0:
        n, i = (int(k) for k in torch.nonzero(values < 0)[0])
        raise ValueError(
            f"{name} must be a matrix of probabilities; it has negative "
            f"entries, the first {values[n, i].item():g} at ({n}, {i}) "
            "(pass the SoftMax output, not the logits ytilde)"
        )
    n = int((row_sums - 1).abs().argmax())
    raise ValueError(
        f"{name} must be a matrix of probabilities; its rows must sum to 1 "
        f"(within {tol:.1e}), row {n} sums to {row_sums[n].item():.17g}"
    )


# --- parameters and the learning rate ----------------------------------------


def check_param_shapes(params: Mapping[str, torch.Tensor]) -> tuple[int, ...]:
    """Keys, types, shapes and dtypes, in plain Python; return (nx, nh, ny)."""
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params must be a dict with keys {PARAM_KEYS}, "
            f"got {type(params).__name__}"
        )
    if params.keys() != KEY_SET:
        unknown = sorted(set(params) - KEY_SET)
        missing = [k for k in PARAM_KEYS if k not in params]
        raise KeyError(
            f"params must have exactly the keys {PARAM_KEYS}; "
            f"unknown: {unknown or 'none'}, missing: {missing or 'none'}"
        )
    Wh, bh, Wy, by = params["Wh"], params["bh"], params["Wy"], params["by"]
    for key, value in zip(PARAM_KEYS, (Wh, bh, Wy, by)):
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"params[{key!r}] must be a torch.Tensor")
    if Wh.ndim != 2 or Wy.ndim != 2 or bh.ndim != 1 or by.ndim != 1:
        raise ValueError(
            "expected Wh (nh x nx), bh (nh), Wy (ny x nh), by (ny); "
            "got shapes "
            + ", ".join(f"{k} {tuple(params[k].shape)}" for k in PARAM_KEYS)
        )
    nh, nx = Wh.shape
    ny = Wy.shape[0]
    if bh.shape != (nh,) or Wy.shape[1] != nh or by.shape != (ny,):
        expected = {"bh": (nh,), "Wy": (ny, nh), "by": (ny,)}
        key = next(k for k in expected if params[k].shape != expected[k])
        raise ValueError(
            f"params[{key!r}] has shape {tuple(params[key].shape)}, "
            f"expected {expected[key]} (Wh is {tuple(Wh.shape)}, so "
            f"nh={nh}, nx={nx}; Wy has ny={ny} rows)"
        )
    if not (Wh.dtype == bh.dtype == Wy.dtype == by.dtype):
        raise TypeError(
            "the parameters must share one dtype; got "
            + ", ".join(f"{k} {params[k].dtype}" for k in PARAM_KEYS)
        )
    return nx, nh, ny


def check_params(params: Mapping[str, torch.Tensor]) -> tuple[int, ...]:
    """Keys, shapes and values of a parameter dict; return (nx, nh, ny)."""
    sizes = check_param_shapes(params)
    require_all_finite({"params": params})
    return sizes


def check_learning_rate(eta) -> None:
    """Raise unless ``eta`` is a real number (not a bool), finite and > 0."""
    if type(eta) is float and 0 < eta < math.inf:
        return
    if isinstance(eta, bool) or not isinstance(eta, numbers.Real):
        raise TypeError(
            "the learning rate eta must be a positive finite number, "
            f"got {eta!r} of type {type(eta).__name__}"
        )
    if not (math.isfinite(eta) and float(eta) > 0):
        raise ValueError(
            f"the learning rate eta must be positive and finite, got {eta!r}"
        )
