"""Power and sample size (``mk.stats.power``), with statsmodels.stats.power's semantics.

Each function takes the four quantities of a design, effect size, sample size, alpha and power, and
solves for the one passed as ``None`` (exactly one must be ``None``; pass ``power=None`` to evaluate the
power). Any argument may be an array: arguments broadcast as in numpy and the whole grid is one C++ call
with the GIL released, so a 1,000-point power curve costs about a millisecond. Solutions are exact to
double precision (TOMS 748 root finding), not to statsmodels' ``xtol=1e-5``; sample sizes come back
unrounded (take ``numpy.ceil`` for a design).

>>> from missionkit.stats import power
>>> round(power.ttest_ind(effect_size=0.5, power=0.8), 2)   # nobs1 per group
63.77
"""

from __future__ import annotations

import numpy as np

from missionkit.stats._common import ArrayLike, FloatOrArray, _s, broadcast, shaped
from missionkit.stats.effect import cohens_h

__all__ = [
    "mde_proportions",
    "mde_ttest_ind",
    "normal_ind",
    "proportions_2indep",
    "survey_sample_size",
    "ttest_1samp",
    "ttest_ind",
]


def _solve(
    fn: str,
    test: str,
    names: tuple[str, str, str, str],
    effect_size: ArrayLike | None,
    nobs1: ArrayLike | None,
    alpha: ArrayLike | None,
    power: ArrayLike | None,
    ratio: ArrayLike,
    alternative: str,
) -> FloatOrArray:
    values = (effect_size, nobs1, alpha, power)
    missing = [n for n, v in zip(names, values) if v is None]
    if len(missing) != 1:
        raise ValueError(
            f"{fn}: exactly one of {', '.join(names)} must be None (the one to solve for), got "
            + (f"{len(missing)}: {', '.join(missing)}" if missing else "none")
        )
    given = {n: v for n, v in zip(names, values) if v is not None}
    shape, arrays = broadcast(fn, ratio=ratio, **given)
    by_name = dict(zip(["ratio", *given], arrays))
    out = _s.solve_power(
        test,
        by_name.get(names[0]),
        by_name.get(names[1]),
        by_name.get(names[2]),
        by_name.get(names[3]),
        by_name["ratio"],
        alternative,
    )
    return shaped(out, shape)


def ttest_ind(
    effect_size: ArrayLike | None = None,
    nobs1: ArrayLike | None = None,
    alpha: ArrayLike | None = 0.05,
    power: ArrayLike | None = None,
    ratio: ArrayLike = 1.0,
    alternative: str = "two-sided",
) -> FloatOrArray:
    """Two-sample t-test (statsmodels ``TTestIndPower().solve_power``): ``effect_size`` is Cohen's d,
    ``nobs2 = ratio * nobs1``."""
    names = ("effect_size", "nobs1", "alpha", "power")
    return _solve("power.ttest_ind", "ttest_ind", names, effect_size, nobs1, alpha, power, ratio, alternative)


def ttest_1samp(
    effect_size: ArrayLike | None = None,
    nobs: ArrayLike | None = None,
    alpha: ArrayLike | None = 0.05,
    power: ArrayLike | None = None,
    alternative: str = "two-sided",
) -> FloatOrArray:
    """One-sample or paired t-test (statsmodels ``TTestPower().solve_power``)."""
    names = ("effect_size", "nobs", "alpha", "power")
    return _solve(
        "power.ttest_1samp", "ttest_1samp", names, effect_size, nobs, alpha, power, 1.0, alternative
    )


def normal_ind(
    effect_size: ArrayLike | None = None,
    nobs1: ArrayLike | None = None,
    alpha: ArrayLike | None = 0.05,
    power: ArrayLike | None = None,
    ratio: ArrayLike = 1.0,
    alternative: str = "two-sided",
) -> FloatOrArray:
    """Two-sample z-test (statsmodels ``NormalIndPower().solve_power``); ``ratio=0`` is one sample."""
    names = ("effect_size", "nobs1", "alpha", "power")
    return _solve(
        "power.normal_ind", "normal_ind", names, effect_size, nobs1, alpha, power, ratio, alternative
    )


def proportions_2indep(
    prop1: ArrayLike,
    prop2: ArrayLike,
    nobs1: ArrayLike | None = None,
    alpha: ArrayLike | None = 0.05,
    power: ArrayLike | None = None,
    ratio: ArrayLike = 1.0,
    alternative: str = "two-sided",
) -> FloatOrArray:
    """Two proportions by the z-test on Cohen's h (statsmodels ``NormalIndPower`` with
    ``proportion_effectsize(prop1, prop2)``); solves for whichever of nobs1, alpha, power is None."""
    names = ("effect_size", "nobs1", "alpha", "power")
    missing = [n for n, v in (("nobs1", nobs1), ("alpha", alpha), ("power", power)) if v is None]
    if len(missing) != 1:
        raise ValueError(
            "power.proportions_2indep: exactly one of nobs1, alpha, power must be None (the one to solve "
            f"for), got {len(missing)}" + (f": {', '.join(missing)}" if missing else "")
        )
    h = cohens_h(prop1, prop2)
    return _solve("power.proportions_2indep", "normal_ind", names, h, nobs1, alpha, power, ratio, alternative)


def mde_ttest_ind(
    nobs1: ArrayLike,
    alpha: ArrayLike = 0.05,
    power: ArrayLike = 0.8,
    ratio: ArrayLike = 1.0,
    alternative: str = "two-sided",
    sd: ArrayLike = 1.0,
) -> FloatOrArray:
    """Minimum detectable difference in means for the two-sample t-test: the solved effect size
    (Cohen's d) times ``sd``, the outcome's standard deviation (default 1: the standardized MDE)."""
    d = ttest_ind(nobs1=nobs1, alpha=alpha, power=power, ratio=ratio, alternative=alternative)
    out = np.multiply(d, np.asarray(sd, dtype=np.float64))
    return float(out) if np.ndim(out) == 0 else np.asarray(out, dtype=np.float64)


def mde_proportions(
    baseline: ArrayLike,
    nobs1: ArrayLike,
    alpha: ArrayLike = 0.05,
    power: ArrayLike = 0.8,
    ratio: ArrayLike = 1.0,
    alternative: str = "two-sided",
) -> FloatOrArray:
    """Minimum detectable proportion in group 1 against ``baseline`` (group 2) at ``nobs1``: the
    ``prop1`` for which :func:`proportions_2indep` has the given power. Above the baseline for
    "two-sided" and "larger", below for "smaller". ``prop1 - baseline`` is the absolute MDE and
    ``prop1 / baseline - 1`` the relative one."""
    shape, arrays = broadcast(
        "power.mde_proportions", prop2=baseline, nobs1=nobs1, power=power, alpha=alpha, ratio=ratio
    )
    return shaped(_s.proportions_2indep_mde(*arrays, alternative), shape)


def survey_sample_size(
    p: float = 0.5,
    margin: float = 0.05,
    confidence: float = 0.95,
    population: float | None = None,
    deff: float = 1.0,
) -> int:
    """Respondents needed to estimate a proportion within ``+-margin`` (Cochran 1977, eq. 4.2 with the
    finite population correction 4.3 and a design effect), rounded up.

    >>> survey_sample_size()
    385
    """
    return int(_s.survey_sample_size(p, margin, confidence, population, deff))
