"""mk.stats.bootstrap_ci for statistics other than the mean (median, quantiles, ratio of sums, difference
of two groups' means) and one-sided intervals.

Bootstrap output is random, so the oracles are: the replicates rebuilt by explicit resampling (each
observation repeated by its Poisson weight, then numpy), exact reproducibility across thread counts,
agreement of the bootstrap standard error with the known asymptotic one, and seeded coverage
simulations. None of them reads the engine's own output back.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import missionkit as mk
from missionkit import stats as st
from missionkit.stats._common import _s


def weights(n: int, b: int, seed: int, offset: int = 0) -> np.ndarray:
    """The b x n Poisson weights, one call per (replicate, index): the engine's documented weights."""
    return np.array(
        [[_s.poisson_bootstrap_weight(seed, r, offset + i) for i in range(n)] for r in range(b)], dtype=int
    )


@pytest.mark.parametrize(
    ("statistic", "q"), [("median", 0.5), (("quantile", 0.25), 0.25), (("quantile", 0.9), 0.9)]
)
def test_quantile_replicates_match_explicit_resampling(statistic: object, q: float) -> None:
    x = np.random.default_rng(4).lognormal(size=35)
    b, seed, alpha = 200, 11, 0.1
    w = weights(x.size, b, seed)
    reps = np.array([np.quantile(np.repeat(x, wr), q) for wr in w if wr.sum() > 0])
    for method in ("percentile", "basic"):
        got = st.bootstrap_ci(x, statistic, alpha=alpha, method=method, n_resamples=b, seed=seed)  # type: ignore[arg-type]
        lo, hi = np.quantile(reps, [alpha / 2, 1 - alpha / 2])
        want = (lo, hi) if method == "percentile" else (2 * got.estimate - hi, 2 * got.estimate - lo)
        np.testing.assert_allclose(got.ci, want, rtol=1e-12)
        assert got.estimate == pytest.approx(float(np.quantile(x, q)), rel=1e-14)
        assert got.standard_error == pytest.approx(float(np.std(reps, ddof=1)), rel=1e-12)
    # BCa acceleration: scipy's formula on a direct leave-one-out jackknife.
    jack = np.array([np.quantile(np.delete(x, i), q) for i in range(x.size)])
    d = jack.mean() - jack
    accel = (d**3).sum() / (6 * ((d**2).sum()) ** 1.5)
    got = st.bootstrap_ci(x, statistic, method="bca", n_resamples=b, seed=seed)  # type: ignore[arg-type]
    assert got.acceleration == pytest.approx(accel, rel=1e-10, abs=1e-15)


def test_ratio_and_diff_means_match_explicit_resampling() -> None:
    rng = np.random.default_rng(9)
    num, den = rng.exponential(size=40), rng.exponential(size=40) + 0.5
    b, seed = 200, 3
    w = weights(40, b, seed)
    reps = (w @ num) / (w @ den)
    got = st.bootstrap_ci((num, den), "ratio", method="percentile", n_resamples=b, seed=seed)
    np.testing.assert_allclose(got.ci, np.quantile(reps, [0.025, 0.975]), rtol=1e-12)
    assert got.estimate == pytest.approx(num.sum() / den.sum(), rel=1e-14)

    x, y = rng.normal(size=20), rng.normal(1.0, 2.0, size=27)
    wx, wy = weights(20, b, seed), weights(27, b, seed, offset=20)
    keep = (wx.sum(1) > 0) & (wy.sum(1) > 0)
    reps = (wx @ x / wx.sum(1) - wy @ y / wy.sum(1))[keep]
    got = st.bootstrap_ci((x, y), "diff_means", method="basic", n_resamples=b, seed=seed)
    lo, hi = np.quantile(reps, [0.025, 0.975])
    est = x.mean() - y.mean()
    np.testing.assert_allclose(got.ci, (2 * est - hi, 2 * est - lo), rtol=1e-12)


def test_diff_means_agrees_with_scipy_bootstrap() -> None:
    # Different resampling schemes (Poisson vs multinomial): agreement to Monte-Carlo error only.
    rng = np.random.default_rng(5)
    x, y = rng.exponential(2.0, size=300), rng.exponential(1.5, size=250)
    got = st.bootstrap_ci((x, y), "diff_means", method="bca", n_resamples=10000, seed=1)
    want = stats.bootstrap(
        (x, y),
        lambda a, b, axis=-1: a.mean(axis) - b.mean(axis),
        n_resamples=10000,
        method="BCa",
        rng=np.random.default_rng(2),
    )
    width = want.confidence_interval.high - want.confidence_interval.low
    assert got.ci[0] == pytest.approx(want.confidence_interval.low, abs=0.04 * width)
    assert got.ci[1] == pytest.approx(want.confidence_interval.high, abs=0.04 * width)
    assert got.standard_error == pytest.approx(want.standard_error, rel=0.04)


