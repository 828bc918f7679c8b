"""Benchmark: OLS with cluster-robust standard errors on 5,000,000 x 10, missionkit vs statsmodels.

Run manually (not part of the test suite; needs ~4 GB of RAM and a few minutes):

    .venv/bin/python benchmarks/bench_stats_ols.py [--rows 5000000] [--cols 10] [--clusters 1000]

Each library runs in its own child process on the same data (regenerated from the same seed), so that
peak memory is measured separately: the peak resident set size (``resource.getrusage``, which also sees
C++ allocations), minus the resident size once the data exist, is what the fit itself needed.
tracemalloc's peak (numpy and Python allocations only, from a second call) is printed alongside. Times
are wall-clock for the first fit call; statsmodels is
``OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": g})``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc

import numpy as np


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def data(rows: int, cols: int, clusters: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(2026)
    x = rng.normal(size=(rows, cols))
    x[:, 0] = 1.0  # the intercept is part of X for both libraries
    g = rng.integers(0, clusters, size=rows)
    y = x @ rng.normal(size=cols) + rng.normal(size=rows) + rng.normal(size=clusters)[g]
    return y, x, g


def child(lib: str, rows: int, cols: int, clusters: int) -> None:
    # Imports first, outside the timed region (statsmodels.api alone takes seconds to import; missionkit
    # factorizes labels with pandas, which statsmodels imports too).
    import pandas  # noqa: F401
    import statsmodels.api as sm

    from missionkit import stats

    y, x, g = data(rows, cols, clusters)
    base = rss_mb()

    def fit() -> np.ndarray:
        if lib == "missionkit":
            return stats.ols(y, x, cov="cluster", groups=g, add_intercept=False).bse
        return np.asarray(sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": g}).bse)

    # Timed without tracemalloc (which slows every Python-level allocation); peak RSS after this call is
    # the fit's peak. A second call measures tracemalloc's peak.
    t0 = time.perf_counter()
    bse = fit()
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB on Linux
    tracemalloc.start()
    fit()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result = {
        "seconds": seconds,
        "peak_mb": peak,
        "data_mb": base,
        "traced_peak_mb": traced_peak / 2**20,
        "bse": bse.tolist(),
    }
    print(json.dumps(result))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--cols", type=int, default=10)
    ap.add_argument("--clusters", type=int, default=1000)
    ap.add_argument("--child", choices=["missionkit", "statsmodels"])
    a = ap.parse_args()
    if a.child:
        child(a.child, a.rows, a.cols, a.clusters)
        return
    out = {}
    for lib in ("missionkit", "statsmodels"):
        cmd = [
            sys.executable,
            __file__,
            "--child",
            lib,
            "--rows",
            str(a.rows),
            "--cols",
            str(a.cols),
            "--clusters",
            str(a.clusters),
        ]
        out[lib] = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    mk, sm = out["missionkit"], out["statsmodels"]
    assert np.allclose(mk["bse"], sm["bse"], rtol=1e-8), "the two fits disagree"
    print(f"OLS, cluster-robust SEs, {a.rows:,} x {a.cols}, {a.clusters} clusters")
    print(f"{'':12s} {'fit time':>10s} {'peak RSS':>10s} {'above data':>11s} {'tracemalloc':>12s}")
    for lib, r in out.items():
        print(
            f"{lib:12s} {r['seconds']:9.2f}s {r['peak_mb']:8.0f}MB {r['peak_mb'] - r['data_mb']:9.0f}MB "
            f"{r['traced_peak_mb']:10.0f}MB"
        )
    print(
        f"speed ratio {sm['seconds'] / mk['seconds']:.1f}x, memory above data "
        f"{(sm['peak_mb'] - sm['data_mb']) / max(mk['peak_mb'] - mk['data_mb'], 1):.1f}x less"
    )


if __name__ == "__main__":
    main()
