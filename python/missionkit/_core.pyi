# Hand-written stubs for the C++ extension module (see bindings/). Keep in step with bind_*.cpp;
# tests/python/test_stubs.py checks that every public name here exists at run time and vice versa.
import datetime
import os
from typing import Any

__version__: str
stats: Any  # the statistics submodule; typed through missionkit.stats

class Error(ValueError): ...

class SpecError(Error):
    issues: list[Issue]

class DataError(Error): ...
class DomainError(Error): ...

class Issue:
    @property
    def path(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...

def has_errors(issues: list[Issue]) -> bool: ...

class Definition:
    version: str
    effective_from: datetime.date
    rule: str
    change_note: str
    def __init__(self) -> None: ...

class ComparabilityBreak:
    on: datetime.date
    from_version: str
    to_version: str
    change_note: str
    def __init__(self) -> None: ...

class Metric:
    id: str
    name: str
    tier: str
    lens: str
    heart: str | None
    unit: str
    direction: str
    owner: str
    source: str
    description: str
    definitions: list[Definition]
    def __init__(self) -> None: ...
    def definition_at(self, on: datetime.date | str) -> Definition | None: ...
    def comparability_breaks(
        self, first: datetime.date | str, last: datetime.date | str
    ) -> list[ComparabilityBreak]: ...

class Mission:
    name: str
    segment: str
    situation: str
    desired_progress: str
    time_to_value: str
    outcome: str
    def __init__(self) -> None: ...
    def sentence(self) -> str: ...

class TreeEdge:
    from_: str
    to: str
    kind: str
    sign: int
    def __init__(self) -> None: ...

class Settings:
    max_drivers_per_outcome: int
    def __init__(self) -> None: ...

class KRScore:
    @property
    def attainment(self) -> float: ...
    @property
    def band(self) -> str: ...

class KeyResult:
    metric: str
    metric_version: str
    baseline: float
    target: float
    stretch: float | None
    due: datetime.date
    description: str
    def __init__(self) -> None: ...
    def score(self, actual: float) -> KRScore: ...

class Objective:
    objective: str
    owner: str
    key_results: list[KeyResult]
    def __init__(self) -> None: ...

class HoshinItem:
    id: str
    text: str
    def __init__(self) -> None: ...

class HoshinCell:
    from_: str
    to: str
    strength: str
    def __init__(self) -> None: ...

class Hoshin:
    breakthroughs: list[HoshinItem]
    annual: list[HoshinItem]
    priorities: list[HoshinItem]
    metrics: list[str]
    owners: list[HoshinItem]
    cells: list[HoshinCell]
    def __init__(self) -> None: ...
    def empty(self) -> bool: ...

class BlueprintStep:
    text: str
    metrics: list[str]
    fail_point: bool
    def __init__(self) -> None: ...

class BlueprintStage:
    id: str
    name: str
    customer: list[BlueprintStep]
    frontstage: list[BlueprintStep]
    backstage: list[BlueprintStep]
    support: list[BlueprintStep]
    def __init__(self) -> None: ...

class Blueprint:
    name: str
    stages: list[BlueprintStage]
    def __init__(self) -> None: ...
    def empty(self) -> bool: ...

class LogicActivity:
    id: str
    text: str
    outputs: list[str]
    drivers: list[str]
    outcomes: list[str]
    assumption: str
    def __init__(self) -> None: ...

class LogicModel:
    inputs: list[str]
    activities: list[LogicActivity]
    def __init__(self) -> None: ...
    def empty(self) -> bool: ...

class WorkItem:
    id: str
    title: str
    framework: str
    stage: str
    owner: str
    cycle: int
    evidence: dict[str, dict[str, str]]
    def __init__(self) -> None: ...
    def missing_evidence(self, stage: str) -> list[str]: ...
    def advance(self, evidence: dict[str, str] = ...) -> None: ...

def stages(framework: str) -> list[tuple[str, list[str]]]: ...

class SpecModel:
    spec_version: str
    settings: Settings
    mission: Mission
    metrics: list[Metric]
    tree: list[TreeEdge]
    okrs: list[Objective]
    hoshin: Hoshin
    blueprint: Blueprint
    logic_model: LogicModel
    work: list[WorkItem]
    @property
    def source_name(self) -> str: ...
    @property
    def load_issues(self) -> list[Issue]: ...
    def __init__(self) -> None: ...
    def find_metric(self, id: str) -> Metric | None: ...
    def same_model(self, other: SpecModel) -> bool: ...

def parse_spec(text: str, source_name: str = "<string>") -> SpecModel: ...
def load_spec(path: str | os.PathLike[str]) -> SpecModel: ...
def validate(spec: SpecModel) -> list[Issue]: ...
def throw_if_errors(issues: list[Issue], source_name: str) -> None: ...
def to_yaml(spec: SpecModel) -> str: ...
def to_json(spec: SpecModel) -> str: ...
