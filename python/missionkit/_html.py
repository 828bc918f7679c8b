"""HTML for Jupyter (``_repr_html_``) of specs and missions. Plain, self-contained markup: no scripts, no
network, inline styles only (notebooks and the HTML report strip or lack stylesheets)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from missionkit import _core
from missionkit._svg_tree import TIER_COLOURS, MetricTree

if TYPE_CHECKING:
    from missionkit.spec import Spec

#: The five parts of a mission, in sentence order, with an Okabe-Ito colour each (see _svg_tree).
MISSION_PARTS: tuple[tuple[str, str, str], ...] = (
    ("segment", "segment", "#0072B2"),
    ("situation", "situation", "#D55E00"),
    ("desired_progress", "desired progress", "#009E73"),
    ("time_to_value", "time to value", "#CC79A7"),
    ("outcome", "outcome (north star)", "#E69F00"),
)

_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top"


def _mission_parts(mission: _core.Mission) -> list[tuple[str, str | None]]:
    """The sentence as (text, part) pieces, part None for the connecting words.

    The sentence is written by the C++ core (``mission::sentence``), which adjusts each part (a lowered
    first letter, "who" before the situation, "5 days" for "P5D"). To highlight the parts exactly as it
    writes them, it is rendered once with a placeholder per part (which it leaves as written), then once per
    part with that part's real text: what replaces the placeholder is the part as the sentence shows it.
    """
    marks = {key: f"zzmkpart{i}zz" for i, (key, _, _) in enumerate(MISSION_PARTS)}

    def sentence_with(real: str | None) -> str:
        m = _core.Mission()
        for key, mark in marks.items():
            setattr(m, key, getattr(mission, key) if key == real else mark)
        return m.sentence()

    template = sentence_with(None)
    rendered: dict[str, str] = {}
    for key, mark in marks.items():
        at = template.find(mark)
        prefix, suffix = template[:at], template[at + len(mark) :]
        text = sentence_with(key)
        if at < 0 or not text.startswith(prefix) or not text.endswith(suffix):
            return [(mission.sentence(), None)]  # a shape this code does not know: no highlighting
        rendered[key] = text[len(prefix) : len(text) - len(suffix)]
    pieces: list[tuple[str, str | None]] = []
    rest = template
    for key, mark in marks.items():
        before, _, rest = rest.partition(mark)
        pieces += [(before, None), (rendered[key], key)]
    pieces.append((rest, None))
    return [(t, k) for t, k in pieces if t]


def mission_sentence_html(mission: _core.Mission) -> str:
    """The mission sentence with its five parts highlighted (colour, underline and a tooltip naming the
    part); a part the spec leaves empty shows the core's placeholder, e.g. "[segment?]", in red."""
    colours = {key: (label, colour) for key, label, colour in MISSION_PARTS}
    out = []
    for text, key in _mission_parts(mission):
        if key is None:
            out.append(escape(text))
            continue
        label, colour = colours[key]
        missing = not getattr(mission, key).strip()
        style = (
            "color:#b71c1c;font-style:italic"
            if missing
            else f"background:{colour}22;border-bottom:2px solid {colour};padding:0 2px"
        )
        out.append(f"<span title='{escape(label)}' style='{style}'>{escape(text)}</span>")
    return "".join(out)


def mission_html(mission: _core.Mission) -> str:
    """A mission: its name, the highlighted sentence, and a key naming each part with its raw text."""
    colours = {key: colour for key, _, colour in MISSION_PARTS}
    key_rows = "".join(
        f"<tr><td style='{_CELL}'><span style='border-bottom:2px solid {colours[key]}'>{escape(label)}"
        f"</span></td><td style='{_CELL}'>{escape(getattr(mission, key)) or '<em>missing</em>'}</td></tr>"
        for key, label, _ in MISSION_PARTS
    )
    return (
        "<div class='missionkit-mission'>"
        f"<h4 style='margin:0.2em 0'>{escape(mission.name or 'Mission')}</h4>"
        f"<p style='font-size:1.1em;line-height:1.6'>{mission_sentence_html(mission)}</p>"
        f"<table>{key_rows}</table></div>"
    )


