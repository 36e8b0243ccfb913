"""Fetch the pure-Python wheels the in-browser answer checker needs, once.

The answer checker (``nnintro.answers``) runs in the reader's browser in
Pyodide, with SymPy and mpmath. Their wheels are pinned to the versions of
``constraints.txt`` and to the SHA-256 below; ``pip download`` (from pip's
cache when warm) puts them in ``.wheels/``, where the Sphinx extension
``book/_ext/answer_check.py`` copies them into the built site. A wheel
already there is not fetched again. Nothing is downloaded while a page runs.

When Node.js and the pinned Pyodide (scripts/fetch_npm.py) are there, the
two wheels are also compiled to bytecode by Pyodide's own Python, without
their test suites, into one archive (``.wheels/pyodide-bundle-*.zip``):
importing SymPy from bytecode is several times faster than from source,
which is most of the reader's wait at the first check. Without Node the
site ships the plain wheels.

Without pip or network the script says what is missing and exits 0 (the
book then says the checker is not available); ``--require`` makes it fail.

    python scripts/fetch_wheels.py [--require]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHEEL_DIR = ROOT / ".wheels"
CONSTRAINTS = ROOT / "constraints.txt"

# name: SHA-256 of the py3-none-any wheel at the version of constraints.txt
WHEELS: dict[str, tuple[str, str]] = {
    "sympy": (
        "1.14.0",
        "e091cc3e99d2141a0ba2847328f5479b05d94a6635cb96148ccb3f34671bd8f5",
    ),
    "mpmath": (
        "1.3.0",
        "a0b2b9fe80bbcd81a6647ff13108738cfb482d481d826cc0e02f5b35e5c88d2c",
    ),
}


def pinned_version(name: str) -> str | None:
    """The version constraints.txt pins for a package, if any."""
    pattern = re.compile(rf"^{re.escape(name)}==(\S+)\s*$", re.IGNORECASE)
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        found = pattern.match(line.strip())
        if found:
            return found.group(1)
    return None


def wheel_path(name: str) -> Path:
    version, _ = WHEELS[name]
    return WHEEL_DIR / f"{name}-{version}-py3-none-any.whl"


def wheel_paths() -> list[Path]:
    """The wheels, in the order the browser loads them."""
    return [wheel_path(name) for name in ("mpmath", "sympy")]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pip_command() -> list[str]:
    """A Python with pip: this one, or the project's virtual environment."""
    for python in (Path(sys.executable), ROOT / ".venv" / "bin" / "python"):
        probe = [str(python), "-m", "pip", "--version"]
        if (
            python.exists()
            and subprocess.run(probe, capture_output=True).returncode == 0
        ):
            return [str(python), "-m", "pip"]
    raise FileNotFoundError("pip is not available")


def fetch(name: str) -> Path:
    """The wheel of NAME in .wheels/ (downloaded if missing), checked."""
    version, digest = WHEELS[name]
    pinned = pinned_version(name)
    if pinned != version:
        raise RuntimeError(
            f"{name}: constraints.txt pins {pinned}, this script {version}"
        )
    target = wheel_path(name)
    if not target.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [
                    *pip_command(),
                    "download",
                    "--quiet",
                    "--disable-pip-version-check",
                    "--no-deps",
                    "--only-binary=:all:",
                    f"{name}=={version}",
                    "-d",
                    tmp,
                ],
                check=True,
            )
            (found,) = Path(tmp).glob(f"{name}-{version}-*.whl")
            WHEEL_DIR.mkdir(exist_ok=True)
            found.replace(target)
    if sha256(target) != digest:
        target.unlink()
        raise RuntimeError(f"{target.name}: checksum mismatch")
    return target


# Parts of SymPy that neither ``import sympy`` nor the checker imports (the
# test suites too); tests/test_answers.py runs the checker without them.
EXCLUDED = (
    "physics",
    "stats",
    "vector",
    "crypto",
    "diffgeom",
    "holonomic",
    "liealgebras",
    "categories",
    "sandbox",
    "unify",
    "parsing.autolev",
    "parsing.latex",
    "parsing.fortran",
    "parsing.c",
)

