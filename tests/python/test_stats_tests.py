"""Contingency tables and rank tests against live scipy (chi2_contingency, fisher_exact, mannwhitneyu,
quantile_test(...).confidence_interval())."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import missionkit as mk
from missionkit import stats as st

SCIPY_ALT = {"two-sided": "two-sided", "larger": "greater", "smaller": "less"}


def tables() -> list[list[list[float]]]:
    rng = np.random.default_rng(20261125)
    out: list[list[list[float]]] = [
        [[12, 5], [7, 15]],
        [[10, 10], [10, 11]],
        [[12.5, 3.25], [4.75, 9.0]],
        [[120000, 80000], [118500, 81500]],
        [[10, 20, 30], [15, 25, 5]],
    ]
    for shape in [(2, 2), (2, 4), (3, 3), (4, 5)]:
        out.append((rng.integers(1, 60, size=shape)).astype(float).tolist())
    return out


@pytest.mark.parametrize("correction", [True, False])
def test_chi2_contingency_matches_scipy(correction: bool) -> None:
    for t in tables():
        got = st.chi2_contingency(t, correction=correction)
        want = stats.chi2_contingency(t, correction=correction)
        np.testing.assert_allclose(
            [got.statistic, got.pvalue, got.df], [want.statistic, want.pvalue, want.dof], rtol=1e-10
        )
        np.testing.assert_allclose(got.expected, want.expected_freq, rtol=1e-14)
        assert got.corrected == (correction and np.shape(t) == (2, 2))
        statistic, pvalue = got
        assert (statistic, pvalue) == (got.statistic, got.pvalue)


def test_chi2_contingency_errors() -> None:
    with pytest.raises(mk.DomainError, match=r"table\[1\]\[0\] must be >= 0, got -1"):
        st.chi2_contingency([[1, 2], [-1, 3]])
    with pytest.raises(mk.DomainError, match=r"table\[0\]\[1\] is nan"):
        st.chi2_contingency([[1, math.nan], [2, 3]])
    with pytest.raises(mk.DomainError, match="column 0 sums to zero"):
        st.chi2_contingency([[0, 2], [0, 3]])
    with pytest.raises(mk.DomainError, match="row 1 sums to zero"):
        st.chi2_contingency([[4, 2, 1], [0, 0, 0]])
    with pytest.raises(mk.DomainError, match="at least 2 x 2, got 1 x 3"):
        st.chi2_contingency([[1, 2, 3]])
    with pytest.raises(ValueError, match="table must be 2-D"):
        st.chi2_contingency([1, 2, 3, 4])


FISHER_TABLES = [
    [[8, 2], [1, 5]],
    [[3, 1], [1, 3]],
    [[5, 5], [5, 5]],
    [[10, 3], [2, 15]],
    [[0, 10], [3, 7]],
    [[4, 0], [2, 6]],
    [[0, 5], [5, 0]],
    [[1200, 800], [1150, 850]],
    [[100000, 100100], [100200, 99900]],
    [[0, 0], [3, 4]],
    [[1, 9], [11, 3]],
    [[7, 12], [12, 7]],
]


@pytest.mark.parametrize("alt", list(SCIPY_ALT))
def test_fisher_exact_matches_scipy(alt: str) -> None:
    rng = np.random.default_rng(7)
    random_tables = rng.integers(0, 25, size=(40, 2, 2)).tolist()
    for t in FISHER_TABLES + random_tables:
        got = st.fisher_exact(t, alternative=alt)
        want = stats.fisher_exact(t, alternative=SCIPY_ALT[alt])
        np.testing.assert_allclose(got.odds_ratio, want.statistic, rtol=1e-15, err_msg=str(t))
        np.testing.assert_allclose(got.pvalue, want.pvalue, rtol=1e-9, atol=1e-300, err_msg=str(t))
        assert got.statistic is got.odds_ratio


def test_fisher_exact_errors() -> None:
    with pytest.raises(mk.DomainError, match="c must be >= 0, got c=-1"):
        st.fisher_exact([[1, 2], [-1, 3]])
    with pytest.raises(mk.DomainError, match="b must be a whole number"):
        st.fisher_exact([[1, 2.5], [1, 3]])
    with pytest.raises(mk.DomainError, match="alternative must be one of"):
        st.fisher_exact([[1, 2], [1, 3]], alternative="up")


def samples() -> list[tuple[list[float], list[float]]]:
    rng = np.random.default_rng(20261125)
    out = [
        ([1.1, 2.3, 0.4, 3.8, 2.9], [0.2, 1.7, 0.9, 0.5, 1.2, 0.8]),
        ([1, 2, 2, 3, 4], [2, 3, 3, 5, 1, 1]),
    ]
    for n1, n2, shift in [(3, 4, 0.5), (8, 8, 1.0), (8, 30, 0.3), (12, 15, 0.6), (40, 35, 0.2)]:
        out.append((rng.normal(size=n1).tolist(), rng.normal(loc=shift, size=n2).tolist()))
    out.append((rng.integers(0, 5, size=25).tolist(), rng.integers(1, 6, size=30).tolist()))  # many ties
    return out


@pytest.mark.parametrize("alt", list(SCIPY_ALT))
@pytest.mark.parametrize("method", ["auto", "exact", "asymptotic"])
@pytest.mark.parametrize("use_continuity", [True, False])
def test_mann_whitney_u_matches_scipy(alt: str, method: str, use_continuity: bool) -> None:
    for x, y in samples():
        got = st.mann_whitney_u(x, y, alternative=alt, method=method, use_continuity=use_continuity)
        want = stats.mannwhitneyu(
            x, y, use_continuity=use_continuity, alternative=SCIPY_ALT[alt], method=method
        )
        assert got.statistic == want.statistic
        np.testing.assert_allclose(got.pvalue, want.pvalue, rtol=1e-10, atol=1e-300)
        assert got.method in ("exact", "asymptotic")


def test_mann_whitney_u_errors() -> None:
    with pytest.raises(mk.DomainError, match=r"y\[1\] is nan"):
        st.mann_whitney_u([1, 2], [3, math.nan])
    with pytest.raises(mk.DomainError, match="x is empty"):
        st.mann_whitney_u([], [1, 2])
    with pytest.raises(mk.DomainError, match="method must be one of 'auto', 'exact', 'asymptotic'"):
        st.mann_whitney_u([1, 2], [3, 4], method="permutation")
    with pytest.raises(ValueError, match="x must be 1-D"):
        st.mann_whitney_u([[1, 2]], [3, 4])


@pytest.mark.parametrize("alt", list(SCIPY_ALT))
def test_quantile_ci_matches_scipy(alt: str) -> None:
    rng = np.random.default_rng(11)
    datasets = [rng.normal(size=n) for n in (5, 9, 30, 101, 400)] + [rng.integers(0, 4, size=50)]
    for data in datasets:
        for q in (0.05, 0.25, 0.5, 0.9, 0.99):
            for alpha in (0.01, 0.05, 0.2):
                got = st.quantile_ci(data, q, alpha=alpha, alternative=alt)
                want = stats.quantile_test(data, q=0, p=q, alternative=SCIPY_ALT[alt]).confidence_interval(
                    1 - alpha
                )
                where = f"n={len(data)} q={q} alpha={alpha}"
                np.testing.assert_array_equal([got.low, got.high], [want.low, want.high], err_msg=where)
                xs = np.sort(data)
                if got.low_rank is not None:
                    assert xs[got.low_rank - 1] == got.low
                if got.high_rank is not None:
                    assert xs[got.high_rank - 1] == got.high


def test_quantile_ci_errors() -> None:
    with pytest.raises(mk.DomainError, match=r"q must be in \(0, 1\), got q=1.5"):
        st.quantile_ci([1, 2, 3], 1.5)
    with pytest.raises(mk.DomainError, match=r"data\[2\] is nan"):
        st.quantile_ci([1, 2, math.nan], 0.5)
    with pytest.raises(mk.DomainError, match="alpha must be in"):
        st.quantile_ci([1, 2, 3], 0.5, alpha=1.0)


def test_results_print_and_serialise() -> None:
    chi = st.chi2_contingency([[12, 5], [7, 15]])
    assert repr(chi).startswith("Chi2ContingencyResult(statistic=4.322, pvalue=0.03762, df=1")
    assert chi.to_dict()["expected"][0][0] == pytest.approx(8.282051282051283)
    assert "<table" in chi._repr_html_()
    fe = st.fisher_exact([[8, 2], [1, 5]])
    assert repr(fe) == "FisherExactResult(odds_ratio=20, pvalue=0.03497, alternative='two-sided')"
    assert fe.to_dict()["odds_ratio"] == 20.0
    mw = st.mann_whitney_u([1.1, 2.3, 0.4, 3.8, 2.9], [0.2, 1.7, 0.9, 0.5, 1.2, 0.8])
    assert (
        repr(mw) == "MannWhitneyResult(statistic=23, pvalue=0.1775, method='exact', alternative='two-sided')"
    )
    assert mw.to_dict()["method"] == "exact"
    qc = st.quantile_ci([4.0, 1.0, 3.0, 5.0, 2.0], 0.5)
    assert math.isnan(qc.low) and qc.low_rank is None
    assert "QuantileCI(q=0.5, ci95=(nan, nan)" in repr(qc)
    lo, hi = st.quantile_ci(range(1, 11), 0.5, alpha=0.1)
    assert (lo, hi) == (2.0, 9.0)  # stats.quantile_test(np.arange(1, 11), p=0.5).confidence_interval(0.9)
    assert "<table" in qc._repr_html_() and "<table" in mw._repr_html_() and "<table" in fe._repr_html_()


# ---- Fisher's exact test for r x c tables -----------------------------------------------------------


def _tables_with_margins(rows: list[int], cols: list[int]) -> list[np.ndarray]:
    """Every non-negative integer table with these margins, by nested loops over the rows."""

    def compositions(total: int, caps: list[int]) -> list[list[int]]:
        if len(caps) == 1:
            return [[total]] if total <= caps[0] else []
        return [
            [v, *rest] for v in range(min(total, caps[0]) + 1) for rest in compositions(total - v, caps[1:])
        ]

    def fill(i: int, caps: list[int]) -> list[list[list[int]]]:
        if i == len(rows) - 1:
            return [[caps]]
        return [
            [row, *rest]
            for row in compositions(rows[i], caps)
            for rest in fill(i + 1, [c - v for c, v in zip(caps, row)])
        ]

    return [np.array(t) for t in fill(0, list(cols))]


def _brute_force_fisher(table: list[list[int]]) -> tuple[float, float]:
    """Independent oracle: scipy.stats.random_table's pmf over every table with the observed margins,
    summed over those at most as probable as the observed one (R's relative tolerance 1e-7)."""
    t = np.asarray(table)
    dist = stats.random_table(t.sum(1), t.sum(0))
    p_obs = float(dist.pmf(t))
    ps = np.array([dist.pmf(x) for x in _tables_with_margins(t.sum(1).tolist(), t.sum(0).tolist())])
    return float(ps[ps <= p_obs * (1 + 1e-7)].sum()), p_obs


def fisher_rxc_tables() -> list[list[list[int]]]:
    rng = np.random.default_rng(31)
    out = [
        [[3, 1, 4], [1, 5, 9]],
        [[2, 0, 3], [1, 4, 0], [0, 2, 2]],
        [[5, 0, 1], [0, 4, 2]],
        [[1, 1], [2, 0], [0, 3]],
        [[4, 2, 0, 1], [0, 1, 5, 2]],
        [[2, 2, 2], [2, 2, 2]],  # many tables exactly as probable as the observed one
    ]
    for shape in [(2, 3), (3, 3), (2, 5), (4, 2)]:
        out.append(rng.integers(0, 4, size=shape).tolist())
    return out


@pytest.mark.parametrize("table", fisher_rxc_tables())
def test_fisher_rxc_matches_brute_force(table: list[list[int]]) -> None:
    got = st.fisher_exact(table)
    want_p, want_prob = _brute_force_fisher(table)
    np.testing.assert_allclose(got.pvalue, min(1.0, want_p), rtol=1e-10)
    np.testing.assert_allclose(got.table_probability, want_prob, rtol=1e-10)
    np.testing.assert_allclose(st.fisher_exact(np.transpose(table)).pvalue, got.pvalue, rtol=1e-12)
    assert got.statistic == got.table_probability and math.isnan(got.odds_ratio)


def test_fisher_rxc_matches_r() -> None:
    # R, ?fisher.test: Job <- matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4); fisher.test(Job)
    # prints p-value = 0.7827 (Agresti 2002, p. 57). Rows/columns as in R (column-major fill).
    job = np.array([1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11]).reshape(4, 4).T
    assert st.fisher_exact(job).pvalue == pytest.approx(0.7827, abs=5e-5)


def test_fisher_rxc_result_and_errors() -> None:
    r = st.fisher_exact([[3, 1, 4], [1, 5, 9]])
    assert r.shape == (2, 3)
    assert repr(r) == "FisherExactResult(shape=(2, 3), table_probability=0.035, pvalue=0.2411)"
    assert r.to_dict()["shape"] == [2, 3]
    two = st.fisher_exact([[8, 2], [1, 5]])
    assert two.table_probability == pytest.approx(stats.hypergeom(16, 10, 9).pmf(8), rel=1e-13)
    with pytest.raises(
        mk.DomainError, match="only alternative='two-sided' exists for tables other than 2 x 2"
    ):
        st.fisher_exact([[1, 2, 3], [4, 5, 6]], alternative="larger")
    with pytest.raises(ValueError, match=r"table must be at least 2 x 2, got shape \(1, 3\)"):
        st.fisher_exact([[1, 2, 3]])
    with pytest.raises(mk.DomainError, match=r"table\[1\]\[2\] must be a whole number"):
        st.fisher_exact([[1, 2, 3], [4, 5, 6.5]])
    big = [[20, 15, 12, 8, 5], [10, 14, 18, 22, 9], [7, 11, 13, 16, 20]]
    with pytest.raises(mk.DomainError, match="needs more than max_work=1e\\+05 steps"):
        st.fisher_exact(big, max_work=1e5)
