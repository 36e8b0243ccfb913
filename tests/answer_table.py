"""The table of formulas the checker is judged on (tests/test_answers_table.py
asserts every row; benchmarks/answers.py times every row).

Each row: (label, formula, verdict, what), with ``what`` the id of the
catalogued mistake a wrong formula makes (its message must be shown), or
words the summary must contain, or None.
"""

from __future__ import annotations

from nnintro.answers.catalogue import CATALOGUE

C, W, E = "correct", "incorrect", "error"

# Right answers, in many forms (whole arrays, NumPy spellings, entries).
RIGHT = {
    "q14-simplified": [
        "-sum(y * ytilde) + log(sum(exp(ytilde)))",
        "log(sum(exp(ytilde))) - y.T @ ytilde",
        "-sum(y * log(exp(ytilde) / sum(exp(ytilde))))",
        "sum(y * (log(sum(exp(ytilde))) - ytilde))",
        "np.log(np.sum(np.exp(ytilde))) - np.sum(y * ytilde)",
        "-np.dot(y.T, ytilde) + log(sum(exp(ytilde)))",
        "-sum(y * ytilde) + sum(y) * log(sum(exp(ytilde)))",
    ],
    "q15-grad": [
        "yhat - y",
        "exp(ytilde) / sum(exp(ytilde)) - y",
        "yhat * sum(y) - y",
        "-(y - yhat)",
        "np.exp(ytilde) / np.sum(np.exp(ytilde)) - y",
        "(yhat - y) * 1.0",
    ],
    "q15-batch": [
        "(Yhat - Y) / N",
        "Yhat / N - Y / N",
        "(1 / N) * (Yhat - Y)",
        "(exp(H @ Wy.T + by) / sum(exp(H @ Wy.T + by), axis=1, "
        "keepdims=True) - Y) / N",
        "(Yhat - Y) / sum(ones(N))",
        "(Yhat - Y) / sum(Y)",
        "(Yhat - Y) * N**-1",
    ],
    "q16-Wy": [
        "delta_y @ h.T",
        "(yhat - y) @ h.T",
        "(h @ delta_y.T).T",
        "delta_y * h.T",
        "np.dot(delta_y, h.T)",
        "np.outer(delta_y, h)",
        "numpy.matmul(delta_y, h.T)",
        "delta_y.dot(h.T)",
        "transpose(h @ delta_y.T)",
        "(h @ delta_y.T).transpose()",
        "(yhat - y) @ tanh(Wh @ x + bh).T",
        "delta_y[i] * h[j]",
        "(yhat[i] - y[i]) * h[j]",
        "(yhat - y) @ h.T * sum(yhat)",
    ],
    "q16-by": [
        "delta_y",
        "yhat - y",
        "delta_y * 1",
        "exp(ytilde) / sum(exp(ytilde)) - y",
        "delta_y[i]",
        "yhat[i] - y[i]",
    ],
    "q16-batch": [
        "Delta_y.T @ H",
        "(Yhat - Y).T @ H / N",
        "(H.T @ Delta_y).T",
        "Delta_y.T @ tanh(X @ Wh.T + bh)",
        "np.dot(Delta_y.T, H)",
        "transpose(Delta_y) @ H",
        "Delta_y.T @ H * sum(Yhat) / N",
    ],
    "q16-batch-by": [
        "Delta_y.T @ ones(N)",
        "sum(Delta_y, axis=0)",
        "sum(Delta_y, 0)",
        "np.sum(Delta_y, axis=0)",
        "Delta_y.T @ ones((N, 1))",
        "sum(Yhat - Y, axis=0) / N",
        "ones(N) @ Delta_y",
    ],
    "q17-htilde": [
        "(Wy.T @ delta_y) * (1 - h**2)",
        "Wy.T @ delta_y * (1 - tanh(htilde)**2)",
        "(Wy.T @ (yhat - y)) * (1 - h*h)",
        "((delta_y.T @ Wy) * (1 - h**2).T).T",
        "np.dot(Wy.T, delta_y) * (1 - np.tanh(htilde)**2)",
        "sum_k(Wy[k, i] * delta_y[k]) * (1 - h[i]**2)",
        "(Wy.T @ delta_y)[i] * (1 - h[i]**2)",
    ],
    "q17-Wh": [
        "delta_h @ x.T",
        "((Wy.T @ (yhat - y)) * (1 - h**2)) @ x.T",
        "(x @ delta_h.T).T",
        "delta_h * x.T",
        "np.outer(delta_h, x)",
        "delta_h[i] * x[j]",
        "sum_k(Wy[k, i] * delta_y[k]) * (1 - h[i]**2) * x[j]",
    ],
    "q17-bh": [
        "delta_h",
        "(Wy.T @ delta_y) * (1 - h**2)",
        "Wy.T @ (yhat - y) - Wy.T @ (yhat - y) * h**2",
        "delta_h[i]",
        "sum_l(Wy[l, i] * delta_y[l]) * (1 - h[i]**2)",
    ],
    "q17-batch": [
        "(Delta_y @ Wy) * (1 - H**2)",
        "(Yhat - Y) @ Wy * (1 - H**2) / N",
        "Delta_y @ Wy * (1 - tanh(Htilde)**2)",
        "(Wy.T @ Delta_y.T).T * (1 - H * H)",
        "np.dot(Delta_y, Wy) * (1 - np.tanh(Htilde)**2)",
    ],
    "q17-batch-Wh": [
        "Delta_h.T @ X",
        "((Delta_y @ Wy) * (1 - H**2)).T @ X",
        "(X.T @ Delta_h).T",
        "np.dot(Delta_h.T, X)",
    ],
    "q17-batch-bh": [
        "Delta_h.T @ ones(N)",
        "sum((Delta_y @ Wy) * (1 - H**2), axis=0)",
        "Delta_h.T @ ones((N, 1))",
        "sum(Delta_h.T, axis=1, keepdims=True)",
        "sum(Delta_h, 0)",
    ],
}

