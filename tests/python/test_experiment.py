"""mk.experiment against independent oracles: hashlib, scipy.stats (chisquare, ttest_ind,
multivariate_normal), statsmodels (OLS, proportion intervals, multipletests) and closed forms written here."""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep

import missionkit as mk
from missionkit import experiment as ex


def hashlib_uniform(salt: str, unit: object) -> float:
    h = int.from_bytes(hashlib.sha256(f"{salt}:{unit}".encode()).digest()[:8], "big")
    return (h >> 11) / 2**53


def hashlib_assign(salt: str, unit: object, weights: list[float], holdout: float) -> int:
    u = hashlib_uniform(salt, unit)
    if u < holdout:
        return -1
    total = sum(weights)
    cum = 0.0
    for i, w in enumerate(weights):
        cum += w
        bound = 1.0 if i == len(weights) - 1 else holdout + (1.0 - holdout) * (cum / total)
        if u < bound:
            return i
    raise AssertionError("unreachable")


# ---- assignment ----------------------------------------------------------------------------------------


def test_hash_matches_hashlib_for_strings_and_ints() -> None:
    rng = np.random.default_rng(3)
    ints = rng.integers(-(2**62), 2**62, size=500)
    strs = [f"user-{i}-é☃" for i in range(500)]
    assert ex.hash_uniform(ints, "salt").tolist() == [hashlib_uniform("salt", int(i)) for i in ints]
    assert ex.hash_uniform(strs, "sålt").tolist() == [hashlib_uniform("sålt", s) for s in strs]
    # pandas Series and numpy unicode arrays go the same way
    assert (
        ex.hash_uniform(pd.Series(strs), "sålt").tolist() == ex.hash_uniform(np.array(strs), "sålt").tolist()
    )


def test_assign_matches_hashlib_reimplementation_with_holdout() -> None:
    ids = [f"c{i}" for i in range(3000)] + list(range(3000))
    w = [0.2, 0.5, 0.3]
    got = np.concatenate(
        [ex.assign(ids[:3000], "exp7", w, holdout=0.1), ex.assign(np.arange(3000), "exp7", w, 0.1)]
    )
    want = [hashlib_assign("exp7", u, w, 0.1) for u in ids]
    assert got.dtype == np.int32
    assert got.tolist() == want
    labels = ex.assign(ids[:3000], "exp7", {"a": 0.2, "b": 0.5, "c": 0.3}, holdout=0.1)
    assert labels.tolist() == [["a", "b", "c", "holdout"][k] for k in want[:3000]]


def test_assign_is_stable_and_balanced() -> None:
    ids = np.arange(100_000)
    a = ex.assign(ids, "balance", [1, 1])
    assert np.array_equal(a, ex.assign(ids, "balance", [3, 3]))  # weights are normalised
    share = a.mean()
    assert abs(share - 0.5) < 4 * math.sqrt(0.25 / ids.size)
    assert ex.srm(np.bincount(a)).ok


def test_assign_bad_inputs() -> None:
    with pytest.raises(TypeError, match="floats"):
        ex.assign([1.0, 2.0], "s")
    with pytest.raises(TypeError, match="single str"):
        ex.assign("abc", "s")
    with pytest.raises(mk.DomainError, match="holdout must be in"):
        ex.assign([1, 2], "s", holdout=1.0)
    with pytest.raises(mk.DataError, match="all be str or all be integers"):
        ex.assign(["a", 3], "s")


# ---- SRM -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "weights"),
    [
        ([5050, 4950], [1, 1]),
        ([1000, 1100, 2050], [1, 1, 2]),
        ([10250, 9750], [0.5, 0.5]),
        ([3, 40, 7], [1, 8, 1]),
    ],
)
def test_srm_matches_scipy_chisquare(counts: list[int], weights: list[float]) -> None:
    c = np.asarray(counts, float)
    w = np.asarray(weights, float)
    want = stats.chisquare(c, c.sum() * w / w.sum())
    got = ex.srm(counts, weights)
    assert got.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert got.pvalue == pytest.approx(want.pvalue, rel=1e-10)
    assert got.df == len(counts) - 1
    assert got.ok == (want.pvalue >= 0.001)


def test_srm_named_arms_and_summary() -> None:
    r = ex.srm({"control": 10250, "treatment": 9750}, {"treatment": 1, "control": 1})
    assert not r.ok
    assert "SAMPLE RATIO MISMATCH" in r.summary()
    assert r.to_dict()["arms"] == ["control", "treatment"]
    assert json.loads(json.dumps(r.to_dict()))["ok"] is False


