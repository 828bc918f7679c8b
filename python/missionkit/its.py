"""Interrupted time series: segmented regression with Newey-West standard errors.

The model (Wagner, Soumerai, Zhang & Ross-Degnan 2002; Bernal, Cummins & Gasparrini 2017) is

    y_t = b0 + b1 t + b2 post_t + b3 (t - t0) post_t + seasonality + e_t,   post_t = [t >= t0],

fitted by :func:`missionkit.stats.ols` with ``cov="HAC"``: the errors of a time series are usually
autocorrelated, and the classical standard errors then understate the uncertainty. ``b2`` is the level
change at the intervention (the jump relative to the pre-period trend extrapolated to ``t0``), ``b3`` the
change of slope. The counterfactual is the fit with ``b2 = b3 = 0``: the pre-period trend (and
seasonality) carried on. Conventions and references: docs/experiment.md, "Interrupted time series".
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
import numpy.typing as npt

from missionkit.stats.regression import OLSResult, ols

__all__ = ["ITSEffect", "ITSResult", "default_maxlags", "interrupted_time_series"]

FloatArray = npt.NDArray[np.float64]
SEASONS = ("month", "fourier", None)


def default_maxlags(n: int) -> int:
    """``floor(4 (n/100)^(2/9))``: the Newey-West (1994) rule of thumb for the Bartlett kernel, also
    statsmodels' default in ``S_hac_simple`` (4 lags at n = 100, 5 at n = 300)."""
    return math.floor(4.0 * math.pow(n / 100.0, 2.0 / 9.0))


def _fmt(x: float) -> str:
    return f"{x:.4g}"


@dataclass(frozen=True)
class ITSEffect:
    """One coefficient of the segmented regression with its HAC standard error."""

    estimate: float
    std_error: float
    ci_low: float
    ci_high: float
    pvalue: float

    def to_dict(self) -> dict[str, float]:
        return dataclasses.asdict(self)

    def _text(self) -> str:
        return (
            f"{_fmt(self.estimate)} [{_fmt(self.ci_low)}, {_fmt(self.ci_high)}], "
            f"SE {_fmt(self.std_error)}, p = {_fmt(self.pvalue)}"
        )


@dataclass(frozen=True)
class ITSResult:
    """Result of :func:`interrupted_time_series`.

    ``time`` is the numeric time of each row (months since 0000-01 for datetimes), ``intervention`` the
    numeric ``t0``; ``fitted`` and ``counterfactual`` are in the row order of the input (NaN where ``y``
    was missing for ``fitted``, never for ``counterfactual``). ``design`` is the matrix regressed on
    (the ``"const"`` column first), with column names ``ols.names``.
    """

    level_change: ITSEffect
    slope_change: ITSEffect
    ols: OLSResult
    time: FloatArray
    intervention: float
    y: FloatArray
    fitted: FloatArray
    counterfactual: FloatArray
    design: FloatArray
    season: str | None
    maxlags: int
    n_pre: int
    n_post: int
    alpha: float

    @property
    def effect(self) -> FloatArray:
        """Fitted minus counterfactual in each post-period row: ``b2 + b3 (t - t0)``."""
        return self.fitted - self.counterfactual

    def to_dict(self) -> dict[str, Any]:
        return {
            "level_change": self.level_change.to_dict(),
            "slope_change": self.slope_change.to_dict(),
            "intervention": self.intervention,
            "season": self.season,
            "maxlags": self.maxlags,
            "n_pre": self.n_pre,
            "n_post": self.n_post,
            "alpha": self.alpha,
            "time": self.time.tolist(),
            "fitted": self.fitted.tolist(),
            "counterfactual": self.counterfactual.tolist(),
            "ols": self.ols.to_dict(),
        }

    def summary(self) -> str:
        level = f"{100 * (1 - self.alpha):g}%"
        season = "none" if self.season is None else self.season
        return "\n".join(
            [
                f"Interrupted time series: {self.n_pre} periods before, {self.n_post} from t0 = "
                f"{_fmt(self.intervention)}; seasonality {season}; Newey-West SEs with {self.maxlags} lags "
                f"({level} CIs, normal reference).",
                f"- level change at t0: {self.level_change._text()}",
                f"- slope change per period: {self.slope_change._text()}",
                f"- pre-period slope: {_fmt(float(self.ols.params[1]))} per period",
                "The counterfactual is the pre-period trend (and seasonality) carried on; the estimates are "
                "causal only if nothing else changed at t0.",
            ]
        )

    def __repr__(self) -> str:
        return (
            f"ITSResult(level_change={_fmt(self.level_change.estimate)} "
            f"[{_fmt(self.level_change.ci_low)}, {_fmt(self.level_change.ci_high)}], "
            f"slope_change={_fmt(self.slope_change.estimate)} "
            f"[{_fmt(self.slope_change.ci_low)}, {_fmt(self.slope_change.ci_high)}], "
            f"n_pre={self.n_pre}, n_post={self.n_post}, maxlags={self.maxlags})"
        )

    def _repr_html_(self) -> str:
        lines = self.summary().split("\n")
        items = "".join(f"<li>{escape(s[2:])}</li>" for s in lines[1:3])
        return (
            f"<div class='missionkit-its'><p>{escape(lines[0])}</p><ul>{items}</ul>"
            f"<p>{escape(lines[-1])}</p></div>"
        )


