"""Stepped-wedge designs. Oracle for the Hussey & Hughes (2007) closed form: the GLS variance of theta
computed from the full I*T x I*T covariance matrix (random cluster intercept, period fixed effects) by
numpy, Var(theta_hat) = [(Z' V^-1 Z)^-1]_theta,theta."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import missionkit as mk
from missionkit.experiment import stepped_wedge_design, stepped_wedge_power


def gls_variance(x: np.ndarray, sigma_e: float, tau: float, m: float) -> float:
    n_i, n_t = x.shape
    s2 = sigma_e**2 / m
    cov = np.kron(np.eye(n_i), s2 * np.eye(n_t) + tau**2 * np.ones((n_t, n_t)))
    periods = np.tile(np.eye(n_t), (n_i, 1))
    z = np.column_stack([periods, x.reshape(-1)])
    info = z.T @ np.linalg.solve(cov, z)
    return float(np.linalg.inv(info)[-1, -1])


def test_design_matrix() -> None:
    x = stepped_wedge_design(steps=3, clusters=6)
    assert x.shape == (6, 4)
    expected = np.array([[0, 1, 1, 1]] * 2 + [[0, 0, 1, 1]] * 2 + [[0, 0, 0, 1]] * 2)
    np.testing.assert_array_equal(x, expected)
    np.testing.assert_array_equal(stepped_wedge_design(steps=3, clusters_per_step=2), expected)
    y = stepped_wedge_design(clusters_per_step=[1, 2], baseline_periods=2)
    np.testing.assert_array_equal(y, [[0, 0, 1, 1], [0, 0, 0, 1], [0, 0, 0, 1]])


def test_design_errors() -> None:
    with pytest.raises(ValueError, match="multiple of steps"):
        stepped_wedge_design(steps=3, clusters=7)
    with pytest.raises(ValueError, match="baseline_periods"):
        stepped_wedge_design(steps=3, clusters=6, baseline_periods=0)
    with pytest.raises(ValueError, match="steps"):
        stepped_wedge_design(clusters=6)


@pytest.mark.parametrize(
    ("clusters", "steps", "baseline", "sigma_e", "tau", "m"),
    [(6, 3, 1, 2.0, 0.5, 20), (24, 4, 1, 1.0, 0.1, 50), (10, 5, 2, 3.0, 1.0, 5), (8, 8, 1, 1.0, 0.0, 10)],
)
def test_power_matches_gls_oracle(
    clusters: int, steps: int, baseline: int, sigma_e: float, tau: float, m: float
) -> None:
    x = stepped_wedge_design(steps=steps, clusters=clusters, baseline_periods=baseline)
    r = stepped_wedge_power(x, effect=0.3, sigma_e=sigma_e, tau=tau, m=m)
    want = gls_variance(x.astype(float), sigma_e, tau, m)
    assert r.variance == pytest.approx(want, rel=1e-10)
    assert r.power == pytest.approx(stats.norm.cdf(0.3 / math.sqrt(want) - stats.norm.ppf(0.975)), abs=1e-12)
    assert (r.clusters, r.periods) == x.shape


def test_icc_parametrisation_and_arbitrary_design() -> None:
    x = stepped_wedge_design(steps=4, clusters=8)
    icc = 0.05
    tau = math.sqrt(icc / (1 - icc))
    a = stepped_wedge_power(x, effect=0.2, sigma_e=1.0, icc=icc, m=30)
    b = stepped_wedge_power(x, effect=0.2, sigma_e=1.0, tau=tau, m=30)
    assert a.power == pytest.approx(b.power, rel=1e-12)
    assert a.icc == pytest.approx(icc)
    incomplete = np.array([[0, 1, 1], [0, 0, 1], [0, 1, 0]])
    r = stepped_wedge_power(incomplete, effect=1.0, sigma_e=1.0, tau=0.7, m=4)
    assert r.variance == pytest.approx(gls_variance(incomplete.astype(float), 1.0, 0.7, 4), rel=1e-10)
    assert "power" in r.summary() and r.to_dict()["clusters"] == 3


def test_power_errors() -> None:
    x = stepped_wedge_design(steps=2, clusters=4)
    with pytest.raises(ValueError, match="exactly one of tau and icc"):
        stepped_wedge_power(x, effect=1.0, sigma_e=1.0, m=10)
    with pytest.raises(mk.DomainError, match="sigma_e"):
        stepped_wedge_power(x, effect=1.0, sigma_e=0.0, tau=0.1, m=10)
    with pytest.raises(mk.DomainError, match="not identified"):
        stepped_wedge_power(np.zeros((3, 3)), effect=1.0, sigma_e=1.0, tau=0.1, m=10)
    with pytest.raises(ValueError, match="0 or 1"):
        stepped_wedge_power(np.array([[0, 2], [0, 1]]), effect=1.0, sigma_e=1.0, tau=0.1, m=10)
