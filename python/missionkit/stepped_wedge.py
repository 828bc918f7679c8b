"""Stepped-wedge cluster-randomised designs: the design matrix and Hussey & Hughes (2007) power.

In a stepped-wedge trial every cluster (a site, a team, a region) starts in control and crosses over to
the intervention at a randomised step; by the last period all clusters are treated. It suits roll-outs
that will reach everyone anyway. The power is that of the cross-sectional design analysed with a random
cluster effect and fixed period effects (Hussey & Hughes 2007, Contemporary Clinical Trials 28:182-191,
eq. 8); the numbers come from the C++ core (``missionkit::stats::stepped_wedge_power``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import numpy.typing as npt

from missionkit import _core

__all__ = [
    "SteppedWedgePower",
    "SteppedWedgeResult",
    "stepped_wedge_analysis",
    "stepped_wedge_design",
    "stepped_wedge_power",
]

IntMatrix = npt.NDArray[np.int64]


def stepped_wedge_design(
    steps: int | None = None,
    clusters: int | None = None,
    clusters_per_step: int | Sequence[int] | None = None,
    baseline_periods: int = 1,
) -> IntMatrix:
    """The clusters x periods 0/1 treatment matrix of the standard stepped-wedge design.

    Give ``steps`` with ``clusters`` (split equally, so a multiple of steps) or with an integer
    ``clusters_per_step``, or a list ``clusters_per_step`` (one entry per step, for unequal groups).
    Group s crosses over at period ``baseline_periods + s``; there are ``baseline_periods + steps``
    periods.

    >>> stepped_wedge_design(steps=3, clusters_per_step=1)
    array([[0, 1, 1, 1],
           [0, 0, 1, 1],
           [0, 0, 0, 1]])
    """
    fn = "stepped_wedge_design"
    per: list[int]
    if clusters_per_step is not None and not isinstance(clusters_per_step, int):
        per = [int(c) for c in clusters_per_step]
        if steps is not None and steps != len(per):
            raise ValueError(f"{fn}: steps={steps} but clusters_per_step has {len(per)} entries")
        if clusters is not None and clusters != sum(per):
            raise ValueError(f"{fn}: clusters={clusters} but clusters_per_step sums to {sum(per)}")
    else:
        if steps is None:
            raise ValueError(
                f"{fn}: give steps (with clusters or clusters_per_step), or a list clusters_per_step"
            )
        if clusters_per_step is not None:
            if clusters is not None and clusters != steps * clusters_per_step:
                raise ValueError(
                    f"{fn}: clusters={clusters} but steps * clusters_per_step = {steps * clusters_per_step}"
                )
            per = [int(clusters_per_step)] * int(steps)
        elif clusters is not None:
            if steps < 1 or clusters % steps != 0 or clusters < steps:
                raise ValueError(
                    f"{fn}: clusters ({clusters}) must be a positive multiple of steps ({steps}); "
                    "pass a list clusters_per_step for unequal groups"
                )
            per = [clusters // steps] * steps
        else:
            raise ValueError(f"{fn}: give clusters or clusters_per_step with steps")
    out: IntMatrix = _core.experiment_stepped_wedge_design(per, int(baseline_periods))
    return out


@dataclass(frozen=True)
class SteppedWedgePower:
    """Power of a cross-sectional stepped-wedge design (Hussey & Hughes 2007)."""

    power: float
    std_error: float
    variance: float
    effect: float
    sigma_e: float
    tau: float
    icc: float
    m: float
    alpha: float
    clusters: int
    periods: int

    def summary(self) -> str:
        return (
            f"Stepped wedge, {self.clusters} clusters x {self.periods} periods, {self.m:g} individuals per "
            f"cluster-period, ICC {self.icc:.3g}: power {100 * self.power:.1f}% to detect {self.effect:g} "
            f"at two-sided alpha {self.alpha:g} (SE of the effect {self.std_error:.4g})."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "power": self.power,
            "std_error": self.std_error,
            "variance": self.variance,
            "effect": self.effect,
            "sigma_e": self.sigma_e,
            "tau": self.tau,
            "icc": self.icc,
            "m": self.m,
            "alpha": self.alpha,
            "clusters": self.clusters,
            "periods": self.periods,
        }

    def __repr__(self) -> str:
        return (
            f"SteppedWedgePower(power={self.power:.4g}, std_error={self.std_error:.4g}, "
            f"clusters={self.clusters}, periods={self.periods})"
        )


def stepped_wedge_power(
    design: npt.ArrayLike,
    effect: float,
    sigma_e: float,
    m: float,
    tau: float | None = None,
    icc: float | None = None,
    alpha: float = 0.05,
) -> SteppedWedgePower:
    """Power to detect ``effect`` with a cross-sectional stepped-wedge ``design`` (0/1, clusters x periods,
    e.g. from :func:`stepped_wedge_design`) and ``m`` individuals per cluster and period.

    ``sigma_e`` is the individual-level standard deviation (for a proportion p, ``sqrt(p (1 - p))``);
    give the between-cluster standard deviation ``tau`` or the intra-cluster correlation
    ``icc = tau^2 / (tau^2 + sigma_e^2)``. With sigma^2 = sigma_e^2 / m, I clusters, T periods,
    U = sum X, W = sum over periods of (column sum)^2 and V = sum over clusters of (row sum)^2:

        Var = I sigma^2 (sigma^2 + T tau^2) / ((I U - W) sigma^2 + (U^2 + I T U - T W - I V) tau^2),
        power = Phi(|effect| / sqrt(Var) - z_{1 - alpha/2})      (Hussey & Hughes 2007, eq. 8)
    """
    fn = "stepped_wedge_power"
    if (tau is None) == (icc is None):
        raise ValueError(f"{fn}: give exactly one of tau and icc")
    se = float(sigma_e)
    if icc is not None:
        if not 0.0 <= icc < 1.0:
            raise ValueError(f"{fn}: icc must be in [0, 1), got {icc}")
        tau_v = se * math.sqrt(icc / (1.0 - icc)) if se > 0 else math.nan
    else:
        tau_v = float(tau) if tau is not None else math.nan
    x = np.asarray(design)
    if x.ndim != 2:
        raise ValueError(f"{fn}: design must be a 2-D clusters x periods matrix, got shape {x.shape}")
    if x.dtype.kind == "f" and not np.all(np.isin(x, (0.0, 1.0))):
        raise ValueError(f"{fn}: design entries must be 0 or 1")
    r = _core.experiment_stepped_wedge_power(
        x.astype(np.int64), float(effect), se, tau_v, float(m), float(alpha)
    )
    total = tau_v**2 + se**2
    return SteppedWedgePower(
        power=float(r["power"]),
        std_error=float(r["std_error"]),
        variance=float(r["variance"]),
        effect=float(effect),
        sigma_e=se,
        tau=tau_v,
        icc=tau_v**2 / total if total > 0 else math.nan,
        m=float(m),
        alpha=float(alpha),
        clusters=int(x.shape[0]),
        periods=int(x.shape[1]),
    )


# ---- analysis ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SteppedWedgeResult:
    """Hussey & Hughes (2007) mixed-model analysis of a stepped-wedge trial (see
    :func:`stepped_wedge_analysis`)."""

    theta: float
    std_error: float
    std_error_observed: float
    z: float
    pvalue: float
    ci_low: float
    ci_high: float
    alpha: float
    tau2: float
    sigma2: float
    icc: float
    intercept: float
    period_labels: list[Any]
    period_effects: list[float]
    clusters: int
    periods: int
    cells: int
    n_obs: float
    log_likelihood: float
    method: str
    converged: bool
    iterations: int
    boundary: bool
    reversals: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        level = 100 * (1 - self.alpha)
        lines = [
            f"Stepped-wedge analysis (Hussey & Hughes mixed model, {self.method.upper()}): "
            f"{self.clusters} clusters x {self.periods} periods, {self.n_obs:g} individuals in "
            f"{self.cells} cells.",
            f"  treatment effect theta = {self.theta:.6g} (SE {self.std_error:.4g}, z = {self.z:.3f}, "
            f"p = {self.pvalue:.4g}); {level:g}% CI [{self.ci_low:.6g}, {self.ci_high:.6g}]",
            f"  between-cluster variance tau^2 = {self.tau2:.4g}, residual sigma^2 = {self.sigma2:.4g}, "
            f"ICC = {self.icc:.4g}",
            f"  log-likelihood ({self.method.upper()}) = {self.log_likelihood:.6f}",
        ]
        if self.boundary:
            lines.append("  tau^2 was estimated at 0 (the boundary): no detectable cluster effect.")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "theta": self.theta,
            "std_error": self.std_error,
            "std_error_observed": self.std_error_observed,
            "z": self.z,
            "pvalue": self.pvalue,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "alpha": self.alpha,
            "tau2": self.tau2,
            "sigma2": self.sigma2,
            "icc": self.icc,
            "intercept": self.intercept,
            "period_labels": list(self.period_labels),
            "period_effects": list(self.period_effects),
            "clusters": self.clusters,
            "periods": self.periods,
            "cells": self.cells,
            "n_obs": self.n_obs,
            "log_likelihood": self.log_likelihood,
            "method": self.method,
            "converged": self.converged,
            "iterations": self.iterations,
            "boundary": self.boundary,
            "reversals": self.reversals,
            "notes": list(self.notes),
        }

    def __repr__(self) -> str:
        return (
            f"SteppedWedgeResult(theta={self.theta:.6g}, std_error={self.std_error:.4g}, "
            f"pvalue={self.pvalue:.4g}, tau2={self.tau2:.4g}, sigma2={self.sigma2:.4g}, "
            f"method={self.method!r})"
        )

    def _repr_html_(self) -> str:
        rows = [
            ("theta (treatment effect)", f"{self.theta:.6g}"),
            ("std. error", f"{self.std_error:.4g}"),
            ("z", f"{self.z:.3f}"),
            ("p-value", f"{self.pvalue:.4g}"),
            (f"{100 * (1 - self.alpha):g}% CI", f"[{self.ci_low:.6g}, {self.ci_high:.6g}]"),
            ("tau^2 (between clusters)", f"{self.tau2:.4g}"),
            ("sigma^2 (residual)", f"{self.sigma2:.4g}"),
            ("ICC", f"{self.icc:.4g}"),
            (f"log-likelihood ({self.method.upper()})", f"{self.log_likelihood:.6f}"),
            ("clusters x periods", f"{self.clusters} x {self.periods}"),
            ("individuals", f"{self.n_obs:g}"),
        ]
        body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
        notes = "".join(f"<p>{escape(n)}</p>" for n in self.notes)
        return (
            "<div class='missionkit-sw'><p>Stepped-wedge analysis (Hussey &amp; Hughes mixed model)</p>"
            f"<table>{body}</table>{notes}</div>"
        )


def _sw_column(fn: str, name: str, v: Any, data: Any) -> npt.NDArray[Any]:
    if v is None:
        raise ValueError(f"{fn}: {name} is required")
    if isinstance(v, str):
        if data is None:
            raise ValueError(f"{fn}: {name}={v!r} is a column name but no data was given")
        try:
            col = data[v]
        except (KeyError, IndexError, TypeError) as e:
            raise ValueError(f"{fn}: column {v!r} (for {name}) not found in data") from e
        v = col
    if hasattr(v, "to_numpy"):
        v = v.to_numpy()
    out = np.asarray(v)
    if out.ndim != 1:
        raise ValueError(f"{fn}: {name} must be one-dimensional, got shape {out.shape}")
    return out


def _sw_labels(fn: str, name: str, v: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], list[Any]]:
    if v.dtype.kind == "f" and np.isnan(v).any():
        raise ValueError(
            f"{fn}: {name} has missing (NaN) values at row {int(np.flatnonzero(np.isnan(v))[0])}"
        )
    if v.dtype.kind == "O":
        bad = [i for i, x in enumerate(v) if x is None or (isinstance(x, float) and math.isnan(x))]
        if bad:
            raise ValueError(f"{fn}: {name} has missing values at row {bad[0]}")
    if v.dtype.kind in "iu" and len(v) > 0:
        # Integer labels in a modest range: factorise by a presence table in O(n) rather than sorting
        # (np.unique sorts: seconds on 10M rows). Same codes and sorted labels as np.unique.
        lo, hi = int(v.min()), int(v.max())
        if hi - lo < max(4 * len(v), 1 << 20):
            off = (v - lo).astype(np.int64)
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[off] = True
            rank = np.cumsum(present, dtype=np.int64) - 1
            return rank[off], [int(x) + lo for x in np.flatnonzero(present)]
    try:
        labels, codes = np.unique(v, return_inverse=True)
    except TypeError as e:
        raise ValueError(f"{fn}: {name} labels must be sortable (all of one type)") from e
    return codes.astype(np.int64).reshape(-1), [x.item() if hasattr(x, "item") else x for x in labels]


def _sw_treated(fn: str, v: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    if v.dtype.kind == "b":
        return v.astype(np.int64)
    try:
        f = v.astype(float)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{fn}: treated must be 0/1 or boolean") from e
    if np.isnan(f).any():
        raise ValueError(
            f"{fn}: treated has missing (NaN) values at row {int(np.flatnonzero(np.isnan(f))[0])}"
        )
    if not np.isin(f, (0.0, 1.0)).all():
        bad = int(np.flatnonzero(~np.isin(f, (0.0, 1.0)))[0])
        raise ValueError(f"{fn}: treated must be 0 or 1, got {f[bad]!r} at row {bad}")
    return f.astype(np.int64)


def _sw_float(fn: str, name: str, v: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
    try:
        f = np.asarray(v, dtype=float)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{fn}: {name} must be numeric") from e
    bad = ~np.isfinite(f)
    if bad.any():
        raise ValueError(
            f"{fn}: {name} must be finite, got {f[bad][0]!r} at row {int(np.flatnonzero(bad)[0])}"
        )
    return f


def stepped_wedge_analysis(
    data: Any = None,
    *,
    outcome: Any = None,
    cluster: Any,
    period: Any,
    treated: Any,
    n: Any = None,
    sum: Any = None,  # the name of the column it reads
    sum_sq: Any = None,
    method: str = "reml",
    alpha: float = 0.05,
) -> SteppedWedgeResult:
    """Hussey & Hughes (2007) analysis of a cross-sectional stepped-wedge trial.

    Fits the linear mixed model ``y_ijk = mu + beta_j + theta X_ij + a_i + e_ijk`` (cluster i, period j,
    individual k; period fixed effects beta_j, treatment X_ij constant in a cluster-period cell, cluster
    random intercept a_i ~ N(0, tau^2), residual e ~ N(0, sigma^2)) by REML (``method="reml"``, the
    default) or maximum likelihood (``"ml"``). Because every fixed-effect regressor is constant within a
    cell, the likelihood depends on the data only through each cell's count, sum and sum of squares: give
    either individual rows (``outcome``) or cell summaries (``n``, ``sum``, ``sum_sq``; for a 0/1 outcome
    ``sum_sq = sum``). The fit is the same either way and equals statsmodels'
    ``smf.mixedlm("y ~ C(period) + treat", df, groups=df["cluster"]).fit(reml=...)``.

    ``cluster``, ``period``, ``treated`` (and ``outcome`` / ``n`` / ``sum`` / ``sum_sq``) are column names of
    ``data`` (a pandas or polars DataFrame, or a dict of arrays) or arrays. Periods are ordered by sorting
    their labels; ``period_effects`` are differences from the first period.

    ``std_error`` is the GLS standard error given the estimated variances, ``sqrt(sigma^2 [(X'H^-1 X)^-1])``
    (as lme4, nlme and SAS PROC MIXED report); ``std_error_observed`` also propagates the uncertainty of
    tau^2/sigma^2 through the observed information of the profile likelihood (what statsmodels' ``bse_fe``
    reports). The test, p-value and CI are the normal (Wald) ones on ``std_error``.

    A cluster that goes back from treated to control is not a stepped wedge; the model is still fitted (it
    is a valid cross-over), with a ``UserWarning`` and a note in the result.
    """
    fn = "stepped_wedge_analysis"
    method_l = method.lower()
    if method_l not in ("reml", "ml"):
        raise ValueError(f"{fn}: method must be 'reml' or 'ml', got {method!r}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"{fn}: alpha must be in (0, 1), got {alpha}")
    sums_given = [x is not None for x in (n, sum, sum_sq)]
    if outcome is not None and any(sums_given):
        raise ValueError(f"{fn}: give either outcome (individual rows) or n, sum and sum_sq (cell summaries)")
    if outcome is None and not all(sums_given):
        raise ValueError(
            f"{fn}: give outcome (individual rows), or all of n, sum and sum_sq (cell summaries)"
        )
    cl_raw = _sw_column(fn, "cluster", cluster, data)
    pe_raw = _sw_column(fn, "period", period, data)
    tr_raw = _sw_column(fn, "treated", treated, data)
    rows = len(cl_raw)
    for name, arr in (("period", pe_raw), ("treated", tr_raw)):
        if len(arr) != rows:
            raise ValueError(f"{fn}: {name} has {len(arr)} values, expected {rows} (the length of cluster)")
    cl, _ = _sw_labels(fn, "cluster", cl_raw)
    pe, period_labels = _sw_labels(fn, "period", pe_raw)
    tr = _sw_treated(fn, tr_raw)
    reml = method_l == "reml"
    if outcome is not None:
        y = _sw_float(fn, "outcome", _sw_column(fn, "outcome", outcome, data))
        if len(y) != rows:
            raise ValueError(f"{fn}: outcome has {len(y)} values, expected {rows} (the length of cluster)")
        r = _core.experiment_stepped_wedge_fit_rows(cl, pe, tr, y, reml, float(alpha))
    else:
        cols = [
            _sw_float(fn, name, _sw_column(fn, name, v, data))
            for name, v in (("n", n), ("sum", sum), ("sum_sq", sum_sq))
        ]
        for name, arr in zip(("n", "sum", "sum_sq"), cols, strict=True):
            if len(arr) != rows:
                raise ValueError(
                    f"{fn}: {name} has {len(arr)} values, expected {rows} (the length of cluster)"
                )
        r = _core.experiment_stepped_wedge_fit_sums(cl, pe, tr, cols[0], cols[1], cols[2], reml, float(alpha))
    notes: list[str] = []
    if int(r["reversals"]) > 0:
        msg = (
            f"{r['reversals']} cluster(s) go back from treated to control: not a stepped-wedge design; "
            "the mixed model is fitted as a cross-over"
        )
        warnings.warn(f"{fn}: {msg}", UserWarning, stacklevel=2)
        notes.append(msg)
    return SteppedWedgeResult(
        theta=float(r["theta"]),
        std_error=float(r["std_error"]),
        std_error_observed=float(r["std_error_observed"]),
        z=float(r["z"]),
        pvalue=float(r["pvalue"]),
        ci_low=float(r["ci_low"]),
        ci_high=float(r["ci_high"]),
        alpha=float(alpha),
        tau2=float(r["tau2"]),
        sigma2=float(r["sigma2"]),
        icc=float(r["icc"]),
        intercept=float(r["intercept"]),
        period_labels=period_labels,
        period_effects=[float(v) for v in r["period_effects"]],
        clusters=int(r["clusters"]),
        periods=int(r["periods"]),
        cells=int(r["cells"]),
        n_obs=float(r["n_obs"]),
        log_likelihood=float(r["log_likelihood"]),
        method=method_l,
        converged=bool(r["converged"]),
        iterations=int(r["iterations"]),
        boundary=bool(r["boundary"]),
        reversals=int(r["reversals"]),
        notes=notes,
    )
