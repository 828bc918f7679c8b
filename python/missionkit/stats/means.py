"""t-tests and z-tests for means, each with the confidence interval that goes with it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from html import escape
from typing import Any

from missionkit.stats._common import ArrayLike, _s, data_array, fmt


@dataclass(frozen=True)
class TTestResult:
    """Result of a test about a mean or a difference of means.

    ``ci`` is the interval for ``estimate`` (the mean, or mean1 - mean2) at level ``1 - alpha``, of the
    shape the alternative implies (one-sided intervals end at -inf or +inf). ``df`` is inf for z-tests.
    Unpacks like scipy's results: ``statistic, pvalue = ttest_ind(a, b)``.
    """

    test: str
    statistic: float
    pvalue: float
    df: float
    ci: tuple[float, float]
    estimate: float
    std_error: float
    alternative: str
    alpha: float

    def __iter__(self) -> Iterator[float]:
        return iter((self.statistic, self.pvalue))

    def __repr__(self) -> str:
        return (
            f"TTestResult({self.test}: statistic={fmt(self.statistic)}, pvalue={fmt(self.pvalue)}, "
            f"df={fmt(self.df)}, estimate={fmt(self.estimate)}, "
            f"ci{round(100 * (1 - self.alpha))}=({fmt(self.ci[0])}, {fmt(self.ci[1])}), "
            f"alternative='{self.alternative}')"
        )

    def _repr_html_(self) -> str:
        level = f"{100 * (1 - self.alpha):g}%"
        rows = "".join(
            f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(v)}</td></tr>"
            for k, v in (
                ("test", self.test),
                ("estimate", fmt(self.estimate)),
                (f"{level} CI", f"[{fmt(self.ci[0])}, {fmt(self.ci[1])}]"),
                ("statistic", fmt(self.statistic)),
                ("df", fmt(self.df)),
                ("p-value", fmt(self.pvalue)),
                ("alternative", self.alternative),
            )
        )
        return f"<table class='missionkit-ttest'>{rows}</table>"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _result(test: str, d: dict[str, float], alternative: str, alpha: float) -> TTestResult:
    return TTestResult(
        test=test,
        statistic=float(d["statistic"]),
        pvalue=float(d["pvalue"]),
        df=float(d["df"]),
        ci=(float(d["ci_low"]), float(d["ci_high"])),
        estimate=float(d["estimate"]),
        std_error=float(d["std_error"]),
        alternative=alternative,
        alpha=alpha,
    )


def ttest_1samp(
    x: ArrayLike, popmean: float = 0.0, alpha: float = 0.05, alternative: str = "two-sided"
) -> TTestResult:
    """One-sample t-test of ``mean = popmean`` (scipy.stats.ttest_1samp; df = n - 1)."""
    a = data_array("ttest_1samp", "x", x)
    return _result("one-sample t", _s.ttest_1samp(a, popmean, alpha, alternative), alternative, alpha)


def ttest_ind(
    x1: ArrayLike,
    x2: ArrayLike,
    equal_var: bool = False,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> TTestResult:
    """Two-sample t-test of ``mean1 = mean2`` (scipy.stats.ttest_ind).

    Deliberate difference from scipy: ``equal_var`` defaults to False (Welch's test), which keeps its
    level when the variances differ and loses almost nothing when they do not (Delacre, Lakens & Leys
    2017). Pass ``equal_var=True`` for Student's pooled test.
    """
    a = data_array("ttest_ind", "x1", x1)
    b = data_array("ttest_ind", "x2", x2)
    name = "Student t (pooled)" if equal_var else "Welch t"
    return _result(name, _s.ttest_ind(a, b, equal_var, alpha, alternative), alternative, alpha)


def ttest_ind_from_stats(
    mean1: float,
    std1: float,
    nobs1: float,
    mean2: float,
    std2: float,
    nobs2: float,
    equal_var: bool = False,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> TTestResult:
    """:func:`ttest_ind` from summary statistics (``std`` with ddof = 1), as
    scipy.stats.ttest_ind_from_stats; ``equal_var`` defaults to False (Welch) as in :func:`ttest_ind`."""
    d = _s.ttest_ind_from_stats(mean1, std1, nobs1, mean2, std2, nobs2, equal_var, alpha, alternative)
    return _result("Student t (pooled)" if equal_var else "Welch t", d, alternative, alpha)


def ztest(
    x1: ArrayLike,
    x2: ArrayLike | None = None,
    value: float = 0.0,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    usevar: str = "pooled",
) -> TTestResult:
    """z-test of ``mean = value`` (one sample) or ``mean1 - mean2 = value`` (two samples), as
    statsmodels.stats.weightstats.ztest; ``usevar`` is ``"pooled"`` or ``"unequal"``."""
    a = data_array("ztest", "x1", x1)
    if x2 is None:
        return _result("one-sample z", _s.ztest(a, value, alpha, alternative), alternative, alpha)
    if usevar not in ("pooled", "unequal"):
        raise ValueError(f"ztest: usevar must be 'pooled' or 'unequal', got {usevar!r}")
    b = data_array("ztest", "x2", x2)
    d = _s.ztest_ind(a, b, value, usevar == "pooled", alpha, alternative)
    return _result(f"two-sample z ({usevar})", d, alternative, alpha)
