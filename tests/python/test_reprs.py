"""Jupyter reprs: the metric tree SVG (well-formed XML, every metric and edge drawn, text escaped), the
mission sentence with its parts highlighted, and the spec view."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

import missionkit as mk
from missionkit._html import mission_html, mission_sentence_html
from missionkit._svg_tree import TIER_COLOURS, MetricTree, metric_tree_svg

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def spec() -> mk.Spec:
    return mk.load_spec(ROOT / "examples" / "missions" / "bank_card_replacement.yaml")


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]


def test_tree_svg_draws_every_metric_and_edge(spec: mk.Spec) -> None:
    tree = spec.metric_tree()
    root = _parse(tree.to_svg())
    nodes = _groups(root, "mk-node")
    assert sorted(n.get("data-id") or "" for n in nodes) == sorted(m.id for m in spec.metrics)
    edges = _groups(root, "mk-edge")
    assert len(edges) == len(spec.tree) == 6
    assert {(e.get("data-from"), e.get("data-to")) for e in edges} == {(e.from_, e.to) for e in spec.tree}
    # Signs: drawn as + / minus-sign labels and recorded per edge.
    want = {(e.from_, e.to): "positive" if e.sign == 1 else "negative" for e in spec.tree}
    assert {(e.get("data-from"), e.get("data-to")): e.get("data-sign") for e in edges} == want
    labels = [t.text for e in edges for t in e.iter(f"{SVG}text")]
    assert labels.count("+") == sum(e.sign == 1 for e in spec.tree)
    assert labels.count("\u2212") == sum(e.sign == -1 for e in spec.tree)
    # Node colour is its tier's Okabe-Ito colour.
    for n in nodes:
        rect = n.find(f"{SVG}rect")
        assert rect is not None and rect.get("stroke") == TIER_COLOURS[n.get("data-tier") or "?"]
    assert tree.root == spec.mission.outcome
    assert tree.to_dict()["edges"][0] == {
        "from": spec.tree[0].from_,
        "to": spec.tree[0].to,
        "kind": spec.tree[0].kind,
        "sign": spec.tree[0].sign,
    }


def test_tree_layers_top_down_from_the_north_star(spec: mk.Spec) -> None:
    root = _parse(spec.metric_tree().to_svg())
    y = {}
    for n in _groups(root, "mk-node"):
        rect = n.find(f"{SVG}rect")
        assert rect is not None
        y[n.get("data-id")] = float(rect.get("y") or "nan")
    # card_working_5d <- fcr_7d <- service_level: three layers, north star on top.
    assert y["card_working_5d"] < y["fcr_7d"] < y["service_level"]
    assert y["fcr_7d"] == y["dispatch_hours"] == y["repeat_contact_7d"]
    assert y["app_self_service"] == y["service_level"]
    # Metrics outside the tree (controls with no edge) are drawn below everything, dashed.
    loose = [m.id for m in spec.metrics if not any(m.id in (e.from_, e.to) for e in spec.tree)]
    assert loose and all(y[i] > y["service_level"] for i in loose)


def test_tree_svg_escapes_names_and_ids() -> None:
    metrics = [
        {"id": "ns", "name": "Share <of> cards & \"quotes\" 'too'", "tier": "outcome"},
        {"id": "a<b", "name": "</text><script>alert(1)</script>", "tier": "driver"},
        {"id": "c", "name": "c", "tier": "control"},
    ]
    edges = [{"from": "a<b", "to": "ns", "sign": -1}, {"from": "c", "to": "a<b", "sign": 1}]
    svg = metric_tree_svg(metrics, edges)
    root = _parse(svg)  # raises if anything broke the XML
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    texts = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Share <of> cards &" in texts
    assert {n.get("data-id") for n in _groups(root, "mk-node")} == {"ns", "a<b", "c"}
    assert len(_groups(root, "mk-edge")) == 2


def test_tree_svg_edge_cases() -> None:
    # An edge to an undefined metric draws it grey ("?") and adds the legend entry; a cycle terminates.
    svg = metric_tree_svg(
        [{"id": "x", "name": "X", "tier": "outcome"}, {"id": "y", "name": "Y", "tier": "driver"}],
        [{"from": "y", "to": "x", "sign": 1}, {"from": "x", "to": "y", "sign": 1}, {"from": "z", "to": "x"}],
        root="x",
    )
    root = _parse(svg)
    nodes = {n.get("data-id"): n.get("data-tier") for n in _groups(root, "mk-node")}
    assert nodes == {"x": "outcome", "y": "driver", "z": "?"}
    assert len(_groups(root, "mk-edge")) == 3
    assert [e.get("data-sign") for e in _groups(root, "mk-edge")][-1] == "unsigned"
    assert "undefined" in "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    # No metrics at all: still a valid (empty) drawing.
    _parse(metric_tree_svg([], []))
    # Long names are wrapped onto two lines and cut with an ellipsis.
    long = metric_tree_svg([{"id": "l", "name": "word " * 40, "tier": "driver"}], [])
    lines = [t.text or "" for t in _parse(long).iter(f"{SVG}text") if (t.text or "").startswith("word")]
    assert len(lines) == 2 and lines[-1].endswith("\u2026")


def test_tree_svg_is_self_contained(spec: mk.Spec) -> None:
    svg = spec.metric_tree().to_svg()
    assert "<script" not in svg
    # The only URL is the SVG namespace; references are in-document (url(#...)).
    assert re.findall(r"https?://[^\"' ]+", svg) == ["http://www.w3.org/2000/svg"]
    assert isinstance(spec.metric_tree(), MetricTree)
    assert spec.metric_tree()._repr_html_().count("<svg") == 1


class _Spans(HTMLParser):
    """Collects the text of each <span title=...> (the highlighted mission parts)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "span":
            self._open = dict(attrs).get("title")

    def handle_endtag(self, tag: str) -> None:
        self._open = None if tag == "span" else self._open

    def handle_data(self, data: str) -> None:
        if self._open:
            self.parts[self._open] = self.parts.get(self._open, "") + data


