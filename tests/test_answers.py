"""The reader's answer checker, nnintro.answers.

- Its reference answers are the closed forms of nnintro.derivations.backprop
  (so the two cannot drift apart), on the checker's own symbolic network,
  whose forward pass is the derivations' one.
- For every label the book's answer is proved (its rewritings, and every
  verdict of tests/answer_table.py, are in tests/test_answers_table.py);
  the wrong answers of the appendix and typical slips are incorrect, with a
  counterexample whose values differ when recomputed independently (SymPy's
  lambdify and mpmath); a wrong shape is explained in the book's size names.
- Unreadable and malicious formulas are errors, quickly.
- Arrays follow NumPy's rules; the subpackage imports neither torch nor
  numpy; the command line prints the verdict and exits 0, 1 or 2.
"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import time
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp
import torch
from answer_table import RIGHT

from nnintro.answers import SHARED_MODULES, TARGETS, check
from nnintro.answers import arrays as A
from nnintro.answers.__main__ import main
from nnintro.answers.checker import interpret
from nnintro.answers.proof import is_zero
from nnintro.answers.symbolic_network import (
    NB,
    NETWORKS,
    NH,
    NX,
    NY,
    batch_network,
    column_network,
)
from nnintro.derivations import backprop as book
from nnintro.derivations import simplified_loss as book_loss

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "code" / "nnintro" / "answers"


# --- the references are the book's closed forms ---------------------------


def value(key: str, text: str) -> A.Array:
    target = TARGETS[key]
    return interpret(target, text, NETWORKS[target.form]())[0]


def matrix(name: str, form: str = "column") -> sp.Matrix:
    return NETWORKS[form]().values[name].matrix()


def column_closed_forms() -> dict[str, sp.Matrix]:
    """The derivations module's closed forms on the checker's quantities."""
    yhat, y, h, x = (matrix(n) for n in ("yhat", "y", "h", "x"))
    Wy = matrix("Wy")
    delta_y = sp.Matrix(book.grad_ytilde_closed_form(list(yhat), list(y)))
    delta_h = book.grad_htilde_closed_form(Wy, delta_y, h)
    return {
        "q15-grad": delta_y,
        "q16-Wy": book.grad_Wy_closed_form(delta_y, h),
        "q16-by": book.grad_by_closed_form(delta_y),
        "q17-htilde": delta_h,
        "q17-Wh": book.grad_Wh_closed_form(delta_h, x),
        "q17-bh": book.grad_bh_closed_form(delta_h),
    }


def batch_closed_forms() -> dict[str, sp.Matrix]:
    Yhat, Y, H, X, Wy = (
        matrix(n, "batch") for n in ("Yhat", "Y", "H", "X", "Wy")
    )
    Delta_y = book.batch_grad_ytilde_closed_form(Yhat, Y)
    Delta_h = book.batch_grad_htilde_closed_form(Wy, Delta_y, H)
    return {
        "q15-batch": Delta_y,
        "q16-batch": book.batch_grad_Wy_closed_form(Delta_y, H),
        "q16-batch-by": book.batch_grad_by_closed_form(Delta_y),
        "q17-batch": Delta_h,
        "q17-batch-Wh": book.batch_grad_Wh_closed_form(Delta_h, X),
        "q17-batch-bh": book.batch_grad_bh_closed_form(Delta_h),
    }


@pytest.fixture(scope="module")
def closed_forms() -> dict[str, sp.Matrix]:
    return {**column_closed_forms(), **batch_closed_forms()}


GRADIENTS = [key for key in TARGETS if key != "q14-simplified"]  # q14: a loss


def test_every_label_has_a_closed_form_test(closed_forms):
    assert {"q14-simplified", *closed_forms} == set(TARGETS)


@pytest.mark.parametrize("key", GRADIENTS)
def test_reference_is_the_books_closed_form(closed_forms, key):
    target = TARGETS[key]
    ours = value(key, target.reference)
    theirs = closed_forms[key]
    assert len(ours.entries) == len(theirs), (ours.shape, theirs.shape)
    if not target.any_vector:
        assert ours.matrix().shape == theirs.shape
    for a, b in zip(ours.entries, theirs, strict=True):
        assert is_zero(a - b, target.form), f"{key}: {a} != {b}"


def test_q14_reference_is_the_books_simplified_loss():
    net = NETWORKS["loss"]()
    ytilde, y = net.values["ytilde"].entries, net.values["y"].entries
    theirs = book_loss.simplified_cross_entropy_closed_form(ytilde, y)
    ours = value("q14-simplified", TARGETS["q14-simplified"].reference)
    assert sp.simplify(ours.entries[0] - theirs) == 0


def _to_book_symbols(ours: dict, theirs: dict) -> dict:
    """Symbol by symbol (by position), the checker's inputs -> the book's."""
    mapping = {}
    for name, mine in ours.items():
        for a, b in zip(mine.entries, theirs[name], strict=True):
            mapping[a] = b
    return mapping


def test_column_network_is_the_books_forward_pass():
    net, ref = column_network(), book.symbolic_network(NX, NH, NY)
    inputs = {n: net.values[n] for n in ("x", "Wh", "bh", "Wy", "by")}
    sources = {"x": ref.X, "Wh": ref.Wh, "bh": ref.bh, "Wy": ref.Wy}
    sources["by"] = ref.by
    mapping = _to_book_symbols(inputs, sources)
    free_y = net.free["y"]
    mapping.update(zip(free_y, list(ref.Y)[:-1], strict=True))
    for name, theirs in (("h", ref.h), ("yhat", ref.yhat)):
        ours = net.values[name].matrix().xreplace(mapping)
        diff = (ours - theirs.subs(ref.on_simplex)).applyfunc(sp.simplify)
        assert diff.is_zero_matrix, name
    ours_y = net.values["y"].matrix().xreplace(mapping)
    assert (ours_y - ref.Y.subs(ref.on_simplex)).is_zero_matrix


def test_batch_network_is_the_books_forward_pass():
    net, ref = batch_network(), book.symbolic_batch_network(NB, NX, NH, NY)
    inputs = {n: net.values[n] for n in ("X", "Wh", "bh", "Wy", "by")}
    sources = {"X": ref.X, "Wh": ref.Wh, "bh": ref.bh, "Wy": ref.Wy}
    sources["by"] = ref.by
    mapping = _to_book_symbols(inputs, sources)
    rows = [list(ref.Y[r, :])[:-1] for r in range(NB)]
    mapping.update(zip(net.free["Y"], sum(rows, []), strict=True))
    for name, theirs in (("H", ref.h), ("Yhat", ref.yhat)):
        ours = net.values[name].matrix().xreplace(mapping)
        assert (ours - theirs.subs(ref.on_simplex)).is_zero_matrix, name


def test_q16_reference_is_sympys_derivative_of_the_loss():
    """Beyond the closed form: dl/dW_y from the full scalar loss, each
    log(yhat_k) expanded before SymPy differentiates (as the derivations
    do; the proof of the difference is then quick)."""
    net = column_network()
    yhat, y = net.values["yhat"].entries, net.values["y"].entries
    loss = -sum(
        t * sp.expand_log(sp.log(p), force=True)
        for t, p in zip(y, yhat, strict=True)
    )
    Wy = net.values["Wy"]
    ours = value("q16-Wy", TARGETS["q16-Wy"].reference)
    for w, g in zip(Wy.entries, ours.entries, strict=True):
        assert is_zero(sp.diff(loss, w) - g, "column")


# --- verdicts ----------------------------------------------------------------


@pytest.mark.parametrize("key", TARGETS)
def test_the_books_answer_is_proved(key):
    result = check(key, TARGETS[key].reference)
    assert "SymPy reduces yours minus the book's to 0" in result.details[0]


def test_correct_names_each_set_of_sizes_once():
    text = check("q16-Wy", "delta_y @ h.T").details[0]
    assert "at the first sizes (n_x = " in text, text
    assert "at each of the other sets of sizes: (n_x = " in text, text
    assert text.count("sizes") == 3 and "sizes (sizes" not in text, text


# The appendix of wrong answers (book/wrong_answers.md), typed as a
# student would, and typical slips; each must be refuted by values.
WRONG = {
    "q14-simplified": [
        "-sum(y * ytilde)",  # the log-normaliser dropped
        "-sum(y * ytilde) + sum(log(exp(ytilde)))",
        "-sum(y * ytilde) + sum(exp(ytilde))",  # the log forgotten
    ],
    "q15-grad": [
        "y - yhat",  # sign
        "yhat - y**2",  # right for one-hot targets only
        "yhat * (1 - yhat) * (yhat - y)",  # a SoftMax derivative too many
    ],
    "q15-batch": [
        "Yhat - Y",  # the 1/N of the mean loss missing
        "(Y - Yhat) / N",
        "(Yhat - Y) / N**2",
    ],
    "q16-Wy": [
        # appendix: dl/dW_y,ij = h_j sum_k (yhat_k - y_k)
        "(0 * y + sum(yhat - y)) @ h.T",
        "(y - yhat) @ h.T",
        "delta_y @ htilde.T",  # the pre-activation instead of h
    ],
    "q16-by": ["y - yhat", "delta_y * (1 - yhat**2)", "delta_y / 3"],
    "q16-batch": [
        # appendix: sum_n (yhat_n - y_n) h_n^T for the mean loss
        "(Yhat - Y).T @ H",
        "Delta_y.T @ H / N",  # an extra 1/N
        "Delta_y.T @ Htilde",
    ],
    "q16-batch-by": [
        "sum(Yhat - Y, axis=0)",
        "sum(Delta_y, axis=0) / N",
        "-sum(Delta_y, axis=0)",
    ],
    "q17-htilde": [
        "1 - h**2",  # appendix: the upstream gradient dropped
        "(Wy.T @ delta_y) * (1 - h)",  # tanh' as 1 - h
        "Wy.T @ delta_y",  # the tanh factor missing
        "(Wy.T @ delta_y) * (1 - htilde**2)",
        "sum(delta_y) * (1 - h**2)",  # a sum over k
    ],
    "q17-Wh": [
        "(1 - h**2) @ x.T",  # appendix
        "(Wy.T @ delta_y) @ x.T",
        "-delta_h @ x.T",
    ],
    "q17-bh": ["1 - h**2", "Wy.T @ delta_y * (1 - h)"],
    "q17-batch": [
        "(Yhat - Y) @ Wy * (1 - H**2)",  # the 1/N missing
        "(Delta_y @ Wy) * (1 - H)",
        "Delta_y @ Wy",
        "1 - H**2",
    ],
    "q17-batch-Wh": [
        "Delta_h.T @ X / N",
        "((1 - H**2)).T @ X",
        "(Delta_y @ Wy).T @ X",
    ],
    "q17-batch-bh": [
        "sum(Delta_h, axis=0) / N",
        "sum(1 - H**2, axis=0)",
        "sum(Delta_y @ Wy, axis=0)",
    ],
}


def independent_values(key: str, texts, point: dict, wanted) -> list:
    """Entries ``wanted`` of each formula at the point, by SymPy's lambdify
    (one function, common subexpressions shared) and mpmath."""
    formulas = [value(key, text).entries for text in texts]
    exprs = [entries[k] for entries in formulas for k in wanted]
    symbols = sorted(point, key=str)
    args = [sp.Rational(point[s]) for s in symbols]
    with mpmath.workdps(30):
        f = sp.lambdify(symbols, exprs, modules="mpmath", cse=True)
        values = f(*[mpmath.mpf(a.p) / a.q for a in args])
        values = [mpmath.mpf(v) for v in values]
    n = len(wanted)
    return [
        dict(zip(wanted, values[i * n : (i + 1) * n], strict=True))
        for i in range(len(texts))
    ]


@pytest.mark.parametrize(
    "key,text", [(k, t) for k, texts in WRONG.items() for t in texts]
)
def test_incorrect_with_a_counterexample(key, text):
    result = check(key, text)
    assert result.verdict == "incorrect", result.text()
    bad = result.values["bad"]
    assert bad, result.text()
    theirs, right = independent_values(
        key, (text, TARGETS[key].reference), result.values["point"], bad
    )
    for k in bad:
        scale = max(1, abs(right[k]), abs(theirs[k]))
        assert abs(theirs[k] - right[k]) > 1e-6 * scale, (k, result.text())
    # the values printed are those values (6 digits; below 1e-20 is 0)
    words = result.details[1].replace(",", "").split()
    printed = [
        float(words[i + 1])
        for i, w in enumerate(words)
        if w in ("yours", "answer")
    ]
    for shown, exact in zip(printed, (theirs[bad[0]], right[bad[0]])):
        assert abs(shown - float(exact)) <= 1e-5 * abs(float(exact)) + 1e-20
    names = [t.name for t in result.tables]
    assert names[-2:] == ["yours", "right answer"]


def test_every_label_has_wrong_answers():
    assert set(WRONG) == set(TARGETS)


@pytest.mark.parametrize(
    "key,text,hint",
    [
        ("q16-batch", "(Yhat - Y).T @ H", "the 1/N of the mean loss is"),
        ("q16-batch", "Delta_y.T @ H / N", "an extra 1/N"),
        ("q15-grad", "y - yhat", "a sign slip"),
        ("q16-Wy", "(0 * y + sum(yhat - y)) @ h.T", "Yours is zero here."),
    ],
)
def test_hints(key, text, hint):
    assert any(hint in line for line in check(key, text).details)


def test_agreement_for_one_hot_targets_only_is_explained():
    result = check("q15-grad", "yhat - y**2")
    assert result.verdict == "incorrect"
    assert any("not one-hot but sum to 1" in d for d in result.details)


@pytest.mark.parametrize(
    "key,text,expected",
    [
        ("q16-Wy", "h @ (yhat - y).T", "is n_h x n_y; ∂ℓ/∂W_y is n_y x n_h"),
        (
            "q17-batch-Wh",
            "X.T @ Delta_h",
            "is n_x x n_h; ∂L/∂W_h is n_h x n_x",
        ),
        ("q16-Wy", "sum(yhat - y) * h.T", "is 1 x n_h; ∂ℓ/∂W_y is n_y x n_h"),
        ("q16-by", "delta_y.T", "is 1 x n_y; ∂ℓ/∂b_y is n_y x 1"),
        (
            "q16-batch-by",
            "sum(Delta_y, axis=0, keepdims=True)",
            "is 1 x n_y; ∂L/∂b_y is a vector of n_y entries",
        ),
        ("q14-simplified", "-y * ytilde", "is n_y x 1; ℓ (the loss) is a"),
        ("q16-Wy", "delta_y @ h", "n_y x 1 @ n_h x 1: the inner sizes differ"),
        ("q17-batch", "Delta_y @ Wy.T", "N x n_y @ n_h x n_y"),
    ],
)
def test_shape_explanations(key, text, expected):
    result = check(key, text)
    assert result.verdict == "incorrect"
    assert expected in result.summary, result.summary


MALFORMED = [
    "",
    "   ",
    "delta_y @",
    "delta_y @@ h",
    "dW = delta_y @ h.T",
    "W_y @ h",  # unknown name (did you mean Wy?)
    "X @ h",  # a batch name in a column answer
    "np.mean(h)",
    "h.sum()",
    "h[0]",
    "softmax(ytilde)",
    "'abc'",
    "h ** 0.5",
    "h ** 9",
    "h/0",
    "delta_y @ h.T if True else 0",
    "sum(h, axis=3)",
    "ones(3)",
]
MALICIOUS = [
    "__import__('os')",
    "__import__('os').system('echo hi')",
    "h.__class__",
    "h.__class__.__mro__",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: 1",
    "[h for h in x]",
    "{k: 1 for k in x}",
    "(h := 1)",
    "9**9**9",
    "((((((2*h)**8)**8)**8)**8)**8)",
    "(((1000000**8)**8)**8)",
    "exec('1')",
    "eval('h')",
    "open('/etc/passwd')",
    "delta_y @ h.T; import os",
    "delta_y @ h.T\x00",
    "h" + " + h" * 400,
    "(" * 150 + "h" + ")" * 150,
    "f'{h}'",
]


@pytest.mark.parametrize("text", MALFORMED + MALICIOUS)
def test_error(text):
    start = time.perf_counter()
    result = check("q16-Wy", text)
    assert time.perf_counter() - start < 5
    assert result.verdict == "error", result.text()
    assert result.summary and not result.details


@pytest.mark.parametrize(
    "text,words",
    [
        ("W_y @ h", "did you mean `Wy`?"),
        ("X @ h", "`X` is a batch name"),
        ("outer(delta_y, h)", "write the outer product u v^T as u @ v.T"),
        ("h[0]", "index with the letters i (row), j (column)"),
        ("9**9**9", "the exponent must be a whole number"),
        ("h" + " + h" * 400, "at most 300 are accepted"),
        ("dW = delta_y @ h.T", "without `=`"),
        ("delta_y @@ h.T", "at character 10 (`@`), after `delta_y @`:"),
        ("(delta_y @ h.T", "at character 1 (`(`): '(' was never closed"),
        ("delta_y @ ", "syntax error at the end, after `delta_y @`:"),
    ],
)
def test_error_messages(text, words):
    assert words in check("q16-Wy", text).summary


def test_the_answer_itself_is_refused():
    assert check("q15-grad", "delta_y").verdict == "error"
    assert check("q17-htilde", "delta_h").verdict == "error"
    assert check("q17-batch", "Delta_h").verdict == "error"
    assert "Q14 asks" in check("q14-simplified", "yhat").summary


def test_unknown_label():
    result = check("q99", "h")
    assert result.verdict == "error" and "q16-Wy" in result.summary


def test_numbers_like_the_batch_size_do_not_pass_for_n():
    """N is not equal to any other size, nor to small numbers typed."""
    assert len({NX, NH, NY, NB, 1}) == 5
    assert check("q15-batch", "(Yhat - Y) / 2").verdict == "incorrect"


# --- NumPy's rules ------------------------------------------------------


def to_array(a: np.ndarray) -> A.Array:
    return A.Array(a.shape, tuple(sp.Integer(int(v)) for v in a.ravel()))


def same(ours: A.Array, theirs: np.ndarray) -> bool:
    theirs = np.asarray(theirs)
    return ours.shape == theirs.shape and [int(e) for e in ours.entries] == [
        int(v) for v in theirs.ravel()
    ]


SHAPES = [(), (3,), (1,), (3, 1), (1, 3), (2, 3), (3, 2), (3, 3), (2, 1)]


@pytest.mark.parametrize("left", SHAPES)
@pytest.mark.parametrize("right", SHAPES)
def test_broadcast_and_matmul_follow_numpy(left, right):
    rng = np.random.default_rng(0)
    a = rng.integers(-3, 4, size=left)
    b = rng.integers(-3, 4, size=right)
    try:
        expected = a * b
    except ValueError:
        with pytest.raises(A.ShapeError):
            A.entrywise(lambda x, y: x * y, to_array(a), to_array(b))
    else:
        ours = A.entrywise(lambda x, y: x * y, to_array(a), to_array(b))
        assert same(ours, expected)
    try:
        expected = a @ b
    except ValueError:
        with pytest.raises(A.ShapeError):
            A.matmul(to_array(a), to_array(b))
    else:
        assert same(A.matmul(to_array(a), to_array(b)), expected)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_sum_and_transpose_follow_numpy(shape, axis, keepdims):
    a = np.arange(int(np.prod(shape))).reshape(shape) - 2
    ours = to_array(a)
    assert same(A.transpose(ours), a.T)
    try:
        expected = np.sum(a, axis=axis, keepdims=keepdims)
    except (ValueError, np.exceptions.AxisError):
        with pytest.raises(A.ShapeError):
            A.total(ours, axis, keepdims)
    else:
        assert same(A.total(ours, axis, keepdims), expected)


@pytest.mark.parametrize("shape", [(2, 3), (3, 1), (1, 3)])
@pytest.mark.parametrize("dim", [-2, -1, 0, 1])
def test_torch_methods_follow_torch(shape, dim):
    """.mT, .tanh(), .softmax(dim) and .reshape(-1, 1), which the forward
    pass uses, give torch's values (at rational points, in float64)."""
    a = np.arange(int(np.prod(shape))).reshape(shape) - 2
    t = torch.tensor(a, dtype=torch.float64)
    ours = to_array(a)
    assert same(ours.mT, a.T)
    assert same(ours.reshape(-1, 1), a.reshape(-1, 1))
    for mine, theirs in (
        (ours.tanh(), t.tanh()),
        (ours.softmax(dim), t.softmax(dim)),
    ):
        values = [float(e) for e in mine.entries]
        assert mine.shape == tuple(theirs.shape)
        assert np.allclose(values, theirs.flatten().numpy(), rtol=1e-15)
    with pytest.raises(A.ShapeError):
        _ = A.vector(ours.entries).mT
    with pytest.raises(A.ShapeError):
        ours.reshape(1, -1)


