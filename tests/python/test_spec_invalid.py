"""Invalid specs: each case breaks the minimal valid spec in one way and expects one issue with a given
path, severity and message. The spec goes through the real loader (dict -> JSON -> C++ loader) and
validator; nothing here is computed by the code under test."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

import missionkit as mk

Spec = dict[str, Any]


def _set(path: list[Any], value: Any) -> Callable[[Spec], None]:
    def apply(spec: Spec) -> None:
        node = spec
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return apply


def _delete(path: list[Any]) -> Callable[[Spec], None]:
    def apply(spec: Spec) -> None:
        node = spec
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return apply


def _add_edge(edge: dict[str, Any]) -> Callable[[Spec], None]:
    return lambda spec: spec["tree"].append(edge)


def _add_drivers(n: int) -> Callable[[Spec], None]:
    def apply(spec: Spec) -> None:
        for i in range(n):
            spec["metrics"].append(
                {
                    "id": f"extra_{i}",
                    "name": f"Extra driver {i}",
                    "tier": "driver",
                    "lens": "customer",
                    "unit": "ratio",
                    "direction": "increase",
                    "owner": "Someone",
                    "source": "somewhere",
                    "definitions": [{"version": "1", "effective_from": "2025-01-01", "rule": "r"}],
                }
            )
            spec["tree"].append({"from": f"extra_{i}", "to": "card_working", "kind": "influence", "sign": 1})

    return apply


def _orphan_driver(spec: Spec) -> None:
    _add_drivers(1)(spec)
    spec["tree"].pop()


KR = ["okrs", 0, "key_results", 0]

# (id, mutation, expected path, severity, message pattern)
CASES: list[tuple[str, Callable[[Spec], None], str, str, str]] = [
    ("unknown_top_key", lambda s: s.update(missoin={}), "missoin", "error", r"did you mean 'mission'"),
    (
        "unknown_metric_key",
        _set(["metrics", 1, "ower"], "x"),
        "metrics[1].ower",
        "error",
        r"did you mean 'owner'",
    ),
    ("bad_tier", _set(["metrics", 1, "tier"], "drivr"), "metrics[1].tier", "error", r"did you mean 'driver'"),
    (
        "bad_lens",
        _set(["metrics", 1, "lens"], "money"),
        "metrics[1].lens",
        "error",
        r"customer.*business.*risk",
    ),
    ("bad_heart", _set(["metrics", 1, "heart"], "joy"), "metrics[1].heart", "error", r"happiness"),
    ("bad_direction", _set(["metrics", 1, "direction"], "up"), "metrics[1].direction", "error", r"increase"),
    (
        "feb_30",
        _set(["metrics", 0, "definitions", 1, "effective_from"], "2026-02-30"),
        "metrics[0].definitions[1].effective_from",
        "error",
        r"date",
    ),
    ("missing_owner", _delete(["metrics", 1, "owner"]), "metrics[1].owner", "error", r"owner"),
    (
        "no_definitions",
        _set(["metrics", 1, "definitions"], []),
        "metrics[1].definitions",
        "error",
        r"definition",
    ),
    (
        "duplicate_version",
        _set(["metrics", 0, "definitions", 1, "version"], "1"),
        "metrics[0].definitions[1].version",
        "error",
        r"'1'",
    ),
    ("duplicate_metric_id", _set(["metrics", 2, "id"], "repeat_7d"), "metrics[2].id", "error", r"repeat_7d"),
    ("metrics_not_list", _set(["metrics"], {"a": 1}), "metrics", "error", r"list|sequence"),
    ("edge_unknown_to", _set(["tree", 0, "to"], "card_workin"), "tree[0].to", "error", r"card_working"),
    (
        "edge_cycle",
        _add_edge({"from": "card_working", "to": "repeat_7d", "kind": "influence", "sign": 1}),
        "tree[3]",
        "error",
        r"north star|cycle",
    ),
    (
        "driver_to_control",
        _add_edge({"from": "dispatch_hours", "to": "service_level", "kind": "influence", "sign": 1}),
        "tree[3]",
        "error",
        r"control",
    ),
    ("influence_without_sign", _delete(["tree", 1, "sign"]), "tree[1].sign", "error", r"sign"),
    ("bad_sign", _set(["tree", 1, "sign"], 2), "tree[1].sign", "error", r"sign"),
    ("bad_edge_kind", _set(["tree", 1, "kind"], "causal"), "tree[1].kind", "error", r"formula.*influence"),
    (
        "outcome_not_outcome_tier",
        _set(["mission", "outcome"], "repeat_7d"),
        "mission.outcome",
        "error",
        r"outcome",
    ),
    (
        "ttv_not_duration",
        _set(["mission", "time_to_value"], "two weeks"),
        "mission.time_to_value",
        "error",
        r"ISO.?8601|duration",
    ),
    ("missing_segment", _delete(["mission", "segment"]), "mission.segment", "error", r"segment"),
    (
        "generic_segment",
        _set(["mission", "segment"], "all customers"),
        "mission.segment",
        "warning",
        r"generic|vague|specific",
    ),
    (
        "kr_unknown_metric",
        _set([*KR, "metric"], "card_wrking"),
        "okrs[0].key_results[0].metric",
        "error",
        r"card_wrking",
    ),
    (
        "kr_unknown_version",
        _set([*KR, "metric_version"], "3"),
        "okrs[0].key_results[0].metric_version",
        "error",
        r"version",
    ),
    ("kr_target_equals_baseline", _set([*KR, "target"], 0.7), "okrs[0].key_results[0]", "error", r"baseline"),
    (
        "kr_wrong_direction",
        _set([*KR, "target"], 0.6),
        "okrs[0].key_results[0]",
        "error",
        r"increase|direction",
    ),
    (
        "kr_baseline_not_number",
        _set([*KR, "baseline"], "abc"),
        "okrs[0].key_results[0].baseline",
        "error",
        r"number",
    ),
    ("kr_due_not_date", _set([*KR, "due"], "end of year"), "okrs[0].key_results[0].due", "error", r"date"),
    ("objective_without_krs", _set(["okrs", 0, "key_results"], []), "okrs[0]", "error", r"key result"),
    (
        "hoshin_annual_unserved",
        lambda s: s["hoshin"]["annual"].append({"id": "A2", "text": "Unserved"}),
        "hoshin.annual[1]",
        "error",
        r"A2",
    ),
    ("hoshin_cell_unknown", _set(["hoshin", "cells", 0, "to"], "A9"), "hoshin.cells[0]", "error", r"A9"),
    (
        "blueprint_unknown_metric",
        _set(["blueprint", "stages", 0, "customer", 0, "metrics"], ["nope"]),
        "blueprint.stages[0].customer[0].metrics",
        "error",
        r"nope",
    ),
    (
        "fail_point_not_bool",
        _set(["blueprint", "stages", 0, "backstage", 0, "fail_point"], "maybe"),
        "blueprint.stages[0].backstage[0].fail_point",
        "error",
        r"true|bool",
    ),
    ("work_bad_stage", _set(["work", 0, "stage"], "measuring"), "work[0].stage", "error", r"measure"),
    ("work_bad_framework", _set(["work", 0, "framework"], "agile"), "work[0].framework", "error", r"dmaic"),
    ("work_missing_evidence", _delete(["work", 0, "evidence", "define", "ctq"]), "work[0]", "error", r"ctq"),
    ("sprawl", _add_drivers(7), "metrics[0]", "warning", r"7|sprawl|drivers"),
    ("orphan_driver", _orphan_driver, "metrics[4]", "warning", r"north star|orphan|connected"),
]


@pytest.mark.parametrize(
    ("mutate", "path", "severity", "pattern"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_invalid_spec_reports_issue(
    minimal: Spec, mutate: Callable[[Spec], None], path: str, severity: str, pattern: str
) -> None:
    assert mk.load_spec(minimal).validate() == [], "the minimal spec must be clean before it is broken"
    mutate(minimal)
    issues = mk.load_spec(minimal).validate()
    matching = [
        i
        for i in issues
        if i.path.startswith(path) and i.severity == severity and re.search(pattern, i.message)
    ]
    assert matching, f"no {severity} at {path} matching {pattern!r}; got:\n" + "\n".join(map(str, issues))


def test_at_least_25_invalid_cases() -> None:
    assert len(CASES) >= 25


def test_every_problem_is_reported_not_just_the_first(minimal: Spec) -> None:
    for mutate in (CASES[1][1], CASES[6][1], CASES[7][1], CASES[12][1], CASES[19][1], CASES[26][1]):
        mutate(minimal)
    issues = mk.load_spec(minimal).validate()
    paths = {i.path for i in issues if i.severity == "error"}
    for expected in (
        "metrics[1].ower",
        "metrics[0].definitions[1].effective_from",
        "metrics[1].owner",
        "tree[0].to",
        "mission.time_to_value",
        "okrs[0].key_results[0].baseline",
    ):
        assert any(p.startswith(expected) for p in paths), (expected, sorted(paths))


def test_strict_raises_spec_error_listing_every_error(minimal: Spec) -> None:
    _delete(["metrics", 1, "owner"])(minimal)
    _set(["mission", "time_to_value"], "soon")(minimal)
    with pytest.raises(mk.SpecError) as info:
        mk.load_spec(minimal, strict=True)
    assert isinstance(info.value, ValueError)
    text = str(info.value)
    assert "metrics[1].owner" in text and "mission.time_to_value" in text
    assert {i.path for i in info.value.issues if i.severity == "error"} >= {
        "metrics[1].owner",
        "mission.time_to_value",
    }


def test_malformed_yaml_names_the_line() -> None:
    text = "mission:\n  name: x\n  segment: [unclosed\nmetrics: []\n"
    with pytest.raises(mk.SpecError, match=r"[:\s]([34])[:\s]"):
        mk.load_spec(text)


def test_duplicate_yaml_key_is_an_error_with_its_line() -> None:
    text = "mission:\n  name: a\n  name: b\n"
    issues = mk.load_spec(text).validate()
    dup = [
        i for i in issues if "name" in i.path and re.search("duplicate|twice|more than once", i.message, re.I)
    ]
    assert dup and dup[0].line == 3, issues


def test_issue_lines_point_into_the_file() -> None:
    text = (
        "mission:\n  name: Test\n  segment: Retail bank customers replacing a card\n"
        "  situation: Waiting for a card they need\n  desired_progress: Pay with a working card\n"
        "  time_to_value: fortnight\n  outcome: m\n"
        "metrics:\n  - id: m\n    name: M\n    tier: outcome\n    lens: customer\n    unit: ratio\n"
        "    direction: increase\n    owner: Me\n    source: dw\n    tierr: x\n"
        "    definitions:\n      - {version: '1', effective_from: 2025-01-01, rule: r}\n"
    )
    issues = {i.path: i for i in mk.load_spec(text).validate()}
    assert issues["mission.time_to_value"].line == 6
    assert issues["metrics[0].tierr"].line == 17


def test_wrong_type_for_top_level_is_an_error_not_a_crash() -> None:
    with pytest.raises(mk.SpecError):
        mk.load_spec("- just\n- a list\n")
    with pytest.raises(mk.SpecError):
        mk.load_spec("")


def test_missing_file_is_a_spec_error(tmp_path: Any) -> None:
    with pytest.raises(mk.SpecError, match=r"nope\.yaml"):
        mk.load_spec(str(tmp_path / "nope.yaml"))
