"""The analysis sections of a mission spec from Python: data, analysis, measures, experiments and
control charts; Spec.measure_call and Spec.contact_log_options; and the demo mission against the demo's
planted truth."""

from __future__ import annotations

import datetime as dt
import inspect
import math
from typing import Any

import pytest
from conftest import EXAMPLES

import missionkit as mk
from missionkit import _core, demo
from missionkit.contact_log import ContactLog

DEMO_SPEC = EXAMPLES / "demo_contact_centre.yaml"
# Keyword arguments every measure takes that a spec sets through analysis:/data: or the run, not params.
RUN_ARGS = {"self", "by", "period", "tz", "alpha", "min_n", "output", "where"}


@pytest.fixture(scope="module")
def spec() -> mk.Spec:
    return mk.load_spec(DEMO_SPEC)


def test_demo_mission_validates_without_errors(spec: mk.Spec) -> None:
    errors = [str(i) for i in spec.validate() if i.severity == "error"]
    assert errors == []
    assert spec.north_star is not None and spec.north_star.measure is not None


def test_demo_mission_matches_the_demo_truth(spec: mk.Spec) -> None:
    data = demo.generate(2000, seed=1)
    truth = data.truth
    assert spec.data is not None
    assert spec.data.columns == data.mapping
    assert spec.data.channels == list(demo.CHANNELS)
    assert spec.data.time_zone == demo.TIME_ZONE
    assert spec.failure_demand == list(demo.FAILURE_DEMAND)

    ab = next(e for e in spec.experiments if e.design == "ab_test")
    assert ab.salt == truth.ab_salt
    assert ab.start == dt.date.fromisoformat(truth.ab_test_start)
    # The demo's window is [start, end) in time; the spec's is whole days [start, end].
    assert ab.end == dt.date.fromisoformat(truth.ab_test_end) - dt.timedelta(days=1)
    assert ab.arms == {"control": 0.5, "treatment": 0.5}
    assert ab.primary is not None
    _, kwargs = spec.measure_call(ab.primary.metric, ab.primary.version)
    assert kwargs["where"] == {"reason": list(truth.ab_reasons)}

    sw = next(e for e in spec.experiments if e.design == "stepped_wedge")
    assert sw.cluster == "site"
    assert {k: v.isoformat() for k, v in sw.rollout.items()} == truth.rollout_sites
    assert list(sw.rollout) == list(truth.rollout_sites)  # in go-live order, as written

    (chart,) = spec.control_charts
    assert chart.by == "queue" and chart.metric == "handle_time"
    assert chart.baseline_to is not None
    assert chart.baseline_to < dt.date.fromisoformat(truth.shift_date)  # phase I ends before the shift
    assert spec.measure_call("handle_time") == ("aht", {"part": "handle"})


def test_a_definition_version_can_change_the_measure(spec: mk.Spec) -> None:
    fcr = spec.metric("fcr_7d")
    assert [d.version for d in fcr.definitions] == ["1", "2"]
    assert fcr.definitions[0].measure is None and fcr.definitions[1].measure is not None
    assert spec.measure_call("fcr_7d", "1") == ("fcr", {"window": 7 * 86400.0, "same_reason": True})
    assert spec.measure_call("fcr_7d", "2") == ("fcr", {"window": 7 * 86400.0, "same_reason": False})
    assert spec.measure_call("fcr_7d") == spec.measure_call("fcr_7d", "2")  # latest by default
    assert len(fcr.comparability_breaks("2025-07-01", "2026-06-30")) == 1


def test_measure_call_converts_params(spec: mk.Spec) -> None:
    assert spec.measure_call("service_level_20s") == (
        "service_level",
        {"threshold": 20.0, "convention": "offered"},
    )
    kind, kwargs = spec.measure_call("digital_containment")
    assert kind == "containment"
    assert kwargs == {"digital": ["app", "web"], "assisted": ["phone", "chat", "email"], "window": 604800.0}
    # failure_demand without reasons takes the spec's list.
    assert spec.measure_call("failure_demand_share") == (
        "failure_demand",
        {"reasons": list(demo.FAILURE_DEMAND)},
    )
    kind, kwargs = spec.measure_call("csat_top2")
    assert kind == "csat" and kwargs == {"top_box_min": 4.0} and isinstance(kwargs["top_box_min"], float)


def test_measure_call_errors(spec: mk.Spec) -> None:
    with pytest.raises(KeyError, match="no metric 'nope'"):
        spec.measure_call("nope")
    with pytest.raises(KeyError, match="no definition version '9'"):
        spec.measure_call("fcr_7d", "9")
    bank = mk.load_spec(EXAMPLES / "bank_card_replacement.yaml")
    with pytest.raises(ValueError, match="'dispatch_hours' has no measure"):
        bank.measure_call("dispatch_hours")
    with pytest.raises(ValueError, match="no data: section"):
        mk.load_spec(EXAMPLES / "telco_broadband_activation.yaml").contact_log_options()


