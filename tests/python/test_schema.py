"""The JSON Schema shipped for editors agrees with the loader: examples pass, broken specs fail."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import EXAMPLES

import missionkit as mk
from missionkit.examples import schema_path


def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_path().read_text())
    jsonschema.Draft202012Validator.check_schema(data)
    return data


def _as_json_data(path: Path) -> Any:
    # PyYAML turns unquoted dates into datetime.date; JSON Schema sees the spec as JSON, with strings.
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_conform(path: Path) -> None:
    jsonschema.validate(_as_json_data(path), _schema())


@pytest.mark.parametrize("name", ["bank_card_replacement", "demo_contact_centre"])
def test_emitted_dict_conforms(name: str) -> None:
    spec = mk.load_spec(mk.example_mission(name))
    jsonschema.validate(spec.to_dict(), _schema())


@pytest.mark.parametrize(
    "breaker",
    [
        lambda d: d.update(unknown_key=1),
        lambda d: d["metrics"][0].update(tier="kpi"),
        lambda d: d["metrics"][0].update(ownr="x"),
        lambda d: d["tree"][0].update(kind="causal"),
        lambda d: d["okrs"][0]["key_results"][0].update(baseline="high"),
        lambda d: d["work"][0].update(framework="agile"),
        lambda d: d["data"]["columns"].update(colour="c"),
        lambda d: d["data"]["columns"].pop("start"),
        lambda d: d["analysis"].update(period="fortnight"),
        lambda d: d["analysis"].update(alpha=1.5),
        lambda d: d["metrics"][1]["measure"].update(kind="repeats"),
        lambda d: d["metrics"][1]["measure"]["where"].update(customer=["x"]),
        lambda d: d["experiments"][0].update(design="bandit"),
        lambda d: d["experiments"][0]["assignment"]["arms"].update(treatment=0),
        lambda d: d["experiments"][1].update(cluster="customer"),
        lambda d: d["control_charts"][0].update(chart="pie"),
        lambda d: d["control_charts"][0].update(rules="shewhart"),
    ],
)
def test_schema_rejects_what_the_loader_rejects(breaker: Any) -> None:
    data = copy.deepcopy(_as_json_data(EXAMPLES / "bank_card_replacement.yaml"))
    breaker(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, _schema())
    assert any(i.severity == "error" for i in mk.load_spec(data).validate())
