"""Randomised experiments: assignment, sample-ratio checks, A/B/n analysis, sequential monitoring.

- :func:`assign` - deterministic hash-based assignment (SHA-256 of ``f"{salt}:{unit}"``), with holdouts.
- :func:`srm` - sample-ratio-mismatch check (Pearson chi-squared), which blocks an A/B verdict.
- :func:`ab_test` - proportions, means (Welch), ratio metrics (delta method), CUPED, guardrails and
  multiple-comparison correction, with a plain-language summary.
- :func:`group_sequential` - Lan-DeMets alpha-spending designs whose state can be saved and resumed.
- :func:`msprt` / :func:`confidence_sequence` - always-valid p-values and confidence sequences.

The numbers come from the C++ core (``missionkit::stats``); formulas and references: docs/experiment.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt

from missionkit import _core
from missionkit.did_power import DiDPower, did_power
from missionkit.its import ITSResult, interrupted_time_series
from missionkit.preregistration import AnalysisPlan, register
from missionkit.stepped_wedge import (
    SteppedWedgeResult,
    stepped_wedge_analysis,
    stepped_wedge_design,
    stepped_wedge_power,
)
from missionkit.verdict import Effect, Verdict, verdict

__all__ = [
    "ABTestResult",
    "AnalysisPlan",
    "DiDPower",
    "Effect",
    "GroupSequential",
    "ITSResult",
    "Look",
    "MSPRTResult",
    "Metric",
    "SRMResult",
    "SteppedWedgeResult",
    "Verdict",
    "ab_test",
    "alpha_spent",
    "assign",
    "confidence_sequence",
    "did_power",
    "group_sequential",
    "hash_uniform",
    "interrupted_time_series",
    "msprt",
    "register",
    "srm",
    "stepped_wedge_analysis",
    "stepped_wedge_design",
    "stepped_wedge_power",
    "verdict",
]

FloatArray = npt.NDArray[np.float64]
_stats: Any = _core.stats  # adjust_pvalues lives in the statistics submodule (typed as Any in the stub)


def _fmt(x: float, digits: int = 4) -> str:
    if isinstance(x, float) and math.isnan(x):
        return "nan"
    return f"{x:.{digits}g}"


def _pct(x: float) -> str:
    return "nan" if math.isnan(x) else f"{100 * x:+.2f}%"


# ---- assignment ----------------------------------------------------------------------------------------


def _ids(fn: str, unit_ids: Any) -> Any:
    """Integer ids as an int64 array, anything else as a list of str (checked in C++)."""
    if isinstance(unit_ids, (str, bytes)):
        raise TypeError(f"{fn}: unit_ids must be a sequence of ids, not a single {type(unit_ids).__name__}")
    arr = np.asarray(unit_ids)
    if arr.ndim != 1:
        raise ValueError(f"{fn}: unit_ids must be 1-D, got shape {arr.shape}")
    if arr.dtype.kind in "iu":
        if arr.dtype.kind == "u" and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
            raise ValueError(f"{fn}: integer unit ids must fit in int64")
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind == "b":
        raise TypeError(f"{fn}: unit_ids are booleans; pass the unit identifiers (str or int)")
    if arr.dtype.kind == "f":
        raise TypeError(
            f"{fn}: unit_ids are floats, whose text is ambiguous (1.0 vs 1); convert them to int or str first"
        )
    if arr.dtype.kind == "U":
        if not isinstance(unit_ids, np.ndarray) and not all(isinstance(v, str) for v in unit_ids):
            # numpy turned a mix of str and numbers into text; that would hash 3 and "3" alike by accident
            raise _core.DataError(f"{fn}: unit ids must all be str or all be integers, got a mix")
        return arr.tolist()
    return list(unit_ids)


def hash_uniform(unit_ids: Any, salt: str) -> FloatArray:
    """The number u in [0, 1) each unit gets: ``(int.from_bytes(sha256(f"{salt}:{unit}")[:8], "big") >> 11)
    / 2**53``, integers written as ``str(int)``. Any SHA-256 implementation reproduces it."""
    out: FloatArray = _core.experiment_uniform(_ids("hash_uniform", unit_ids), salt)
    return out


def assign(
    unit_ids: Any,
    salt: str,
    weights: Sequence[float] | Mapping[str, float] = (0.5, 0.5),
    holdout: float = 0.0,
) -> npt.NDArray[Any]:
    """Deterministic assignment of units to arms.

    ``unit_ids``: a list / numpy array / pandas Series of str or of integers. ``weights`` are normalised;
    with a sequence the result is the arm index (``int32``, ``-1`` for the holdout), with a mapping
    ``{"control": 1, "treatment": 1}`` it is the arm name (``"holdout"`` for the holdout). The unit's
    number u (see :func:`hash_uniform`) below ``holdout`` is held out; the rest of [0, 1) is split in
    proportion to the weights, in order. The same salt gives the same arms on any machine; use a new salt
    for each experiment so that assignments are independent.

    >>> assign(["u1", "u2", "u3", "u4"], salt="checkout-2026", weights={"control": 1, "treatment": 1})
    array(['treatment', 'treatment', 'treatment', 'control'], dtype='<U9')
    """
    names: list[str] | None = None
    if isinstance(weights, Mapping):
        names = [str(k) for k in weights]
        w = np.asarray([float(v) for v in weights.values()], dtype=np.float64)
    else:
        w = np.asarray(weights, dtype=np.float64)
    codes: npt.NDArray[np.int32] = _core.experiment_assign(_ids("assign", unit_ids), salt, w, float(holdout))
    if names is None:
        return codes
    labels = np.asarray([*names, "holdout"])
    return labels[np.where(codes < 0, len(names), codes)]


# ---- sample ratio mismatch -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SRMResult:
    """Pearson chi-squared test of arm sizes against the design weights."""

    counts: FloatArray
    expected: FloatArray
    statistic: float
    df: float
    pvalue: float
    ok: bool
    threshold: float
    arms: list[str] = field(default_factory=list)

    def summary(self) -> str:
        shares = ", ".join(
            f"{a} {int(c)} ({100 * c / self.counts.sum():.2f}% vs {100 * e / self.counts.sum():.2f}%)"
            for a, c, e in zip(self.arms, self.counts, self.expected)
        )
        if self.ok:
            return f"Arm sizes match the design (chi2 p = {_fmt(self.pvalue)}): {shares}."
        return (
            f"SAMPLE RATIO MISMATCH (chi2 p = {_fmt(self.pvalue)} < {self.threshold:g}): {shares}. The "
            "assignment or logging is broken; effect estimates cannot be trusted until the cause is found."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "arms": list(self.arms),
            "counts": self.counts.tolist(),
            "expected": self.expected.tolist(),
            "statistic": self.statistic,
            "df": self.df,
            "pvalue": self.pvalue,
            "ok": self.ok,
            "threshold": self.threshold,
        }

    def __repr__(self) -> str:
        return (
            f"SRMResult(ok={self.ok}, pvalue={_fmt(self.pvalue)}, statistic={_fmt(self.statistic)}, "
            f"df={self.df:g})"
        )


def srm(
    counts: Sequence[float] | Mapping[str, float] | npt.ArrayLike,
    weights: Sequence[float] | Mapping[str, float] | npt.ArrayLike | None = None,
    threshold: float = 0.001,
) -> SRMResult:
    """Sample-ratio-mismatch check: ``scipy.stats.chisquare(counts, total * weights / sum(weights))``.

    ``weights`` default to equal arms; mappings are matched by arm name. ``ok`` is ``pvalue >= threshold``;
    the default 0.001 follows Fabijan et al. (2019): the check runs on every experiment, so 0.05 would
    block one healthy experiment in twenty, while real mismatches are usually extreme.
    """
    arms: list[str] = []
    if isinstance(counts, Mapping):
        arms = [str(k) for k in counts]
        c = np.asarray([float(v) for v in counts.values()], dtype=np.float64)
        if isinstance(weights, Mapping):
            missing = [a for a in counts if a not in weights]
            if missing:
                raise ValueError(f"srm: weights has no entry for arm(s) {missing}")
            weights = [float(weights[a]) for a in counts]
    else:
        c = np.asarray(counts, dtype=np.float64).ravel()
        arms = [str(i) for i in range(c.size)]
    if weights is None:
        w = np.ones_like(c)
    elif isinstance(weights, Mapping):
        w = np.asarray([float(v) for v in weights.values()], dtype=np.float64)
    else:
        w = np.asarray(weights, dtype=np.float64).ravel()
    r = _core.experiment_srm(c, w, float(threshold))
    return SRMResult(
        counts=c,
        expected=np.asarray(r["expected"]),
        statistic=float(r["statistic"]),
        df=float(r["df"]),
        pvalue=float(r["pvalue"]),
        ok=bool(r["ok"]),
        threshold=float(r["threshold"]),
        arms=arms,
    )


# ---- group-sequential designs --------------------------------------------------------------------------


def alpha_spent(spending: str, level: float, t: npt.ArrayLike) -> FloatArray:
    """Cumulative alpha spent per side by information fraction ``t``: ``"obrien_fleming"``
    ``2 - 2 Phi(z_{level/2} / sqrt(t))`` or ``"pocock"`` ``level log(1 + (e - 1) t)`` (Lan & DeMets 1983)."""
    out: FloatArray = _core.experiment_alpha_spent(
        spending, float(level), np.atleast_1d(np.asarray(t, float))
    )
    return out


@dataclass(frozen=True)
class Look:
    """One recorded interim analysis."""

    number: int
    information: float
    z: float
    upper: float
    lower: float
    crossed: bool
    futility: float = -math.inf  #: the non-binding futility bound at this look (-inf: none)
    futile: bool = False  #: z at or below the futility bound: the trial may stop for futility


_SPENDING_NAMES = {"obrien_fleming": "O'Brien-Fleming", "pocock": "Pocock"}


class GroupSequential:
    """A group-sequential design with Lan-DeMets alpha spending and its monitoring state.

    Create with :func:`group_sequential`. ``bounds`` are the efficacy boundaries on the z scale for every
    look (recorded looks at their actual information, later looks as planned); two-sided designs reject
    when ``abs(z) >= bound``. Record each look with :meth:`record`; save with :meth:`to_dict` and resume
    with :meth:`from_dict`.

    One-sided designs may add non-binding futility bounds (``futility=`` a spending function, with the
    design ``power``): ``futility_bounds`` on the z scale, computed as gsDesign's ``test.type=4``.
    """

    _FORMAT = 1

    def __init__(
        self,
        k: int,
        alpha: float = 0.05,
        spending: str = "obrien_fleming",
        sides: int = 2,
        information: Sequence[float] | None = None,
        futility: str | None = None,
        power: float = 0.9,
    ) -> None:
        info = [float(v) for v in information] if information is not None else []
        self._state = _core.GroupSequentialState(
            int(k), float(alpha), spending, int(sides), info, futility, float(power)
        )
        self._table: dict[str, Any] = self._state.bounds()

    # -- futility (non-binding beta spending) ----------------------------------------------------------
    @property
    def futility(self) -> str | None:
        """The beta-spending function of the futility bounds, or None (no futility bounds)."""
        f = self._state.futility
        return None if f is None else str(f)

    @property
    def power(self) -> float | None:
        """The design power (1 - beta) the futility bounds are computed for, or None."""
        return float(self._state.power) if self.futility is not None else None

    @property
    def futility_bounds(self) -> FloatArray | None:
        """Non-binding futility bounds on the z scale (stop for futility when ``z <= bound``; crossing or
        ignoring them never inflates alpha). The last equals the final efficacy bound. None without
        futility."""
        if self.futility is None:
            return None
        out: FloatArray = self._table["futility"]
        return out

    @property
    def beta_spent(self) -> FloatArray | None:
        """Cumulative type-II error spent by each look under the design alternative, or None."""
        if self.futility is None:
            return None
        out: FloatArray = self._table["beta_spent"]
        return out

    @property
    def drift(self) -> float | None:
        """E[Z] at the final look under the design alternative, effect * sqrt(maximum information)."""
        return float(self._state.drift) if self.futility is not None else None

    @property
    def inflation(self) -> float | None:
        """Maximum information over that of the fixed-sample design with the same alpha and power: the
        sample size of the group-sequential design is ``inflation`` times the fixed design's."""
        return float(self._state.inflation) if self.futility is not None else None

    # -- design ----------------------------------------------------------------------------------------
    @property
    def k(self) -> int:
        return int(self._state.k)

    @property
    def alpha(self) -> float:
        return float(self._state.alpha)

    @property
    def spending(self) -> str:
        return str(self._state.spending)

    @property
    def sides(self) -> int:
        return int(self._state.sides)

    @property
    def information(self) -> list[float]:
        return [float(v) for v in self._state.information]

    @property
    def bounds(self) -> FloatArray:
        """Upper (efficacy) boundaries on the z scale; for two-sided designs the lower ones are their
        negatives."""
        out: FloatArray = self._table["upper"]
        return out

    @property
    def lower(self) -> FloatArray:
        out: FloatArray = self._table["lower"]
        return out

    @property
    def information_fraction(self) -> FloatArray:
        out: FloatArray = self._table["information_fraction"]
        return out

    @property
    def cumulative_alpha(self) -> FloatArray:
        out: FloatArray = self._table["alpha_spent"]
        return out

    @property
    def nominal_pvalues(self) -> FloatArray:
        out: FloatArray = self._table["nominal_pvalue"]
        return out

    # -- monitoring ------------------------------------------------------------------------------------
    @property
    def looks(self) -> list[Look]:
        return [Look(i + 1, **d) for i, d in enumerate(self._state.looks)]

    @property
    def stopped(self) -> bool:
        """A boundary was crossed: stop and reject H0."""
        return bool(self._state.stopped)

    @property
    def finished(self) -> bool:
        return bool(self._state.finished)

    def record(self, z: float, information: float) -> Look:
        """Record the next look: its z statistic and information (same units as the plan; for equally
        spaced default plans, look i has information i). The boundary is computed for the actual
        information fraction; the remaining looks' boundaries are re-derived."""
        d = self._state.record(float(z), float(information))
        self._table = self._state.bounds()
        return Look(len(self._state.looks), **d)

    # -- persistence -----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able state: the design and the recorded (z, information) pairs."""
        return {
            "format": self._FORMAT,
            "kind": "group_sequential",
            "k": self.k,
            "alpha": self.alpha,
            "spending": self.spending,
            "sides": self.sides,
            "information": self.information,
            "futility": self.futility,
            "power": self.power,
            "looks": [{"z": lk.z, "information": lk.information} for lk in self.looks],
        }

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> GroupSequential:
        """Resume from :meth:`to_dict` output (the looks are replayed, so boundaries are recomputed)."""
        fmt = state.get("format")
        if fmt != cls._FORMAT or state.get("kind") != "group_sequential":
            raise ValueError(
                f"GroupSequential.from_dict: unsupported state (kind={state.get('kind')!r}, format={fmt!r}); "
                f"expected kind='group_sequential', format={cls._FORMAT}"
            )
        fut = state.get("futility")  # absent in states saved before futility bounds existed
        power = state.get("power")
        g = cls(
            state["k"],
            state["alpha"],
            state["spending"],
            state["sides"],
            state["information"],
            futility=fut,
            power=0.9 if power is None else float(power),
        )
        for lk in state["looks"]:
            g.record(lk["z"], lk["information"])
        return g

    # -- display ---------------------------------------------------------------------------------------
    def _rows(self) -> list[tuple[int, float, float, float, float, str]]:
        looks = self.looks
        rows = []
        for i in range(len(self.bounds)):
            z = f"{looks[i].z:.3f}" if i < len(looks) else ""
            rows.append(
                (
                    i + 1,
                    float(self.information_fraction[i]),
                    float(self.bounds[i]),
                    float(self.cumulative_alpha[i]),
                    float(self.nominal_pvalues[i]),
                    z,
                )
            )
        return rows

    def summary(self) -> str:
        side = "two-sided" if self.sides == 2 else "one-sided"
        lines = [
            f"Group-sequential design: {self.k} looks, {side} alpha = {self.alpha:g}, "
            f"{_SPENDING_NAMES.get(self.spending, self.spending)}-type spending (Lan-DeMets)."
        ]
        fut = self.futility_bounds
        if fut is not None:
            lines.append(
                f"Non-binding {_SPENDING_NAMES.get(str(self.futility), str(self.futility))}-type futility "
                f"bounds for power {self.power:g} (maximum information {self.inflation:.4f} x the fixed "
                "design)."
            )
        for n, t, b, a, p, z in self._rows():
            bound = f"|z| >= {b:.3f}" if self.sides == 2 else f"z >= {b:.3f}"
            if fut is not None and n < len(fut) and math.isfinite(float(fut[n - 1])):
                bound += f", futility if z <= {float(fut[n - 1]):.3f}"
            obs = f", observed z = {z}" if z else ""
            lines.append(
                f"  look {n}: t = {t:.3f}, stop if {bound} (nominal p {_fmt(p, 3)}; alpha spent {a:.4f}){obs}"
            )
        if self.stopped:
            lk = self.looks[-1]
            lines.append(f"Stopped at look {lk.number}: z = {lk.z:.3f} crossed the boundary; reject H0.")
        elif self.finished:
            lines.append("All looks done without crossing: do not reject H0.")
        else:
            lines.append(f"{len(self.looks)} of {self.k} looks recorded; continue.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        b = ", ".join(f"{v:.4f}" for v in self.bounds)
        return (
            f"GroupSequential(k={self.k}, alpha={self.alpha:g}, spending={self.spending!r}, "
            f"sides={self.sides}, bounds=[{b}], looks={len(self.looks)}, stopped={self.stopped})"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{n}</td><td>{t:.3f}</td><td>{b:.4f}</td><td>{a:.5f}</td><td>{_fmt(p, 3)}</td>"
            f"<td>{escape(z)}</td></tr>"
            for n, t, b, a, p, z in self._rows()
        )
        return (
            "<div class='missionkit-gs'><p>"
            f"{escape(self.summary().splitlines()[0])}</p><table><thead><tr><th>look</th><th>t</th>"
            "<th>bound (z)</th><th>alpha spent</th><th>nominal p</th><th>observed z</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )


def group_sequential(
    k: int = 4,
    alpha: float = 0.05,
    spending: str = "obrien_fleming",
    sides: int = 2,
    information: Sequence[float] | None = None,
    futility: str | None = None,
    power: float = 0.9,
) -> GroupSequential:
    """A Lan-DeMets group-sequential design (``spending="obrien_fleming"`` or ``"pocock"``) with ``k``
    looks at the planned ``information`` (any increasing units; ``None`` = equally spaced). Two-sided
    designs spend ``alpha/2`` per side, as ld98, gsDesign, rpact and East do.

    ``futility="obrien_fleming"`` or ``"pocock"`` (one-sided designs only) adds non-binding futility
    bounds that spend the type-II error ``1 - power`` with that Lan-DeMets family, as gsDesign's
    ``test.type=4``: the efficacy bounds ignore them (so alpha holds whether or not one stops for
    futility), the drift under the alternative is solved so that the bounds meet at the last look, and
    ``inflation`` is the maximum information relative to the fixed-sample design.

    >>> group_sequential(k=5, alpha=0.05).bounds.round(3)
    array([4.877, 3.357, 2.68 , 2.29 , 2.031])
    """
    return GroupSequential(k, alpha, spending, sides, information, futility, power)


# ---- always-valid inference ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MSPRTResult:
    """mSPRT path: one row per look."""

    estimate: FloatArray
    std_error: FloatArray
    likelihood_ratio: FloatArray
    pvalue: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    alpha: float
    mixture_sd: float
    null: float

    @property
    def rejected(self) -> bool:
        return bool(self.pvalue.size and self.pvalue[-1] <= self.alpha)

    def summary(self) -> str:
        if not self.pvalue.size:
            return "mSPRT: no looks yet."
        first = int(np.argmax(self.pvalue <= self.alpha)) if self.rejected else -1
        head = (
            f"mSPRT after {self.pvalue.size} looks: estimate {_fmt(float(self.estimate[-1]))}, always-valid "
            f"p = {_fmt(float(self.pvalue[-1]))}, {100 * (1 - self.alpha):g}% confidence sequence "
            f"[{_fmt(float(self.ci_low[-1]))}, {_fmt(float(self.ci_high[-1]))}]."
        )
        if first >= 0:
            return (
                head
                + f" H0 (difference = {self.null:g}) rejected at look {first + 1}"
                + "; valid however often you peek."
            )
        return head + " No evidence against H0 yet; you may keep monitoring."

    def to_dict(self) -> dict[str, Any]:
        return {
            "estimate": self.estimate.tolist(),
            "std_error": self.std_error.tolist(),
            "likelihood_ratio": self.likelihood_ratio.tolist(),
            "pvalue": self.pvalue.tolist(),
            "ci_low": self.ci_low.tolist(),
            "ci_high": self.ci_high.tolist(),
            "alpha": self.alpha,
            "mixture_sd": self.mixture_sd,
            "null": self.null,
        }

    def __repr__(self) -> str:
        if not self.pvalue.size:
            return "MSPRTResult(looks=0)"
        return (
            f"MSPRTResult(looks={self.pvalue.size}, pvalue={_fmt(float(self.pvalue[-1]))}, "
            f"ci=[{_fmt(float(self.ci_low[-1]))}, {_fmt(float(self.ci_high[-1]))}])"
        )


def msprt(
    estimate: npt.ArrayLike,
    variance: npt.ArrayLike,
    mixture_sd: float,
    alpha: float = 0.05,
    null: float = 0.0,
) -> MSPRTResult:
    """Mixture SPRT (Johari et al. 2017) over a sequence of looks at an asymptotically normal estimate.

    ``estimate[i]`` and ``variance[i]`` are the estimate (e.g. a difference of means) and its variance at
    look i (e.g. ``s1**2/n1 + s2**2/n2``). ``mixture_sd`` is the standard deviation tau of the normal
    mixing distribution: choose it near the effect you hope to detect (validity holds for any tau > 0).
    The p-values are always valid: stopping the first time ``p <= alpha`` keeps the false-positive rate
    at most alpha however often you look.
    """
    est = np.atleast_1d(np.asarray(estimate, dtype=np.float64))
    var = np.atleast_1d(np.asarray(variance, dtype=np.float64))
    r = _core.experiment_msprt(est, var, float(mixture_sd) ** 2, float(alpha), float(null))
    return MSPRTResult(
        estimate=r["estimate"],
        std_error=r["std_error"],
        likelihood_ratio=r["lambda"],
        pvalue=r["pvalue"],
        ci_low=r["ci_low"],
        ci_high=r["ci_high"],
        alpha=float(alpha),
        mixture_sd=float(mixture_sd),
        null=float(null),
    )


def confidence_sequence(
    estimate: npt.ArrayLike, variance: npt.ArrayLike, mixture_sd: float, alpha: float = 0.05
) -> tuple[FloatArray, FloatArray]:
    """The ``1 - alpha`` confidence sequence ``(low, high)`` of :func:`msprt`: with probability at least
    ``1 - alpha`` it covers the true value at every look simultaneously."""
    r = msprt(estimate, variance, mixture_sd, alpha)
    return r.ci_low, r.ci_high


# ---- A/B/n analysis ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """A metric of an A/B test.

    ``kind``: ``"proportion"`` (0/1 per unit), ``"mean"``, ``"ratio"`` (``column`` summed over units
    divided by ``denominator`` summed over units, delta method) or ``"auto"`` (proportion if every value
    is 0 or 1, else mean). ``covariate``: a pre-period column for CUPED (means and proportions).
    ``direction``: which way is better. Guardrails (``guardrail=True``) are checked against an acceptable
    degradation ``margin`` (absolute, or relative lift if ``relative``) instead of being tested for
    improvement.
    """

    name: str
    kind: str = "auto"
    column: str | None = None
    denominator: str | None = None
    covariate: str | None = None
    direction: str = "increase"
    guardrail: bool = False
    margin: float = 0.0
    relative: bool = False


@dataclass(frozen=True)
class ABTestResult:
    """Result of :func:`ab_test`: per-arm and per-comparison tables (dicts of lists), the SRM check and
    a verdict.

    Optional tables (None unless asked for): ``segments`` (every segment level x treatment x metric,
    p-values corrected across all of them) with ``heterogeneity`` (Cochran's Q per segment variable x
    metric x treatment); ``per_protocol`` (units that received their assigned arm), ``compliance`` and
    ``cace`` (complier average causal effect, two arms) when ``received`` was given.
    """

    arms: dict[str, list[Any]]
    comparisons: dict[str, list[Any]]
    srm: SRMResult
    control: str
    alpha: float
    correction: str
    verdict: str
    notes: list[str]
    segments: dict[str, list[Any]] | None = None
    heterogeneity: dict[str, list[Any]] | None = None
    segment_correction: str | None = None
    per_protocol: dict[str, list[Any]] | None = None
    compliance: dict[str, list[Any]] | None = None
    cace: dict[str, list[Any]] | None = None

    _TABLES = ("comparisons", "arms", "segments", "heterogeneity", "per_protocol", "compliance", "cace")

    def to_dict(self) -> dict[str, Any]:
        return {
            "arms": self.arms,
            "comparisons": self.comparisons,
            "srm": self.srm.to_dict(),
            "control": self.control,
            "alpha": self.alpha,
            "correction": self.correction,
            "verdict": self.verdict,
            "notes": list(self.notes),
            "segments": self.segments,
            "heterogeneity": self.heterogeneity,
            "segment_correction": self.segment_correction,
            "per_protocol": self.per_protocol,
            "compliance": self.compliance,
            "cace": self.cace,
        }

    def to_frame(self, table: str = "comparisons") -> Any:
        """A table (``"comparisons"``, ``"arms"``, ``"segments"``, ``"heterogeneity"``, ``"per_protocol"``,
        ``"compliance"``, ``"cace"``) as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        if table not in self._TABLES:
            raise ValueError(f"to_frame: table must be one of {self._TABLES}, got {table!r}")
        tab = getattr(self, table)
        if tab is None:
            raise ValueError(f"to_frame: this analysis has no {table!r} table")
        return pd.DataFrame(tab)

    def verdict_object(
        self,
        experiment: str = "",
        *,
        primary: str | None = None,
        plan: AnalysisPlan | None = None,
        **kwargs: Any,
    ) -> Verdict:
        """The structured :class:`Verdict` of this test (see :func:`verdict`); ``.verdict`` stays the
        one-line text."""
        return verdict(self, experiment=experiment, primary=primary, plan=plan, **kwargs)

    def summary(self) -> str:
        c = self.comparisons
        lines = [f"Verdict: {self.verdict}", self.srm.summary()]
        for i in range(len(c["metric"])):
            m, arm = c["metric"][i], c["arm"][i]
            ci = f"[{_fmt(c['ci_low'][i])}, {_fmt(c['ci_high'][i])}]"
            lift = f"{_pct(c['lift'][i])} [{_pct(c['lift_ci_low'][i])}, {_pct(c['lift_ci_high'][i])}]"
            if c["guardrail"][i]:
                lines.append(
                    f"- guardrail {m}, {arm} vs {self.control}: difference {_fmt(c['estimate'][i])} {ci}, "
                    f"lift {lift} -> {c['guardrail_status'][i]}"
                )
                continue
            sig = "significant" if c["significant"][i] else "not significant"
            vr = c["variance_reduction"][i]
            extra = f"; CUPED cut the variance by {100 * vr:.0f}%" if vr > 0 else ""
            lines.append(
                f"- {m}, {arm} vs {self.control}: difference {_fmt(c['estimate'][i])} {ci}, lift {lift}, "
                f"p = {_fmt(c['pvalue'][i])} ({self.correction}-adjusted {_fmt(c['pvalue_adjusted'][i])}, "
                f"{sig} at {self.alpha:g}){extra}"
            )
        if self.per_protocol is not None:
            pp = self.per_protocol
            lines.append("Per-protocol (not randomised; intention-to-treat above is the primary analysis):")
            for i in range(len(pp["metric"])):
                if pp["error"][i]:
                    lines.append(f"- {pp['metric'][i]}, {pp['arm'][i]}: not estimable ({pp['error'][i]})")
                    continue
                lines.append(
                    f"- {pp['metric'][i]}, {pp['arm'][i]} vs {self.control}: difference "
                    f"{_fmt(pp['estimate'][i])} [{_fmt(pp['ci_low'][i])}, {_fmt(pp['ci_high'][i])}], "
                    f"p = {_fmt(pp['pvalue'][i])}"
                )
        if self.cace is not None:
            cc = self.cace
            for i in range(len(cc["metric"])):
                lines.append(
                    f"- CACE {cc['metric'][i]}, {cc['arm'][i]}: {_fmt(cc['estimate'][i])} "
                    f"[{_fmt(cc['ci_low'][i])}, {_fmt(cc['ci_high'][i])}] (ITT {_fmt(cc['itt'][i])} / "
                    f"compliance difference {_fmt(cc['compliance_difference'][i])})"
                )
        if self.segments is not None:
            s = self.segments
            n_sig = sum(bool(v) for v in s["significant"])
            lines.append(
                f"Segments: {len(s['metric'])} comparisons, {n_sig} significant after "
                f"{self.segment_correction} correction (exploratory unless pre-registered)."
            )
            for i in range(len(s["metric"])):
                if s["significant"][i]:
                    lines.append(
                        f"- {s['segment'][i]}={s['level'][i]}, {s['metric'][i]}, {s['arm'][i]}: "
                        f"{_fmt(s['estimate'][i])} [{_fmt(s['ci_low'][i])}, {_fmt(s['ci_high'][i])}], "
                        f"adjusted p = {_fmt(s['pvalue_adjusted'][i])}"
                    )
        if self.heterogeneity is not None:
            h = self.heterogeneity
            for i in range(len(h["metric"])):
                lines.append(
                    f"- heterogeneity of {h['metric'][i]} ({h['arm'][i]}) across {h['segment'][i]}: "
                    f"Q = {_fmt(h['q'][i])} on {h['df'][i]:g} df, p = {_fmt(h['pvalue'][i])}, "
                    f"I2 = {100 * h['i2'][i]:.0f}%"
                )
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:
        n = len(self.comparisons["metric"])
        return f"ABTestResult(verdict={self.verdict!r}, comparisons={n}, srm_ok={self.srm.ok})"

    @staticmethod
    def _html_table(tab: Mapping[str, list[Any]], cols: Sequence[str]) -> str:
        head = "".join(f"<th>{escape(c)}</th>" for c in cols)
        rows = ""
        for i in range(len(tab[cols[0]])):
            cells = ""
            for c in cols:
                v = tab[c][i]
                cells += f"<td>{_fmt(v) if isinstance(v, float) else escape(str(v))}</td>"
            rows += f"<tr>{cells}</tr>"
        return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"

    def _repr_html_(self) -> str:
        c = self.comparisons
        head = "".join(
            f"<th>{h}</th>"
            for h in ("metric", "arm", "estimate", "CI", "lift", "p", "p adj.", "CUPED var. red.", "status")
        )
        rows = ""
        for i in range(len(c["metric"])):
            status = (
                c["guardrail_status"][i]
                if c["guardrail"][i]
                else ("significant" if c["significant"][i] else "")
            )
            rows += (
                f"<tr><td>{escape(str(c['metric'][i]))}</td><td>{escape(str(c['arm'][i]))}</td>"
                f"<td>{_fmt(c['estimate'][i])}</td><td>[{_fmt(c['ci_low'][i])}, {_fmt(c['ci_high'][i])}]</td>"
                f"<td>{_pct(c['lift'][i])}</td><td>{_fmt(c['pvalue'][i])}</td>"
                f"<td>{_fmt(c['pvalue_adjusted'][i])}</td><td>{100 * c['variance_reduction'][i]:.0f}%</td>"
                f"<td>{escape(status)}</td></tr>"
            )
        colour = "#b71c1c" if not self.srm.ok else "#333"
        extra = ""
        if self.per_protocol is not None:
            extra += "<p>Per-protocol (not randomised):</p>" + self._html_table(
                self.per_protocol,
                ("metric", "arm", "n_treatment", "n_control", "estimate", "ci_low", "ci_high", "pvalue"),
            )
        if self.cace is not None:
            extra += "<p>Complier average causal effect (Wald / IV):</p>" + self._html_table(
                self.cace,
                ("metric", "arm", "itt", "compliance_difference", "estimate", "ci_low", "ci_high", "pvalue"),
            )
        if self.segments is not None:
            extra += (
                f"<p>Segments ({escape(str(self.segment_correction))}-adjusted; exploratory unless "
                "pre-registered):</p>"
                + self._html_table(
                    self.segments,
                    (
                        "segment",
                        "level",
                        "metric",
                        "arm",
                        "estimate",
                        "ci_low",
                        "ci_high",
                        "pvalue_adjusted",
                        "error",
                    ),
                )
            )
        if self.heterogeneity is not None:
            extra += "<p>Heterogeneity across segments (Cochran's Q):</p>" + self._html_table(
                self.heterogeneity, ("segment", "metric", "arm", "levels", "q", "df", "pvalue", "i2")
            )
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        return (
            "<div class='missionkit-abtest'>"
            f"<p><strong>{escape(self.verdict)}</strong></p>"
            f"<p style='color:{colour}'>{escape(self.srm.summary())}</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{extra}"
            + (f"<ul>{notes}</ul>" if notes else "")
            + "</div>"
        )


def _column(data: Any, key: Any, what: str) -> npt.NDArray[Any]:
    if isinstance(key, str):
        if data is None:
            raise ValueError(f"ab_test: {what} is the column name {key!r} but no data was given")
        try:
            values = data[key]
        except (KeyError, IndexError, TypeError):
            raise ValueError(f"ab_test: data has no column {key!r} (needed for {what})") from None
        return np.asarray(values)
    return np.asarray(key)


def _values(data: Any, key: Any, what: str) -> npt.NDArray[Any]:
    """A numeric column as float32 (kept, to read large experiments in place) or float64."""
    v = _column(data, key, what)
    return v if v.dtype == np.float32 else v.astype(np.float64, copy=False)


def _factorize(
    values: npt.NDArray[Any],
) -> tuple[list[str], npt.NDArray[np.int32], npt.NDArray[np.float64], npt.NDArray[np.int8] | None]:
    """Arm labels (as text, sorted as text), the code of each row, the rows per arm and, when it comes for
    free, the codes as int8. Small-range integer arms (the usual 0..k-1 codes of a large experiment) are
    mapped in O(n) instead of sorting every row's text."""
    if values.dtype.kind in "iu" and values.size:
        lo, hi = int(values.min()), int(values.max())
        if hi - lo < 16:
            # a handful of codes: one int8 copy (passed on to C++) and a count per code, several times
            # faster than np.bincount on 10M rows
            small = (values - lo).astype(np.int8) if lo else values.astype(np.int8)
            freq = np.asarray([np.count_nonzero(small == v) for v in range(hi - lo + 1)])
        elif hi - lo < 1_000_000:
            small = None
            freq = np.bincount((values - lo).astype(np.int64, copy=False), minlength=hi - lo + 1)
        else:
            freq = None
        if freq is not None:
            present = np.flatnonzero(freq)
            texts = [str(int(v) + lo) for v in present]
            order = sorted(range(len(texts)), key=texts.__getitem__)
            counts = freq[present[order]].astype(np.float64)
            if lo == 0 and present.size == hi + 1 and order == list(range(hi + 1)):
                # codes 0..k-1 (k <= 10) are already the answer: no copy of 10M rows
                return texts, np.ascontiguousarray(values, dtype=np.int32), counts, small
            lookup = np.full(hi - lo + 1, -1, dtype=np.int32)
            lookup[present[order]] = np.arange(len(order), dtype=np.int32)
            return [texts[i] for i in order], lookup[values - lo], counts, None
    uniq, codes = np.unique(values.astype(str), return_inverse=True)
    codes32 = codes.astype(np.int32).ravel()
    counts = np.bincount(codes32, minlength=len(uniq)).astype(np.float64)
    return [str(v) for v in uniq], codes32, counts, None


def _guardrail_status(m: Metric, est: float, lo: float, hi: float, clo: float, chi: float) -> str:
    """'pass' when the CI rules out a degradation beyond the margin, 'fail' when it lies wholly beyond the
    margin on the harmful side, else 'inconclusive'."""
    low, high = (clo, chi) if m.relative else (lo, hi)
    del est
    if m.direction == "increase":  # harm is a decrease
        if low > -m.margin:
            return "pass"
        if high < -m.margin:
            return "fail"
    else:
        if high < m.margin:
            return "pass"
        if low > m.margin:
            return "fail"
    return "inconclusive"


@dataclass(frozen=True)
class _Prepared:
    spec: Metric
    kind: str
    y: npt.NDArray[Any]
    x: npt.NDArray[Any] | None


_SUB_KEYS = (
    "estimate", "std_error", "ci_low", "ci_high", "statistic", "pvalue", "lift", "lift_ci_low",
    "lift_ci_high",
)  # fmt: skip


def _subset_rows(
    preps: Sequence[_Prepared],
    codes: npt.NDArray[np.int32],
    mask: npt.NDArray[np.bool_],
    labels: Sequence[str],
    control: int,
    alpha: float,
    min_units: float,
) -> list[dict[str, Any]]:
    """Every treatment x metric comparison on the units in ``mask``, with the same estimators as the main
    analysis. A comparison that cannot be made there (an arm with no units or zero variance) gets NaN and
    the reason in ``error`` instead of stopping the whole analysis."""
    sub = np.ascontiguousarray(codes[mask])
    n_by_arm = np.bincount(sub, minlength=len(labels))
    rows: list[dict[str, Any]] = []
    for p in preps:
        y = np.ascontiguousarray(p.y[mask])
        x = None if p.x is None else np.ascontiguousarray(p.x[mask])
        try:
            r = _core.experiment_analyze_metric(
                p.kind, sub, len(labels), control, y, x, float(alpha), p.spec.name, min_units
            )
            comps: Any = r["comparisons"]
            err = ""
        except ValueError as e:
            comps, err = None, str(e)
        for j, a in enumerate(i for i in range(len(labels)) if i != control):
            row: dict[str, Any] = {
                "metric": p.spec.name,
                "kind": p.kind,
                "arm": labels[a],
                "n_treatment": int(n_by_arm[a]),
                "n_control": int(n_by_arm[control]),
            }
            for k in _SUB_KEYS:
                row[k] = float(comps[k][j]) if comps is not None else math.nan
            row["error"] = err
            rows.append(row)
    return rows


def _table(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> dict[str, list[Any]]:
    return {k: [r[k] for r in rows] for k in keys}


def _segment_columns(data: Any, segments: Any, n: int) -> list[tuple[str, npt.NDArray[Any]]]:
    if isinstance(segments, (str, bytes)) or (isinstance(segments, np.ndarray) and segments.ndim == 1):
        segments = [segments]
    items: list[tuple[str, Any]] = (
        [(str(k), v) for k, v in segments.items()]
        if isinstance(segments, Mapping)
        else [(s if isinstance(s, str) else f"segment_{i + 1}", s) for i, s in enumerate(segments)]
    )
    if not items:
        raise ValueError("ab_test: segments must name at least one column")
    out = []
    for name, s in items:
        v = _column(data, s, f"segment {name!r}")
        if v.shape != (n,):
            raise ValueError(
                f"ab_test: segment {name!r} must have one value per unit ({n}), got shape {v.shape}"
            )
        out.append((name, v.astype(str)))
    names = [nm for nm, _ in out]
    if len(set(names)) != len(names):
        raise ValueError(f"ab_test: segment names must be unique, got {names}")
    return out


def _segment_analysis(
    preps: Sequence[_Prepared],
    codes: npt.NDArray[np.int32],
    labels: Sequence[str],
    control: int,
    seg_cols: Sequence[tuple[str, npt.NDArray[Any]]],
    alpha: float,
    correction: str,
    min_units: float,
) -> tuple[dict[str, list[Any]], dict[str, list[Any]], str]:
    rows: list[dict[str, Any]] = []
    for name, v in seg_cols:
        for level in sorted(set(v.tolist())):
            for r in _subset_rows(preps, codes, v == level, labels, control, alpha, min_units):
                rows.append({"segment": name, "level": level, **r})
    ok = [i for i, r in enumerate(rows) if math.isfinite(r["pvalue"])]
    adjusted = [math.nan] * len(rows)
    if ok:
        pv = np.asarray([rows[i]["pvalue"] for i in ok], dtype=np.float64)
        for i, v in zip(ok, _stats.adjust_pvalues(pv, correction)):
            adjusted[i] = float(v)
    for r, adj in zip(rows, adjusted):
        r["pvalue_adjusted"] = adj
        r["significant"] = bool(adj <= alpha)
    keys = (
        "segment", "level", "metric", "kind", "arm", "n_treatment", "n_control", *_SUB_KEYS,
        "pvalue_adjusted", "significant", "error",
    )  # fmt: skip
    table = _table(rows, keys)

    het: list[dict[str, Any]] = []
    for name, _ in seg_cols:
        for p in preps:
            for a in (labels[i] for i in range(len(labels)) if i != control):
                sel = [
                    r
                    for r in rows
                    if r["segment"] == name
                    and r["metric"] == p.spec.name
                    and r["arm"] == a
                    and math.isfinite(r["estimate"])
                    and r["std_error"] > 0
                ]
                if len(sel) < 2:
                    continue
                q = _core.experiment_cochran_q(
                    np.asarray([r["estimate"] for r in sel]), np.asarray([r["std_error"] for r in sel])
                )
                het.append({"segment": name, "metric": p.spec.name, "arm": a, "levels": len(sel), **q})
    het_table = _table(het, ("segment", "metric", "arm", "levels", "q", "df", "pvalue", "i2", "pooled"))
    levels = sum(len(set(v.tolist())) for _, v in seg_cols)
    note = (
        f"Segment results are exploratory unless pre-registered: {len(rows)} segment comparisons were made "
        f"({levels} levels of {', '.join(n for n, _ in seg_cols)} x {len(preps)} metric(s) x "
        f"{len(labels) - 1} treatment(s)), p-values {correction}-adjusted across all of them. Among many "
        "segments some differ by chance; trust a segment effect only if the heterogeneity test supports it "
        "and a new experiment confirms it."
    )
    return table, het_table, note


def _received_analysis(
    preps: Sequence[_Prepared],
    codes: npt.NDArray[np.int32],
    labels: Sequence[str],
    control: int,
    arm_values: npt.NDArray[Any],
    received: npt.NDArray[Any],
    alpha: float,
    min_units: float,
) -> tuple[dict[str, list[Any]], dict[str, list[Any]], dict[str, list[Any]] | None, list[str]]:
    if received.shape != arm_values.shape:
        raise ValueError(
            f"ab_test: received must have one value per unit ({arm_values.size}), got shape {received.shape}"
        )
    boolean = received.dtype.kind == "b"
    if boolean:
        complied = received.astype(bool)
    else:
        rec_text = received.astype(str)
        unknown = sorted(set(np.unique(rec_text).tolist()) - set(labels))
        if unknown:
            raise ValueError(
                f"ab_test: received has value(s) {unknown[:5]} that are not arms {list(labels)}; pass the "
                "arm each unit actually received, or a boolean 'complied' column"
            )
        complied = rec_text == arm_values.astype(str)
    n_arm = np.bincount(codes, minlength=len(labels))
    n_ok = np.bincount(codes[complied], minlength=len(labels))
    compliance: dict[str, list[Any]] = {
        "arm": list(labels),
        "n": [int(v) for v in n_arm],
        "complied": [int(v) for v in n_ok],
        "share": [float(c / n) if n else math.nan for c, n in zip(n_ok, n_arm)],
    }
    pp_rows = _subset_rows(preps, codes, complied, labels, control, alpha, min_units)
    per_protocol = _table(pp_rows, ("metric", "kind", "arm", "n_treatment", "n_control", *_SUB_KEYS, "error"))
    notes = [
        f"Per-protocol analysis (the {int(complied.sum())} of {complied.size} units that received their "
        "assigned arm) is shown beside the intention-to-treat analysis. It is not randomised (who complies "
        "can depend on the outcome), so the intention-to-treat comparison remains the primary result."
    ]
    if len(labels) != 2:
        return per_protocol, compliance, None, notes
    # Complier average causal effect (Angrist, Imbens & Rubin 1996): the Wald / IV estimator
    # beta = ITT_y / ITT_d with d = "received the treatment". Its delta-method variance is
    # sum_arms var_a(y - beta d) / n_a / ITT_d^2 (the residual y - beta d has the same mean in both arms).
    t = 1 - control
    is_t = codes == t
    if boolean:
        d = np.where(is_t, complied, ~complied).astype(np.float64)
    else:
        d = (rec_text == labels[t]).astype(np.float64)
    dt, dc = float(d[is_t].mean()), float(d[~is_t].mean())
    diff = dt - dc
    if not diff > 0.0:
        notes.append(
            f"No CACE: the treatment arm did not receive the treatment more often than control "
            f"({dt:.3g} vs {dc:.3g})."
        )
        return per_protocol, compliance, None, notes
    z = NormalDist().inv_cdf(1.0 - alpha / 2.0)
    rows: list[dict[str, Any]] = []
    for p in preps:
        if p.kind == "ratio":
            continue
        y = p.y.astype(np.float64)
        itt = float(y[is_t].mean() - y[~is_t].mean())
        beta = itt / diff
        u = y - beta * d
        var = (u[is_t].var(ddof=1) / is_t.sum() + u[~is_t].var(ddof=1) / (~is_t).sum()) / diff**2
        se = math.sqrt(var)
        stat = beta / se if se > 0 else math.nan
        rows.append(
            {
                "metric": p.spec.name,
                "arm": labels[t],
                "itt": itt,
                "compliance_difference": diff,
                "estimate": beta,
                "std_error": se,
                "ci_low": beta - z * se,
                "ci_high": beta + z * se,
                "pvalue": math.erfc(abs(stat) / math.sqrt(2.0)) if math.isfinite(stat) else math.nan,
                "one_sided": dc == 0.0,
            }
        )
    cace = _table(
        rows,
        ("metric", "arm", "itt", "compliance_difference", "estimate", "std_error", "ci_low", "ci_high",
         "pvalue", "one_sided"),
    )  # fmt: skip
    notes.append(
        "CACE (complier average causal effect) = ITT effect / difference in treatment received "
        f"({diff:.3g}), the Wald instrumental-variable estimator with a delta-method interval; it assumes "
        "assignment affects the outcome only through the treatment received"
        + (
            " and no defiers (non-compliance is two-sided here)."
            if dc > 0.0
            else " (one-sided non-compliance)."
        )
        + " Unadjusted means are used (no CUPED); ratio metrics are skipped."
    )
    return per_protocol, compliance, cace, notes


def _analyze_all(
    preps: Sequence[_Prepared],
    codes: npt.NDArray[Any],
    n_arms: int,
    control: int,
    alpha: float,
    min_units: float,
) -> list[dict[str, Any]]:
    """The _core analysis of every metric, in order. Plain proportions and means (no covariate) of one
    dtype go through one batched C++ sweep (the arm codes are read once per block for all of them, not
    once per metric), and so do ratio metrics over the same denominator array (its per-arm sums are
    accumulated once); results and errors are those of the per-metric call. CUPED metrics are analysed
    one by one."""
    out: list[dict[str, Any] | None] = [None] * len(preps)
    groups: dict[bool, list[int]] = {}
    ratios: dict[tuple[int, bool], list[int]] = {}
    for i, p in enumerate(preps):
        if p.x is None and p.kind in ("proportion", "mean"):
            groups.setdefault(p.y.dtype == np.float32, []).append(i)
        elif p.kind == "ratio" and p.x is not None:
            # the same denominator object (one column of the data), numerators of one dtype
            ratios.setdefault((id(p.x), p.y.dtype == np.float32), []).append(i)
    batched = {i for idx in [*groups.values(), *ratios.values()] for i in idx}
    for idx in ratios.values():
        den = preps[idx[0]].x
        rs = _core.experiment_analyze_ratios(
            codes,
            n_arms,
            control,
            [preps[i].y for i in idx],
            den,
            [preps[i].spec.name for i in idx],
            alpha,
            min_units,
        )
        for i, r in zip(idx, rs):
            out[i] = r
    for idx in groups.values():  # in order of each group's first metric
        rs = _core.experiment_analyze_metrics(
            [preps[i].kind for i in idx],
            codes,
            n_arms,
            control,
            [preps[i].y for i in idx],
            [preps[i].spec.name for i in idx],
            alpha,
        )
        for i, r in zip(idx, rs):
            out[i] = r
    for i, p in enumerate(preps):
        if i not in batched:
            out[i] = _core.experiment_analyze_metric(
                p.kind, codes, n_arms, control, p.y, p.x, alpha, p.spec.name, min_units
            )
    return [r for r in out if r is not None]


def ab_test(
    data: Any = None,
    *,
    arm: Any = "arm",
    metrics: Sequence[str | Metric],
    control: str | None = None,
    unit: Any = None,
    weights: Sequence[float] | Mapping[str, float] | None = None,
    alpha: float = 0.05,
    correction: str = "holm",
    srm_threshold: float = 0.001,
    min_units: float = 10.0,
    segments: Any = None,
    segment_correction: str = "holm",
    received: Any = None,
) -> ABTestResult:
    """Analyse an A/B/n test with one row per randomisation unit.

    ``data``: a pandas/polars DataFrame or a mapping of column name to array; ``arm``, ``unit`` and the
    metric columns may be names in ``data`` or arrays (float32 columns are read in place, without a
    copy). ``metrics``: names (kind inferred) or :class:`Metric` objects. ``control`` defaults to the arm
    called ``"control"`` if there is one, else the first arm in sorted order. ``weights`` are the designed
    shares for the SRM check (default equal). P-values of the non-guardrail comparisons (every treatment x
    metric) are adjusted together with ``correction`` (``"holm"`` default; also ``"bonferroni"``,
    ``"hochberg"``, ``"bh"``, ``"by"``); the confidence intervals are not adjusted. A failed SRM check
    blocks the verdict.

    ``segments``: declared segment columns (names, arrays, or a mapping name -> array). Every segment level
    x treatment x metric is compared with the same estimators; those p-values are adjusted together with
    ``segment_correction``; ``heterogeneity`` holds Cochran's Q per segment variable x metric x treatment
    (does the effect differ between levels?), and a note warns that segment results are exploratory.

    ``received``: the arm each unit actually received (or a boolean "complied" column). The main analysis
    stays intention-to-treat (by assigned arm); a per-protocol analysis of the units that received their
    assigned arm is added (``per_protocol``, ``compliance``), and for two arms the complier average causal
    effect (``cace``, Wald / IV estimator with a delta-method interval).
    """
    if not metrics:
        raise ValueError("ab_test: metrics must name at least one metric")
    arm_values = _column(data, arm, "arm")
    if arm_values.ndim != 1:
        raise ValueError(f"ab_test: arm must be 1-D, got shape {arm_values.shape}")
    labels, codes32, counts, codes8 = _factorize(arm_values)
    if len(labels) < 2:
        raise ValueError(f"ab_test: needs at least 2 arms, found {labels}")
    if control is None:
        control = "control" if "control" in labels else labels[0]
    if control not in labels:
        raise ValueError(f"ab_test: control arm {control!r} not found; arms are {labels}")
    ci = labels.index(control)

    if unit is not None:
        unit_values = _column(data, unit, "unit")
        _, unit_codes = np.unique(unit_values.astype(str), return_inverse=True)
        dup = _core.experiment_find_duplicate_unit(unit_codes.astype(np.int64).ravel(), codes32)
        if dup is not None:
            i, j, two_arms = dup
            u = unit_values[i]
            if two_arms:
                raise _core.DataError(
                    f"ab_test: unit {u!r} is in two arms ({labels[codes32[i]]!r} at row {i}, "
                    f"{labels[codes32[j]]!r} at row {j}); each unit must be in exactly one arm. Check the "
                    "assignment join, or drop the contaminated units and report how many"
                )
            raise _core.DataError(
                f"ab_test: unit {u!r} appears twice (rows {i} and {j}); the analysis needs one row per unit. "
                "Aggregate to the unit first (for per-event metrics use a ratio Metric)"
            )

    if isinstance(weights, Mapping):
        missing = [a for a in labels if a not in weights]
        if missing:
            raise ValueError(f"ab_test: weights has no entry for arm(s) {missing}")
        w = np.asarray([float(weights[a]) for a in labels])
    elif weights is None:
        w = np.ones(len(labels))
    else:
        w = np.asarray(weights, dtype=np.float64)
    srm_result = srm(dict(zip(labels, counts.tolist())), dict(zip(labels, w.tolist())), srm_threshold)

    arms_tab: dict[str, list[Any]] = {
        k: [] for k in ("metric", "arm", "n", "value", "std_error", "unadjusted")
    }
    cmp_keys = (
        "metric", "kind", "arm", "estimate", "std_error", "ci_low", "ci_high", "statistic", "df", "pvalue",
        "lift", "lift_ci_low", "lift_ci_high", "variance_reduction", "cuped_theta", "guardrail",
        "guardrail_status", "direction",
    )  # fmt: skip
    cmp: dict[str, list[Any]] = {k: [] for k in cmp_keys}
    specs = [m if isinstance(m, Metric) else Metric(m) for m in metrics]
    names = [m.name for m in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"ab_test: metric names must be unique, got {names}")
    # 8-bit codes: every metric re-reads them, and a quarter of the bytes is a quarter of the traffic
    if codes8 is None:
        codes8 = codes32.astype(np.int8) if len(labels) <= 127 else None
    codes_small = codes32 if codes8 is None else codes8
    preps: list[_Prepared] = []
    denominators: dict[Any, npt.NDArray[Any]] = {}
    for m in specs:
        if m.direction not in ("increase", "decrease"):
            raise ValueError(f"ab_test: metric {m.name!r}: direction must be 'increase' or 'decrease'")
        y = _values(data, m.column or m.name, f"metric {m.name!r}")
        kind = m.kind
        if kind == "auto":
            kind = "proportion" if np.all((y == 0) | (y == 1)) else "mean"
        x: npt.NDArray[Any] | None = None
        if kind == "ratio":
            if m.denominator is None:
                raise ValueError(f"ab_test: ratio metric {m.name!r} needs a denominator column")
            key = m.denominator if isinstance(m.denominator, str) else id(m.denominator)
            if key not in denominators:  # one array per denominator column: its ratios are batched
                denominators[key] = _values(data, m.denominator, f"denominator of {m.name!r}")
            x = denominators[key]
        elif m.covariate is not None:
            x = _values(data, m.covariate, f"covariate of {m.name!r}")
        preps.append(_Prepared(m, kind, y, x))
    results = _analyze_all(preps, codes_small, len(labels), ci, float(alpha), min_units)
    for p_, r in zip(preps, results):
        m, kind = p_.spec, p_.kind
        for a in range(len(labels)):
            arms_tab["metric"].append(m.name)
            arms_tab["arm"].append(labels[a])
            for key in ("n", "value", "std_error", "unadjusted"):
                arms_tab[key].append(float(r["arms"][key][a]))
        comps = r["comparisons"]
        for i, a in enumerate(comps["arm"]):
            cmp["metric"].append(m.name)
            cmp["kind"].append(kind)
            cmp["arm"].append(labels[int(a)])
            for key in (
                "estimate", "std_error", "ci_low", "ci_high", "statistic", "df", "pvalue", "lift",
                "lift_ci_low", "lift_ci_high", "variance_reduction",
            ):  # fmt: skip
                cmp[key].append(float(comps[key][i]))
            cmp["cuped_theta"].append(r["cuped_theta"])
            cmp["guardrail"].append(m.guardrail)
            cmp["direction"].append(m.direction)
            cmp["guardrail_status"].append(
                _guardrail_status(
                    m,
                    float(comps["estimate"][i]),
                    float(comps["ci_low"][i]),
                    float(comps["ci_high"][i]),
                    float(comps["lift_ci_low"][i]),
                    float(comps["lift_ci_high"][i]),
                )
                if m.guardrail
                else ""
            )
    primary = [i for i, g in enumerate(cmp["guardrail"]) if not g]
    adjusted = [math.nan] * len(cmp["metric"])
    if primary:
        p = np.asarray([cmp["pvalue"][i] for i in primary], dtype=np.float64)
        for i, v in zip(primary, _stats.adjust_pvalues(p, correction)):
            adjusted[i] = float(v)
    cmp["pvalue_adjusted"] = adjusted
    directions = {m.name: m.direction for m in specs}
    cmp["significant"] = [(not g) and adj <= alpha for g, adj in zip(cmp["guardrail"], adjusted)]

    notes: list[str] = []
    if len(primary) > 1:
        notes.append(f"{len(primary)} comparisons: p-values adjusted with {correction}; intervals are not.")
    fails = [
        f"{cmp['metric'][i]} ({cmp['arm'][i]})" for i, s in enumerate(cmp["guardrail_status"]) if s == "fail"
    ]
    unclear = [
        f"{cmp['metric'][i]} ({cmp['arm'][i]})"
        for i, s in enumerate(cmp["guardrail_status"])
        if s == "inconclusive"
    ]
    wins: list[str] = []
    losses: list[str] = []
    for i in primary:
        if cmp["significant"][i]:
            good = (cmp["estimate"][i] > 0) == (directions[cmp["metric"][i]] == "increase")
            (wins if good else losses).append(f"{cmp['metric'][i]} ({cmp['arm'][i]})")
    if not srm_result.ok:
        verdict_text = (
            "Blocked: sample ratio mismatch; fix the assignment or logging before reading any effect."
        )
    elif fails:
        verdict_text = "Do not ship: guardrail degraded beyond its margin: " + ", ".join(fails) + "."
    elif losses:
        verdict_text = "Do not ship: significant harm on " + ", ".join(losses) + "."
    elif wins:
        verdict_text = "Improvement on " + ", ".join(wins) + "."
        if unclear:
            verdict_text += " Guardrail(s) not yet shown safe: " + ", ".join(unclear) + "."
    else:
        verdict_text = "No significant difference on the primary metrics."
        if unclear:
            verdict_text += " Guardrail(s) not yet shown safe: " + ", ".join(unclear) + "."

    seg_table = het_table = None
    if segments is not None:
        seg_cols = _segment_columns(data, segments, codes32.size)
        seg_table, het_table, seg_note = _segment_analysis(
            preps, codes32, labels, ci, seg_cols, alpha, segment_correction, min_units
        )
        notes.append(seg_note)
    pp_table = compliance = cace = None
    if received is not None:
        pp_table, compliance, cace, rec_notes = _received_analysis(
            preps, codes32, labels, ci, arm_values, _column(data, received, "received"), alpha, min_units
        )
        notes += rec_notes
    return ABTestResult(
        arms=arms_tab,
        comparisons=cmp,
        srm=srm_result,
        control=control,
        alpha=float(alpha),
        correction=correction,
        verdict=verdict_text,
        notes=notes,
        segments=seg_table,
        heterogeneity=het_table,
        segment_correction=segment_correction if segments is not None else None,
        per_protocol=pp_table,
        compliance=compliance,
        cace=cace,
    )
