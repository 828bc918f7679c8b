"""Checks the C++ host against the Python package: runs ``cpp_host`` and compares every number it prints
(rows read/accepted/quarantined; per group episodes, resolved, censored, FCR and its Wilson interval) with
``ContactLog.read_csv(...).fcr()`` on the same CSV, overall and by channel; the printed Wilson interval is
also checked against statsmodels' ``proportion_confint(method="wilson")`` from the printed counts.

    python examples/cpp_host/check_output.py build/cpp-host/cpp_host mission.yaml contacts.csv

Exits 0 when everything matches, 1 with the differences otherwise. The C++ host prints values with six
decimals, so they are compared to 5e-7 (half a unit in the last printed place); counts must be equal.
"""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

from statsmodels.stats.proportion import proportion_confint

import missionkit as mk

_ROW = re.compile(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)$")
_COUNTS = re.compile(r"^Contacts: (\d+) read, (\d+) accepted, (\d+) quarantined$")


def parse(output: str) -> tuple[tuple[int, int, int], dict[str, tuple[float, ...]]]:
    """The counts line and the table rows (group -> episodes, resolved, censored, fcr, low, high)."""
    counts: tuple[int, int, int] | None = None
    rows: dict[str, tuple[float, ...]] = {}
    for line in output.splitlines():
        if m := _COUNTS.match(line):
            counts = (int(m[1]), int(m[2]), int(m[3]))
        elif m := _ROW.match(line):
            rows[m[1]] = tuple(float(x) for x in m.groups()[1:])
    if counts is None or "all" not in rows:
        raise ValueError(f"cpp_host output has no counts line or no 'all' row:\n{output}")
    return counts, rows


def expected(mission: str, csv: str) -> tuple[tuple[int, int, int], dict[str, tuple[float, ...]], str]:
    log = mk.ContactLog.read_csv(
        csv, customer="customer_id", start="start", end="end", channel="channel", reason="reason"
    )
    counts = (log.rows_read, len(log), log.rows_read - len(log))
    rows: dict[str, tuple[float, ...]] = {}

    def row(r: Any) -> tuple[float, ...]:
        return (r["n"], r["numerator"], r["censored"], r["value"], r["ci_low"], r["ci_high"])

    rows["all"] = row(log.fcr(window="7D").to_dict())
    table = log.fcr(window="7D", by="channel", output="dict")
    for i, channel in enumerate(table["channel"]):
        rows[str(channel)] = row(
            {k: table[k][i] for k in ("n", "numerator", "censored", "value", "ci_low", "ci_high")}
        )
    return counts, rows, mk.load_spec(mission).mission.sentence()


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    binary, mission, csv = argv[1:]
    run = subprocess.run([binary, mission, csv], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        print(f"cpp_host exited {run.returncode}: {run.stderr}", file=sys.stderr)
        return 1
    got_counts, got_rows = parse(run.stdout)
    want_counts, want_rows, sentence = expected(mission, csv)
    problems: list[str] = []
    if f"Mission: {sentence}" not in run.stdout.splitlines():
        problems.append(f"mission sentence missing; expected {sentence!r}")
    if got_counts != want_counts:
        problems.append(f"counts {got_counts} != {want_counts}")
    if set(got_rows) != set(want_rows):
        problems.append(f"groups {sorted(got_rows)} != {sorted(want_rows)}")
    names = ("episodes", "resolved", "censored", "fcr", "ci_low", "ci_high")
    for group in sorted(set(got_rows) & set(want_rows)):
        for name, g, w in zip(names, got_rows[group], want_rows[group]):
            tol = 0.0 if name in ("episodes", "resolved", "censored") else 5e-7
            if not abs(g - float(w)) <= tol:
                problems.append(f"{group} {name}: cpp_host {g} != python {w}")
        episodes, resolved = got_rows[group][0], got_rows[group][1]
        low, high = proportion_confint(resolved, episodes, alpha=0.05, method="wilson")
        for name, g, w in (("ci_low", got_rows[group][4], low), ("ci_high", got_rows[group][5], high)):
            if not abs(g - w) <= 5e-7:
                problems.append(f"{group} {name}: cpp_host {g} != statsmodels wilson {w}")
    if problems:
        print("cpp_host disagrees with the Python package:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"cpp_host matches the Python package ({len(got_rows)} rows compared)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
