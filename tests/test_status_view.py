"""Time on a place page, computed (publish/status_view.py): a voucher whose yearly pool rose from
1亿 to 2.5亿 in 2025 (the calculator's fixture) shows its terms over time and what changed as of any
day, and each status becomes the badge that says it."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import PROJECT

from citypolicy.ask.timeline import Status, StatusAt
from citypolicy.ask.timeline import status as status_of
from citypolicy.load.loader import load
from citypolicy.publish.status_view import badge, change_notes, terms_history

FIXTURE = PROJECT / "tests" / "fixtures" / "vouchers_kb"


@pytest.fixture(scope="module")
def voucher():  # type: ignore[no-untyped-def]
    kb, problems = load(FIXTURE)
    assert problems == []
    return kb.instruments["zhangzhou-compute-voucher"]


def _states(entries) -> list[tuple[str, str, list[str]]]:  # type: ignore[no-untyped-def]
    return [(str(e.when), e.state, [t.field for t in e.terms]) for e in entries]


def test_terms_over_time_as_of_a_day(voucher) -> None:  # type: ignore[no-untyped-def]
    first = ("None", "current", ["tiers", "cap", "pool", "beneficiaries"])
    assert _states(terms_history(voucher, date(2024, 12, 31))) == [first, ("2025", "later", ["pool"])]
    after = _states(terms_history(voucher, date(2025, 6, 30)))
    assert after == [("None", "earlier", first[2]), ("2025", "current", ["pool"])]
    ended = _states(terms_history(voucher, date(2026, 1, 1), in_force=False))
    assert ended == [("None", "earlier", first[2]), ("2025", "latest", ["pool"])]
    entries = terms_history(voucher, date(2026, 1, 1))
    assert entries[1].terms[0].value is voucher.changes[0].pool  # the record's own figure, for its link
    assert entries[1].citations == voucher.changes[0].sources


def test_what_changed_as_of_a_day(voucher) -> None:  # type: ignore[no-untyped-def]
    assert change_notes(voucher, date(2024, 12, 31)) == [("pool to change in 2025", "2025年起资金规模将调整")]
    assert change_notes(voucher, date(2025, 6, 30)) == [
        (
            "pool changed from ¥100m a year to ¥250m a year in 2025",
            "资金规模自2025年起由1亿元（每年）调整为2.5亿元（每年）",
        ),
        (
            "the exact day in 2025 is not stated: on 30 Jun 2025 the earlier terms may still have applied",
            "来源未说明2025年的具体日期：2025年6月30日时可能仍适用此前条款",
        ),
    ]
    assert len(change_notes(voucher, date(2026, 1, 1))) == 1


@pytest.mark.parametrize(
    ("status", "end_stated", "key", "reason"),
    [
        (Status.IN_FORCE, True, "status.in_force", ("since 2025", "自2025年起")),
        (Status.IN_FORCE, False, "status.in_force_no_end", ("since 2025", "自2025年起")),
        (Status.EXPIRED, True, "status.expired", ("since 2025", "自2025年起")),
        (Status.UNKNOWN, False, "status.unknown", ("since 2025", "自2025年起")),
        (Status.NOT_APPLICABLE, True, "status.not_applicable", None),
    ],
)
def test_each_status_has_its_badge(status: Status, end_stated: bool, key: str, reason: object) -> None:
    found = badge(StatusAt(status, date(2026, 1, 1), "since 2025", "自2025年起", end_stated))
    assert (found.status, found.key, found.reason) == (status.value, key, reason)


@pytest.mark.parametrize(
    ("record", "day", "status", "reason_en", "reason_zh"),
    [
        ("nancheng-training-voucher", date(2023, 1, 1), Status.NOT_YET, "takes effect 2024", "2024年生效"),
        (
            "nancheng-training-voucher",
            date(2024, 6, 15),
            Status.UNKNOWN,
            "took effect in 2024; whether by 15 Jun 2024 is not stated",
            "于2024年生效，2024年6月15日是否已生效来源未说明",
        ),
        ("nancheng-training-voucher", date(2025, 3, 1), Status.IN_FORCE, "since 2024", "自2024年起"),
        ("donghu-compute-subsidy", date(2025, 3, 1), Status.UNKNOWN, "when it took effect is not stated", None),
    ],
)
def test_a_status_says_why_with_dates_as_a_reader_writes_them(
    record: str, day: date, status: Status, reason_en: str, reason_zh: str | None
) -> None:
    kb, problems = load(FIXTURE)
    assert problems == []
    found = status_of(kb, kb.instruments[record], day)
    assert (found.status, found.reason_en) == (status, reason_en)
    if reason_zh is not None:
        assert found.reason_zh == reason_zh
