"""Tables for people: plain aligned text when piped (every row, Chinese aligned by display width) and
rich tables on a terminal, a long one cut to its first rows with a note saying how to see them all."""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PROJECT, citypolicy, cli_env
from rich.cells import cell_len

from citypolicy.ask.present import TableData
from citypolicy.ask.tables import TERMINAL_ROWS, plain_table


def test_chinese_and_latin_cells_line_up() -> None:
    data = TableData("Rates", ["place", "rate"], [["深圳市 Shenzhen", "up to 50%"], ["Zhuhai", "50%"]], ["a note"])
    assert plain_table(data, 80) == [
        "Rates",
        "",
        "place            rate",
        "───────────────  ─────────",
        "深圳市 Shenzhen  up to 50%",
        "Zhuhai           50%",
        "a note",
    ]


def _split_at_cells(line: str, cells: int) -> tuple[str, str]:
    """`line` cut where its display width reaches `cells`."""
    for index in range(len(line) + 1):
        if cell_len(line[:index]) >= cells:
            return line[:index], line[index:]
    return line, ""


def test_long_cells_wrap_by_display_width_and_lose_nothing() -> None:
    quote = "去年年底,深圳發布“訓力券”政策,每年發放最高5億元“訓力券”,降低人工智慧模型研發和訓練成本。"
    data = TableData("t", ["place", "source"], [["深圳市 Shenzhen", f"003.txt: «{quote}»"]])
    body = plain_table(data, 40)[4:]
    assert len(body) > 2 and all(cell_len(line) <= 40 for line in body)
    column = cell_len("深圳市 Shenzhen  ")  # the second column starts here on every line
    cut = [_split_at_cells(line, column) for line in body]
    assert cut[0][0] == "深圳市 Shenzhen  " and all(head == " " * column for head, _ in cut[1:])
    assert "".join(piece for _, piece in cut) == f"003.txt:«{quote}»"  # broken at the one space, then anywhere


def test_numbers_are_not_split_when_columns_shrink() -> None:
    rows = [["深圳市 Shenzhen", "up to ¥500,000,000 a year", "训力券 training-compute voucher " * 3]]
    lines = plain_table(TableData("t", ["place", "pool", "instrument"], rows), 60)
    assert any("¥500,000,000" in line for line in lines)


def test_piped_vouchers_table_has_every_row_and_keeps_bracketed_text(fixture_kb: Path) -> None:
    done = citypolicy("vouchers", "--kind", "compute", kb=fixture_kb, cwd=fixture_kb)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Vouchers and compute subsidies by city (compute)"
    header = ["place", "instrument", "rate", "tiers", "cap", "pool", "who may claim", "status", "policy", "source"]
    assert re.split(r"\s{2,}", lines[2]) == header
    # the place column, each row's wrapped lines joined: every row of the CSV answer, in its order
    width = cell_len(lines[3].split("  ")[0])
    rows = "\n".join(lines[4:]).split("\n\n")
    places = [" ".join(_split_at_cells(line, width + 2)[0].strip() for line in row.splitlines()) for row in rows]
    places = [" ".join(p.split()) for p in places]
    csv_done = citypolicy("vouchers", "--kind", "compute", "--format", "csv", kb=fixture_kb, cwd=fixture_kb)
    assert places == [r["place"] for r in csv.DictReader(io.StringIO(csv_done.stdout))]
    assert places == [
        "京川市 Jingchuan",
        "星海市 Xinghai",
        "星海市 Xinghai › 海湾区 Haiwan District",
        "云港市 Yungang",
        "云港市 Yungang › 东岸区 Dong'an District",
    ]
    assert "算力券" in done.stdout and "训力券" in done.stdout  # (markup in record text: test_outputs_inert.py)
    assert all(cell_len(line) <= 200 for line in lines)


@pytest.fixture(scope="module")
def kb_100(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kb") / "kb-100"
    generator = PROJECT / "bench" / "generate.py"
    subprocess.run([sys.executable, str(generator), "--places", "100", "--seed", "1", "--out", str(out)], check=True)
    return out


def _voucher_rows(kb: Path) -> int:
    done = citypolicy("vouchers", "--format", "csv", kb=kb)
    assert done.returncode == 0, done.stderr
    return len(list(csv.reader(io.StringIO(done.stdout)))) - 1


def test_piped_long_table_prints_every_row(kb_100: Path) -> None:
    rows = _voucher_rows(kb_100)
    assert rows > TERMINAL_ROWS
    done = citypolicy("vouchers", kb=kb_100)
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.split("\n\n")[1:]  # rows take several lines and are separated by a blank line
    assert len(blocks) == rows
    assert "more rows" not in done.stdout


def _on_a_terminal(*args: str) -> str:
    """The CLI's output when its stdout is a terminal (a pseudo-terminal 160 columns wide)."""
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    env = cli_env() | {"TERM": "xterm", "NO_COLOR": "1"}
    env.pop("COLUMNS", None)
    command = [sys.executable, "-m", "citypolicy", *args]
    process = subprocess.Popen(command, stdin=follower, stdout=follower, env=env, cwd=PROJECT)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # styles (bold headers, italic titles) dropped


def test_a_long_table_on_a_terminal_shows_its_first_rows_and_says_how_to_see_all(kb_100: Path) -> None:
    rows = _voucher_rows(kb_100)
    shown = _on_a_terminal("vouchers", "--kb", str(kb_100))
    assert "┃ place" in shown  # a rich table
    hidden = rows - TERMINAL_ROWS
    assert f"… and {hidden:,} more rows ({rows:,} in all)" in shown
    assert "--format csv, markdown or json" in shown


def test_a_short_table_on_a_terminal_is_whole(fixture_kb: Path) -> None:
    shown = _on_a_terminal("vouchers", "--kind", "compute", "--kb", str(fixture_kb))
    assert "┃ place" in shown and "more rows" not in shown
    assert "算力券" in shown and "训力券" in shown
