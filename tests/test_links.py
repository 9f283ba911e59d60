"""`check` refuses links and windows that cannot hold (issue 11): a supersedes cycle, a supersedes or
amends link to a record that does not exist, and an end date before a start date, each at the
file:line:col of the key at fault.

Every case edits a fresh copy of the fixture knowledge base (tests/fixtures/kb) and runs the real
`citypolicy check`; the expected positions are read from the edited file, and the whole of stderr
is compared, so a message that changes or a problem reported twice fails the test.
"""

from __future__ import annotations

from pathlib import Path

from helpers import citypolicy

XINGHAI = "data/cities/xinghai.yaml"

# Lines of the fixture the edits go after (each occurs once in xinghai.yaml).
MEASURES_KIND = "    kind: measures\n"  # policies[0], xinghai-ai-measures-2025, issued 2025-05
REGULATION_KIND = "    kind: regulation\n"  # policies[1], xinghai-ai-regulation, issued 2023-07
VOUCHER_LAUNCHED = "    launched: 2025-05\n"  # instruments[0], xinghai-compute-voucher
SUBSIDY_RATE = "    rate: 30%\n"  # instruments[1], haiwan-compute-subsidy (no start date)


def insert_after(kb: Path, anchor: str, added: str) -> None:
    """Write `added` after `anchor`, which must occur exactly once in xinghai.yaml."""
    path = kb / XINGHAI
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, f"{anchor!r} occurs {text.count(anchor)} times"
    path.write_text(text.replace(anchor, anchor + added), encoding="utf-8")


def at(kb: Path, line_text: str, value: str) -> str:
    """`file:line:col` of `value` on the only line of xinghai.yaml that is exactly `line_text`."""
    lines = (kb / XINGHAI).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if line == line_text]
    assert len(found) == 1, f"{line_text!r} is on lines {found}"
    assert value in line_text
    return f"{XINGHAI}:{found[0]}:{line_text.index(value) + 1}"


def assert_refused(kb: Path, *problems: str) -> None:
    """`check` exits 1 and prints exactly these problems, then their count, on stderr."""
    done = citypolicy("check", kb=kb, cwd=kb.parent)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert done.stderr == "".join(f"{p}\n" for p in problems) + f"{len(problems)} problem(s) found\n"


def test_unedited_copy_passes(kb: Path) -> None:
    done = citypolicy("check", kb=kb, cwd=kb.parent)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("ok: 8 jurisdictions, 4 policies, 6 instruments")


# --------------------------------------------------------------------------- supersedes cycles


def test_two_policies_that_supersede_each_other(kb: Path) -> None:
    insert_after(kb, MEASURES_KIND, "    supersedes: xinghai-ai-regulation\n")
    insert_after(kb, REGULATION_KIND, "    supersedes: xinghai-ai-measures-2025\n")
    measures = at(kb, "    supersedes: xinghai-ai-regulation", "xinghai-ai-regulation")
    regulation = at(kb, "    supersedes: xinghai-ai-measures-2025", "xinghai-ai-measures-2025")
    # Both are dated, so one of them must also take effect before the policy it claims to replace.
    assert_refused(
        kb,
        f"{measures}: policies[0].supersedes: supersedes links go round in a circle: "
        "xinghai-ai-measures-2025 → xinghai-ai-regulation → xinghai-ai-measures-2025",
        f"{regulation}: policies[1].supersedes: it takes effect (2023-07) before 'xinghai-ai-measures-2025', "
        "which it supersedes (2025-05)",
    )


def test_two_instruments_that_supersede_each_other(kb: Path) -> None:
    """The subsidy has no start date, so the circle is the only problem."""
    insert_after(kb, VOUCHER_LAUNCHED, "    supersedes: haiwan-compute-subsidy\n")
    insert_after(kb, SUBSIDY_RATE, "    supersedes: xinghai-compute-voucher\n")
    voucher = at(kb, "    supersedes: haiwan-compute-subsidy", "haiwan-compute-subsidy")
    assert_refused(
        kb,
        f"{voucher}: instruments[0].supersedes: supersedes links go round in a circle: "
        "xinghai-compute-voucher → haiwan-compute-subsidy → xinghai-compute-voucher",
    )


def test_a_policy_that_supersedes_and_amends_itself(kb: Path) -> None:
    links = "    supersedes: xinghai-ai-measures-2025\n    amends: [xinghai-ai-measures-2025]\n"
    insert_after(kb, MEASURES_KIND, links)
    supersedes = at(kb, "    supersedes: xinghai-ai-measures-2025", "xinghai-ai-measures-2025")
    amends = at(kb, "    amends: [xinghai-ai-measures-2025]", "xinghai-ai-measures-2025")
    assert_refused(
        kb,
        f"{supersedes}: policies[0].supersedes: 'xinghai-ai-measures-2025' cannot supersede itself",
        f"{amends}: policies[0].amends[0]: 'xinghai-ai-measures-2025' cannot amend itself",
    )


# --------------------------------------------------------------------------- links to nothing


def test_a_policy_that_supersedes_a_missing_policy(kb: Path) -> None:
    insert_after(kb, MEASURES_KIND, "    supersedes: xinghai-ai-measures-2024\n")
    where = at(kb, "    supersedes: xinghai-ai-measures-2024", "xinghai-ai-measures-2024")
    assert_refused(
        kb,
        f"{where}: policies[0].supersedes: unknown policy 'xinghai-ai-measures-2024'; "
        "did you mean 'xinghai-ai-measures-2025'?",
    )


