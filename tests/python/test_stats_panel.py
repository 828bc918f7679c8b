"""mk.stats.ols_fe / did / event_study against statsmodels OLS with explicit dummy columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import missionkit as mk

RTOL = 1e-8


def simulate(
    seed: int, pretrend: float = 0.0, effect: float = 2.0, n_units: int = 60, periods: int = 10
) -> Any:
    """Staggered adoption (periods 4-7) for two units in three, the rest never treated; a planted
    pre-trend adds ``pretrend * rel`` before adoption; about 10% of rows are missing (unbalanced)."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(n_units):
        first = float(rng.choice([4, 5, 6, 7])) if u % 3 else np.nan
        alpha = rng.normal()
        for t in range(periods):
            rel = t - first
            y = alpha + 0.3 * t + rng.normal()
            if rel >= 0:
                y += effect
            if rel < 0:
                y += pretrend * rel
            rows.append((f"u{u}", t, first, y, rng.normal(), rng.integers(0, 5)))
    df = pd.DataFrame(rows, columns=["unit", "time", "first", "y", "x", "store"])
    return df[rng.random(len(df)) > 0.1].reset_index(drop=True)


def dummies(df: Any, *cols: str) -> Any:
    return pd.get_dummies(df[list(cols)].astype(str), drop_first=True, dtype=float)


def check(res: Any, want: Any, names: list[str]) -> None:
    np.testing.assert_allclose(res.params, want.params[names], rtol=RTOL)
    np.testing.assert_allclose(res.bse, want.bse[names], rtol=RTOL)
    np.testing.assert_allclose(res.pvalues, want.pvalues[names], rtol=RTOL)
    np.testing.assert_allclose(res.conf_int(), want.conf_int().loc[names].to_numpy(), rtol=RTOL)
    assert res.df_resid == pytest.approx(want.df_resid)
    assert res.rsquared == pytest.approx(want.rsquared, rel=RTOL)
    assert res.rsquared_adj == pytest.approx(want.rsquared_adj, rel=RTOL)


@pytest.mark.parametrize("cov", ["nonrobust", "HC0", "HC1", "cluster"])
@pytest.mark.parametrize("ways", [1, 2])
def test_ols_fe_matches_dummies(cov: str, ways: int) -> None:
    df = simulate(3)
    df.loc[5, "x"] = np.nan  # dropped row, as statsmodels' missing="drop"
    fe = ["unit", "time"][:ways]
    kw = {"groups": df["unit"]} if cov == "cluster" else {}
    res = mk.stats.ols_fe(df["y"], df[["x"]], fe=[df[c] for c in fe], cov=cov, **kw)
    d = df.dropna(subset=["x"])
    X = sm.add_constant(pd.concat([d[["x"]], dummies(d, *fe)], axis=1))
    cov_kwds = {"groups": pd.factorize(d["unit"])[0]} if cov == "cluster" else None
    want = sm.OLS(d["y"], X).fit(cov_type=cov, cov_kwds=cov_kwds)
    check(res, want, ["x"])
    assert res.nobs_dropped == 1
    assert res.n_levels == tuple(d[c].nunique() for c in fe)


def test_ols_fe_two_way_cluster_and_data_names() -> None:
    df = simulate(4)
    res = mk.stats.ols_fe("y", ["x"], fe=["unit", "store"], cov="cluster", groups=["unit", "time"], data=df)
    X = sm.add_constant(pd.concat([df[["x"]], dummies(df, "unit", "store")], axis=1))
    groups = np.column_stack([pd.factorize(df["unit"])[0], df["time"]])
    with np.errstate(invalid="ignore"):  # V1 + V2 - V12 is not PSD: some dummies get NaN std errors
        want = sm.OLS(df["y"], X).fit(cov_type="cluster", cov_kwds={"groups": groups})
        check(res, want, ["x"])
    assert res.n_groups == (60, 10)
    assert res.fe_names == ("unit", "store")


def test_did_matches_dummies() -> None:
    df = simulate(5)
    res = mk.stats.did(df["y"], df["unit"], df["time"], df["first"])
    treated = (df["time"] >= df["first"]).astype(float).rename("treated")
    X = sm.add_constant(pd.concat([treated, dummies(df, "unit", "time")], axis=1))
    want = sm.OLS(df["y"], X).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(df["unit"])[0]})
    check(res, want, ["treated"])
    assert abs(res.params[0] - 2.0) < 3 * res.bse[0]  # the planted effect
    assert res.names == ["treated"]


