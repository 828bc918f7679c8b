"""Operations (``missionkit.ops``): statistical process control for operational metric series.

:func:`control_chart` draws a Shewhart chart (individuals, xbar-R, xbar-S, p, np, c, u) from a phase I
baseline and applies the Western Electric or Nelson run rules; :func:`run_rules` applies the rules to
already standardised values. The computation is C++ (``missionkit::ops``). See docs/ops.md.
"""

from __future__ import annotations

from missionkit.ops.spc import (
    CHARTS,
    RULE_SETS,
    RULES,
    ControlChart,
    DispersionChart,
    constants,
    control_chart,
    run_rules,
)

__all__ = [
    "CHARTS",
    "RULES",
    "RULE_SETS",
    "ControlChart",
    "DispersionChart",
    "constants",
    "control_chart",
    "run_rules",
]
