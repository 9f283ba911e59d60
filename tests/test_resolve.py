"""Finding a place from what a person types: the exact id first, then names and aliases, then pinyin,
then typos; each step only when the one before found nothing. On the fixture knowledge base: 星海 (xinghai)
with its district 海湾区 (haiwan) and zone 科创岛 (kedao), plus a district `hesha` the tests add."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import citypolicy

from citypolicy.ask.resolve import Ambiguous, place_keys_index, resolve_place
from citypolicy.load.loader import KnowledgeBase, load

XINGHAI = "data/cities/xinghai.yaml"

# A district whose id is `hesha`, and two other places (Haiwan, Kedao) that both call themselves "hesha" (an alias).
HESHA = """\
  - id: hesha
    level: district
    parent: xinghai
    name: {zh: 河沙区, en: Hesha District}
    aliases: [河沙]
    sources:
      - document: fixture_a_xinghai.txt
        quote: 星海市位于岭东省东部沿海
"""


def _shared_alias(kb: Path) -> Path:
    path = kb / XINGHAI
    text = path.read_text(encoding="utf-8")
    for old, new in [
        ("aliases: [海湾, Haiwan]", "aliases: [海湾, Haiwan, hesha]"),
        ("aliases: [Kedao]", "aliases: [Kedao, hesha]"),
    ]:
        assert text.count(old) == 1
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return kb


def _with_hesha(kb: Path) -> Path:
    path = _shared_alias(kb) / XINGHAI
    text = path.read_text(encoding="utf-8")
    assert text.count("\npolicies:") == 1
    path.write_text(text.replace("\npolicies:", HESHA + "\npolicies:"), encoding="utf-8")
    return kb


@pytest.fixture
def hesha_kb(make_kb: Callable[[str], Path]) -> KnowledgeBase:
    knowledge, problems = load(_with_hesha(make_kb("kb")))
    assert problems == []
    return knowledge


def test_an_exact_id_is_never_ambiguous(hesha_kb: KnowledgeBase) -> None:
    assert resolve_place(hesha_kb, "hesha").id == "hesha"
    assert resolve_place(hesha_kb, "Hesha").id == "hesha"


def test_show_hesha_through_the_cli(make_kb: Callable[[str], Path]) -> None:
    kb = _with_hesha(make_kb("kb"))
    done = citypolicy("show", "hesha", "--format", "json", kb=kb)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["place"]["id"] == "hesha"


def test_a_shared_alias_is_still_ambiguous(hesha_kb: KnowledgeBase, make_kb: Callable[[str], Path]) -> None:
    # Haiwan and Kedao both have the alias "hesha"; without a place of that id it names neither.
    knowledge, problems = load(_shared_alias(make_kb("other")))
    assert problems == []
    with pytest.raises(Ambiguous) as raised:
        resolve_place(knowledge, "hesha")
    assert "haiwan" in str(raised.value) and "kedao" in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "place"),
    [("星海", "xinghai"), ("星海市", "xinghai"), ("Haiwan District", "haiwan"), ("海湾", "haiwan")],
)
def test_names_resolve_without_computing_pinyin(hesha_kb: KnowledgeBase, typed: str, place: str) -> None:
    assert resolve_place(hesha_kb, typed).id == place
    assert "place_pinyin_keys" not in vars(hesha_kb)  # pinyin is computed only when names do not match


def test_pinyin_resolves_and_is_kept_on_the_knowledge_base(hesha_kb: KnowledgeBase) -> None:
    assert resolve_place(hesha_kb, "hw").id == "haiwan"
    assert resolve_place(hesha_kb, "kcd").id == "kedao"
    kept = vars(hesha_kb)["place_pinyin_keys"]
    assert kept["xinghai"] == ("xinghai", "xh") and kept["hesha"] == ("hesha", "hs")
    assert place_keys_index(hesha_kb) is kept  # computed once


def test_typos_still_resolve(hesha_kb: KnowledgeBase) -> None:
    assert resolve_place(hesha_kb, "Xinhgai").id == "xinghai"
