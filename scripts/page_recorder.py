"""Record what a page's kernel read, so that a rebuild knows what to re-run.

``build_book.py`` installs this file as an IPython start-up file of the
kernels that execute the pages (``IPYTHONDIR``). After every cell it writes,
into the folder ``NNINTRO_BUILD_RECORDS``, one JSON record per kernel:

- ``cells``: the SHA-256 of each cell the kernel ran, in order, which tells
  the build which page the record belongs to;
- ``files``: the SHA-256 of every file of the project the page read or
  imported (the modules of ``nnintro`` among them), taken when first seen,
  and of every file it read in a folder named by an ``NNINTRO_*`` variable
  (None for a file it tried to open and did not find);
- ``environ``: the value of every ``NNINTRO_*`` variable the page read
  (None when unset).

Files outside the project (the Python environment, fonts, caches) are left
out: the pins stand for them. Nothing is recorded, and nothing changes,
when ``NNINTRO_BUILD_RECORDS`` is not set.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import uuid
from pathlib import Path

PREFIX = "NNINTRO_"
SKIPPED_PARTS = {"_build", ".venv", "__pycache__", ".ipynb_checkpoints"}


def sha256_of(path: str) -> str | None:
    """The SHA-256 of a file's bytes, or None when it is not a file."""
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


class Recorder:
    """Collect the files, modules and variables one kernel read."""

    def __init__(self, root: str, folder: str) -> None:
        self.root = os.path.realpath(root)
        self.path = Path(folder) / f"{os.getpid()}-{uuid.uuid4().hex}.json"
        self.cells: list[str] = []
        self.opened: set[str] = set()
        self.seen: set[str] = set()
        self.environ: set[str] = set()
        self.files: dict[str, str | None] = {}

    def audit(self, event: str, args: tuple) -> None:
        """Audit hook: note every file opened for reading."""
        if event != "open" or not isinstance(args[0], (str, bytes)):
            return
        path, mode, flags = args
        if mode is None:
            reading = flags & (os.O_WRONLY | os.O_RDWR) == 0
        else:
            reading = "r" in mode and "+" not in mode
        if reading:
            self.opened.add(os.path.abspath(os.fsdecode(path)))

    def name(self, path: str) -> str | None:
        """How the record names a file, or None when it is not an input."""
        real = os.path.realpath(path)
        if real == self.root or real.startswith(self.root + os.sep):
            relative = os.path.relpath(real, self.root)
            if SKIPPED_PARTS.intersection(Path(relative).parts):
                return None
            return Path(relative).as_posix()
        for key in self.environ:
            folder = os.environ.get(key)
            if folder and os.path.isdir(folder):
                folder = os.path.realpath(folder)
                if real.startswith(folder + os.sep):
                    return real
        return None

    def after_cell(self, result) -> None:
        """IPython ``post_run_cell`` callback: update the record."""
        source = result.info.raw_cell
        self.cells.append(hashlib.sha256(source.encode()).hexdigest())
        modules = {
            getattr(module, "__file__", None)
            for module in list(sys.modules.values())
        }
        new = (self.opened | modules) - self.seen - {None}
        self.seen |= new
        for path in sorted(new):
            name = self.name(path)
            if name is not None and name not in self.files:
                # None for a file that was missing: its arrival is a change
                self.files[name] = sha256_of(path)
        record = {
            "cells": self.cells,
            "files": self.files,
            "environ": {k: os.environ.get(k) for k in sorted(self.environ)},
        }
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(record, indent=1))
        os.replace(partial, self.path)


def recording_environ(recorder: Recorder) -> type:
    """A subclass of ``os.environ``'s class that notes NNINTRO_* reads."""

    class RecordingEnviron(type(os.environ)):
        def __getitem__(self, key):
            if isinstance(key, str) and key.startswith(PREFIX):
                recorder.environ.add(key)
            return super().__getitem__(key)

    return RecordingEnviron


def install() -> None:
    """Start recording in this kernel, if the build asked for it."""
    from IPython import get_ipython

    folder = os.environ.get("NNINTRO_BUILD_RECORDS")
    root = os.environ.get("NNINTRO_BUILD_ROOT")
    shell = get_ipython()
    if not folder or not root or shell is None:
        return
    recorder = Recorder(root, folder)
    sys.addaudithook(recorder.audit)
    os.environ.__class__ = recording_environ(recorder)
    shell.events.register("post_run_cell", recorder.after_cell)


if __name__ == "__main__":  # IPython runs start-up files as __main__
    install()
