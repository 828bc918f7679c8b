"""Confidence intervals for one proportion and for comparing two (difference, risk ratio, odds ratio).

Element-wise over arrays: every numeric argument may be an array, and they broadcast as in numpy (one
C++ call, the GIL released). Conventions, methods and the deliberate differences from statsmodels are in
docs/stats.md.
"""

from __future__ import annotations

from missionkit.stats._common import ArrayLike, FloatOrArray, _s, broadcast, shaped


def proportion_ci(
    count: ArrayLike,
    nobs: ArrayLike,
    alpha: ArrayLike = 0.05,
    method: str = "wilson",
    alternative: str = "two-sided",
) -> tuple[FloatOrArray, FloatOrArray]:
    """Confidence interval ``(low, high)`` for a binomial proportion ``count / nobs``.

    ``method``: ``"wilson"`` (default), ``"wald"``, ``"agresti_coull"``, ``"clopper_pearson"``,
    ``"jeffreys"`` (statsmodels' ``"normal"`` and ``"beta"`` are accepted too). ``alternative``:
    ``"two-sided"``, ``"larger"`` (interval ``[low, 1]``) or ``"smaller"`` (``[0, high]``); scipy's
    ``"greater"``/``"less"`` are synonyms.

    >>> [round(v, 4) for v in proportion_ci(12, 40)]
    [0.1807, 0.4543]
    """
    shape, (c, n, a) = broadcast("proportion_ci", count=count, nobs=nobs, alpha=alpha)
    low, high = _s.proportion_ci(c, n, a, method, alternative)
    return shaped(low, shape), shaped(high, shape)


def diff_proportions_ci(
    count1: ArrayLike,
    nobs1: ArrayLike,
    count2: ArrayLike,
    nobs2: ArrayLike,
    alpha: ArrayLike = 0.05,
    method: str = "newcombe",
    alternative: str = "two-sided",
) -> tuple[FloatOrArray, FloatOrArray]:
    """Interval for ``p1 - p2``: ``"newcombe"`` (default; Newcombe 1998 hybrid score), ``"wald"``,
    ``"agresti_caffo"`` or ``"score"`` (Miettinen-Nurminen)."""
    shape, arrays = broadcast(
        "diff_proportions_ci", count1=count1, nobs1=nobs1, count2=count2, nobs2=nobs2, alpha=alpha
    )
    low, high = _s.diff_proportions_ci(*arrays, method, alternative)
    return shaped(low, shape), shaped(high, shape)


def risk_ratio_ci(
    count1: ArrayLike,
    nobs1: ArrayLike,
    count2: ArrayLike,
    nobs2: ArrayLike,
    alpha: ArrayLike = 0.05,
    method: str = "score",
    alternative: str = "two-sided",
) -> tuple[FloatOrArray, FloatOrArray]:
    """Interval for ``p1 / p2``: ``"score"`` (default; Koopman / Miettinen-Nurminen), ``"log"`` (Katz)
    or ``"log_adjusted"`` (add 1/2)."""
    shape, arrays = broadcast(
        "risk_ratio_ci", count1=count1, nobs1=nobs1, count2=count2, nobs2=nobs2, alpha=alpha
    )
    low, high = _s.risk_ratio_ci(*arrays, method, alternative)
    return shaped(low, shape), shaped(high, shape)


def odds_ratio_ci(
    count1: ArrayLike,
    nobs1: ArrayLike,
    count2: ArrayLike,
    nobs2: ArrayLike,
    alpha: ArrayLike = 0.05,
    method: str = "score",
    alternative: str = "two-sided",
) -> tuple[FloatOrArray, FloatOrArray]:
    """Interval for the odds ratio: ``"score"`` (default; Miettinen-Nurminen), ``"log"`` (Woolf) or
    ``"log_adjusted"`` (Gart, 1/2 added to each cell)."""
    shape, arrays = broadcast(
        "odds_ratio_ci", count1=count1, nobs1=nobs1, count2=count2, nobs2=nobs2, alpha=alpha
    )
    low, high = _s.odds_ratio_ci(*arrays, method, alternative)
    return shaped(low, shape), shaped(high, shape)


def proportions_2indep_test(
    count1: float,
    nobs1: float,
    count2: float,
    nobs2: float,
    value: float | None = None,
    compare: str = "diff",
    alternative: str = "two-sided",
) -> tuple[float, float]:
    """Miettinen-Nurminen score test of ``compare(p1, p2) = value``; returns ``(statistic, pvalue)``.

    ``compare``: ``"diff"`` (null value default 0), ``"ratio"`` or ``"odds_ratio"`` (default 1), as
    statsmodels' ``score_test_proportions_2indep``.
    """
    if value is None:
        value = 0.0 if compare == "diff" else 1.0
    stat, p = _s.proportions_2indep_test(count1, nobs1, count2, nobs2, value, compare, alternative)
    return float(stat), float(p)
