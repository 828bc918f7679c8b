"""mk.ops: control charts and run rules.

Oracles: published limits (Montgomery, Introduction to Statistical Quality Control: orange-juice cans p
chart, piston rings xbar-R with phase II; Pyzdek's bruised-peaches p chart with variable n), numpy
computations of the same formulas written here from the textbook, scipy quadrature of the joint density
of the sample extremes for d2 / d3 (a different integral from the one the C++ code evaluates), and an
independent window-by-window implementation of the twelve run rules on random sequences.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special

import missionkit as mk
from missionkit import ops

JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9]
JUICE += [12, 7, 13, 9, 6]

# qcc::pistonrings (Montgomery tables 6.3, 6.4): 25 phase I subgroups of 5, then 15 phase II subgroups.
PISTON = np.array(
    [
        [74.030, 74.002, 74.019, 73.992, 74.008],
        [73.995, 73.992, 74.001, 74.011, 74.004],
        [73.988, 74.024, 74.021, 74.005, 74.002],
        [74.002, 73.996, 73.993, 74.015, 74.009],
        [73.992, 74.007, 74.015, 73.989, 74.014],
        [74.009, 73.994, 73.997, 73.985, 73.993],
        [73.995, 74.006, 73.994, 74.000, 74.005],
        [73.985, 74.003, 73.993, 74.015, 73.988],
        [74.008, 73.995, 74.009, 74.005, 74.004],
        [73.998, 74.000, 73.990, 74.007, 73.995],
        [73.994, 73.998, 73.994, 73.995, 73.990],
        [74.004, 74.000, 74.007, 74.000, 73.996],
        [73.983, 74.002, 73.998, 73.997, 74.012],
        [74.006, 73.967, 73.994, 74.000, 73.984],
        [74.012, 74.014, 73.998, 73.999, 74.007],
        [74.000, 73.984, 74.005, 73.998, 73.996],
        [73.994, 74.012, 73.986, 74.005, 74.007],
        [74.006, 74.010, 74.018, 74.003, 74.000],
        [73.984, 74.002, 74.003, 74.005, 73.997],
        [74.000, 74.010, 74.013, 74.020, 74.003],
        [73.988, 74.001, 74.009, 74.005, 73.996],
        [74.004, 73.999, 73.990, 74.006, 74.009],
        [74.010, 73.989, 73.990, 74.009, 74.014],
        [74.015, 74.008, 73.993, 74.000, 74.010],
        [73.982, 73.984, 73.995, 74.017, 74.013],
        [74.012, 74.015, 74.030, 73.986, 74.000],
        [73.995, 74.010, 73.990, 74.015, 74.001],
        [73.987, 73.999, 73.985, 74.000, 73.990],
        [74.008, 74.010, 74.003, 73.991, 74.006],
        [74.003, 74.000, 74.001, 73.986, 73.997],
        [73.994, 74.003, 74.015, 74.020, 74.004],
        [74.008, 74.002, 74.018, 73.995, 74.005],
        [74.001, 74.004, 73.990, 73.996, 73.998],
        [74.015, 74.000, 74.016, 74.025, 74.000],
        [74.030, 74.005, 74.000, 74.016, 74.012],
        [74.001, 73.990, 73.995, 74.010, 74.024],
        [74.015, 74.020, 74.024, 74.005, 74.019],
        [74.035, 74.010, 74.012, 74.015, 74.026],
        [74.017, 74.013, 74.036, 74.025, 74.026],
        [74.010, 74.005, 74.029, 74.000, 74.020],
    ]
)


# --- independent reference implementation of the rules (window by window, from the rule texts) ---


def _k_of_m(z: list[float], i: int, k: int, m: int, t: float) -> bool:
    window = z[max(0, i - m + 1) : i + 1]
    return any(s * z[i] > t and sum(s * v > t for v in window) >= k for s in (1, -1))


def _all_in_window(z: list[float], i: int, length: int, pred: object) -> bool:
    if i < length - 1:
        return False
    return all(pred(v) for v in z[i - length + 1 : i + 1])  # type: ignore[operator]


def _fires(rule: str, z: list[float], i: int, limit: float) -> bool:
    if rule in ("we1", "nelson1"):
        return abs(z[i]) > limit
    if rule in ("we2", "nelson5"):
        return _k_of_m(z, i, 2, 3, 2.0)
    if rule in ("we3", "nelson6"):
        return _k_of_m(z, i, 4, 5, 1.0)
    if rule in ("we4", "nelson2"):
        length = 8 if rule == "we4" else 9
        return _all_in_window(z, i, length, lambda v: v > 0) or _all_in_window(z, i, length, lambda v: v < 0)
    if rule == "nelson3":
        if i < 5:
            return False
        w = z[i - 5 : i + 1]
        d = [b - a for a, b in zip(w, w[1:])]
        return all(x > 0 for x in d) or all(x < 0 for x in d)
    if rule == "nelson4":
        if i < 13:
            return False
        w = z[i - 13 : i + 1]
        d = [b - a for a, b in zip(w, w[1:])]
        return all(x != 0 for x in d) and all(a * b < 0 for a, b in zip(d, d[1:]))
    if rule == "nelson7":
        return _all_in_window(z, i, 15, lambda v: abs(v) < 1)
    if rule == "nelson8":
        return _all_in_window(z, i, 8, lambda v: abs(v) > 1)
    raise AssertionError(rule)


def reference_rules(z: list[float], rules: list[str], limit: float = 3.0) -> list[tuple[int, str]]:
    return [(i, r) for i in range(len(z)) for r in rules if _fires(r, z, i, limit)]


def _random_sequence(rng: np.random.Generator) -> np.ndarray:
    """Noise with planted shifts, trends, zig-zags and quiet stretches, so that every rule fires somewhere."""
    parts = []
    for _ in range(rng.integers(4, 9)):
        k = int(rng.integers(5, 30))
        kind = rng.integers(0, 5)
        if kind == 0:
            parts.append(rng.normal(0, 1, k))
        elif kind == 1:
            parts.append(rng.normal(rng.choice([-1.5, 1.5]), 1, k))
        elif kind == 2:
            parts.append(np.linspace(-2, 2, k) * rng.choice([-1, 1]) + rng.normal(0, 0.05, k))
        elif kind == 3:
            parts.append(np.where(np.arange(k) % 2 == 0, 1, -1) * rng.uniform(0.2, 1.6, k))
        else:
            parts.append(rng.normal(0, 0.3, k))
    z = np.concatenate(parts)
    if rng.random() < 0.3:
        z = np.round(z, 1)  # ties and exact zeros: points on the centre line, flat steps
    return z


def test_rules_match_an_independent_implementation_on_random_sequences() -> None:
    rng = np.random.default_rng(20261125)
    all_rules = list(ops.RULES)
    fired: set[str] = set()
    for _ in range(300):
        z = _random_sequence(rng)
        got = [(s["index"], s["rule"]) for s in ops.run_rules(z, all_rules)]
        want = reference_rules(z.tolist(), all_rules)
        assert got == want
        fired |= {r for _, r in got}
        limit = float(rng.uniform(2.0, 3.5))
        got1 = [(s["index"], s["rule"]) for s in ops.run_rules(z, "nelson", limit=limit)]
        assert got1 == reference_rules(z.tolist(), list(ops.RULE_SETS["nelson"]), limit)
    assert fired == set(all_rules)  # the sample exercised every rule


def test_rule_sets_and_descriptions() -> None:
    assert ops.RULE_SETS["western_electric"] == ("we1", "we2", "we3", "we4")
    assert ops.RULE_SETS["nelson"] == tuple(f"nelson{i}" for i in range(1, 9))
    assert ops.RULES["nelson1"] == "1 point beyond 3 sigma"
    assert ops.RULES["nelson2"] == "9 points in a row on one side of the centre line"
    assert ops.RULES["nelson3"] == "6 points in a row steadily increasing or decreasing"
    assert ops.RULES["we4"] == "8 points in a row on one side of the centre line"
    s = ops.run_rules([0.1, 2.5, 2.1, 0.0], ["we2"])
    assert s == [{"index": 2, "rule": "we2", "description": ops.RULES["we2"]}]
    with pytest.raises(ValueError, match="unknown rule"):
        ops.run_rules([0.0], ["we5"])
    with pytest.raises(mk.DataError, match=r"z\[1\]"):
        ops.run_rules([0.0, float("nan")])


# --- constants ---


def _extremes_moments(n: int) -> tuple[float, float]:
    """E[R] and E[R^2] from the joint density of (min, max) of n N(0,1) draws:
    n (n-1) phi(x) phi(y) (Phi(y) - Phi(x))^(n-2) on x < y."""

    c = n * (n - 1) / (2 * math.pi)
    ndtr = special.ndtr

    def dens(y: float, x: float) -> float:  # plain floats: scipy.stats' per-call overhead is 50x
        return c * math.exp(-0.5 * (x * x + y * y)) * float(ndtr(y) - ndtr(x)) ** (n - 2)

    m1 = integrate.dblquad(lambda y, x: (y - x) * dens(y, x), -9, 9, lambda x: x, 9, epsabs=1e-11)[0]
    m2 = integrate.dblquad(lambda y, x: (y - x) ** 2 * dens(y, x), -9, 9, lambda x: x, 9, epsabs=1e-11)[0]
    return m1, m2


@pytest.mark.parametrize("n", [3, 5, 8])
def test_constants_against_scipy(n: int) -> None:
    c = ops.constants(n)
    m1, m2 = _extremes_moments(n)
    assert c["d2"] == pytest.approx(m1, rel=1e-8)
    assert c["d3"] == pytest.approx(math.sqrt(m2 - m1 * m1), rel=1e-7)
    c4 = math.sqrt(2 / (n - 1)) * special.gamma(n / 2) / special.gamma((n - 1) / 2)
    assert c["c4"] == pytest.approx(c4, rel=1e-13)
    assert c["A2"] == pytest.approx(3 / (m1 * math.sqrt(n)), rel=1e-8)
    assert c["A3"] == pytest.approx(3 / (c4 * math.sqrt(n)), rel=1e-12)


# --- charts ---


def test_orange_juice_p_chart_published_limits() -> None:
    cc = ops.control_chart(JUICE, chart="p", n=50)
    assert cc.center == pytest.approx(0.2313, abs=5e-5)
    assert cc.ucl[0] == pytest.approx(0.4102, abs=5e-5)
    assert cc.lcl[0] == pytest.approx(0.0524, abs=5e-5)
    assert [s["label"] for s in cc.signals if s["rule"] == "we1"] == [14, 22]  # samples 15 and 23
    assert not cc.in_control


def test_p_chart_variable_n_against_numpy() -> None:
    d = np.array(
        [47, 42, 55, 51, 46, 61, 39, 44, 41, 51, 88, 101, 101, 40, 48, 47, 50, 48, 57, 45, 43, 105, 98]
    )
    d = np.append(d, [100, 96])
    n = np.where(np.isin(np.arange(25), [10, 11, 12, 21, 22, 23, 24]), 500.0, 250.0)
    cc = ops.control_chart(d, chart="p", n=n, rules="nelson")
    pbar = d.sum() / n.sum()
    assert pbar == 0.193  # Pyzdek table 9.6: 1544 bruised of 8000
    se = np.sqrt(pbar * (1 - pbar) / n)
    np.testing.assert_allclose(cc.ucl, pbar + 3 * se, rtol=1e-13)
    np.testing.assert_allclose(cc.lcl, pbar - 3 * se, rtol=1e-13)
    z = (d / n - pbar) / se
    np.testing.assert_allclose(cc.z, z, rtol=1e-12, atol=1e-12)
    want = reference_rules(z.tolist(), list(ops.RULE_SETS["nelson"]))
    assert [(s["index"], s["rule"]) for s in cc.signals] == want


def test_xbar_charts_phase_two_and_against_numpy() -> None:
    cc = ops.control_chart(PISTON, chart="xbar_r", baseline=25)
    assert cc.baseline == (0, 25)
    r = np.ptp(PISTON, axis=1)
    xbarbar, rbar = PISTON[:25].mean(axis=1).mean(), r[:25].mean()
    assert cc.center == pytest.approx(xbarbar, rel=1e-14)
    assert cc.center == pytest.approx(74.001, abs=5e-4)  # Montgomery: 74.001, limits 73.988 / 74.014
    assert cc.ucl[0] == pytest.approx(74.014, abs=5e-4)
    assert cc.lcl[0] == pytest.approx(73.988, abs=5e-4)
    assert cc.dispersion is not None
    assert cc.dispersion.center == pytest.approx(rbar, rel=1e-12)
    assert [s["index"] for s in cc.signals if s["rule"] == "we1"] == [36, 37, 38]  # samples 37-39
    s = ops.control_chart(PISTON, chart="xbar_s", baseline=(0, 25))
    sd = PISTON.std(axis=1, ddof=1)
    assert s.dispersion is not None
    assert s.dispersion.center == pytest.approx(sd[:25].mean(), rel=1e-12)
    np.testing.assert_allclose(s.dispersion.values, sd, rtol=1e-10)
    c4 = math.sqrt(2 / 4) * special.gamma(2.5) / special.gamma(2)
    assert s.sigma == pytest.approx(sd[:25].mean() / c4, rel=1e-13)


def test_individuals_chart_with_dates_and_label_baseline() -> None:
    x = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306, 294, 299, 297, 299, 314, 295, 293, 306, 301, 304]
    series = pd.Series([*x, 340.0], index=pd.date_range("2026-01-01", periods=len(x) + 1, freq="D"))
    cc = ops.control_chart(series, baseline=("2026-01-01", "2026-01-20"))
    assert cc.baseline == (0, 20)  # labels: both ends included
    mr = np.abs(np.diff(x))
    assert cc.center == pytest.approx(300.5, rel=1e-15)
    assert cc.sigma == pytest.approx(mr.mean() / (2 / math.sqrt(math.pi)), rel=1e-12)
    assert cc.ucl[0] == pytest.approx(321.22, abs=1.5e-2)  # Montgomery example 6.5 (tabled 3/d2 = 2.66)
    assert cc.signals[0]["label"] == pd.Timestamp("2026-01-21")
    d = cc.to_dict()
    assert d["signals"][0]["label"] == "2026-01-21 00:00:00"
    med = ops.control_chart(series, baseline=20, mr="median")
    assert med.sigma == pytest.approx(np.median(mr) / (2 * special.erfinv(0.5)), rel=1e-12)
    # Positional windows for unlabelled values: a slice, stop excluded.
    assert ops.control_chart(x, baseline=(2, 12)).baseline == (2, 12)
    assert ops.control_chart(x, baseline=(2, 12)).center == pytest.approx(np.mean(x[2:12]), rel=1e-15)


def test_c_np_u_charts_against_numpy() -> None:
    c = np.array(
        [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19]
    )
    c = np.append(c, [17, 15])
    cc = ops.control_chart(c, chart="c")
    assert cc.ucl[0] == pytest.approx(c.mean() + 3 * math.sqrt(c.mean()), rel=1e-14)
    assert [s["index"] for s in cc.signals if s["rule"] == "we1"] == [5, 19]  # Montgomery example 7.3
    npc = ops.control_chart(JUICE, chart="np", n=50)
    p = sum(JUICE) / 1500
    assert npc.ucl[0] == pytest.approx(50 * p + 3 * math.sqrt(50 * p * (1 - p)), rel=1e-14)
    units = np.array([10, 8, 13, 10, 9.5, 10, 12, 10.5, 12, 12.5])
    cloth = np.array([14, 12, 20, 11, 7, 10, 21, 16, 19, 23])
    u = ops.control_chart(cloth, chart="u", n=units)
    ubar = cloth.sum() / units.sum()
    np.testing.assert_allclose(u.ucl, ubar + 3 * np.sqrt(ubar / units), rtol=1e-14)
    np.testing.assert_allclose(u.lcl, np.maximum(0, ubar - 3 * np.sqrt(ubar / units)), rtol=1e-14)


def test_to_dict_shape_is_exact_and_json_ready() -> None:
    cc = ops.control_chart(pd.Series(JUICE, index=[f"s{i}" for i in range(30)]), chart="p", n=50)
    d = cc.to_dict()
    assert list(d) == ["chart", "center", "sigma", "baseline", "points", "signals"]
    assert d["chart"] == "p" and d["baseline"] == [0, 30]
    assert list(d["points"][0]) == ["label", "value", "ucl", "lcl", "signals"]
    assert d["points"][14] == {
        "label": "s14",
        "value": 0.44,
        "ucl": pytest.approx(0.4102, abs=5e-5),
        "lcl": pytest.approx(0.0524, abs=5e-5),
        "signals": ["we1"],
    }
    assert d["signals"][0] == {
        "index": 14,
        "label": "s14",
        "rule": "we1",
        "description": "1 point beyond 3 sigma",
    }
    json.dumps(d, allow_nan=False)
    frame = cc.to_frame()
    assert list(frame.columns) == ["value", "center", "lcl", "ucl", "z", "baseline", "signals"]
    assert frame.loc["s22", "signals"] == "we1,we2"  # 20/50, 18/50, 24/50: also 2 of 3 beyond 2 sigma
    html = cc._repr_html_()
    assert html.count("<svg") == 1 and "#d55e00" in html and "s22" in html
    assert "5 signal(s)" in cc.summary() and "s22: we1 - 1 point beyond 3 sigma" in cc.summary()


def test_errors_name_the_argument() -> None:
    with pytest.raises(mk.DataError, match=r"values\[1\]"):
        ops.control_chart([1.0, float("nan"), 2.0])
    with pytest.raises(mk.DataError, match=r"values\[1\] must be a finite count >= 0"):
        ops.control_chart([1, -1, 2], chart="c")
    with pytest.raises(mk.DataError, match=r"n\[1\]"):
        ops.control_chart([1, 1, 2], chart="p", n=[5, 0, 5])
    with pytest.raises(mk.DataError, match="exceeds the sample size"):
        ops.control_chart([1, 6, 2], chart="p", n=5)
    with pytest.raises(ValueError, match="needs n"):
        ops.control_chart([1, 2], chart="u")
    with pytest.raises(ValueError, match="between 2 and"):
        ops.control_chart([1, 2, 3], baseline=1)
    with pytest.raises(mk.DataError, match="at least 2"):
        ops.control_chart([1, 2, 3], baseline=(1, 2))
    with pytest.raises(ValueError, match="chart must be one of"):
        ops.control_chart([1, 2, 3], chart="xbar")
    with pytest.raises(ValueError, match="2-D"):
        ops.control_chart([1, 2, 3], chart="xbar_r")
    with pytest.raises(ValueError, match="not one of the labels"):
        ops.control_chart(pd.Series([1.0, 2.0, 3.0], index=list("abc")), baseline=("a", "z"))
    with pytest.raises(ValueError, match="rules must be"):
        ops.control_chart([1, 2, 3], rules="shewhart")
    with pytest.raises(mk.DataError, match="no variation"):
        ops.control_chart([2, 2, 2])


def test_frames_labels_and_rule_lists() -> None:
    frame = pd.DataFrame(PISTON, index=[f"lot{i}" for i in range(40)])
    cc = ops.control_chart(frame, chart="xbar_r", baseline=("lot0", "lot24"), rules=["we1"])
    assert cc.baseline == (0, 25) and cc.rules == ("we1",)
    assert [s["label"] for s in cc.signals] == ["lot36", "lot37", "lot38"]
    mine = ops.control_chart(JUICE, chart="p", n=pd.Series([50] * 30), labels=[f"d{i}" for i in range(30)])
    assert mine.labels[0] == "d0" and mine.to_dict()["points"][29]["label"] == "d29"
    with pytest.raises(ValueError, match="only used by the p, np and u"):
        ops.control_chart([1.0, 2.0, 4.0], n=5)
    with pytest.raises(ValueError, match="labels has 2 entries for 3 points"):
        ops.control_chart([1.0, 2.0, 4.0], labels=["a", "b"])
