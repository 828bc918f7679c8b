"""Bootstrap confidence intervals of a mean (or a proportion: the mean of 0/1 data), a quantile (the
median), a ratio of sums, and a difference of two groups' means.

The C++ engine runs a Poisson bootstrap: each observation gets a Poisson(1) weight in each replicate,
drawn from a counter-based generator keyed by (seed, replicate, index). Nothing of size n x B is ever
stored (memory is O(B)), and the result is identical for any thread count. See docs/stats.md, "Bootstrap".
"""

from __future__ import annotations

import operator
from dataclasses import asdict, dataclass
from html import escape
from typing import Any

import numpy as np

from missionkit.stats._common import ArrayLike, _s, data_array, fmt

METHODS = ("bca", "percentile", "basic")


@dataclass(frozen=True)
class BootstrapResult:
    """A bootstrap interval for ``estimate`` at level ``1 - alpha``.

    ``standard_error`` is the ddof = 1 SD of the replicate means (scipy's ``standard_error``);
    ``n_resamples`` counts the replicates used (a replicate that drew no observation, probability e^-n,
    is skipped). ``z0`` and ``acceleration`` are the BCa constants (computed for every method;
    ``acceleration`` is NaN when a leave-one-out estimate is undefined). ``statistic`` names what was
    bootstrapped (``"mean"``, ``"quantile(0.5)"``, ``"ratio"``, ``"diff_means"``); a one-sided
    ``alternative`` gives an infinite bound.
    """

    method: str
    estimate: float
    ci: tuple[float, float]
    standard_error: float
    n_resamples: int
    alpha: float
    seed: int
    z0: float
    acceleration: float
    statistic: str = "mean"
    alternative: str = "two-sided"

    @property
    def confidence_interval(self) -> tuple[float, float]:
        """Alias of ``ci`` (scipy's attribute name)."""
        return self.ci

    def __repr__(self) -> str:
        level = f"{100 * (1 - self.alpha):g}"
        return (
            f"BootstrapResult({self.method}: {self.statistic}={fmt(self.estimate)}, "
            f"ci{level}=({fmt(self.ci[0])}, {fmt(self.ci[1])}), standard_error={fmt(self.standard_error)}, "
            f"n_resamples={self.n_resamples}, seed={self.seed})"
        )

    def _repr_html_(self) -> str:
        level = f"{100 * (1 - self.alpha):g}%"
        rows = "".join(
            f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(v)}</td></tr>"
            for k, v in (
                ("method", f"{self.method} (Poisson bootstrap)"),
                ("statistic", self.statistic),
                ("alternative", self.alternative),
                ("estimate", fmt(self.estimate)),
                (f"{level} CI", f"[{fmt(self.ci[0])}, {fmt(self.ci[1])}]"),
                ("standard error", fmt(self.standard_error)),
                ("resamples", str(self.n_resamples)),
                ("seed", str(self.seed)),
            )
        )
        return f"<table class='missionkit-bootstrap'>{rows}</table>"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check(fn: str, method: str, n_resamples: int, seed: int) -> tuple[int, int]:
    try:
        b = operator.index(n_resamples)
        s = operator.index(seed)
    except TypeError:
        raise ValueError(f"{fn}: n_resamples and seed must be integers") from None
    if s < 0 or s >= 2**64:
        raise ValueError(f"{fn}: seed must be in [0, 2**64), got seed={s}")
    if method not in METHODS and method != "BCa":
        raise ValueError(f"{fn}: method must be one of 'bca', 'percentile', 'basic', got {method!r}")
    return b, s


def _result(
    d: dict[str, Any], method: str, alpha: float, seed: int, statistic: str, alternative: str
) -> BootstrapResult:
    return BootstrapResult(
        method="bca" if method == "BCa" else method,
        estimate=float(d["estimate"]),
        ci=(float(d["ci_low"]), float(d["ci_high"])),
        standard_error=float(d["standard_error"]),
        n_resamples=int(d["n_resamples"]),
        alpha=float(alpha),
        seed=seed,
        z0=float(d["z0"]),
        acceleration=float(d["acceleration"]),
        statistic=statistic,
        alternative=alternative,
    )