# ---- group-sequential ----------------------------------------------------------------------------------


def mvn_crossing(t: list[float], upper: np.ndarray, sides: int) -> float:
    """P(some look crosses) under H0 from scipy's multivariate normal cdf (Genz), cov = sqrt(t_i / t_j)."""
    t_arr = np.asarray(t)
    cov = np.sqrt(np.minimum.outer(t_arr, t_arr) / np.maximum.outer(t_arr, t_arr))
    lower = -upper if sides == 2 else np.full_like(upper, -np.inf)
    mvn = stats.multivariate_normal(mean=np.zeros(len(t)), cov=cov, abseps=1e-8, releps=0, maxpts=2 * 10**6)
    return 1.0 - float(mvn.cdf(upper, lower_limit=lower, rng=np.random.default_rng(0)))


@pytest.mark.parametrize("spending", ["obrien_fleming", "pocock"])
@pytest.mark.parametrize("sides", [1, 2])
def test_bounds_spend_exactly_alpha_by_independent_integration(spending: str, sides: int) -> None:
    info = [1.0, 2.5, 3.0, 5.0]  # unequal information times
    alpha = 0.05 if sides == 2 else 0.025
    g = ex.group_sequential(k=4, alpha=alpha, spending=spending, sides=sides, information=info)
    t = [v / info[-1] for v in info]
    for k in range(1, 5):  # cumulative crossing probability after k looks equals the alpha spent
        assert mvn_crossing(t[:k], g.bounds[:k], sides) == pytest.approx(g.cumulative_alpha[k - 1], abs=2e-6)
    assert g.cumulative_alpha[-1] == pytest.approx(alpha, abs=1e-15)
    level = alpha / sides
    assert g.cumulative_alpha[0] == pytest.approx(sides * ex.alpha_spent(spending, level, t[0])[0], rel=1e-12)


def test_published_obrien_fleming_k5() -> None:
    # ld98 / ldbounds (Reboussin et al. 2000) and rpact asOF, two-sided alpha 0.05, 5 equally spaced looks;
    # the second value is printed as 3.3569 by ld98 and 3.3570 by rpact (exact: 3.357012).
    g = ex.group_sequential(k=5, alpha=0.05, spending="obrien_fleming", sides=2)
    assert g.bounds == pytest.approx([4.8769, 3.3570, 2.6803, 2.2898, 2.0310], abs=1.5e-4)
    assert np.array_equal(g.lower, -g.bounds)


def test_state_round_trip_and_resume() -> None:
    g = ex.group_sequential(k=4, alpha=0.05, spending="pocock", information=[100, 200, 300, 400])
    g.record(0.8, 110)
    g.record(1.9, 205)
    saved = json.dumps(g.to_dict())
    h = ex.GroupSequential.from_dict(json.loads(saved))
    assert np.array_equal(h.bounds, g.bounds)
    assert [lk.z for lk in h.looks] == [0.8, 1.9]
    look = h.record(3.1, 290)
    assert look.crossed and h.stopped
    assert "Stopped at look 3" in h.summary()
    with pytest.raises(mk.DomainError, match="design stopped"):
        h.record(1.0, 400)
    with pytest.raises(ValueError, match="unsupported state"):
        ex.GroupSequential.from_dict({"kind": "other"})
    assert "<table>" in g._repr_html_()
    assert "GroupSequential(k=4" in repr(g)


def test_type_one_error_naive_vs_design() -> None:
    rng = np.random.default_rng(2026)
    n, k = 20_000, 5
    z = np.cumsum(rng.standard_normal((n, k)), axis=1) / np.sqrt(np.arange(1, k + 1))
    naive = np.mean(np.any(np.abs(z) >= 1.959963984540054, axis=1))
    assert naive == pytest.approx(0.142, abs=0.01)  # Armitage, McPherson & Rowe (1969)
    mc = 4 * math.sqrt(0.05 * 0.95 / n)
    for spending in ("obrien_fleming", "pocock"):
        b = ex.group_sequential(k=k, alpha=0.05, spending=spending).bounds
        assert np.mean(np.any(np.abs(z) >= b, axis=1)) == pytest.approx(0.05, abs=mc)


# ---- always valid --------------------------------------------------------------------------------------


