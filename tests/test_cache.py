"""The cache can be neither poisoned nor stale, and answers never depend on it (issue 14, items 5–9;
issue 15, goals 1 and 5).

Reported: a planted entry ran as the victim, a 9-byte entry made every query fail, bit flips gave
wrong text, a same-size edit with its mtime restored was not noticed, a FIFO at an entry's path hung
every command, and every edit wrote a whole new entry beside the old ones.
"""

from __future__ import annotations

import os
import pickle
import random
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from minimal_kb import XINGHAI, build_minimal_kb, run_cli

from citypolicy.load import cache, cachefolder, loader
from citypolicy.publish.export import export_chunks


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A copy of the fixture knowledge base (see minimal_kb.py)."""
    return build_minimal_kb(tmp_path / "kb")


@pytest.fixture
def make_kb(tmp_path: Path) -> Callable[[str], Path]:
    return lambda name: build_minimal_kb(tmp_path / name)


QUERIES = [
    ["vouchers", "--format", "json"],
    ["vouchers", "--format", "csv"],
    ["targets", "--format", "markdown"],
    ["show", "xinghai", "--format", "json"],
    ["show", "haiwan"],
    ["search", "训练券", "--format", "json"],
]


def _run(kb: Path, cwd: Path, setting: str, *args: str) -> tuple[int, str, str]:
    done = run_cli(*args, kb=kb, cwd=cwd, cache=setting)
    return done.returncode, done.stdout, done.stderr


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace text keeping the file's size and restoring its timestamps (as `touch -r` does)."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


# --------------------------------------------------------------------------- answers never depend on it


def test_answers_are_identical_with_the_cache_off_cold_warm_and_after_an_edit(kb: Path, tmp_path: Path) -> None:
    folder = str(tmp_path / "cache")
    for edit in (False, True):
        if edit:
            _same_size_edit(kb / XINGHAI, "en: Haiwan District", "en: Haiwan Distrikt")
        for query in QUERIES:
            off = _run(kb, tmp_path, "0", *query)
            assert off[0] == 0, off[2]
            if query[:2] == ["show", "haiwan"]:
                assert ("Distrikt" in off[1]) == edit
            first = _run(kb, tmp_path, folder, *query)  # cold before the edit, stale entry after it
            second = _run(kb, tmp_path, folder, *query)  # warm
            assert first == off, query
            assert second == off, query


def test_a_same_size_edit_with_its_mtime_restored_is_noticed(kb: Path, tmp_path: Path) -> None:
    folder = str(tmp_path / "cache")
    assert _run(kb, tmp_path, folder, "show", "xinghai", "--format", "json")[0] == 0
    _same_size_edit(kb / XINGHAI, "level: district", "level: distrikt")  # now invalid
    code, out, err = _run(kb, tmp_path, folder, "show", "xinghai", "--format", "json")
    assert code == 1 and out == ""
    assert "jurisdictions[1].level: 'distrikt' is not a level of place; did you mean district (区)?" in err
    assert _run(kb, tmp_path, folder, "vouchers")[0] == 1
    assert _run(kb, tmp_path, "0", "check")[2] == err.replace("error: ", "")


def test_check_never_uses_the_cache(kb: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    done = _run(kb, tmp_path, str(folder), "check")
    assert done[0] == 0
    assert not folder.exists()


# --------------------------------------------------------------------------- in-process: the loading itself


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CITYPOLICY_CACHE", str(folder))
    return folder


def _export(root: Path, load: Callable[[Path], tuple[loader.KnowledgeBase, list]]) -> tuple[str, list[str]]:
    knowledge, problems = load(root)
    return "".join(export_chunks(knowledge)), [p.render() for p in problems]


def _counting_validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    validated: list[str] = []
    real = loader._read_model

    def counting(root, relative, model, invalid=None, raw=None):  # type: ignore[no-untyped-def]
        validated.append(relative)
        return real(root, relative, model, invalid, raw)

    monkeypatch.setattr(loader, "_read_model", counting)
    return validated


def test_a_warm_load_reads_the_entry_and_validates_nothing(kb: Path, cache_dir: Path, monkeypatch) -> None:
    fresh = _export(kb, loader.load)
    assert _export(kb, cache.load_cached) == fresh  # cold: written
    validated = _counting_validations(monkeypatch)
    monkeypatch.setattr(loader, "load", lambda *a, **k: pytest.fail("a warm load must not load"))
    assert _export(kb, cache.load_cached) == fresh
    assert validated == []


def test_after_an_edit_only_the_edited_file_is_validated_again(kb: Path, cache_dir: Path, monkeypatch) -> None:
    cache.load_cached(kb)
    _same_size_edit(kb / XINGHAI, "en: Haiwan District", "en: Haiwan Distrikt")
    validated = _counting_validations(monkeypatch)
    assert _export(kb, cache.load_cached) == _export(kb, loader.load)
    assert validated[0] == XINGHAI
    assert validated.count(XINGHAI) == 2  # once from the cache's reader, once by the fresh load
    # the fresh load validates its six files: the sources registry, four places and the ignore list
    assert len(validated) == 1 + 6, validated


def test_a_broken_file_is_cached_with_its_problems_and_fixing_it_is_incremental(
    kb: Path, cache_dir: Path, monkeypatch
) -> None:
    original = (kb / XINGHAI).read_text(encoding="utf-8")
    (kb / XINGHAI).write_text(original.replace("level: district", "level: distrikt", 1), encoding="utf-8")
    broken = _export(kb, loader.load)
    assert broken[1] and _export(kb, cache.load_cached) == broken
    assert _export(kb, cache.load_cached) == broken  # problems read back as they were
    (kb / XINGHAI).write_text(original, encoding="utf-8")
    validated = _counting_validations(monkeypatch)
    assert _export(kb, cache.load_cached)[1] == []
    assert validated == [XINGHAI]


def test_one_entry_per_knowledge_base_and_answers_of_old_inputs_go(kb: Path, cache_dir: Path) -> None:
    for name in ("Haiwan Distrikt", "Haiwan Distrift", "Haiwan Distriss"):
        cache.load_cached(kb)
        key = cache.answer_key(kb, ["show", "haiwan"], "json:False")
        cache.remember(key, f"answer for {name}")
        assert cache.recall(key) == f"answer for {name}"
        text = (kb / XINGHAI).read_text(encoding="utf-8")
        current = next(n for n in ("Haiwan District", "Haiwan Distrikt", "Haiwan Distrift") if n in text)
        (kb / XINGHAI).write_text(text.replace(current, name, 1), encoding="utf-8")
    cache.load_cached(kb)
    names = sorted(p.name for p in cache_dir.iterdir())
    assert len([n for n in names if n.endswith(".entry")]) == 1
    assert [n for n in names if n.endswith(".answer")] == []  # all three were answers to older inputs


def test_the_cache_keeps_a_bounded_total_size(make_kb, cache_dir: Path, monkeypatch) -> None:
    roots = [make_kb(f"kb{n}") for n in range(3)]
    cache.load_cached(roots[0])
    entry = next(cache_dir.glob("*.entry")).stat().st_size
    monkeypatch.setattr(cachefolder, "MAX_BYTES", int(entry * 2.5))
    for root in roots[1:]:
        cache.load_cached(root)
    entries = sorted(cache_dir.glob("*.entry"))
    assert len(entries) == 2  # the least recently used went
    assert f"kb-{cache._kb_id(roots[0])}.entry" not in {p.name for p in entries}
    assert sum(p.stat().st_size for p in cache_dir.iterdir()) <= int(entry * 2.5)


# --------------------------------------------------------------------------- poisoning and corruption


class _Plant:
    """A pickle that, if ever unpickled, leaves a marker file behind."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


