"""mk.experiment.Verdict: decisions checked against statuses recomputed here from scipy / statsmodels
numbers (Welch p-values, Holm adjustment), the plan hash check, JSON round trip and the plain summary."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from missionkit import experiment as ex

EXPECTED_EFFECT_KEYS = [
    "metric", "version", "role", "arm", "estimate", "ci_low", "ci_high", "relative", "relative_ci_low",
    "relative_ci_high", "pvalue", "pvalue_adjusted", "direction", "status",
]  # fmt: skip
EXPECTED_VERDICT_KEYS = [
    "experiment", "design", "decision", "effects", "srm", "criterion", "criterion_met", "notes",
]  # fmt: skip


def data(effect: float, aht_shift: float = 0.0, n: int = 3000, seed: int = 4) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    arm = np.repeat(["control", "treatment"], n)
    t = arm == "treatment"
    return {
        "arm": arm,
        "repeat": rng.normal(1.0, 0.5, 2 * n) - effect * t,  # lower is better
        "csat": rng.normal(4.0, 1.0, 2 * n),
        "aht": rng.normal(300, 30, 2 * n) + aht_shift * t,
    }


GUARD = ex.Metric("aht", kind="mean", direction="decrease", guardrail=True, margin=0.03, relative=True)
METRICS = [ex.Metric("repeat", kind="mean", direction="decrease"), ex.Metric("csat", kind="mean"), GUARD]


def oracle_status(d: dict[str, np.ndarray], metric: str, others: list[str], direction: str) -> str:
    """Status from scipy's Welch p-value, Holm-adjusted (statsmodels) over the non-guardrail metrics."""
    t, c = d["arm"] == "treatment", d["arm"] == "control"
    ps = [stats.ttest_ind(d[m][t], d[m][c], equal_var=False).pvalue for m in [metric, *others]]
    p = multipletests(ps, method="holm")[1][0]
    est = d[metric][t].mean() - d[metric][c].mean()
    if p >= 0.05:
        return "no detectable change"
    return "better" if (est > 0) == (direction == "increase") else "worse"


CASES = [(0.1, 0.0, "success"), (-0.1, 0.0, "failure"), (0.0, 0.0, "inconclusive"), (0.1, 30.0, "failure")]


@pytest.mark.parametrize(("effect", "shift", "decision"), CASES)
def test_decision_from_ab_test(effect: float, shift: float, decision: str) -> None:
    d = data(effect, shift)
    v = ex.ab_test(d, metrics=METRICS).verdict_object("repeat-contacts")
    assert v.decision == decision
    assert v.design == "ab_test" and v.criterion is None and v.criterion_met is None
    eff = {e.metric: e for e in v.effects}
    assert (
        eff["repeat"].role == "primary" and eff["csat"].role == "secondary" and eff["aht"].role == "guardrail"
    )
    assert eff["repeat"].status == oracle_status(d, "repeat", ["csat"], "decrease")
    assert eff["csat"].status == oracle_status(d, "csat", ["repeat"], "increase")
    assert eff["aht"].status == ("fail" if shift else "pass")
    t, c = d["arm"] == "treatment", d["arm"] == "control"
    w = stats.ttest_ind(d["repeat"][t], d["repeat"][c], equal_var=False)
    assert eff["repeat"].pvalue == pytest.approx(w.pvalue, rel=1e-9)
    assert (eff["repeat"].ci_low, eff["repeat"].ci_high) == pytest.approx(w.confidence_interval(), rel=1e-9)
    assert eff["repeat"].relative == pytest.approx(
        d["repeat"][t].mean() / d["repeat"][c].mean() - 1, rel=1e-9
    )
    assert v.srm is not None and v.srm["ok"]


def test_srm_blocks_and_to_dict_is_json() -> None:
    d = data(0.1)
    keep = np.r_[np.arange(3000), np.arange(3000, 5600)]
    v = ex.verdict(ex.ab_test({k: x[keep] for k, x in d.items()}, metrics=METRICS), experiment="x")
    assert v.decision == "blocked" and v.srm is not None and not v.srm["ok"]
    out = v.to_dict()
    assert list(out) == EXPECTED_VERDICT_KEYS == [f.name for f in dataclasses.fields(ex.Verdict)]
    assert list(out["effects"][0]) == EXPECTED_EFFECT_KEYS == [f.name for f in dataclasses.fields(ex.Effect)]
    assert json.loads(json.dumps(out, allow_nan=False)) == out
    assert "NOT split between the arms as designed" in v.summary()
    assert "BLOCKED" in v._repr_html_()
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.decision = "success"  # type: ignore[misc]


