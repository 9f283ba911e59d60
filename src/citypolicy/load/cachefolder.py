"""The cache's folder: private to the user, its files sealed with a per-user secret, bounded in size.

What is read back from the cache is trusted only when it is provably what this user's citypolicy
wrote: every file carries an HMAC-SHA256 of its name and content under a secret of 32 random bytes
kept in the folder (mode 0600). A folder that another user owns or may write into is not used at
all (said once, on stderr). Files are opened without following links or blocking, and only regular
files owned by the user are read; anything that fails to open, to verify or to decode is treated as
absent, so the caller rebuilds it. The folder holds at most MAX_BYTES of entries; only files named as
this cache names them are ever removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MAGIC = b"citypolicy-cache-2\n"
SECRET_NAME = ".citypolicy-secret"
TEMP_PREFIX = ".citypolicy-cache-"
MAX_BYTES = 512 * 1024 * 1024  # all entries together; the least recently used go first
MAX_ANSWERS_PER_KB = 200
_OWN_NAME = re.compile(
    r"(?P<kind>kb)-(?P<kb>[0-9a-f]{32})\.entry"
    r"|(?P<akind>answer)-(?P<akb>[0-9a-f]{32})-(?P<fp>[0-9a-f]{16})-[0-9a-f]{32}\.answer"
    r"|(?P<legacy>[0-9a-f]{64}\.(?:pickle|answer))"  # written by citypolicy before the sealed format
    r"|\.citypolicy-cache-\w+\.tmp"
)
_SECRET_BYTES = 32
_warned: set[str] = set()


def cache_folder() -> Path | None:
    """Where the cache is configured to live: $CITYPOLICY_CACHE (`0`/`off` disables it), else
    $XDG_CACHE_HOME/citypolicy or ~/.cache/citypolicy. Not yet checked: see private_folder()."""
    setting = os.environ.get("CITYPOLICY_CACHE")
    if setting is not None:
        return None if setting.strip().lower() in {"", "0", "off", "no", "false"} else Path(setting)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # no home folder: no cache, rather than one in the current folder
        return None
    return Path(base) / "citypolicy"


def private_folder() -> Path | None:
    """The cache folder, created private (0700) when missing; None when off or not safe to use."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    except OSError:
        return None  # a cache that cannot be created is simply not used
    reason = _unsafe(folder)
    if reason:
        _warn_once(folder, f"{folder}: not used as a cache: {reason}; set CITYPOLICY_CACHE to a private folder")
        return None
    return folder


def _unsafe(folder: Path) -> str | None:
    """Why another user could plant or swap files in `folder`, if they could."""
    me = os.geteuid()
    try:
        info = os.lstat(folder)
        if stat.S_ISLNK(info.st_mode):
            if info.st_uid != me:
                return "it is a symbolic link owned by another user"
            info = os.stat(folder)
    except OSError as error:
        return f"it cannot be examined ({error.strerror})"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a folder"
    if info.st_uid != me:
        return "it belongs to another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "other users may write into it (chmod 700 it)"
    return None


def _warn_once(folder: Path, message: str) -> None:
    if str(folder) not in _warned:
        _warned.add(str(folder))
        print(" ".join(message.split()), file=sys.stderr)


# --------------------------------------------------------------------------- reading and writing


def _open_own_regular(path: Path) -> int | None:
    """A descriptor of `path` if it is a regular file of this user's (never a link, FIFO or device)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_size > MAX_BYTES:
        os.close(handle)
        return None
    return handle


def _read_all(handle: int) -> bytes:
    chunks = []
    with os.fdopen(handle, "rb", closefd=True) as stream:
        while chunk := stream.read(1 << 22):
            chunks.append(chunk)
    return b"".join(chunks)


def secret(folder: Path) -> bytes | None:
    """The user's secret, made on first use; a wrong one (size, owner, mode) is replaced."""
    path = folder / SECRET_NAME
    for _ in range(3):
        handle = _open_own_regular(path)
        if handle is not None:
            private = not os.fstat(handle).st_mode & 0o077
            try:
                value = _read_all(handle)
            except OSError:
                value = b""
            if private and len(value) == _SECRET_BYTES:
                return value
        replace = handle is not None or os.path.lexists(path)  # wrong, or a link, FIFO, another's file
        if not _make_secret(folder, path, replace):
            return None
    return None


