"""Linear models with absorbed fixed effects, difference in differences and event studies.

The fixed effects are absorbed in C++ by demeaning ``y`` and ``X`` within their levels (alternating
projections for two ways), never by building dummy columns; the standard errors use the degrees of
freedom of the regression with explicit dummies, so that every number equals
``statsmodels.OLS(y, [1, X, dummies]).fit(cov_type=...)`` for the slope coefficients. See
docs/stats.md, "Fixed effects and difference in differences", for the conventions.

Arguments are numpy arrays, lists, pandas/polars Series, or column names of ``data`` (a DataFrame).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
import numpy.typing as npt

from missionkit.stats._common import FloatArray, _s, fmt
from missionkit.stats.regression import OLSResult, _design, _fit_fields, _labels, _two_way

FE_COV_TYPES = ("nonrobust", "HC0", "HC1", "cluster")


@dataclass(frozen=True)
class WaldTest:
    """Joint Wald test that some coefficients are all zero: ``statistic`` ~ chi2(``df``), and the F form
    ``f_statistic = statistic / df`` ~ F(``df``, ``df_denom``) (``df_denom`` = clusters - 1 for cluster
    covariances, as statsmodels' ``wald_test(use_f=True)``)."""

    statistic: float
    pvalue: float
    df: int
    f_statistic: float
    f_pvalue: float
    df_denom: float
    terms: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"WaldTest(chi2({self.df})={fmt(self.statistic)}, p={fmt(self.pvalue)}; "
            f"F({self.df}, {fmt(self.df_denom)})={fmt(self.f_statistic)}, p={fmt(self.f_pvalue)})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "statistic": self.statistic,
            "pvalue": self.pvalue,
            "df": self.df,
            "f_statistic": self.f_statistic,
            "f_pvalue": self.f_pvalue,
            "df_denom": self.df_denom,
            "terms": list(self.terms),
        }


@dataclass(frozen=True, repr=False)
class PanelResult(OLSResult):
    """A fit with absorbed fixed effects: the slopes only (the intercept is absorbed), with
    ``df_resid = n - k - n_absorbed``; ``rsquared`` is the full model's (as with dummies),
    ``rsquared_within`` that of the demeaned regression."""

    model: str = "OLS"
    fe_names: tuple[str, ...] = ()
    n_levels: tuple[int, ...] = ()
    n_absorbed: int = 0
    rsquared_within: float = float("nan")

    def _header(self) -> str:
        dropped = f", {self.nobs_dropped} dropped (missing)" if self.nobs_dropped else ""
        groups = f", clusters {'x'.join(map(str, self.n_groups))}" if self.n_groups else ""
        fe = ", ".join(f"{name} ({g})" for name, g in zip(self.fe_names, self.n_levels))
        return (
            f"{self.model} of {self.yname}: n={self.nobs}{dropped}, fixed effects {fe}, "
            f"R^2={fmt(self.rsquared)}, within R^2={fmt(self.rsquared_within)}, cov={self.cov_type}{groups}"
        )

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d.update(
            model=self.model,
            fixed_effects=dict(zip(self.fe_names, self.n_levels)),
            n_absorbed=self.n_absorbed,
            df_resid=self.df_resid,
            rsquared_within=self.rsquared_within,
        )
        return d


@dataclass(frozen=True, repr=False)
class EventStudyResult(PanelResult):
    """An event study: coefficients ``"t-K"`` ... ``"t+L"`` (the reference period omitted) at the relative
    times ``rel_time``, and ``pretrend``, the joint Wald test that all lead (negative-time) coefficients
    are zero."""

    rel_time: tuple[int, ...] = ()
    pretrend: WaldTest | None = None

    def __repr__(self) -> str:
        return f"{super().__repr__()}\npre-trend (leads = 0): {self.pretrend!r}"

    def _repr_html_(self) -> str:
        return f"{super()._repr_html_()}<p>pre-trend (leads = 0): {escape(repr(self.pretrend))}</p>"

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["rel_time"] = list(self.rel_time)
        d["pretrend"] = self.pretrend.to_dict() if self.pretrend is not None else None
        return d


def _col(fn: str, name: str, v: Any, data: Any) -> Any:
    if isinstance(v, str):
        if data is None:
            raise ValueError(f"{fn}: {name}={v!r} is a column name but no data= DataFrame was given")
        if v not in data.columns:
            raise ValueError(f"{fn}: {name}={v!r} is not a column of data")
        return data[v]
    if v is None:
        raise ValueError(f"{fn}: {name} is required")
    return v


