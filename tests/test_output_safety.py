"""No command destroys what it did not write: `build --out`, the cache folder, `export -o`, `report -o`.

Each test reproduces a way a user's files were lost or damaged, through the real CLI.
"""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import PROJECT, citypolicy, cli_env, copy_kb

from citypolicy.publish.sitefolder import remove_site


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _users_folder(folder: Path) -> dict[str, bytes]:
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "notes.txt").write_text("my notes\n")
    (folder / "photos").mkdir()
    (folder / "photos" / "cat.jpg").write_bytes(b"\xff\xd8\xff jpeg")
    return _files(folder)


# --------------------------------------------------------------------------- build --out


def test_build_refuses_a_folder_it_did_not_write(kb: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    before = _users_folder(mine)
    done = citypolicy("build", "--out", str(mine), kb=kb, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "holds files that citypolicy did not write" in done.stderr
    assert "Traceback" not in done.stderr
    assert _files(mine) == before


@pytest.mark.parametrize("out", [".", "data", "seeds", "data/cities", "seeds/site", ".."])
def test_build_never_touches_the_knowledge_base(kb: Path, out: str) -> None:
    before = _files(kb)
    done = citypolicy("build", "--out", out, kb=kb, cwd=kb)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "knowledge base's" in done.stderr
    assert "internal error" not in done.stderr
    assert _files(kb) == before


def test_build_refuses_a_file_and_a_symlink(kb: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "report.pdf"
    a_file.write_bytes(b"%PDF")
    done = citypolicy("build", "--out", str(a_file), kb=kb, cwd=tmp_path)
    assert done.returncode == 2 and "is a file" in done.stderr
    assert a_file.read_bytes() == b"%PDF"
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    done = citypolicy("build", "--out", str(link), kb=kb, cwd=tmp_path)
    assert done.returncode == 2 and "symbolic link" in done.stderr
    assert link.is_symlink() and list(real.iterdir()) == []


def test_build_fills_an_empty_folder_and_replaces_its_own_site(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    assert citypolicy("build", "--out", str(out), kb=kb, cwd=tmp_path).returncode == 0
    assert (out / ".citypolicy-site").is_file() and (out / "places" / "xinghai.html").is_file()
    other = copy_kb(PROJECT / "tests" / "fixtures" / "vouchers_kb", tmp_path / "other")
    assert citypolicy("build", "--out", str(out), kb=other, cwd=tmp_path).returncode == 0
    assert (out / "places" / "nancheng.html").is_file()
    assert not (out / "places" / "xinghai.html").exists()  # a page only the older build wrote
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "other", "site"]


def _add_to_site(out: Path) -> dict[str, bytes]:
    """What a user deploying the site adds to it: a git repository, a CNAME, a note among the pages."""
    (out / ".git" / "refs").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "CNAME").write_text("policy.example.org\n")
    (out / "places" / "my-notes.txt").write_text("ask about Pazhou\n")
    return {name: data for name, data in _files(out).items() if name.startswith((".git/", "CNAME", "places/my-"))}


def test_a_rebuild_keeps_what_the_user_added_to_the_site(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert citypolicy("build", "--out", str(out), kb=kb, cwd=tmp_path).returncode == 0
    added = _add_to_site(out)
    (out / "index.html").write_text("edited by hand")  # the build's own page: replaced
    for _ in range(2):
        assert citypolicy("build", "--out", str(out), kb=kb, cwd=tmp_path).returncode == 0
        assert {name: _files(out)[name] for name in added} == added
        assert (out / ".git" / "refs").is_dir()
        assert "<html" in (out / "index.html").read_text(encoding="utf-8")
    listed = (out / ".citypolicy-site").read_text(encoding="utf-8").splitlines()
    assert "index.html" in listed and "places/" in listed
    assert "CNAME" not in listed and ".git/" not in listed and "places/my-notes.txt" not in listed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "site"]


def test_a_user_file_where_the_new_site_writes_a_page_is_refused(kb: Path, tmp_path: Path) -> None:
    other = copy_kb(PROJECT / "tests" / "fixtures" / "vouchers_kb", tmp_path / "other")
    out = tmp_path / "site"
    assert citypolicy("build", "--out", str(out), kb=other, cwd=tmp_path).returncode == 0
    (out / "places" / "xinghai.html").write_text("my own page")
    before = _files(out)
    done = citypolicy("build", "--out", str(out), kb=kb, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "places/xinghai.html was not written by citypolicy" in done.stderr
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "other", "site"]


def test_removing_a_built_site_leaves_what_its_build_did_not_write(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert citypolicy("build", "--out", str(out), kb=kb, cwd=tmp_path).returncode == 0
    added = _add_to_site(out)
    remove_site(out)  # as the next build does with a site a killed build left aside
    assert _files(out) == added
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()) == [
        ".git",
        ".git/refs",
        "places",
    ]


def test_a_site_left_aside_by_a_killed_build_is_put_back_and_dead_staging_removed(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert citypolicy("build", "--out", str(out), kb=kb, cwd=tmp_path).returncode == 0
    # A build killed between its two renames: the old site aside, no site/; and a dead build's staging.
    os.rename(out, tmp_path / ".site.old-99999")
    dead = tmp_path / ".site.building-abc123"
    dead.mkdir()
    (dead / ".citypolicy-site").write_text("")
    (dead / "index.html").write_text("half")
    (tmp_path / ".site.building-empty").mkdir()  # killed right after it was created
    foreign = tmp_path / ".site.building-mine"  # not ours: no marker, not empty
    foreign.mkdir()
    (foreign / "keep.txt").write_text("keep")
    broken = kb / "data" / "cities" / "xinghai.yaml"
    text = broken.read_text(encoding="utf-8")
    assert text.count("    rate: 50%\n") == 1
    broken.write_text(text.replace("    rate: 50%\n", "    rate: 150%\n"), encoding="utf-8")
    done = citypolicy("build", "--out", str(out), kb=kb, cwd=tmp_path)
    assert done.returncode == 1  # the data is invalid: no new site, but the old one is back
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.building-mine", "kb", "site"]
    assert (foreign / "keep.txt").read_text() == "keep"


def _start_build(kb: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "citypolicy", "build", "--out", str(out), "--kb", str(kb)],
        cwd=out.parent,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_builds_killed_at_random_moments_never_lose_the_site(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert citypolicy("build", "--out", str(out), kb=kb, cwd=tmp_path).returncode == 0
    chance = random.Random(7)
    for _ in range(8):
        process = _start_build(kb, out)
        time.sleep(chance.uniform(0.05, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert (out / "index.html").is_file(), "a killed build left no site"
    assert citypolicy("build", "--out", str(out), kb=kb, cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "site"]


def test_two_builds_racing_into_one_folder_both_succeed(kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first, second = _start_build(kb, out), _start_build(kb, out)
    for process in (first, second):
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors.decode()
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "site"]


# --------------------------------------------------------------------------- the cache folder


def test_the_cache_never_deletes_files_it_did_not_write(kb: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mycache"
    folder.mkdir()
    month_ago = time.time() - 30 * 24 * 3600
    for name in ("notes.txt", "report.pdf", "archive.tar.gz", "data.pickle"):
        (folder / name).write_text(name)
        os.utime(folder / name, (month_ago, month_ago))
    env = {**cli_env(), "CITYPOLICY_CACHE": str(folder)}
    done = subprocess.run(
        [sys.executable, "-m", "citypolicy", "vouchers", "--format", "json", "--kb", str(kb)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for name in ("notes.txt", "report.pdf", "archive.tar.gz", "data.pickle"):
        assert (folder / name).read_text() == name


# --------------------------------------------------------------------------- export -o, report -o


def test_export_keeps_the_mode_of_the_file_it_replaces(kb: Path, tmp_path: Path) -> None:
    target = tmp_path / "facts.csv"
    target.write_text("old")
    target.chmod(0o600)
    assert citypolicy("export", "--format", "csv", "-o", str(target), kb=kb, cwd=tmp_path).returncode == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("id,")


def test_export_refuses_a_read_only_file_unless_forced(kb: Path, tmp_path: Path) -> None:
    target = tmp_path / "kb.json"
    target.write_text("keep me")
    target.chmod(0o444)
    done = citypolicy("export", "-o", str(target), kb=kb, cwd=tmp_path)
    assert done.returncode == 2 and "is read-only" in done.stderr and "--force" in done.stderr
    assert target.read_text() == "keep me"
    done = citypolicy("export", "-o", str(target), "--force", kb=kb, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8").startswith("{")
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


def test_report_refuses_a_symlink_and_leaves_both_ends_alone(kb: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("mine")
    link = tmp_path / "report.md"
    link.symlink_to(real)
    done = citypolicy("report", "vouchers", "-o", str(link), kb=kb, cwd=tmp_path)
    assert done.returncode == 2 and "symbolic link" in done.stderr
    assert link.is_symlink() and real.read_text() == "mine"


def test_export_refuses_a_fifo_without_hanging(kb: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = citypolicy("export", "--format", "sqlite", "-o", str(fifo), kb=kb, cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and "FIFO" in done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def _special_file(path: Path) -> str:
    """A device node (a copy of /dev/null's) where the system allows it, else a Unix socket."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        return "device"
    except PermissionError:
        import socket

        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
        return "socket"


def test_export_refuses_a_device(kb: Path, tmp_path: Path) -> None:
    node = tmp_path / "null"
    kind = _special_file(node)
    done = citypolicy("export", "--format", "csv", "-o", str(node), kb=kb, cwd=tmp_path)
    assert done.returncode == 2 and f"is a {kind}" in done.stderr
    assert not stat.S_ISREG(node.lstat().st_mode)


def test_an_output_under_a_file_says_it_is_a_file(kb: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    done = citypolicy("export", "-o", str(tmp_path / "file" / "x.json"), kb=kb, cwd=tmp_path)
    assert done.returncode == 2
    assert f"{tmp_path / 'file'} is a file, not a folder" in done.stderr
    assert "File exists" not in done.stderr and (tmp_path / "file").read_text() == "x"


@pytest.mark.parametrize(
    ("command", "target"),
    [
        (("export", "--format", "csv"), "data/cities/nancheng.yaml"),
        (("export", "--format", "json"), "data/new.json"),
        (("export", "--format", "sqlite"), "seeds/kb.sqlite"),
        (("report", "vouchers"), "seeds/000_report.md"),
        (("export", "--format", "datapackage"), "data"),
    ],
)
def test_exports_and_reports_never_write_into_data_or_seeds_even_forced(
    kb: Path, command: tuple[str, ...], target: str
) -> None:
    before = _files(kb)
    for force in ((), ("--force",)):
        done = citypolicy(*command, "-o", target, *force, kb=kb, cwd=kb)
        assert done.returncode == 2, done.stdout + done.stderr
        folder = target.split("/")[0]
        assert f"is inside the knowledge base's {folder}/: write it elsewhere" in done.stderr
        assert _files(kb) == before


def test_a_full_disk_under_sqlite_is_a_disk_full_error_not_an_internal_one(tmp_path: Path) -> None:
    import sqlite3

    from citypolicy.cli.common import UserError, writing

    def fill() -> None:  # sqlite3 reports a full disk as its own error, with no errno
        database = sqlite3.connect(tmp_path / "out.sqlite")
        database.execute("PRAGMA max_page_count = 2")
        database.execute("CREATE TABLE facts (quote TEXT)")
        database.executemany("INSERT INTO facts VALUES (?)", [("引文" * 500,)] * 50)

    with pytest.raises(UserError, match=r"^cannot write .*out\.sqlite: disk full$"):
        writing(tmp_path / "out.sqlite", fill)

    def bug() -> None:
        sqlite3.connect(":memory:").execute("SELECT * FROM no_such_table")

    with pytest.raises(sqlite3.OperationalError):  # the tool's own bug stays an internal error
        writing(tmp_path / "out.sqlite", bug)