def test_a_policy_that_amends_a_missing_policy(kb: Path) -> None:
    """The first target exists; the second, misspelt, is reported at its own place in the list."""
    insert_after(kb, MEASURES_KIND, "    amends: [xinghai-ai-regulation, xinghai-ai-regulations]\n")
    where = at(kb, "    amends: [xinghai-ai-regulation, xinghai-ai-regulations]", "xinghai-ai-regulations")
    assert_refused(
        kb,
        f"{where}: policies[0].amends[1]: unknown policy 'xinghai-ai-regulations'; "
        "did you mean 'xinghai-ai-regulation'?",
    )


def test_an_instrument_that_supersedes_a_missing_instrument(kb: Path) -> None:
    insert_after(kb, VOUCHER_LAUNCHED, "    supersedes: xinghai-compute-vouchers-2023\n")
    where = at(kb, "    supersedes: xinghai-compute-vouchers-2023", "xinghai-compute-vouchers-2023")
    assert_refused(
        kb,
        f"{where}: instruments[0].supersedes: unknown instrument 'xinghai-compute-vouchers-2023'; "
        "did you mean 'xinghai-compute-voucher'?",
    )


def test_a_policy_cannot_supersede_an_instrument(kb: Path) -> None:
    """A link names a record of its own section: an instrument's id is no policy."""
    insert_after(kb, MEASURES_KIND, "    supersedes: xinghai-compute-voucher\n")
    where = at(kb, "    supersedes: xinghai-compute-voucher", "xinghai-compute-voucher")
    assert_refused(kb, f"{where}: policies[0].supersedes: unknown policy 'xinghai-compute-voucher'")


# --------------------------------------------------------------------------- end before start


def test_policy_period_that_ends_before_it_starts(kb: Path) -> None:
    path = kb / XINGHAI
    text = path.read_text(encoding="utf-8")
    old = "    period: {start: 2025, end: 2027}\n"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "    period: {start: 2027, end: 2025}\n"), encoding="utf-8")
    where = at(kb, "    period: {start: 2027, end: 2025}", "{")
    assert_refused(kb, f"{where}: policies[0].period: period ends (2025) before it starts (2027)")


def test_policy_effective_window_that_ends_before_it_starts(kb: Path) -> None:
    insert_after(kb, MEASURES_KIND, "    effective: {start: 2025-05-01, end: 2024-12-31}\n")
    where = at(kb, "    effective: {start: 2025-05-01, end: 2024-12-31}", "{")
    assert_refused(kb, f"{where}: policies[0].effective: it ends (2024-12-31) before it starts (2025-05-01)")


def test_instrument_effective_window_that_ends_before_it_starts(kb: Path) -> None:
    insert_after(kb, VOUCHER_LAUNCHED, "    effective: {start: 2025-05, end: 2024-12}\n")
    where = at(kb, "    effective: {start: 2025-05, end: 2024-12}", "{")
    assert_refused(kb, f"{where}: instruments[0].effective: it ends (2024-12) before it starts (2025-05)")


def test_instrument_effective_window_written_as_a_block(kb: Path) -> None:
    """Written over several lines, the window is reported where its mapping starts: its first key."""
    insert_after(kb, VOUCHER_LAUNCHED, "    effective:\n      start: 2025-05\n      end: 2024-12\n")
    where = at(kb, "      start: 2025-05", "start")
    assert_refused(kb, f"{where}: instruments[0].effective: it ends (2024-12) before it starts (2025-05)")


def test_a_window_that_ends_in_the_month_it_starts_passes(kb: Path) -> None:
    """Partial dates compare by what they cover: a window that may lie inside one month is in order."""
    insert_after(kb, VOUCHER_LAUNCHED, "    effective: {start: 2025-05, end: {date: 2025-05-10, basis: its notice}}\n")
    done = citypolicy("check", kb=kb, cwd=kb.parent)
    assert (done.returncode, done.stderr) == (0, "")


def test_an_instrument_that_ends_before_it_was_launched(kb: Path) -> None:
    end = "      end: {date: 2025-03, basis: a notice the fixture does not hold}"
    insert_after(kb, VOUCHER_LAUNCHED, f"    effective:\n{end}\n")
    where = at(kb, end, "{")
    assert_refused(kb, f"{where}: instruments[0].effective.end: it ends (2025-03) before it took effect (2025-05)")


CHANGE = """    changes:
      - date: {{date: {when}, basis: a later notice the fixture does not hold}}
        beneficiaries: [enterprise, university]
        sources:
          - document: fixture_a_xinghai.txt
            quote: 符合条件的企业可按实际购买算力费用的50%获得“算力券”支持
"""


END_2027 = "    effective: {end: {date: 2027-12-31, basis: the plan's period (2025—2027年)}}\n"


def test_terms_that_change_before_the_instrument_took_effect(kb: Path) -> None:
    insert_after(kb, VOUCHER_LAUNCHED, CHANGE.format(when="2024-06"))
    where = at(kb, "      - date: {date: 2024-06, basis: a later notice the fixture does not hold}", "{")
    assert_refused(
        kb,
        f"{where}: instruments[0].changes[0].date: these terms (2024-06) come before the instrument took effect "
        "(2025-05)",
    )


def test_terms_that_change_after_the_instrument_ended(kb: Path) -> None:
    insert_after(kb, VOUCHER_LAUNCHED, END_2027 + CHANGE.format(when="2028-01"))
    where = at(kb, "      - date: {date: 2028-01, basis: a later notice the fixture does not hold}", "{")
    assert_refused(
        kb,
        f"{where}: instruments[0].changes[0].date: these terms (2028-01) come after the instrument's end (2027-12-31)",
    )


def test_terms_that_change_within_the_window_pass(kb: Path) -> None:
    insert_after(kb, VOUCHER_LAUNCHED, END_2027 + CHANGE.format(when="2026-01"))
    done = citypolicy("check", kb=kb, cwd=kb.parent)
    assert (done.returncode, done.stderr) == (0, "")
