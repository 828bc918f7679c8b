"""Poisson bootstrap of the mean against scipy.stats.bootstrap (to Monte-Carlo error) and closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import missionkit as mk
from missionkit import stats as st


def sample(n: int = 500, seed: int = 20261125) -> np.ndarray:
    return np.random.default_rng(seed).exponential(2.0, size=n)


@pytest.mark.parametrize("method", ["bca", "percentile", "basic"])
def test_agrees_with_scipy(method: str) -> None:
    # scipy resamples multinomially, we use Poisson weights: the intervals agree to Monte-Carlo error.
    # With B = 20,000 an endpoint's MC SD is ~0.5% of the interval width, so 3% is ~4 SD of the difference.
    x = sample()
    b = 20000
    got = st.bootstrap_mean_ci(x, alpha=0.05, method=method, n_resamples=b, seed=1)
    want = stats.bootstrap(
        (x,),
        np.mean,
        n_resamples=b,
        method="BCa" if method == "bca" else method,
        rng=np.random.default_rng(2),
    )
    width = want.confidence_interval.high - want.confidence_interval.low
    assert got.ci[0] == pytest.approx(want.confidence_interval.low, abs=0.03 * width)
    assert got.ci[1] == pytest.approx(want.confidence_interval.high, abs=0.03 * width)
    assert got.standard_error == pytest.approx(want.standard_error, rel=0.03)
    assert got.estimate == pytest.approx(float(np.mean(x)), rel=1e-12)
    assert got.n_resamples == b
    assert got.method == method


def test_acceleration_is_the_exact_jackknife() -> None:
    x = sample(300)
    theta = (x.sum() - x) / (x.size - 1)  # leave-one-out means
    d = theta.mean() - theta
    want = (d**3).sum() / (6 * ((d**2).sum()) ** 1.5)
    got = st.bootstrap_mean_ci(x, n_resamples=100)
    assert got.acceleration == pytest.approx(want, rel=1e-9)


def test_proportion_as_mean_of_zero_one() -> None:
    x = (np.random.default_rng(3).random(2000) < 0.3).astype(np.float64)
    r = st.bootstrap_mean_ci(x, method="percentile", n_resamples=4000, seed=5)
    p = x.mean()
    lo, hi = st.proportion_ci(x.sum(), x.size, method="wald")
    assert r.estimate == pytest.approx(p)
    assert r.ci[0] == pytest.approx(lo, abs=0.05 * (hi - lo))
    assert r.ci[1] == pytest.approx(hi, abs=0.05 * (hi - lo))


def test_deterministic_by_seed_and_thread_count() -> None:
    x = sample(200_001)
    old = mk.threads()
    try:
        mk.set_threads(1)
        one = st.bootstrap_mean_ci(x, n_resamples=200, seed=7)
        mk.set_threads(4)
        four = st.bootstrap_mean_ci(x, n_resamples=200, seed=7)
    finally:
        mk.set_threads(old)
    assert one.ci == four.ci
    assert one.standard_error == four.standard_error
    assert st.bootstrap_mean_ci(x, n_resamples=200, seed=8).ci != one.ci


def test_input_kinds_and_result_object() -> None:
    x = sample(100)
    a = st.bootstrap_mean_ci(x, n_resamples=300, seed=3)
    b = st.bootstrap_mean_ci(list(x), n_resamples=300, seed=3)
    c = st.bootstrap_mean_ci(np.asfortranarray(x[::-1][::-1]), method="BCa", n_resamples=300, seed=3)
    assert a == b == c
    assert "BootstrapResult(bca" in repr(a)
    assert "<table" in a._repr_html_()
    assert a.to_dict()["n_resamples"] == 300
    assert a.confidence_interval == a.ci


def test_errors() -> None:
    x = np.array([1.0, 2.0, np.nan, 4.0])
    with pytest.raises(mk.DomainError, match=r"x\[2\] is nan"):
        st.bootstrap_mean_ci(x)
    with pytest.raises(mk.DomainError, match="n_resamples must be >= 100"):
        st.bootstrap_mean_ci([1.0, 2.0, 3.0], n_resamples=50)
    with pytest.raises(mk.DomainError, match="alpha must be in"):
        st.bootstrap_mean_ci([1.0, 2.0, 3.0], alpha=0.0)
    with pytest.raises(mk.DomainError, match="at least 2 values"):
        st.bootstrap_mean_ci([1.0])
    with pytest.raises(ValueError, match="method must be one of"):
        st.bootstrap_mean_ci([1.0, 2.0], method="studentized")
    with pytest.raises(ValueError, match="seed must be in"):
        st.bootstrap_mean_ci([1.0, 2.0], seed=-1)
    with pytest.raises(ValueError, match="must be 1-D"):
        st.bootstrap_mean_ci(np.ones((3, 2)))
