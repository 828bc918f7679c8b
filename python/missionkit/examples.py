"""The example missions shipped with the package (the same files as ``examples/missions/`` in the repo)."""

from __future__ import annotations

from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


def example_missions() -> list[str]:
    """Names of the bundled example missions, e.g. ``["bank_card_replacement", ...]``."""
    return sorted(p.stem for p in (_DATA / "missions").glob("*.yaml"))


def example_mission(name: str) -> Path:
    """Path of a bundled example mission spec; ``ValueError`` naming the choices for an unknown name."""
    path = _DATA / "missions" / f"{name}.yaml"
    if not path.is_file():
        raise ValueError(f"no example mission {name!r}; choose one of {example_missions()}")
    return path


def schema_path() -> Path:
    """Path of the mission spec's JSON Schema (draft 2020-12), for editors and CI checks."""
    return _DATA / "mission-spec.schema.json"
