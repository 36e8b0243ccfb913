"""The input checks: each message, the one-test fast paths, the decorator."""

import math
import warnings

import pytest
import torch

from nnintro import init_params
from nnintro.network_checks import check_backward_inputs, check_step, checked
from nnintro.validation import (
    PARAM_KEYS,
    all_finite,
    array_of,
    as_matrix,
    check_learning_rate,
    check_param_shapes,
    check_params,
    check_targets,
    name_non_finite,
    probability_tolerance,
    require_all_finite,
    require_finite,
    require_matrix,
    require_one_hot,
    require_probabilities,
)

F64 = torch.float64


def tensor(rows):
    return torch.tensor(rows, dtype=F64)


# --- the one test and the scan --------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_all_finite_sees_any_nan_or_inf(bad):
    a, b = torch.zeros(3, 2, dtype=F64), torch.ones(4, dtype=F64)
    assert all_finite(a, b)
    b[2] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the test itself warns of nothing
        assert not all_finite(a, b, torch.tensor([-bad], dtype=F64))


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, F64])
def test_the_values_are_read_whatever_the_dtype_and_the_gradient(dtype):
    leaf = torch.ones(2, 3, dtype=dtype, requires_grad=True)
    values = array_of(leaf)
    assert values.shape == (2, 3) and values.sum() == 6
    assert all_finite(leaf, torch.zeros(4, dtype=dtype))
    with torch.no_grad():
        leaf[1, 2] = math.nan
    assert not all_finite(leaf, torch.zeros(4, dtype=dtype))
    with pytest.raises(ValueError, match=r"contains 1 non-finite.*\(1, 2\)"):
        require_finite("W", leaf)


def test_inf_and_minus_inf_in_different_tensors_do_not_cancel():
    assert not all_finite(tensor([math.inf]), tensor([-math.inf]))


def test_an_overflowing_sum_of_finite_values_scans_and_passes():
    big = tensor([1e308, 1e308])
    assert not all_finite(big)  # the sum overflowed ...
    name_non_finite({"big": big})  # ... and the scan finds nothing


def test_require_finite_counts_and_locates():
    X = torch.zeros(3, 4, dtype=F64)
    X[1, 2] = X[2, 0] = math.nan
    with pytest.raises(ValueError, match=r"X contains 2 .* at index \(1, 2\)"):
        require_finite("X", X)


def test_name_non_finite_blames_the_input_before_the_result():
    params = init_params(2, 3, 2)
    params["bh"][1] = math.inf
    result = tensor([math.nan])
    with pytest.raises(ValueError, match=r"params\['bh'\] \(a training run"):
        name_non_finite(
            {"X": torch.zeros(1, 2), "params": params}, {"r": result}
        )


def test_name_non_finite_calls_a_bad_result_from_good_inputs_an_overflow():
    with pytest.raises(ValueError, match=r"grads\['Wh'\] \(an overflow"):
        name_non_finite(
            {"X": torch.zeros(1)}, {"grads": {"Wh": tensor([math.inf])}}
        )


def test_require_all_finite_reads_every_tensor_of_every_dict():
    good, bad = torch.ones(2, dtype=F64), tensor([math.nan, 1.0])
    require_all_finite({"good": good, "grads": {"a": good}})
    with pytest.raises(ValueError, match=r"grads\['b'\] contains 1"):
        require_all_finite({"good": good, "grads": {"a": good, "b": bad}})


# --- the decorator ----------------------------------------------------------


def test_checked_runs_the_checks_around_the_function_unless_told_not_to():
    calls = []

    def inputs(x, *, scale):
        calls.append(("inputs", x, scale))

    def results(result, x, *, scale):
        calls.append(("results", result))

    @checked(inputs, results)
    def double(x, *, scale):
        """Twice x, scaled."""
        return 2 * x * scale

    assert double(3, scale=1) == 6
    assert calls == [("inputs", 3, 1), ("results", 6)]
    assert double(4, scale=1, check=False) == 8 and len(calls) == 2
    assert double.__doc__ == "Twice x, scaled." and double.__wrapped__


# --- matrices, targets, probabilities -------------------------------------


@pytest.mark.parametrize(
    "value, error, message",
    [
        ([[1.0, 2.0]], TypeError, "must be a torch.Tensor, got list"),
        (torch.zeros(3, dtype=F64), ValueError, r"must be 2-D .* \(3,\)"),
        (torch.zeros(2, 2, dtype=torch.int64), TypeError, "floating"),
        (torch.zeros(0, 2, dtype=F64), ValueError, "empty batch"),
        (torch.zeros(2, 3, dtype=F64), ValueError, "3 columns but 2"),
    ],
)
def test_require_matrix_messages(value, error, message):
    with pytest.raises(error, match=message):
        require_matrix("X", value, columns=2)


def test_as_matrix_also_checks_the_values():
    assert as_matrix("X", torch.ones(2, 2, dtype=F64)).shape == (2, 2)
    with pytest.raises(ValueError, match="X contains 1 non-finite"):
        as_matrix("X", tensor([[1.0, math.inf]]))


