"""The site's output folder: replaced only when the tool can prove it built it, swapped atomically.

Rules (issue: no command destroys what it did not write):
- A site folder carries a marker file the builder writes (MARKER), listing every file and folder
  the build wrote. `build --out DIR` replaces DIR only when DIR is missing, empty, or carries the
  marker; anything else is refused with a reason. Files the user added to a built site (a `.git`,
  a `CNAME`, notes) are not in the list: the next build carries them into the new site, and refuses
  (exit 2) if the new site writes a file of its own at one of their paths.
- A folder inside the knowledge base's data/ or seeds/, or one that contains them, is always refused.
- Builds into one folder take a lock beside it, so two builds wait for each other.
- The new site is rendered into a staging folder beside the target and exchanged with it in one
  step (renameat2 RENAME_EXCHANGE on Linux; two renames elsewhere). Staging folders of builds that
  died are removed by the next build, and a site left aside by a build killed between two renames
  is put back. Folders are deleted marker last, so a deletion cut short is finished next time.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .outputs import KNOWLEDGE_FOLDERS, Refused, knowledge_folder_holding

MARKER = ".citypolicy-site"
MARKER_TEXT = "This folder was written by `citypolicy build`; the next build replaces it whole.\n"
MANIFEST_TEXT = (
    "This folder was written by `citypolicy build`. The next build replaces the files and folders\n"
    "listed below and keeps anything else you add (a .git, a CNAME).\n\n"
)


class SiteFolderRefused(Refused):
    """The output folder is not one the builder may replace; exit 2."""


def check_site_target(target: Path, kb_root: Path) -> None:
    """Refuse an output folder the builder may not replace, saying why."""
    resolved = target.resolve()
    inside = knowledge_folder_holding(target, kb_root)
    if inside is not None:
        raise SiteFolderRefused(f"{target} is inside the knowledge base's {inside.name}/: choose another folder")
    for name in KNOWLEDGE_FOLDERS:
        protected = (kb_root / name).resolve()
        if resolved in protected.parents:
            raise SiteFolderRefused(
                f"{target} contains the knowledge base's {protected.name}/ folder: "
                "choose a folder of its own, e.g. site"
            )
    if target.is_symlink():
        raise SiteFolderRefused(f"{target} is a symbolic link: pass the folder itself ({resolved})")
    if not target.exists():
        return
    if not target.is_dir():
        raise SiteFolderRefused(f"{target} is a file, not a folder: choose another name")
    if not is_ours(target) and any(target.iterdir()):
        raise SiteFolderRefused(
            f"{target} holds files that citypolicy did not write (it has no {MARKER} marker): "
            "choose a new or empty folder, or remove this one yourself"
        )


def is_ours(folder: Path) -> bool:
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def staging_prefix(target: Path) -> str:
    return f".{target.name}.building-"


def aside_prefix(target: Path) -> str:
    return f".{target.name}.old-"


@contextlib.contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the lock of builds beside `target` (on the folder that holds it), waiting for another
    build. Locking the parent folder itself leaves no lock file behind."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no lock, the swap still never loses a site
        yield
        return
    handle = os.open(target.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build into {target.parent} to finish…", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def tidy(target: Path, kb_root: Path) -> None:
    """Before a build loads anything: refuse a bad target, put back a site a killed build left
    aside and remove dead builds' staging folders."""
    check_site_target(target, kb_root)
    target = absolute(target)
    if target.parent.is_dir():
        with locked(target):
            recover(target)


def absolute(target: Path) -> Path:
    return Path(os.path.abspath(target))


def recover(target: Path) -> None:
    """Under the lock: put back a site left aside by a killed build, remove dead builds' folders."""
    leftovers = sorted(
        (p for p in target.parent.iterdir() if p.name.startswith((staging_prefix(target), aside_prefix(target)))),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    if not target.exists():
        aside = [p for p in leftovers if p.name.startswith(aside_prefix(target)) and is_ours(p)]
        if aside:
            os.rename(aside[0], target)
            leftovers.remove(aside[0])
    for folder in leftovers:
        if folder.is_dir() and not folder.is_symlink() and (is_ours(folder) or not any(folder.iterdir())):
            remove_site(folder)


def make_staging(target: Path) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(target), dir=target.parent))
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    return staging


def write_manifest(staging: Path) -> None:
    """Once every page is written: list them in the marker (folders end in /)."""
    written = sorted(
        path.relative_to(staging).as_posix() + ("/" if path.is_dir() else "")
        for path in staging.rglob("*")
        if path != staging / MARKER
    )
    (staging / MARKER).write_text(MANIFEST_TEXT + "".join(f"{name}\n" for name in written), encoding="utf-8")


def manifest(folder: Path) -> set[str] | None:
    """What the build of `folder` wrote; None for a site of an older version, whose marker lists nothing."""
    try:
        text = (folder / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(MANIFEST_TEXT):
        return None
    return set(text[len(MANIFEST_TEXT) :].splitlines())


def added_by_user(site: Path) -> list[str]:
    """Paths in a built site that its build did not write, outermost only (a .git folder, not its files)."""
    written = manifest(site)
    if written is None:
        return []
    found: list[str] = []

    def walk(folder: Path, prefix: str) -> None:
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            name = prefix + entry.name
            if not prefix and entry.name == MARKER:
                continue
            if entry.is_dir(follow_symlinks=False) and f"{name}/" in written:
                walk(Path(entry.path), f"{name}/")
            elif not entry.is_dir(follow_symlinks=False) and name in written:
                continue
            else:
                found.append(name)

    walk(site, "")
    return found


def carry_over(old: Path, new: Path) -> None:
    """Move what the user added to the old site into the new one; refuse if the new site has a file
    of its own at one of those paths (nothing is moved then)."""
    added = added_by_user(old)
    clashes = [name for name in added if (new / name).exists() or (new / name).is_symlink()]
    if clashes:
        raise SiteFolderRefused(
            f"{old / clashes[0]} was not written by citypolicy, and the new site writes a file there: "
            "move it out of the site folder and build again"
        )
    for name in added:
        (new / name).parent.mkdir(parents=True, exist_ok=True)
        os.rename(old / name, new / name)


def remove_site(folder: Path) -> None:
    """Delete what the builder wrote in a folder, its marker last (an interrupted deletion is resumed
    later). Anything its list does not name stays, and so does the folder holding it."""
    written = manifest(folder)
    if written is None:
        for child in folder.iterdir():
            if child.name == MARKER:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
    else:
        _remove_listed(folder, written)
    (folder / MARKER).unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        folder.rmdir()


def _remove_listed(folder: Path, written: set[str]) -> None:
    """The listed files, then the listed folders deepest first (each only if nothing else is in it)."""
    for name in written:
        path = folder / name
        if not name.endswith("/") and (path.is_file() or path.is_symlink()):
            path.unlink(missing_ok=True)
    for name in sorted((n for n in written if n.endswith("/")), key=lambda n: n.count("/"), reverse=True):
        path = folder / name.rstrip("/")
        if path.is_dir() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.rmdir()


def swap_in(staging: Path, target: Path) -> None:
    """Make `staging` the site at `target`, with what the user added to the previous site; the
    previous site's own files are deleted afterwards."""
    write_manifest(staging)
    if target.exists():
        carry_over(target, staging)
    if target.exists() and _exchange(staging, target):
        remove_site(staging)  # it now holds the previous site
        return
    aside = None
    if target.exists():
        aside = target.with_name(f"{aside_prefix(target)}{os.getpid()}")
        os.rename(target, aside)
    os.rename(staging, target)
    if aside is not None:
        remove_site(aside)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(second))
