"""The mission model from Python: loading, values, round trips, the dictionary, OKR scoring, lifecycle."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES

import missionkit as mk


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_validate_clean(path: Path) -> None:
    spec = mk.load_spec(path, strict=True)
    assert spec.validate() == []
    assert spec.north_star is not None and spec.north_star.tier == "outcome"


def test_at_least_two_examples_are_bundled() -> None:
    assert {"bank_card_replacement", "telco_broadband_activation"} <= set(mk.example_missions())
    with pytest.raises(ValueError, match="bank_card_replacement"):
        mk.example_mission("no_such_mission")


def test_values_match_the_file() -> None:
    # Expected values are read independently from the file with PyYAML.
    path = EXAMPLES / "bank_card_replacement.yaml"
    raw = yaml.safe_load(path.read_text())
    spec = mk.load_spec(path)
    assert spec.mission.segment == raw["mission"]["segment"]
    assert spec.mission.time_to_value == "P5D"
    assert [m.id for m in spec.metrics] == [m["id"] for m in raw["metrics"]]
    for got, want in zip(spec.metrics, raw["metrics"]):
        assert (got.tier, got.lens, got.direction, got.owner, got.unit) == (
            want["tier"],
            want["lens"],
            want["direction"],
            want["owner"],
            want["unit"],
        )
        assert got.heart == want.get("heart")
        assert [d.version for d in got.definitions] == [d["version"] for d in want["definitions"]]
        assert [d.effective_from for d in got.definitions] == [
            d["effective_from"] for d in want["definitions"]
        ]
    assert [(e.from_, e.to, e.kind, e.sign) for e in spec.tree] == [
        (e["from"], e["to"], e["kind"], e["sign"]) for e in raw["tree"]
    ]
    kr = spec.okrs[0].key_results[0]
    want_kr = raw["okrs"][0]["key_results"][0]
    assert (kr.metric, kr.metric_version, kr.baseline, kr.target, kr.stretch, kr.due) == (
        want_kr["metric"],
        want_kr["metric_version"],
        want_kr["baseline"],
        want_kr["target"],
        want_kr["stretch"],
        want_kr["due"],
    )
    assert spec.okrs[0].key_results[1].stretch is None
    assert [c.strength for c in spec.hoshin.cells] == [c["strength"] for c in raw["hoshin"]["cells"]]
    stage = spec.blueprint.stages[1]
    assert stage.customer[0].fail_point is True and stage.customer[0].metrics == ["repeat_contact_7d"]
    assert spec.blueprint.stages[0].support[0].text == "Card management system"
    assert spec.work[1].framework == "dmaic" and spec.work[1].evidence["measure"]["msa"].startswith("Gauge")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_round_trips_are_lossless(path: Path, tmp_path: Path) -> None:
    spec = mk.load_spec(path)
    assert mk.load_spec(spec.to_yaml()) == spec
    assert mk.load_spec(spec.to_json()) == spec
    assert mk.Spec.from_dict(spec.to_dict()) == spec
    assert mk.load_spec(spec.to_dict()) == spec
    # to_dict is the same data PyYAML reads from the emitted YAML (an independent parser).
    assert _dates_to_str(yaml.safe_load(spec.to_yaml())) == spec.to_dict()
    spec.save(tmp_path / "out.yaml")
    spec.save(tmp_path / "out.json")
    assert mk.load_spec(tmp_path / "out.yaml") == spec
    assert mk.load_spec(tmp_path / "out.json") == spec
    json.loads((tmp_path / "out.json").read_text())  # really JSON


def _dates_to_str(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _dates_to_str(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_dates_to_str(v) for v in x]
    if isinstance(x, dt.date):  # PyYAML reads an unquoted YYYY-MM-DD as a date; to_dict() keeps the string
        return x.isoformat()
    return x


def test_round_trip_keeps_awkward_values(minimal: dict[str, Any]) -> None:
    m = minimal["metrics"][1]
    m["name"] = "Repeat: 'quoted' \"double\" # not a comment — ünïcödé"
    m["description"] = "yes"
    m["source"] = "null"
    m["definitions"][0]["rule"] = "line one\nline two\n  indented"
    kr = minimal["okrs"][0]["key_results"][0]
    kr["baseline"], kr["target"], kr["stretch"] = 0.1 + 0.2, 0.8000000000000002, 1e300
    spec = mk.load_spec(minimal)
    again = mk.load_spec(spec.to_yaml())
    assert again == spec
    got = again.okrs[0].key_results[0]
    assert (got.baseline, got.target, got.stretch) == (0.1 + 0.2, 0.8000000000000002, 1e300)
    assert again.metric("repeat_7d").source == "null" and again.metric("repeat_7d").description == "yes"


def test_spec_equality_sees_changes(minimal: dict[str, Any]) -> None:
    a = mk.load_spec(minimal)
    changed = copy.deepcopy(minimal)
    changed["metrics"][1]["owner"] = "Someone else"
    assert a != mk.load_spec(changed)
    assert a == mk.load_spec(copy.deepcopy(minimal))


def test_dictionary_definition_in_force() -> None:
    card = mk.load_spec(mk.example_mission("bank_card_replacement")).metric("card_working_5d")
    assert card.definition_at(dt.date(2024, 12, 31)) is None
    assert card.definition_at(dt.date(2025, 1, 1)).version == "1"
    assert card.definition_at("2026-03-31").version == "1"
    assert card.definition_at(dt.date(2026, 4, 1)).version == "2"
    assert card.definition_at(dt.datetime(2027, 1, 1, 12, 30)).version == "2"
    (brk,) = card.comparability_breaks(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (brk.on, brk.from_version, brk.to_version) == (dt.date(2026, 4, 1), "1", "2")
    assert card.comparability_breaks(dt.date(2026, 4, 1), dt.date(2026, 12, 31)) == []
    assert card.comparability_breaks(dt.date(2025, 6, 1), dt.date(2026, 3, 31)) == []


# Hand-computed: attainment = (actual - baseline) / (target - baseline), clipped to [0, cap].
@pytest.mark.parametrize(
    ("baseline", "target", "stretch", "actual", "attainment", "band"),
    [
        (0.71, 0.82, 0.88, 0.71 + 0.11 * 0.5, 0.5, "commit"),
        (0.71, 0.82, 0.88, 0.60, 0.0, "fail"),  # moved the wrong way
        (0.71, 0.82, 0.88, 0.95, 17 / 11, "stretch"),  # capped at (0.88-0.71)/(0.82-0.71)
        (0.71, 0.82, None, 0.95, 1.0, "stretch"),  # capped at 1 without a stretch
        (0.24, 0.16, None, 0.20, 0.5, "commit"),  # a decrease metric
        (0.24, 0.16, None, 0.24 - 0.08 * 0.8, 0.8, "target"),
        (0.24, 0.16, None, 0.24 - 0.08 * 0.2, 0.2, "fail"),
        (0.24, 0.16, None, 0.30, 0.0, "fail"),
    ],
)
def test_okr_scoring(
    baseline: float, target: float, stretch: float | None, actual: float, attainment: float, band: str
) -> None:
    kr = mk.KeyResult()
    kr.baseline, kr.target, kr.stretch = baseline, target, stretch
    score = kr.score(actual)
    assert score.attainment == pytest.approx(attainment, rel=1e-12, abs=1e-12)
    assert score.band == band


def test_okr_scoring_rejects_degenerate_input() -> None:
    kr = mk.KeyResult()
    kr.baseline = kr.target = 0.5
    with pytest.raises(mk.DomainError):
        kr.score(0.6)
    kr.target = 0.6
    with pytest.raises(ValueError):
        kr.score(float("nan"))


def test_score_okrs_table() -> None:
    spec = mk.load_spec(mk.example_mission("bank_card_replacement"))
    rows = spec.score_okrs({"card_working_5d": 0.79, "repeat_contact_7d": 0.18})
    by_metric = {r["metric"]: r for r in rows}
    assert by_metric["card_working_5d"]["attainment"] == pytest.approx((0.79 - 0.71) / (0.82 - 0.71))
    assert by_metric["card_working_5d"]["band"] == "target"
    assert by_metric["repeat_contact_7d"]["attainment"] == pytest.approx(0.75)
    assert by_metric["app_self_service"]["band"] is None


def test_lifecycle_stages_and_advance() -> None:
    assert [s for s, _ in mk.stages("crisp_dm")] == [
        "business_understanding",
        "data_understanding",
        "data_preparation",
        "modeling",
        "evaluation",
        "deployment",
    ]
    assert [s for s, _ in mk.stages("dmaic")] == ["define", "measure", "analyze", "improve", "control"]
    assert [s for s, _ in mk.stages("ooda")] == ["observe", "orient", "decide", "act"]
    spec = mk.load_spec(mk.example_mission("bank_card_replacement"))
    item = spec.work[1]  # DMAIC, at analyze
    assert item.stage == "analyze"
    before = copy.copy(item)
    with pytest.raises(mk.SpecError, match="root_causes"):
        item.advance()
    assert item == before, "a refused advance leaves the item unchanged"
    item.advance({"root_causes": "bureau batch cut-off at 14:00"})
    assert item.stage == "improve"
    assert item.evidence["analyze"]["root_causes"].startswith("bureau")


def test_ooda_loops_and_counts_cycles() -> None:
    item = mk.WorkItem()
    item.framework, item.stage = "ooda", "act"
    item.id = "loop"
    item.advance({"action_result": "queue rebalanced"})
    assert (item.stage, item.cycle) == ("observe", 2)


def test_repr_and_html() -> None:
    spec = mk.load_spec(mk.example_mission("telco_broadband_activation"))
    assert "Broadband that works from day one" in repr(spec)
    html = spec._repr_html_()
    assert "working_in_10d" in html and "valid" in html and "<table>" in html
    assert "<script" not in html
    assert "tier='outcome'" in repr(spec.north_star)


def test_metric_lookup_error_names_known_ids() -> None:
    spec = mk.load_spec(mk.example_mission("bank_card_replacement"))
    with pytest.raises(KeyError, match="card_working_5d"):
        spec.metric("nope")
    with pytest.raises(ValueError, match="tier"):
        spec.metrics_by_tier("kpi")
