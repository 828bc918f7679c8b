"""Intervals for ratio metrics (``sum(num) / sum(den)`` over units, by the delta method) and for NPS.

A ratio metric such as contacts per customer or cost per contact is a ratio of two sums over units
(customers, agents, days); the units are independent, the events inside a unit are not, so the interval
comes from the delta method (Deng, Knoblich & Lu 2018) and not from a binomial or t formula on events.
See docs/stats.md, "Ratio metrics and NPS".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from html import escape
from typing import Any

import numpy as np

from missionkit.stats._common import ArrayLike, FloatArray, _s, data_array, fmt

NPS_METHODS = ("wald",)


@dataclass(frozen=True)
class RatioResult:
    """A two-sided normal interval ``ci`` at level ``1 - alpha`` for ``estimate``, with standard error ``se``.

    ``method`` is ``"delta"`` (ratio_ci), ``"delta (difference)"`` (diff_ratio_ci) or ``"wald"`` (nps_ci,
    in points).
    """

    name: str
    method: str
    estimate: float
    ci: tuple[float, float]
    se: float
    alpha: float

    def __repr__(self) -> str:
        level = f"{100 * (1 - self.alpha):g}"
        return (
            f"RatioResult({self.name}, {self.method}: estimate={fmt(self.estimate)}, "
            f"ci{level}=({fmt(self.ci[0])}, {fmt(self.ci[1])}), se={fmt(self.se)})"
        )

    def _repr_html_(self) -> str:
        level = f"{100 * (1 - self.alpha):g}%"
        rows = "".join(
            f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(v)}</td></tr>"
            for k, v in (
                ("quantity", self.name),
                ("method", self.method),
                ("estimate", fmt(self.estimate)),
                (f"{level} CI", f"[{fmt(self.ci[0])}, {fmt(self.ci[1])}]"),
                ("standard error", fmt(self.se)),
            )
        )
        return f"<table class='missionkit-ratio'>{rows}</table>"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _result(name: str, method: str, d: dict[str, float], alpha: float) -> RatioResult:
    return RatioResult(
        name=name,
        method=method,
        estimate=float(d["estimate"]),
        ci=(float(d["ci_low"]), float(d["ci_high"])),
        se=float(d["se"]),
        alpha=float(alpha),
    )


def _sample(fn: str, name: str, x: ArrayLike) -> FloatArray:
    # A C-contiguous float64 array is passed through without a copy.
    return np.ascontiguousarray(data_array(fn, name, x))


def ratio_ci(num: ArrayLike, den: ArrayLike, alpha: float = 0.05) -> RatioResult:
    """Delta-method interval for ``sum(num) / sum(den)``, one element per independent unit.

    ``var(R) = (var(y)/mx**2 - 2*my*cov(x, y)/mx**3 + my**2*var(x)/mx**4) / n`` with ``y = num``,
    ``x = den``, sample means ``mx, my`` and ``ddof=1`` moments (Deng, Knoblich & Lu 2018); the interval is
    ``R -+ z se``. Needs at least 2 units and a nonzero denominator sum; NaN or inf raises
    :class:`missionkit.DomainError` naming the index. One pass in C++ without the GIL.

    >>> ratio_ci([3, 0, 5, 2], [2, 1, 3, 1]).estimate
    1.4285714285714286
    """
    fn = "ratio_ci"
    d = _s.ratio_ci(_sample(fn, "num", num), _sample(fn, "den", den), float(alpha))
    return _result("ratio", "delta", d, alpha)


def diff_ratio_ci(
    num1: ArrayLike, den1: ArrayLike, num2: ArrayLike, den2: ArrayLike, alpha: float = 0.05
) -> RatioResult:
    """Interval for ``R1 - R2`` of two independent groups' ratio metrics (e.g. treatment minus control):
    ``se = sqrt(se1**2 + se2**2)`` from :func:`ratio_ci` of each group, normal interval."""
    fn = "diff_ratio_ci"
    d = _s.diff_ratio_ci(
        _sample(fn, "num1", num1),
        _sample(fn, "den1", den1),
        _sample(fn, "num2", num2),
        _sample(fn, "den2", den2),
        float(alpha),
    )
    return _result("ratio1 - ratio2", "delta (difference)", d, alpha)


def nps_ci(
    promoters: float, passives: float, detractors: float, alpha: float = 0.05, method: str = "wald"
) -> RatioResult:
    """Net Promoter Score in points (-100..100) with its interval.

    ``method="wald"`` (the only one): ``NPS -+ z * 100 * sqrt((p+ + p- - (p+ - p-)**2) / n)`` clipped to
    ``[-100, 100]``, the trinomial variance; the same numbers as the ``nps`` measure. Counts may be
    fractional (weighted).

    >>> nps_ci(120, 50, 30)
    RatioResult(nps, wald: estimate=45, ci95=(34.75, 55.25), se=5.232)
    """
    if method not in NPS_METHODS:
        raise ValueError(f"nps_ci: method must be 'wald', got {method!r}")
    d = _s.nps_ci(float(promoters), float(passives), float(detractors), float(alpha), method)
    return _result("nps", method, d, alpha)
