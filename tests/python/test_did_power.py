"""Power of difference-in-differences designs (mk.experiment.did_power, Frison & Pocock 1992).

Oracles:
- the published closed form: Var(DiD) = sigma^2 D (1/n_t + 1/n_c) with
  D = (1 + (r-1) rho)/r + (1 + (m-1) rho)/m - 2 rho (Frison & Pocock 1992, CHANGE analysis), fed to
  statsmodels' NormalIndPower at effect size effect / (sigma sqrt(D));
- a seeded Monte-Carlo simulation of compound-symmetric panels analysed by the change-score z-test with
  the true variance: the rejection rate must be within 4 MC standard errors of the computed power;
- the variance of the estimate against its empirical variance over those panels.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.power import NormalIndPower

import missionkit as mk


def d_factor(rho: float, pre: int, post: int) -> float:
    return (1 + (post - 1) * rho) / post + (1 + (pre - 1) * rho) / pre - 2 * rho


@pytest.mark.parametrize(
    ("rho", "pre", "post", "ratio"), [(0.5, 1, 1, 1.0), (0.3, 3, 2, 1.5), (0.8, 4, 4, 0.5)]
)
def test_closed_form_and_solving(rho: float, pre: int, post: int, ratio: float) -> None:
    sigma, effect, n = 2.0, 0.4, 150.0
    d = d_factor(rho, pre, post)
    es = effect / (sigma * math.sqrt(d))
    r = mk.experiment.did_power(effect=effect, n=n, sigma=sigma, rho=rho, pre=pre, post=post, ratio=ratio)
    assert r.variance_factor == pytest.approx(d, rel=1e-14)
    assert r.power == pytest.approx(NormalIndPower().power(es, n, 0.05, ratio=ratio), rel=1e-10)
    assert r.std_error == pytest.approx(sigma * math.sqrt(d * (1 / n + 1 / (ratio * n))), rel=1e-14)
    # solve for n and for the effect: each inverts the power equation
    rn = mk.experiment.did_power(
        effect=effect, power=r.power, sigma=sigma, rho=rho, pre=pre, post=post, ratio=ratio
    )
    assert rn.n_treated == pytest.approx(n, rel=1e-9) and rn.n_control == pytest.approx(ratio * n, rel=1e-9)
    re = mk.experiment.did_power(n=n, power=r.power, sigma=sigma, rho=rho, pre=pre, post=post, ratio=ratio)
    assert re.effect == pytest.approx(effect, rel=1e-9)
    assert re.solved_for == "effect" and rn.solved_for == "n" and r.solved_for == "power"
    # one period each side: D = 2 (1 - rho)
    assert mk.experiment.did_power(effect=1, n=10, rho=rho).variance_factor == pytest.approx(2 * (1 - rho))


def test_monte_carlo() -> None:
    rng = np.random.default_rng(20261125)
    rho, pre, post, sigma, effect, n, reps = 0.6, 2, 3, 1.0, 0.25, 60, 4000
    r = mk.experiment.did_power(effect=effect, n=n, sigma=sigma, rho=rho, pre=pre, post=post)
    periods = pre + post
    cov = sigma**2 * (rho * np.ones((periods, periods)) + (1 - rho) * np.eye(periods))
    chol = np.linalg.cholesky(cov)
    y = rng.standard_normal((reps, 2 * n, periods)) @ chol.T
    y[:, :n, pre:] += effect  # the first n units are treated after the change
    change = y[:, :, pre:].mean(axis=2) - y[:, :, :pre].mean(axis=2)
    est = change[:, :n].mean(axis=1) - change[:, n:].mean(axis=1)
    reject = np.abs(est / r.std_error) > 1.959963984540054
    mc_se = math.sqrt(r.power * (1 - r.power) / reps)
    assert abs(reject.mean() - r.power) < 4 * mc_se
    # the empirical variance of the estimate matches sigma^2 D (2 / n) (chi-square MC error ~ sqrt(2/reps))
    assert np.var(est) == pytest.approx(r.std_error**2, rel=4 * math.sqrt(2 / reps))


def test_errors() -> None:
    f = mk.experiment.did_power
    with pytest.raises(ValueError, match="exactly one"):
        f(effect=0.1, n=10, power=0.8)
    with pytest.raises(ValueError, match="exactly one"):
        f(effect=0.1)
    with pytest.raises(ValueError, match="rho"):
        f(effect=0.1, n=10, rho=1.0)
    with pytest.raises(ValueError, match="pre and post"):
        f(effect=0.1, n=10, pre=0)
    with pytest.raises(ValueError, match="sigma"):
        f(effect=0.1, n=10, sigma=0)
    with pytest.raises(ValueError, match="not a valid correlation"):
        f(effect=0.1, n=10, rho=-0.3, pre=3, post=3)  # compound symmetry needs rho > -1/(periods - 1)
    assert f(effect=0.1, n=10, rho=-0.15, pre=3, post=3).variance_factor == pytest.approx(1.15 * (2 / 3))
    d = f(effect=0.3, power=0.9, rho=0.4, pre=2, post=2)
    assert "solved for n" in d.summary() and d.to_dict()["n_treated"] == d.n_treated
