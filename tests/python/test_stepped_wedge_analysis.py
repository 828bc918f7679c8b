"""Hussey & Hughes stepped-wedge analysis (mk.experiment.stepped_wedge_analysis).

Oracle: statsmodels MixedLM, ``smf.mixedlm("y ~ C(period) + treat", df, groups=df["cluster"])`` on the
individual-level rows. Two kinds of comparison:
- statsmodels' own log-likelihood and score evaluated at our variance ratio gamma = tau^2 / sigma^2
  (``MixedLM.loglike`` / ``MixedLM.score`` with the fixed effects profiled): these are exact functions,
  so they match to 1e-9 and the score is ~0, i.e. our estimate is statsmodels' maximiser;
- statsmodels' fitted results (``fe_params``, ``bse_fe``, ``cov_re``, ``scale``, ``llf``), fitted with
  BFGS at gtol=1e-12 (its default stop leaves ~1e-4 relative error in cov_re): they come from a
  quasi-Newton optimiser stopped at a gradient tolerance, so they match to 1e-6 relative (the
  log-likelihood, flat at the optimum, to 1e-9).
The GLS standard error is also checked against a dense numpy computation of sigma^2 (X' H^-1 X)^-1 built
from the full per-cluster covariance matrices.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import missionkit as mk

sm = pytest.importorskip("statsmodels.formula.api")
from statsmodels.regression.mixed_linear_model import MixedLMParams  # noqa: E402


def simulate(
    seed: int,
    steps: int = 4,
    per_step: int = 3,
    m: int = 15,
    theta: float = 0.3,
    tau: float = 0.5,
    sigma: float = 1.0,
    binary: bool = False,
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = mk.experiment.stepped_wedge_design(steps=steps, clusters_per_step=per_step)
    n_i, n_t = x.shape
    rows = []
    for i in range(n_i):
        a = rng.normal(0, tau)
        for j in range(n_t):
            k = m + int(rng.integers(-3, 4))  # unbalanced cells
            mu = 1.0 + 0.1 * j + theta * x[i, j] + a
            if binary:
                y = (rng.random(k) < 1 / (1 + np.exp(-(mu - 1.5)))).astype(float)
            else:
                y = mu + rng.normal(0, sigma, k)
            rows.append(pd.DataFrame({"cluster": f"c{i:02d}", "period": j, "treat": x[i, j], "y": y}))
    return pd.concat(rows, ignore_index=True)


def statsmodels_fit(df: pd.DataFrame, reml: bool):  # type: ignore[no-untyped-def]
    model = sm.mixedlm("y ~ C(period) + treat", df, groups=df["cluster"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit(reml=reml, method="bfgs", gtol=1e-12)  # tighter than the default stop
    return model, fit


@pytest.mark.parametrize("method", ["reml", "ml"])
@pytest.mark.parametrize("seed", [1, 2])
def test_matches_statsmodels(method: str, seed: int) -> None:
    df = simulate(seed)
    r = mk.experiment.stepped_wedge_analysis(
        df, outcome="y", cluster="cluster", period="period", treated="treat", method=method
    )
    model, fit = statsmodels_fit(df, reml=method == "reml")
    # exact: statsmodels' profile log-likelihood and score at our gamma
    gamma = r.tau2 / r.sigma2
    p = MixedLMParams.from_components(cov_re=np.array([[gamma]]))
    assert model.loglike(p, profile_fe=True) == pytest.approx(r.log_likelihood, rel=1e-10)
    grad = model.score(p, profile_fe=True)
    assert abs(grad[0]) < 1e-6 * len(df)
    # fitted values, to the optimiser's tolerance
    assert r.theta == pytest.approx(fit.fe_params["treat"], rel=1e-6)
    assert r.std_error_observed == pytest.approx(fit.bse_fe["treat"], rel=1e-6)
    assert r.tau2 == pytest.approx(float(fit.cov_re.iloc[0, 0]), rel=1e-6)
    assert r.sigma2 == pytest.approx(fit.scale, rel=1e-6)
    assert r.log_likelihood == pytest.approx(fit.llf, rel=1e-9)
    assert r.log_likelihood >= fit.llf - 1e-9  # ours is the maximum
    pe = [0.0] + [fit.fe_params[f"C(period)[T.{j}]"] for j in range(1, r.periods)]
    np.testing.assert_allclose(r.period_effects, pe, rtol=1e-6, atol=1e-8)
    assert r.intercept == pytest.approx(fit.fe_params["Intercept"], rel=1e-6)
    assert (r.clusters, r.periods, r.n_obs) == (12, 5, len(df))
    assert r.icc == pytest.approx(r.tau2 / (r.tau2 + r.sigma2), rel=1e-14)
    assert r.converged and not r.boundary


def test_gls_standard_error_dense() -> None:
    df = simulate(3)
    r = mk.experiment.stepped_wedge_analysis(
        df, outcome="y", cluster="cluster", period="period", treated="treat"
    )
    info = np.zeros((6, 6))
    for _, g in df.groupby("cluster"):
        xg = np.column_stack([np.eye(5)[g["period"].to_numpy()], g["treat"].to_numpy()])
        v = r.sigma2 * np.eye(len(g)) + r.tau2 * np.ones((len(g), len(g)))
        info += xg.T @ np.linalg.solve(v, xg)
    assert r.std_error == pytest.approx(float(np.sqrt(np.linalg.inv(info)[-1, -1])), rel=1e-10)
    from scipy import stats

    assert r.pvalue == pytest.approx(2 * stats.norm.sf(abs(r.theta / r.std_error)), rel=1e-12)
    assert r.ci_low == pytest.approx(r.theta - stats.norm.ppf(0.975) * r.std_error, rel=1e-12)


def test_cell_summaries_equal_rows() -> None:
    df = simulate(4)
    rows = mk.experiment.stepped_wedge_analysis(
        df, outcome="y", cluster="cluster", period="period", treated="treat"
    )
    cells = (
        df.assign(y2=df["y"] ** 2)
        .groupby(["cluster", "period"], as_index=False)
        .agg(n=("y", "size"), s=("y", "sum"), s2=("y2", "sum"), treat=("treat", "first"))
    )
    summ = mk.experiment.stepped_wedge_analysis(
        cells, cluster="cluster", period="period", treated="treat", n="n", sum="s", sum_sq="s2"
    )
    for key in ("theta", "std_error", "std_error_observed", "tau2", "sigma2", "log_likelihood"):
        assert getattr(summ, key) == pytest.approx(getattr(rows, key), rel=1e-9), key
    # arrays and a dict work as well as a DataFrame
    arr = mk.experiment.stepped_wedge_analysis(
        outcome=df["y"].to_numpy(),
        cluster=df["cluster"].to_numpy(),
        period=df["period"].to_numpy(),
        treated=df["treat"].to_numpy(),
    )
    assert arr.theta == rows.theta
    # integer labels with gaps and negatives (the O(n) factorisation path) give the same fit
    ints = mk.experiment.stepped_wedge_analysis(
        outcome=df["y"].to_numpy(),
        cluster=df["cluster"].str[1:].astype(int).to_numpy() * 7 - 20,
        period=df["period"].to_numpy() * 3 - 5,
        treated=df["treat"].to_numpy(),
    )
    assert ints.theta == pytest.approx(rows.theta, rel=1e-12)
    assert ints.period_labels == [-5, -2, 1, 4, 7]
    dct = mk.experiment.stepped_wedge_analysis(
        {k: df[k].to_numpy() for k in df}, outcome="y", cluster="cluster", period="period", treated="treat"
    )
    assert dct.theta == rows.theta


def test_binary_outcome_sum_sq_is_sum() -> None:
    df = simulate(5, binary=True, m=30)
    r = mk.experiment.stepped_wedge_analysis(
        df, outcome="y", cluster="cluster", period="period", treated="treat"
    )
    cells = df.groupby(["cluster", "period"], as_index=False).agg(
        n=("y", "size"), s=("y", "sum"), treat=("treat", "first")
    )
    c = mk.experiment.stepped_wedge_analysis(
        cells, cluster="cluster", period="period", treated="treat", n="n", sum="s", sum_sq="s"
    )
    assert c.theta == pytest.approx(r.theta, rel=1e-9)
    assert c.log_likelihood == pytest.approx(r.log_likelihood, rel=1e-9)
    model, _ = statsmodels_fit(df, reml=True)
    p = MixedLMParams.from_components(cov_re=np.array([[r.tau2 / r.sigma2]]))
    assert model.loglike(p, profile_fe=True) == pytest.approx(r.log_likelihood, rel=1e-10)


def test_polars_and_result_methods() -> None:
    pl = pytest.importorskip("polars")
    df = simulate(6)
    r = mk.experiment.stepped_wedge_analysis(
        pl.from_pandas(df), outcome="y", cluster="cluster", period="period", treated="treat"
    )
    d = r.to_dict()
    assert d["theta"] == r.theta and d["method"] == "reml" and d["period_labels"] == [0, 1, 2, 3, 4]
    assert "treatment effect" in r.summary() and "<table>" in r._repr_html_()
    assert isinstance(r, mk.experiment.SteppedWedgeResult)


def test_no_cluster_effect_gives_boundary() -> None:
    df = simulate(7, tau=0.0)
    # with tau = 0 the REML estimate may or may not be exactly 0; force it with identical cluster means
    df["y"] = df["y"] - df.groupby("cluster")["y"].transform("mean") + 1.0
    r = mk.experiment.stepped_wedge_analysis(
        df, outcome="y", cluster="cluster", period="period", treated="treat"
    )
    assert r.boundary and r.tau2 == 0.0
    # with gamma = 0 the model is OLS with period dummies and treatment: compare to statsmodels OLS
    ols = sm.ols("y ~ C(period) + treat", df).fit()
    assert r.theta == pytest.approx(ols.params["treat"], rel=1e-9)
    n, p = len(df), 6
    assert r.sigma2 == pytest.approx(ols.scale, rel=1e-9)  # REML residual variance = RSS / (n - p)
    assert r.std_error == pytest.approx(ols.bse["treat"], rel=1e-9)
    assert n > p


def test_errors() -> None:
    df = simulate(8)
    f = mk.experiment.stepped_wedge_analysis
    kw = {"outcome": "y", "cluster": "cluster", "period": "period", "treated": "treat"}
    with pytest.raises(ValueError, match="at least 2 clusters"):
        f(df[df["cluster"] == "c00"], **kw)
    with pytest.raises(ValueError, match="at least 2 periods"):
        f(df[df["period"] == 2], **kw)
    with pytest.raises(ValueError, match="no treated cell"):
        f(df[df["treat"] == 0], **kw)
    with pytest.raises(ValueError, match="no control"):
        f(df[df["treat"] == 1], **kw)
    bad = df.copy()
    bad.loc[0, "treat"] = 1 - bad.loc[0, "treat"]
    with pytest.raises(ValueError, match="not constant within cluster"):
        f(bad, **kw)
    bad = df.copy()
    bad.loc[3, "y"] = np.nan
    with pytest.raises(ValueError, match="outcome must be finite"):
        f(bad, **kw)
    bad = df.copy()
    bad["period"] = bad["period"].astype(float)
    bad.loc[3, "period"] = np.nan
    with pytest.raises(ValueError, match="period has missing"):
        f(bad, **kw)
    with pytest.raises(ValueError, match="column 'nope'"):
        f(df, outcome="nope", cluster="cluster", period="period", treated="treat")
    with pytest.raises(ValueError, match="either outcome"):
        f(df, outcome="y", cluster="cluster", period="period", treated="treat", n="y", sum="y", sum_sq="y")
    with pytest.raises(ValueError, match="method"):
        f(df, method="gee", **kw)
    with pytest.raises(ValueError, match="treated must be 0 or 1"):
        f(df.assign(treat=df["treat"] * 2), **kw)
    # everyone switches at once: the treatment is a function of the period
    same = df.assign(treat=(df["period"] >= 2).astype(int))
    with pytest.raises(ValueError, match="confounded with the periods"):
        f(same, **kw)
    cells = pd.DataFrame(
        {
            "c": [0, 0, 1, 1],
            "p": [0, 1, 0, 1],
            "t": [0, 1, 0, 0],
            "n": [5, 5, 5, 5],
            "s": [1.0, 2.0, 3.0, 4.0],
            "s2": [0.1, 5.0, 5.0, 5.0],
        }
    )
    with pytest.raises(ValueError, match="sum_sq"):
        f(cells, cluster="c", period="p", treated="t", n="n", sum="s", sum_sq="s2")


def test_reversal_warns_and_fits() -> None:
    df = simulate(9)
    rev = df.copy()
    mask = (rev["cluster"] == "c00") & (rev["period"] == 4)  # c00 is treated from period 1: switch back
    rev.loc[mask, "treat"] = 0
    with pytest.warns(UserWarning, match="back from treated to control"):
        r = mk.experiment.stepped_wedge_analysis(
            rev, outcome="y", cluster="cluster", period="period", treated="treat"
        )
    assert r.reversals == 1 and r.notes
    model, _ = statsmodels_fit(rev, reml=True)
    p = MixedLMParams.from_components(cov_re=np.array([[r.tau2 / r.sigma2]]))
    assert model.loglike(p, profile_fe=True) == pytest.approx(r.log_likelihood, rel=1e-10)