def _text(html: str) -> str:
    out: list[str] = []
    parser = HTMLParser()
    parser.handle_data = out.append  # type: ignore[method-assign]
    parser.feed(html)
    return "".join(out)


def test_mission_sentence_highlights_the_five_parts(spec: mk.Spec) -> None:
    m = spec.mission
    html = mission_sentence_html(m)
    assert _text(html) == m.sentence()  # the same words as the core's sentence, nothing added
    spans = _Spans()
    spans.feed(html)
    assert spans.parts == {
        "segment": "retail current-account holders with a lost, stolen or damaged debit card",
        "situation": "cannot pay or withdraw cash until a replacement card arrives and works",
        "desired progress": "pay with a working replacement card without having to contact us again",
        "time to value": "5 days",
        "outcome (north star)": "card_working_5d",
    }
    assert m._repr_html_() == mission_html(m)  # type: ignore[attr-defined]


def test_mission_sentence_escapes_and_marks_missing_parts() -> None:
    m = mk.Mission()
    m.segment = "SME owners <with> overdrafts & loans"
    m.situation = "They wait for a decision"
    m.desired_progress = ""
    m.time_to_value = "P1DT12H"
    m.outcome = "decision_2d"
    html = mission_sentence_html(m)
    assert _text(html) == m.sentence()
    assert "&lt;with&gt;" in html and "<with>" not in html
    spans = _Spans()
    spans.feed(html)
    assert spans.parts["situation"] == "wait for a decision"  # "who" is a connecting word
    assert spans.parts["desired progress"] == "[desired progress?]"
    assert spans.parts["time to value"] == "1 day and 12 hours"
    assert "color:#b71c1c" in html  # the missing part is shown in red


def test_spec_html(spec: mk.Spec) -> None:
    html = spec._repr_html_()
    assert ("&#10003; valid" in html) == (not spec.validate())  # the bundled example validates clean
    assert html.count("<svg") == 1
    for m in spec.metrics:
        assert f"<code>{m.id}</code>" in html
    assert "OKRs" in html and "0.71 &rarr; 0.82 (stretch 0.88)" in html
    broken = spec.to_dict()
    broken["metrics"][1]["owner"] = ""
    bad_html = mk.Spec.from_dict(broken)._repr_html_()
    assert "error(s)" in bad_html or "warning(s)" in bad_html
    assert "<li><code>metrics" in bad_html
