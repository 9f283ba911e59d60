"""Writing an output file without destroying what the tool did not write.

`export -o` and `report -o` write to a temporary file beside the target and rename it into place,
so a failed write leaves nothing half-written. Before that, the target is checked: a folder, a
symbolic link, a FIFO, a device or a read-only file is refused (exit 2) unless `--force`, and a
regular file that is replaced keeps its permissions. A file inside the knowledge base's own data/
or seeds/ is always refused: an export or a report is never written over the analysts' files.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..load.fileread import file_kind


class Refused(Exception):
    """An output path the tool must not write to; the CLI says why and exits 2."""


class OutputRefused(Refused):
    """The output file points at something the tool must not replace."""


KNOWLEDGE_FOLDERS = ("data", "seeds")


def knowledge_folder_holding(target: Path, kb_root: Path) -> Path | None:
    """The knowledge base's data/ or seeds/ folder that `target` is or lies inside, if any."""
    resolved = target.resolve()
    for name in KNOWLEDGE_FOLDERS:
        folder = (kb_root / name).resolve()
        if resolved == folder or folder in resolved.parents:
            return folder
    return None


def check_output_file(target: Path, force: bool = False, kb_root: Path | None = None) -> None:
    """Refuse a target the tool may not replace; with `force`, anything but a folder or a file of
    the knowledge base (in `kb_root`'s data/ or seeds/) is replaced."""
    protected = knowledge_folder_holding(target, kb_root) if kb_root is not None else None
    if protected is not None:
        raise OutputRefused(f"{target} is inside the knowledge base's {protected.name}/: write it elsewhere")
    _check_parent(target)
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputRefused(f"cannot write {target}: {error.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputRefused(f"{target} is a folder: give a file name, e.g. {target / 'out'}")
    if force:
        return
    hint = "; pass --force to replace it with a regular file"
    if stat.S_ISLNK(info.st_mode):
        raise OutputRefused(f"{target} is a symbolic link, not a regular file{hint}")
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(f"{target} is a {file_kind(info.st_mode)}, not a regular file{hint}")
    if not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise OutputRefused(f"{target} is read-only{hint}")


def _check_parent(target: Path) -> None:
    for parent in [target.parent, *target.parent.parents]:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                raise OutputRefused(f"cannot write {target}: {parent} is a file, not a folder")
            return


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only if the block succeeds.

    The new file gets the permissions of the regular file it replaces, else those of a new file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        if temporary.exists():
            os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _mode_for(target: Path) -> int:
    try:
        info = target.lstat()
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode):
        return stat.S_IMODE(info.st_mode)
    return 0o666 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
