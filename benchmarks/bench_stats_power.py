"""Benchmark: a 1,000-point power curve in missionkit vs statsmodels' solver.

Run manually (not part of the test suite):

    .venv/bin/python benchmarks/bench_stats_power.py

Two curves a planner draws: the sample size per group needed for 80% power over 1,000 effect sizes
(statsmodels: one ``TTestIndPower().solve_power`` call per point, as its solver is scalar), and the
power over 1,000 sample sizes (statsmodels' ``power`` is vectorised over numpy arrays). missionkit
computes each curve in one C++ call. Prints times (best of several repeats for both libraries, so that
load on a shared machine does not favour either) and ratios.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from statsmodels.stats.power import NormalIndPower, TTestIndPower

from missionkit.stats import power


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    effects = np.linspace(0.05, 1.0, 1000)
    nobs = np.linspace(5, 2000, 1000)
    tt, zz = TTestIndPower(), NormalIndPower()
    rows = []

    mk_n = power.ttest_ind(effect_size=effects, power=0.8)
    sm_n = np.array([tt.solve_power(e, None, 0.05, 0.8) for e in effects])
    assert np.allclose(mk_n, sm_n, rtol=1e-4)
    t_mk = best(lambda: power.ttest_ind(effect_size=effects, power=0.8), 5)
    t_sm = best(lambda: [tt.solve_power(e, None, 0.05, 0.8) for e in effects], 3)
    rows.append(("t-test: nobs1 for 80% power, 1,000 effect sizes (solver)", t_mk, t_sm))

    t_mk = best(lambda: power.normal_ind(effect_size=effects, power=0.8), 5)
    t_sm = best(lambda: [zz.solve_power(e, None, 0.05, 0.8) for e in effects], 3)
    rows.append(("z-test: nobs1 for 80% power, 1,000 effect sizes (solver)", t_mk, t_sm))

    t_mk = best(lambda: power.ttest_ind(effect_size=0.2, nobs1=nobs), 20)
    t_sm = best(lambda: tt.power(0.2, nobs, 0.05), 20)
    rows.append(("t-test: power at 1,000 sample sizes (vectorised power)", t_mk, t_sm))

    print(f"{'curve':60s} {'missionkit':>12s} {'statsmodels':>12s} {'ratio':>8s}")
    for name, a, b in rows:
        print(f"{name:60s} {a * 1e3:10.2f}ms {b * 1e3:10.1f}ms {b / a:7.0f}x")


if __name__ == "__main__":
    main()
