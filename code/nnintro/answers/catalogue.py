"""The known wrong answers to questions 14 to 17, one entry per mistake.

The checker names these mistakes, the tests check every example, and the
appendix of common wrong answers lists them (nnintro.answers.appendix).

How an entry recognises a formula (``kind``):

- ``"value"``: the formula has the value of the entry's wrong formula for
  the label (``wrong[label]``, where ``{ref}`` stands for the book's
  answer), at the points tried;
- ``"swap"``: the formula becomes right (or its transpose does, with
  ``transposed``) once each name in ``swap`` is replaced by its
  replacement, e.g. h for htilde;
- ``"literal"``: the formula agrees at the first sizes tried, not at
  others, and contains a number equal to one of the first sizes.

``see`` is the label of the equation that explains the mistake (None: the
label's own equation). Messages write an equation as ``eq. LABEL``; the
page shows the number the reader sees instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COLUMN = ("q15-grad", "q16-Wy", "q16-by", "q17-htilde", "q17-Wh", "q17-bh")
BATCH = (
    "q15-batch", "q16-batch", "q16-batch-by",
    "q17-batch", "q17-batch-Wh", "q17-batch-bh",
)  # fmt: skip
HIDDEN = ("q17-htilde", "q17-Wh", "q17-bh")
HIDDEN_BATCH = ("q17-batch", "q17-batch-Wh", "q17-batch-bh")


@dataclass(frozen=True)
class Mistake:
    """One known mistake: how to recognise it and what to tell."""

    id: str
    name: str  # the mistake in a few words (the appendix's heading)
    message: str  # what the student reads
    kind: str  # "value", "swap" or "literal"
    examples: dict[str, str]  # label -> a formula with this mistake
    wrong: dict[str, str] = field(default_factory=dict)  # kind "value"
    swap: dict[str, str] = field(default_factory=dict)  # kind "swap"
    labels: tuple[str, ...] = ()  # kind "swap": where it applies
    transposed: bool = False  # kind "swap": the transpose also counts
    see: str | None = None

    def applies(self, label: str) -> bool:
        if self.kind == "value":
            return label in self.wrong
        return not self.labels or label in self.labels


def _each(labels, template: str) -> dict[str, str]:
    return dict.fromkeys(labels, template)


CATALOGUE: tuple[Mistake, ...] = (
    Mistake(
        "sign",
        "A sign slip",
        "yours is minus the right answer: a sign slip. The gradient of "
        "the loss starts from the prediction minus the target, "
        "ŷ − y (eq. q15-grad).",
        "value",
        {"q15-grad": "y - yhat", "q16-Wy": "(y - yhat) @ h.T"},
        wrong=_each(COLUMN + BATCH, "-({ref})"),
        see="q15-grad",
    ),
    Mistake(
        "missing-1/N",
        "The 1/N of the mean loss missing",
        "yours is N times the right answer: the 1/N of the mean loss is "
        "missing (eq. q15-batch).",
        "value",
        {"q15-batch": "Yhat - Y", "q16-batch": "(Yhat - Y).T @ H"},
        wrong=_each(BATCH, "N * ({ref})"),
        see="q15-batch",
    ),
    Mistake(
        "extra-1/N",
        "An extra 1/N",
        "yours is the right answer divided by N: an extra 1/N. Δ_y "
        "already holds the 1/N of the mean loss (eq. q15-batch).",
        "value",
        {"q16-batch": "Delta_y.T @ H / N", "q15-batch": "(Yhat - Y) / N**2"},
        wrong=_each(BATCH, "({ref}) / N"),
        see="q15-batch",
    ),
    Mistake(
        "transposed",
        "The transposed shape",
        "yours is the transpose of the right answer: a gradient has the "
        "shape of the quantity it is taken with respect to.",
        "value",
        {"q16-Wy": "h @ delta_y.T", "q17-batch-Wh": "X.T @ Delta_h"},
        wrong=_each(
            (
                "q16-Wy",
                "q17-Wh",
                "q15-batch",
                "q16-batch",
                "q17-batch",
                "q17-batch-Wh",
                "q15-grad",
                "q16-by",
                "q17-htilde",
                "q17-bh",
            ),
            "({ref}).T",
        ),  # fmt: skip
    ),
    Mistake(
        "loss-not-summed",
        "The loss left as a vector",
        "yours is a vector: the sum over the classes i is missing; the "
        "loss is one number (eq. q14-simplified).",
        "value",
        {"q14-simplified": "-y * ytilde + log(sum(exp(ytilde)))"},
        wrong={"q14-simplified": "-y * ytilde + log(sum(exp(ytilde)))"},
        see="q14-simplified",
    ),
    Mistake(
        "sum-over-k",
        "A sum over every class k",
        "yours adds δ_y over every class k: ỹ_k depends on W_y,ij only for "
        "k = i, so only that term survives, and Σ_k (ŷ_k − y_k) is always "
        "0 (eq. q16-Wy).",
        "value",
        {"q16-Wy": "(0 * y + sum(yhat - y)) @ h.T"},
        wrong={
            "q16-Wy": "(0 * y + sum(delta_y)) @ h.T",
            "q16-by": "0 * y + sum(delta_y)",
            "q16-batch": "(0 * Y + sum(Delta_y, axis=1, keepdims=True)).T @ H",
        },
        see="q16-Wy",
    ),
    Mistake(
        "no-upstream",
        "The upstream gradient dropped",
        "yours is only the local derivative of tanh: the upstream gradient "
        "that reaches h from the output, W_yᵀ δ_y, is missing "
        "(eq. q17-htilde).",
        "value",
        {"q17-htilde": "1 - h**2", "q17-Wh": "(1 - h**2) @ x.T"},
        wrong={
            "q17-htilde": "1 - h**2",
            "q17-Wh": "(1 - h**2) @ x.T",
            "q17-bh": "1 - h**2",
            "q17-batch": "1 - H**2",
            "q17-batch-Wh": "(1 - H**2).T @ X",
            "q17-batch-bh": "sum(1 - H**2, axis=0)",
        },
        see="q17-htilde",
    ),
    Mistake(
        "no-tanh-derivative",
        "The derivative of tanh missing",
        "the derivative of tanh is missing: multiply the upstream gradient "
        "entry by entry by 1 − h ⊙ h (eq. tanh-derivative).",
        "value",
        {"q17-htilde": "Wy.T @ delta_y", "q17-batch": "Delta_y @ Wy"},
        wrong={
            "q17-htilde": "Wy.T @ delta_y",
            "q17-Wh": "(Wy.T @ delta_y) @ x.T",
            "q17-bh": "Wy.T @ delta_y",
            "q17-batch": "Delta_y @ Wy",
            "q17-batch-Wh": "(Delta_y @ Wy).T @ X",
            "q17-batch-bh": "sum(Delta_y @ Wy, axis=0)",
        },
        see="tanh-derivative",
    ),
    Mistake(
        "tanh-derivative-1-h",
        "tanh' written as 1 − h",
        "the derivative of tanh is 1 − h², not 1 − h (eq. tanh-derivative).",
        "value",
        {"q17-htilde": "(Wy.T @ delta_y) * (1 - h)"},
        wrong={
            "q17-htilde": "(Wy.T @ delta_y) * (1 - h)",
            "q17-Wh": "((Wy.T @ delta_y) * (1 - h)) @ x.T",
            "q17-bh": "(Wy.T @ delta_y) * (1 - h)",
            "q17-batch": "(Delta_y @ Wy) * (1 - H)",
            "q17-batch-Wh": "((Delta_y @ Wy) * (1 - H)).T @ X",
            "q17-batch-bh": "sum((Delta_y @ Wy) * (1 - H), axis=0)",
        },
        see="tanh-derivative",
    ),
    Mistake(
        "pre-activation",
        "h̃ where h is meant",
        "yours uses the pre-activation h̃ where the formula needs the "
        "activation h = tanh(h̃); with h in place of h̃ it would be right.",
        "swap",
        {
            "q16-Wy": "delta_y @ htilde.T",
            "q16-batch": "Delta_y.T @ Htilde",
            "q17-htilde": "(Wy.T @ delta_y) * (1 - htilde**2)",
        },
        swap={"htilde": "h", "Htilde": "H"},
    ),
    Mistake(
        "softmax-entrywise",
        "The SoftMax derivative taken entry by entry",
        "yours takes the SoftMax derivative entry by entry, ŷ_i (1 − ŷ_i); "
        "but every ŷ_i depends on every logit, and with the terms k ≠ i the "
        "gradient is ŷ − y (eq. q15-grad).",
        "value",
        {"q15-grad": "yhat * y - y", "q15-batch": "(Yhat * Y - Y) / N"},
        wrong={
            "q15-grad": "yhat * y - y",
            "q16-by": "yhat * y - y",
            "q16-Wy": "(yhat * y - y) @ h.T",
            "q15-batch": "(Yhat * Y - Y) / N",
        },
        see="q15-grad",
    ),
    Mistake(
        "wrong-axis",
        "A sum over the wrong axis",
        "yours sums over axis=1, the classes; the examples are the rows, "
        "so the sum over the batch is sum(..., axis=0) (eq. q16-batch).",
        "value",
        {"q16-batch-by": "sum(Delta_y, axis=1)"},
        wrong={
            "q16-batch-by": "sum(Delta_y, axis=1)",
            "q17-batch-bh": "sum(Delta_h, axis=1)",
        },
        see="q16-batch",
    ),
    Mistake(
        "bias-not-summed",
        "A bias gradient not summed over the batch",
        "yours has one row per example: the bias is shared by all N "
        "examples, so its gradient adds the rows, sum(..., axis=0) "
        "(eq. q16-batch).",
        "value",
        {"q16-batch-by": "Delta_y", "q17-batch-bh": "Delta_h"},
        wrong={"q16-batch-by": "Delta_y", "q17-batch-bh": "Delta_h"},
        see="q16-batch",
    ),
    Mistake(
        "Wy-transpose",
        "W_y without its transpose (or with one too many)",
        "the transpose of W_y is wrong: one example's gradient goes back "
        "through W_yᵀ (eq. q17-htilde); in the batch form, through "
        "Δ_y W_y (eq. q17-batch).",
        "swap",
        {
            "q17-htilde": "(Wy @ delta_y) * (1 - h**2)",
            "q17-batch": "(Delta_y @ Wy.T) * (1 - H**2)",
        },
        swap={"Wy": "Wy.T"},
        labels=HIDDEN + HIDDEN_BATCH,
        see="q17-htilde",
    ),
    Mistake(
        "column-convention",
        "The column convention in a batch answer",
        "yours treats the examples as columns, as the one-example form "
        "does; in the batch form the examples are the rows of X, H and "
        "Δ_y (eq. q16-batch).",
        "swap",
        {
            "q16-batch": "Delta_y @ H.T",
            "q17-batch": "(Wy.T @ Delta_y) * (1 - H**2)",
            "q17-batch-Wh": "Delta_h @ X.T",
        },
        swap={
            n: f"{n}.T"
            for n in ("X", "H", "Htilde", "Y", "Yhat", "Delta_y", "Delta_h")
        },
        labels=BATCH,
        transposed=True,
        see="q16-batch",
    ),
    Mistake(
        "size-as-number",
        "A size typed as a number",
        "",  # the checker writes it: which number, which size
        "literal",
        {"q15-batch": "(Yhat - Y) / 5", "q16-batch": "(Yhat - Y).T @ H / 5"},
        labels=BATCH,
    ),
)

MISTAKES = {m.id: m for m in CATALOGUE}


def literal_message(number: int, size: str, sizes_text: str) -> str:
    """The message of "size-as-number"."""
    start = (
        f"the number {number} in yours is {size} at the first sizes tried "
        f"({sizes_text}), but the formula must hold for every size: "
    )
    if size == "N":
        return start + "write the name N, not its value."
    return start + f"it cannot use the value of {size}."
