"""The metric tree drawn as inline SVG: layered top-down from the north star, pure Python, no scripts.

Used by ``Spec.metric_tree()`` (Jupyter) and by the HTML report. Nodes are coloured by tier with the
Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), which stays distinguishable under the common
colour-vision deficiencies; the tier is also written in each node's tooltip and the legend, so colour is
never the only cue. Edges point from a metric to the one it influences and carry their sign (plus or minus).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

__all__ = ["TIER_COLOURS", "MetricTree", "metric_tree_svg"]

#: Okabe-Ito colours per tier; "?" for a node an edge names but the spec does not define.
TIER_COLOURS: dict[str, str] = {
    "outcome": "#E69F00",  # orange
    "driver": "#0072B2",  # blue
    "control": "#009E73",  # bluish green
    "?": "#999999",  # grey
}

_NODE_W, _NODE_H = 184, 58
_GAP_X, _GAP_Y = 28, 62
_MARGIN = 16
_LEGEND_H = 30
_CHARS_PER_LINE = 26  # at 12px sans-serif in a 184px box, with padding


def _x(text: object) -> str:
    """Text escaped for XML element content and attribute values."""
    return escape(str(text), quote=True)


def _sign_text(sign: object) -> str:
    if sign in (1, "+", "+1", "positive"):
        return "+"
    if sign in (-1, "-", "-1", "\u2212", "negative"):
        return "\u2212"
    return ""


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Greedy word wrap into at most `lines` lines of `width` characters, cut with an ellipsis."""
    out: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width:
            current = candidate
        else:
            if current:
                out.append(current)
            current = word
    if current:
        out.append(current)
    out = [line if len(line) <= width else line[: width - 1] + "\u2026" for line in out]
    if len(out) > lines:
        rest = " ".join(out[lines - 1 :])
        out = [*out[: lines - 1], rest[: width - 1].rstrip() + "\u2026"]
    return out


def _layers(
    ids: list[str], edges: list[tuple[str, str, str]], root: str | None, tiers: Mapping[str, str]
) -> tuple[list[list[str]], list[str]]:
    """Layer 0 holds the roots (the north star); a metric sits one layer below the nearest metric it
    influences (breadth-first, so a cycle cannot loop). Metrics no path reaches are returned apart."""
    sources = {f for f, _, _ in edges}
    if root is not None and root in ids:
        roots = [root]
    else:
        roots = [i for i in ids if tiers.get(i) == "outcome" and i not in sources]
        if not roots:
            targets = {t for _, t, _ in edges}
            roots = [i for i in ids if i in targets and i not in sources]
    children: dict[str, list[str]] = {}
    for f, t, _ in edges:
        children.setdefault(t, []).append(f)
    depth = {r: 0 for r in roots}
    frontier = list(roots)
    while frontier:
        nxt: list[str] = []
        for node in frontier:
            for child in children.get(node, []):
                if child not in depth:
                    depth[child] = depth[node] + 1
                    nxt.append(child)
        frontier = nxt
    layers: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    order = {i: k for k, i in enumerate(ids)}
    for node in sorted(depth, key=lambda n: order[n]):
        layers[depth[node]].append(node)
    loose = [i for i in ids if i not in depth]
    return layers, loose


