"""Loading, validating and saving mission specs (the Pythonic face of ``missionkit::model``)."""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from missionkit import _core

SpecSource = Union[str, "os.PathLike[str]", Mapping[str, Any]]

_SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def _json_default(value: object) -> str:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    raise TypeError(f"cannot put a {type(value).__name__} in a mission spec: {value!r}")


def _parse(source: SpecSource) -> _core.SpecModel:
    if isinstance(source, Mapping):
        # A dict is written as JSON (which is YAML) so that it goes through the one loader and its checks.
        return _core.parse_spec(json.dumps(source, default=_json_default), "<dict>")
    if isinstance(source, os.PathLike):
        return _core.load_spec(Path(source))
    if not isinstance(source, str):
        raise TypeError(f"load_spec takes a path, YAML/JSON text or a dict, not {type(source).__name__}")
    if "\n" not in source and (os.path.isfile(source) or source.lower().endswith(_SPEC_SUFFIXES)):
        return _core.load_spec(Path(source))  # a missing file raises SpecError naming the path
    return _core.parse_spec(source, "<string>")


def load_spec(source: SpecSource, *, strict: bool = False) -> Spec:
    """Load a mission spec from a path, YAML/JSON text, or a dict.

    A string is read as a path when it names an existing file or ends in ``.yaml``/``.yml``/``.json``
    (a missing file is then an error), and as spec text otherwise.

    Problems in the content (unknown keys, wrong types, bad dates, broken references...) do not raise:
    ``spec.validate()`` lists them all. With ``strict=True``, any error raises :class:`SpecError`
    (a ``ValueError``) whose message lists every error and whose ``.issues`` holds them. Text that is not
    YAML at all always raises :class:`SpecError` with the line and column.
    """
    spec = Spec(_parse(source))
    if strict:
        issues = spec.validate()
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            lines = [f"{spec.source_name}: {len(errors)} error(s)"] + [str(i) for i in errors]
            err = _core.SpecError("\n".join(lines))
            err.issues = issues
            raise err
    return spec


class Spec:
    """A mission spec: the mission, its governed metrics, metric tree, OKRs, X-matrix, blueprint,
    logic model and lifecycle work items.

    Attribute access returns copies of the C++ model's values; to change a spec, edit its dict
    (``spec.to_dict()``) and load that.
    """

    def __init__(self, model: _core.SpecModel) -> None:
        self._model = model

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Spec:
        """Build a spec from a dict with the same keys as the YAML file."""
        return cls(_parse(data))

    # --- the model ---------------------------------------------------------------------------------
    @property
    def model(self) -> _core.SpecModel:
        """The underlying C++ model object."""
        return self._model

    @property
    def source_name(self) -> str:
        return self._model.source_name

    @property
    def spec_version(self) -> str:
        return self._model.spec_version

    @property
    def mission(self) -> _core.Mission:
        return self._model.mission

    @property
    def metrics(self) -> list[_core.Metric]:
        return self._model.metrics

    @property
    def tree(self) -> list[_core.TreeEdge]:
        return self._model.tree

    @property
    def okrs(self) -> list[_core.Objective]:
        return self._model.okrs

    @property
    def hoshin(self) -> _core.Hoshin:
        return self._model.hoshin

    @property
    def blueprint(self) -> _core.Blueprint:
        return self._model.blueprint

    @property
    def logic_model(self) -> _core.LogicModel:
        return self._model.logic_model

    @property
    def failure_demand(self) -> list[str]:
        """Contact reasons the mission declares as failure demand (used by ``log.failure_demand(spec)``)."""
        return self._model.failure_demand

    @property
    def work(self) -> list[_core.WorkItem]:
        return self._model.work

    @property
    def settings(self) -> _core.Settings:
        return self._model.settings

    def metric(self, metric_id: str) -> _core.Metric:
        """The metric with this id; ``KeyError`` listing the known ids otherwise."""
        found = self._model.find_metric(metric_id)
        if found is None:
            known = ", ".join(m.id for m in self._model.metrics)
            raise KeyError(f"no metric {metric_id!r} in the spec; known metrics: {known}")
        return found

    @property
    def north_star(self) -> _core.Metric | None:
        """The mission's outcome metric, or None when the spec does not define it."""
        return self._model.find_metric(self._model.mission.outcome)

    def metrics_by_tier(self, tier: str) -> list[_core.Metric]:
        """Metrics of one tier: ``"outcome"``, ``"driver"`` or ``"control"``."""
        if tier not in ("outcome", "driver", "control"):
            raise ValueError(f"tier must be 'outcome', 'driver' or 'control', got {tier!r}")
        return [m for m in self._model.metrics if m.tier == tier]

    # --- checks and scoring ------------------------------------------------------------------------
    def validate(self) -> list[_core.Issue]:
        """Every issue in the spec (loader findings first, then semantic checks), errors and warnings."""
        return _core.validate(self._model)

    def score_okrs(self, actuals: Mapping[str, float]) -> list[dict[str, Any]]:
        """Score every key result whose metric has a value in ``actuals`` (metric id -> observed value).

        Returns one row per key result: objective, metric, version, baseline, target, stretch, actual,
        attainment and band (``fail`` / ``commit`` / ``target`` / ``stretch``); key results with no
        actual get ``None`` for actual, attainment and band.
        """
        rows: list[dict[str, Any]] = []
        for objective in self._model.okrs:
            for kr in objective.key_results:
                actual = actuals.get(kr.metric)
                result = kr.score(float(actual)) if actual is not None else None
                rows.append(
                    {
                        "objective": objective.objective,
                        "metric": kr.metric,
                        "metric_version": kr.metric_version,
                        "baseline": kr.baseline,
                        "target": kr.target,
                        "stretch": kr.stretch,
                        "due": kr.due,
                        "actual": actual,
                        "attainment": result.attainment if result else None,
                        "band": result.band if result else None,
                    }
                )
        return rows

    # --- serialisation -----------------------------------------------------------------------------
    def to_yaml(self) -> str:
        """Canonical YAML; ``load_spec(spec.to_yaml()) == spec``."""
        return _core.to_yaml(self._model)

    def to_json(self) -> str:
        """The same document as JSON."""
        return _core.to_json(self._model)

    def to_dict(self) -> dict[str, Any]:
        """The spec as plain Python data (dates as ``"YYYY-MM-DD"`` strings); round-trips through
        :meth:`from_dict`."""
        data: dict[str, Any] = json.loads(self.to_json())
        return data

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the spec as YAML, or JSON when the path ends in ``.json``."""
        p = Path(path)
        p.write_text(self.to_json() if p.suffix.lower() == ".json" else self.to_yaml(), encoding="utf-8")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Spec) and self._model.same_model(other._model)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        m = self._model
        return (
            f"Spec({m.mission.name!r}, metrics={len(m.metrics)}, edges={len(m.tree)}, "
            f"okrs={len(m.okrs)}, work={len(m.work)}, source={m.source_name!r})"
        )

    def _repr_html_(self) -> str:
        from missionkit._html import spec_html

        return spec_html(self)