# Wrong answers a student types, with the mistake they make (None: a
# counterexample only).
WRONG = [
    ("q14-simplified", "-sum(y * ytilde)", None),
    ("q14-simplified", "-sum(y * ytilde) + sum(exp(ytilde))", None),
    ("q14-simplified", "-sum(y * ytilde) + sum(log(exp(ytilde)))", None),
    (
        "q14-simplified",
        "-y * ytilde + log(sum(exp(ytilde)))",
        "loss-not-summed",
    ),
    ("q15-grad", "y - yhat", "sign"),
    ("q15-grad", "yhat - y**2", None),
    ("q15-grad", "yhat * y - y", "softmax-entrywise"),
    ("q15-grad", "yhat * (1 - yhat) * (yhat - y)", None),
    ("q15-batch", "Yhat - Y", "missing-1/N"),
    ("q15-batch", "(Y - Yhat) / N", "sign"),
    ("q15-batch", "(Yhat - Y) / N**2", "extra-1/N"),
    ("q15-batch", "(Yhat - Y) / 5", "size-as-number"),
    ("q15-batch", "(Yhat - Y) / 2", None),
    ("q15-batch", "(Yhat * Y - Y) / N", "softmax-entrywise"),
    ("q16-Wy", "(y - yhat) @ h.T", "sign"),
    ("q16-Wy", "(0 * y + sum(yhat - y)) @ h.T", "sum-over-k"),
    ("q16-Wy", "h[j] * sum_k(yhat[k] - y[k])", "sum-over-k"),
    ("q16-Wy", "delta_y @ htilde.T", "pre-activation"),
    ("q16-Wy", "h @ delta_y.T", "transposed"),
    ("q16-Wy", "delta_y[j] * h[i]", None),
    ("q16-Wy", "delta_y @ h.T + 1e-16", None),
    ("q16-Wy", "delta_y @ h.T * (1 + 1e-31)", None),
    ("q16-Wy", "(yhat * y - y) @ h.T", "softmax-entrywise"),
    ("q16-by", "y - yhat", "sign"),
    ("q16-by", "delta_y * (1 - yhat**2)", None),
    ("q16-by", "delta_y / 3", None),
    ("q16-by", "delta_y.T", "transposed"),
    ("q16-by", "0 * y + sum(delta_y)", "sum-over-k"),
    ("q16-batch", "(Yhat - Y).T @ H", "missing-1/N"),
    ("q16-batch", "Delta_y.T @ H / N", "extra-1/N"),
    ("q16-batch", "Delta_y.T @ Htilde", "pre-activation"),
    ("q16-batch", "Delta_y @ H.T", "column-convention"),
    ("q16-batch", "H.T @ Delta_y", "transposed"),
    ("q16-batch", "(Yhat - Y).T @ H / 5", "size-as-number"),
    ("q16-batch-by", "sum(Yhat - Y, axis=0)", "missing-1/N"),
    ("q16-batch-by", "sum(Delta_y, axis=0) / N", "extra-1/N"),
    ("q16-batch-by", "-sum(Delta_y, axis=0)", "sign"),
    ("q16-batch-by", "Delta_y", "bias-not-summed"),
    ("q16-batch-by", "sum(Delta_y, axis=1)", "wrong-axis"),
    ("q17-htilde", "1 - h**2", "no-upstream"),
    ("q17-htilde", "Wy.T @ delta_y", "no-tanh-derivative"),
    ("q17-htilde", "(Wy.T @ delta_y) * (1 - h)", "tanh-derivative-1-h"),
    ("q17-htilde", "(Wy.T @ delta_y) * (1 - htilde**2)", "pre-activation"),
    ("q17-htilde", "(Wy @ delta_y) * (1 - h**2)", "Wy-transpose"),
    (
        "q17-htilde",
        "sum_k(Wy[i, k] * delta_y[k]) * (1 - h[i]**2)",
        "Wy-transpose",
    ),
    ("q17-htilde", "sum(delta_y) * (1 - h**2)", None),
    ("q17-htilde", "sum_k(Wy[k, i] * delta_y[k])", "no-tanh-derivative"),
    ("q17-Wh", "(1 - h**2) @ x.T", "no-upstream"),
    ("q17-Wh", "(Wy.T @ delta_y) @ x.T", "no-tanh-derivative"),
    ("q17-Wh", "-delta_h @ x.T", "sign"),
    ("q17-Wh", "x @ delta_h.T", "transposed"),
    ("q17-Wh", "((Wy @ delta_y) * (1 - h**2)) @ x.T", "Wy-transpose"),
    ("q17-bh", "1 - h**2", "no-upstream"),
    ("q17-bh", "Wy.T @ delta_y * (1 - h)", "tanh-derivative-1-h"),
    ("q17-batch", "(Yhat - Y) @ Wy * (1 - H**2)", "missing-1/N"),
    ("q17-batch", "(Delta_y @ Wy) * (1 - H)", "tanh-derivative-1-h"),
    ("q17-batch", "Delta_y @ Wy", "no-tanh-derivative"),
    ("q17-batch", "1 - H**2", "no-upstream"),
    ("q17-batch", "(Delta_y @ Wy.T) * (1 - H**2)", "Wy-transpose"),
    ("q17-batch", "(Wy.T @ Delta_y) * (1 - H**2)", "column-convention"),
    ("q17-batch", "(Delta_y @ Wy) * (1 - Htilde**2)", "pre-activation"),
    ("q17-batch-Wh", "Delta_h.T @ X / N", "extra-1/N"),
    ("q17-batch-Wh", "(1 - H**2).T @ X", "no-upstream"),
    ("q17-batch-Wh", "(Delta_y @ Wy).T @ X", "no-tanh-derivative"),
    ("q17-batch-Wh", "X.T @ Delta_h", "transposed"),
    ("q17-batch-Wh", "Delta_h @ X.T", "column-convention"),
    ("q17-batch-bh", "sum(Delta_h, axis=0) / N", "extra-1/N"),
    ("q17-batch-bh", "sum(1 - H**2, axis=0)", "no-upstream"),
    ("q17-batch-bh", "sum(Delta_y @ Wy, axis=0)", "no-tanh-derivative"),
    ("q17-batch-bh", "Delta_h", "bias-not-summed"),
    ("q17-batch-bh", "sum(Delta_h, axis=1)", "wrong-axis"),
]

