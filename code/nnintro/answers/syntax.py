"""Messages, in the student's terms, for formulas written in other habits.

Before a formula is parsed, and when Python's parser refuses it, these
look for what a student coming from paper, LaTeX or another keyboard
types: a letter that only looks Latin, a mathematical symbol, LaTeX
commands, two names with no operator between them. Each message shows
the fix.
"""

from __future__ import annotations

import io
import re
import tokenize
import unicodedata

# Symbols of paper maths, and what to type instead.
SYMBOLS = {
    "–": "-", "\u0303": "tilde: htilde, ytilde", "\u0302": "hat: yhat",
    "×": "* (entrywise) or @ (matrix product)",
    "·": "* (entrywise) or @ (matrix product)", "⋅": "* or @",
    "⊙": "*", "∘": "*", "÷": "/", "ᵀ": ".T", "⊤": ".T",
    "²": "**2", "³": "**3", "∑": "sum(...)", "Σ": "sum(...)",
    "δ": "delta", "Δ": "Delta", "ŷ": "yhat", "ỹ": "ytilde",
    "h̃": "htilde", "σ": "tanh (the hidden layer is tanh)",
    "’": "'", "√": "**", "∂": "(no ∂: type the formula of the gradient)",
}  # fmt: skip
# Letters of other alphabets that look like Latin ones.
LOOK_ALIKES = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y",
    "х": "x", "һ": "h", "і": "i", "ј": "j", "ԁ": "d", "ѕ": "s",
    "А": "A", "В": "B", "Е": "E", "Н": "H", "К": "K", "М": "M",
    "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y",
    "Υ": "Y", "Χ": "X", "Η": "H", "Ν": "N", "Τ": "T", "Ο": "O",
    "ο": "o", "ν": "v", "ι": "i",
}  # fmt: skip
LATEX = {
    r"\delta": "delta", r"\Delta": "Delta", r"\hat": "hat (yhat)",
    r"\tilde": "tilde (htilde, ytilde)", r"\odot": "*",
    r"\cdot": "* or @", r"\times": "* or @", r"\top": ".T",
    r"\frac": "(a) / (b)", r"\sum": "sum(...)", r"\tanh": "tanh(...)",
    r"\exp": "exp(...)", r"\log": "log(...)", r"\left": "(",
    r"\right": ")", r"\mathbf": "", r"\partial": "(no ∂)",
}  # fmt: skip


def before_parsing(text: str) -> str | None:
    """A message for characters a formula cannot contain, or None."""
    for position, char in enumerate(text, start=1):
        if char.isascii():
            continue
        where = f"character {position}"
        if char in LOOK_ALIKES:
            name = unicodedata.name(char, "a letter").lower()
            return (
                f"the letter `{char}` ({where}) looks like `"
                f"{LOOK_ALIKES[char]}` but is not the Latin letter: it is "
                f"{name}. Type it again as {LOOK_ALIKES[char]} (switch the "
                "keyboard to English)"
            )
        if char in SYMBOLS:
            return (
                f"`{char}` ({where}) is paper notation; in the box type "
                f"{SYMBOLS[char]}"
            )
        plain = unicodedata.normalize("NFKC", char)
        if plain.isascii() and plain.isprintable():
            return (
                f"`{char}` ({where}) is a wide or styled `{plain}`: type "
                f"the plain {plain}"
            )
        name = unicodedata.name(char, "an unnamed character").lower()
        return (
            f"`{char}` ({where}, {name}) is not accepted: a formula uses "
            "only the letters, digits and operators of an English keyboard"
        )
    if "\\" in text or "{" in text:
        return latex_message(text)
    return None


def latex_message(text: str) -> str:
    """The fix for LaTeX typed into the box."""
    found = sorted(set(re.findall(r"\\[A-Za-z]+", text)), key=text.index)
    fixes = [f"{c} → {LATEX[c]}" for c in found if LATEX.get(c)]
    if "^T" in text or "^{T}" in text or "^\\top" in text:
        fixes.append("h^T → h.T")
    if re.search(r"\^\{?\d", text):
        fixes.append("h^2 → h**2")
    fixes.append("juxtaposition (a b) → a @ b or a * b")
    return (
        "this looks like LaTeX; the box reads NumPy-style formulas. Write "
        + "; ".join(fixes)
        + " (for example \\delta_y h^\\top is delta_y @ h.T)"
    )


_OPERAND_END = {tokenize.NAME, tokenize.NUMBER}
_KEYWORDS = {"for", "in", "if", "else", "and", "or", "not", "is", "lambda"}


def missing_operator(text: str) -> str | None:
    """A message when two operands stand side by side, or None."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(text).readline)
            if t.type
            not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    for left, right in zip(tokens, tokens[1:]):
        ends = left.type in _OPERAND_END or left.string == ")"
        starts = right.type in _OPERAND_END or right.string == "("
        if left.string in _KEYWORDS or right.string in _KEYWORDS:
            continue
        if right.string == "(" and left.type == tokenize.NAME:
            continue  # a call
        if ends and starts:
            a, b = left.string, right.string
            return (
                f"an operator is missing between `{a}` and `{b}`: write "
                f"`{a} @ {b}` for a matrix product or `{a} * {b}` for an "
                "entrywise product"
            )
    return None