def test_param_table_matches_the_python_measures() -> None:
    # Oracle: the measure methods' own signatures.
    assert sorted(_core.measure_kinds()) == sorted(
        k for k in _core.measure_kinds() if callable(getattr(ContactLog, k, None))
    )
    for kind in _core.measure_kinds():
        params = set(inspect.signature(getattr(ContactLog, kind)).parameters) - RUN_ARGS
        assert set(_core.measure_params(kind)) == params, kind
    assert set(_core.contact_log_roles()) == set(inspect.signature(ContactLog.from_frame).parameters) - {
        "cls",
        "data",
        "channels",
        "time_range",
        "scales",
        "time_unit",
    }


def test_every_demo_metric_runs_on_demo_data(spec: mk.Spec) -> None:
    data = demo.generate(3000, seed=7)
    log = ContactLog.from_frame(data.to_arrow(), **spec.contact_log_options())
    assert log is not None
    for m in spec.metrics:
        kind, kwargs = spec.measure_call(m.id)
        signature = inspect.signature(getattr(log, kind))
        signature.bind(**kwargs)  # every keyword is one the method takes
        if "where" in kwargs and "where" not in signature.parameters:
            continue
        result = getattr(log, kind)(**kwargs)
        assert result.n > 0 and math.isfinite(result.value), m.id


def test_sections_round_trip_through_dict_and_yaml(spec: mk.Spec) -> None:
    d = spec.to_dict()
    assert mk.Spec.from_dict(d) == spec
    assert mk.load_spec(spec.to_yaml()) == spec
    assert d["analysis"] == {"period": "month", "segments": ["channel", "site"], "alpha": 0.05, "min_n": 30}
    assert d["experiments"][0]["assignment"] == {
        "salt": "proactive-dispatch-2026",
        "arms": {"control": 0.5, "treatment": 0.5},
    }
    assert d["metrics"][0]["definitions"][1]["measure"] == {
        "kind": "fcr",
        "params": {"window": "P7D", "same_reason": False},
    }
    assert d["control_charts"][0]["baseline"] == {"from": "2025-07-01", "to": "2026-02-28"}
    changed = dict(d, analysis={**d["analysis"], "min_n": 31})
    assert mk.Spec.from_dict(changed) != spec


def test_a_spec_without_the_sections_is_unchanged() -> None:
    s = mk.load_spec('spec_version: "1"\nfailure_demand: [x]\n')
    assert s.data is None and s.analysis is None and s.experiments == [] and s.control_charts == []
    assert set(s.to_dict()) == {"spec_version", "failure_demand"}


def _issues(text: str) -> list[Any]:
    return [
        i for i in mk.load_spec(text).validate() if i.severity == "error" and not i.path.startswith("mission")
    ]


@pytest.mark.parametrize(
    ("yaml_text", "path", "line", "needle"),
    [
        (
            "data:\n  columns:\n    customer: c\n    strat: s\n",
            "data.columns.strat",
            4,
            "unknown contact-log role",
        ),
        ("data:\n  columns:\n    customer: c\n", "data.columns", 2, "required role 'start'"),
        (
            "data:\n  columns: {customer: c, start: s}\n  colums: {}\n",
            "data.colums",
            3,
            "did you mean 'columns'",
        ),
        ("analysis:\n  period: fortnight\n", "analysis.period", 2, "unknown period"),
        ("analysis:\n  alpha: 0\n", "analysis.alpha", 2, "between 0 and 1"),
        ("analysis:\n  segments: [colour]\n", "analysis.segments[0]", 2, "not a groupable role"),
        (
            "experiments:\n  - id: x\n    design: a_b\n    primary: {metric: m}\n",
            "experiments[0].design",
            3,
            "unknown design",
        ),
        (
            "control_charts:\n  - id: c\n    metric: m\n    chart: bar\n",
            "control_charts[0].chart",
            4,
            "unknown chart type",
        ),
    ],
)
def test_invalid_sections_are_reported_with_path_and_line(
    yaml_text: str, path: str, line: int, needle: str
) -> None:
    found = [i for i in _issues(yaml_text) if i.path == path]
    assert found, [str(i) for i in _issues(yaml_text)]
    assert found[0].line == line
    assert needle in found[0].message


def test_measure_problems_in_a_full_spec() -> None:
    text = DEMO_SPEC.read_text()
    broken = text.replace(
        "params: {threshold: PT20S, convention: offered}", "params: {threshold: 20 s, convention: offered}"
    )
    errors = [i for i in mk.load_spec(broken).validate() if i.severity == "error"]
    assert [i.path for i in errors] == ["metrics[6].measure.params.threshold"]
    assert (
        errors[0].line == text.splitlines().index("      params: {threshold: PT20S, convention: offered}") + 1
    )
    unmeasured = text.replace("    primary: {metric: card_repeat_7d", "    primary: {metric: nope")
    errors = [i for i in mk.load_spec(unmeasured).validate() if i.severity == "error"]
    assert [i.path for i in errors] == ["experiments[0].primary.metric"]
    with pytest.raises(mk.SpecError, match="is not a metric"):
        mk.load_spec(unmeasured, strict=True)