def test_planted_entries_and_answers_are_never_run_or_printed(kb: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    query = ["vouchers", "--format", "json"]
    expected = _run(kb, tmp_path, "0", *query)
    assert _run(kb, tmp_path, str(folder), *query) == expected
    marker = tmp_path / "pwned"
    planted = pickle.dumps(_Plant(marker))
    for own in [p for p in folder.iterdir() if not p.name.startswith(".")]:
        sealed = own.read_bytes()
        magic = cachefolder.MAGIC
        # a bare pickle; and one behind a well-formed header whose MAC was made without the secret
        for forged in (planted, sealed[: len(magic) + 36] + planted, sealed.replace(b"Xinghai", b"Xinghax")):
            own.write_bytes(forged)
            assert _run(kb, tmp_path, str(folder), *query) == expected
            assert not marker.exists()
    (folder / ("0" * 64 + ".pickle")).write_bytes(planted)  # the name the previous format used
    assert _run(kb, tmp_path, str(folder), *query) == expected
    assert not marker.exists()


@pytest.mark.parametrize("setting", ["writable", "foreign"])
def test_a_folder_others_can_write_into_is_not_used_and_said_once(
    kb: Path, cache_dir: Path, monkeypatch, capsys, setting: str
) -> None:
    cache_dir.mkdir()
    if setting == "writable":
        cache_dir.chmod(0o777)
    else:
        monkeypatch.setattr(os, "geteuid", lambda: os.stat(cache_dir).st_uid + 1)
    monkeypatch.setattr(cachefolder, "_warned", set())
    fresh = _export(kb, loader.load)
    assert _export(kb, cache.load_cached) == fresh
    assert _export(kb, cache.load_cached) == fresh
    assert list(cache_dir.iterdir()) == []
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"{cache_dir}: not used as a cache: ")
    assert ("other users may write into it" in err[0]) == (setting == "writable")
    assert ("belongs to another user" in err[0]) == (setting == "foreign")