BUNDLE_PY = r"""
import compileall, pathlib, py_compile, shutil, warnings, zipfile
root = pathlib.Path("/bundle")
for tests in sorted(root.rglob("tests"), reverse=True):
    if tests.is_dir():
        shutil.rmtree(tests)
for name in EXCLUDED:
    shutil.rmtree(root / "sympy" / name.replace(".", "/"))
warnings.simplefilter("ignore")
mode = py_compile.PycInvalidationMode.UNCHECKED_HASH
assert compileall.compile_dir(
    str(root), quiet=2, legacy=True, invalidation_mode=mode
)
for source in root.rglob("*.py"):
    source.unlink()
with zipfile.ZipFile("/tmp/bundle.zip", "w") as archive:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            info = zipfile.ZipInfo(
                str(path.relative_to(root)), (2020, 1, 1, 0, 0, 0)
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
"""

BUNDLE_JS = """
import {loadPyodide} from "%(module)s";
import {readFileSync, writeFileSync} from "node:fs";
const [out, code, ...wheels] = process.argv.slice(2);
const py = await loadPyodide({indexURL: "%(index)s"});
for (const wheel of wheels) {
  py.unpackArchive(new Uint8Array(readFileSync(wheel)), "wheel",
                   {extractDir: "/bundle"});
}
py.runPython(readFileSync(code, "utf8"));
writeFileSync(out, py.FS.readFile("/tmp/bundle.zip"));
"""
BUNDLE_VERSION = "2"  # change when BUNDLE_PY or EXCLUDED change


def pyodide_dir() -> Path:
    """The unpacked pinned Pyodide (see scripts/fetch_npm.py)."""
    path = Path(__file__).with_name("fetch_npm.py")
    spec = importlib.util.spec_from_file_location("_fetch_npm", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.package_dir("pyodide")


def bundle_path() -> Path:
    """Where the bytecode archive for this Pyodide and these wheels goes."""
    key = hashlib.sha256(
        "|".join(
            [BUNDLE_VERSION, str(pyodide_dir())]
            + [digest for _, digest in WHEELS.values()]
        ).encode()
    ).hexdigest()[:12]
    return WHEEL_DIR / f"pyodide-bundle-{key}.zip"


def bundle() -> Path:
    """SymPy and mpmath compiled by Pyodide's Python, in one zip."""
    target = bundle_path()
    if target.is_file():
        return target
    node = shutil.which("node")
    pyodide = pyodide_dir()
    if node is None or not (pyodide / "pyodide.mjs").is_file():
        raise FileNotFoundError("Node.js or Pyodide is missing")
    with tempfile.TemporaryDirectory() as tmp:
        script, code = Path(tmp) / "bundle.mjs", Path(tmp) / "bundle.py"
        script.write_text(
            BUNDLE_JS
            % {
                "module": (pyodide / "pyodide.mjs").as_uri(),
                "index": str(pyodide) + "/",
            }
        )
        code.write_text(f"EXCLUDED = {EXCLUDED!r}\n" + BUNDLE_PY)
        partial = Path(tmp) / "bundle.zip"
        subprocess.run(
            [node, str(script), str(partial), str(code)]
            + [str(w) for w in wheel_paths()],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for old in WHEEL_DIR.glob("pyodide-bundle-*.zip"):
            old.unlink()
        partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--require", action="store_true", help="fail when one is missing"
    )
    args = parser.parse_args(argv)
    missing = []
    for name in WHEELS:
        try:
            fetch(name)
        except (FileNotFoundError, subprocess.CalledProcessError) as error:
            missing.append(f"{name} ({error})")
    if missing:
        print("wheels not available: " + "; ".join(missing), file=sys.stderr)
        return 1 if args.require else 0
    try:
        bundle()
    except (FileNotFoundError, subprocess.CalledProcessError) as error:
        print(
            f"no bytecode bundle ({error}): the site ships the plain wheels",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
