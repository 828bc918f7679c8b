"""The verdict of an experiment: effects on the judged metrics, trust (SRM), guardrails and the decision.

:class:`Verdict` is the one object every design ends in (A/B/n tests, stepped-wedge, difference in
differences, interrupted time series). Build it with :func:`verdict` from an :class:`ABTestResult` (with
the pre-registered :class:`AnalysisPlan` when there is one) or with :meth:`Verdict.from_estimate` for a
single-effect design. ``summary()`` says in plain words what changed, by how much, whether the numbers
can be trusted and what was decided; ``to_dict()`` is JSON-able for the audit trail.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from html import escape
from typing import TYPE_CHECKING, Any

from missionkit import _core
from missionkit.preregistration import AnalysisPlan

if TYPE_CHECKING:
    from missionkit.experiment import ABTestResult

__all__ = ["Effect", "Verdict", "verdict"]

_DESIGNS = ("ab_test", "stepped_wedge", "did", "its")
_ROLES = ("primary", "secondary", "guardrail")
_DIRECTIONS = ("increase", "decrease")


def _num(x: float | None, digits: int = 3) -> str:
    if x is None or math.isnan(x):
        return "n/a"
    return f"{x:.{digits}g}"


def _pct(x: float | None) -> str:
    if x is None or math.isnan(x):
        return "n/a"
    return f"{100 * x:+.1f}%"


def _clean(v: Any) -> Any:
    """JSON-able copy: NaN -> None, tuples -> lists, numpy scalars -> Python numbers."""
    if isinstance(v, float):
        return None if math.isnan(v) else v
    if isinstance(v, Mapping):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "item") and callable(v.item):  # numpy scalar
        return _clean(v.item())
    return v


@dataclass(frozen=True)
class Effect:
    """One judged effect: a metric (and the definition version it was computed with), the treatment arm,
    the absolute and relative change with intervals, p-values and its status.

    ``status``: for primary and secondary metrics ``"better"`` / ``"worse"`` (significant after
    correction, in or against the metric's good ``direction``) or ``"no detectable change"``; for
    guardrails ``"pass"`` / ``"fail"`` / ``"inconclusive"``.
    """

    metric: str
    version: str | None
    role: str
    arm: str | None
    estimate: float
    ci_low: float
    ci_high: float
    relative: float | None
    relative_ci_low: float | None
    relative_ci_high: float | None
    pvalue: float | None
    pvalue_adjusted: float | None
    direction: str
    status: str

    def __post_init__(self) -> None:
        if self.role not in _ROLES:
            raise ValueError(f"Effect.role: must be one of {_ROLES}, got {self.role!r}")
        if self.direction not in _DIRECTIONS:
            raise ValueError(f"Effect.direction: must be 'increase' or 'decrease', got {self.direction!r}")
        allowed = ("pass", "fail", "inconclusive") if self.role == "guardrail" else _EFFECT_STATUS
        if self.status not in allowed:
            raise ValueError(f"Effect.status: a {self.role} effect's status must be one of {allowed}")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = _clean({f.name: getattr(self, f.name) for f in fields(self)})
        return out

    def describe(self) -> str:
        """One plain sentence: what changed and by how much, with its interval."""
        who = f"{self.arm[:1].upper()}{self.arm[1:]} " if self.arm else ""
        rel = (
            f" ({_pct(self.relative)})" if self.relative is not None and not math.isnan(self.relative) else ""
        )
        rng = f"likely between {_num(self.ci_low)} and {_num(self.ci_high)}"
        if self.role == "guardrail":
            return (
                f"Guardrail {self.metric}: {who}changed it by {_num(self.estimate)}{rel}, {rng}: "
                f"{self.status}."
            )
        if self.status == "no detectable change":
            return (
                f"{who or 'The change '}made no detectable change to {self.metric} "
                f"(estimate {_num(self.estimate)}{rel}; {rng})."
            )
        verb = "increased" if self.estimate > 0 else "decreased"
        good = "an improvement" if self.status == "better" else "a deterioration"
        subject = who or "The change "
        return f"{subject}{verb} {self.metric} by {_num(abs(self.estimate))}{rel}, {rng}: {good}."


_EFFECT_STATUS = ("better", "worse", "no detectable change")


def _status(estimate: float, p: float | None, alpha: float, direction: str) -> str:
    if p is None or math.isnan(p) or p >= alpha or estimate == 0.0:
        return "no detectable change"
    return "better" if (estimate > 0) == (direction == "increase") else "worse"


@dataclass(frozen=True)
class Verdict:
    """What an experiment showed and what was decided.

    ``decision``: ``"blocked"`` (sample ratio mismatch, or the analysis deviates from the registered plan
    without an override), ``"success"`` (the primary metric is significantly better after correction and
    no guardrail fails), ``"failure"`` (the primary is significantly worse or a guardrail fails), else
    ``"inconclusive"``. ``criterion`` states the pre-registered success criterion in words when a plan was
    given; ``criterion_met`` is then whether it was met (None when blocked or without a plan).
    """

    experiment: str
    design: str
    decision: str
    effects: tuple[Effect, ...]
    srm: dict[str, Any] | None
    criterion: str | None
    criterion_met: bool | None
    notes: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.design not in _DESIGNS:
            raise ValueError(f"Verdict.design: must be one of {_DESIGNS}, got {self.design!r}")
        if self.decision not in ("success", "failure", "inconclusive", "blocked"):
            raise ValueError(
                "Verdict.decision: must be 'success', 'failure', 'inconclusive' or 'blocked', "
                f"got {self.decision!r}"
            )
        object.__setattr__(self, "effects", tuple(self.effects))
        object.__setattr__(self, "notes", tuple(self.notes))

    # -- builders --------------------------------------------------------------------------------------
    @classmethod
    def from_estimate(
        cls,
        experiment: str,
        design: str,
        metric: str,
        version: str | None,
        estimate: float,
        ci_low: float,
        ci_high: float,
        pvalue: float | None,
        direction: str,
        baseline: float | None = None,
        alpha: float = 0.05,
        notes: Sequence[str] = (),
    ) -> Verdict:
        """Verdict of a single-effect design (stepped-wedge, DiD, ITS): ``estimate`` with its ``1 - alpha``
        interval and p-value on ``metric`` whose good ``direction`` is ``"increase"`` or ``"decrease"``.
        With ``baseline`` (the control / counterfactual level) the relative effect is ``estimate /
        baseline`` and its interval the interval divided by the baseline (the baseline taken as known).
        Decision: significantly better -> success, significantly worse -> failure, else inconclusive."""
        if direction not in _DIRECTIONS:
            raise ValueError(
                f"Verdict.from_estimate: direction must be 'increase' or 'decrease', got {direction!r}"
            )
        if not 0.0 < alpha < 1.0:
            raise ValueError(f"Verdict.from_estimate: alpha must be in (0, 1), got {alpha!r}")
        est, lo, hi = float(estimate), float(ci_low), float(ci_high)
        if not lo <= hi:
            raise ValueError(f"Verdict.from_estimate: ci_low ({lo}) must not exceed ci_high ({hi})")
        rel = rlo = rhi = None
        if baseline is not None:
            b = float(baseline)
            if b == 0.0 or not math.isfinite(b):
                raise ValueError(
                    f"Verdict.from_estimate: baseline must be finite and non-zero, got {baseline!r}"
                )
            rel, rlo, rhi = est / b, lo / b, hi / b
            if b < 0:
                rlo, rhi = rhi, rlo
        p = None if pvalue is None else float(pvalue)
        status = _status(est, p, alpha, direction)
        eff = Effect(metric, version, "primary", None, est, lo, hi, rel, rlo, rhi, p, None, direction, status)
        decision = {"better": "success", "worse": "failure"}.get(status, "inconclusive")
        word = "increases" if direction == "increase" else "decreases"
        return cls(
            experiment=experiment,
            design=design,
            decision=decision,
            effects=(eff,),
            srm=None,
            criterion=f"primary {metric} {word} (p < {alpha:g})",
            criterion_met=decision == "success",
            notes=tuple(notes),
        )

    # -- views -----------------------------------------------------------------------------------------
    @property
    def primary(self) -> tuple[Effect, ...]:
        return tuple(e for e in self.effects if e.role == "primary")

    @property
    def guardrails(self) -> tuple[Effect, ...]:
        return tuple(e for e in self.effects if e.role == "guardrail")

    def summary(self) -> str:
        """A few plain sentences: what changed and by how much, whether it can be trusted, the guardrails
        and the decision."""
        name = self.experiment or "The experiment"
        parts: list[str] = []
        for e in self.primary:
            parts.append(e.describe())
        if self.srm is not None:
            if self.srm.get("ok", True):
                parts.append("Units were split between the arms as designed, so the comparison is fair.")
            else:
                parts.append(
                    "Units were NOT split between the arms as designed (sample ratio mismatch), so none of "
                    "these numbers can be trusted until the assignment or logging is fixed."
                )
        g = self.guardrails
        if g:
            bad = [e.metric + (f" ({e.arm})" if e.arm else "") for e in g if e.status == "fail"]
            unclear = [e.metric + (f" ({e.arm})" if e.arm else "") for e in g if e.status == "inconclusive"]
            if bad:
                parts.append("Guardrail(s) got worse beyond the allowed margin: " + ", ".join(bad) + ".")
            elif unclear:
                parts.append("Guardrail(s) not yet shown safe: " + ", ".join(unclear) + ".")
            else:
                parts.append(
                    "The guardrail check passed." if len(g) == 1 else f"All {len(g)} guardrail checks passed."
                )
        crit = ""
        if self.criterion is not None and self.criterion_met is not None:
            met = "met" if self.criterion_met else "not met"
            crit = f"; the pre-registered criterion ({self.criterion}) was {met}"
        parts.append(f"{name}: decision {self.decision.upper()}{crit}.")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: keys are exactly the field names; effects a list of dicts; NaN -> None."""
        out: dict[str, Any] = {
            "experiment": self.experiment,
            "design": self.design,
            "decision": self.decision,
            "effects": [e.to_dict() for e in self.effects],
            "srm": _clean(self.srm) if self.srm is not None else None,
            "criterion": self.criterion,
            "criterion_met": self.criterion_met,
            "notes": list(self.notes),
        }
        return out

    def __repr__(self) -> str:
        return (
            f"Verdict(experiment={self.experiment!r}, design={self.design!r}, decision={self.decision!r}, "
            f"effects={len(self.effects)})"
        )

    def _repr_html_(self) -> str:
        colour = {"success": "#1b5e20", "failure": "#b71c1c", "blocked": "#b71c1c"}.get(self.decision, "#333")
        head = "".join(
            f"<th>{h}</th>"
            for h in ("metric", "version", "role", "arm", "estimate", "CI", "relative", "p adj.", "status")
        )
        rows = ""
        for e in self.effects:
            p = e.pvalue_adjusted if e.pvalue_adjusted is not None else e.pvalue
            rows += (
                f"<tr><td>{escape(e.metric)}</td><td>{escape(e.version or '')}</td><td>{e.role}</td>"
                f"<td>{escape(e.arm or '')}</td><td>{_num(e.estimate)}</td>"
                f"<td>[{_num(e.ci_low)}, {_num(e.ci_high)}]</td><td>{_pct(e.relative)}</td>"
                f"<td>{_num(p)}</td><td>{escape(e.status)}</td></tr>"
            )
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        return (
            "<div class='missionkit-verdict'>"
            f"<p><strong style='color:{colour}'>{escape(self.decision.upper())}</strong> "
            f"{escape(self.experiment)} ({escape(self.design)})</p>"
            f"<p>{escape(self.summary())}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            + (f"<ul>{notes}</ul>" if notes else "")
            + "</div>"
        )


def _guardrail_from_ci(direction: str, lo: float, hi: float) -> str:
    """Margin-0 guardrail status for a plan guardrail analysed as an ordinary metric."""
    if direction == "increase":
        return "pass" if lo > 0.0 else ("fail" if hi < 0.0 else "inconclusive")
    return "pass" if hi < 0.0 else ("fail" if lo > 0.0 else "inconclusive")


def verdict(
    result: ABTestResult,
    *,
    experiment: str = "",
    primary: str | None = None,
    plan: AnalysisPlan | None = None,
    registered: str | AnalysisPlan | Mapping[str, Any] | None = None,
    metric_version: str | None = None,
    override_reason: str | None = None,
    versions: Mapping[str, str] | None = None,
) -> Verdict:
    """The :class:`Verdict` of an A/B/n test.

    ``primary`` defaults to the plan's primary metric, else the first non-guardrail metric. With ``plan``
    its alpha, primary metric and guardrails are used and the criterion is stated ("primary M increases
    (adjusted p < alpha) and no guardrail fails"). With ``registered`` (the stored hash, plan or plan
    dict) the plan is checked by :meth:`AnalysisPlan.check` against ``metric_version`` (default: the
    plan's): a deviation without ``override_reason`` makes the decision ``"blocked"``; with one, the
    deviation is recorded in the notes. ``versions`` maps other metrics to their definition versions.

    Decision, for the experiment as a whole: blocked if SRM failed; success if in some treatment arm the
    primary is significantly better (adjusted p <= alpha) and no guardrail fails in that arm; otherwise
    failure if the primary is significantly worse or a guardrail fails in some arm; else inconclusive.
    """
    cmp = result.comparisons
    metrics = list(dict.fromkeys(cmp["metric"]))
    alpha = plan.alpha if plan is not None else result.alpha
    notes: list[str] = []
    guard_names = {m for m, g in zip(cmp["metric"], cmp["guardrail"]) if g}
    if plan is not None:
        missing = [m for m in (plan.primary_metric, *plan.guardrails) if m not in metrics]
        if missing:
            raise ValueError(
                f"verdict: the plan names metric(s) {missing} that the A/B result does not contain; "
                f"it has {metrics}"
            )
        if primary is not None and primary != plan.primary_metric:
            raise ValueError(
                f"verdict: primary={primary!r} differs from the plan's primary metric {plan.primary_metric!r}"
            )
        primary = plan.primary_metric
        guard_names |= set(plan.guardrails)
        if plan.alpha != result.alpha:
            notes.append(
                f"The plan's alpha ({plan.alpha:g}) is used for significance; intervals were computed at "
                f"{1 - result.alpha:.0%} confidence."
            )
    if primary is None:
        candidates = [m for m in metrics if m not in guard_names]
        if not candidates:
            raise ValueError("verdict: every metric is a guardrail; name the primary metric with primary=")
        primary = candidates[0]
    if primary not in metrics:
        raise ValueError(f"verdict: primary metric {primary!r} is not in the result; metrics are {metrics}")
    if primary in guard_names:
        raise ValueError(f"verdict: primary metric {primary!r} is a guardrail in this analysis")
    vers: dict[str, str] = dict(versions or {})
    if plan is not None:
        vers.setdefault(plan.primary_metric, metric_version or plan.metric_version)

    blocked_plan = False
    if registered is not None:
        if plan is None:
            raise ValueError("verdict: registered= needs plan= (the plan the analysis followed)")
        try:
            record = plan.check(registered, metric_version or plan.metric_version, override_reason)
        except _core.SpecError as e:
            blocked_plan = True
            notes.append(f"Blocked: {e}")
        else:
            if record["status"] == "overridden":
                notes.append(
                    "Deviation from the registered plan, overridden: "
                    + "; ".join(record["deviations"])
                    + f" (reason: {record['override_reason']})."
                )
            else:
                notes.append(f"Analysed as registered (plan {record['plan_hash'][:12]}).")

    directions = dict(zip(cmp["metric"], cmp.get("direction", ["increase"] * len(cmp["metric"]))))
    effects: list[Effect] = []
    for i, m in enumerate(cmp["metric"]):
        direction = directions.get(m, "increase")
        role = "primary" if m == primary else ("guardrail" if m in guard_names else "secondary")
        est, lo, hi = float(cmp["estimate"][i]), float(cmp["ci_low"][i]), float(cmp["ci_high"][i])
        p_adj = cmp["pvalue_adjusted"][i]
        p_adj = None if p_adj is None or math.isnan(p_adj) else float(p_adj)
        if role == "guardrail":
            status = cmp["guardrail_status"][i] or _guardrail_from_ci(direction, lo, hi)
        else:
            status = _status(est, p_adj if p_adj is not None else float(cmp["pvalue"][i]), alpha, direction)
        effects.append(
            Effect(
                metric=m,
                version=vers.get(m),
                role=role,
                arm=str(cmp["arm"][i]),
                estimate=est,
                ci_low=lo,
                ci_high=hi,
                relative=float(cmp["lift"][i]),
                relative_ci_low=float(cmp["lift_ci_low"][i]),
                relative_ci_high=float(cmp["lift_ci_high"][i]),
                pvalue=float(cmp["pvalue"][i]),
                pvalue_adjusted=p_adj,
                direction=direction,
                status=status,
            )
        )
    arms = list(dict.fromkeys(e.arm for e in effects))
    winners, losers = [], []
    for a in arms:
        mine = [e for e in effects if e.arm == a]
        guard_fail = any(e.role == "guardrail" and e.status == "fail" for e in mine)
        prim = [e.status for e in mine if e.role == "primary"]
        if "better" in prim and not guard_fail:
            winners.append(a)
        elif "worse" in prim or guard_fail:
            losers.append(a)
    srm_ok = result.srm.ok
    if not srm_ok or blocked_plan:
        decision = "blocked"
        if not srm_ok:
            notes.append("Blocked: sample ratio mismatch; fix the assignment or logging first.")
    elif winners:
        decision = "success"
        if len(arms) > 1:
            notes.append("Primary better with no failing guardrail in: " + ", ".join(map(str, winners)) + ".")
    elif losers:
        decision = "failure"
    else:
        decision = "inconclusive"
    criterion = criterion_met = None
    if plan is not None:
        direction = directions.get(primary, "increase")
        word = "increases" if direction == "increase" else "decreases"
        guards = " and no guardrail fails" if any(e.role == "guardrail" for e in effects) else ""
        criterion = f"primary {primary} {word} (adjusted p < {alpha:g}){guards}"
        criterion_met = None if decision == "blocked" else decision == "success"
    return Verdict(
        experiment=experiment,
        design="ab_test",
        decision=decision,
        effects=tuple(effects),
        srm=result.srm.to_dict(),
        criterion=criterion,
        criterion_met=criterion_met,
        notes=tuple(notes),
    )
