"""The catalogue of known mistakes (:mod:`.catalogue`) as a MyST section
body, for the appendix of common wrong answers (book/wrong_answers.md)."""

from __future__ import annotations

import re

from nnintro.answers.catalogue import CATALOGUE, literal_message
from nnintro.answers.symbolic_network import FIRST
from nnintro.answers.targets import TARGETS


def _myst(message: str) -> str:
    """The message with each ``eq. LABEL`` as an equation reference, and
    a letter with a combining tilde as mathematics (no print font has it)."""
    message = re.sub("([A-Za-z])\u0303", r"{math}`\\tilde \1`", message)
    return re.sub(r"eq\. ([A-Za-z0-9-]+)", r"eq. {eq}`\1`", message)


def catalogue_markdown() -> str:
    """One item per mistake: its name, what the checker says, and the
    examples (label and formula) that the tests check."""
    items = []
    for mistake in CATALOGUE:
        examples = "; ".join(
            f"{TARGETS[key].what} ({{eq}}`{TARGETS[key].equation}`): "
            f"`{formula}`"
            for key, formula in mistake.examples.items()
        )
        said = mistake.message or literal_message(
            FIRST.nb, "N", FIRST.text("batch")
        )
        items.append(
            f"- **{mistake.name}** (`{mistake.id}`). The checker says: "
            f"“{said}” For example {examples}."
        )
    return "\n".join(_myst(item) for item in items)
