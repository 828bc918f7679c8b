"""mk.stats intervals against live statsmodels (oracle) on grids of inputs; deliberate differences against
independent oracles (closed forms, a separate scipy implementation, R values quoted in comments)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats
from statsmodels.stats import proportion as smp

import missionkit as mk
from missionkit import stats as st

RTOL = 1e-9
COUNTS = [(0, 10), (1, 10), (5, 10), (9, 10), (10, 10), (3, 47), (120, 1000), (999, 1000), (1, 1)]
ALPHAS = [0.05, 0.1, 0.01, 1e-6]
SM_METHODS = {
    "wilson": "wilson",
    "wald": "normal",
    "agresti_coull": "agresti_coull",
    "clopper_pearson": "beta",
    "jeffreys": "jeffreys",
}


@pytest.mark.parametrize("method", list(SM_METHODS))
@pytest.mark.parametrize("alpha", ALPHAS)
def test_proportion_ci_matches_statsmodels(method: str, alpha: float) -> None:
    for count, nobs in COUNTS:
        if method == "jeffreys" and count in (0, nobs):
            continue  # deliberate difference, tested below
        low, high = st.proportion_ci(count, nobs, alpha, method=method)
        want = smp.proportion_confint(count, nobs, alpha=alpha, method=SM_METHODS[method])
        np.testing.assert_allclose([low, high], want, rtol=RTOL, atol=1e-15, err_msg=f"{count}/{nobs}")


def test_proportion_ci_vectorised_equals_scalar_calls() -> None:
    counts = np.array([c for c, _ in COUNTS], dtype=float)
    nobs = np.array([n for _, n in COUNTS], dtype=float)
    low, high = st.proportion_ci(counts, nobs, 0.05)
    assert isinstance(low, np.ndarray) and low.shape == counts.shape
    for i, (c, n) in enumerate(COUNTS):
        assert (low[i], high[i]) == st.proportion_ci(c, n, 0.05)
    # broadcasting: a column of counts against a row of alphas
    lo2, _ = st.proportion_ci(counts[:, None], nobs[:, None], np.array([[0.05, 0.1]]))
    assert isinstance(lo2, np.ndarray) and lo2.shape == (len(COUNTS), 2)
    assert lo2[3, 1] == st.proportion_ci(COUNTS[3][0], COUNTS[3][1], 0.1)[0]


def test_jeffreys_at_the_edges_follows_brown_cai_dasgupta() -> None:
    # Brown, Cai & DasGupta (2001, sec. 4.1.2): lower bound 0 at x = 0, upper 1 at x = n; the other
    # bound is the Beta(x + 1/2, n - x + 1/2) quantile (closed oracle: scipy.stats.beta).
    low, high = st.proportion_ci(0, 10, 0.05, method="jeffreys")
    assert low == 0.0
    assert high == pytest.approx(stats.beta.isf(0.025, 0.5, 10.5), rel=RTOL)
    low, high = st.proportion_ci(10, 10, 0.05, method="jeffreys")
    assert high == 1.0
    assert low == pytest.approx(stats.beta.ppf(0.025, 10.5, 0.5), rel=RTOL)


@pytest.mark.parametrize("method", list(SM_METHODS))
def test_one_sided_intervals_are_test_inversions(method: str) -> None:
    # One-sided at alpha = the matching bound of the two-sided interval at 2 alpha; the other end is the
    # end of [0, 1]. (statsmodels 0.15's alternative="larger" returns the opposite side; see docs.)
    for count, nobs in [(3, 20), (120, 1000)]:
        two = st.proportion_ci(count, nobs, 0.1, method=method)
        assert st.proportion_ci(count, nobs, 0.05, method=method, alternative="larger") == (two[0], 1.0)
        assert st.proportion_ci(count, nobs, 0.05, method=method, alternative="smaller") == (0.0, two[1])
        assert st.proportion_ci(count, nobs, 0.05, method=method, alternative="greater") == (two[0], 1.0)
        assert st.proportion_ci(count, nobs, 0.05, method=method, alternative="less") == (0.0, two[1])


TABLES = [
    (15, 40, 8, 45),
    (7, 34, 1, 34),
    (0, 20, 3, 25),
    (20, 20, 10, 25),
    (50, 1000, 38, 1020),
    (1, 3, 2, 3),
]


@pytest.mark.parametrize(
    ("method", "sm"), [("wald", "wald"), ("newcombe", "newcomb"), ("agresti_caffo", "agresti-caffo")]
)
@pytest.mark.parametrize("alpha", [0.05, 0.2, 1e-4])
def test_diff_ci_matches_statsmodels(method: str, sm: str, alpha: float) -> None:
    for c1, n1, c2, n2 in TABLES:
        got = st.diff_proportions_ci(c1, n1, c2, n2, alpha, method=method)
        want = smp.confint_proportions_2indep(c1, n1, c2, n2, method=sm, compare="diff", alpha=alpha)
        np.testing.assert_allclose(got, want, rtol=RTOL, atol=1e-14, err_msg=str((c1, n1, c2, n2)))


def _mn_diff_z(x1: float, n1: float, x0: float, n0: float, delta: float) -> float:
    """Independent Miettinen-Nurminen score statistic: the restricted MLE by solving the likelihood
    equation numerically (brentq), not the closed-form cubic root used in C++."""
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)

    def dlogl(p0: float) -> float:
        p1 = p0 + delta
        return x1 / p1 - (n1 - x1) / (1 - p1) + x0 / p0 - (n0 - x0) / (1 - p0)

    eps = 1e-15
    a, b = lo + eps, hi - eps
    if dlogl(a) <= 0:
        q0 = lo
    elif dlogl(b) >= 0:
        q0 = hi
    else:
        q0 = optimize.brentq(dlogl, a, b, xtol=1e-16, rtol=1e-15, maxiter=500)
    q1 = q0 + delta
    n = n1 + n0
    var = (q1 * (1 - q1) / n1 + q0 * (1 - q0) / n0) * n / (n - 1)
    return (x1 / n1 - x0 / n0 - delta) / math.sqrt(var)


@pytest.mark.parametrize("alpha", [0.05, 0.01])
def test_diff_score_ci_against_independent_oracle(alpha: float) -> None:
    z = stats.norm.isf(alpha / 2)
    for c1, n1, c2, n2 in [(15, 40, 8, 45), (7, 34, 1, 34), (50, 1000, 38, 1020), (5, 9, 2, 12)]:
        d = c1 / n1 - c2 / n2

        def f(t: float, target: float, table: tuple[int, int, int, int] = (c1, n1, c2, n2)) -> float:
            return _mn_diff_z(*table, t) - target

        low = optimize.brentq(f, -0.999999, d, args=(z,), xtol=1e-15)
        high = optimize.brentq(f, d, 0.999999, args=(-z,), xtol=1e-15)
        got = st.diff_proportions_ci(c1, n1, c2, n2, alpha, method="score")
        np.testing.assert_allclose(got, (low, high), rtol=1e-9)


def test_diff_score_ci_matches_r_propcis() -> None:
    # R: PropCIs::diffscoreci(7, 34, 1, 34, conf.level = 0.95) -> 0.0270416 0.3452912 (as printed).
    low, high = st.diff_proportions_ci(7, 34, 1, 34, method="score")
    assert round(low, 7) == 0.0270416
    assert round(high, 7) == 0.3452912


RATIO_TABLES = [(15, 40, 8, 45), (7, 34, 1, 34), (50, 1000, 38, 1020), (3, 10, 9, 12), (30, 31, 20, 30)]


@pytest.mark.parametrize(
    ("fn", "compare", "ours", "sm"),
    [
        (st.risk_ratio_ci, "ratio", "log", "log"),
        (st.risk_ratio_ci, "ratio", "log_adjusted", "log-adjusted"),
        (st.risk_ratio_ci, "ratio", "score", "score"),
        (st.odds_ratio_ci, "odds-ratio", "log", "logit"),
        (st.odds_ratio_ci, "odds-ratio", "log_adjusted", "logit-adjusted"),
        (st.odds_ratio_ci, "odds-ratio", "score", "score"),
    ],
)
# statsmodels' odds-ratio score solver evaluates its restricted MLE outside the domain on the way (0/0).
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_ratio_cis_match_statsmodels(fn, compare: str, ours: str, sm: str) -> None:  # type: ignore[no-untyped-def]
    for c1, n1, c2, n2 in RATIO_TABLES:
        got = fn(c1, n1, c2, n2, 0.05, method=ours)
        want = smp.confint_proportions_2indep(c1, n1, c2, n2, method=sm, compare=compare, alpha=0.05)
        # statsmodels finds score bounds with brentq at its default xtol (2e-12 absolute on the ratio).
        rtol = 1e-8 if sm == "score" else RTOL
        np.testing.assert_allclose(got, want, rtol=rtol, err_msg=str((c1, n1, c2, n2)))


def test_koopman_lower_bound_with_all_successes_inverts_the_score_test() -> None:
    # statsmodels takes a spurious root here (1.667 for (4, 4, 2, 6)); the bound must be where
    # statsmodels' own score test has p = alpha.
    low, _ = st.risk_ratio_ci(4, 4, 2, 6, 0.05, method="score")
    p = smp.score_test_proportions_2indep(4, 4, 2, 6, value=low, compare="ratio", correction=True).pvalue
    assert p == pytest.approx(0.05, rel=1e-8)
    assert low == pytest.approx(1.0271, abs=1e-4)


def test_score_test_matches_statsmodels_for_ratios() -> None:
    for c1, n1, c2, n2 in RATIO_TABLES:
        for compare, sm in (("ratio", "ratio"), ("odds_ratio", "odds-ratio")):
            for value in (0.5, 1.0, 2.0):
                got = st.proportions_2indep_test(c1, n1, c2, n2, value, compare=compare)
                want = smp.score_test_proportions_2indep(c1, n1, c2, n2, value=value, compare=sm)
                np.testing.assert_allclose(got, (want.statistic, want.pvalue), rtol=1e-9)


def test_interval_errors_name_the_argument() -> None:
    with pytest.raises(mk.DomainError, match=r"proportion_ci: count must be in \[0, nobs\].*index 1"):
        st.proportion_ci([1, 12], 10)
    with pytest.raises(ValueError, match="nobs must be > 0"):
        st.proportion_ci(0, -3)
    with pytest.raises(ValueError, match="count must be a number, got nan"):
        st.proportion_ci(float("nan"), 10)
    with pytest.raises(ValueError, match="method must be one of 'wilson'"):
        st.proportion_ci(1, 10, method="exact")
    with pytest.raises(ValueError, match="alternative must be one of 'two-sided', 'larger', 'smaller'"):
        st.diff_proportions_ci(1, 10, 2, 10, alternative="up")
    with pytest.raises(ValueError, match="do not broadcast"):
        st.proportion_ci([1, 2, 3], [10, 20])
    assert isinstance(mk.DomainError("x"), ValueError)
