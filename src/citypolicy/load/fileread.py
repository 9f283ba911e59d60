"""Reading the knowledge base's own files: regular files only, and only inside the knowledge base.

A FIFO, a device or a socket among the data files would block or feed endless bytes, and a symbolic
link in data/ or seeds/ to a file elsewhere (`seeds/evil.txt -> /etc/passwd`) would publish that
file on the site. Every input is opened without blocking, checked to be a regular file of a sane
size, and refused when its real path lies outside the knowledge base (links inside it are fine).
"""

from __future__ import annotations

import errno
import os
import stat
from functools import lru_cache
from pathlib import Path

MAX_INPUT_BYTES = 64 * 1024 * 1024  # no hand-written data file or news article comes near this


class InputError(Exception):
    """A file the loader will not read; the message completes "<file>: ..." and says what to do."""

    def __init__(self, message: str, missing: bool = False):
        super().__init__(message)
        self.missing = missing


def read_input(root: Path, relative: str) -> bytes:
    """The bytes of `root/relative`, or InputError saying why the file cannot be read."""
    path = root / relative
    try:
        handle = os.open(path, _FLAGS)  # a link as the file itself fails here (ELOOP)
        real = os.path.join(_real(str(path.parent)), path.name)
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise InputError(f"cannot read file: {_reason(error)}", missing=error.errno == errno.ENOENT) from None
        handle, real = None, os.path.realpath(path)
    try:
        if not any(_inside(real, base) for base in _allowed(root)):
            raise InputError(
                f"refused: it is a symbolic link to {real}, outside the knowledge base; copy the file in instead"
            )
        if handle is None:
            handle = _open(real)
        return _read_regular(handle)
    finally:
        if handle is not None:
            os.close(handle)


_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC


def _open(path: str) -> int:
    try:
        return os.open(path, _FLAGS)
    except OSError as error:
        raise InputError(f"cannot read file: {_reason(error)}", missing=error.errno == errno.ENOENT) from None


@lru_cache(maxsize=256)
def _real(folder: str) -> str:
    """The real path of a folder (asked once per folder, not once per file: 5,000 files share a few)."""
    return os.path.realpath(folder)


def _read_regular(handle: int) -> bytes:
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"refused: it is a {file_kind(info.st_mode)}, not a regular file")
    if info.st_size > MAX_INPUT_BYTES:
        raise InputError(f"refused: it holds {info.st_size:,} bytes, more than {MAX_INPUT_BYTES:,}")
    chunks, size = [], 0
    try:
        while chunk := os.read(handle, max(info.st_size - size, 0) + 65536):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_INPUT_BYTES:
                raise InputError(f"refused: it holds more than {MAX_INPUT_BYTES:,} bytes")
    except OSError as error:
        raise InputError(f"cannot read file: {_reason(error)}") from None
    return b"".join(chunks)


def _allowed(root: Path) -> tuple[str, ...]:
    """The knowledge base's folder, and data/ and seeds/ where they are links to folders elsewhere."""
    return tuple(_real(str(folder)) for folder in (root, root / "data", root / "seeds"))


def _inside(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"
