"""Loading, validating and saving mission specs (the Pythonic face of ``missionkit::model``)."""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from missionkit import _core
from missionkit._svg_tree import MetricTree

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

    @property
    def data(self) -> _core.DataMapping | None:
        """How to read the contact log (the ``data:`` section), or None when the spec has none."""
        return self._model.data

    @property
    def analysis(self) -> _core.AnalysisSettings | None:
        """Analysis defaults (the ``analysis:`` section: period, segments, alpha, min_n), or None."""
        return self._model.analysis

    @property
    def experiments(self) -> list[_core.ExperimentSpec]:
        """Experiments to analyse (A/B tests, stepped wedges, staggered DiD, interrupted time series)."""
        return self._model.experiments

    @property
    def control_charts(self) -> list[_core.ControlChartSpec]:
        """Control charts to draw, each of a metric that has a measure."""
        return self._model.control_charts

    def measure_call(self, metric_id: str, version: str | None = None) -> tuple[str, dict[str, Any]]:
        """The ContactLog method name and keyword arguments that compute a metric, so that
        ``kind, kwargs = spec.measure_call("fcr_7d"); getattr(log, kind)(**kwargs)`` measures it.

        ``version`` picks a definition (default: the latest by ``effective_from``); its own ``measure`` is
        used when it has one, else the metric's. Parameters are converted for Python: ISO 8601 durations
        to seconds (float), numbers to float, flags to bool, dates and labels stay text, label lists become
        lists. A ``where`` filter is passed as ``where={dimension: [labels]}`` (only when the measure has
        one). A ``failure_demand`` measure without ``reasons`` gets the spec's ``failure_demand`` list.
        Grouping, period, time zone and alpha are the caller's (see :attr:`analysis` and :attr:`data`).

        Raises ``KeyError`` for an unknown metric or version and ``ValueError`` when the metric has no
        measure (it is not computed from the contact log).
        """
        from missionkit.measures import to_seconds

        m = self.metric(metric_id)
        measure = m.measure
        if version is None and m.definitions:
            latest = max(m.definitions, key=lambda d: d.effective_from)
            measure = latest.measure or m.measure
        elif version is not None:
            found = [d for d in m.definitions if d.version == version]
            if not found:
                known = ", ".join(repr(d.version) for d in m.definitions)
                raise KeyError(f"metric {metric_id!r} has no definition version {version!r}; known: {known}")
            measure = found[0].measure or m.measure
        if measure is None:
            raise ValueError(
                f"metric {metric_id!r} has no measure, so it cannot be computed from the contact log; "
                "add measure: {kind: ...} to the metric in the spec"
            )
        kwargs: dict[str, Any] = {}
        for name, value in measure.params.items():
            if (
                _core.is_duration_param(name)
                and isinstance(value, (str, float))
                and not isinstance(value, bool)
            ):
                kwargs[name] = to_seconds(value, f"{metric_id}.measure.params.{name}")
            elif isinstance(value, list):
                kwargs[name] = [str(v) for v in value]
            else:
                kwargs[name] = value
        if measure.kind == "failure_demand" and "reasons" not in kwargs:
            kwargs["reasons"] = list(self._model.failure_demand)
        where = measure.where
        if where:
            kwargs["where"] = {dim: list(labels) for dim, labels in where.items()}
        return measure.kind, kwargs

    def contact_log_options(self) -> dict[str, Any]:
        """Keyword arguments for :meth:`ContactLog.from_frame` from the ``data:`` section: each mapped role
        as ``role=column``, plus ``channels`` (a list) and ``scales`` (``{score: (low, high)}``) when
        declared. ``ValueError`` when the spec has no ``data:`` section."""
        data = self._model.data
        if data is None:
            raise ValueError(
                f"the spec {self.source_name!r} has no data: section; map at least customer and start "
                "to columns under data.columns"
            )
        options: dict[str, Any] = dict(data.columns)
        if data.channels:
            options["channels"] = list(data.channels)
        if data.scales:
            options["scales"] = dict(data.scales)
        return options

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

    def metric_tree(self) -> MetricTree:
        """The metric tree (metrics and signed edges, the north star at the root); drawn as SVG in Jupyter,
        ``.to_svg()`` for the markup, ``.to_dict()`` for the data."""
        from missionkit._html import metric_tree

        return metric_tree(self)


def _mission_repr_html(mission: _core.Mission) -> str:
    from missionkit._html import mission_html

    return mission_html(mission)


# Mission is a C++ class; its Jupyter view (the sentence with the five parts highlighted) lives in Python.
_core.Mission._repr_html_ = _mission_repr_html  # type: ignore[attr-defined]