def metric_tree(spec: Spec) -> MetricTree:
    """The spec's metric tree as a :class:`MetricTree` (see ``Spec.metric_tree``)."""
    return MetricTree(
        metrics=[{"id": m.id, "name": m.name, "tier": m.tier} for m in spec.metrics],
        edges=[{"from": e.from_, "to": e.to, "kind": e.kind, "sign": e.sign} for e in spec.tree],
        root=spec.mission.outcome or None,
        title=f"Metric tree of {spec.mission.name}" if spec.mission.name else "Metric tree",
    )


def spec_html(spec: Spec) -> str:
    """A spec: the mission, validation status (with the first issues), governed metrics by tier, the drawn
    metric tree and the OKRs."""
    issues = spec.validate()
    n_err = sum(i.severity == "error" for i in issues)
    n_warn = len(issues) - n_err
    if not issues:
        status = "<span style='color:#1b5e20'>&#10003; valid</span>"
    else:
        status = f"<span style='color:#b71c1c'>{n_err} error(s)</span>, {n_warn} warning(s)"
    shown = issues[:10]
    issue_items = "".join(
        f"<li><code>{escape(i.path)}</code> <strong>{escape(i.severity)}</strong>: {escape(i.message)}</li>"
        for i in shown
    )
    more = f"<li>&hellip; and {len(issues) - len(shown)} more</li>" if len(issues) > len(shown) else ""
    issue_list = f"<ul style='margin:0.2em 0'>{issue_items}{more}</ul>" if issues else ""

    head = "".join(
        f"<th style='{_CELL}'>{h}</th>"
        for h in ("tier", "id", "name", "lens", "unit", "direction", "owner", "definition")
    )
    order = {"outcome": 0, "driver": 1, "control": 2}
    rows = []
    for m in sorted(spec.metrics, key=lambda m: (order.get(m.tier, 3), m.id)):
        colour = TIER_COLOURS.get(m.tier, TIER_COLOURS["?"])
        latest = m.definitions[-1] if m.definitions else None
        version = f"v{latest.version} from {latest.effective_from}" if latest else ""
        rows.append(
            f"<tr><td style='{_CELL}'><span style='display:inline-block;width:0.8em;height:0.8em;"
            f"background:{colour};border-radius:2px;margin-right:4px'></span>{escape(m.tier)}</td>"
            f"<td style='{_CELL}'><code>{escape(m.id)}</code></td><td style='{_CELL}'>{escape(m.name)}</td>"
            f"<td style='{_CELL}'>{escape(m.lens)}</td><td style='{_CELL}'>{escape(m.unit)}</td>"
            f"<td style='{_CELL}'>{escape(m.direction)}</td><td style='{_CELL}'>{escape(m.owner)}</td>"
            f"<td style='{_CELL};white-space:nowrap'>{escape(version)}</td></tr>"
        )
    okr_rows = []
    for objective in spec.okrs:
        for kr in objective.key_results:
            stretch = f" (stretch {kr.stretch:g})" if kr.stretch is not None else ""
            okr_rows.append(
                f"<tr><td style='{_CELL}'>{escape(objective.objective)}</td>"
                f"<td style='{_CELL}'><code>{escape(kr.metric)}</code></td>"
                f"<td style='{_CELL}'>{kr.baseline:g} &rarr; {kr.target:g}{escape(stretch)}</td>"
                f"<td style='{_CELL}'>{escape(str(kr.due))}</td></tr>"
            )
    okrs = (
        "<p style='margin:0.6em 0 0.2em'><strong>OKRs</strong></p><table><thead><tr>"
        + "".join(
            f"<th style='{_CELL}'>{h}</th>" for h in ("objective", "key result", "baseline → target", "due")
        )
        + f"</tr></thead><tbody>{''.join(okr_rows)}</tbody></table>"
        if okr_rows
        else ""
    )
    return (
        "<div class='missionkit-spec'>"
        f"<h4 style='margin:0.2em 0'>{escape(spec.mission.name or 'Mission')}</h4>"
        f"<p style='font-size:1.1em;line-height:1.6'>{mission_sentence_html(spec.mission)}</p>"
        f"<p style='margin:0.2em 0'>Spec version {escape(spec.spec_version)}, "
        f"<code>{escape(spec.source_name)}</code>. Validation: {status}</p>{issue_list}"
        f"<p style='margin:0.6em 0 0.2em'><strong>Metrics</strong> ({len(spec.metrics)})</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<p style='margin:0.6em 0 0.2em'><strong>Metric tree</strong></p>"
        f"{metric_tree(spec)._repr_html_()}{okrs}"
        "</div>"
    )
