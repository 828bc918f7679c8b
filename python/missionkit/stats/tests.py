"""Contingency tables and rank tests: chi-squared and Fisher's exact test of independence, the
Mann-Whitney U test, and distribution-free confidence intervals for a quantile.

Each matches its scipy.stats counterpart (``chi2_contingency``, ``fisher_exact``, ``mannwhitneyu``,
``quantile_test(...).confidence_interval()``); conventions and the one deliberate difference (Fisher's
two-sided tolerance) are in docs/stats.md, "Contingency tables and rank tests". Results unpack like
scipy's: ``statistic, pvalue = chi2_contingency(table)``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from missionkit.stats._common import ArrayLike, FloatArray, _s, data_array, fmt


def _html(css: str, rows: tuple[tuple[str, str], ...]) -> str:
    body = "".join(
        f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows
    )
    return f"<table class='missionkit-{css}'>{body}</table>"


def _table(fn: str, table: ArrayLike) -> FloatArray:
    try:
        t = np.asarray(table, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{fn}: table must be a 2-D array of counts ({e})") from None
    if t.ndim != 2:
        raise ValueError(f"{fn}: table must be 2-D, got shape {t.shape}")
    return t


@dataclass(frozen=True)
class Chi2ContingencyResult:
    """Pearson's chi-squared test of independence (see :func:`chi2_contingency`).

    ``expected`` has the table's shape; ``corrected`` says whether Yates' correction was applied (only
    2 x 2 tables with ``correction=True``).
    """

    statistic: float
    pvalue: float
    df: float
    expected: FloatArray
    corrected: bool

    def __iter__(self) -> Iterator[float]:
        return iter((self.statistic, self.pvalue))

    def __repr__(self) -> str:
        return (
            f"Chi2ContingencyResult(statistic={fmt(self.statistic)}, pvalue={fmt(self.pvalue)}, "
            f"df={self.df:g}, corrected={self.corrected})"
        )

    def _repr_html_(self) -> str:
        return _html(
            "chi2",
            (
                ("test", "Pearson chi-squared" + (" (Yates)" if self.corrected else "")),
                ("statistic", fmt(self.statistic)),
                ("df", f"{self.df:g}"),
                ("p-value", fmt(self.pvalue)),
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "statistic": self.statistic,
            "pvalue": self.pvalue,
            "df": self.df,
            "expected": self.expected.tolist(),
            "corrected": self.corrected,
        }


@dataclass(frozen=True)
class FisherExactResult:
    """Fisher's exact test (see :func:`fisher_exact`). As scipy, ``statistic`` is the sample odds ratio
    for a 2 x 2 table and the probability of the observed table (``table_probability``) otherwise;
    ``odds_ratio`` is NaN for tables other than 2 x 2."""

    odds_ratio: float
    pvalue: float
    alternative: str
    table_probability: float = math.nan
    shape: tuple[int, int] = (2, 2)

    @property
    def statistic(self) -> float:
        return self.odds_ratio if self.shape == (2, 2) else self.table_probability

    def __iter__(self) -> Iterator[float]:
        return iter((self.odds_ratio, self.pvalue))

    def __repr__(self) -> str:
        if self.shape != (2, 2):
            return (
                f"FisherExactResult(shape={self.shape}, table_probability={fmt(self.table_probability)}, "
                f"pvalue={fmt(self.pvalue)})"
            )
        return (
            f"FisherExactResult(odds_ratio={fmt(self.odds_ratio)}, pvalue={fmt(self.pvalue)}, "
            f"alternative='{self.alternative}')"
        )

    def _repr_html_(self) -> str:
        return _html(
            "fisher",
            (
                ("test", f"Fisher exact ({self.shape[0]} x {self.shape[1]})"),
                ("odds ratio", fmt(self.odds_ratio)),
                ("P(observed table)", fmt(self.table_probability)),
                ("p-value", fmt(self.pvalue)),
                ("alternative", self.alternative),
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "odds_ratio": self.odds_ratio,
            "pvalue": self.pvalue,
            "alternative": self.alternative,
            "table_probability": self.table_probability,
            "shape": list(self.shape),
        }


@dataclass(frozen=True)
class MannWhitneyResult:
    """Mann-Whitney U test (see :func:`mann_whitney_u`); ``statistic`` is U of ``x``, ``method`` the one
    used (``"exact"`` or ``"asymptotic"``)."""

    statistic: float
    pvalue: float
    method: str
    alternative: str

    def __iter__(self) -> Iterator[float]:
        return iter((self.statistic, self.pvalue))

    def __repr__(self) -> str:
        return (
            f"MannWhitneyResult(statistic={fmt(self.statistic)}, pvalue={fmt(self.pvalue)}, "
            f"method='{self.method}', alternative='{self.alternative}')"
        )

    def _repr_html_(self) -> str:
        return _html(
            "mannwhitney",
            (
                ("test", f"Mann-Whitney U ({self.method})"),
                ("U", fmt(self.statistic)),
                ("p-value", fmt(self.pvalue)),
                ("alternative", self.alternative),
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "statistic": self.statistic,
            "pvalue": self.pvalue,
            "method": self.method,
            "alternative": self.alternative,
        }


@dataclass(frozen=True)
class QuantileCI:
    """Order-statistic confidence interval for a quantile (see :func:`quantile_ci`).

    ``low_rank`` / ``high_rank`` are the 1-based ranks of the order statistics used, None where the bound
    is infinite (one-sided) or NaN (the sample is too small for that level). Unpacks as ``low, high``.
    """

    low: float
    high: float
    low_rank: int | None
    high_rank: int | None
    q: float
    alpha: float
    alternative: str

    def __iter__(self) -> Iterator[float]:
        return iter((self.low, self.high))

    def __repr__(self) -> str:
        return (
            f"QuantileCI(q={self.q:g}, ci{round(100 * (1 - self.alpha))}=({fmt(self.low)}, "
            f"{fmt(self.high)}), ranks=({self.low_rank}, {self.high_rank}), alternative='{self.alternative}')"
        )

    def _repr_html_(self) -> str:
        level = f"{100 * (1 - self.alpha):g}%"
        return _html(
            "quantile-ci",
            (
                ("quantile", f"{self.q:g}"),
                (f"{level} CI", f"[{fmt(self.low)}, {fmt(self.high)}]"),
                ("order statistics", f"{self.low_rank}, {self.high_rank}"),
                ("alternative", self.alternative),
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "low_rank": self.low_rank,
            "high_rank": self.high_rank,
            "q": self.q,
            "alpha": self.alpha,
            "alternative": self.alternative,
        }


def chi2_contingency(table: ArrayLike, correction: bool = True) -> Chi2ContingencyResult:
    """Pearson's chi-squared test of independence for an r x c table of counts (r, c >= 2), as
    scipy.stats.chi2_contingency: expected counts row_sum * col_sum / total, df = (r - 1)(c - 1), and
    with ``correction`` (default) Yates' continuity correction for 2 x 2 tables.

    Negative or NaN counts and a row or column summing to zero raise :class:`missionkit.DomainError`.

    >>> r = chi2_contingency([[12, 5], [7, 15]])
    >>> round(r.statistic, 4), round(r.pvalue, 4), r.df
    (4.3221, 0.0376, 1.0)
    """
    t = _table("chi2_contingency", table)
    d = _s.chi2_contingency(t, bool(correction))
    return Chi2ContingencyResult(
        statistic=float(d["statistic"]),
        pvalue=float(d["pvalue"]),
        df=float(d["df"]),
        expected=np.asarray(d["expected"], dtype=np.float64),
        corrected=bool(d["corrected"]),
    )


def fisher_exact(
    table: ArrayLike, alternative: str = "two-sided", max_work: float = 1e8
) -> FisherExactResult:
    """Fisher's exact test of independence for an r x c table of counts (r, c >= 2).

    2 x 2 tables [[a, b], [c, d]] as scipy.stats.fisher_exact: the odds ratio is the sample one,
    ``a d / (b c)``, and ``alternative`` is ``"two-sided"``, ``"larger"`` (true odds ratio > 1; scipy
    ``"greater"``) or ``"smaller"`` (scipy ``"less"``).

    Larger tables (Freeman-Halton) as R's ``fisher.test``: the p-value sums the probabilities, given both
    margins, of every table at most as probable as the observed one (relative tolerance 1e-7), enumerated
    exactly by the network algorithm; only ``"two-sided"`` exists. ``max_work`` caps the enumeration
    (roughly 2e7 steps a second); a table needing more raises :class:`missionkit.DomainError` (use
    :func:`chi2_contingency` for large tables). See docs/stats.md for the conventions.

    >>> r = fisher_exact([[8, 2], [1, 5]])
    >>> r.odds_ratio, round(r.pvalue, 6)
    (20.0, 0.034965)
    >>> job = [[1, 2, 1, 0], [3, 3, 6, 1], [10, 10, 14, 9], [6, 7, 12, 11]]
    >>> round(fisher_exact(job).pvalue, 4)  # R: fisher.test(Job), p-value = 0.7827
    0.7827
    """
    t = _table("fisher_exact", table)
    if t.shape[0] < 2 or t.shape[1] < 2:
        raise ValueError(f"fisher_exact: table must be at least 2 x 2, got shape {t.shape}")
    d = _s.fisher_exact(t, alternative, float(max_work))
    return FisherExactResult(
        odds_ratio=float(d["odds_ratio"]),
        pvalue=float(d["pvalue"]),
        alternative=alternative,
        table_probability=float(d["table_probability"]),
        shape=(int(t.shape[0]), int(t.shape[1])),
    )


def mann_whitney_u(
    x: ArrayLike,
    y: ArrayLike,
    alternative: str = "two-sided",
    method: str = "auto",
    use_continuity: bool = True,
) -> MannWhitneyResult:
    """Mann-Whitney U test that values of ``x`` and ``y`` come from the same distribution, as
    scipy.stats.mannwhitneyu. ``"larger"`` (scipy ``"greater"``): x tends to be larger.

    ``method``: ``"auto"`` (scipy's rule: exact when either sample has at most 8 values and there are no
    ties, else asymptotic), ``"exact"`` or ``"asymptotic"`` (normal approximation with tie correction and,
    if ``use_continuity``, continuity correction).

    >>> r = mann_whitney_u([1.1, 2.3, 0.4, 3.8, 2.9], [0.2, 1.7, 0.9, 0.5, 1.2, 0.8])
    >>> r.statistic, round(r.pvalue, 4), r.method
    (23.0, 0.1775, 'exact')
    """
    a = data_array("mann_whitney_u", "x", x)
    b = data_array("mann_whitney_u", "y", y)
    d = _s.mann_whitney_u(a, b, alternative, method, bool(use_continuity))
    return MannWhitneyResult(
        statistic=float(d["statistic"]),
        pvalue=float(d["pvalue"]),
        method=str(d["method"]),
        alternative=alternative,
    )


def quantile_ci(data: ArrayLike, q: float, alpha: float = 0.05, alternative: str = "two-sided") -> QuantileCI:
    """Distribution-free confidence interval for the ``q``-quantile from the order statistics of ``data``,
    as scipy.stats.quantile_test(data, p=q, alternative=...).confidence_interval(1 - alpha).

    With B ~ Binomial(n, q): the lower end is x_(k), k = binom.ppf(a, n, q); the upper end x_(k + 1),
    k = binom.isf(a, n, q); a = alpha / 2 (two-sided) or alpha. A bound the sample is too small to give at
    that level is NaN (as scipy). ``"larger"`` gives ``[low, inf)``, ``"smaller"`` ``(-inf, high]``.

    >>> tuple(quantile_ci([4.0, 1.0, 3.0, 5.0, 2.0, 6.5, 0.5, 7.0, 8.0, 9.0], 0.5, alpha=0.1))
    (1.0, 8.0)
    """
    a = data_array("quantile_ci", "data", data)
    d = _s.quantile_ci(a, float(q), float(alpha), alternative)
    low, high = float(d["low"]), float(d["high"])
    return QuantileCI(
        low=low,
        high=high,
        low_rank=int(d["low_rank"]) or None,
        high_rank=int(d["high_rank"]) or None,
        q=float(q),
        alpha=float(alpha),
        alternative=alternative,
    )