def event_oracle(df: Any, leads: int, lags: int, names: list[str], rel_time: tuple[int, ...]) -> Any:
    rel = (df["time"] - df["first"]).clip(-leads, lags)
    cols = pd.DataFrame({n: (rel == r).astype(float) for n, r in zip(names, rel_time)})
    X = sm.add_constant(pd.concat([cols, dummies(df, "unit", "time")], axis=1))
    return sm.OLS(df["y"], X).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(df["unit"])[0]})


@pytest.mark.parametrize(("pretrend", "reject"), [(0.0, False), (0.6, True)])
def test_event_study_matches_dummies_and_pretrend(pretrend: float, reject: bool) -> None:
    df = simulate(11, pretrend=pretrend)
    res = mk.stats.event_study("y", "unit", "time", "first", leads=3, lags=3, data=df)
    assert res.names == ["t-3", "t-2", "t+0", "t+1", "t+2", "t+3"]
    assert res.rel_time == (-3, -2, 0, 1, 2, 3)
    want = event_oracle(df, 3, 3, res.names, res.rel_time)
    check(res, want, res.names)
    assert res.pretrend is not None
    R = np.zeros((2, len(want.params)))
    R[0, 1] = R[1, 2] = 1.0  # t-3, t-2 follow the constant
    chi2 = want.wald_test(R, use_f=False, scalar=True)
    f = want.wald_test(R, use_f=True, scalar=True)
    assert res.pretrend.terms == ("t-3", "t-2")
    assert res.pretrend.df == 2
    assert res.pretrend.statistic == pytest.approx(float(chi2.statistic), rel=RTOL)
    assert res.pretrend.pvalue == pytest.approx(float(chi2.pvalue), rel=RTOL)
    assert res.pretrend.f_statistic == pytest.approx(float(f.statistic), rel=RTOL)
    assert res.pretrend.f_pvalue == pytest.approx(float(f.pvalue), rel=RTOL)
    assert res.pretrend.df_denom == f.df_denom
    assert (res.pretrend.pvalue < 0.01) if reject else (res.pretrend.pvalue > 0.05)


def test_results_print_and_export() -> None:
    df = simulate(2)
    res = mk.stats.event_study(df["y"], df["unit"], df["time"], df["first"], leads=2, lags=2)
    text = repr(res)
    assert text.startswith("Event study of y") and "pre-trend" in text and "t+2" in text
    assert "<table>" in res._repr_html_()
    d = res.to_dict()
    assert d["pretrend"]["df"] == 1 and d["fixed_effects"]["unit"] == 60
    assert list(res.to_frame().index) == res.names
    assert "DiD of y" in repr(mk.stats.did(df["y"], df["unit"], df["time"], df["first"]))


def test_errors_name_the_argument() -> None:
    df = simulate(1)
    y, u, t, e = df["y"], df["unit"], df["time"], df["first"]
    with pytest.raises(ValueError, match="absorbed by the fixed effects"):
        mk.stats.ols_fe(y, pd.DataFrame({"tenure": t * 2.0}), fe=[u, t])
    with pytest.raises(ValueError, match="fe\\[0\\] must be 1-D"):
        mk.stats.ols_fe(y, df[["x"]], fe=[u[:-1]])
    with pytest.raises(ValueError, match="cov must be one of"):
        mk.stats.ols_fe(y, df[["x"]], fe=[u], cov="HC3")
    with pytest.raises(ValueError, match="at least 2 clusters"):
        mk.stats.ols_fe(y, df[["x"]], fe=[u], cov="cluster", groups=np.zeros(len(df)))
    with pytest.raises(ValueError, match="treated_from: no observation is treated"):
        mk.stats.did(y, u, t, np.full(len(df), np.nan))
    with pytest.raises(ValueError, match="treated_from must be the same"):
        mk.stats.did(y, u, t, np.arange(len(df), dtype=float))
    with pytest.raises(ValueError, match="time must hold integer periods"):
        mk.stats.did(y, u, t + 0.5, e)
    with pytest.raises(ValueError, match="treat_time must be 1-D"):
        mk.stats.event_study(y, u, t, e[:-1])
    with pytest.raises(ValueError, match="no observation at relative time t\\+6"):
        mk.stats.event_study(y, u, t, e, leads=2, lags=20)
    with pytest.raises(ValueError, match="no lead coefficient"):
        mk.stats.event_study(y, u, t, e, leads=1, lags=2)
