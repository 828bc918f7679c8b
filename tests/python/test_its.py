"""mk.experiment.interrupted_time_series against statsmodels OLS with the same design and HAC, and a
simulation with a planted level shift."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import missionkit as mk
from missionkit.its import default_maxlags

RTOL = 1e-9


def series(
    n: int, t0: int, level: float, slope: float, seed: int, rho: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Monthly-like series: trend, seasonality, AR(1) noise, a planted level and slope change at t0."""
    rng = np.random.default_rng(seed)
    t = np.arange(1, n + 1, dtype=np.float64)
    e = np.empty(n)
    e[0] = rng.normal()
    for i in range(1, n):
        e[i] = rho * e[i - 1] + rng.normal()
    post = t >= t0
    y = 10 + 0.3 * t + 2 * np.sin(2 * np.pi * t / 12) + level * post + slope * (t - t0) * post + e
    return y, t


def check(res: mk.experiment.ITSResult, y: np.ndarray) -> None:
    w = sm.OLS(y, res.design, missing="drop").fit(cov_type="HAC", cov_kwds={"maxlags": res.maxlags})
    np.testing.assert_allclose(res.ols.params, w.params, rtol=RTOL)
    np.testing.assert_allclose(res.ols.bse, w.bse, rtol=RTOL)
    np.testing.assert_allclose(res.ols.pvalues, w.pvalues, rtol=1e-7, atol=1e-300)
    ci = w.conf_int()
    for j, eff in ((2, res.level_change), (3, res.slope_change)):
        assert eff.estimate == pytest.approx(w.params[j], rel=RTOL)
        assert eff.std_error == pytest.approx(w.bse[j], rel=RTOL)
        assert eff.ci_low == pytest.approx(ci[j, 0], rel=RTOL)
        assert eff.ci_high == pytest.approx(ci[j, 1], rel=RTOL)
        assert eff.pvalue == pytest.approx(w.pvalues[j], rel=1e-7, abs=1e-300)


@pytest.mark.parametrize(("season", "maxlags"), [("month", None), ("fourier", None), (None, 6), ("month", 0)])
def test_matches_statsmodels(season: str | None, maxlags: int | None) -> None:
    y, t = series(96, 61, level=3.0, slope=-0.2, seed=11)
    res = mk.experiment.interrupted_time_series(y, t, 61, season=season, maxlags=maxlags)
    check(res, y)
    assert res.maxlags == (default_maxlags(96) if maxlags is None else maxlags)
    assert res.ols.names[:4] == ["const", "time", "post", "time_since_intervention"]
    assert res.n_pre == 60 and res.n_post == 36


def test_design_matrix() -> None:
    y, t = series(48, 25, level=1.0, slope=0.0, seed=2)
    month = mk.experiment.interrupted_time_series(y, t, 25, season="month").design
    assert month.shape == (48, 4 + 11)
    np.testing.assert_array_equal(month[:, 2], (t >= 25).astype(float))
    np.testing.assert_array_equal(month[:, 3], np.where(t >= 25, t - 25, 0.0))
    fourier = mk.experiment.interrupted_time_series(y, t, 25, season="fourier", fourier_terms=3).design
    np.testing.assert_allclose(fourier[:, 8], np.sin(2 * np.pi * 3 * t / 12))
    assert mk.experiment.interrupted_time_series(y, t, 25, season=None).design.shape == (48, 4)


def test_datetimes_are_monthly_periods() -> None:
    y, t = series(60, 37, level=2.0, slope=0.1, seed=4)
    dates = pd.date_range("2019-01-01", periods=60, freq="MS")
    res = mk.experiment.interrupted_time_series(pd.Series(y), pd.Series(dates), "2022-01-15")
    check(res, y)
    num = mk.experiment.interrupted_time_series(y, t, 37)
    assert res.level_change.estimate == pytest.approx(num.level_change.estimate, rel=1e-9)
    assert res.slope_change.std_error == pytest.approx(num.slope_change.std_error, rel=1e-9)
    assert res.n_pre == 36


def test_missing_values_are_dropped() -> None:
    y, t = series(72, 40, level=2.0, slope=0.0, seed=8)
    y[[5, 50]] = np.nan
    res = mk.experiment.interrupted_time_series(y, t, 40)
    check(res, y)
    assert res.ols.nobs_dropped == 2 and math.isnan(res.fitted[5]) and not math.isnan(res.counterfactual[5])
    assert res.maxlags == default_maxlags(70)


def test_counterfactual_and_effect() -> None:
    y, t = series(60, 31, level=4.0, slope=0.3, seed=9)
    res = mk.experiment.interrupted_time_series(y, t, 31)
    b = res.ols.params
    np.testing.assert_allclose(
        res.effect, b[2] * (t >= 31) + b[3] * np.where(t >= 31, t - 31, 0.0), atol=1e-9
    )
    np.testing.assert_allclose(res.fitted, res.design @ b)
    np.testing.assert_allclose(res.fitted[:30], res.counterfactual[:30])


def test_planted_level_shift_is_recovered() -> None:
    y, t = series(120, 73, level=5.0, slope=0.0, seed=2026)
    res = mk.experiment.interrupted_time_series(y, t, 73)
    assert res.level_change.ci_low < 5.0 < res.level_change.ci_high
    assert res.level_change.pvalue < 1e-6
    assert res.slope_change.ci_low < 0.0 < res.slope_change.ci_high


def test_coverage_of_planted_shift() -> None:
    # Newey-West intervals are somewhat liberal at n = 120 with AR(1) errors; 200 replications.
    covered = 0
    for seed in range(200):
        y, t = series(120, 73, level=5.0, slope=0.0, seed=seed)
        r = mk.experiment.interrupted_time_series(y, t, 73).level_change
        covered += r.ci_low < 5.0 < r.ci_high
    assert covered >= 160


def test_repr_summary_and_dict() -> None:
    y, t = series(60, 31, level=4.0, slope=0.0, seed=1)
    res = mk.experiment.interrupted_time_series(y, t, 31)
    assert repr(res).startswith("ITSResult(level_change=")
    text = res.summary()
    assert "level change at t0" in text and "Newey-West SEs with 3 lags" in text
    d = res.to_dict()
    assert d["level_change"]["estimate"] == res.level_change.estimate
    assert d["n_post"] == 30 and len(d["counterfactual"]) == 60
    assert "<div class='missionkit-its'>" in res._repr_html_()


def test_errors() -> None:
    y, t = series(30, 15, level=1.0, slope=0.0, seed=3)
    with pytest.raises(ValueError, match="strictly increasing"):
        mk.experiment.interrupted_time_series(y, t[::-1], 15)
    with pytest.raises(ValueError, match="at least 2 observed periods"):
        mk.experiment.interrupted_time_series(y, t, 30)
    with pytest.raises(ValueError, match="season must be"):
        mk.experiment.interrupted_time_series(y, t, 15, season="week")
    with pytest.raises(ValueError, match="must be a date"):
        mk.experiment.interrupted_time_series(y, pd.date_range("2020-01-01", periods=30, freq="MS"), "x")
