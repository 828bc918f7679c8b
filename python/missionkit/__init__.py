"""missionkit: mission-based analysis for customer experience and service operations.

State the mission as code (:func:`load_spec`), measure it from interaction logs, prove impact and run
operations. The numeric core is C++ (``missionkit._core``); this package is the Pythonic layer.
"""

from __future__ import annotations

from missionkit import _core, demo, experiment, measures, ops, stats
from missionkit._core import (
    ComparabilityBreak,
    DataError,
    Definition,
    DomainError,
    Error,
    Hoshin,
    HoshinCell,
    HoshinItem,
    Issue,
    KeyResult,
    KRScore,
    Metric,
    Mission,
    Objective,
    SpecError,
    TreeEdge,
    WorkItem,
    set_threads,
    stages,
    threads,
)
from missionkit.contact_log import ContactLog
from missionkit.examples import example_mission, example_missions
from missionkit.measures import MeasureResult
from missionkit.runner import RunResult, run
from missionkit.spec import Spec, load_spec

__version__: str = _core.__version__

__all__ = [
    "ComparabilityBreak",
    "ContactLog",
    "DataError",
    "Definition",
    "DomainError",
    "Error",
    "Hoshin",
    "HoshinCell",
    "HoshinItem",
    "Issue",
    "KRScore",
    "KeyResult",
    "MeasureResult",
    "Metric",
    "Mission",
    "Objective",
    "RunResult",
    "Spec",
    "SpecError",
    "TreeEdge",
    "WorkItem",
    "__version__",
    "demo",
    "example_mission",
    "example_missions",
    "experiment",
    "load_spec",
    "measures",
    "ops",
    "run",
    "set_threads",
    "stages",
    "stats",
    "threads",
]
