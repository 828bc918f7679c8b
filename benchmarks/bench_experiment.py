"""Benchmark: an A/B/n analysis of 100 metrics x 4 arms on 10,000,000 units, missionkit vs the code a user
would write with scipy / statsmodels.

Run manually (not part of the test suite; ~2 GB of RAM with the default batches, a few minutes):

    .venv/bin/python benchmarks/bench_experiment.py [--units 10000000] [--metrics 100] [--batch 25]

Data: one row per unit, 4 arms (integer codes 0-3, arm 0 the control, equal shares), 40% proportion
metrics (0/1), 40% means (normal, lognormal and Poisson-like) and 20% ratio metrics (a numerator per
unit over a shared `sessions` denominator, delta method). Columns are float32: 10M x 100 float64 would be
8 GB. To bound memory further the metrics are generated and analysed ``--batch`` at a time (both
libraries on the same batch, in the same process, times summed over batches); missionkit therefore pays
its per-call setup (arm coding, SRM) once per batch.

missionkit: ``mk.experiment.ab_test(data, arm="arm", metrics=[Metric(...), ...])`` (per-arm sufficient
statistics in C++, GIL released: the plain proportion and mean metrics in one batched sweep that reads each
block of arm codes once for all columns, ratio metrics one pass each; Newcombe / Miettinen-Nurminen for
proportions, Welch for means, delta method for ratios, Holm over all comparisons, relative lifts).

Peer, written as a user would: the four arm masks once, then per metric and treatment arm
``scipy.stats.ttest_ind(t, c, equal_var=False)`` with its confidence interval (means),
``statsmodels.stats.proportion.proportions_ztest`` + ``confint_proportions_2indep`` (proportions), the
delta method in numpy with ``scipy.stats.norm`` (ratios), then ``statsmodels.stats.multitest.multipletests``
(Holm) over every comparison. Before timing anything, the script checks that both give the same
differences (float32 sums in numpy vs double accumulation in missionkit: 1e-4 relative, 1e-5 absolute).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np


def make_batch(
    rng: np.random.Generator, n: int, kinds: list[str], arm: np.ndarray, sessions: np.ndarray
) -> dict[str, np.ndarray]:
    cols: dict[str, np.ndarray] = {}
    lift = (arm == 1) * 0.01 + (arm == 3) * 0.02  # small true effects in arms 1 and 3
    for j, kind in enumerate(kinds):
        name = f"m{j}"
        if kind == "proportion":
            cols[name] = (rng.random(n, dtype=np.float32) < 0.1 + lift).astype(np.float32)
        elif kind == "mean":
            base = rng.standard_normal(n, dtype=np.float32) if j % 2 else rng.lognormal(1.0, 0.8, n)
            cols[name] = (base + lift * 5).astype(np.float32)
        else:
            cols[name] = rng.binomial(sessions.astype(np.int64) * 3, 0.2 + lift).astype(np.float32)
    return cols


def peer(
    arm: np.ndarray, cols: dict[str, np.ndarray], kinds: list[str], sessions: np.ndarray
) -> dict[str, Any]:
    from scipy import stats
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    masks = [arm == a for a in range(4)]
    est, pvals, cis = [], [], []
    for y, kind in zip(cols.values(), kinds):
        yc = y[masks[0]]
        if kind == "ratio":
            sc = sessions[masks[0]]
        for a in (1, 2, 3):
            yt = y[masks[a]]
            if kind == "mean":
                r = stats.ttest_ind(yt, yc, equal_var=False)
                est.append(float(yt.mean()) - float(yc.mean()))
                pvals.append(r.pvalue)
                cis.append(tuple(r.confidence_interval()))
            elif kind == "proportion":
                count = np.array([yt.sum(), yc.sum()])
                nobs = np.array([yt.size, yc.size])
                _, p = proportions_ztest(count, nobs)
                cis.append(confint_proportions_2indep(count[0], nobs[0], count[1], nobs[1], method="newcomb"))
                est.append(count[0] / nobs[0] - count[1] / nobs[1])
                pvals.append(p)
            else:
                st = sessions[masks[a]]

                def ratio(num: np.ndarray, den: np.ndarray) -> tuple[float, float]:
                    mn, md = num.mean(dtype=np.float64), den.mean(dtype=np.float64)
                    c = np.cov(num, den)
                    v = (c[0, 0] / md**2 - 2 * mn * c[0, 1] / md**3 + mn**2 * c[1, 1] / md**4) / num.size
                    return mn / md, v

                (rt, vt), (rc, vc) = ratio(yt, st), ratio(yc, sc)
                d, se = rt - rc, np.sqrt(vt + vc)
                est.append(d)
                pvals.append(2 * stats.norm.sf(abs(d / se)))
                cis.append((d - 1.959963984540054 * se, d + 1.959963984540054 * se))
    adjusted = multipletests(pvals, method="holm")[1]
    return {"estimate": np.asarray(est), "pvalue_adjusted": adjusted}


def missionkit_run(
    arm: np.ndarray, cols: dict[str, np.ndarray], kinds: list[str], sessions: np.ndarray
) -> Any:
    from missionkit import experiment as ex

    metrics = [
        ex.Metric(name, kind=kind, denominator="sessions" if kind == "ratio" else None)
        for name, kind in zip(cols, kinds)
    ]
    return ex.ab_test({"arm": arm, "sessions": sessions, **cols}, arm="arm", metrics=metrics)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=10_000_000)
    ap.add_argument("--metrics", type=int, default=100)
    ap.add_argument("--batch", type=int, default=25, help="metrics materialised at once")
    args = ap.parse_args()
    import scipy.stats  # noqa: F401
    import statsmodels.stats.proportion  # noqa: F401

    import missionkit  # noqa: F401  (imports outside the timed region)

    n = args.units
    rng = np.random.default_rng(2026)
    arm = rng.integers(0, 4, size=n).astype(np.int32)
    sessions = (1 + rng.poisson(2, size=n)).astype(np.float32)
    pattern = ["proportion", "proportion", "mean", "mean", "ratio"]
    kinds_all = [pattern[j % 5] for j in range(args.metrics)]
    t_mk = t_peer = 0.0
    for start in range(0, args.metrics, args.batch):
        kinds = kinds_all[start : start + args.batch]
        cols = make_batch(rng, n, kinds, arm, sessions)
        t0 = time.perf_counter()
        r = missionkit_run(arm, cols, kinds, sessions)
        t1 = time.perf_counter()
        p = peer(arm, cols, kinds, sessions)
        t2 = time.perf_counter()
        t_mk += t1 - t0
        t_peer += t2 - t1
        # Both must agree before the times mean anything (the order is metric x arm in both).
        mk_est = np.asarray(r.comparisons["estimate"])
        # numpy's float32 means carry ~1e-7 relative error on values up to ~10, hence the absolute slack
        np.testing.assert_allclose(mk_est, p["estimate"], rtol=1e-4, atol=1e-5)
        print(
            f"metrics {start}-{start + len(kinds) - 1}: missionkit {t1 - t0:.2f} s, peer {t2 - t1:.2f} s",
            flush=True,
        )
        del cols
    comparisons = 3 * args.metrics
    print(
        f"{n:,} units x {args.metrics} metrics x 4 arms ({comparisons} comparisons): "
        f"missionkit {t_mk:.2f} s, scipy/statsmodels {t_peer:.2f} s, ratio {t_peer / t_mk:.1f}x"
    )


if __name__ == "__main__":
    main()