def _y(fn: str, y: Any) -> tuple[FloatArray, str]:
    yname = str(getattr(y, "name", None) or "y")
    if hasattr(y, "to_numpy"):
        y = y.to_numpy()
    yv = np.asarray(y, dtype=np.float64)
    if yv.ndim == 2 and yv.shape[1] == 1:
        yv = yv[:, 0]
    if yv.ndim != 1:
        raise ValueError(f"{fn}: y must be 1-D, got shape {yv.shape}")
    return yv, yname


def _codes(fn: str, name: str, v: Any, n: int) -> npt.NDArray[np.int64]:
    a = np.asarray(v.to_numpy() if hasattr(v, "to_numpy") else v)
    if a.ndim != 1 or a.shape[0] != n:
        raise ValueError(f"{fn}: {name} must be 1-D with one label per row of y ({n}), got shape {a.shape}")
    return _labels(a, n, name)


def _periods(fn: str, name: str, v: Any, n: int) -> npt.NDArray[np.int64]:
    a = np.asarray(v.to_numpy() if hasattr(v, "to_numpy") else v, dtype=np.float64)
    if a.ndim != 1 or a.shape[0] != n:
        raise ValueError(f"{fn}: {name} must be 1-D with one period per row of y ({n}), got shape {a.shape}")
    if not np.all(np.isfinite(a)) or np.any(a != np.round(a)):
        raise ValueError(f"{fn}: {name} must hold integer periods (no NaN)")
    return a.astype(np.int64)


def _when(fn: str, name: str, v: Any, n: int) -> FloatArray:
    a = np.asarray(v.to_numpy() if hasattr(v, "to_numpy") else v, dtype=np.float64)
    if a.ndim != 1 or a.shape[0] != n:
        raise ValueError(f"{fn}: {name} must be 1-D with one value per row of y ({n}), got shape {a.shape}")
    return a


def _result(cls: Any, d: dict[str, Any], cov: str, alpha: float, yname: str, **extra: Any) -> Any:
    return cls(
        **_fit_fields(d, cov, alpha, yname, two_way=bool(d["n_groups2"])),
        n_levels=tuple(int(g) for g in d["n_levels"]),
        n_absorbed=int(d["n_absorbed"]),
        rsquared_within=float(d["rsquared_within"]),
        **extra,
    )


def _check_cov(fn: str, cov: str) -> None:
    if cov not in FE_COV_TYPES:
        raise ValueError(f"{fn}: cov must be one of {', '.join(map(repr, FE_COV_TYPES))}, got {cov!r}")


def ols_fe(
    y: Any,
    X: Any,
    fe: Any,
    cov: str = "nonrobust",
    groups: Any = None,
    alpha: float = 0.05,
    use_t: bool | None = None,
    data: Any = None,
) -> PanelResult:
    """OLS of ``y`` on ``X`` with one or two categorical fixed effects absorbed.

    Parameters
    ----------
    y, X : as :func:`missionkit.stats.ols` (no intercept column: it is absorbed), or column names of
        ``data`` (``X`` a list of names).
    fe : one label array, or a list of one or two (any hashable labels; a DataFrame's columns; names of
        ``data``). Missing labels drop their rows.
    cov : ``"nonrobust"``, ``"HC0"``, ``"HC1"`` or ``"cluster"`` (HC2/HC3 need the dummies' leverages).
    groups : cluster labels for ``cov="cluster"``, one array or two (two-way), as in ``ols``.

    Raises ValueError (DomainError) naming the argument for mismatched lengths, +-inf, a column of X
    absorbed by the fixed effects, no residual df, fewer than 2 clusters.
    """
    fn = "ols_fe"
    _check_cov(fn, cov)
    yv, yname = _y(fn, _col(fn, "y", y, data))
    if isinstance(X, (list, tuple)) and X and all(isinstance(c, str) for c in X):
        if data is None:
            raise ValueError(f"{fn}: X lists column names but no data= DataFrame was given")
        X = data[list(X)]
    x, names = _design(_col(fn, "X", X, data))
    n = yv.shape[0]
    if x.shape[0] != n:
        raise ValueError(f"{fn}: X has {x.shape[0]} rows but y has {n}")
    if hasattr(fe, "columns") and hasattr(fe, "to_numpy"):
        fe_list: list[Any] = [fe[c] for c in fe.columns]
        fe_names = [str(c) for c in fe.columns]
    else:
        single = isinstance(fe, str) or (not isinstance(fe, (list, tuple)) and np.ndim(fe) == 1)
        fe_list = [fe] if single else list(fe)
        fe_names = []
        for i, f in enumerate(fe_list):
            fe_names.append(f if isinstance(f, str) else str(getattr(f, "name", None) or f"fe{i}"))
    if not 1 <= len(fe_list) <= 2:
        raise ValueError(f"{fn}: fe must be one or two label arrays, got {len(fe_list)}")
    codes = [_codes(fn, f"fe[{i}]", _col(fn, f"fe[{i}]", f, data), n) for i, f in enumerate(fe_list)]
    g1 = g2 = None
    if cov == "cluster":
        if groups is None:
            raise ValueError(f"{fn}: cov='cluster' needs groups (one cluster label per row)")
        if isinstance(groups, (list, tuple)) and groups and all(isinstance(c, str) for c in groups):
            groups = [_col(fn, f"groups[{i}]", c, data) for i, c in enumerate(groups)]
            groups = groups[0] if len(groups) == 1 else tuple(groups)
        if (
            isinstance(groups, (list, tuple))
            and len(groups) == 2
            and all(hasattr(g, "to_numpy") for g in groups)
        ):
            groups = (groups[0].to_numpy(), groups[1].to_numpy())
        else:
            groups = _col(fn, "groups", groups, data)
        two = _two_way(groups, n)
        if two is None:
            g1 = _codes(fn, "groups", groups, n)
        else:
            g1, g2 = _codes(fn, "groups[0]", two[0], n), _codes(fn, "groups[1]", two[1], n)
    d = _s.ols_fe(yv, x, codes, cov, alpha, use_t, g1, g2, names)
    return _result(PanelResult, d, cov, alpha, yname, model="OLS", fe_names=tuple(fe_names))  # type: ignore[no-any-return]


