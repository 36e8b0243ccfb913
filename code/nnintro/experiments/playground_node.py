"""The playground's engine run under Node.js, on the page's JSON.

The engine (``book/_ext/static/playground/``) is the JavaScript that the
page runs in the reader's browser; the build runs the very same files, so
what the book checks is what the reader gets.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ENGINE_DIR = (
    Path(__file__).resolve().parents[3] / "book" / "_ext" / "static"
) / "playground"
ENGINE_FILES = ("engine.mjs", "runs.mjs")
INSTALL_NODE = (
    "Node.js is needed to run the playground's engine at build time and was "
    "not found: install it (Debian, Ubuntu: `sudo apt-get install -y "
    "nodejs`), or name the program with NNINTRO_NODE=/path/to/node."
)


NODE_PROGRAM = """
import { readFileSync } from "node:fs";
import { prepareData, replay, presetOutcome } from "%(runs)s";
const page = JSON.parse(readFileSync(process.argv[1], "utf8"));
const presets = JSON.parse(readFileSync(process.argv[2], "utf8"));
const data = prepareData(page);
process.stdout.write(JSON.stringify({
  references: page.references.map((reference) => replay(reference, data)),
  presets: presets.map((preset) => presetOutcome(preset, page, data)),
}));
"""


def engine_digest() -> str:
    """SHA-256 of the engine's files (read here, so that the build re-runs
    the page when they change); a clear error when they are missing."""
    digest = hashlib.sha256()
    for name in ENGINE_FILES:
        path = ENGINE_DIR / name
        if not path.is_file():
            raise FileNotFoundError(
                f"the playground's engine {path} is missing: run the page "
                "from a clone of the book's repository"
            )
        digest.update(path.read_bytes())
    return digest.hexdigest()


def node_program() -> str:
    node = os.environ.get("NNINTRO_NODE") or shutil.which("node")
    if not node or not Path(node).is_file():
        raise RuntimeError(INSTALL_NODE)
    return node


def run_engine(page: dict, presets: list[dict]) -> dict:
    """Run the engine under Node.js on the page's JSON: the reference runs
    replayed, and the presets trained; returns what it computed."""
    engine_digest()
    node = node_program()
    program = NODE_PROGRAM % {"runs": (ENGINE_DIR / "runs.mjs").as_uri()}
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "page.json"
        presets_file = Path(folder) / "presets.json"
        page_file.write_text(json.dumps(page), encoding="utf-8")
        presets_file.write_text(json.dumps(presets), encoding="utf-8")
        done = subprocess.run(
            [
                node,
                "--input-type=module",
                "-e",
                program,
                str(page_file),
                str(presets_file),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    if done.returncode != 0:
        raise RuntimeError(
            f"the playground's engine failed under Node.js:\n{done.stderr}"
        )
    return json.loads(done.stdout)