def test_msprt_closed_form_and_peeking() -> None:
    est, var, tau = np.array([0.1, 0.3, 0.25]), np.array([0.04, 0.02, 0.01]), 0.2
    r = ex.msprt(est, var, mixture_sd=tau)
    lam = np.sqrt(var / (var + tau**2)) * np.exp(tau**2 * est**2 / (2 * var * (var + tau**2)))
    assert r.likelihood_ratio == pytest.approx(lam, rel=1e-12)
    assert r.pvalue == pytest.approx(np.minimum.accumulate(np.minimum(1, 1 / lam)), rel=1e-12)
    low, high = ex.confidence_sequence(est, var, mixture_sd=tau)
    rad = np.sqrt(var * (var + tau**2) / tau**2 * (2 * np.log(20) + np.log((var + tau**2) / var)))
    assert low == pytest.approx(np.maximum.accumulate(est - rad))
    assert high == pytest.approx(np.minimum.accumulate(est + rad))
    # Continuous peeking under H0: 2,000 streams of 400 pairs, a look after every pair.
    rng = np.random.default_rng(9)
    d = rng.standard_normal((2000, 400)) - rng.standard_normal((2000, 400))
    n = np.arange(1, 401)
    means, v = np.cumsum(d, axis=1) / n, 2.0 / n
    rejected = sum(ex.msprt(m, v, mixture_sd=0.3).rejected for m in means)
    assert rejected / 2000 <= 0.05
    assert np.mean(np.any(np.abs(means / np.sqrt(v)) >= 1.96, axis=1)) > 0.3
    assert "MSPRTResult(looks=3" in repr(r)


# ---- A/B/n ---------------------------------------------------------------------------------------------


