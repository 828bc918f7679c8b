"""The C++ host example (examples/cpp_host): its printed FCR equals the Python package's, and malformed
CSV rows stop it with a message naming the file and line.

scripts/test builds the host (step "C++ host example") before pytest runs; without the binary (pytest run
on its own) these tests are skipped. MISSIONKIT_CPP_HOST overrides the binary's path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = Path(os.environ.get("MISSIONKIT_CPP_HOST", ROOT / "build" / "cpp-host" / "cpp_host"))
SPEC = ROOT / "examples" / "missions" / "bank_card_replacement.yaml"
CSV = ROOT / "examples" / "cpp_host" / "contacts.csv"
HEADER = "contact_id,customer_id,start,end,channel,reason\n"

pytestmark = pytest.mark.skipif(not HOST.is_file(), reason=f"{HOST} not built (scripts/test builds it)")


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HOST), *map(str, args)], capture_output=True, text=True, check=False, timeout=60
    )


def test_output_matches_python() -> None:
    check = ROOT / "examples" / "cpp_host" / "check_output.py"
    run = subprocess.run(
        [sys.executable, str(check), str(HOST), str(SPEC), str(CSV)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "6 rows compared" in run.stdout


def test_quarantined_rows_are_counted(tmp_path: Path) -> None:
    # An empty customer id and an end before the start are quarantined by the library, not fatal.
    path = tmp_path / "q.csv"
    path.write_text(
        HEADER
        + "1,7,2026-01-05T09:00:00Z,2026-01-05T09:10:00Z,phone,billing\n"
        + "2,,2026-01-05T10:00:00Z,2026-01-05T10:10:00Z,phone,billing\n"
        + "3,8,2026-01-06T10:00:00,2026-01-06T09:00:00,chat,billing\n"
        + '4,9,2026-01-20T10:00:00Z,2026-01-20T10:05:00Z,"chat","billing, card"\n',
        encoding="utf-8",
    )
    run = _run(SPEC, path)
    assert run.returncode == 0, run.stderr
    assert "Contacts: 4 read, 2 accepted, 2 quarantined" in run.stdout
    # Customer 7's contact: its 7-day window ends 2026-01-12, before the last start (01-20): observed and
    # not repeated, so resolved. Customer 9's is censored (its window runs past the data).
    all_row = next(line for line in run.stdout.splitlines() if line.startswith("all "))
    assert all_row.split()[1:4] == ["1", "1", "1"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("5,7,2026-01-05T09:00:00Z,2026-01-05T09:10:00Z,phone\n", "expected 6 fields, got 5"),
        ("5,7,2026-13-05T09:00:00Z,2026-01-05T09:10:00Z,phone,x\n", "start '2026-13-05T09:00:00Z'"),
        ("5,7,2026-01-05 9:00,2026-01-05T09:10:00Z,phone,x\n", "YYYY-MM-DDTHH:MM:SS[Z]"),
        ("5,7,2026-01-05T09:00:00Z,2026-01-05T25:10:00Z,phone,x\n", "end '2026-01-05T25:10:00Z'"),
        ("5,abc,2026-01-05T09:00:00Z,2026-01-05T09:10:00Z,phone,x\n", "customer_id 'abc' is not an integer"),
        ('5,7,2026-01-05T09:00:00Z,2026-01-05T09:10:00Z,"phone,x\n', "unterminated quoted field"),
    ],
)
def test_malformed_row_names_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    good = "1,7,2026-01-05T09:00:00Z,2026-01-05T09:10:00Z,phone,billing\n"
    path.write_text(HEADER + good + line, encoding="utf-8")
    run = _run(SPEC, path)
    assert run.returncode == 1
    assert f"{path}:3: " in run.stderr and message in run.stderr, run.stderr
    assert run.stdout == ""


def test_bad_header_spec_and_usage(tmp_path: Path) -> None:
    path = tmp_path / "nohead.csv"
    path.write_text("id,when\n1,2026-01-05T09:00:00Z\n", encoding="utf-8")
    run = _run(SPEC, path)
    assert run.returncode == 1 and "header has no 'customer_id' column" in run.stderr
    run = _run(SPEC, tmp_path / "missing.csv")
    assert run.returncode == 1 and "cannot open" in run.stderr
    run = _run(tmp_path / "missing.yaml", CSV)
    assert run.returncode == 1 and "missing.yaml" in run.stderr
    assert _run(SPEC).returncode == 2
