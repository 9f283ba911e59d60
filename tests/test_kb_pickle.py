"""A validated knowledge base survives pickling (the cache stores it that way): every vocabulary
enum is found again by name, and the records read back equal the ones written."""

from __future__ import annotations

import pickle

from helpers import PROJECT

from citypolicy.load.loader import load
from citypolicy.schema.glossary import VOCABULARIES

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"


def test_every_vocabulary_enum_pickles_by_name() -> None:
    for vocabulary in VOCABULARIES:
        member = next(iter(vocabulary.enum))
        assert pickle.loads(pickle.dumps(member)) is member


def test_a_loaded_knowledge_base_round_trips() -> None:
    kb, problems = load(FIXTURE)
    assert problems == []
    back = pickle.loads(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
    assert list(back.records()) == list(kb.records())
    assert back.instruments["zhangzhou-compute-voucher"].kind is kb.instruments["zhangzhou-compute-voucher"].kind
