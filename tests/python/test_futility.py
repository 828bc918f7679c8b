"""Non-binding beta-spending futility bounds of one-sided group-sequential designs (gsDesign test.type=4).

Oracle: an independent recursive numerical integration written here with numpy/scipy (uniform grids with
Simpson weights, 0.005 wide, on +-10 SD around the mean: a different grid and quadrature from the C++ J&T
grid), which computes first-exit probabilities of the canonical joint distribution
Z_k ~ N(drift sqrt(t_k), 1), cov(Z_j, Z_k) = sqrt(t_j / t_k), for given bounds. The library's bounds must
satisfy the defining equations under that oracle to 1e-7:
- efficacy: P_0(first Z_k >= b_k, ignoring the futility bounds) = alpha(t_k) - alpha(t_{k-1});
- futility: P_delta(first exit below a_k, both bounds) = beta(t_k) - beta(t_{k-1}) for k < K;
- total type-II error (with a_K = b_K) = beta, i.e. power 1 - beta under the drift.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import missionkit as mk

H = 0.005


def _simpson_grid(lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    m = max(math.ceil((hi - lo) / H / 2) * 2, 2)
    z = np.linspace(lo, hi, m + 1)
    w = np.ones(m + 1)
    w[1:-1:2] = 4
    w[2:-1:2] = 2
    return z, w * (hi - lo) / m / 3


def exit_probs(t: list[float], a: list[float], b: list[float], drift: float) -> tuple[np.ndarray, np.ndarray]:
    """P(first exit above b_k at look k), P(first exit below a_k at look k)."""
    up, lo = np.zeros(len(t)), np.zeros(len(t))
    z = dens = None
    for k, tk in enumerate(t):
        mean = drift * math.sqrt(tk)
        if k == 0:
            up[k] = stats.norm.sf(b[k] - mean)
            lo[k] = stats.norm.cdf(a[k] - mean)
        else:
            dt = tk - t[k - 1]
            cm = (z * math.sqrt(t[k - 1]) + drift * dt) / math.sqrt(tk)
            cs = math.sqrt(dt / tk)
            up[k] = np.sum(dens * stats.norm.sf((b[k] - cm) / cs))
            lo[k] = np.sum(dens * stats.norm.cdf((a[k] - cm) / cs))
        g_lo, g_hi = max(a[k], mean - 10), min(b[k], mean + 10)
        if g_lo >= g_hi:
            break
        zn, wn = _simpson_grid(g_lo, g_hi)
        if k == 0:
            dn = stats.norm.pdf(zn - mean)
        else:
            dn = (stats.norm.pdf((zn[:, None] - cm[None, :]) / cs) / cs) @ dens
        z, dens = zn, dn * wn
    return up, lo


def ldof(level: float, t: np.ndarray) -> np.ndarray:
    return np.where(t >= 1, level, 2 * stats.norm.sf(stats.norm.isf(level / 2) / np.sqrt(t)))


def ldpocock(level: float, t: np.ndarray) -> np.ndarray:
    return np.where(t >= 1, level, level * np.log1p((math.e - 1) * t))


@pytest.mark.parametrize(
    ("k", "spending", "futility", "alpha", "power"),
    [
        (3, "obrien_fleming", "obrien_fleming", 0.025, 0.9),
        (4, "obrien_fleming", "pocock", 0.025, 0.8),
        (2, "pocock", "obrien_fleming", 0.05, 0.9),
    ],
)
def test_bounds_satisfy_spending_equations(
    k: int, spending: str, futility: str, alpha: float, power: float
) -> None:
    g = mk.experiment.group_sequential(
        k=k, alpha=alpha, spending=spending, sides=1, futility=futility, power=power
    )
    t = [float(v) for v in g.information_fraction]
    b = [float(v) for v in g.bounds]
    a = [float(v) for v in g.futility_bounds]
    beta = 1 - power
    sf_a = ldof if spending == "obrien_fleming" else ldpocock
    sf_b = ldof if futility == "obrien_fleming" else ldpocock
    # efficacy bounds are non-binding: computed under H0 without the futility bounds
    up0, _ = exit_probs(t, [-math.inf] * k, b, 0.0)
    np.testing.assert_allclose(np.cumsum(up0), sf_a(alpha, np.array(t)), atol=1e-8)
    # and identical to the design without futility
    np.testing.assert_array_equal(
        g.bounds, mk.experiment.group_sequential(k=k, alpha=alpha, spending=spending, sides=1).bounds
    )
    # futility bounds spend beta under the drift, with both bounds in place
    assert a[-1] == b[-1]
    up1, lo1 = exit_probs(t, a, b, g.drift)
    np.testing.assert_allclose(np.cumsum(lo1)[:-1], sf_b(beta, np.array(t[:-1])), atol=1e-7)
    assert lo1.sum() == pytest.approx(beta, abs=1e-7)
    assert up1.sum() == pytest.approx(power, abs=1e-7)
    np.testing.assert_allclose(g.beta_spent, np.cumsum(lo1), atol=1e-7)
    # inflation: maximum information over the fixed design's
    fixed = stats.norm.isf(alpha) + stats.norm.isf(beta)
    assert g.inflation == pytest.approx((g.drift / fixed) ** 2, rel=1e-12)
    assert 1.0 < g.inflation < 1.5
    assert np.all(np.array(a[:-1]) < np.array(b[:-1]))


def test_monitoring_with_futility_and_resume() -> None:
    g = mk.experiment.group_sequential(
        k=3, alpha=0.025, sides=1, futility="obrien_fleming", power=0.9, information=[100, 200, 300]
    )
    drift = g.drift
    lk = g.record(-0.5, 110)  # below the first futility bound (about -0.1 at t = 1/3)
    assert lk.futile and not lk.crossed and lk.futility == pytest.approx(float(g.futility_bounds[0]))
    # the bound at the actual fraction 110/300 spends beta(110/300) with the design drift
    t = [110 / 300, 200 / 300, 1.0]
    _, lo1 = exit_probs(t, [float(v) for v in g.futility_bounds], [float(v) for v in g.bounds], drift)
    assert lo1[0] == pytest.approx(float(ldof(0.1, np.array([110 / 300]))[0]), abs=1e-8)
    # non-binding: the trial may go on, and the efficacy bounds are unchanged by futility
    g.record(1.0, 200)
    state = g.to_dict()
    assert state["futility"] == "obrien_fleming" and state["power"] == 0.9
    h = mk.experiment.GroupSequential.from_dict(state)
    np.testing.assert_array_equal(h.bounds, g.bounds)
    np.testing.assert_array_equal(h.futility_bounds, g.futility_bounds)
    assert [lk.futile for lk in h.looks] == [True, False]
    last = h.record(1.5, 300)
    assert last.futility == last.upper and last.futile and h.finished
    assert "futility" in h.summary()


def test_old_state_and_no_futility() -> None:
    g = mk.experiment.group_sequential(k=3, alpha=0.05)
    assert g.futility is None and g.futility_bounds is None and g.drift is None and g.inflation is None
    state = g.to_dict()
    del state["futility"], state["power"]  # a state saved before futility bounds existed
    h = mk.experiment.GroupSequential.from_dict(state)
    np.testing.assert_array_equal(h.bounds, g.bounds)
    assert h.looks == [] and h.futility is None


def test_futility_errors() -> None:
    with pytest.raises(ValueError, match="one-sided"):
        mk.experiment.group_sequential(k=3, sides=2, futility="obrien_fleming")
    with pytest.raises(ValueError, match="power"):
        mk.experiment.group_sequential(k=3, sides=1, alpha=0.05, futility="pocock", power=0.04)
    with pytest.raises(ValueError, match="spending"):
        mk.experiment.group_sequential(k=3, sides=1, futility="linear")
