"""Peak memory of the full contact-log pass on a large log (issue #4: 100M contacts within 24 GiB, peak no
more than 2x the input columns).

The table is generated once into an Arrow IPC file; a fresh process memory-maps it (so the input columns
cost only the pages read), runs the same pass as bench_contact_log.py, and reports its peak resident set
against the size of the input columns.

Run:  .venv/bin/python benchmarks/bench_contact_log_memory.py --rows 100000000 --customers 10000000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa

HERE = Path(__file__).resolve().parent


def write_ipc(path: Path, rows: int, customers: int) -> None:
    """Writes the table as ONE record batch, so that a memory map of it gives contiguous columns."""
    sys.path.insert(0, str(HERE))
    from bench_contact_log import make_table

    chunk = 10_000_000
    parts = [
        make_table(min(chunk, rows - s), customers, seed=100 + i) for i, s in enumerate(range(0, rows, chunk))
    ]
    schema = parts[0].schema
    table = pa.concat_tables([p.cast(schema) for p in parts]).combine_chunks()
    del parts
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        writer.write_table(table, max_chunksize=table.num_rows)


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def child(path: str) -> None:
    sys.path.insert(0, str(HERE))
    from bench_contact_log import run_missionkit

    # The file holds one record batch: the memory map gives contiguous columns that missionkit views in
    # place, and they cost exactly their size in resident memory once read.
    source = pa.memory_map(path)
    table = pa.ipc.open_file(source).read_all()
    input_bytes = table.nbytes
    # Reset the peak-RSS mark (Linux: writing 5 to clear_refs) so the peak covers the pass alone.
    Path("/proc/self/clear_refs").write_text("5")
    before = _status_kib("VmRSS") * 1024
    t = time.perf_counter()
    result = run_missionkit(table)
    elapsed = time.perf_counter() - t
    peak = _status_kib("VmHWM") * 1024
    print(
        f"rows={table.num_rows:,} input columns {input_bytes / 2**30:.2f} GiB; pass {elapsed:.1f} s; "
        f"peak RSS {peak / 2**30:.2f} GiB = {peak / input_bytes:.2f}x the input columns "
        f"(the peak counts the input pages as they are read, the interpreter and libraries: "
        f"{before / 2**30:.2f} GiB before the pass, "
        f"and everything missionkit allocates); fcr groups {len(result['fcr'])}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=20_000_000)
    ap.add_argument("--customers", type=int, default=2_000_000)
    ap.add_argument("--file", default="/tmp/missionkit_bench_contacts.arrow")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.file)
        return
    path = Path(args.file)
    if not path.exists():
        print(f"writing {args.rows:,} rows to {path} ...", flush=True)
        write_ipc(path, args.rows, args.customers)
    env = dict(os.environ)
    subprocess.run([sys.executable, __file__, "--child", "--file", str(path)], check=True, env=env)


if __name__ == "__main__":
    main()