# --- torch-free, and the command line -----------------------------------

ALLOWED_IMPORTS = {"sympy", "mpmath", "nnintro", "__future__"}


def test_imports_only_sympy_mpmath_and_the_standard_library():
    shared = [
        ROOT / "code" / (name.replace(".", "/") + ".py")
        for name in SHARED_MODULES
    ]
    for path in [*sorted(PACKAGE.glob("*.py")), *shared]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert (
                    top in ALLOWED_IMPORTS or top in sys.stdlib_module_names
                ), f"{path.name} imports {name}"
                if top == "nnintro":
                    assert path not in shared, f"{path.name} imports {name}"
                    assert (
                        name.startswith("nnintro.answers")
                        or name in SHARED_MODULES
                    ), name


def test_python_m_runs_the_command_line():
    """The entry point itself, once, in a fresh interpreter: its exit
    status is the verdict's."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "nnintro.answers",
            "q16-Wy",
            "h @ (yhat - y).T",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert out.stdout.startswith("incorrect:"), out.stdout


@pytest.fixture
def cli(capsys, monkeypatch):
    """The command line's main in this process: (exit status, output)."""

    def run(*args, stdin=None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            status = main(list(args))
        except SystemExit as exit_:  # --help
            status = exit_.code
        return status, capsys.readouterr().out

    return run


@pytest.mark.parametrize(
    "args,status,first",
    [
        (["q16-Wy", "delta_y @ h.T"], 0, "correct:"),
        (["q16-Wy", "h @ (yhat - y).T"], 1, "incorrect:"),
        (["q16-Wy", "__import__('os')"], 2, "error:"),
        (["q99", "h"], 2, "error:"),
    ],
)
def test_command_line(cli, args, status, first):
    code, out = cli(*args)
    assert code == status, out
    assert out.startswith(first), out


def test_command_line_formula_starting_with_a_minus(cli):
    code, out = cli(
        "q14-simplified", "-sum(y * ytilde) + log(sum(exp(ytilde)))"
    )
    assert code == 0, out
    assert out.startswith("correct:")


@pytest.mark.parametrize("args", [["q16-Wy", "-"], ["q16-Wy"]])
def test_command_line_reads_standard_input(cli, args):
    code, out = cli(*args, stdin="delta_y @ h.T\n")
    assert code == 0, out
    assert out.startswith("correct:")


def test_command_line_help_lists_names_operators_functions(cli):
    from nnintro.answers.expression import FUNCTIONS

    code, out = cli("--help")
    assert code == 0
    for words in ("labels", "operators:", "functions:", "@", ".T", "**"):
        assert words in out, words
    for key, target in TARGETS.items():
        assert key in out and ", ".join(target.names) in out
    for name in FUNCTIONS:
        assert f"  {name} " in out, name


def test_command_line_prints_the_counterexample(cli):
    code, out = cli("q17-htilde", "1 - h**2")
    assert code == 1
    for words in (
        "Sizes: n_x = 2, n_h = 4, n_y = 3",
        "Wy =",
        "yours =",
        "right answer =",
    ):
        assert words in out, out


# --- what the browser gets -----------------------------------------------


def _script(name: str):
    import importlib.util

    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_browser_wheels_are_the_pinned_versions():
    fetch_wheels = _script("fetch_wheels")
    for name, (version, _) in fetch_wheels.WHEELS.items():
        assert fetch_wheels.pinned_version(name) == version
        assert __import__(name).__version__ == version


def test_runs_as_in_the_browser(tmp_path):
    """A stub parent package, torch and numpy absent, and the parts of SymPy
    that the bytecode bundle drops absent too: the checker needs none of
    them, for any verdict, and imports no part of torch."""
    excluded = _script("fetch_wheels").EXCLUDED
    cases = [(k, t.reference, "correct") for k, t in TARGETS.items()]
    cases += [(k, fs[1], "correct") for k, fs in RIGHT.items()]
    cases += [(k, ts[0], "incorrect") for k, ts in WRONG.items()]
    cases += [("q16-Wy", t, "error") for t in MALFORMED[:6]]
    (tmp_path / "nnintro").mkdir()
    (tmp_path / "nnintro" / "__init__.py").write_text('"""stub"""\n')
    (tmp_path / "nnintro" / "answers").symlink_to(PACKAGE)
    for name in SHARED_MODULES:
        module = name.removeprefix("nnintro.") + ".py"
        (tmp_path / "nnintro" / module).symlink_to(PACKAGE.parent / module)
    code = (
        "import sys\n"
        f"for name in {excluded!r}:\n"
        "    sys.modules['sympy.' + name] = None\n"
        "sys.modules['torch'] = None\n"
        "sys.modules['numpy'] = None\n"
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "from nnintro.answers import check\n"
        "from nnintro.answers.checker import prepare\n"
        "prepare()\n"
        f"for key, text in {[c[:2] for c in cases]!r}:\n"
        "    print(check(key, text).verdict)\n"
        "assert 'torch' not in [m.split('.')[0] for m in sys.modules"
        " if sys.modules[m] is not None]\n"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == [c[2] for c in cases]
