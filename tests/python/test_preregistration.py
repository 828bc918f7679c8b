"""Pre-registered analysis plans: the hash is SHA-256 of canonical JSON, recomputed here with hashlib and
json independently (and in a separate process), and every field change changes it."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import subprocess
import sys
from typing import Any

import pytest
from conftest import MINIMAL

import missionkit as mk
from missionkit.experiment import AnalysisPlan, register

FIELDS: dict[str, Any] = {
    "hypothesis": "The new card-status SMS raises cards working within 5 days",
    "primary_metric": "card_working",
    "metric_version": "1",
    "guardrails": ("chasing_calls",),
    "mde": 0.02,
    "alpha": 0.05,
    "power": 0.8,
    "stopping_rule": "fixed horizon",
    "metric_kind": "proportion",
    "baseline": 0.6,
}


def plan(**changes: Any) -> AnalysisPlan:
    return AnalysisPlan(**{**FIELDS, **changes})


def expected_hash(p: AnalysisPlan) -> str:
    # Written out by hand, independently of the implementation's field walk.
    content = {
        "format": 1,
        "kind": "analysis_plan",
        "hypothesis": p.hypothesis,
        "primary_metric": p.primary_metric,
        "metric_version": p.metric_version,
        "guardrails": list(p.guardrails),
        "mde": p.mde,
        "alpha": p.alpha,
        "power": p.power,
        "sample_size": p.sample_size,
        "stopping_rule": p.stopping_rule,
        "metric_kind": p.metric_kind,
        "baseline": p.baseline,
        "sd": p.sd,
        "notes": p.notes,
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def test_hash_is_sha256_of_canonical_json() -> None:
    p = plan()
    assert p.plan_hash == expected_hash(p)
    assert p.plan_hash == hashlib.sha256(p.canonical_json().encode()).hexdigest()
    assert '": ' not in p.canonical_json() and ', "' not in p.canonical_json()
    assert plan(alpha=0.05).plan_hash == plan().plan_hash
    assert plan(mde=0.02, baseline=0.6).plan_hash == p.plan_hash


def test_hash_is_stable_across_processes() -> None:
    code = (
        "import json, sys; from missionkit.experiment import AnalysisPlan; "
        "print(AnalysisPlan.from_json(sys.stdin.read()).plan_hash)"
    )
    p = plan()
    out = subprocess.run(
        [sys.executable, "-c", code], input=p.to_json(), capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == p.plan_hash


def test_integers_and_floats_hash_alike() -> None:
    assert (
        plan(sd=2, metric_kind="mean", mde=1).plan_hash == plan(sd=2.0, metric_kind="mean", mde=1.0).plan_hash
    )


@pytest.mark.parametrize(
    "change",
    [
        {"hypothesis": "Something else"},
        {"primary_metric": "other"},
        {"metric_version": "2"},
        {"guardrails": ("chasing_calls", "cost")},
        {"guardrails": ()},
        {"mde": 0.03},
        {"alpha": 0.01},
        {"power": 0.9},
        {"sample_size": 5000},
        {"stopping_rule": "group sequential, 3 looks"},
        {"metric_kind": "mean", "sd": 1.0},
        {"baseline": 0.5},
        {"notes": "x"},
    ],
)
def test_any_field_change_changes_the_hash(change: dict[str, Any]) -> None:
    assert plan(**change).plan_hash != plan().plan_hash


def test_sample_size_from_power() -> None:
    p = plan()
    n = mk.stats.power.proportions_2indep(0.62, 0.6, nobs1=None, alpha=0.05, power=0.8)
    assert p.sample_size == int(-(-n // 1))
    m = plan(metric_kind="mean", baseline=None, sd=10.0, mde=2.0)
    assert m.sample_size == int(-(-mk.stats.power.ttest_ind(effect_size=0.2, power=0.8) // 1))
    assert plan(baseline=None).sample_size is None
    assert plan(sample_size=1234).sample_size == 1234


def test_round_trip() -> None:
    p = plan()
    d = p.to_dict()
    assert d["plan_hash"] == p.plan_hash
    assert AnalysisPlan.from_dict(d) == p
    assert AnalysisPlan.from_json(p.to_json()).plan_hash == p.plan_hash
    assert json.loads(p.to_json()) == d
    tampered = copy.deepcopy(d)
    tampered["alpha"] = 0.1
    with pytest.raises(mk.SpecError, match="edited after registration"):
        AnalysisPlan.from_dict(tampered)


def test_check_as_registered() -> None:
    p = plan()
    rec = p.check(p.freeze(), "1")
    assert rec["status"] == "as_registered"
    assert rec["deviations"] == [] and rec["override_reason"] is None
    assert rec["plan_hash"] == rec["registered_hash"] == p.plan_hash


def test_version_mismatch_is_an_error() -> None:
    p = plan()
    with pytest.raises(mk.SpecError, match=r"metric_version: 'card_working' was analysed with .*'2'.*'1'"):
        p.check(p.plan_hash, "2")


def test_changed_plan_is_an_error_naming_the_field() -> None:
    registered = plan()
    edited = plan(alpha=0.1)
    with pytest.raises(mk.SpecError, match="plan_hash"):
        edited.check(registered.plan_hash, "1")
    with pytest.raises(mk.SpecError, match=r"changed: alpha 0\.05 -> 0\.1"):
        edited.check(registered, "1")
    with pytest.raises(mk.SpecError, match="alpha"):
        edited.check(registered.to_dict(), "1")


def test_override_is_recorded() -> None:
    p = plan()
    rec = p.check(p.plan_hash, "2", override_reason="v1 pipeline retired; v2 validated equivalent")
    assert rec["status"] == "overridden"
    assert rec["override_reason"] == "v1 pipeline retired; v2 validated equivalent"
    assert rec["metric_version_used"] == "2" and rec["registered_metric_version"] == "1"
    assert len(rec["deviations"]) == 1 and "metric_version" in rec["deviations"][0]
    with pytest.raises(ValueError, match="override_reason"):
        p.check(p.plan_hash, "2", override_reason=" ")


def spec_with_guardrail() -> mk.Spec:
    data = copy.deepcopy(MINIMAL)
    return mk.Spec.from_dict(data)


def test_register_validates_against_spec() -> None:
    spec = spec_with_guardrail()
    ids = [m.id for m in spec.metrics]
    guard = next(i for i in ids if i != "card_working")
    p = plan(guardrails=(guard,))
    doc = register(p, spec)
    assert doc["plan_hash"] == p.plan_hash
    with pytest.raises(mk.SpecError, match=r"AnalysisPlan.primary_metric: no metric 'nope'"):
        register(plan(primary_metric="nope", guardrails=()), spec)
    with pytest.raises(mk.SpecError, match=r"AnalysisPlan.metric_version: .* no definition version '9'"):
        register(plan(metric_version="9", guardrails=()), spec)
    with pytest.raises(mk.SpecError, match=r"AnalysisPlan.guardrails: no metric 'ghost'"):
        register(plan(guardrails=("ghost",)), spec)
    assert register(plan(guardrails=())) == plan(guardrails=()).to_dict()


def test_invalid_fields_name_the_field() -> None:
    with pytest.raises(mk.SpecError, match=r"AnalysisPlan\.alpha"):
        plan(alpha=1.5)
    with pytest.raises(mk.SpecError, match=r"AnalysisPlan\.hypothesis"):
        plan(hypothesis="")
    with pytest.raises(mk.SpecError, match=r"AnalysisPlan\.guardrails"):
        plan(guardrails="chasing_calls")
    with pytest.raises(mk.SpecError, match=r"AnalysisPlan\.metric_kind"):
        plan(metric_kind="ratio")
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan().alpha = 0.1  # type: ignore[misc]
