"""Benchmark: Hussey & Hughes stepped-wedge analysis in missionkit vs statsmodels MixedLM.

Run manually (not part of the test suite):

    .venv/bin/python benchmarks/bench_stepped_wedge.py [rows]

A stepped-wedge trial of 60 clusters x 7 periods with a 0/1 outcome (e.g. first-contact resolution),
``rows`` individuals in all (default 200,000; statsmodels' MixedLM handles each cluster's rows as dense
blocks, so it is run at that size only). missionkit fits the same REML model from the individual rows;
it also times 10,000,000 rows, where statsmodels is not run. Prints times, the two estimates and the two
REML log-likelihoods (statsmodels' default optimiser may stop short of the maximum on such data).
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

import missionkit as mk


def make(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    c = rng.integers(0, 60, n)
    p = rng.integers(0, 7, n)
    x = (p >= 1 + c % 6).astype(np.int64)
    a = rng.normal(0, 0.05, 60)[c]
    y = (rng.random(n) < 0.2 + 0.02 * x + 0.01 * p + a).astype(float)
    return {"cluster": c, "period": p, "treat": x, "y": y}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    d = make(n)
    t0 = time.perf_counter()
    r = mk.experiment.stepped_wedge_analysis(
        d, outcome="y", cluster="cluster", period="period", treated="treat"
    )
    t_mk = time.perf_counter() - t0
    df = pd.DataFrame(d)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = smf.mixedlm("y ~ C(period) + treat", df, groups=df["cluster"]).fit(reml=True)
    t_sm = time.perf_counter() - t0
    print(f"{n:,} rows: missionkit {t_mk:.3f} s (theta {r.theta:.6f}, SE {r.std_error:.6f}); ")
    print(
        f"  statsmodels MixedLM {t_sm:.2f} s (theta {fit.fe_params['treat']:.6f}); ratio {t_sm / t_mk:.0f}x"
    )
    # statsmodels' default stop can leave it short of the maximum (its score is not ~0 there): compare
    # the REML log-likelihoods, the larger is the better fit.
    print(f"  REML log-likelihood: missionkit {r.log_likelihood:.4f}, statsmodels {fit.llf:.4f}")
    big = make(10_000_000, seed=1)
    t0 = time.perf_counter()
    r = mk.experiment.stepped_wedge_analysis(
        big, outcome="y", cluster="cluster", period="period", treated="treat"
    )
    print(f"10,000,000 rows: missionkit {time.perf_counter() - t0:.2f} s (theta {r.theta:.6f})")


if __name__ == "__main__":
    main()