def _numeric_time(time: Any, intervention: Any) -> tuple[FloatArray, float, FloatArray | None]:
    """Numeric time, numeric t0 and, for datetimes, the calendar month (1-12) of each row."""
    if hasattr(time, "to_numpy"):
        time = time.to_numpy()
    a = np.asarray(time)
    if a.ndim != 1:
        raise ValueError(f"interrupted_time_series: time must be 1-D, got shape {a.shape}")
    if a.dtype.kind == "M":
        # Datetimes are read as monthly periods (an intervention inside a month starts with that month).
        months = a.astype("datetime64[M]").astype(np.int64)
        try:
            t0 = np.datetime64(intervention).astype("datetime64[M]").astype(np.int64)
        except (TypeError, ValueError):
            raise ValueError(
                f"interrupted_time_series: time holds datetimes, so intervention must be a date, "
                f"got {intervention!r}"
            ) from None
        return months.astype(np.float64), float(t0), (months % 12 + 1).astype(np.float64)
    try:
        t = a.astype(np.float64)
        t0f = float(intervention)
    except (TypeError, ValueError):
        raise ValueError(
            "interrupted_time_series: time must be numeric (a period index) or datetimes, and intervention "
            f"of the same kind; got {a.dtype} and {intervention!r}"
        ) from None
    return t, t0f, None