def _make_secret(folder: Path, path: Path, replace: bool) -> bool:
    """Write a new secret (0600); without `replace`, a secret made meanwhile by another run wins."""
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(_SECRET_BYTES))
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if another run made one first: then that one is used
        return True
    except FileExistsError:
        return True
    except OSError:
        return False
    finally:
        Path(temporary).unlink(missing_ok=True)


@dataclass
class Sealed:
    header: bytes
    payload: bytes


def _mac(key: bytes, name: str, header: bytes, payload: bytes) -> bytes:
    digest = hmac.new(key, name.encode() + b"\0", hashlib.sha256)
    digest.update(len(header).to_bytes(4, "big") + header)
    digest.update(payload)
    return digest.digest()


def read_sealed(folder: Path, name: str) -> Sealed | None:
    """The header and payload of a file this user's citypolicy wrote under `name`, else None."""
    key = secret(folder)
    handle = _open_own_regular(folder / name) if key else None
    if handle is None or key is None:
        return None
    try:
        raw = _read_all(handle)
    except OSError:
        return None
    start = len(MAGIC) + 32 + 4
    if len(raw) < start or not raw.startswith(MAGIC):
        return None
    mac = raw[len(MAGIC) : len(MAGIC) + 32]
    size = int.from_bytes(raw[start - 4 : start], "big")
    header, payload = raw[start : start + size], raw[start + size :]
    if len(header) != size or not hmac.compare_digest(mac, _mac(key, name, header, payload)):
        return None
    return Sealed(header, payload)


def write_sealed(folder: Path, name: str, header: bytes, payload: bytes) -> bool:
    """Write atomically (temporary file, then rename); failures leave the cache as it was."""
    key = secret(folder)
    if key is None:
        return False
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + _mac(key, name, header, payload) + len(header).to_bytes(4, "big") + header)
            out.write(payload)
        os.replace(temporary, folder / name)
        return True
    except OSError:
        return False
    finally:
        Path(temporary).unlink(missing_ok=True)


def touch(folder: Path, name: str) -> None:
    """Mark an entry as used (the least recently used go first when the folder is full)."""
    with contextlib.suppress(OSError):
        os.utime(folder / name, follow_symlinks=False)


# --------------------------------------------------------------------------- bounds


def prune(folder: Path, keep: str, kb: str | None = None, fingerprint: str | None = None) -> None:
    """Remove what is no longer worth keeping, touching only files named as this cache names them:
    answers of `kb` computed from other inputs than `fingerprint`, answers beyond the per-base
    limit, files of the old format, and the least recently used entries beyond MAX_BYTES."""
    try:
        found = [(entry, _OWN_NAME.fullmatch(entry.name)) for entry in os.scandir(folder)]
    except OSError:
        return
    kept: list[tuple[float, int, str]] = []
    answers: list[tuple[float, str]] = []
    for entry, match in found:
        if match is None or entry.name == keep or not entry.is_file(follow_symlinks=False):
            continue
        info = entry.stat(follow_symlinks=False)
        stale_answer = match["akb"] == kb and match["fp"] != (fingerprint or "")[:16]
        dead_temporary = entry.name.endswith(".tmp") and _older_than_a_day(info)
        if match["legacy"] or stale_answer or dead_temporary:
            _remove(folder, entry.name)
            continue
        if match["akb"] == kb:
            answers.append((info.st_mtime, entry.name))
        kept.append((info.st_mtime, info.st_size, entry.name))
    for _, name in sorted(answers, reverse=True)[MAX_ANSWERS_PER_KB:]:
        _remove(folder, name)
        kept = [k for k in kept if k[2] != name]
    total = sum(size for _, size, _ in kept) + _size(folder / keep)
    for _, size, name in sorted(kept):
        if total <= MAX_BYTES:
            break
        _remove(folder, name)
        total -= size


def _older_than_a_day(info: os.stat_result) -> bool:
    import time

    return info.st_mtime < time.time() - 24 * 3600  # a temporary file of a run that was killed


def _size(path: Path) -> int:
    try:
        return path.lstat().st_size
    except OSError:
        return 0


def _remove(folder: Path, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(folder / name)