def bootstrap_mean_ci(
    x: ArrayLike,
    alpha: float = 0.05,
    method: str = "bca",
    n_resamples: int = 2000,
    seed: int = 0,
    alternative: str = "two-sided",
) -> BootstrapResult:
    """Bootstrap interval of the mean of ``x`` (a proportion when ``x`` holds 0/1 values).

    ``method`` is ``"bca"`` (bias-corrected and accelerated, Efron 1987; the acceleration is the exact
    O(n) jackknife of the mean), ``"percentile"`` or ``"basic"``, as scipy.stats.bootstrap; ``"BCa"`` is
    accepted. ``n_resamples`` must be at least 100. ``seed`` is a non-negative integer; the same seed
    gives the same interval on any machine and thread count. ``alternative``: ``"two-sided"`` (default),
    ``"larger"`` (scipy ``"greater"``: ``(low, inf)`` with low at level ``alpha``) or ``"smaller"``
    (scipy ``"less"``: ``(-inf, high)``).

    A float64 C-contiguous array is read in place (no copy); the computation runs without the GIL, in
    parallel over :func:`missionkit.threads`. NaN or infinite values raise :class:`missionkit.DomainError`
    naming the first index. Differences from scipy: resampling is Poisson rather than multinomial
    (replicate sizes vary around n), so intervals agree with scipy's to Monte-Carlo error, not digit for
    digit; and memory is O(n_resamples) instead of scipy's n x batch.
    """
    fn = "bootstrap_mean_ci"
    a = data_array(fn, "x", x)
    b, s = _check(fn, method, n_resamples, seed)
    d = _s.bootstrap_mean_ci(np.ascontiguousarray(a), float(alpha), method, b, s, alternative)
    return _result(d, method, alpha, s, "mean", alternative)


Statistic = str | tuple[str, float]


def bootstrap_ci(
    data: Any,
    statistic: Statistic = "mean",
    alpha: float = 0.05,
    method: str = "percentile",
    n_resamples: int = 2000,
    seed: int = 0,
    alternative: str = "two-sided",
) -> BootstrapResult:
    """Poisson-bootstrap interval of a statistic (see :func:`bootstrap_mean_ci` for the resampling).

    ``statistic`` and ``data``:

    - ``"mean"``: ``data`` is one array (same as :func:`bootstrap_mean_ci`).
    - ``"median"`` or ``("quantile", q)``: ``data`` is one array; numpy's default (linear) quantile.
    - ``"ratio"``: ``data = (num, den)``, paired arrays resampled together; the statistic is
      ``sum(num) / sum(den)`` (a ratio metric such as revenue per session).
    - ``"diff_means"``: ``data = (x, y)``, two independent groups each resampled within itself;
      the statistic is ``mean(x) - mean(y)``.

    ``method``: ``"percentile"`` (default here: BCa of a quantile rests on a non-smooth jackknife),
    ``"basic"`` or ``"bca"`` (jackknife acceleration in O(n) for every statistic). ``alternative`` as in
    :func:`bootstrap_mean_ci`. Reproducible for a seed on any thread count; memory O(n + n_resamples).
    """
    fn = "bootstrap_ci"
    b, s = _check(fn, method, n_resamples, seed)
    empty = np.zeros(0, dtype=np.float64)
    q = 0.5
    if isinstance(statistic, tuple):
        if len(statistic) != 2 or statistic[0] != "quantile":
            raise ValueError(f"{fn}: a tuple statistic must be ('quantile', q), got {statistic!r}")
        kind, q = "quantile", float(statistic[1])
        label = f"quantile({q:g})"
    elif statistic == "median":
        kind, label = "quantile", "median"
    elif statistic in ("mean", "ratio", "diff_means"):
        kind = label = statistic
    else:
        raise ValueError(
            f"{fn}: statistic must be 'mean', 'median', ('quantile', q), 'ratio' or 'diff_means', "
            f"got {statistic!r}"
        )
    if kind in ("ratio", "diff_means"):
        names = ("num", "den") if kind == "ratio" else ("x", "y")
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise ValueError(f"{fn}: statistic {kind!r} needs data = ({names[0]}, {names[1]})")
        x = np.ascontiguousarray(data_array(fn, names[0], data[0]))
        y = np.ascontiguousarray(data_array(fn, names[1], data[1]))
    else:
        x, y = np.ascontiguousarray(data_array(fn, "data", data)), empty
    d = _s.bootstrap_stat_ci(kind, x, y, q, float(alpha), method, b, s, alternative)
    return _result(d, method, alpha, s, label, alternative)