@pytest.mark.parametrize(
    "Y, row",
    [
        ([[1.0, 0.0], [0.0, 0.0]], 1),  # no 1
        ([[1.0, 1.0]], 0),  # two
        ([[0.5, 0.5]], 0),  # smoothed
        ([[2.0, -1.0]], 0),  # sums to 1, not binary
        ([[1.0, 0.0], [math.nan, 0.0]], 1),
        ([[0.0, math.inf]], 0),
    ],
)
def test_require_one_hot_names_the_first_bad_row(Y, row):
    with pytest.raises(ValueError, match=f"one-hot.*the first is row {row}"):
        require_one_hot("Y", tensor(Y))


def test_one_hot_rows_of_any_width_pass():
    Y = torch.eye(5, dtype=F64)[torch.tensor([4, 0, 2, 2])]
    require_one_hot("Y", Y)
    require_one_hot("Y", torch.ones(3, 1, dtype=F64))  # one class


def test_check_targets_compares_with_the_prediction():
    with pytest.raises(ValueError, match=r"Y has shape \(2, 3\) but the"):
        check_targets(torch.eye(3, dtype=F64)[:2], rows=2, classes=2)


def test_the_probability_tolerance_follows_the_dtype():
    assert probability_tolerance(F64) == pytest.approx(1.49e-8, rel=1e-2)
    assert probability_tolerance(torch.float32) == pytest.approx(
        3.45e-4, rel=1e-2
    )
    require_probabilities("Yhat", torch.tensor([[0.5, 0.5 + 1e-4]]))  # float32
    with pytest.raises(ValueError, match="sum to 1"):
        require_probabilities("Yhat", tensor([[0.5, 0.5 + 1e-4]]))


# --- parameters, learning rate, what backward and sgd receive -------------


def test_param_shape_messages():
    params = init_params(2, 3, 2)
    with pytest.raises(TypeError, match="params must be a dict"):
        check_param_shapes(list(params.values()))
    with pytest.raises(KeyError, match=r"unknown: \['extra'\], missing: none"):
        check_param_shapes({**params, "extra": params["Wh"]})
    with pytest.raises(TypeError, match=r"params\['bh'\] must be a torch"):
        check_param_shapes({**params, "bh": [0.0, 0.0, 0.0]})
    with pytest.raises(
        ValueError, match=r"got shapes Wh \(3, 2\), bh \(3, 1\)"
    ):
        check_param_shapes({**params, "bh": params["bh"][:, None]})
    with pytest.raises(ValueError, match=r"params\['Wy'\] has shape \(2, 4\)"):
        check_param_shapes({**params, "Wy": torch.zeros(2, 4, dtype=F64)})
    with pytest.raises(TypeError, match="by torch.float32"):
        check_param_shapes({**params, "by": params["by"].float()})
    assert check_param_shapes(params) == (2, 3, 2)


def test_check_params_reads_the_values():
    params = init_params(2, 3, 2)
    params["by"][0] = math.nan
    with pytest.raises(ValueError, match=r"params\['by'\] \(a training run"):
        check_params(params)


@pytest.mark.parametrize("eta", [0.1, 1, 3e-5])
def test_good_learning_rates(eta):
    check_learning_rate(eta)


@pytest.mark.parametrize(
    "eta, error",
    [
        (False, TypeError),
        ("0.1", TypeError),
        (None, TypeError),
        (1j, TypeError),
        (math.nan, ValueError),
        (math.inf, ValueError),
        (0.0, ValueError),
        (-1e-3, ValueError),
    ],
)
def test_bad_learning_rates(eta, error):
    with pytest.raises(error, match=f"learning rate eta must be .*{eta!r}"):
        check_learning_rate(eta)


def test_check_backward_inputs_messages():
    params = init_params(2, 3, 2)
    X = torch.zeros(4, 2, dtype=F64)
    outputs = {"X": X, "h": torch.zeros(4, 3, dtype=F64)}
    Y = torch.eye(2, dtype=F64)[[0, 1, 0, 1]]
    with pytest.raises(KeyError, match=r"outputs lacks \['yhat'\]"):
        check_backward_inputs(params, outputs, Y)
    outputs["yhat"] = torch.full((4, 3), 1 / 3, dtype=F64)
    with pytest.raises(
        ValueError, match=r"outputs\['yhat'\] has shape \(4, 3\)"
    ):
        check_backward_inputs(params, outputs, Y)


def test_check_step_messages():
    params = init_params(2, 3, 2)
    grads = {k: torch.zeros_like(v) for k, v in params.items()}
    with pytest.raises(TypeError, match="grads must be a dict"):
        check_step(params, list(grads.values()), 0.1)
    with pytest.raises(KeyError, match="grads must have the keys"):
        check_step(params, {k: grads[k] for k in PARAM_KEYS[:3]}, 0.1)
    with pytest.raises(TypeError, match=r"grads\['Wh'\] must be a torch"):
        check_step(params, {**grads, "Wh": 0.0}, 0.1)
    with pytest.raises(ValueError, match=r"grads\['by'\] has shape \(3,\)"):
        check_step(params, {**grads, "by": torch.zeros(3, dtype=F64)}, 0.1)
    check_step(params, grads, 0.1)
