"""`vouchers` answers with the terms in force on --as-of, and lists every kind of voucher (issues 10
and 11), on the fixture knowledge base tests/fixtures/vouchers_kb:

- Zhangzhou's 算力券 had a yearly pool of 1亿 until it rose to 2.5亿 in 2025 (the month is not
  stated), paid up to 30% or 20% by condition, capped at 800万 a year per firm;
- Zhangzhou's 标注券 pays class A up to 80% (cap 300万) and class B up to 15% (cap 500万).
"""

from __future__ import annotations

import json

import pytest
from helpers import FIXTURES, citypolicy

KB = FIXTURES / "vouchers_kb"


def _vouchers(*args: str) -> dict:
    done = citypolicy("vouchers", *args, "--format", "json", kb=KB)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _row(answer: dict, instrument: str) -> dict:
    (row,) = [r for r in answer["rows"] if r["instrument"] and r["instrument"]["id"] == instrument]
    return row


@pytest.mark.parametrize(
    ("day", "pool", "changes"),
    [
        ("2024-06-01", 100_000_000, ["pool to change in 2025"]),
        ("2024", 100_000_000, ["pool to change in 2025"]),
        (
            "2025-06-01",
            250_000_000,
            [
                "pool changed from ¥100,000,000 to ¥250,000,000 in 2025",
                "the exact date in 2025 is not stated: on 2025-06-01 the earlier terms may still have applied",
            ],
        ),
        ("2025", 250_000_000, ["pool changed from ¥100,000,000 to ¥250,000,000 in 2025"]),
        ("2026-03-01", 250_000_000, ["pool changed from ¥100,000,000 to ¥250,000,000 in 2025"]),
    ],
)
def test_the_pool_in_force_on_the_day_asked(day: str, pool: int, changes: list[str]) -> None:
    answer = _vouchers("--as-of", day)
    row = _row(answer, "zhangzhou-compute-voucher")
    assert row["instrument"]["pool"]["amount"]["value"] == pool
    assert row["instrument"]["pool"]["period"] == "year"
    assert row["changes"] == changes
    # only the pool changed: the rates by condition and the cap are the same on every day
    assert [t["rate"]["text"] for t in row["instrument"]["tiers"]] == ["30%", "20%"]
    assert row["instrument"]["cap"]["amount"]["value"] == 8_000_000


def test_the_table_says_which_pool_and_why() -> None:
    before = citypolicy("vouchers", "--as-of", "2024-06-01", "--format", "markdown", kb=KB).stdout
    after = citypolicy("vouchers", "--as-of", "2026-01-01", "--format", "markdown", kb=KB).stdout
    (row_before,) = [line for line in before.splitlines() if "算力券 compute voucher" in line]
    (row_after,) = [line for line in after.splitlines() if "算力券 compute voucher" in line]
    assert "| ¥100,000,000 a year |" in row_before and "pool to change in 2025" in row_before
    assert "| ¥250,000,000 a year |" in row_after
    assert "pool changed from ¥100,000,000 to ¥250,000,000 in 2025" in row_after


def test_the_labelling_voucher_is_listed_with_its_classes() -> None:
    listed = citypolicy("vouchers", "--format", "markdown", kb=KB).stdout
    (row,) = [line for line in listed.splitlines() if "标注券" in line]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[:5] == [
        "漳州市 Zhangzhou",
        "标注券 data-labelling voucher",
        "see tiers",
        "class A (industrial firms buying labelling services): up to 80%, cap up to ¥3,000,000 per recipient; "
        "class B (data-labelling platforms): up to 15%, cap up to ¥5,000,000 per recipient",
        "see tiers",  # each class states its own cap; there is no cap over both
    ]


@pytest.mark.parametrize("kind", ["labelling", "标注券", "data-labelling voucher"])
def test_the_labelling_kind_lists_only_the_labelling_voucher(kind: str) -> None:
    answer = _vouchers("--kind", kind)
    assert [r["instrument"]["id"] for r in answer["rows"] if r["instrument"]] == ["zhangzhou-labelling-voucher"]


def test_a_place_without_one_says_none_is_stated() -> None:
    listed = citypolicy("vouchers", "--kind", "labelling", "--format", "markdown", kb=KB).stdout
    (row,) = [line for line in listed.splitlines() if "南城市 Nancheng |" in line]
    assert "| none stated in the sources |" in row
