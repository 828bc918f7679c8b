"""End-to-end time of ``missionkit run`` on a large contact log (issue #7's target: 10M contacts in under
2 minutes), and of ``missionkit demo`` at its default size (target: under 30 s).

    .venv/bin/python benchmarks/bench_run.py     # --contacts 10800000 (default): 10.0M rows

Generates the demo data with ``mk.demo.generate`` (not timed), writes it to Parquet (not timed), then times
the command a user runs, as a subprocess, from start to the written report. Prints the wall time, the peak
memory of the run (ru_maxrss of the child) and the stage times the run reports on stderr.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

import missionkit as mk


def _exe() -> str:
    return shutil.which("missionkit") or str(Path(sys.executable).parent / "missionkit")


def _timed(args: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    r = subprocess.run(args, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({r.returncode}):\n{r.stderr}")
    return elapsed, r.stderr


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--contacts", type=int, default=10_800_000)  # mk.demo gives ~93%: 10.0M rows
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        data = mk.demo.generate(args.contacts, seed=args.seed)
        path = folder / "contacts.parquet"
        pq.write_table(data.to_arrow(), path, row_group_size=1 << 20)
        rows = len(data)
        del data
        print(f"generated and wrote {rows:,} contacts in {time.perf_counter() - t:.1f} s (not timed)")
        spec = str(mk.example_mission("demo_contact_centre"))
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        elapsed, log = _timed([_exe(), "run", spec, "--data", str(path), "--out", str(folder / "report")])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rss = max(peak, before) / 2**20
        print(f"missionkit run on {rows:,} contacts: {elapsed:.1f} s wall, peak RSS {rss:.2f} GiB")
        for line in log.splitlines():
            if ": done in" in line:
                print("  " + line.removeprefix("[missionkit] "))
        demo_elapsed, _ = _timed([_exe(), "demo", "--out", str(folder / "demo"), "--quiet"])
        print(f"missionkit demo (default 200,000 contacts, including generation): {demo_elapsed:.1f} s wall")


if __name__ == "__main__":
    main()
