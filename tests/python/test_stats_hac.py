"""mk.stats.ols(cov="HAC", maxlags=L) against live statsmodels OLS(...).fit(cov_type="HAC")."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from missionkit import stats as st

RTOL = 1e-9


def ar1_series(n: int, k: int, seed: int, rho: float = 0.6) -> tuple[np.ndarray, np.ndarray]:
    """Regressors and errors that are both autocorrelated, so that HAC differs from HC0."""
    rng = np.random.default_rng(seed)
    x = np.empty((n, k))
    e = np.empty(n)
    x[0], e[0] = rng.normal(size=k), rng.normal()
    for t in range(1, n):
        x[t] = rho * x[t - 1] + rng.normal(size=k)
        e[t] = rho * e[t - 1] + rng.normal() * (1 + abs(x[t, 0]) / 3)
    return 2.0 + x @ np.linspace(1, -1, k) + e, x


@pytest.mark.parametrize(
    ("n", "k", "maxlags"), [(30, 1, 0), (30, 2, 1), (200, 3, 4), (500, 2, 25), (3000, 4, 11), (2500, 3, 1500)]
)
def test_matches_statsmodels(n: int, k: int, maxlags: int) -> None:
    y, x = ar1_series(n, k, seed=n + k + maxlags)
    res = st.ols(y, x, cov="HAC", maxlags=maxlags)
    w = sm.OLS(y, sm.add_constant(x)).fit(cov_type="HAC", cov_kwds={"maxlags": maxlags})
    assert not w.use_t and not res.use_t  # both: normal reference distribution by default
    np.testing.assert_allclose(res.params, w.params, rtol=RTOL)
    np.testing.assert_allclose(res.bse, w.bse, rtol=RTOL)
    np.testing.assert_allclose(res.tvalues, w.tvalues, rtol=RTOL)
    np.testing.assert_allclose(res.pvalues, w.pvalues, rtol=1e-7, atol=1e-300)
    np.testing.assert_allclose(res.conf_int(), w.conf_int(), rtol=RTOL)
    np.testing.assert_allclose(res.cov_params, w.cov_params(), rtol=RTOL, atol=1e-15)
    assert res.maxlags == maxlags and res.cov_type == "HAC"


def test_use_t_matches_statsmodels() -> None:
    y, x = ar1_series(120, 2, seed=7)
    res = st.ols(y, x, cov="HAC", maxlags=3, use_t=True)
    w = sm.OLS(y, sm.add_constant(x)).fit(cov_type="HAC", cov_kwds={"maxlags": 3}, use_t=True)
    np.testing.assert_allclose(res.pvalues, w.pvalues, rtol=1e-7)
    np.testing.assert_allclose(res.conf_int(), w.conf_int(), rtol=RTOL)


def test_zero_lags_is_hc0() -> None:
    y, x = ar1_series(80, 2, seed=3)
    np.testing.assert_allclose(
        st.ols(y, x, cov="HAC", maxlags=0).cov_params, st.ols(y, x, cov="HC0").cov_params, rtol=1e-12
    )


def test_missing_rows_are_dropped_like_statsmodels() -> None:
    y, x = ar1_series(150, 2, seed=5)
    y[[10, 11, 90]] = np.nan
    res = st.ols(y, x, cov="HAC", maxlags=5)
    keep = ~np.isnan(y)
    w = sm.OLS(y[keep], sm.add_constant(x[keep])).fit(cov_type="HAC", cov_kwds={"maxlags": 5})
    np.testing.assert_allclose(res.bse, w.bse, rtol=RTOL)
    assert res.nobs_dropped == 3


def test_repr_and_dict_show_maxlags() -> None:
    y, x = ar1_series(60, 1, seed=1)
    res = st.ols(y, x, cov="HAC", maxlags=2)
    assert "cov=HAC, maxlags 2" in repr(res)
    assert res.to_dict()["maxlags"] == 2
    assert "maxlags" not in st.ols(y, x).to_dict()


def test_errors() -> None:
    y, x = ar1_series(40, 1, seed=2)
    with pytest.raises(ValueError, match="needs maxlags"):
        st.ols(y, x, cov="HAC")
    with pytest.raises(ValueError, match="non-negative integer"):
        st.ols(y, x, cov="HAC", maxlags=-1)
    with pytest.raises(ValueError, match="only used with cov='HAC'"):
        st.ols(y, x, cov="HC1", maxlags=2)


@pytest.mark.parametrize("use_correction", [True, False])
@pytest.mark.parametrize("use_t", [None, True])
def test_use_correction_matches_statsmodels(use_correction: bool, use_t: bool | None) -> None:
    y, x = ar1_series(120, 3, seed=41)
    res = st.ols(y, x, cov="HAC", maxlags=5, use_correction=use_correction, use_t=use_t)
    w = sm.OLS(y, sm.add_constant(x)).fit(
        cov_type="HAC", cov_kwds={"maxlags": 5, "use_correction": use_correction}, use_t=use_t
    )
    np.testing.assert_allclose(res.bse, w.bse, rtol=RTOL)
    np.testing.assert_allclose(res.cov_params, w.cov_params(), rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(res.pvalues, w.pvalues, rtol=1e-7, atol=1e-300)
    np.testing.assert_allclose(res.conf_int(), w.conf_int(), rtol=RTOL)
    assert res.use_correction is use_correction
    # The factor is n / (n - k) exactly (k = 4 with the constant), so the fits differ when it is on.
    plain = st.ols(y, x, cov="HAC", maxlags=5)
    factor = 120 / (120 - 4) if use_correction else 1.0
    np.testing.assert_allclose(res.cov_params, plain.cov_params * factor, rtol=1e-13)


def test_use_correction_errors() -> None:
    y, x = ar1_series(50, 1, seed=3)
    with pytest.raises(ValueError, match="use_correction is only used with cov='HAC', got cov='HC1'"):
        st.ols(y, x, cov="HC1", use_correction=True)
    with pytest.raises(ValueError, match="use_correction must be True or False"):
        st.ols(y, x, cov="HAC", maxlags=2, use_correction="yes")  # type: ignore[arg-type]
