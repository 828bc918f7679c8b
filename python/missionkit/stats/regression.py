"""Ordinary least squares with classical, HC0-HC3, one- or two-way cluster-robust and Newey-West (HAC)
covariances.

The fit is a Householder QR of ``[X y]`` streamed in blocks of rows in C++ (never the normal equations),
so that the design matrix is read in place (C or Fortran order, or a DataFrame's block) and never
copied; robust covariances are summed from per-observation or per-cluster scores. Results match
``statsmodels.OLS(y, X).fit(cov_type=...)``; see docs/stats.md for conventions and the NIST StRD
accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import numpy.typing as npt

from missionkit.stats._common import FloatArray, _s, fmt

COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster", "HAC")


@dataclass(frozen=True)
class OLSResult:
    """A fitted linear model. Arrays have one entry per coefficient, in the order of ``names``
    (``"const"`` first when the intercept was added)."""

    names: list[str]
    params: FloatArray
    bse: FloatArray
    tvalues: FloatArray
    pvalues: FloatArray
    cov_params: FloatArray
    nobs: int
    nobs_dropped: int  #: rows dropped for NaN in y or X, or a missing cluster label
    df_model: float
    df_resid: float
    df_inference: float  #: df of the t distribution used for p-values and intervals (inf: normal)
    rsquared: float
    rsquared_adj: float
    resid_sd: float  #: residual standard deviation sqrt(ssr / df_resid)
    ssr: float
    cov_type: str
    use_t: bool
    alpha: float
    n_groups: tuple[int, ...] = ()
    yname: str = "y"
    maxlags: int | None = None  #: Newey-West truncation lag (cov_type "HAC")
    use_correction: bool = False  #: HAC small-sample factor n / (n - k) applied (statsmodels' option)
    _ci: FloatArray = field(default_factory=lambda: np.empty((0, 2)), repr=False)

    def conf_int(self, alpha: float | None = None) -> FloatArray:
        """Confidence intervals, shape (k, 2), at level ``1 - alpha`` (default: the ``alpha`` of the fit)."""
        if alpha is None or alpha == self.alpha:
            return self._ci.copy()
        if not 0.0 < alpha < 1.0:
            raise ValueError(f"conf_int: alpha must be in (0, 1), got {alpha}")
        q = _s.t_isf(alpha / 2, self.df_inference) if self.use_t else _s.normal_isf(alpha / 2)
        return np.column_stack([self.params - q * self.bse, self.params + q * self.bse])

    def to_frame(self) -> Any:
        """The coefficient table as a pandas DataFrame indexed by name (needs pandas)."""
        import pandas as pd

        ci = self._ci
        return pd.DataFrame(
            {
                "coef": self.params,
                "std_err": self.bse,
                "t" if self.use_t else "z": self.tvalues,
                "p": self.pvalues,
                "ci_low": ci[:, 0],
                "ci_high": ci[:, 1],
            },
            index=pd.Index(self.names, name="term"),
        )

    def to_dict(self) -> dict[str, Any]:
        ci = self._ci
        return {
            "yname": self.yname,
            "cov_type": self.cov_type,
            **({"maxlags": self.maxlags} if self.maxlags is not None else {}),
            **({"use_correction": self.use_correction} if self.maxlags is not None else {}),
            "nobs": self.nobs,
            "nobs_dropped": self.nobs_dropped,
            "rsquared": self.rsquared,
            "rsquared_adj": self.rsquared_adj,
            "resid_sd": self.resid_sd,
            "coefficients": {
                name: {
                    "coef": float(self.params[i]),
                    "std_err": float(self.bse[i]),
                    "statistic": float(self.tvalues[i]),
                    "pvalue": float(self.pvalues[i]),
                    "ci": (float(ci[i, 0]), float(ci[i, 1])),
                }
                for i, name in enumerate(self.names)
            },
        }

    def _rows(self) -> list[tuple[str, ...]]:
        ci = self._ci
        return [
            (
                name,
                fmt(self.params[i]),
                fmt(self.bse[i]),
                fmt(self.tvalues[i]),
                fmt(self.pvalues[i]),
                fmt(ci[i, 0]),
                fmt(ci[i, 1]),
            )
            for i, name in enumerate(self.names)
        ]

    def _header(self) -> str:
        dropped = f", {self.nobs_dropped} dropped (missing)" if self.nobs_dropped else ""
        groups = f", clusters {'x'.join(map(str, self.n_groups))}" if self.n_groups else ""
        if self.maxlags is not None:
            groups += f", maxlags {self.maxlags}"
            if self.use_correction:
                groups += ", small-sample corrected"
        return (
            f"OLS of {self.yname}: n={self.nobs}{dropped}, R^2={fmt(self.rsquared)}, "
            f"adj. R^2={fmt(self.rsquared_adj)}, resid SD={fmt(self.resid_sd)}, cov={self.cov_type}{groups}"
        )

    def __repr__(self) -> str:
        stat = "t" if self.use_t else "z"
        level = f"{100 * (1 - self.alpha):g}%"
        head = ("", "coef", "std err", stat, "P>|" + stat + "|", f"[{level}", "CI]")
        rows = [head, *self._rows()]
        widths = [max(len(r[j]) for r in rows) for j in range(len(head))]
        lines = [
            "  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(r, widths)))
            for r in rows
        ]
        return "\n".join([self._header(), *lines])

    def _repr_html_(self) -> str:
        stat = "t" if self.use_t else "z"
        head = "".join(
            f"<th>{escape(h)}</th>" for h in ("", "coef", "std err", stat, "p", "ci low", "ci high")
        )
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in self._rows()
        )
        return (
            f"<div class='missionkit-ols'><p>{escape(self._header())}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )


def _labels(g: Any, n: int, name: str) -> npt.NDArray[np.int64]:
    """Cluster labels as int64 (codes 0..G-1, or the labels themselves when they are non-negative
    integers), with -1 for a missing label (None or NaN): the C++ side
    drops those rows together with their y and X (statsmodels' missing="drop" drops the rows of y and X
    but not of groups, which then no longer line up)."""
    a = np.asarray(g)
    if a.ndim != 1 or a.shape[0] != n:
        raise ValueError(f"ols: {name} must be 1-D with one label per row ({n}), got shape {a.shape}")
    # Fast path: non-negative integer labels go to C++ as they are (it keys clusters by any int64 and
    # numbers them in order of first appearance, as pd.factorize would, so the result is the same bits);
    # factorizing 5M labels in Python costs more than the whole C++ fit. Negative integers are real
    # labels here but "missing" in C++, so they take the factorizing path.
    if a.dtype.kind in "iu" and n > 0:
        if a.min() >= 0 and (a.dtype.kind == "i" or a.max() <= np.iinfo(np.int64).max):
            return np.ascontiguousarray(a, dtype=np.int64)
    elif a.dtype.kind == "b":
        return a.astype(np.int64)
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is optional at runtime
        pd = None
    if pd is not None:
        codes, _ = pd.factorize(a, use_na_sentinel=True)
        return np.asarray(codes, dtype=np.int64)
    if a.dtype.kind == "f":
        missing = np.isnan(a)
    elif a.dtype.kind == "O":
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in a], dtype=bool)
    else:
        missing = np.zeros(n, dtype=bool)
    codes = np.full(n, -1, dtype=np.int64)
    codes[~missing] = np.unique(a[~missing], return_inverse=True)[1]
    return codes


def _design(X: Any) -> tuple[FloatArray, list[str]]:
    names: list[str] = []
    if hasattr(X, "columns") and hasattr(X, "to_numpy"):  # pandas or polars DataFrame
        names = [str(c) for c in X.columns]
        X = X.to_numpy()
    elif hasattr(X, "name") and hasattr(X, "to_numpy"):  # a single Series
        names = [str(X.name)] if X.name is not None else []
        X = X.to_numpy()
    x = np.asarray(X, dtype=np.float64)
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if x.ndim != 2:
        raise ValueError(f"ols: X must be 2-D (rows x columns), got shape {x.shape}")
    return x, names


def ols(
    y: Any,
    X: Any,
    cov: str = "nonrobust",
    groups: Any = None,
    add_intercept: bool = True,
    alpha: float = 0.05,
    use_t: bool | None = None,
    maxlags: int | None = None,
    use_correction: bool = False,
) -> OLSResult:
    """Least-squares fit of ``y`` on ``X`` (plus an intercept named ``"const"`` unless
    ``add_intercept=False``).

    Parameters
    ----------
    y : 1-D array-like (numpy, list, pandas/polars Series).
    X : 2-D array-like or DataFrame (its column names name the coefficients); a 1-D array is one column.
    cov : ``"nonrobust"``, ``"HC0"``, ``"HC1"``, ``"HC2"``, ``"HC3"``, ``"cluster"`` or ``"HAC"``
        (Newey-West, Bartlett kernel, as ``statsmodels`` ``cov_type="HAC"`` with its default
        ``use_correction=False``: no small-sample factor). For HAC the rows must be in time order, one
        per period; lags count the rows used (a row dropped for NaN does not leave a gap).
    groups : cluster labels for ``cov="cluster"``: one array of labels (any hashable values), or two
        (a pair of arrays, an ``(n, 2)`` array or a two-column DataFrame) for two-way clustering.
        Missing labels (None/NaN) drop their rows, as NaN in ``y`` or ``X`` does; ``nobs_dropped``
        counts them.
    alpha : level of the intervals, ``1 - alpha``.
    use_t : t (True) or normal (False) reference distribution; default as statsmodels: t with
        ``n - k`` df for nonrobust, normal for the robust covariances (t with ``G - 1`` df for
        cluster when ``use_t=True``).
    maxlags : truncation lag ``L`` of the Newey-West kernel, required with ``cov="HAC"`` (as in
        statsmodels); weights ``1 - l/(L+1)``. ``L = 0`` gives HC0. A common rule is
        ``floor(4 (n/100)^(2/9))``.
    use_correction : ``cov="HAC"`` only: multiply the covariance by ``n / (n - k)``, statsmodels'
        ``cov_kwds={"maxlags": L, "use_correction": True}``; the default ``False`` is statsmodels'
        default for HAC.

    Raises ValueError (DomainError) for mismatched lengths, +-inf in the data, too few rows, fewer than 2
    clusters, and perfectly collinear columns, naming the column.
    """
    if cov not in COV_TYPES:
        raise ValueError(f"ols: cov must be one of {', '.join(map(repr, COV_TYPES))}, got {cov!r}")
    if cov == "HAC":
        if maxlags is None:
            raise ValueError("ols: cov='HAC' needs maxlags (for example floor(4 * (n/100)**(2/9)))")
        if isinstance(maxlags, bool) or int(maxlags) != maxlags or maxlags < 0:
            raise ValueError(f"ols: maxlags must be a non-negative integer, got {maxlags!r}")
    elif maxlags is not None:
        raise ValueError(f"ols: maxlags is only used with cov='HAC', got cov={cov!r}")
    if not isinstance(use_correction, (bool, np.bool_)):
        raise ValueError(f"ols: use_correction must be True or False, got {use_correction!r}")
    if use_correction and cov != "HAC":
        raise ValueError(f"ols: use_correction is only used with cov='HAC', got cov={cov!r}")
    yname = str(getattr(y, "name", None) or "y")
    if hasattr(y, "to_numpy"):
        y = y.to_numpy()
    yv = np.asarray(y, dtype=np.float64)
    if yv.ndim == 2 and yv.shape[1] == 1:
        yv = yv[:, 0]
    if yv.ndim != 1:
        raise ValueError(f"ols: y must be 1-D, got shape {yv.shape}")
    x, names = _design(X)
    n = yv.shape[0]
    g1 = g2 = None
    if cov == "cluster":
        if groups is None:
            raise ValueError("ols: cov='cluster' needs groups (one cluster label per row)")
        two = _two_way(groups, n)
        if two is None:
            g1 = _labels(groups, n, "groups")
        else:
            g1, g2 = _labels(two[0], n, "groups[0]"), _labels(two[1], n, "groups[1]")
    d = _s.ols(
        yv, x, cov, add_intercept, alpha, use_t, g1, g2, names, int(maxlags or 0), bool(use_correction)
    )
    return OLSResult(
        **_fit_fields(d, cov, alpha, yname, two_way=g2 is not None),
        maxlags=int(maxlags) if cov == "HAC" and maxlags is not None else None,
        use_correction=bool(use_correction),
    )


def _fit_fields(d: dict[str, Any], cov: str, alpha: float, yname: str, *, two_way: bool) -> dict[str, Any]:
    """The fields of a fit result from the C++ engine's dict (shared by ols and the panel estimators)."""
    n_groups: tuple[int, ...] = ()
    if cov == "cluster":
        n_groups = (int(d["n_groups"]), int(d["n_groups2"])) if two_way else (int(d["n_groups"]),)
    return {
        "names": list(d["names"]),
        "params": d["params"],
        "bse": d["bse"],
        "tvalues": d["tvalues"],
        "pvalues": d["pvalues"],
        "cov_params": d["cov_params"],
        "nobs": int(d["nobs"]),
        "nobs_dropped": int(d["nobs_dropped"]),
        "df_model": float(d["df_model"]),
        "df_resid": float(d["df_resid"]),
        "df_inference": float(d["df_inference"]),
        "rsquared": float(d["rsquared"]),
        "rsquared_adj": float(d["rsquared_adj"]),
        "resid_sd": float(d["sigma"]),
        "ssr": float(d["ssr"]),
        "cov_type": cov,
        "use_t": bool(d["use_t"]),
        "alpha": alpha,
        "n_groups": n_groups,
        "yname": yname,
        "_ci": np.column_stack([d["ci_low"], d["ci_high"]]),
    }


def _two_way(groups: Any, n: int) -> tuple[Any, Any] | None:
    """The two label arrays of two-way clustering, or None for one-way."""
    if hasattr(groups, "columns") and hasattr(groups, "to_numpy"):
        cols = list(groups.columns)
        if len(cols) == 1:
            return None
        if len(cols) != 2:
            raise ValueError(f"ols: groups as a DataFrame must have 1 or 2 columns, got {len(cols)}")
        return groups[cols[0]].to_numpy(), groups[cols[1]].to_numpy()
    if isinstance(groups, (tuple, list)) and len(groups) == 2 and n != 2:
        first = groups[0]
        if isinstance(first, (Sequence, np.ndarray)) and not isinstance(first, str):
            return groups[0], groups[1]
    a = np.asarray(groups)
    if a.ndim == 2:
        if a.shape != (n, 2):
            raise ValueError(f"ols: 2-D groups must have shape (n, 2) = ({n}, 2), got {a.shape}")
        return a[:, 0], a[:, 1]
    return None