def test_standard_errors_match_asymptotic_theory() -> None:
    # Median of N(0, 1): SE -> 1 / (2 f(0) sqrt(n)) = sqrt(pi / 2) / sqrt(n). The bootstrap SE of a median
    # has relative noise of order n^(-1/4) per sample, so four samples are averaged; 8% is ~3 SD.
    n = 20000
    ses = [
        st.bootstrap_ci(
            np.random.default_rng(s).normal(size=n), "median", n_resamples=400, seed=s
        ).standard_error
        for s in range(4)
    ]
    assert float(np.mean(ses)) == pytest.approx(math.sqrt(math.pi / 2 / n), rel=0.08)
    # Ratio of sums: delta-method SE sqrt(sum (y - r x)^2) / sum x; difference of means:
    # sqrt(var_x / n_x + var_y / n_y) (ddof 0, the plug-in). MC error of the SE with B = 2000 is ~1.6%.
    rng = np.random.default_rng(8)
    den = rng.poisson(5, size=5000) + 1.0
    num = den * rng.gamma(2.0, 1.5, size=5000)
    r = num.sum() / den.sum()
    delta = math.sqrt(((num - r * den) ** 2).sum()) / den.sum()
    assert st.bootstrap_ci((num, den), "ratio", seed=2).standard_error == pytest.approx(delta, rel=0.06)
    x, y = rng.normal(size=3000), rng.exponential(3.0, size=2000)
    plug_in = math.sqrt(x.var() / x.size + y.var() / y.size)
    assert st.bootstrap_ci((x, y), "diff_means", seed=3).standard_error == pytest.approx(plug_in, rel=0.06)


def test_coverage_simulation() -> None:
    # 300 seeded samples of n = 60 from Exp(1) (median ln 2). Binomial SD of a 90% coverage over 300
    # trials is 1.7%, so [0.84, 0.96] is ~3.5 SD either side; one-sided 90% bounds the same.
    truth = math.log(2.0)
    two = larger = smaller = 0
    trials = 300
    for s in range(trials):
        x = np.random.default_rng(1000 + s).exponential(size=60)
        lo, hi = st.bootstrap_ci(x, "median", alpha=0.1, n_resamples=400, seed=s).ci
        two += lo <= truth <= hi
        larger += (
            st.bootstrap_ci(x, "median", alpha=0.1, n_resamples=400, seed=s, alternative="larger").ci[0]
            <= truth
        )
        smaller += (
            truth
            <= st.bootstrap_ci(x, "median", alpha=0.1, n_resamples=400, seed=s, alternative="smaller").ci[1]
        )
    for covered in (two, larger, smaller):
        assert 0.84 <= covered / trials <= 0.96, (two, larger, smaller)


def test_one_sided_bounds_are_the_two_sided_ones_at_twice_alpha() -> None:
    x = np.random.default_rng(2).gamma(2.0, size=500)
    for statistic in ("mean", "median"):
        for method in ("percentile", "basic", "bca"):
            two = st.bootstrap_ci(x, statistic, alpha=0.2, method=method, n_resamples=500, seed=4)
            up = st.bootstrap_ci(
                x, statistic, alpha=0.1, method=method, n_resamples=500, seed=4, alternative="larger"
            )
            down = st.bootstrap_ci(
                x, statistic, alpha=0.1, method=method, n_resamples=500, seed=4, alternative="smaller"
            )
            assert up.ci == (two.ci[0], math.inf)
            assert down.ci == (-math.inf, two.ci[1])
            assert up.alternative == "larger"
    m = st.bootstrap_mean_ci(x, alpha=0.1, n_resamples=500, seed=4, alternative="greater")
    assert m.ci[1] == math.inf
    assert m.ci[0] == st.bootstrap_ci(x, "mean", alpha=0.2, method="bca", n_resamples=500, seed=4).ci[0]


def test_same_result_for_any_thread_count() -> None:
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=30000), rng.normal(size=20000)
    old = mk.threads()
    try:
        out = []
        for t in (1, 3):
            mk.set_threads(t)
            out.append(
                (
                    st.bootstrap_ci(x, ("quantile", 0.3), method="bca", n_resamples=300, seed=5),
                    st.bootstrap_ci((np.abs(x[:20000]), np.abs(y) + 1), "ratio", n_resamples=300, seed=5),
                    st.bootstrap_ci((x, y), "diff_means", n_resamples=300, seed=5),
                )
            )
    finally:
        mk.set_threads(old)
    assert out[0] == out[1]


def test_result_object_and_errors() -> None:
    r = st.bootstrap_ci([3.0, 1.0, 2.0, 5.0, 4.0], "median", n_resamples=200)
    assert r.statistic == "median" and r.estimate == 3.0
    assert "BootstrapResult(percentile: median=3" in repr(r)
    assert st.bootstrap_ci([1.0, 2.0, 3.0], ("quantile", 0.25), n_resamples=200).statistic == "quantile(0.25)"
    with pytest.raises(ValueError, match="statistic must be"):
        st.bootstrap_ci([1.0, 2.0], "mode")
    with pytest.raises(ValueError, match=r"a tuple statistic must be \('quantile', q\)"):
        st.bootstrap_ci([1.0, 2.0], ("trim", 0.1))
    with pytest.raises(ValueError, match=r"statistic 'ratio' needs data = \(num, den\)"):
        st.bootstrap_ci(np.array([1.0, 2.0, 3.0]), "ratio")
    with pytest.raises(ValueError, match=r"num must be 1-D, got shape \(\)"):
        st.bootstrap_ci([1.0, 2.0], "ratio")
    with pytest.raises(mk.DomainError, match=r"q must be in \[0, 1\], got q=1.5"):
        st.bootstrap_ci([1.0, 2.0], ("quantile", 1.5))
    with pytest.raises(mk.DomainError, match="num and den must have the same size, got 3 and 2"):
        st.bootstrap_ci(([1.0, 2.0, 3.0], [1.0, 2.0]), "ratio")
    with pytest.raises(mk.DomainError, match=r"y\[1\] is nan"):
        st.bootstrap_ci(([1.0, 2.0, 3.0], [1.0, math.nan]), "diff_means")
    with pytest.raises(mk.DomainError, match="alternative must be one of"):
        st.bootstrap_ci([1.0, 2.0, 3.0], "median", alternative="up")