def test_plan_alpha_primary_guardrails_and_hash() -> None:
    d = data(0.1)
    r = ex.ab_test(
        d,
        metrics=[
            ex.Metric("csat", kind="mean"),
            *METRICS[:1],
            ex.Metric("aht", kind="mean", direction="decrease"),
        ],
    )
    plan = ex.AnalysisPlan(
        "repeat contacts fall", "repeat", "v2", guardrails=("aht",), alpha=0.05, sample_size=3000
    )
    v = ex.verdict(r, experiment="exp-1", plan=plan, registered=plan.plan_hash)
    eff = {e.metric: e for e in v.effects}
    assert eff["repeat"].role == "primary" and eff["repeat"].version == "v2"
    assert eff["aht"].role == "guardrail" and eff["aht"].status == "inconclusive"  # margin 0, no real change
    assert v.criterion == "primary repeat decreases (adjusted p < 0.05) and no guardrail fails"
    assert v.decision == "success" and v.criterion_met is True
    assert any("Analysed as registered" in n for n in v.notes)
    # a changed plan without an override blocks; with one, the deviation is recorded
    changed = dataclasses.replace(plan, alpha=0.01)
    blocked = ex.verdict(r, plan=changed, registered=plan)
    assert blocked.decision == "blocked" and blocked.criterion_met is None
    assert any("changed: alpha 0.05 -> 0.01" in n for n in blocked.notes)
    over = ex.verdict(r, plan=changed, registered=plan, override_reason="finance asked for 1%")
    assert over.decision in ("success", "inconclusive") and any(
        "finance asked for 1%" in n for n in over.notes
    )
    # the plan's alpha decides significance: p between 0.01 and 0.05 is a success at 0.05 only
    p = eff["repeat"].pvalue_adjusted
    assert p is not None
    assert (over.decision == "success") == (p < 0.01)
    with pytest.raises(ValueError, match="plan names metric"):
        ex.verdict(r, plan=dataclasses.replace(plan, primary_metric="nps"))
    with pytest.raises(ValueError, match="is not in the result"):
        ex.verdict(r, primary="nps")


def test_from_estimate_single_effect_designs() -> None:
    v = ex.Verdict.from_estimate(
        "wedge", "stepped_wedge", "fcr", "v1", 0.04, 0.01, 0.07, 0.008, "increase", baseline=0.5
    )
    (e,) = v.effects
    assert v.decision == "success" and v.criterion_met and v.srm is None
    assert (e.relative, e.relative_ci_low, e.relative_ci_high) == pytest.approx((0.08, 0.02, 0.14))
    assert e.status == "better" and e.pvalue_adjusted is None
    s = v.summary()
    assert "increased fcr by 0.04 (+8.0%), likely between 0.01 and 0.07" in s and "SUCCESS" in s
    assert 2 <= s.count(". ") + 1 <= 6
    worse = ex.Verdict.from_estimate("d", "did", "aht", None, 12.0, 3.0, 21.0, 0.01, "decrease")
    assert worse.decision == "failure" and worse.effects[0].status == "worse"
    flat = ex.Verdict.from_estimate(
        "i", "its", "nps", None, 0.5, -1.0, 2.0, 0.5, "increase", notes=("HAC SEs",)
    )
    assert flat.decision == "inconclusive" and flat.notes == ("HAC SEs",)
    nan = ex.Verdict.from_estimate("i", "its", "nps", None, 0.5, -1.0, 2.0, math.nan, "increase")
    assert nan.to_dict()["effects"][0]["pvalue"] is None
    with pytest.raises(ValueError, match="design"):
        ex.Verdict.from_estimate("x", "rct", "m", None, 1.0, 0.0, 2.0, 0.01, "increase")
    with pytest.raises(ValueError, match="direction"):
        ex.Verdict.from_estimate("x", "did", "m", None, 1.0, 0.0, 2.0, 0.01, "up")
    with pytest.raises(ValueError, match="baseline"):
        ex.Verdict.from_estimate("x", "did", "m", None, 1.0, 0.0, 2.0, 0.01, "increase", baseline=0.0)
