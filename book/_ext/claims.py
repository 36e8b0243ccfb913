"""Sphinx extension: checked claims under each experiment,
and the ledger of all of them.

``nnintro.book.publish`` prints, as a Markdown output of a page, a block

    ```{checked-claims} q2-sample-size
    [
    {"id": "q2-more-data", "statement": "...", "test": "...", "holds": true,
     "values": [{"name": "...", "value": 0.95, "text": "0.95"}]}
    ]
    ```

(the claims as JSON), which this extension renders as a short list: each
claim's sentence, then its measured values by name and its test (each claim
with its own anchor, ``#claim-<id>``); it also records them in the build
environment. ``{claims-ledger}`` (on
the ledger page) becomes a table of every claim of the book: its page (linked
to the claim), the statement, the measured values, the test, and the verdict. A
claim that does not hold, or an id used twice, is a build error.
"""

from __future__ import annotations

import json
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

CLAIM_FIELDS = {
    "id": str,
    "statement": str,
    "test": str,
    "holds": bool,
    "values": list,
}
VALUE_FIELDS = {"name": str, "text": str}


def parse_claims(text: str) -> list[dict]:
    """The claims of a ``checked-claims`` block (a JSON list), checked for
    the fields this extension reads."""
    try:
        claims = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"checked-claims: not JSON ({error})") from None
    if not isinstance(claims, list):
        raise ValueError("checked-claims: expected a JSON list of claims")
    for data in claims:
        _require_fields(data, CLAIM_FIELDS, "claim")
        for value in data["values"]:
            _require_fields(value, VALUE_FIELDS, f"value of {data['id']}")
    return claims


def _require_fields(data: object, fields: dict, what: str) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"checked-claims: a {what} must be an object")
    for name, kind in fields.items():
        if not isinstance(data.get(name), kind):
            raise ValueError(
                f"checked-claims: {what} {data.get('id', '')!r} needs "
                f"{name!r} ({kind.__name__})"
            )


def values_text(data: dict) -> str:
    """``name = value, ...`` for the ledger's column "Measured"."""
    return ", ".join(f"{v['name']} = {v['text']}" for v in data["values"])


def claim_paragraphs(data: dict) -> list[nodes.Node]:
    """The claim's sentence, then what was measured and tested."""
    sentence = nodes.paragraph(classes=["claim-statement"])
    sentence += nodes.inline("", "✓ ", classes=["claim-mark"])
    statement = data["statement"].rstrip()
    sentence += nodes.Text(
        statement + ("" if statement[-1:] in ".!?" else ".")
    )
    detail = nodes.paragraph(classes=["claim-detail"])
    if data["values"]:
        detail += nodes.Text("Measured: ")
        for number, value in enumerate(data["values"]):
            if number:
                detail += nodes.Text("; ")
            detail += nodes.Text(f"{value['name']} ")
            detail += nodes.strong("", value["text"])
        detail += nodes.Text(". ")
    detail += nodes.Text("Test: ")
    detail += nodes.literal("", data["test"])
    detail += nodes.Text(".")
    return [sentence, detail]


class CheckedClaims(SphinxDirective):
    required_arguments = 1  # the finding's name
    has_content = True

    def run(self):
        env = self.env
        store = env.nnintro_claims if hasattr(env, "nnintro_claims") else {}
        env.nnintro_claims = store
        finding = self.arguments[0]
        box = nodes.container(classes=["checked-claims"])
        box += nodes.paragraph(
            "", "", nodes.strong("", "Checked when the book was built:")
        )
        items = nodes.bullet_list()
        try:
            claims = parse_claims("\n".join(self.content))
        except ValueError as error:
            raise self.error(str(error)) from None
        for data in claims:
            if not data["holds"]:
                raise self.error(f"claim {data['id']} does not hold")
            anchor = f"claim-{data['id']}"
            for other, info in store.items():
                if other[1] == data["id"] and other[0] != env.docname:
                    raise self.error(
                        f"claim id {data['id']} is used on "
                        f"{info['docname']} too"
                    )
            data.update(
                docname=env.docname,
                anchor=anchor,
                finding=finding,
                seq=len(store),
            )
            store[(env.docname, data["id"])] = data
            item = nodes.list_item(ids=[anchor], classes=["claim"])
            item.extend(claim_paragraphs(data))
            items += item
        box += items
        return [box]


class claims_ledger(nodes.General, nodes.Element):
    pass


class ClaimsLedger(SphinxDirective):
    def run(self):
        return [claims_ledger()]


def purge(app, env, docname):
    store = getattr(env, "nnintro_claims", {})
    for key in [k for k in store if k[0] == docname]:
        del store[key]


def merge(app, env, docnames, other):
    env.nnintro_claims = getattr(env, "nnintro_claims", {})
    env.nnintro_claims.update(getattr(other, "nnintro_claims", {}))


def _cell(*children) -> nodes.entry:
    entry = nodes.entry()
    para = nodes.paragraph()
    para.extend(children)
    entry += para
    return entry


def fill_ledger(app: Sphinx, doctree, fromdocname: str) -> None:
    ledgers = list(doctree.findall(claims_ledger))
    if not ledgers:
        return
    env = app.env
    store = getattr(env, "nnintro_claims", {})
    order = {doc: i for i, doc in enumerate(_toc_order(env))}
    rows = sorted(
        store.values(), key=lambda d: (order.get(d["docname"], 1e9), d["seq"])
    )
    if not rows:
        raise ExtensionError(
            "the claims ledger is empty: no page published a finding"
        )
    for node in ledgers:
        table = nodes.table(classes=["claims-ledger"])
        group = nodes.tgroup(cols=5)
        for width in (14, 30, 30, 20, 6):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        head_row = nodes.row()
        for title in ("Page", "Claim", "Measured", "Test", "Verdict"):
            head_row += _cell(nodes.Text(title))
        head += head_row
        group += head
        body = nodes.tbody()
        for data in rows:
            title = env.titles.get(data["docname"])
            label = title.astext() if title is not None else data["docname"]
            link = make_refnode(
                app.builder,
                fromdocname,
                data["docname"],
                data["anchor"],
                nodes.inline("", label),
            )
            row = nodes.row(ids=[f"ledger-{data['anchor']}"])
            row += _cell(link)
            row += _cell(nodes.Text(data["statement"]))
            row += _cell(nodes.Text(values_text(data)))
            row += _cell(nodes.literal("", data["test"]))
            row += _cell(nodes.Text("holds" if data["holds"] else "FAILS"))
            body += row
        group += body
        table += group
        node.replace_self(table)


def _toc_order(env) -> list[str]:
    """Documents in reading order (the toctree),
    so the ledger follows the book."""
    order: list[str] = []

    def walk(doc: str) -> None:
        if doc in order:
            return
        order.append(doc)
        for child in env.toctree_includes.get(doc, []):
            walk(child)

    walk(env.config.root_doc)
    return order


def add_style(app: Sphinx) -> None:
    static = str(Path(__file__).parent / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app: Sphinx):
    app.connect("builder-inited", add_style)
    app.add_css_file("claims.css")
    app.add_directive("checked-claims", CheckedClaims)
    app.add_directive("claims-ledger", ClaimsLedger)
    app.add_node(claims_ledger)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-resolved", fill_ledger)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
