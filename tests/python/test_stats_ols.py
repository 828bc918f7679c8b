"""mk.stats.ols against live statsmodels OLS(...).fit(cov_type=...)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import missionkit as mk
from missionkit import stats as st

RTOL = 1e-9


def make(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, k)) * rng.uniform(0.5, 20, size=k) + rng.uniform(-5, 5, size=k)
    g1 = rng.integers(0, max(3, n // 15), size=n)
    g2 = rng.integers(0, 7, size=n)
    # heteroskedastic errors with a cluster component, so that the covariances differ
    e = rng.normal(size=n) * (1 + np.abs(x[:, 0]) / 10) + rng.normal(size=g1.max() + 1)[g1]
    y = 1.5 + x @ rng.normal(size=k) + e
    return y, x, g1, g2


def check(res: st.OLSResult, want: object) -> None:
    w = want  # statsmodels RegressionResults
    np.testing.assert_allclose(res.params, w.params, rtol=RTOL)  # type: ignore[attr-defined]
    np.testing.assert_allclose(res.bse, w.bse, rtol=RTOL)  # type: ignore[attr-defined]
    np.testing.assert_allclose(res.tvalues, w.tvalues, rtol=RTOL)  # type: ignore[attr-defined]
    np.testing.assert_allclose(res.pvalues, w.pvalues, rtol=1e-7, atol=1e-300)  # type: ignore[attr-defined]
    np.testing.assert_allclose(res.conf_int(), w.conf_int(), rtol=RTOL)  # type: ignore[attr-defined]
    np.testing.assert_allclose(res.conf_int(0.1), w.conf_int(0.1), rtol=RTOL)  # type: ignore[attr-defined]
    np.testing.assert_allclose(res.cov_params, w.cov_params(), rtol=1e-8, atol=1e-15)  # type: ignore[attr-defined]
    assert res.rsquared == pytest.approx(w.rsquared, rel=RTOL)  # type: ignore[attr-defined]
    assert res.rsquared_adj == pytest.approx(w.rsquared_adj, rel=RTOL)  # type: ignore[attr-defined]
    assert res.resid_sd == pytest.approx(np.sqrt(w.scale), rel=RTOL)  # type: ignore[attr-defined]
    assert res.nobs == w.nobs  # type: ignore[attr-defined]


@pytest.mark.parametrize("cov", ["nonrobust", "HC0", "HC1", "HC2", "HC3"])
@pytest.mark.parametrize(("n", "k"), [(30, 1), (200, 3), (1000, 6)])
def test_ols_matches_statsmodels(cov: str, n: int, k: int) -> None:
    y, x, _, _ = make(n, k, seed=n + k)
    check(st.ols(y, x, cov=cov), sm.OLS(y, sm.add_constant(x)).fit(cov_type=cov))


@pytest.mark.parametrize("use_t", [None, True])
@pytest.mark.parametrize(("n", "k"), [(60, 2), (3000, 4)])
def test_cluster_one_and_two_way(n: int, k: int, use_t: bool | None) -> None:
    y, x, g1, g2 = make(n, k, seed=7 * n)
    fit = sm.OLS(y, sm.add_constant(x))
    one = st.ols(y, x, cov="cluster", groups=g1, use_t=use_t)
    check(one, fit.fit(cov_type="cluster", cov_kwds={"groups": g1}, use_t=use_t))
    assert one.n_groups == (len(np.unique(g1)),)
    two = st.ols(y, x, cov="cluster", groups=(g1, g2), use_t=use_t)
    check(two, fit.fit(cov_type="cluster", cov_kwds={"groups": np.column_stack([g1, g2])}, use_t=use_t))
    assert two.n_groups == (len(np.unique(g1)), 7)
    # the same groups as an (n, 2) array, a DataFrame, and string labels
    np.testing.assert_allclose(st.ols(y, x, cov="cluster", groups=np.column_stack([g1, g2])).bse, two.bse)
    frame = pd.DataFrame({"a": g1, "b": g2})
    np.testing.assert_allclose(st.ols(y, x, cov="cluster", groups=frame).bse, two.bse)
    named = np.array([f"team-{g}" for g in g1], dtype=object)
    np.testing.assert_allclose(st.ols(y, x, cov="cluster", groups=named).bse, one.bse, rtol=1e-12)


@pytest.mark.parametrize("cov", ["HC1", "HC3", "cluster"])
def test_parallel_blocks_match_statsmodels(cov: str) -> None:
    # 300,000 rows run as several blocks (one per thread) whose partial states are merged.
    y, x, g1, _ = make(300_000, 3, seed=11)
    kw = {"groups": g1} if cov == "cluster" else None
    want = sm.OLS(y, sm.add_constant(x)).fit(cov_type=cov, cov_kwds=kw)
    check(st.ols(y, x, cov=cov, groups=g1 if kw else None), want)


def test_memory_layouts_give_the_same_fit() -> None:
    y, x, _, _ = make(500, 4, seed=3)
    base = st.ols(y, x, cov="HC2")
    for view in (np.asfortranarray(x), np.ascontiguousarray(x), np.hstack([x, x])[:, :4], x[::-1][::-1]):
        np.testing.assert_allclose(st.ols(y, view, cov="HC2").bse, base.bse, rtol=1e-12)


def test_nan_rows_are_dropped_with_their_cluster_labels() -> None:
    y, x, g1, _ = make(400, 3, seed=5)
    groups = g1.astype(object)
    y[[3, 50]] = np.nan
    x[[7, 8], [0, 2]] = np.nan
    groups[[100, 200, 300]] = None
    res = st.ols(y, x, cov="cluster", groups=groups)
    keep = ~(np.isnan(y) | np.isnan(x).any(axis=1) | pd.isna(groups))
    assert res.nobs == keep.sum() == 393 and res.nobs_dropped == 7
    # statsmodels' missing="drop" would drop the rows of y and X but not of groups (the peer bug the
    # issue names); the oracle is statsmodels on the complete cases, labels dropped by hand.
    want = sm.OLS(y[keep], sm.add_constant(x[keep])).fit(cov_type="cluster", cov_kwds={"groups": g1[keep]})
    check(res, want)
    assert "7 dropped (missing)" in repr(res)


def test_dataframe_names_and_table() -> None:
    y, x, _, _ = make(120, 3, seed=9)
    df = pd.DataFrame(x, columns=["tenure", "calls", "age"])
    res = st.ols(pd.Series(y, name="csat"), df, cov="HC1")
    assert res.names == ["const", "tenure", "calls", "age"]
    assert res.yname == "csat"
    frame = res.to_frame()
    assert list(frame.index) == res.names and list(frame.columns[:3]) == ["coef", "std_err", "z"]
    text = repr(res)
    assert text.startswith("OLS of csat: n=120") and "tenure" in text
    assert "<table>" in res._repr_html_()
    assert res.to_dict()["coefficients"]["calls"]["coef"] == res.params[2]
    want = sm.OLS(y, sm.add_constant(df)).fit(cov_type="HC1")
    np.testing.assert_allclose(res.params, want.params.to_numpy(), rtol=RTOL)


def test_no_intercept_and_own_constant() -> None:
    y, x, _, _ = make(80, 2, seed=4)
    check(st.ols(y, x, add_intercept=False), sm.OLS(y, x).fit())
    # a constant column supplied by the caller: centered R^2, as statsmodels detects it
    xc = np.column_stack([np.full(80, 2.0), x])
    check(st.ols(y, xc, add_intercept=False), sm.OLS(y, xc).fit())


def test_errors_name_the_problem() -> None:
    y, x, g1, _ = make(50, 2, seed=1)
    collinear = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "a_plus_b": x[:, 0] + x[:, 1]})
    with pytest.raises(mk.DomainError, match="column 'a_plus_b' is a linear combination"):
        st.ols(y, collinear)
    with pytest.raises(ValueError, match="column 'one' is constant and add_intercept=true"):
        st.ols(y, pd.DataFrame({"x": x[:, 0], "one": 1.0}))
    with pytest.raises(ValueError, match="column 'zero' is all zeros"):
        st.ols(y, pd.DataFrame({"x": x[:, 0], "zero": 0.0}))
    bad = x.copy()
    bad[4, 1] = np.inf
    with pytest.raises(ValueError, match=r"X\[4, 1\] is inf"):
        st.ols(y, bad)
    with pytest.raises(ValueError, match="X has 49 rows but y has 50"):
        st.ols(y, x[:49])
    with pytest.raises(ValueError, match="needs groups"):
        st.ols(y, x, cov="cluster")
    with pytest.raises(ValueError, match="one label per row"):
        st.ols(y, x, cov="cluster", groups=g1[:10])
    with pytest.raises(ValueError, match="at least 2 clusters"):
        st.ols(y, x, cov="cluster", groups=np.zeros(50))
    with pytest.raises(ValueError, match="cov must be one of"):
        st.ols(y, x, cov="HC4")
    with pytest.raises(ValueError, match="needs more usable rows than coefficients"):
        st.ols(y[:3], x[:3])


def test_integer_labels_skip_factorization_with_the_same_result() -> None:
    # Non-negative integer labels go to C++ unfactorized; strings, negative integers and unsigned labels
    # take the factorizing path. All must give statsmodels' answer and the same bits as each other.
    rng = np.random.default_rng(12)
    n = 3000
    x = rng.normal(size=(n, 2))
    g = rng.integers(0, 40, size=n) * 1000 + 7  # sparse, non-negative labels
    y = x @ [1.0, -2.0] + rng.normal(size=n) + rng.normal(size=40)[(g - 7) // 1000]
    want = sm.OLS(y, sm.add_constant(x)).fit(cov_type="cluster", cov_kwds={"groups": g})
    fits = [
        st.ols(y, x, cov="cluster", groups=labels)
        for labels in (g, g.astype(np.uint32), g.astype(str), -g, g.tolist())
    ]
    for f in fits:
        np.testing.assert_allclose(f.bse, want.bse, rtol=1e-9)
        np.testing.assert_allclose(f.bse, fits[0].bse, rtol=1e-13)
        assert f.n_groups == (40,) and f.nobs == n