def test_a_shared_sticky_cache_home_is_refused_through_the_cli(kb: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "citypolicy").mkdir()
    (shared / "citypolicy").chmod(0o1777)  # as another user (or umask 000) would have left it
    done = run_cli(
        "vouchers", "--format", "json", kb=kb, cwd=tmp_path, cache=None, extra={"XDG_CACHE_HOME": str(shared)}
    )
    assert done.returncode == 0
    assert done.stderr.count("not used as a cache") == 1
    assert list((shared / "citypolicy").iterdir()) == []


def test_a_cache_made_under_umask_000_is_private(kb: Path, tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "cache"
    done = run_cli("vouchers", "--format", "json", kb=kb, cwd=tmp_path, cache=folder, umask=0)
    assert done.returncode == 0 and done.stderr == ""
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}


def test_corrupt_truncated_and_bit_flipped_entries_are_rebuilt(kb: Path, cache_dir: Path) -> None:
    fresh = _export(kb, loader.load)
    cache.load_cached(kb)
    entry = next(cache_dir.glob("*.entry"))
    good = entry.read_bytes()
    rng = random.Random(14)
    damaged = [b"", b"\x80\x04garbage", good[:9], good[: len(good) // 2], good[:-1], good + b"\0"]
    for _ in range(40):
        flipped = bytearray(good)
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        damaged.append(bytes(flipped))
    for content in damaged:
        entry.write_bytes(content)
        assert _export(kb, cache.load_cached) == fresh
        assert entry.read_bytes() != content or content == good  # rebuilt and rewritten


def test_a_fifo_in_place_of_an_entry_an_answer_or_the_secret_hangs_nothing(kb: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    query = ["vouchers", "--format", "json"]
    expected = _run(kb, tmp_path, "0", *query)
    assert _run(kb, tmp_path, str(folder), *query) == expected
    for own in sorted(folder.iterdir()):
        own.unlink()
        os.mkfifo(own)
        assert _run(kb, tmp_path, str(folder), *query) == expected
        assert _run(kb, tmp_path, str(folder), "show", "haiwan") == _run(kb, tmp_path, "0", "show", "haiwan")


def test_the_cache_never_unpickles_anything_but_its_own_classes(kb: Path, cache_dir: Path) -> None:
    """Behind the HMAC, a second wall: a correctly sealed entry holding a foreign callable is refused."""
    folder = cachefolder.private_folder()
    assert folder is not None
    marker = cache_dir.parent / "pwned"
    inputs = cache.read_inputs(kb)
    name = f"kb-{cache._kb_id(kb)}.entry"
    assert cachefolder.write_sealed(folder, name, cache._header(inputs), pickle.dumps(_Plant(marker)))
    assert _export(kb, cache.load_cached) == _export(kb, loader.load)
    assert not marker.exists()


def test_any_file_under_data_or_seeds_is_part_of_the_key(kb: Path) -> None:
    """The loader also lists files (drafts, seeds nobody cites): any file there changes the key."""
    before = cache.fingerprint(kb)
    for added in ("data/cities/draft.yml", "seeds/notes.md", "data/cases/x.yaml"):
        (kb / added).parent.mkdir(exist_ok=True)
        (kb / added).write_text("x", encoding="utf-8")
        assert cache.fingerprint(kb) != before, added
        before = cache.fingerprint(kb)
    (kb / "seeds" / "notes.md").write_text("y", encoding="utf-8")  # same size, new content
    assert cache.fingerprint(kb) != before
