"""Pre-registration: an analysis plan frozen with a content hash before the data are seen.

An :class:`AnalysisPlan` states the hypothesis, the primary metric and the version of its definition, the
guardrails, the minimum detectable effect, alpha, power, sample size and stopping rule. Its ``plan_hash``
is the SHA-256 of its canonical JSON (keys sorted, no whitespace, floats as Python's ``repr``, ASCII), so
anyone can recompute it with any JSON and SHA-256 implementation. Register the plan (:func:`register`)
and store the hash; at analysis time :meth:`AnalysisPlan.check` refuses a plan whose hash changed or a
metric definition version other than the registered one, unless an override reason is given, and returns
a record for the analysis output that says which plan was followed and every deviation.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from missionkit import _core

if TYPE_CHECKING:
    from missionkit.spec import Spec

__all__ = ["AnalysisPlan", "register"]

_FORMAT = 1
_KIND = "analysis_plan"
_METRIC_KINDS = ("proportion", "mean")


def _err(msg: str) -> _core.SpecError:
    return _core.SpecError(msg)


def canonical_json(data: Mapping[str, Any]) -> str:
    """Keys sorted, no whitespace, ASCII only; floats are written by ``repr`` (json's default)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def _opt_float(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _err(f"AnalysisPlan.{name}: must be a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise _err(f"AnalysisPlan.{name}: must be finite, got {v!r}")
    return v


@dataclass(frozen=True)
class AnalysisPlan:
    """A pre-registered analysis plan (immutable; its identity is :attr:`plan_hash`).

    - ``primary_metric`` / ``metric_version``: a metric id of the mission spec and the version of its
      definition that the analysis will use.
    - ``guardrails``: metric ids that must not degrade.
    - ``mde``: minimum detectable effect, absolute (difference in proportions or in means).
    - ``metric_kind``: ``"proportion"`` (with ``baseline``, the control rate) or ``"mean"`` (with ``sd``).
    - ``sample_size``: units per arm; when None and ``mde``, ``alpha``, ``power`` and the baseline or sd
      are given, it is computed with :mod:`missionkit.stats.power` (z-test on Cohen's h for proportions,
      two-sample t-test for means) and rounded up.
    - ``stopping_rule``: e.g. ``"fixed horizon"`` or ``"group sequential, 3 looks, O'Brien-Fleming"``.
    """

    hypothesis: str
    primary_metric: str
    metric_version: str
    guardrails: tuple[str, ...] = ()
    mde: float | None = None
    alpha: float = 0.05
    power: float | None = 0.8
    sample_size: int | None = None
    stopping_rule: str = "fixed horizon"
    metric_kind: str = "proportion"
    baseline: float | None = None
    sd: float | None = None
    notes: str = ""
    _hash: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("hypothesis", "primary_metric", "metric_version", "stopping_rule"):
            v = getattr(self, name)
            if not isinstance(v, str) or not v.strip():
                raise _err(f"AnalysisPlan.{name}: must be a non-empty string, got {v!r}")
        if not isinstance(self.notes, str):
            raise _err(f"AnalysisPlan.notes: must be a string, got {self.notes!r}")
        if isinstance(self.guardrails, str):
            raise _err("AnalysisPlan.guardrails: must be a list of metric ids, not a single string")
        guards = tuple(self.guardrails)
        for g in guards:
            if not isinstance(g, str) or not g:
                raise _err(f"AnalysisPlan.guardrails: metric ids must be non-empty strings, got {g!r}")
        if len(set(guards)) != len(guards):
            raise _err(f"AnalysisPlan.guardrails: duplicate metric ids in {list(guards)}")
        if self.primary_metric in guards:
            raise _err(f"AnalysisPlan.guardrails: {self.primary_metric!r} is the primary metric")
        object.__setattr__(self, "guardrails", guards)
        if self.metric_kind not in _METRIC_KINDS:
            raise _err(f"AnalysisPlan.metric_kind: must be 'proportion' or 'mean', got {self.metric_kind!r}")
        # Numbers are stored as floats so that 1 and 1.0 give the same canonical JSON and hash.
        for name in ("mde", "alpha", "power", "baseline", "sd"):
            object.__setattr__(self, name, _opt_float(name, getattr(self, name)))
        if self.alpha is None or not 0.0 < self.alpha < 1.0:
            raise _err(f"AnalysisPlan.alpha: must be in (0, 1), got {self.alpha!r}")
        if self.power is not None and not 0.0 < self.power < 1.0:
            raise _err(f"AnalysisPlan.power: must be in (0, 1), got {self.power!r}")
        if self.mde is not None and self.mde == 0.0:
            raise _err("AnalysisPlan.mde: must not be 0")
        if self.baseline is not None and not 0.0 < self.baseline < 1.0:
            raise _err(f"AnalysisPlan.baseline: must be a proportion in (0, 1), got {self.baseline!r}")
        if self.sd is not None and not self.sd > 0.0:
            raise _err(f"AnalysisPlan.sd: must be > 0, got {self.sd!r}")
        n = self.sample_size
        if n is not None:
            if isinstance(n, bool) or not isinstance(n, int) or n < 2:
                raise _err(f"AnalysisPlan.sample_size: must be an integer >= 2 per arm, got {n!r}")
        else:
            object.__setattr__(self, "sample_size", self._planned_sample_size())
        object.__setattr__(self, "_hash", hashlib.sha256(self.canonical_json().encode("ascii")).hexdigest())

    def _planned_sample_size(self) -> int | None:
        from missionkit.stats import power as pw

        if self.mde is None or self.power is None:
            return None
        if self.metric_kind == "proportion":
            if self.baseline is None:
                return None
            p1 = self.baseline + self.mde
            if not 0.0 < p1 < 1.0:
                raise _err(f"AnalysisPlan.mde: baseline + mde = {p1!r} is not a proportion in (0, 1)")
            n = pw.proportions_2indep(p1, self.baseline, nobs1=None, alpha=self.alpha, power=self.power)
        else:
            if self.sd is None:
                return None
            n = pw.ttest_ind(effect_size=abs(self.mde) / self.sd, alpha=self.alpha, power=self.power)
        return math.ceil(float(n))

    # -- identity ----------------------------------------------------------------------------------------
    def _content(self) -> dict[str, Any]:
        d: dict[str, Any] = {"format": _FORMAT, "kind": _KIND}
        for f in fields(self):
            if f.init:
                v = getattr(self, f.name)
                d[f.name] = list(v) if isinstance(v, tuple) else v
        return d

    def canonical_json(self) -> str:
        """The exact text that is hashed."""
        return canonical_json(self._content())

    @property
    def plan_hash(self) -> str:
        """SHA-256 hex digest of :meth:`canonical_json`."""
        return self._hash

    # -- registration and checks -------------------------------------------------------------------------
    def validate(self, spec: Spec | None = None) -> None:
        """Check the plan against a mission spec: the primary metric and guardrails exist and the
        registered definition version is one of the metric's. Raises SpecError naming the field."""
        if spec is None:
            return
        model = spec.model
        known = ", ".join(m.id for m in model.metrics)
        metric = model.find_metric(self.primary_metric)
        if metric is None:
            raise _err(
                f"AnalysisPlan.primary_metric: no metric {self.primary_metric!r} in the spec; known: {known}"
            )
        versions = [d.version for d in metric.definitions]
        if self.metric_version not in versions:
            raise _err(
                f"AnalysisPlan.metric_version: metric {self.primary_metric!r} has no definition version "
                f"{self.metric_version!r}; its versions: {', '.join(versions) or '(none)'}"
            )
        for g in self.guardrails:
            if model.find_metric(g) is None:
                raise _err(f"AnalysisPlan.guardrails: no metric {g!r} in the spec; known: {known}")

    def freeze(self, spec: Spec | None = None) -> str:
        """Validate (against ``spec`` when given) and return :attr:`plan_hash`, the value to store."""
        self.validate(spec)
        return self.plan_hash

    def check(
        self,
        registered_hash: str | AnalysisPlan | Mapping[str, Any],
        metric_version_used: str,
        override_reason: str | None = None,
    ) -> dict[str, Any]:
        """Check an analysis against the registration and return the record to put in its output.

        ``registered_hash`` is the stored hash, or the registered plan itself (or its dict), in which
        case the error names the fields that changed. A changed hash or ``metric_version_used`` other
        than the registered :attr:`metric_version` raises SpecError, unless ``override_reason`` (a
        non-empty string) is given; the deviations and the reason are then recorded.
        """
        registered_plan: AnalysisPlan | None = None
        if isinstance(registered_hash, AnalysisPlan):
            registered_plan = registered_hash
        elif isinstance(registered_hash, Mapping):
            registered_plan = AnalysisPlan.from_dict(registered_hash)
        elif not isinstance(registered_hash, str):
            raise TypeError("check: registered_hash must be a hash string, an AnalysisPlan or its dict")
        reg_hash = registered_plan.plan_hash if registered_plan else str(registered_hash)
        if override_reason is not None and (
            not isinstance(override_reason, str) or not override_reason.strip()
        ):
            raise ValueError("check: override_reason must be a non-empty explanation")
        deviations: list[str] = []
        if reg_hash != self.plan_hash:
            what = ""
            if registered_plan is not None:
                a, b = registered_plan._content(), self._content()
                changed = sorted(k for k in a if a[k] != b.get(k))
                what = " (changed: " + ", ".join(f"{k} {a[k]!r} -> {b[k]!r}" for k in changed) + ")"
            deviations.append(
                f"plan_hash: the plan was changed after registration: registered {reg_hash}, "
                f"now {self.plan_hash}{what}"
            )
        if metric_version_used != self.metric_version:
            deviations.append(
                f"metric_version: {self.primary_metric!r} was analysed with definition version "
                f"{metric_version_used!r}, but version {self.metric_version!r} was registered"
            )
        if deviations and override_reason is None:
            raise _err(
                "analysis deviates from the registered plan: "
                + "; ".join(deviations)
                + ". Analyse as registered, or pass override_reason= to record the deviation."
            )
        return {
            "plan_hash": self.plan_hash,
            "registered_hash": reg_hash,
            "primary_metric": self.primary_metric,
            "registered_metric_version": self.metric_version,
            "metric_version_used": metric_version_used,
            "status": "overridden" if deviations else "as_registered",
            "deviations": deviations,
            "override_reason": override_reason if deviations else None,
        }

    # -- persistence -------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The plan as plain JSON-able data, with its ``plan_hash``."""
        d = self._content()
        d["plan_hash"] = self.plan_hash
        return d

    def to_json(self) -> str:
        """:meth:`to_dict` as canonical JSON."""
        return canonical_json(self.to_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnalysisPlan:
        """Rebuild a plan from :meth:`to_dict` output; a ``plan_hash`` that does not match the content
        (the stored plan was edited) is a SpecError."""
        d = dict(data)
        fmt = d.pop("format", _FORMAT)
        kind = d.pop("kind", _KIND)
        if fmt != _FORMAT or kind != _KIND:
            raise _err(f"AnalysisPlan.from_dict: unsupported document (kind={kind!r}, format={fmt!r})")
        stored = d.pop("plan_hash", None)
        names = {f.name for f in fields(cls) if f.init}
        unknown = sorted(set(d) - names)
        if unknown:
            raise _err(f"AnalysisPlan.from_dict: unknown field(s) {', '.join(unknown)}")
        if "guardrails" in d:
            d["guardrails"] = tuple(d["guardrails"])
        plan = cls(**d)
        if stored is not None and stored != plan.plan_hash:
            raise _err(
                f"AnalysisPlan.from_dict: plan_hash {stored} does not match the content ({plan.plan_hash}); "
                "the stored plan was edited after registration"
            )
        return plan

    @classmethod
    def from_json(cls, text: str) -> AnalysisPlan:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise _err("AnalysisPlan.from_json: expected a JSON object")
        return cls.from_dict(data)

    def summary(self) -> str:
        parts = [
            f"Pre-registered plan {self.plan_hash[:12]}: {self.hypothesis}",
            f"  primary metric {self.primary_metric} (definition v{self.metric_version}), "
            f"alpha {self.alpha:g}" + (f", power {self.power:g}" if self.power is not None else ""),
        ]
        if self.mde is not None:
            parts.append(f"  MDE {self.mde:g} ({self.metric_kind})")
        if self.sample_size is not None:
            parts.append(f"  sample size {self.sample_size} per arm")
        if self.guardrails:
            parts.append("  guardrails: " + ", ".join(self.guardrails))
        parts.append(f"  stopping rule: {self.stopping_rule}")
        return "\n".join(parts)


def register(plan: AnalysisPlan, spec: Spec | None = None) -> dict[str, Any]:
    """Validate ``plan`` (against ``spec`` when given) and return the registration document to store:
    :meth:`AnalysisPlan.to_dict`, which carries the ``plan_hash``."""
    plan.freeze(spec)
    return plan.to_dict()
