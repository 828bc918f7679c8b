"""The HTML report of ``missionkit run``, rendered from the results mapping (``results.json``).

- :func:`render_html` - one self-contained page (inline CSS and SVG, no script, no network).
- :func:`schema` / :func:`schema_path` - the results' JSON Schema (draft 2020-12), documented in
  docs/results.md.

The pipeline computes the results; this package only draws them, so a saved ``results.json`` can be
re-rendered with ``render_html(json.load(f))``.
"""

from __future__ import annotations

import json
from importlib import resources
from importlib.abc import Traversable
from typing import Any

from missionkit.report.html import SCHEMA_VERSION, ReportError, render_html
from missionkit.report.svg import nice_ticks

__all__ = ["SCHEMA_VERSION", "ReportError", "nice_ticks", "render_html", "schema", "schema_path"]


def schema_path() -> Traversable:
    """The installed ``results.schema.json`` (a file inside the package)."""
    return resources.files("missionkit.report") / "results.schema.json"


def schema() -> dict[str, Any]:
    """The results' JSON Schema as a dict (validate with ``jsonschema.Draft202012Validator``)."""
    data: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return data
