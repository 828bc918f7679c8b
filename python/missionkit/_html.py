"""HTML for Jupyter (``_repr_html_``). Plain, self-contained markup: no scripts, no network."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from missionkit.spec import Spec

_TIER_COLOURS = {"outcome": "#1b5e20", "driver": "#0d47a1", "control": "#6d4c41"}  # readable on white


def _tree_lines(spec: Spec) -> list[str]:
    """The metric tree drawn as nested lines from the north star down (children sorted by id)."""
    children: dict[str, list[tuple[str, str]]] = {}
    for e in spec.tree:
        sign = {1: "+", -1: "\u2212"}.get(e.sign, "")
        children.setdefault(e.to, []).append((e.from_, f"{e.kind}{' ' + sign if sign else ''}"))
    lines: list[str] = []

    def walk(node: str, depth: int, label: str, seen: frozenset[str]) -> None:
        metric = spec.model.find_metric(node)
        tier = metric.tier if metric else "?"
        colour = _TIER_COLOURS.get(tier, "#333")
        prefix = "&nbsp;" * 4 * depth + ("\u2514\u2500 " if depth else "")
        lines.append(
            f"{prefix}<span style='color:{colour};font-weight:600'>{escape(node)}</span>"
            f" <small>({escape(tier)}{', ' + escape(label) if label else ''})</small>"
        )
        if node in seen:  # a cycle: validation reports it, the drawing must not loop
            return
        for child, how in sorted(children.get(node, [])):
            walk(child, depth + 1, how, seen | {node})

    walk(spec.mission.outcome, 0, "north star", frozenset())
    return lines


def spec_html(spec: Spec) -> str:
    issues = spec.validate()
    n_err = sum(i.severity == "error" for i in issues)
    n_warn = len(issues) - n_err
    rows = "".join(
        f"<tr><td>{escape(m.id)}</td><td>{escape(m.name)}</td><td>{escape(m.tier)}</td>"
        f"<td>{escape(m.lens)}</td><td>{escape(m.unit)}</td><td>{escape(m.direction)}</td>"
        f"<td>{escape(m.owner)}</td>"
        f"<td>{escape(m.definitions[-1].version if m.definitions else '')}</td></tr>"
        for m in spec.metrics
    )
    status = (
        "<span style='color:#1b5e20'>valid</span>"
        if not issues
        else f"<span style='color:#b71c1c'>{n_err} error(s)</span>, {n_warn} warning(s)"
    )
    return (
        "<div class='missionkit-spec'>"
        f"<h4>{escape(spec.mission.name or 'Mission')}</h4>"
        f"<p><em>{escape(spec.mission.sentence())}</em></p>"
        f"<p>Validation: {status}</p>"
        "<table><thead><tr><th>id</th><th>name</th><th>tier</th><th>lens</th><th>unit</th>"
        f"<th>direction</th><th>owner</th><th>version</th></tr></thead><tbody>{rows}</tbody></table>"
        f"<p>Metric tree</p><div style='font-family:monospace'>{'<br>'.join(_tree_lines(spec))}</div>"
        "</div>"
    )
