"""Finding a place from what a person types: the exact id first, then names and aliases, then pinyin,
then typos; each step only when the one before found nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SHENZHEN
from helpers import citypolicy

from citypolicy.ask.resolve import Ambiguous, place_keys_index, resolve_place
from citypolicy.load.loader import KnowledgeBase, load

# A district whose id is `hesha`, and two other districts that both call themselves "hesha" (an alias).
HESHA = """\
  - id: hesha
    level: district
    parent: shenzhen
    name: {zh: 河沙区, en: Hesha District}
    aliases: [河沙]
    sources:
      - document: 003_75256af910aee7c0.txt
        quote: 深圳市50%—60%的人工智慧企業集聚在南山區
"""


def _with_hesha(kb: Path) -> Path:
    path = kb / SHENZHEN
    text = path.read_text(encoding="utf-8")
    text = text.replace("aliases: [福田, Futian]", "aliases: [福田, Futian, hesha]")
    text = text.replace("aliases: [光明, Guangming]", "aliases: [光明, Guangming, hesha]")
    text = text.replace("\npolicies:", HESHA + "\npolicies:", 1)
    path.write_text(text, encoding="utf-8")
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
    # Futian and Guangming both have the alias "hesha"; without a place of that id it names neither.
    kb = make_kb("other")
    path = kb / SHENZHEN
    text = path.read_text(encoding="utf-8")
    text = text.replace("aliases: [福田, Futian]", "aliases: [福田, Futian, hesha]")
    text = text.replace("aliases: [光明, Guangming]", "aliases: [光明, Guangming, hesha]")
    path.write_text(text, encoding="utf-8")
    knowledge, problems = load(kb)
    assert problems == []
    with pytest.raises(Ambiguous) as raised:
        resolve_place(knowledge, "hesha")
    assert "futian" in str(raised.value) and "guangming" in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "place"),
    [("深圳", "shenzhen"), ("深圳市", "shenzhen"), ("Nanshan District", "nanshan"), ("福田", "futian")],
)
def test_names_resolve_without_computing_pinyin(hesha_kb: KnowledgeBase, typed: str, place: str) -> None:
    assert resolve_place(hesha_kb, typed).id == place
    assert "place_pinyin_keys" not in vars(hesha_kb)  # pinyin is computed only when names do not match


def test_pinyin_resolves_and_is_kept_on_the_knowledge_base(hesha_kb: KnowledgeBase) -> None:
    assert resolve_place(hesha_kb, "ft").id == "futian"
    assert resolve_place(hesha_kb, "gm").id == "guangming"
    kept = vars(hesha_kb)["place_pinyin_keys"]
    assert kept["shenzhen"] == ("shenzhen", "sz") and kept["hesha"] == ("hesha", "hs")
    assert place_keys_index(hesha_kb) is kept  # computed once


def test_typos_still_resolve(hesha_kb: KnowledgeBase) -> None:
    assert resolve_place(hesha_kb, "Shenzen").id == "shenzhen"