def interrupted_time_series(
    y: Any,
    time: Any,
    intervention: Any,
    season: str | None = "month",
    fourier_terms: int = 2,
    period: int = 12,
    maxlags: int | None = None,
    alpha: float = 0.05,
) -> ITSResult:
    """Segmented regression of an interrupted time series with Newey-West (HAC) standard errors.

    Parameters
    ----------
    y : 1-D array-like, one value per period; NaN marks a missing period (dropped; lags then count the
        periods used).
    time : strictly increasing numeric period index (1, 2, 3, ... or any equally spaced values), or
        datetimes, read as calendar months (one row per month; time is then months since 0000-01).
    intervention : ``t0``, the first period under the intervention (``post = time >= t0``); a date when
        ``time`` holds datetimes (a date inside a month starts that month).
    season : ``"month"``: a dummy per season position except the first seen (the calendar month for
        datetimes, else ``int(time) mod period``); ``"fourier"``: ``sin`` and ``cos`` of
        ``2 pi j time / period`` for ``j = 1..fourier_terms``; ``None``: no seasonality.
    maxlags : Newey-West truncation lag; default ``floor(4 (n/100)^(2/9))`` (:func:`default_maxlags`)
        with ``n`` the periods used.
    alpha : level of the intervals, ``1 - alpha`` (normal reference, as statsmodels' HAC default).

    Raises ValueError for unordered or repeated times, fewer than 2 periods on either side of ``t0``, or
    an unknown ``season``; :func:`missionkit.stats.ols` names any collinear column (for example a season
    dummy with a single period).
    """
    if season not in SEASONS:
        raise ValueError(
            f"interrupted_time_series: season must be 'month', 'fourier' or None, got {season!r}"
        )
    if hasattr(y, "to_numpy"):
        y = y.to_numpy()
    yv = np.asarray(y, dtype=np.float64)
    if yv.ndim != 1:
        raise ValueError(f"interrupted_time_series: y must be 1-D, got shape {yv.shape}")
    t, t0, month = _numeric_time(time, intervention)
    if t.shape[0] != yv.shape[0]:
        raise ValueError(f"interrupted_time_series: time has {t.shape[0]} values but y has {yv.shape[0]}")
    if not np.all(np.isfinite(t)):
        raise ValueError("interrupted_time_series: time has NaN or infinite values")
    if t.shape[0] > 1 and not np.all(np.diff(t) > 0):
        i = int(np.argmax(~(np.diff(t) > 0)))
        raise ValueError(
            f"interrupted_time_series: time must be strictly increasing (rows {i} and {i + 1} are "
            "out of order or repeat a period); sort by time and aggregate to one row per period, since "
            "Newey-West lags are counted in rows"
        )
    post = t >= t0
    used = ~np.isnan(yv)
    n_pre, n_post = int(np.sum(~post & used)), int(np.sum(post & used))
    if n_pre < 2 or n_post < 2:
        raise ValueError(
            f"interrupted_time_series: needs at least 2 observed periods before and from t0, got {n_pre} "
            f"and {n_post}"
        )

    columns = [t, post.astype(np.float64), (t - t0) * post]
    names = ["time", "post", "time_since_intervention"]
    if season == "month":
        pos = month if month is not None else np.mod(np.floor(t), period) + 1
        levels = np.unique(pos[used])
        for v in levels[1:]:
            columns.append((pos == v).astype(np.float64))
            names.append(f"season_{int(v)}")
    elif season == "fourier":
        if fourier_terms < 1 or 2 * fourier_terms > period:
            raise ValueError(
                f"interrupted_time_series: fourier_terms must be in 1..period/2, got {fourier_terms}"
            )
        for j in range(1, fourier_terms + 1):
            arg = 2.0 * np.pi * j * t / period
            columns += [np.sin(arg), np.cos(arg)]
            names += [f"sin{j}", f"cos{j}"]
            if 2 * j == period:  # sin(pi t) is 0 at integer t: only the cosine is a regressor
                columns.pop(-2)
                names.pop(-2)
    x = np.column_stack(columns)

    lags = default_maxlags(int(np.sum(used))) if maxlags is None else maxlags
    fit = ols(yv, x, cov="HAC", maxlags=lags, alpha=alpha)
    fit = dataclasses.replace(fit, names=["const", *names])
    design = np.column_stack([np.ones(t.shape[0]), x])
    cf = design.copy()
    cf[:, 2:4] = 0.0
    fitted = design @ fit.params
    fitted[~used] = np.nan
    ci = fit.conf_int()

    def effect(j: int) -> ITSEffect:
        return ITSEffect(
            estimate=float(fit.params[j]),
            std_error=float(fit.bse[j]),
            ci_low=float(ci[j, 0]),
            ci_high=float(ci[j, 1]),
            pvalue=float(fit.pvalues[j]),
        )

    return ITSResult(
        level_change=effect(2),
        slope_change=effect(3),
        ols=fit,
        time=t,
        intervention=t0,
        y=yv,
        fitted=fitted,
        counterfactual=cf @ fit.params,
        design=design,
        season=season,
        maxlags=int(lags),
        n_pre=n_pre,
        n_post=n_post,
        alpha=alpha,
    )
