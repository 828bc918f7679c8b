"""Stepped-wedge cluster-randomised designs: the design matrix and Hussey & Hughes (2007) power.

In a stepped-wedge trial every cluster (a site, a team, a region) starts in control and crosses over to
the intervention at a randomised step; by the last period all clusters are treated. It suits roll-outs
that will reach everyone anyway. The power is that of the cross-sectional design analysed with a random
cluster effect and fixed period effects (Hussey & Hughes 2007, Contemporary Clinical Trials 28:182-191,
eq. 8); the numbers come from the C++ core (``missionkit::stats::stepped_wedge_power``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from missionkit import _core

__all__ = ["SteppedWedgePower", "stepped_wedge_design", "stepped_wedge_power"]

IntMatrix = npt.NDArray[np.int64]


def stepped_wedge_design(
    steps: int | None = None,
    clusters: int | None = None,
    clusters_per_step: int | Sequence[int] | None = None,
    baseline_periods: int = 1,
) -> IntMatrix:
    """The clusters x periods 0/1 treatment matrix of the standard stepped-wedge design.

    Give ``steps`` with ``clusters`` (split equally, so a multiple of steps) or with an integer
    ``clusters_per_step``, or a list ``clusters_per_step`` (one entry per step, for unequal groups).
    Group s crosses over at period ``baseline_periods + s``; there are ``baseline_periods + steps``
    periods.

    >>> stepped_wedge_design(steps=3, clusters_per_step=1)
    array([[0, 1, 1, 1],
           [0, 0, 1, 1],
           [0, 0, 0, 1]])
    """
    fn = "stepped_wedge_design"
    per: list[int]
    if clusters_per_step is not None and not isinstance(clusters_per_step, int):
        per = [int(c) for c in clusters_per_step]
        if steps is not None and steps != len(per):
            raise ValueError(f"{fn}: steps={steps} but clusters_per_step has {len(per)} entries")
        if clusters is not None and clusters != sum(per):
            raise ValueError(f"{fn}: clusters={clusters} but clusters_per_step sums to {sum(per)}")
    else:
        if steps is None:
            raise ValueError(
                f"{fn}: give steps (with clusters or clusters_per_step), or a list clusters_per_step"
            )
        if clusters_per_step is not None:
            if clusters is not None and clusters != steps * clusters_per_step:
                raise ValueError(
                    f"{fn}: clusters={clusters} but steps * clusters_per_step = {steps * clusters_per_step}"
                )
            per = [int(clusters_per_step)] * int(steps)
        elif clusters is not None:
            if steps < 1 or clusters % steps != 0 or clusters < steps:
                raise ValueError(
                    f"{fn}: clusters ({clusters}) must be a positive multiple of steps ({steps}); "
                    "pass a list clusters_per_step for unequal groups"
                )
            per = [clusters // steps] * steps
        else:
            raise ValueError(f"{fn}: give clusters or clusters_per_step with steps")
    out: IntMatrix = _core.experiment_stepped_wedge_design(per, int(baseline_periods))
    return out


@dataclass(frozen=True)
class SteppedWedgePower:
    """Power of a cross-sectional stepped-wedge design (Hussey & Hughes 2007)."""

    power: float
    std_error: float
    variance: float
    effect: float
    sigma_e: float
    tau: float
    icc: float
    m: float
    alpha: float
    clusters: int
    periods: int

    def summary(self) -> str:
        return (
            f"Stepped wedge, {self.clusters} clusters x {self.periods} periods, {self.m:g} individuals per "
            f"cluster-period, ICC {self.icc:.3g}: power {100 * self.power:.1f}% to detect {self.effect:g} "
            f"at two-sided alpha {self.alpha:g} (SE of the effect {self.std_error:.4g})."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "power": self.power,
            "std_error": self.std_error,
            "variance": self.variance,
            "effect": self.effect,
            "sigma_e": self.sigma_e,
            "tau": self.tau,
            "icc": self.icc,
            "m": self.m,
            "alpha": self.alpha,
            "clusters": self.clusters,
            "periods": self.periods,
        }

    def __repr__(self) -> str:
        return (
            f"SteppedWedgePower(power={self.power:.4g}, std_error={self.std_error:.4g}, "
            f"clusters={self.clusters}, periods={self.periods})"
        )


def stepped_wedge_power(
    design: npt.ArrayLike,
    effect: float,
    sigma_e: float,
    m: float,
    tau: float | None = None,
    icc: float | None = None,
    alpha: float = 0.05,
) -> SteppedWedgePower:
    """Power to detect ``effect`` with a cross-sectional stepped-wedge ``design`` (0/1, clusters x periods,
    e.g. from :func:`stepped_wedge_design`) and ``m`` individuals per cluster and period.

    ``sigma_e`` is the individual-level standard deviation (for a proportion p, ``sqrt(p (1 - p))``);
    give the between-cluster standard deviation ``tau`` or the intra-cluster correlation
    ``icc = tau^2 / (tau^2 + sigma_e^2)``. With sigma^2 = sigma_e^2 / m, I clusters, T periods,
    U = sum X, W = sum over periods of (column sum)^2 and V = sum over clusters of (row sum)^2:

        Var = I sigma^2 (sigma^2 + T tau^2) / ((I U - W) sigma^2 + (U^2 + I T U - T W - I V) tau^2),
        power = Phi(|effect| / sqrt(Var) - z_{1 - alpha/2})      (Hussey & Hughes 2007, eq. 8)
    """
    fn = "stepped_wedge_power"
    if (tau is None) == (icc is None):
        raise ValueError(f"{fn}: give exactly one of tau and icc")
    se = float(sigma_e)
    if icc is not None:
        if not 0.0 <= icc < 1.0:
            raise ValueError(f"{fn}: icc must be in [0, 1), got {icc}")
        tau_v = se * math.sqrt(icc / (1.0 - icc)) if se > 0 else math.nan
    else:
        tau_v = float(tau) if tau is not None else math.nan
    x = np.asarray(design)
    if x.ndim != 2:
        raise ValueError(f"{fn}: design must be a 2-D clusters x periods matrix, got shape {x.shape}")
    if x.dtype.kind == "f" and not np.all(np.isin(x, (0.0, 1.0))):
        raise ValueError(f"{fn}: design entries must be 0 or 1")
    r = _core.experiment_stepped_wedge_power(
        x.astype(np.int64), float(effect), se, tau_v, float(m), float(alpha)
    )
    total = tau_v**2 + se**2
    return SteppedWedgePower(
        power=float(r["power"]),
        std_error=float(r["std_error"]),
        variance=float(r["variance"]),
        effect=float(effect),
        sigma_e=se,
        tau=tau_v,
        icc=tau_v**2 / total if total > 0 else math.nan,
        m=float(m),
        alpha=float(alpha),
        clusters=int(x.shape[0]),
        periods=int(x.shape[1]),
    )
