"""Effect sizes with confidence intervals."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from html import escape
from typing import Any

from missionkit.stats._common import ArrayLike, FloatOrArray, _s, broadcast, data_array, fmt, shaped


@dataclass(frozen=True)
class EffectSize:
    """A point estimate with its confidence interval (level ``1 - alpha``)."""

    name: str
    estimate: float
    ci: tuple[float, float]
    alpha: float

    def __repr__(self) -> str:
        level = round(100 * (1 - self.alpha))
        ci = f"({fmt(self.ci[0])}, {fmt(self.ci[1])})"
        return f"EffectSize({self.name}={fmt(self.estimate)}, ci{level}={ci})"

    def _repr_html_(self) -> str:
        return (
            f"<span class='missionkit-effect'>{escape(self.name)} = <b>{escape(fmt(self.estimate))}</b> "
            f"({100 * (1 - self.alpha):g}% CI {escape(fmt(self.ci[0]))} to {escape(fmt(self.ci[1]))})</span>"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _effect(name: str, t: tuple[float, float, float], alpha: float) -> EffectSize:
    return EffectSize(name, float(t[0]), (float(t[1]), float(t[2])), alpha)


def cohens_d(x1: ArrayLike, x2: ArrayLike, alpha: float = 0.05, alternative: str = "two-sided") -> EffectSize:
    """Cohen's d with the pooled (ddof = 1) SD; exact noncentral-t interval (Steiger & Fouladi 1997)."""
    a = data_array("cohens_d", "x1", x1)
    b = data_array("cohens_d", "x2", x2)
    return _effect("cohens_d", _s.cohens_d(a, b, alpha, alternative), alpha)


def hedges_g(x1: ArrayLike, x2: ArrayLike, alpha: float = 0.05, alternative: str = "two-sided") -> EffectSize:
    """Hedges' g: Cohen's d times the exact small-sample correction J (Hedges 1981), interval J * d's."""
    a = data_array("hedges_g", "x1", x1)
    b = data_array("hedges_g", "x2", x2)
    return _effect("hedges_g", _s.hedges_g(a, b, alpha, alternative), alpha)


def cohens_d_from_stats(
    mean1: float,
    std1: float,
    nobs1: float,
    mean2: float,
    std2: float,
    nobs2: float,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> EffectSize:
    """:func:`cohens_d` from summary statistics (``std`` with ddof = 1)."""
    t = _s.cohens_d_from_stats(mean1, std1, nobs1, mean2, std2, nobs2, alpha, alternative)
    return _effect("cohens_d", t, alpha)


def hedges_g_from_stats(
    mean1: float,
    std1: float,
    nobs1: float,
    mean2: float,
    std2: float,
    nobs2: float,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> EffectSize:
    """:func:`hedges_g` from summary statistics (``std`` with ddof = 1)."""
    t = _s.hedges_g_from_stats(mean1, std1, nobs1, mean2, std2, nobs2, alpha, alternative)
    return _effect("hedges_g", t, alpha)


def cohens_h(prop1: ArrayLike, prop2: ArrayLike) -> FloatOrArray:
    """Cohen's h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p2)), element-wise (statsmodels
    ``proportion_effectsize``)."""
    shape, (a, b) = broadcast("cohens_h", prop1=prop1, prop2=prop2)
    return shaped(_s.cohens_h(a, b), shape)


def cohens_h_ci(
    count1: float,
    nobs1: float,
    count2: float,
    nobs2: float,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> EffectSize:
    """Cohen's h of ``count1/nobs1`` vs ``count2/nobs2`` with the interval h -+ z sqrt(1/n1 + 1/n2)."""
    return _effect("cohens_h", _s.cohens_h_ci(count1, nobs1, count2, nobs2, alpha, alternative), alpha)


def relative_lift(
    count1: float,
    nobs1: float,
    count2: float,
    nobs2: float,
    alpha: float = 0.05,
    method: str = "score",
    alternative: str = "two-sided",
) -> EffectSize:
    """Relative lift ``p1/p2 - 1`` with the risk-ratio interval shifted by -1 (default: score)."""
    t = _s.relative_lift(count1, nobs1, count2, nobs2, alpha, method, alternative)
    return _effect("relative_lift", t, alpha)


def odds_ratio(
    count1: float,
    nobs1: float,
    count2: float,
    nobs2: float,
    alpha: float = 0.05,
    method: str = "score",
    alternative: str = "two-sided",
) -> EffectSize:
    """Sample odds ratio with :func:`~missionkit.stats.odds_ratio_ci` (default: score)."""
    t = _s.odds_ratio(count1, nobs1, count2, nobs2, alpha, method, alternative)
    return _effect("odds_ratio", t, alpha)