def make_frame(seed: int = 5, n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    arm = rng.choice(["control", "b", "c"], size=n)
    pre = rng.normal(10, 3, n)
    effect = np.select([arm == "b", arm == "c"], [0.5, 0.0], 0.0)
    sessions = 1 + rng.poisson(2, n)
    return pd.DataFrame(
        {
            "user": [f"u{i}" for i in range(n)],
            "arm": arm,
            "pre": pre,
            "spend": 5 + 0.9 * pre + rng.normal(0, 2, n) + effect,
            "converted": (rng.random(n) < np.where(arm == "b", 0.13, 0.10)).astype(int),
            "sessions": sessions,
            "clicks": rng.binomial(sessions * 3, 0.2),
        }
    )


def test_ab_test_matches_independent_oracles() -> None:
    df = make_frame()
    r = ex.ab_test(
        df,
        arm="arm",
        unit="user",
        metrics=[
            ex.Metric("spend"),
            ex.Metric("spend_cuped", column="spend", covariate="pre"),
            "converted",
            ex.Metric("ctr", kind="ratio", column="clicks", denominator="sessions"),
        ],
    )
    c = pd.DataFrame(r.comparisons)
    assert r.control == "control"
    ctl = df[df.arm == "control"]
    for arm in ("b", "c"):
        t = df[df.arm == arm]
        # Welch (scipy)
        row = c[(c.metric == "spend") & (c.arm == arm)].iloc[0]
        w = stats.ttest_ind(t.spend, ctl.spend, equal_var=False)
        assert row.pvalue == pytest.approx(w.pvalue, rel=1e-9)
        assert (row.ci_low, row.ci_high) == pytest.approx(tuple(w.confidence_interval()), rel=1e-9)
        # Proportions: Newcombe interval (statsmodels)
        row = c[(c.metric == "converted") & (c.arm == arm)].iloc[0]
        lo, hi = confint_proportions_2indep(
            t.converted.sum(), len(t), ctl.converted.sum(), len(ctl), method="newcomb"
        )
        assert (row.ci_low, row.ci_high) == pytest.approx((lo, hi), rel=1e-9)
        # Ratio metric: delta method in gradient form, written independently here
        row = c[(c.metric == "ctr") & (c.arm == arm)].iloc[0]

        def ratio(g: pd.DataFrame) -> tuple[float, float]:
            mn, md = g.clicks.mean(), g.sessions.mean()
            grad = np.array([1 / md, -mn / md**2])
            return mn / md, float(grad @ np.cov(np.vstack([g.clicks, g.sessions])) @ grad / len(g))

        (rt, vt), (rc, vc) = ratio(t), ratio(ctl)
        assert row.estimate == pytest.approx(rt - rc, rel=1e-12)
        assert row.std_error == pytest.approx(math.sqrt(vt + vc), rel=1e-10)
    # CUPED: difference of adjusted means = ANCOVA arm coefficients (statsmodels OLS, control as base)
    X = np.column_stack([np.ones(len(df)), df.arm == "b", df.arm == "c", df.pre]).astype(float)
    fit = OLS(df.spend.to_numpy(), X).fit()
    cup = c[c.metric == "spend_cuped"].set_index("arm")
    assert cup.loc["b", "estimate"] == pytest.approx(fit.params[1], rel=1e-9)
    assert cup.loc["c", "estimate"] == pytest.approx(fit.params[2], abs=1e-10)
    assert cup.loc["b", "cuped_theta"] == pytest.approx(fit.params[3], rel=1e-9)
    assert cup.loc["b", "variance_reduction"] > 0.5
    # Multiple testing: holm over the 8 comparisons (statsmodels)
    assert c.pvalue_adjusted.to_numpy() == pytest.approx(multipletests(c.pvalue, method="holm")[1], rel=1e-12)
    text = r.summary()
    assert "Verdict:" in text and "CUPED cut the variance" in text
    assert "<table>" in r._repr_html_()
    assert json.loads(json.dumps(r.to_dict()))["control"] == "control"
    assert list(r.to_frame("arms").columns) == ["metric", "arm", "n", "value", "std_error", "unadjusted"]


def test_cuped_unbiased_and_narrower_by_simulation() -> None:
    rng = np.random.default_rng(11)
    reps, n, effect = 400, 400, 0.3
    plain, cuped, wp, wc, cover = [], [], [], [], 0
    for _ in range(reps):
        arm = np.repeat(["control", "t"], n)
        pre = rng.normal(0, 1, 2 * n)
        y = 2 * pre + rng.normal(0, 1, 2 * n) + effect * (arm == "t")
        r = ex.ab_test(
            {"arm": arm, "y": y, "pre": pre},
            metrics=[ex.Metric("y", kind="mean"), ex.Metric("yc", column="y", covariate="pre")],
        )
        cm = r.comparisons
        plain.append(cm["estimate"][0])
        cuped.append(cm["estimate"][1])
        wp.append(cm["ci_high"][0] - cm["ci_low"][0])
        wc.append(cm["ci_high"][1] - cm["ci_low"][1])
        cover += cm["ci_low"][1] <= effect <= cm["ci_high"][1]
    # sd of the CUPED estimate is sqrt(2/n) = 0.071; 4 SE of the mean over 400 reps is 0.014
    assert np.mean(cuped) == pytest.approx(effect, abs=4 * math.sqrt(2 / n) / math.sqrt(reps))
    assert np.mean(plain) == pytest.approx(effect, abs=4 * math.sqrt(10 / n) / math.sqrt(reps))
    assert np.mean(wc) / np.mean(wp) == pytest.approx(math.sqrt(1 / 5), abs=0.02)  # var(y|pre)=1, var(y)=5
    assert cover / reps == pytest.approx(0.95, abs=4 * math.sqrt(0.05 * 0.95 / reps))


def test_guardrails_and_srm_block_the_verdict() -> None:
    rng = np.random.default_rng(1)
    n = 4000
    arm = np.repeat(["control", "t"], n)
    aht = rng.normal(300, 30, 2 * n) + 30 * (arm == "t")  # 10% worse handle time
    conv = (rng.random(2 * n) < 0.1).astype(float)
    g = ex.Metric("aht", kind="mean", direction="decrease", guardrail=True, margin=0.02, relative=True)
    r = ex.ab_test({"arm": arm, "aht": aht, "conv": conv}, metrics=["conv", g])
    assert r.comparisons["guardrail_status"][1] == "fail"
    assert r.verdict.startswith("Do not ship: guardrail")
    ok = ex.ab_test({"arm": arm, "aht": aht - 30 * (arm == "t"), "conv": conv}, metrics=["conv", g])
    assert ok.comparisons["guardrail_status"][1] == "pass"
    # Designed 50/50 but 4000 vs 3600 units: SRM blocks whatever the metrics say.
    keep = np.r_[np.arange(n), np.arange(n, 2 * n - 400)]
    bad = ex.ab_test({"arm": arm[keep], "aht": aht[keep], "conv": conv[keep]}, metrics=["conv"])
    assert not bad.srm.ok and bad.verdict.startswith("Blocked: sample ratio mismatch")


def test_bad_inputs_give_clear_errors() -> None:
    df = make_frame(n=200)
    two = df.copy()
    two.loc[5, "user"] = two.loc[6, "user"]
    two.loc[5, "arm"] = "b" if two.loc[6, "arm"] != "b" else "c"
    with pytest.raises(mk.DataError, match="is in two arms"):
        ex.ab_test(two, unit="user", metrics=["spend"])
    miss = df.copy()
    miss.loc[3, "pre"] = np.nan
    with pytest.raises(mk.DataError, match="have no pre-period value"):
        ex.ab_test(miss, metrics=[ex.Metric("spend", covariate="pre")])
    flat = df.copy()
    flat.loc[flat.arm == "c", "spend"] = 4.0
    with pytest.raises(mk.DomainError, match="zero variance"):
        ex.ab_test(flat, metrics=["spend"])
    small = df.iloc[:20]
    with pytest.raises(mk.DomainError, match="randomisation units"):
        ex.ab_test(small, metrics=[ex.Metric("ctr", kind="ratio", column="clicks", denominator="sessions")])
    with pytest.raises(ValueError, match="no column 'nope'"):
        ex.ab_test(df, metrics=["nope"])
    with pytest.raises(ValueError, match="control arm 'x' not found"):
        ex.ab_test(df, metrics=["spend"], control="x")


def test_float32_columns_integer_arms_and_blocked_accuracy() -> None:
    rng = np.random.default_rng(8)
    n = 9000  # several 2,048-row blocks, so the block merge is exercised
    arm = rng.integers(0, 3, n) * 5 + 2  # codes 2, 7, 12: labels sorted as text, "12" < "2" < "7"
    den = (1 + rng.poisson(2, n)).astype(np.float32)
    cols32 = {
        "arm": arm,
        "y": rng.lognormal(1, 0.5, n).astype(np.float32),
        "num": rng.binomial(den.astype(int) * 3, 0.2).astype(np.float32),
        "den": den,
        "conv": (rng.random(n) < 0.2).astype(np.float32),
    }
    cols64 = {k: (v.astype(np.float64) if k != "arm" else v) for k, v in cols32.items()}
    metrics = [
        ex.Metric("y", kind="mean"),
        ex.Metric("r", kind="ratio", column="num", denominator="den"),
        "conv",
    ]
    r32, r64 = ex.ab_test(cols32, metrics=metrics), ex.ab_test(cols64, metrics=metrics)
    assert r32.control == "12" and r32.comparisons["arm"][:2] == ["2", "7"]
    # float32 is read in place and accumulated in double: the same numbers as the float64 copy
    assert r32.comparisons == r64.comparisons
    y, a = cols64["y"], cols64["arm"]
    w = stats.ttest_ind(y[a == 2], y[a == 12], equal_var=False)
    assert r32.comparisons["pvalue"][0] == pytest.approx(w.pvalue, rel=1e-9)
    # a large offset (1e8 + N(0, 1)) loses nothing in the blocked two-pass sums (scipy: two-pass in float64)
    big = 1e8 + rng.normal(0, 1, n)
    rb = ex.ab_test({"arm": arm, "big": big}, metrics=[ex.Metric("big", kind="mean")])
    w = stats.ttest_ind(big[arm == 7], big[arm == 12], equal_var=False)
    # means near 1e8 carry ~1e-8 rounding in any summation order (ulp 1.5e-8), so their difference is
    # compared in absolute terms; the variance (where a one-pass sum of squares would lose everything)
    # tightly
    diff = big[arm == 7].mean() - big[arm == 12].mean()
    assert rb.comparisons["estimate"][1] == pytest.approx(diff, abs=1e-7)
    assert rb.comparisons["statistic"][1] == pytest.approx(w.statistic, rel=1e-5)
    assert rb.comparisons["std_error"][1] == pytest.approx(
        math.sqrt(
            big[arm == 7].var(ddof=1) / (arm == 7).sum() + big[arm == 12].var(ddof=1) / (arm == 12).sum()
        ),
        rel=1e-9,
    )
    # errors still name the exact row, in a later block too
    bad = cols32["y"].copy()
    bad[7000] = np.nan
    with pytest.raises(mk.DataError, match="row 7000 is missing"):
        ex.ab_test({**cols32, "y": bad}, metrics=[ex.Metric("y", kind="mean")])
    badx = cols32["den"].copy()
    badx[[5000, 8000]] = np.nan
    with pytest.raises(mk.DataError, match=r"2 unit\(s\) have no denominator value \(first: row 5000\)"):
        ex.ab_test({**cols32, "den": badx}, metrics=metrics[1:2])
    notbin = cols32["conv"].copy()
    notbin[6000] = 2.0
    with pytest.raises(mk.DataError, match="is a proportion but row 6000 is 2"):
        ex.ab_test({**cols32, "conv": notbin}, metrics=[ex.Metric("conv", kind="proportion")])