# Unreadable or hostile input, with words of the message.
HOSTILE = [
    ("q16-Wy", "", "empty"),
    ("q16-Wy", "delta_y @", "syntax error"),
    ("q16-Wy", "dW = delta_y @ h.T", "without `=`"),
    ("q16-Wy", "W_y @ h", "did you mean `Wy`?"),
    ("q16-Wy", "X @ h", "is a batch name"),
    ("q16-Wy", "\\delta_y h^T", "looks like LaTeX"),
    ("q16-Wy", "\\frac{1}{2} h", "looks like LaTeX"),
    ("q16-Wy", "delta_y @ h^T", "write the transpose as"),
    ("q17-htilde", "(Wy.T @ delta_y) * (1 - h^2)", "write 1 - h**2"),
    ("q16-Wy", "delta_y h.T", "an operator is missing between"),
    ("q16-Wy", "delta_y (h.T)", "an operator is missing after"),
    ("q16-Wy", "2(h)", "an operator is missing before"),
    ("q16-Wy", "delta_y @ \u04bb.T", "looks like `h` but is not"),
    ("q16-Wy", "\u0394_y @ h.T", "paper notation"),
    ("q16-Wy", "delta_y @ h\u1d40", "type .T"),
    ("q16-Wy", "delta_y \u00d7 h.T", "paper notation"),
    ("q16-Wy", "delta_y @ \uff48.T", "wide or styled"),
    ("q16-Wy", "h.sum()", "write sum(h)"),
    ("q16-Wy", "np.mean(h)", "sum(...) / N"),
    ("q16-Wy", "h[0]", "index with the letters"),
    ("q16-by", "delta_y[j]", "needs only the index i"),
    ("q16-batch", "Delta_y[i]", "only the one-example answers"),
    ("q16-Wy", "__import__('os').system('echo hi')", None),
    ("q16-Wy", "h.__class__.__mro__", None),
    ("q16-Wy", "().__class__.__bases__[0].__subclasses__()", None),
    ("q16-Wy", "lambda: 1", "a lambda is not accepted"),
    ("q16-Wy", "[h for h in x]", "a comprehension"),
    ("q16-Wy", "(h := 1)", "an assignment"),
    ("q16-Wy", "9**9**9", "the exponent must be"),
    ("q16-Wy", "((((((2*h)**8)**8)**8)**8)**8)", None),
    ("q16-Wy", "exec('1')", "unknown function"),
    ("q16-Wy", "open('/etc/passwd')", "unknown function"),
    ("q16-Wy", "delta_y @ h.T; import os", None),
    ("q16-Wy", "h" + " + h" * 400, "at most 300"),
    ("q16-Wy", "(" * 150 + "h" + ")" * 150, None),
    ("q16-Wy", "f'{h}'", None),
    ("q16-Wy", "h/0", "divides by zero"),
    ("q15-grad", "delta_y", "the quantity this answer asks for"),
    ("q14-simplified", "yhat", "Q14 asks"),
]


def rows() -> list[tuple[str, str, str, str | None]]:
    """Every row: the right answers, the wrong ones, the catalogue's
    examples (each with its mistake) and the hostile input."""
    table = [(k, f, C, None) for k, fs in RIGHT.items() for f in fs]
    table += [(k, f, W, m) for k, f, m in WRONG]
    listed = {(k, f) for k, f, _ in WRONG}
    for mistake in CATALOGUE:
        for key, formula in mistake.examples.items():
            if (key, formula) not in listed:
                table.append((key, formula, W, mistake.id))
    table += [(k, f, E, words) for k, f, words in HOSTILE]
    return table