def metric_tree_svg(
    metrics: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    *,
    root: str | None = None,
    title: str = "Metric tree",
) -> str:
    """The metric tree as a self-contained ``<svg>`` element (no scripts, no external references).

    ``metrics``: dicts with ``id``, ``name`` and ``tier`` (``"outcome"``, ``"driver"``, ``"control"``).
    ``edges``: dicts with ``from``, ``to`` and ``sign`` (1 or -1, or ``"+"`` / ``"-"``; anything else draws
    no sign); ``from`` influences ``to``. ``root`` is the north star at the top (default: the outcome
    metrics that influence nothing else). Metrics outside the tree are drawn in a dashed row at the bottom;
    an edge naming an undefined metric draws it grey, tier "?". Every node is a ``<g class="mk-node">``
    with ``data-id``, every edge a ``<g class="mk-edge">`` with ``data-from``, ``data-to``.
    """
    ids: list[str] = []
    info: dict[str, tuple[str, str]] = {}
    for m in metrics:
        mid = str(m["id"])
        if mid not in info:
            ids.append(mid)
            info[mid] = (str(m.get("name") or mid), str(m.get("tier") or "?"))
    edge_list: list[tuple[str, str, str]] = []
    for e in edges:
        f, t = str(e["from"]), str(e["to"])
        for end in (f, t):
            if end not in info:
                ids.append(end)
                info[end] = (end, "?")
        edge_list.append((f, t, _sign_text(e.get("sign"))))
    tiers = {i: info[i][1] for i in ids}
    layers, loose = _layers(ids, edge_list, root, tiers)
    rows = [*layers, loose] if loose else layers

    # Order each layer by the mean position of the metrics it influences (one top-down barycentre pass),
    # which removes most crossings in trees of the size a mission has.
    slot: dict[str, float] = {}
    parents: dict[str, list[str]] = {}
    for f, t, _ in edge_list:
        parents.setdefault(f, []).append(t)
    for row in rows:
        keyed = []
        for k, node in enumerate(row):
            known = [slot[p] for p in parents.get(node, []) if p in slot]
            keyed.append((sum(known) / len(known) if known else float(k), k, node))
        row[:] = [node for _, _, node in sorted(keyed)]
        for k, node in enumerate(row):
            slot[node] = k - (len(row) - 1) / 2

    widest = max((len(r) for r in rows), default=1)
    width = max(2 * _MARGIN + widest * _NODE_W + (widest - 1) * _GAP_X, 420)
    top = _MARGIN + _LEGEND_H
    height = top + len(rows) * (_NODE_H + _GAP_Y) - _GAP_Y + _MARGIN + (14 if loose else 0)
    pos: dict[str, tuple[float, float]] = {}
    for r, row in enumerate(rows):
        y = top + r * (_NODE_H + _GAP_Y) + (14 if loose and r == len(rows) - 1 else 0)
        row_w = len(row) * _NODE_W + (len(row) - 1) * _GAP_X
        x0 = (width - row_w) / 2
        for k, node in enumerate(row):
            pos[node] = (x0 + k * (_NODE_W + _GAP_X), y)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mk-tree" role="img" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" font-family="sans-serif" '
        f'font-size="12">',
        f"<title>{_x(title)}</title>",
        "<defs><marker id='mk-arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='7' markerHeight='7' "
        "orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='#555'/></marker></defs>",
    ]
    # Legend: a swatch and the tier name for each tier present (plus the edge sign convention).
    x = float(_MARGIN)
    legend = ['<g class="mk-legend">']
    for tier in ("outcome", "driver", "control", "?"):
        if tier == "?" and "?" not in tiers.values():
            continue
        colour = TIER_COLOURS[tier]
        label = "undefined" if tier == "?" else tier
        legend.append(
            f'<rect x="{x:.0f}" y="{_MARGIN}" width="14" height="14" rx="3" fill="{colour}" '
            f'fill-opacity="0.25" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{x + 20:.0f}" y="{_MARGIN + 11}">{_x(label)}</text>'
        )
        x += 28 + 7 * len(label) + 14
    legend.append(f'<text x="{x:.0f}" y="{_MARGIN + 11}" fill="#444">arrow: influences (+ / \u2212)</text>')
    legend.append("</g>")
    out += legend

    # Arrows into one metric land spread along its edge, in the left-to-right order of their sources, so
    # that each arrowhead stays visible.
    landing: dict[tuple[int, str], float] = {}
    incoming: dict[str, list[tuple[float, int]]] = {}
    for k, (f, t, _) in enumerate(edge_list):
        incoming.setdefault(t, []).append((pos[f][0], k))
    for t, arrivals in incoming.items():
        arrivals.sort()
        for j, (_, k) in enumerate(arrivals):
            landing[(k, t)] = pos[t][0] + _NODE_W * (j + 1) / (len(arrivals) + 1)
    for k, (f, t, sign) in enumerate(edge_list):
        (fx, fy), (tx, ty) = pos[f], pos[t]
        x1, x2 = fx + _NODE_W / 2, landing[(k, t)]
        if fy > ty:  # the usual case: from below to the metric it influences above
            y1, y2 = fy, ty + _NODE_H
        elif fy < ty:
            y1, y2 = fy + _NODE_H, ty
        else:  # same row (a cycle or a loose metric): from side to side
            y1 = y2 = fy + _NODE_H / 2
            x1, x2 = (fx + _NODE_W, tx) if fx < tx else (fx, tx + _NODE_W)
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        label = (
            f'<circle cx="{mx:.1f}" cy="{my:.1f}" r="8" fill="#fff" stroke="#555"/>'
            f'<text x="{mx:.1f}" y="{my + 4:.1f}" text-anchor="middle" font-weight="bold">{sign}</text>'
            if sign
            else ""
        )
        kind = "positive" if sign == "+" else "negative" if sign else "unsigned"
        out.append(
            f'<g class="mk-edge" data-from="{_x(f)}" data-to="{_x(t)}" data-sign="{kind}">'
            f"<title>{_x(f)} \u2192 {_x(t)} ({kind})</title>"
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#555" '
            f'stroke-width="1.5" marker-end="url(#mk-arrow)"/>{label}</g>'
        )

    if loose:
        label_y = pos[loose[0]][1] - 6
        out.append(
            f'<text x="{_MARGIN}" y="{label_y:.0f}" fill="#444" font-style="italic">not in the tree</text>'
        )
    for node in ids:
        name, tier = info[node]
        colour = TIER_COLOURS.get(tier, TIER_COLOURS["?"])
        x0, y0 = pos[node]
        dash = ' stroke-dasharray="5 3"' if node in loose else ""
        lines = _wrap(name, _CHARS_PER_LINE, 2)
        bold = ' font-weight="bold"' if tier == "outcome" else ""
        text = "".join(
            f'<text x="{x0 + 8:.0f}" y="{y0 + 17 + 14 * i:.0f}" fill="#111"{bold}>{_x(line)}</text>'
            for i, line in enumerate(lines)
        )
        out.append(
            f'<g class="mk-node" data-id="{_x(node)}" data-tier="{_x(tier)}">'
            f"<title>{_x(name)} ({_x(node)}, {_x(tier)})</title>"
            f'<rect x="{x0:.0f}" y="{y0:.0f}" width="{_NODE_W}" height="{_NODE_H}" rx="6" fill="{colour}" '
            f'fill-opacity="0.18" stroke="{colour}" stroke-width="2"{dash}/>{text}'
            f'<text x="{x0 + 8:.0f}" y="{y0 + _NODE_H - 8:.0f}" fill="#333" font-size="10" '
            f'font-family="monospace">{_x(node)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class MetricTree:
    """A spec's metric tree: its metrics and edges, drawn in Jupyter (``_repr_html_``) as an SVG tree.

    Built by :meth:`missionkit.Spec.metric_tree`. ``metrics`` holds dicts with ``id``, ``name``, ``tier``;
    ``edges`` dicts with ``from``, ``to``, ``kind``, ``sign``; ``root`` is the north star.
    """

    metrics: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    root: str | None = None
    title: str = field(default="Metric tree")

    def to_svg(self) -> str:
        """The drawing as an ``<svg>`` element."""
        return metric_tree_svg(self.metrics, self.edges, root=self.root, title=self.title)

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "metrics": [dict(m) for m in self.metrics],
            "edges": [dict(e) for e in self.edges],
        }

    def __repr__(self) -> str:
        return f"MetricTree(root={self.root!r}, metrics={len(self.metrics)}, edges={len(self.edges)})"

    def _repr_html_(self) -> str:
        return f"<div class='missionkit-tree' style='overflow-x:auto'>{self.to_svg()}</div>"