def _panel_args(
    fn: str, y: Any, unit: Any, time: Any, when: Any, when_name: str, data: Any
) -> tuple[FloatArray, str, npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray]:
    yv, yname = _y(fn, _col(fn, "y", y, data))
    n = yv.shape[0]
    u = _codes(fn, "unit", _col(fn, "unit", unit, data), n)
    t = _periods(fn, "time", _col(fn, "time", time, data), n)
    w = _when(fn, when_name, _col(fn, when_name, when, data), n)
    return yv, yname, u, t, w


def did(
    y: Any,
    unit: Any,
    time: Any,
    treated_from: Any,
    cov: str = "cluster",
    alpha: float = 0.05,
    use_t: bool | None = None,
    data: Any = None,
) -> PanelResult:
    """Two-way fixed-effects difference in differences: ``y ~ treated + unit FE + time FE`` with
    ``treated = time >= treated_from``, standard errors clustered by unit by default.

    ``time`` holds integer periods; ``treated_from`` the first treated period of each row's unit (NaN or
    None: never treated), the same on every row of a unit. The coefficient is named ``"treated"``.
    """
    fn = "did"
    _check_cov(fn, cov)
    yv, yname, u, t, w = _panel_args(fn, y, unit, time, treated_from, "treated_from", data)
    d = _s.did(yv, u, t, w, cov, alpha, use_t)
    return _result(  # type: ignore[no-any-return]
        PanelResult, d, cov, alpha, yname, model="DiD", fe_names=("unit", "time")
    )


def event_study(
    y: Any,
    unit: Any,
    time: Any,
    treat_time: Any,
    leads: int = 4,
    lags: int = 4,
    reference: int = -1,
    cov: str = "cluster",
    alpha: float = 0.05,
    use_t: bool | None = None,
    data: Any = None,
) -> EventStudyResult:
    """Event study: ``y ~ sum_r b_r 1{bin(time - treat_time) = r} + unit FE + time FE`` for relative
    times ``r`` in ``[-leads, lags]`` except ``reference``, the end bins pooling everything further away;
    never-treated units (``treat_time`` NaN) are the controls. ``pretrend`` jointly tests that all
    coefficients at negative relative times are zero (Wald chi-square, and its F form with clusters - 1
    denominator df).
    """
    fn = "event_study"
    _check_cov(fn, cov)
    for name, v in (("leads", leads), ("lags", lags)):
        if not isinstance(v, (int, np.integer)) or v < 0:
            raise ValueError(f"{fn}: {name} must be a non-negative integer, got {v!r}")
    yv, yname, u, t, w = _panel_args(fn, y, unit, time, treat_time, "treat_time", data)
    d = _s.event_study(yv, u, t, w, int(leads), int(lags), int(reference), cov, alpha, use_t)
    p = d["pretrend"]
    names = list(d["names"])
    pre = WaldTest(
        statistic=float(p["statistic"]),
        pvalue=float(p["pvalue"]),
        df=int(p["df"]),
        f_statistic=float(p["f_statistic"]),
        f_pvalue=float(p["f_pvalue"]),
        df_denom=float(p["df_denom"]),
        terms=tuple(names[i] for i in d["lead_index"]),
    )
    return _result(  # type: ignore[no-any-return]
        EventStudyResult,
        d,
        cov,
        alpha,
        yname,
        model="Event study",
        fe_names=("unit", "time"),
        rel_time=tuple(int(r) for r in d["rel_time"]),
        pretrend=pre,
    )
