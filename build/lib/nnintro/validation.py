"""Input checks shared by the network, the training loop and the checkers.

Each check raises a ``ValueError`` (or ``TypeError``/``KeyError``) whose message says what was
expected, what was received, and where.
"""

from __future__ import annotations

from collections.abc import Mapping

import torch

PARAM_KEYS = ("Wh", "bh", "Wy", "by")


def as_matrix(name: str, value, *, columns: int | None = None) -> torch.Tensor:
    """Return ``value`` as a finite 2-D floating tensor, or raise with a clear message."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(value).__name__}")
    if value.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (a batch of rows, N x features); got shape {tuple(value.shape)}"
        )
    if not value.is_floating_point():
        raise TypeError(f"{name} must be a floating tensor, got dtype {value.dtype}")
    if columns is not None and value.shape[1] != columns:
        raise ValueError(
            f"{name} has {value.shape[1]} columns but {columns} are expected "
            f"(shape {tuple(value.shape)})"
        )
    require_finite(name, value)
    return value


def require_finite(name: str, value: torch.Tensor) -> None:
    """Raise if ``value`` holds a NaN or an infinity, saying how many and where the first is."""
    bad = ~torch.isfinite(value.detach())
    if bool(bad.any()):
        first = tuple(int(i) for i in torch.nonzero(bad)[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} non-finite value(s) (NaN or inf), "
            f"the first at index {first}"
        )


def require_one_hot(name: str, Y: torch.Tensor) -> None:
    """Raise unless every row of ``Y`` is a one-hot vector (a single 1, zeros elsewhere)."""
    is_binary = (Y == 0) | (Y == 1)
    row_sums = Y.sum(dim=1)
    bad_rows = torch.nonzero(~is_binary.all(dim=1) | (row_sums != 1)).flatten()
    if bad_rows.numel():
        i = int(bad_rows[0])
        raise ValueError(
            f"{name} must be one-hot (each row a single 1, zeros elsewhere); "
            f"{bad_rows.numel()} row(s) are not, the first is row {i}: {Y[i].tolist()}"
        )


def check_params(params: Mapping[str, torch.Tensor]) -> tuple[int, int, int]:
    """Check keys, shapes and values of a parameter dict; return ``(nx, nh, ny)``."""
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params must be a dict with keys {PARAM_KEYS}, got {type(params).__name__}"
        )
    unknown = sorted(set(params) - set(PARAM_KEYS))
    missing = [k for k in PARAM_KEYS if k not in params]
    if unknown or missing:
        raise KeyError(
            f"params must have exactly the keys {PARAM_KEYS}; "
            f"unknown: {unknown or 'none'}, missing: {missing or 'none'}"
        )
    Wh, bh, Wy, by = (params[k] for k in PARAM_KEYS)
    for key in PARAM_KEYS:
        if not isinstance(params[key], torch.Tensor):
            raise TypeError(f"params[{key!r}] must be a torch.Tensor")
    if Wh.ndim != 2 or Wy.ndim != 2 or bh.ndim != 1 or by.ndim != 1:
        raise ValueError(
            "expected Wh (nh x nx), bh (nh), Wy (ny x nh), by (ny); got shapes "
            + ", ".join(f"{k} {tuple(params[k].shape)}" for k in PARAM_KEYS)
        )
    nh, nx = Wh.shape
    ny = Wy.shape[0]
    expected = {"Wh": (nh, nx), "bh": (nh,), "Wy": (ny, nh), "by": (ny,)}
    for key, shape in expected.items():
        if tuple(params[key].shape) != shape:
            raise ValueError(
                f"params[{key!r}] has shape {tuple(params[key].shape)}, expected {shape} "
                f"(Wh is {tuple(Wh.shape)}, so nh={nh}, nx={nx}; Wy has ny={ny} rows)"
            )
    for key in PARAM_KEYS:
        require_finite(
            f"params[{key!r}] (a training run that diverged leaves non-finite weights)",
            params[key],
        )
    return nx, nh, ny


def check_targets(Y: torch.Tensor, *, rows: int, classes: int, name: str = "Y") -> torch.Tensor:
    """Check that ``Y`` is an N x ny one-hot matrix matching a prediction."""
    as_matrix(name, Y)
    if tuple(Y.shape) != (rows, classes):
        raise ValueError(
            f"{name} has shape {tuple(Y.shape)} but the prediction has shape ({rows}, {classes})"
        )
    require_one_hot(name, Y)
    return Y
