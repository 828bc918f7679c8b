"""The batched A/B paths (one C++ sweep for many metrics) against the one-call-per-metric path, which
tests/python/test_experiment.py checks against scipy/statsmodels; and ab_test's arm coding and errors."""

from __future__ import annotations

import numpy as np
import pytest

from missionkit import _core
from missionkit import experiment as ex


def _data(n: int = 50_000, seed: int = 3) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    arm = rng.integers(0, 3, n).astype(np.int32)
    cols = {
        "p32": (rng.random(n) < 0.1 + 0.02 * arm).astype(np.float32),
        "m64": rng.lognormal(1.0, 0.8, n) + 0.1 * arm,
        "m32": rng.standard_normal(n).astype(np.float32),
        "p64": (rng.random(n) < 0.5).astype(np.float64),
        "sessions": (1 + rng.poisson(2, n)).astype(np.float64),
    }
    cols["clicks"] = rng.binomial(cols["sessions"].astype(np.int64) * 3, 0.2).astype(np.float64)
    cols["revenue"] = cols["sessions"] * rng.gamma(2.0, 3.0, n)
    return arm, cols


def _same(a: dict, b: dict) -> None:
    for part in ("arms", "comparisons"):
        for k, v in a[part].items():
            np.testing.assert_array_equal(v, b[part][k], err_msg=f"{part}.{k}")


@pytest.mark.parametrize("codes", [np.int32, np.int8])
def test_batched_metrics_equal_the_per_metric_call_bit_for_bit(codes: type) -> None:
    arm, c = _data()
    a = arm.astype(codes)
    for names, kinds in ((["p32", "m32"], ["proportion", "mean"]), (["m64", "p64"], ["mean", "proportion"])):
        got = _core.experiment_analyze_metrics(kinds, a, 3, 1, [c[n] for n in names], names, 0.05)
        for r, n, k in zip(got, names, kinds):
            _same(r, _core.experiment_analyze_metric(k, a, 3, 1, c[n], None, 0.05, n, 10.0))
    got = _core.experiment_analyze_ratios(
        a, 3, 1, [c["clicks"], c["revenue"]], c["sessions"], ["clicks", "revenue"], 0.05, 10.0
    )
    for r, n in zip(got, ["clicks", "revenue"]):
        _same(r, _core.experiment_analyze_metric("ratio", a, 3, 1, c[n], c["sessions"], 0.05, n, 10.0))


def test_ab_test_errors_name_the_metric_and_row() -> None:
    arm, c = _data(5000)
    c["m32"] = c["m32"].copy()
    c["m32"][1234] = np.nan
    metrics = [ex.Metric("p32", kind="proportion"), ex.Metric("m32", kind="mean")]
    with pytest.raises(ValueError, match=r"metric 'm32': row 1234 is missing \(NaN\)"):
        ex.ab_test({"arm": arm, **c}, metrics=metrics)
    c["p64"] = c["p64"].copy()
    c["p64"][77] = 2.0
    with pytest.raises(ValueError, match=r"metric 'p64': is a proportion but row 77 is 2"):
        ex.ab_test({"arm": arm, **c}, metrics=[ex.Metric("p64", kind="proportion")])
    c["sessions"] = c["sessions"].copy()
    c["sessions"][9] = np.nan
    with pytest.raises(ValueError, match=r"metric 'clicks'.*denominator"):
        ex.ab_test(
            {"arm": arm, **c},
            metrics=[ex.Metric(n, kind="ratio", denominator="sessions") for n in ("clicks", "revenue")],
        )


@pytest.mark.parametrize("offset", [0, 1, -2])
@pytest.mark.parametrize("k", [2, 4, 13])
def test_arm_codes_and_counts_match_numpy_unique(offset: int, k: int) -> None:
    # small integer codes take an O(n) path (0..k-1 as is; shifted or >= 10 codes, sorted as text)
    rng = np.random.default_rng(k)
    values = rng.integers(0, k, 20_000) + offset
    y = rng.standard_normal(values.size)
    r = ex.ab_test({"arm": values, "y": y}, metrics=[ex.Metric("y", kind="mean")])
    uniq, counts = np.unique(values.astype(str), return_counts=True)
    assert r.arms["arm"][: len(uniq)] == [str(u) for u in uniq]
    np.testing.assert_array_equal(r.arms["n"][: len(uniq)], counts)
    srm = r.srm.to_dict()
    assert srm["arms"] == [str(u) for u in uniq]
    assert srm["counts"] == counts.tolist()
