"""What pages need besides the method: one setup call,
and one call that publishes a finding.

A page shows the method (configure, train, evaluate, plot) in its visible
cells; its bookkeeping is one call of :func:`publish` in a cell whose input is
removed:

- every number of the finding is glued under its key
  (for ``{glue:text}`` in the prose),
- every figure passed along is glued too (for ``{glue:figure}``) and closed,
- every claim must hold
  (otherwise the cell raises and the book does not build),
- the claims are shown as a short checked list under the experiment (the
  ``checked-claims`` directive of ``book/_ext/claims.py``, which reads them
  as JSON and also feeds the ledger's claims section).

Outside the book (a downloaded notebook in a plain Jupyter) nothing here needs
``myst_nb``: glue is then skipped and the claims show as their JSON block.
"""

from __future__ import annotations

import json
import math
import numbers

from nnintro.findings import Finding, format_value

STYLE = "nnintro.mplstyle"


def setup() -> None:
    """One thread for tiny tensors, the book's figure style, vector figures.

    Figures are stored as SVG (the website shows it, sharp at any zoom) and
    PDF (the PDF book includes it); outside IPython only the style applies.
    """
    import matplotlib.pyplot as plt
    import torch

    # tiny tensors: one thread is faster than two that compete for two
    # cores, and it keeps floating-point sums in the same order
    torch.set_num_threads(1)
    from importlib.resources import files

    style = files("nnintro") / STYLE
    if style.is_file():
        plt.style.use(str(style))
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - both come with ipykernel
        return
    shell = get_ipython()
    if shell is not None:
        set_matplotlib_formats("svg", "pdf")
        from matplotlib.figure import Figure

        svg = shell.display_formatter.formatters["image/svg+xml"]
        svg.for_type(Figure, phone_and_desktop_svg)


# On a 390 px phone a figure is shown 342 px wide. A figure whose smallest
# tick label would show less than PHONE_LABEL_PX tall there is drawn a second
# time, narrower (its fonts kept, so they are larger relative to it); its SVG
# shows that drawing when shown at most PHONE_BREAK px wide (a media query
# inside the SVG).
PHONE_SHOWN_PX = 342
PHONE_LABEL_PX = 10.3
PHONE_BREAK = 520


def _svg_text(figure) -> str:
    from io import BytesIO

    buffer = BytesIO()
    figure.canvas.print_figure(buffer, format="svg", bbox_inches="tight")
    return buffer.getvalue().decode("utf-8")


def smallest_tick_label(figure) -> float | None:
    """The font size (points) of the figure's smallest tick label."""
    sizes = [
        label.get_fontsize()
        for axes in figure.axes
        for label in axes.get_xticklabels() + axes.get_yticklabels()
        if label.get_visible() and label.get_text()
    ]
    return min(sizes) if sizes else None


def phone_and_desktop_svg(figure) -> str:
    """The figure as one SVG holding two drawings: as drawn, and, when its
    tick labels would be too small on a phone, redrawn narrower so that
    they show PHONE_LABEL_PX tall at PHONE_SHOWN_PX; the SVG's own style
    sheet shows the narrow one when the image is at most PHONE_BREAK px.

    The narrow drawing keeps the shape of the wide one (its size adjusted
    until the cropped drawing, which labels make wider or taller than the
    figure, has the width wanted and that shape), so that it fills the same
    box."""
    desktop = _svg_text(figure)
    font = smallest_tick_label(figure)
    box_width, box_height = _size_points(desktop)
    if font is None:
        return desktop
    target = font * PHONE_SHOWN_PX / PHONE_LABEL_PX  # points of SVG width
    if box_width <= target:
        return desktop
    target_height = target * box_height / box_width
    width, height = figure.get_size_inches()
    phone_width, phone_height = width, height
    try:
        for _ in range(8):
            phone_width *= target / box_width
            phone_height *= target_height / box_height
            figure.set_size_inches(phone_width, phone_height, forward=False)
            phone = _svg_text(figure)
            box_width, box_height = _size_points(phone)
            if (
                abs(box_width - target) < 0.005 * target
                and abs(box_height - target_height) < 0.005 * target_height
            ):
                break
    finally:
        figure.set_size_inches(width, height, forward=False)
    return combine_svgs(desktop, phone)


def _size_points(text: str) -> tuple[float, float]:
    """Width and height (points) of an SVG's viewBox."""
    import re

    found = re.search(r'viewBox="([^"]+)"', text)
    if found is None:
        raise ValueError("an SVG without a viewBox")
    box = found.group(1).split()
    return float(box[2]), float(box[3])


