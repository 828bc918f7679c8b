"""Power and sample size of difference-in-differences designs (Frison & Pocock 1992).

Two groups of units (customers, sites, teams), each unit measured in ``pre`` periods before and ``post``
periods after a change that reaches only the treated group. With outcome standard deviation ``sigma`` per
unit-period and a constant correlation ``rho`` between two periods of the same unit (compound symmetry),
a unit's change score (mean after - mean before) has variance ``sigma^2 D`` with

    D = (1 + (post - 1) rho) / post + (1 + (pre - 1) rho) / pre - 2 rho      (D = 2 (1 - rho) for 1 and 1),

and the DiD estimate (which the two-way fixed-effects regression gives on a balanced panel) has variance
``sigma^2 D (1 / n_treated + 1 / n_control)``: Frison & Pocock (1992), "Repeated measures in clinical
trials: analysis using mean summary statistics and its implications for design", Statistics in Medicine
11:1685-1704, the CHANGE analysis. The power is that of the z-test, both tails counted (as statsmodels'
``NormalIndPower``). The numbers come from the C++ core (``missionkit::stats::did_power``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from missionkit import _core

__all__ = ["DiDPower", "did_power"]


@dataclass(frozen=True)
class DiDPower:
    """Power of a difference-in-differences design; the solved quantity is one of effect, n_treated,
    power (n is unrounded: round it up for a design)."""

    effect: float
    n_treated: float
    n_control: float
    power: float
    std_error: float
    variance_factor: float
    sigma: float
    rho: float
    pre: int
    post: int
    alpha: float
    alternative: str
    solved_for: str

    def summary(self) -> str:
        return (
            f"Difference in differences, {self.pre} period(s) before and {self.post} after, serial "
            f"correlation {self.rho:g}: {self.n_treated:.1f} treated and {self.n_control:.1f} control units "
            f"give power {100 * self.power:.1f}% to detect {self.effect:.4g} at {self.alternative} alpha "
            f"{self.alpha:g} (SE of the estimate {self.std_error:.4g}; solved for {self.solved_for})."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "effect": self.effect,
            "n_treated": self.n_treated,
            "n_control": self.n_control,
            "power": self.power,
            "std_error": self.std_error,
            "variance_factor": self.variance_factor,
            "sigma": self.sigma,
            "rho": self.rho,
            "pre": self.pre,
            "post": self.post,
            "alpha": self.alpha,
            "alternative": self.alternative,
            "solved_for": self.solved_for,
        }

    def __repr__(self) -> str:
        return (
            f"DiDPower(effect={self.effect:.4g}, n_treated={self.n_treated:.4g}, power={self.power:.4g}, "
            f"solved_for={self.solved_for!r})"
        )


def did_power(
    effect: float | None = None,
    n: float | None = None,
    power: float | None = None,
    *,
    sigma: float = 1.0,
    rho: float = 0.0,
    pre: int = 1,
    post: int = 1,
    ratio: float = 1.0,
    alpha: float = 0.05,
    alternative: str = "two-sided",
) -> DiDPower:
    """Solve for the one of ``effect`` (the difference in differences), ``n`` (treated units; control
    units are ``ratio * n``) and ``power`` left as None, as the other power functions do.

    ``sigma`` is the outcome standard deviation per unit and period, ``rho`` the correlation between two
    periods of the same unit (for clusters: the variance of a cluster-period mean and the serial
    correlation of those means), ``pre`` / ``post`` the periods before / after. See the module docstring
    for the formula (Frison & Pocock 1992).

    >>> round(did_power(effect=0.2, power=0.8, rho=0.5).n_treated, 1)
    392.4
    """
    if sum(v is None for v in (effect, n, power)) != 1:
        raise ValueError("did_power: leave exactly one of effect, n and power as None (it is solved for)")
    solved = "effect" if effect is None else "n" if n is None else "power"
    r = _core.experiment_did_power(
        None if effect is None else float(effect),
        None if n is None else float(n),
        None if power is None else float(power),
        float(sigma),
        float(rho),
        int(pre),
        int(post),
        float(ratio),
        float(alpha),
        alternative,
    )
    return DiDPower(
        effect=float(r["effect"]),
        n_treated=float(r["n_treated"]),
        n_control=float(r["n_control"]),
        power=float(r["power"]),
        std_error=float(r["std_error"]),
        variance_factor=float(r["variance_factor"]),
        sigma=float(sigma),
        rho=float(rho),
        pre=int(pre),
        post=int(post),
        alpha=float(alpha),
        alternative=alternative,
        solved_for=solved,
    )
