"""ab_test segments (heterogeneous effects), per-protocol and CACE against independent oracles:
scipy.stats (ttest_ind, chi2), statsmodels (multipletests, combine_effects, proportion intervals) and an
instrumental-variables fit written here with numpy."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

from missionkit import experiment as ex


def frame(seed: int = 3, n: int = 6000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    arm = rng.choice(["control", "b", "c"], size=n)
    channel = rng.choice(["chat", "email", "phone"], size=n)
    # the effect of b is larger on chat: real heterogeneity for the Q test to find
    effect = np.where(arm == "b", np.where(channel == "chat", 1.5, 0.2), 0.0)
    sessions = 1 + rng.poisson(2, n)
    return pd.DataFrame(
        {
            "arm": arm,
            "channel": channel,
            "tenure": rng.choice(["new", "old"], size=n),
            "spend": 5 + rng.normal(0, 2, n) + effect,
            "converted": (rng.random(n) < 0.2).astype(int),
            "sessions": sessions,
            "clicks": rng.binomial(sessions * 3, 0.2),
        }
    )


METRICS = ["spend", "converted", ex.Metric("ctr", kind="ratio", column="clicks", denominator="sessions")]


def test_segments_match_scipy_and_statsmodels() -> None:
    df = frame()
    r = ex.ab_test(df, metrics=METRICS, segments=["channel", "tenure"])
    s = pd.DataFrame(r.segments)
    # 5 levels x 2 treatments x 3 metrics, every one estimable
    assert len(s) == 30 and (s.error == "").all()
    for seg in ("channel", "tenure"):
        for level, g in df.groupby(seg):
            ctl = g[g.arm == "control"]
            for arm in ("b", "c"):
                t = g[g.arm == arm]
                row = s[(s.segment == seg) & (s.level == level) & (s.arm == arm)].set_index("metric")
                w = stats.ttest_ind(t.spend, ctl.spend, equal_var=False)
                assert row.loc["spend", "pvalue"] == pytest.approx(w.pvalue, rel=1e-9)
                assert row.loc["spend", "ci_low"] == pytest.approx(w.confidence_interval()[0], rel=1e-9)
                assert row.loc["spend", "n_treatment"] == len(t)
                assert row.loc["spend", "n_control"] == len(ctl)
                lo, hi = confint_proportions_2indep(
                    t.converted.sum(), len(t), ctl.converted.sum(), len(ctl), method="newcomb"
                )
                assert (row.loc["converted", "ci_low"], row.loc["converted", "ci_high"]) == pytest.approx(
                    (lo, hi), rel=1e-9
                )
                rt = t.clicks.sum() / t.sessions.sum()
                rc = ctl.clicks.sum() / ctl.sessions.sum()
                assert row.loc["ctr", "estimate"] == pytest.approx(rt - rc, rel=1e-12)
    # Holm across all 30 segment comparisons (statsmodels), independent of the main correction
    assert s.pvalue_adjusted.to_numpy() == pytest.approx(multipletests(s.pvalue, method="holm")[1], rel=1e-12)
    assert (s.significant == (s.pvalue_adjusted <= 0.05)).all()
    bh = ex.ab_test(df, metrics=METRICS, segments=["channel"], segment_correction="bh")
    sb = pd.DataFrame(bh.segments)
    assert sb.pvalue_adjusted.to_numpy() == pytest.approx(
        multipletests(sb.pvalue, method="fdr_bh")[1], rel=1e-12
    )
    # the main analysis is unchanged by segments
    plain = ex.ab_test(df, metrics=METRICS)
    assert plain.comparisons["pvalue_adjusted"] == r.comparisons["pvalue_adjusted"]


def test_heterogeneity_is_cochrans_q() -> None:
    df = frame()
    r = ex.ab_test(df, metrics=METRICS, segments={"channel": df.channel.to_numpy()})
    s, h = pd.DataFrame(r.segments), pd.DataFrame(r.heterogeneity)
    assert len(h) == 6  # 1 segment variable x 3 metrics x 2 treatments
    for _, row in h.iterrows():
        g = s[(s.metric == row.metric) & (s.arm == row.arm)]
        est, se = g.estimate.to_numpy(), g.std_error.to_numpy()
        w = 1 / se**2
        q = float(np.sum(w * (est - np.sum(w * est) / np.sum(w)) ** 2))  # by hand
        sm = combine_effects(est, se**2)
        assert row.q == pytest.approx(q, rel=1e-12)
        assert row.q == pytest.approx(sm.q, rel=1e-10)
        assert row.df == 2 and row.levels == 3
        assert row.pvalue == pytest.approx(stats.chi2.sf(q, 2), rel=1e-9)
        assert row.i2 == pytest.approx(max(0.0, sm.i2), abs=1e-12)
        assert row.pooled == pytest.approx(sm.mean_effect_fe, rel=1e-12)
    # the planted interaction (b works on chat only) is found; c has none
    spend = h[h.metric == "spend"].set_index("arm")
    assert spend.loc["b", "pvalue"] < 1e-6
    # the fishing warning states the number of comparisons
    note = next(n for n in r.notes if n.startswith("Segment results are exploratory unless pre-registered"))
    assert "18 segment comparisons were made" in note
    assert "Segments: 18 comparisons" in r.summary() and "heterogeneity of spend (b)" in r.summary()
    html = r._repr_html_()
    assert "Cochran" in html and "exploratory" in html
    d = json.loads(json.dumps(r.to_dict()))
    assert d["segment_correction"] == "holm" and len(d["segments"]["metric"]) == 18
    assert list(r.to_frame("heterogeneity").columns)[:4] == ["segment", "metric", "arm", "levels"]


def test_segment_level_without_an_arm_is_reported_not_fatal() -> None:
    df = frame(n=1500)
    df.loc[(df.channel == "phone") & (df.arm == "c"), "channel"] = "chat"  # no 'c' units on phone
    r = ex.ab_test(df, metrics=["spend"], segments="channel")
    s = pd.DataFrame(r.segments)
    bad = s[(s.level == "phone") & (s.arm == "c")].iloc[0]
    assert "no units" in bad.error and math.isnan(bad.estimate) and math.isnan(bad.pvalue_adjusted)
    ok = s[s.error == ""]
    assert ok.pvalue_adjusted.to_numpy() == pytest.approx(multipletests(ok.pvalue, method="holm")[1])
    h = pd.DataFrame(r.heterogeneity).set_index("arm")
    assert h.loc["c", "levels"] == 2 and h.loc["c", "df"] == 1


def test_segment_bad_inputs() -> None:
    df = frame(n=600)
    with pytest.raises(ValueError, match="segment 'segment_1' must have one value per unit"):
        ex.ab_test(df, metrics=["spend"], segments=[np.arange(10)])
    with pytest.raises(ValueError, match="no column 'region'"):
        ex.ab_test(df, metrics=["spend"], segments=["region"])
    with pytest.raises(ValueError):
        ex.ab_test(df, metrics=["spend"], segments=["channel"], segment_correction="nope")


def itt_frame(seed: int = 9, n: int = 8000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    arm = rng.choice(["control", "treatment"], size=n)
    # one-sided non-compliance: 70% of the treatment arm takes the treatment, nobody in control can
    complier = rng.random(n) < 0.7
    took = (arm == "treatment") & complier
    y = 10 + 2 * complier + 1.0 * took + rng.normal(0, 3, n)  # compliers differ at baseline too
    return pd.DataFrame(
        {
            "arm": arm,
            "received": np.where(took, "treatment", "control"),
            "y": y,
            "conv": (rng.random(n) < 0.3 + 0.1 * took).astype(int),
        }
    )


def iv_by_hand(y: np.ndarray, d: np.ndarray, z: np.ndarray) -> tuple[float, float]:
    """Just-identified 2SLS, beta = (Z'X)^-1 Z'y, with the heteroskedasticity-robust sandwich; the meat
    scales each residual by n_g / (n_g - 1) within its assignment group (the ddof = 1 analogue of HC0)."""
    X = np.column_stack([np.ones_like(d), d])
    Z = np.column_stack([np.ones_like(z), z])
    beta = np.linalg.solve(Z.T @ X, Z.T @ y)
    u = y - X @ beta
    ng = np.where(z == 1, z.sum(), (1 - z).sum())
    meat = (Z * (u**2 * ng / (ng - 1))[:, None]).T @ Z
    bread = np.linalg.inv(Z.T @ X)
    cov = bread @ meat @ bread.T
    return float(beta[1]), float(np.sqrt(cov[1, 1]))


def test_itt_per_protocol_and_cace() -> None:
    df = itt_frame()
    r = ex.ab_test(df, metrics=["y", "conv"], received="received")
    # main analysis is intention-to-treat: identical to the analysis without `received`
    itt = ex.ab_test(df, metrics=["y", "conv"])
    assert r.comparisons == itt.comparisons
    pp = pd.DataFrame(r.per_protocol).set_index("metric")
    ok = df[df.arm == df.received]
    t, c = ok[ok.arm == "treatment"], ok[ok.arm == "control"]
    w = stats.ttest_ind(t.y, c.y, equal_var=False)
    assert pp.loc["y", "pvalue"] == pytest.approx(w.pvalue, rel=1e-9)
    assert pp.loc["y", "estimate"] == pytest.approx(t.y.mean() - c.y.mean(), rel=1e-12)
    assert pp.loc["y", "n_treatment"] == len(t) and pp.loc["y", "n_control"] == len(c)
    comp = pd.DataFrame(r.compliance).set_index("arm")
    assert comp.loc["control", "share"] == 1.0
    assert comp.loc["treatment", "complied"] == int(
        ((df.arm == "treatment") & (df.received == "treatment")).sum()
    )
    cace = pd.DataFrame(r.cace).set_index("metric")
    z = (df.arm == "treatment").to_numpy(float)
    d = (df.received == "treatment").to_numpy(float)
    for m in ("y", "conv"):
        yv = df[m].to_numpy(float)
        beta, se = iv_by_hand(yv, d, z)
        wald = (yv[z == 1].mean() - yv[z == 0].mean()) / (d[z == 1].mean() - d[z == 0].mean())
        assert cace.loc[m, "estimate"] == pytest.approx(beta, rel=1e-10)
        assert cace.loc[m, "estimate"] == pytest.approx(wald, rel=1e-12)
        assert cace.loc[m, "std_error"] == pytest.approx(se, rel=1e-9)
        zq = stats.norm.ppf(0.975)
        assert cace.loc[m, "ci_low"] == pytest.approx(beta - zq * se, rel=1e-9)
        assert cace.loc[m, "pvalue"] == pytest.approx(2 * stats.norm.sf(abs(beta / se)), rel=1e-9)
        assert bool(cace.loc[m, "one_sided"])
    # the complier effect (1.0) is recovered; per-protocol is biased by the compliers' higher baseline
    assert cace.loc["y", "ci_low"] < 1.0 < cace.loc["y", "ci_high"]
    # (per-protocol: 13 for treated compliers vs 10 + 2 * 0.7 = 11.4 for all of control, se ~ 0.08)
    assert pp.loc["y", "estimate"] > 1.3
    assert any("not randomised" in n for n in r.notes) and any("CACE" in n for n in r.notes)
    text = r.summary()
    assert "Per-protocol" in text and "CACE y" in text
    assert "Per-protocol (not randomised)" in r._repr_html_()
    assert json.loads(json.dumps(r.to_dict()))["cace"]["metric"] == ["y", "conv"]


def test_complied_flag_and_errors() -> None:
    df = itt_frame(n=3000)
    flag = (df.arm == df.received).to_numpy()
    a = ex.ab_test(df, metrics=["y"], received="received")
    b = ex.ab_test(df, metrics=["y"], received=flag)
    assert a.per_protocol == b.per_protocol and a.cace == b.cace
    with pytest.raises(ValueError, match=r"received has value\(s\) \['placebo'\] that are not arms"):
        ex.ab_test(df, metrics=["y"], received=np.where(flag, df.received, "placebo"))
    with pytest.raises(ValueError, match="received must have one value per unit"):
        ex.ab_test(df, metrics=["y"], received=flag[:10])
    three = df.copy()
    three.loc[three.index[:900], "arm"] = "other"
    three.loc[three.index[:900], "received"] = "other"
    r = ex.ab_test(three, metrics=["y"], received="received")
    assert r.cace is None and r.per_protocol is not None and len(r.per_protocol["arm"]) == 2
