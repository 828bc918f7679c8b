"""Power and sample size against live statsmodels.stats.power.

statsmodels' solve_power stops at xtol ~1e-5, so solved values are checked by plugging them into
statsmodels' own power function (which must give the requested power back to 1e-9), and compared with
statsmodels' solver only at its tolerance."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats import power as smpower
from statsmodels.stats.proportion import proportion_effectsize, samplesize_confint_proportion

from missionkit import stats as st

RTOL = 1e-9
ALTS = ["two-sided", "larger", "smaller"]
SM = {
    "ttest_ind": smpower.TTestIndPower(),
    "normal_ind": smpower.NormalIndPower(),
}


def _assert_power(got: np.ndarray, want: np.ndarray) -> None:
    """statsmodels' two-sided t power is NaN where scipy's noncentral t fails deep in the tail (power
    within 1e-15 of 1, e.g. d = 0.2 at n = 12345, noncentrality 15.7); there the exact value is 1."""
    nan = np.isnan(want)
    np.testing.assert_allclose(got[~nan], want[~nan], rtol=RTOL)
    np.testing.assert_allclose(got[nan], 1.0, atol=1e-12)


@pytest.mark.parametrize("alt", ALTS)
@pytest.mark.parametrize("test", ["ttest_ind", "normal_ind"])
def test_power_grid_matches_statsmodels(test: str, alt: str) -> None:
    fn = getattr(st.power, test)
    es = np.array([0.05, 0.2, 0.5, 1.3])[:, None]
    sign = -1.0 if alt == "smaller" else 1.0
    nobs = np.array([3.0, 10.0, 64.0, 1000.0, 12345.5])[None, :]
    for ratio in (1.0, 0.5, 2.5):
        got = fn(effect_size=sign * es, nobs1=nobs, alpha=0.05, ratio=ratio, alternative=alt)
        assert isinstance(got, np.ndarray) and got.shape == (4, 5)
        want = SM[test].power(sign * es, nobs, 0.05, ratio=ratio, alternative=alt)
        _assert_power(got, want)


@pytest.mark.parametrize("alt", ALTS)
def test_ttest_1samp_power(alt: str) -> None:
    sign = -1.0 if alt == "smaller" else 1.0
    for es in (0.1, 0.5, 1.0):
        for n in (2.0, 5.0, 30.0, 400.0):
            got = st.power.ttest_1samp(effect_size=sign * es, nobs=n, alternative=alt)
            want = smpower.TTestPower().power(sign * es, n, 0.05, alternative=alt)
            _assert_power(np.array(got), np.array(want))


@pytest.mark.parametrize("alt", ALTS)
@pytest.mark.parametrize("test", ["ttest_ind", "normal_ind"])
def test_solved_nobs_reproduces_power_in_statsmodels(test: str, alt: str) -> None:
    fn = getattr(st.power, test)
    sign = -1.0 if alt == "smaller" else 1.0
    for es in (0.1, 0.3, 0.8):
        for target in (0.5, 0.8, 0.95):
            for ratio in (1.0, 3.0):
                n = fn(effect_size=sign * es, power=target, ratio=ratio, alternative=alt)
                assert isinstance(n, float)
                back = SM[test].power(sign * es, n, 0.05, ratio=ratio, alternative=alt)
                assert back == pytest.approx(target, rel=RTOL)
                sm_n = SM[test].solve_power(sign * es, None, 0.05, target, ratio=ratio, alternative=alt)
                assert n == pytest.approx(sm_n, rel=1e-4)


def test_solve_effect_size_and_alpha() -> None:
    d = st.power.ttest_ind(nobs1=50, power=0.8)
    assert SM["ttest_ind"].power(d, 50, 0.05) == pytest.approx(0.8, rel=RTOL)
    d_small = st.power.ttest_ind(nobs1=50, power=0.8, alternative="smaller")
    assert d_small < 0
    a = st.power.ttest_ind(effect_size=0.5, nobs1=50, alpha=None, power=0.8)
    assert SM["ttest_ind"].power(0.5, 50, a) == pytest.approx(0.8, rel=RTOL)
    n = st.power.ttest_1samp(effect_size=0.4, power=0.9)
    assert smpower.TTestPower().power(0.4, n, 0.05) == pytest.approx(0.9, rel=RTOL)


def test_power_curve_is_one_vectorised_call() -> None:
    nobs = np.linspace(5, 500, 1000)
    curve = st.power.ttest_ind(effect_size=0.3, nobs1=nobs)
    assert isinstance(curve, np.ndarray) and curve.shape == (1000,)
    assert np.all(np.diff(curve) > 0)
    np.testing.assert_allclose(curve, SM["ttest_ind"].power(0.3, nobs, 0.05), rtol=RTOL)
    sizes = st.power.ttest_ind(effect_size=np.linspace(0.1, 1.0, 50), power=0.8)
    assert isinstance(sizes, np.ndarray) and np.all(np.diff(sizes) < 0)


def test_proportions_2indep() -> None:
    for p1, p2 in [(0.12, 0.10), (0.5, 0.4), (0.02, 0.05)]:
        h = proportion_effectsize(p1, p2)
        alt = "larger" if p1 > p2 else "smaller"
        n = st.power.proportions_2indep(p1, p2, power=0.8, alternative=alt)
        assert smpower.NormalIndPower().power(h, n, 0.05, alternative=alt) == pytest.approx(0.8, rel=RTOL)
        pw = st.power.proportions_2indep(p1, p2, nobs1=500)
        assert pw == pytest.approx(smpower.NormalIndPower().power(h, 500, 0.05), rel=RTOL)


def test_mde_helpers() -> None:
    d = st.power.mde_ttest_ind(100, sd=12.0)
    es = smpower.TTestIndPower().power(d / 12.0, 100, 0.05)
    assert es == pytest.approx(0.8, rel=RTOL)
    p1 = st.power.mde_proportions(0.10, 2000)
    assert isinstance(p1, float) and p1 > 0.10
    # closed-form oracle: the detectable p1 has Cohen's h equal to the solved normal effect size
    h = st.power.normal_ind(nobs1=2000, power=0.8)
    assert proportion_effectsize(p1, 0.10) == pytest.approx(h, rel=RTOL)
    p1_low = st.power.mde_proportions(0.10, 2000, alternative="smaller")
    assert p1_low < 0.10
    grid = st.power.mde_proportions(0.10, np.array([500.0, 1000.0, 4000.0]))
    assert isinstance(grid, np.ndarray) and np.all(np.diff(grid) < 0)
    with pytest.raises(ValueError, match="no proportion in"):
        st.power.mde_proportions(0.99, 5)


@pytest.mark.parametrize(("p", "margin", "conf"), [(0.5, 0.05, 0.95), (0.2, 0.03, 0.9), (0.5, 0.01, 0.99)])
def test_survey_sample_size(p: float, margin: float, conf: float) -> None:
    want = math.ceil(samplesize_confint_proportion(p, margin, alpha=1 - conf) - 1e-9)
    assert st.survey_sample_size(p, margin, conf) == want
    assert st.power.survey_sample_size(p, margin, conf) == want
    # Cochran (1977) eq. 4.3 finite-population correction and a design effect, closed form
    n0 = 1.5 * samplesize_confint_proportion(p, margin, alpha=1 - conf)
    assert st.survey_sample_size(p, margin, conf, population=2000, deff=1.5) == math.ceil(
        n0 / (1 + (n0 - 1) / 2000)
    )
    assert st.survey_sample_size() == 385


def test_exactly_one_unknown() -> None:
    with pytest.raises(ValueError, match="exactly one of effect_size, nobs1, alpha, power must be None"):
        st.power.ttest_ind(effect_size=0.5, nobs1=20, power=0.8)
    with pytest.raises(ValueError, match="got 2: nobs1, power"):
        st.power.ttest_ind(effect_size=0.5)
    with pytest.raises(ValueError, match="exactly one of nobs1, alpha, power"):
        st.power.proportions_2indep(0.1, 0.2, nobs1=100, power=0.8)


def test_power_argument_errors() -> None:
    with pytest.raises(ValueError, match=r"nobs1 must be > 0, got nobs1=-5 \(at index 1\)"):
        st.power.ttest_ind(effect_size=0.5, nobs1=[10.0, -5.0])
    with pytest.raises(ValueError, match="effect_size must be a number, got nan"):
        st.power.normal_ind(effect_size=float("nan"), nobs1=10)
    with pytest.raises(ValueError, match="power must exceed alpha"):
        st.power.ttest_ind(effect_size=0.5, power=0.01)
