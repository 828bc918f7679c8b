"""t-tests and z-tests against live scipy / statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats import weightstats as sw

import missionkit as mk
from missionkit import stats as st

RTOL = 1e-9
ALTS = {"two-sided": "two-sided", "larger": "greater", "smaller": "less"}


def samples() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(20260501)
    out = []
    designs = [(5, 7, 0.3, 1.0), (30, 12, -1.0, 3.0), (200, 250, 0.05, 0.5), (2, 3, 1.0, 2.0)]
    for n1, n2, shift, scale in designs:
        out.append((rng.normal(size=n1), rng.normal(loc=shift, scale=scale, size=n2)))
    # nearly constant data with a large offset keeps its digits
    out.append((1e6 + rng.normal(scale=0.01, size=40), 1e6 + rng.normal(scale=0.01, size=30)))
    return out


@pytest.mark.parametrize("alt", list(ALTS))
def test_ttest_1samp(alt: str) -> None:
    for x, _ in samples():
        for popmean in (0.0, 0.4):
            got = st.ttest_1samp(x, popmean, alpha=0.1, alternative=alt)
            want = stats.ttest_1samp(x, popmean, alternative=ALTS[alt])
            ci = want.confidence_interval(0.9)
            # atol: p-values of 1e-313 (data at 1e6 tested against 0) are subnormal in both libraries.
            np.testing.assert_allclose(
                [got.statistic, got.pvalue, got.df, *got.ci],
                [want.statistic, want.pvalue, want.df, ci.low, ci.high],
                rtol=RTOL,
                atol=1e-300,
            )


@pytest.mark.parametrize("alt", list(ALTS))
@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_ind(alt: str, equal_var: bool) -> None:
    for x1, x2 in samples():
        got = st.ttest_ind(x1, x2, equal_var=equal_var, alternative=alt)
        want = stats.ttest_ind(x1, x2, equal_var=equal_var, alternative=ALTS[alt])
        ci = want.confidence_interval(0.95)
        np.testing.assert_allclose(
            [got.statistic, got.pvalue, got.df, *got.ci],
            [want.statistic, want.pvalue, want.df, ci.low, ci.high],
            rtol=RTOL,
        )
        stat, p = got  # unpacks like scipy's result
        assert (stat, p) == (got.statistic, got.pvalue)


def test_ttest_ind_defaults_to_welch() -> None:
    x1, x2 = samples()[1]
    assert st.ttest_ind(x1, x2).df == pytest.approx(stats.ttest_ind(x1, x2, equal_var=False).df, rel=RTOL)


@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_ind_from_stats(equal_var: bool) -> None:
    for m1, s1, n1, m2, s2, n2 in [(1.0, 2.0, 10, 0.2, 1.5, 14), (100.0, 15.0, 300, 103.0, 18.0, 280)]:
        got = st.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=equal_var)
        want = stats.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=equal_var)
        np.testing.assert_allclose([got.statistic, got.pvalue], [want.statistic, want.pvalue], rtol=RTOL)
        # interval: estimate -+ t_{df, 0.975} se (closed form with scipy's quantile)
        half = stats.t.isf(0.025, got.df) * got.std_error
        np.testing.assert_allclose(got.ci, (m1 - m2 - half, m1 - m2 + half), rtol=RTOL)


@pytest.mark.parametrize("alt", list(ALTS))
def test_ztests(alt: str) -> None:
    for x1, x2 in samples():
        got = st.ztest(x1, value=0.1, alternative=alt)
        want = sw.ztest(x1, value=0.1, alternative=alt)
        np.testing.assert_allclose([got.statistic, got.pvalue], want, rtol=RTOL)
        if alt == "two-sided":
            np.testing.assert_allclose(got.ci, sw.zconfint(x1), rtol=RTOL)
        assert got.df == np.inf
        for usevar in ("pooled", "unequal"):
            got2 = st.ztest(x1, x2, value=-0.2, alternative=alt, usevar=usevar)
            want2 = sw.ztest(x1, x2, value=-0.2, alternative=alt, usevar=usevar)
            np.testing.assert_allclose([got2.statistic, got2.pvalue], want2, rtol=RTOL)
            if alt == "two-sided":
                cm = sw.CompareMeans(sw.DescrStatsW(x1), sw.DescrStatsW(x2))
                np.testing.assert_allclose(got2.ci, cm.zconfint_diff(usevar=usevar), rtol=RTOL)


def test_result_prints_and_serialises() -> None:
    r = st.ttest_ind([1.0, 2.0, 3.0, 4.5], [2.0, 3.0, 5.0, 7.0, 9.0])
    assert repr(r).startswith("TTestResult(Welch t: statistic=-1.737, pvalue=0.1313, df=6.222")
    assert "ci95=(" in repr(r)
    assert "<table" in r._repr_html_()
    d = r.to_dict()
    assert d["ci"] == r.ci and d["alternative"] == "two-sided"


def test_data_errors() -> None:
    with pytest.raises(mk.DomainError, match=r"x2\[1\] is nan"):
        st.ttest_ind([1.0, 2.0, 3.0], [1.0, float("nan"), 2.0])
    with pytest.raises(ValueError, match="x1 must be 1-D"):
        st.ttest_ind(np.ones((2, 2)), [1.0, 2.0])
    with pytest.raises(ValueError, match="zero variance"):
        st.ttest_1samp([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="usevar"):
        st.ztest([1.0, 2.0], [1.0, 3.0], usevar="x")