def _svg_parts(text: str) -> tuple[str, str]:
    """(attributes of the root <svg>, its content) of an SVG document."""
    import re

    root = re.search(r"<svg\b([^>]*)>", text)
    if root is None:
        raise ValueError("not an SVG document")
    body = text[root.end() : text.rindex("</svg>")]
    return root.group(1), body


def combine_svgs(desktop: str, phone: str) -> str:
    """One SVG: the desktop drawing, and the phone drawing for images shown
    at most PHONE_BREAK px wide (the ids of the phone drawing prefixed)."""
    import re

    attributes, desktop_body = _svg_parts(desktop)
    phone_attributes, phone_body = _svg_parts(phone)
    width, height = _size_points(f"<svg{phone_attributes}>")
    box = f"0 0 {width} {height}"
    phone_body = re.sub(r'\bid="([^"]+)"', r'id="phone-\1"', phone_body)
    phone_body = re.sub(r'(url\(#|href="#)', r"\1phone-", phone_body)
    style = (
        "<style>.nnintro-phone{display:none}"
        f"@media (max-width:{PHONE_BREAK}px){{.nnintro-desktop{{display:none}}"
        ".nnintro-phone{display:inline}}</style>"
    )
    return (
        desktop[: desktop.index("<svg")]
        + f"<svg{attributes}>{style}"
        + f'<g class="nnintro-desktop">{desktop_body}</g>'
        + f'<svg class="nnintro-phone" viewBox="{box}" width="100%" '
        + f'height="100%">{phone_body}</svg></svg>\n'
    )


def _glue(key: str, value: object) -> None:
    try:
        from myst_nb import glue
    except ImportError:
        return
    glue(key, value, display=False)


def claims_data(finding: Finding) -> list[dict]:
    """The claims of a finding as plain data (what ``checked-claims``
    reads): id, statement, test, verdict, and each measured value with its
    name, its number and the number as the book prints it."""
    return [
        {
            "id": c.id,
            "statement": c.statement,
            "test": c.test,
            "holds": c.holds,
            "values": [
                {"name": name, "value": value, "text": format_value(value)}
                for name, value in c.values.items()
            ],
        }
        for c in finding.claims()
    ]


def claims_markdown(finding: Finding) -> str:
    """The claims of a finding as a ``checked-claims`` block (MyST) whose
    content is their data as JSON, one claim per line."""
    rows = [
        json.dumps(row, ensure_ascii=False) for row in claims_data(finding)
    ]
    body = "[\n" + ",\n".join(rows) + "\n]"
    fence = "```"
    while fence in body:
        fence += "`"
    return f"{fence}{{checked-claims}} {finding.name}\n{body}\n{fence}"


def glued_value(value: object) -> object:
    """What a page's ``{glue:text}`` role receives for a value.

    A finite number is glued unrounded (an integral float as an int, so
    ``10`` and not ``10.0``): the page's format spec rounds it, once. A
    spec applied to a number already cut to 4 digits would round twice
    (1.0153 -> 1.015 -> 1.01). Anything else is glued as the book prints
    it (:func:`~nnintro.comparisons.format_value`).
    """
    if isinstance(value, (str, bool)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and math.isfinite(value):
        value = float(value)
        return (
            int(value) if value.is_integer() and abs(value) < 2**53 else value
        )
    return format_value(value)


def _glue_items(items: dict[str, object]) -> None:
    """Glue values (unrounded numbers, see :func:`glued_value`) and
    figures (then closed)."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    for key, value in items.items():
        if isinstance(value, Figure):
            _glue(key, value)
            plt.close(value)
        elif hasattr(value, "_repr_markdown_"):
            _glue(key, value)
        else:
            _glue(key, glued_value(value))


def publish(finding: Finding, **figures) -> None:
    """Require the claims, glue the numbers and figures,
    and show the checked claims.

    Figures are passed by keyword; ``data_acc_vs_n=fig`` is glued as
    ``data-acc-vs-n``. (A figure drawn in a visible cell is simpler: it shows
    where it is drawn, and the cell's ``mystnb: figure:`` metadata gives it a
    caption, a name and alt text.)
    """
    from IPython.display import Markdown, display

    finding.require()
    _glue_items(finding.numbers())
    _glue_items({k.replace("_", "-"): v for k, v in figures.items()})
    if finding.claims():
        display(Markdown(claims_markdown(finding)))


def glue_values(prefix: str, **items) -> None:
    """Glue plain values and figures that no claim is about,
    as ``prefix-name``.

    ``glue_values("data", n_train=200, splits=fig)`` glues ``data-n-train`` and
    ``data-splits``.
    """
    _glue_items(
        {f"{prefix}-{k.replace('_', '-')}": v for k, v in items.items()}
    )
