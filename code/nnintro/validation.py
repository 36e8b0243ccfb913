"""Input checks of the public API: a thin layer around the network's maths.

:func:`checked` gives a function of :mod:`nnintro.network` a keyword
``check`` (default ``True``): with it, a check of the inputs runs before the
function and a check of its results after; ``check=False`` runs the maths
alone. Each check raises a ``ValueError`` (or ``TypeError``, ``KeyError``)
whose message says what was expected, what was received, and where. Shapes
are compared in plain Python; values take one test per call
(:func:`all_finite`), and only when that test fails is each tensor scanned to
write the message. Nothing is remembered between calls.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Mapping

import torch

PARAM_KEYS = ("Wh", "bh", "Wy", "by")
KEY_SET = frozenset(PARAM_KEYS)
DIVERGED = "a training run that diverged leaves non-finite weights"
OVERFLOW = "an overflow: the inputs are finite but too large"


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


# --- values: one test, then a scan that names the culprit --------------------


def all_finite(*tensors: torch.Tensor) -> bool:
    """One test for many tensors: NaN and inf propagate through their sums.

    ``False`` can also mean that a sum overflowed; the callers then scan
    each tensor with :func:`require_finite` before raising anything.
    """
    flat = torch.cat([t.reshape(-1) for t in tensors])
    return math.isfinite(flat.sum().item())


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


@functools.cache
def identity(n: int, dtype: torch.dtype) -> torch.Tensor:
    """The n x n identity matrix, whose rows are the one-hot rows."""
    return torch.eye(n, dtype=dtype)


def require_one_hot(name: str, Y: torch.Tensor) -> None:
    """Raise unless each row of ``Y`` is one-hot (a single 1, zeros else)."""
    # one test: Y equals the one-hot rows of its own argmax (NaN never does)
    if torch.equal(Y, identity(Y.shape[1], Y.dtype)[Y.argmax(dim=1)]):
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
    values = Yhat.detach()
    lowest = values.min().item()
    row_sums = values.sum(dim=1)
    low_sum, high_sum = (v.item() for v in torch.aminmax(row_sums))
    if lowest >= 0 and 1 - tol <= low_sum and high_sum <= 1 + tol:
        return  # NaN fails every comparison
    require_finite(name, Yhat)
    if lowest < 0:
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
    """``Yhat`` probabilities, ``Y`` one-hot of its shape, ``ytilde`` too."""
    require_matrix("Yhat", Yhat)
    check_targets(Y, rows=Yhat.shape[0], classes=Yhat.shape[1])
    if ytilde is not None:
        require_matrix("ytilde", ytilde)
        if ytilde.shape != Yhat.shape:
            raise ValueError(
                f"ytilde has shape {tuple(ytilde.shape)}, "
                f"Yhat has {tuple(Yhat.shape)}"
            )
    require_probabilities("Yhat", Yhat)


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
