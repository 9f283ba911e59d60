"""What the loader refuses to read: links out of the knowledge base, FIFOs, devices (issue 14, items 8, 14).

Each test reproduces a reported problem through the real CLI: `seeds/evil.txt -> /etc/passwd`
passed `check` and was published on the site; a FIFO among the data files hung every command.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from minimal_kb import SOURCES, XINGHAI, build_minimal_kb, run_cli


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A copy of the fixture knowledge base (see minimal_kb.py)."""
    return build_minimal_kb(tmp_path / "kb")


EVIL_SOURCE = """  - file: evil.txt
    outlet: {zh: 某报, en: Some paper}
    topic: {zh: 某事, en: something}
    published: "2025"
    date_basis: stated
    script: simplified
"""


def _declare_evil_source(kb: Path) -> None:
    with (kb / SOURCES).open("a", encoding="utf-8") as out:
        out.write(EVIL_SOURCE)


def test_a_seed_linked_to_a_file_outside_the_knowledge_base_is_refused(kb: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the secret line\n", encoding="utf-8")
    (kb / "seeds" / "evil.txt").symlink_to(secret)
    _declare_evil_source(kb)
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    line = next(x for x in done.stderr.splitlines() if "evil.txt" in x)
    assert line.startswith("data/sources.yaml:")
    assert "symbolic link" in line and "outside the knowledge base" in line
    built = run_cli("build", "--out", str(tmp_path / "site"), kb=kb, cwd=tmp_path, timeout=120)
    assert built.returncode == 1
    assert not (tmp_path / "site").exists() or not any(
        "the secret line" in p.read_text(errors="replace") for p in (tmp_path / "site").rglob("*") if p.is_file()
    )


def test_a_data_file_linked_outside_is_refused_and_a_link_inside_is_read(kb: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    shutil.copyfile(kb / XINGHAI, outside)
    (kb / XINGHAI).unlink()
    (kb / XINGHAI).symlink_to(outside)
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert f"{XINGHAI}:1:1: refused: it is a symbolic link to {outside.resolve()}" in done.stderr

    inside = kb / "data" / "xinghai-master.yaml"
    shutil.copyfile(outside, inside)
    (kb / XINGHAI).unlink()
    (kb / XINGHAI).symlink_to(os.path.relpath(inside, (kb / XINGHAI).parent))
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_fifo_among_the_data_files_does_not_hang_check_or_a_query(kb: Path, tmp_path: Path) -> None:
    os.mkfifo(kb / "data" / "cities" / "zz.yaml")
    for command in (["check"], ["vouchers", "--format", "json"]):
        done = run_cli(*command, kb=kb, cwd=tmp_path, timeout=60)
        assert done.returncode == 1
        assert "data/cities/zz.yaml:1:1: refused: it is a FIFO (named pipe), not a regular file" in done.stderr


def test_a_fifo_or_a_folder_in_place_of_a_seed_is_refused(kb: Path, tmp_path: Path) -> None:
    os.mkfifo(kb / "seeds" / "evil.txt")
    _declare_evil_source(kb)
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=60)
    assert done.returncode == 1
    assert "seeds/evil.txt is refused: it is a FIFO (named pipe), not a regular file" in done.stderr

    (kb / "seeds" / "evil.txt").unlink()
    (kb / "seeds" / "evil.txt").mkdir()
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=60)
    assert "seeds/evil.txt is refused: it is a folder, not a regular file" in done.stderr


def test_a_data_folder_that_is_itself_a_link_is_followed(kb: Path, tmp_path: Path) -> None:
    """A user who keeps data/ elsewhere and links it in chose that place: its files are read."""
    moved = tmp_path / "data-elsewhere"
    shutil.move(kb / "data", moved)
    (kb / "data").symlink_to(moved)
    done = run_cli("check", kb=kb, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
