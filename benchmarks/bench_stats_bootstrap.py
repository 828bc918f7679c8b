"""Benchmark: bootstrap interval of a mean on 10M values, missionkit vs scipy.stats.bootstrap.

Run manually (not part of the test suite):

    .venv/bin/python benchmarks/bench_stats_bootstrap.py [--n 10000000] [--resamples 200] [--batch 4]

Each contender runs in its own child process, which reports its wall time and its peak resident memory
above the baseline (the 10M-value array already in memory), so neither inherits the other's peak.
scipy gets ``batch=`` (resamples per vectorised step): without it scipy allocates an n x B index matrix,
which for 10M values is a MemoryError (or 80 GB for B = 1,000). scipy's BCa is not timed at this size:
its jackknife builds n leave-one-out samples of n - 1 values, O(n^2) = 1e14 operations; missionkit's is
O(n) in closed form, so missionkit's BCa row costs the same as its percentile row.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child(which: str, n: int, resamples: int, batch: int) -> None:
    import numpy as np

    x = np.random.default_rng(1).exponential(2.0, size=n)
    base = rss_kib()
    t0 = time.perf_counter()
    if which == "scipy":
        from scipy import stats

        r = stats.bootstrap(
            (x,),
            np.mean,
            n_resamples=resamples,
            batch=batch,
            method="percentile",
            rng=np.random.default_rng(2),
        )
        ci = (float(r.confidence_interval.low), float(r.confidence_interval.high))
    else:
        from missionkit import stats as st

        m = st.bootstrap_mean_ci(x, method=which, n_resamples=resamples, seed=2)
        ci = m.ci
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"seconds": seconds, "peak_mib": max(0, peak - base) / 1024, "ci": ci}))


def run(which: str, args: argparse.Namespace) -> dict[str, float]:
    sizes = ["--n", str(args.n), "--resamples", str(args.resamples), "--batch", str(args.batch)]
    out = subprocess.run(
        [sys.executable, __file__, "--child", which, *sizes],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=10_000_000)
    p.add_argument("--resamples", type=int, default=200)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--child", default=None)
    args = p.parse_args()
    if args.child:
        child(args.child, args.n, args.resamples, args.batch)
        return
    print(f"bootstrap CI of a mean, n={args.n:,}, B={args.resamples}, scipy batch={args.batch}")
    rows = {w: run(w, args) for w in ("percentile", "bca", "scipy")}
    sp = rows["scipy"]
    print(f"{'contender':34s} {'time':>9s} {'peak mem':>10s} {'ratio':>7s}  interval")
    for name, label in (
        ("percentile", "missionkit percentile"),
        ("bca", "missionkit BCa"),
        ("scipy", "scipy percentile"),
    ):
        r = rows[name]
        lo, hi = r["ci"]
        print(
            f"{label:34s} {r['seconds']:8.2f}s {r['peak_mib']:8.0f}MiB {sp['seconds'] / r['seconds']:6.1f}x"
            f"  ({lo:.5f}, {hi:.5f})"
        )
    # The two percentile intervals estimate the same thing; at B = 200 they agree to MC error (~10% width).
    (a, b), (c, d) = rows["percentile"]["ci"], sp["ci"]
    assert abs(a - c) < 0.2 * (d - c) and abs(b - d) < 0.2 * (d - c), "intervals disagree"


if __name__ == "__main__":
    main()
