"""Effect sizes and multiple-testing adjustment against live statsmodels / scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_effectsize

from missionkit import stats as st

RTOL = 1e-9


@pytest.mark.parametrize(
    ("ours", "sm"),
    [
        ("bonferroni", "bonferroni"),
        ("holm", "holm"),
        ("hochberg", "simes-hochberg"),
        ("bh", "fdr_bh"),
        ("by", "fdr_by"),
    ],
)
def test_adjust_pvalues_matches_multipletests(ours: str, sm: str) -> None:
    rng = np.random.default_rng(7)
    for m in (1, 2, 5, 40):
        p = rng.uniform(size=m) ** 3
        p[: m // 3] = p[0]  # ties
        np.testing.assert_allclose(st.adjust_pvalues(p, ours), multipletests(p, method=sm)[1], rtol=RTOL)
        np.testing.assert_allclose(st.adjust_pvalues(p, sm), multipletests(p, method=sm)[1], rtol=RTOL)


def test_adjust_pvalues_errors() -> None:
    with pytest.raises(ValueError, match=r"pvalues\[1\] is nan"):
        st.adjust_pvalues([0.1, float("nan")])
    with pytest.raises(ValueError, match="pvalues must be 1-D"):
        st.adjust_pvalues(np.ones((2, 2)) / 2)
    with pytest.raises(ValueError, match="method must be one of"):
        st.adjust_pvalues([0.1], "sidak")


def test_cohens_h_matches_proportion_effectsize() -> None:
    p1 = np.linspace(0, 1, 11)
    np.testing.assert_allclose(st.cohens_h(p1, 0.3), proportion_effectsize(p1, 0.3), rtol=RTOL, atol=1e-15)
    assert isinstance(st.cohens_h(0.5, 0.4), float)


def _nct_interval(d: float, n1: int, n2: int, alpha: float) -> tuple[float, float]:
    """Independent noncentral-t inversion with scipy (Steiger & Fouladi 1997)."""
    scale = np.sqrt(1 / n1 + 1 / n2)
    t, df = d / scale, n1 + n2 - 2
    lo = optimize.brentq(lambda nc: stats.nct.cdf(t, df, nc) - (1 - alpha / 2), t - 20, t + 20, xtol=1e-14)
    hi = optimize.brentq(lambda nc: stats.nct.cdf(t, df, nc) - alpha / 2, t - 20, t + 20, xtol=1e-14)
    return lo * scale, hi * scale


def test_cohens_d_and_hedges_g() -> None:
    rng = np.random.default_rng(3)
    for n1, n2 in [(8, 10), (40, 35), (300, 200)]:
        x1, x2 = rng.normal(0.4, 1.0, n1), rng.normal(0.0, 1.3, n2)
        sp = np.sqrt(((n1 - 1) * x1.var(ddof=1) + (n2 - 1) * x2.var(ddof=1)) / (n1 + n2 - 2))
        d = (x1.mean() - x2.mean()) / sp
        got = st.cohens_d(x1, x2)
        assert got.estimate == pytest.approx(d, rel=RTOL)
        # scipy's nct cdf is accurate to ~1e-10 here, so the inverted bounds agree to ~1e-8.
        np.testing.assert_allclose(got.ci, _nct_interval(d, n1, n2, 0.05), rtol=1e-7)
        df = n1 + n2 - 2
        j = np.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / np.sqrt(df / 2)
        g = st.hedges_g(x1, x2)
        assert g.estimate == pytest.approx(j * d, rel=1e-9)
        np.testing.assert_allclose(g.ci, np.array(got.ci) * j, rtol=1e-9)
        fs = st.cohens_d_from_stats(x1.mean(), x1.std(ddof=1), n1, x2.mean(), x2.std(ddof=1), n2)
        assert fs.estimate == pytest.approx(d, rel=1e-9)
        gs = st.hedges_g_from_stats(x1.mean(), x1.std(ddof=1), n1, x2.mean(), x2.std(ddof=1), n2)
        assert gs.estimate == pytest.approx(j * d, rel=1e-9)


def test_lift_and_odds_ratio() -> None:
    for c1, n1, c2, n2 in [(60, 1000, 48, 1000), (15, 40, 8, 45)]:
        lift = st.relative_lift(c1, n1, c2, n2)
        assert lift.estimate == pytest.approx((c1 / n1) / (c2 / n2) - 1, rel=RTOL)
        rr = confint_proportions_2indep(c1, n1, c2, n2, compare="ratio", method="score")
        np.testing.assert_allclose(np.array(lift.ci) + 1, rr, rtol=1e-8)
        orr = st.odds_ratio(c1, n1, c2, n2, method="log")
        assert orr.estimate == pytest.approx(c1 * (n2 - c2) / (c2 * (n1 - c1)), rel=RTOL)
        want = confint_proportions_2indep(c1, n1, c2, n2, compare="odds-ratio", method="logit")
        np.testing.assert_allclose(orr.ci, want, rtol=RTOL)
    h = st.cohens_h_ci(60, 1000, 48, 1000)
    half = stats.norm.isf(0.025) * np.sqrt(2 / 1000)
    np.testing.assert_allclose(h.ci, (h.estimate - half, h.estimate + half), rtol=RTOL)


def test_effect_repr() -> None:
    e = st.relative_lift(60, 1000, 48, 1000)
    assert repr(e).startswith("EffectSize(relative_lift=0.25, ci95=(")
    assert "95% CI" in e._repr_html_()
    assert e.to_dict()["name"] == "relative_lift"
