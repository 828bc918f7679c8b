"""Ratio-metric (delta method) and NPS intervals against independent numpy closed forms, a seeded
bootstrap (to Monte-Carlo error), and the ``nps`` measure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import missionkit as mk
from missionkit import stats as st

Z = float(stats.norm.ppf(0.975))


def units(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Customers (x = active days) and their contacts (y), correlated with x."""
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 30, n).astype(np.float64)
    y = rng.poisson(0.2 * x + rng.gamma(1.0, 1.0, n)).astype(np.float64)
    return y, x


def delta(y: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """Deng, Knoblich & Lu (2018), written independently: np.cov with ddof=1."""
    n = y.size
    mx, my = x.mean(), y.mean()
    c = np.cov(x, y, ddof=1)
    var = (c[1, 1] / mx**2 - 2 * my * c[0, 1] / mx**3 + my**2 * c[0, 0] / mx**4) / n
    return float(my / mx), float(np.sqrt(var))


@pytest.mark.parametrize(("n", "seed", "alpha"), [(2, 1, 0.05), (37, 2, 0.1), (5000, 3, 0.01)])
def test_ratio_ci_matches_numpy(n: int, seed: int, alpha: float) -> None:
    y, x = units(n, seed)
    r, se = delta(y, x)
    z = stats.norm.ppf(1 - alpha / 2)
    got = st.ratio_ci(y, x, alpha=alpha)
    assert got.estimate == pytest.approx(y.sum() / x.sum(), rel=1e-12)
    assert got.se == pytest.approx(se, rel=1e-12)
    assert got.ci == pytest.approx((r - z * se, r + z * se), rel=1e-12, abs=1e-14)
    assert got.method == "delta"
    assert got.alpha == alpha


def test_ratio_ci_agrees_with_bootstrap() -> None:
    # Resampling units (B = 10,000, seeded): the bootstrap SD of sum(y)/sum(x) estimates the same
    # quantity as the delta method, to O(1/n) and Monte-Carlo error (~0.7% at this B).
    y, x = units(800, 4)
    rng = np.random.default_rng(5)
    idx = rng.integers(0, y.size, (10_000, y.size))
    boot = y[idx].sum(axis=1) / x[idx].sum(axis=1)
    got = st.ratio_ci(y, x)
    assert got.se == pytest.approx(boot.std(ddof=1), rel=0.03)
    lo, hi = np.quantile(boot, [0.025, 0.975])
    width = hi - lo
    assert got.ci[0] == pytest.approx(lo, abs=0.03 * width)
    assert got.ci[1] == pytest.approx(hi, abs=0.03 * width)


def test_ratio_ci_inputs() -> None:
    y, x = units(50, 6)
    base = st.ratio_ci(y, x)
    # Lists, pandas Series, int and non-contiguous arrays all give the same answer.
    assert st.ratio_ci(list(y), list(x)) == base
    assert st.ratio_ci(pd.Series(y), pd.Series(x)) == base
    assert st.ratio_ci(y.astype(np.int64), x.astype(np.int32)) == base
    assert st.ratio_ci(np.repeat(y, 2)[::2], np.repeat(x, 2)[::2]) == base
    assert "RatioResult(ratio, delta" in repr(base)
    assert base.to_dict()["ci"] == base.ci
    assert "<table" in base._repr_html_()


def test_ratio_errors() -> None:
    with pytest.raises(mk.DomainError, match=r"ratio_ci: num\[1\] is nan"):
        st.ratio_ci([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(mk.DomainError, match="need at least 2 units"):
        st.ratio_ci([1.0], [1.0])
    with pytest.raises(mk.DomainError, match="same length"):
        st.ratio_ci([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(mk.DomainError, match="denominator sums to 0"):
        st.ratio_ci([1.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="must be 1-D"):
        st.ratio_ci(np.ones((2, 2)), np.ones((2, 2)))
    with pytest.raises(mk.DomainError, match=r"diff_ratio_ci: den2\[0\] is inf"):
        st.diff_ratio_ci([1.0, 2.0], [1.0, 2.0], [1.0, 2.0], [np.inf, 2.0])


def test_diff_ratio_ci_matches_numpy() -> None:
    y1, x1 = units(300, 7)
    y2, x2 = units(450, 8)
    r1, s1 = delta(y1, x1)
    r2, s2 = delta(y2, x2)
    se = float(np.sqrt(s1**2 + s2**2))
    got = st.diff_ratio_ci(y1, x1, y2, x2)
    assert got.estimate == pytest.approx(r1 - r2, rel=1e-12)
    assert got.se == pytest.approx(se, rel=1e-12)
    assert got.ci == pytest.approx((r1 - r2 - Z * se, r1 - r2 + Z * se), rel=1e-12)


@pytest.mark.parametrize(
    ("promoters", "passives", "detractors", "alpha"),
    [(120, 50, 30, 0.05), (3, 1, 9, 0.1), (0, 5, 5, 0.05), (1000.5, 20.25, 400, 0.01), (7, 0, 0, 0.05)],
)
def test_nps_ci_matches_numpy(promoters: float, passives: float, detractors: float, alpha: float) -> None:
    n = promoters + passives + detractors
    p, d = promoters / n, detractors / n
    est = 100 * (p - d)
    se = 100 * np.sqrt((p + d - (p - d) ** 2) / n)
    z = stats.norm.ppf(1 - alpha / 2)
    got = st.nps_ci(promoters, passives, detractors, alpha=alpha)
    assert got.estimate == pytest.approx(est, rel=1e-12, abs=1e-12)
    assert got.se == pytest.approx(se, rel=1e-12, abs=1e-12)
    want = (max(-100.0, est - z * se), min(100.0, est + z * se))
    assert got.ci == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_nps_ci_hand_computed() -> None:
    # 120 / 50 / 30 of 200: NPS = 60 - 15 = 45; var = (0.75 - 0.45**2) / 200; se = 100 * sqrt(0.0027375).
    got = st.nps_ci(120, 50, 30)
    assert got.estimate == pytest.approx(45.0, rel=1e-14)
    assert got.se == pytest.approx(5.232112384114088, rel=1e-14)
    assert repr(got) == "RatioResult(nps, wald: estimate=45, ci95=(34.75, 55.25), se=5.232)"


def test_nps_ci_agrees_with_nps_measure() -> None:
    rng = np.random.default_rng(9)
    n = 400
    scores = rng.integers(0, 11, n).astype(np.float64)
    t0 = pd.Timestamp("2026-01-05T09:00:00Z")
    frame = pd.DataFrame(
        {"cust": np.arange(n), "start": t0 + pd.to_timedelta(np.arange(n) * 60, unit="s"), "nps": scores}
    )
    got = mk.ContactLog.from_frame(frame, customer="cust", start="start", nps="nps").nps()
    mine = st.nps_ci((scores >= 9).sum(), ((scores >= 7) & (scores <= 8)).sum(), (scores <= 6).sum())
    assert got.value == mine.estimate
    assert tuple(got.ci) == mine.ci


def test_nps_errors() -> None:
    with pytest.raises(ValueError, match="method must be 'wald'"):
        st.nps_ci(1, 2, 3, method="score")
    with pytest.raises(mk.DomainError, match="nps_ci: promoters must be >= 0"):
        st.nps_ci(-1, 2, 3)
    with pytest.raises(mk.DomainError, match="must be > 0"):
        st.nps_ci(0, 0, 0)
    with pytest.raises(mk.DomainError, match="nps_ci: alpha"):
        st.nps_ci(1, 2, 3, alpha=0.0)
