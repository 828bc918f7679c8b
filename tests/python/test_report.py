"""The HTML report: schema agreement, structure, escaping, undefined numbers, offline-ness, and a real
browser (headless Chromium) loading it without console errors."""

from __future__ import annotations

import copy
import functools
import json
import math
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_fixture import sample_results

from missionkit import report
from missionkit.report import ReportError, nice_ticks, render_html

ROOT = Path(__file__).resolve().parents[2]
KEY_IDS = [
    "mission",
    "north-star",
    "drivers",
    "segments",
    "okrs",
    "experiments",
    "control-charts",
    "data-quality",
]


class _Collect(HTMLParser):
    """Every element's tag and attributes, in document order (the stdlib parser is the independent reader)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    p.close()
    return p


def _ids(p: _Collect) -> list[str]:
    return [str(a["id"]) for _, a in p.elements if a.get("id")]


def _classes(p: _Collect, cls: str) -> list[tuple[str, dict[str, str | None]]]:
    return [(t, a) for t, a in p.elements if cls in str(a.get("class") or "").split()]


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = report.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# -- schema -------------------------------------------------------------------------------------------------


def test_fixture_conforms_to_schema_and_is_strict_json() -> None:
    results = sample_results()
    _validator().validate(results)
    # results.json is written with NaN as null: the fixture must survive strict JSON both ways.
    assert json.loads(json.dumps(results, allow_nan=False)) == results


def test_installed_schema_is_the_source_file() -> None:
    installed = resources.files("missionkit.report") / "results.schema.json"
    assert installed.is_file()
    source = ROOT / "python" / "missionkit" / "report" / "results.schema.json"
    assert json.loads(installed.read_text(encoding="utf-8")) == json.loads(source.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema_version",), "2"),
        (("metrics", 0, "tier"), "kpi"),
        (("metrics", 0, "value_unit"), "percent"),
        (("metrics", 0, "series", 0, "period_start"), "01/07/2025"),
        (("okrs", 0, "key_results", 0, "band"), "green"),
        (("experiments", 0, "verdict", "decision"), "ship"),
        (("experiments", 3, "reason"), None),  # a skipped experiment must say why
        (("metrics", 5, "not_computed_reason"), None),  # so must a metric not computed
        (("data", "rows_read"), -1),
        (("spec", "sha256"), "not-a-hash"),
        (("tables", "quarantine"), "/abs/quarantine.parquet"),
        (("control_charts", 0, "baseline"), [0]),
    ],
)
def test_schema_rejects_broken_results(path: tuple[Any, ...], value: Any) -> None:
    results = sample_results()
    node: Any = results
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value
    assert not _validator().is_valid(results)


def test_schema_rejects_unknown_and_missing_top_level_keys() -> None:
    v = _validator()
    extra = sample_results()
    extra["metricz"] = []
    assert not v.is_valid(extra)
    missing = sample_results()
    del missing["warnings"]
    assert not v.is_valid(missing)


# -- structure ----------------------------------------------------------------------------------------------


def test_key_sections_present_once_with_unique_ids() -> None:
    p = _parse(render_html(sample_results()))
    ids = _ids(p)
    for key in [*KEY_IDS, "metric-tree", "warnings"]:
        assert ids.count(key) == 1, key
    assert len(ids) == len(set(ids)), "duplicate element ids"


def test_chart_counts_follow_the_results() -> None:
    results = sample_results()
    p = _parse(render_html(results))
    metrics = results["metrics"]
    with_series = [m for m in metrics if m["computed"] and m["series"]]
    segment_charts = sum(len([d for d, rows in m["segments"].items() if rows]) for m in metrics)
    forests = sum(1 for x in results["experiments"] if x["verdict"] and x["verdict"]["effects"])
    svgs = [a for t, a in p.elements if t == "svg"]
    assert len(_classes(p, "line-chart")) == 1  # the north star
    assert len(_classes(p, "sparkline")) == len(with_series) - 1
    assert len(_classes(p, "dot-whisker")) == segment_charts == 3
    assert len(_classes(p, "forest-plot")) == forests == 3
    assert len(_classes(p, "control-chart")) == len(results["control_charts"]) == 2
    assert len(_classes(p, "tree-diagram")) == 1
    assert len(svgs) == 1 + (len(with_series) - 1) + segment_charts + forests + 2 + 1
    # Accessible: each chart is an image labelled by its own <title> and <desc>.
    ids = set(_ids(p))
    for a in svgs:
        assert a["role"] == "img"
        labels = str(a["aria-labelledby"]).split()
        assert labels == [f"{a['id']}-t", f"{a['id']}-d"] and set(labels) <= ids


def test_north_star_shows_okr_bands_and_the_comparability_break() -> None:
    html = render_html(sample_results())
    start = html.index('id="north-star"')
    ns = html[start : html.index('id="drivers"')]
    for label in ("baseline 71.0%", "target 82.0%", "stretch 88.0%"):
        assert label in ns
    assert 'class="break"' in ns and "v1 \u2192 v2" in ns
    assert 'class="ci-band"' in ns
    # Current value: the latest period (2026-06) of the fixture, as a percentage with one decimal.
    last = sample_results()["metrics"][0]["series"][-1]
    assert f"{last['value'] * 100:.1f}%" in ns and "2026-06" in ns


def test_drivers_cards_show_version_owner_and_not_computed_reason() -> None:
    results = sample_results()
    p = _parse(render_html(results))
    cards = _classes(p, "metric-card")
    assert [a["data-metric"] for _, a in cards] == [m["id"] for m in results["metrics"][1:]]
    html = render_html(results)
    assert "owner Contact Centre Performance Lead" in html
    not_computed = _classes(p, "not-computed")
    assert any(a.get("data-metric") == "cost_per_request" for _, a in not_computed)
    assert "Not computed: the data has no &#x27;cost&#x27; column" in html


def test_units_on_axes() -> None:
    html = render_html(sample_results())
    # Average handle time is ~400 s: its axes are in whole minutes, proportions in percent.
    assert ">7.0 min<" in html and ">6.5 min<" in html
    assert "(minutes)" in html
    assert ">80%<" in html


def test_okr_bands_in_words_not_only_colour() -> None:
    p = _parse(render_html(sample_results()))
    bands = {str(a["class"]).split()[1] for _, a in _classes(p, "badge") if "band-" in str(a["class"])}
    assert bands == {"band-target", "band-commit", "band-fail", "band-none"}
    text = "".join(p.text)
    assert "\u2714 target" in text and "! commit" in text and "\u2716 fail" in text


def test_experiments_verdicts_srm_and_skipped() -> None:
    html = render_html(sample_results())
    p = _parse(html)
    articles = {str(a["id"]): a for t, a in p.elements if "experiment" in str(a.get("class") or "").split()}
    assert set(articles) == {
        "experiment-proactive_sms",
        "experiment-app_banner",
        "experiment-new_ivr_rollout",
        "experiment-wallet_launch_its",
    }
    assert articles["experiment-wallet_launch_its"]["data-status"] == "skipped"
    assert "Skipped: needs at least 8 periods before the intervention" in html
    assert len(_classes(p, "srm-failed")) == 1 and len(_classes(p, "srm-ok")) == 1
    assert len(_classes(p, "decision-blocked")) == 1 and len(_classes(p, "decision-success")) == 2
    assert "Proactive dispatch SMS cut the 7-day repeat contact rate" in html
    # Guardrails: a diamond marker and the word, in the plot and the table.
    assert len(_classes(p, "role-guardrail")) == 4  # two plot rows + two table rows
    assert "(guardrail)" in html and len(_classes(p, "marker-diamond")) >= 2
    assert len(_classes(p, "zero-line")) == 3
    # Absolute differences of proportions are percentage points; p-values below 0.001 are not printed raw.
    assert "-3.12 pp" in html and "&lt; 0.001" in html and "1.9e-08" not in html


def test_control_chart_signals_by_shape_and_colour() -> None:
    results = sample_results()
    p = _parse(render_html(results))
    flagged = sum(1 for c in results["control_charts"] for pt in c["points"] if pt["signals"])
    assert len(_classes(p, "signal")) == flagged == 8
    assert len(_classes(p, "marker-triangle")) == flagged + 2  # plus one legend triangle per chart
    assert len(_classes(p, "ucl")) == 2 and len(_classes(p, "center-line")) == 2


def test_data_quality_accounting() -> None:
    results = sample_results()
    html = render_html(results)
    dq = html[html.index('id="data-quality"') :]
    assert "412,873" in dq and "409,118" in dq and "3,755" in dq and "dq-ok" in dq
    assert all(q["reason"] in dq for q in results["data"]["quarantine"])
    results["data"]["accepted"] = 409_000
    assert "dq-mismatch" in render_html(results)


def test_offline_no_urls_no_scripts() -> None:
    html = render_html(sample_results())
    without_ns = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in without_ns and "https://" not in without_ns
    assert "<script" not in html and "<link" not in html and "@import" not in html and "src=" not in html


def test_text_is_escaped_everywhere() -> None:
    evil = '<script>alert("x")</script>'
    results = sample_results()
    results["mission"]["sentence"] = evil
    results["metrics"][1]["name"] = evil
    results["metrics"][1]["segments"]["site"][0]["segment"] = evil
    results["experiments"][0]["verdict"]["summary"] = evil
    results["data"]["quarantine"][0]["reason"] = evil
    results["warnings"].append(evil)
    results["okrs"][0]["objective"] = evil
    html = render_html(results)
    assert "<script" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 7


def test_undefined_numbers_render_as_na() -> None:
    results = sample_results()
    m = results["metrics"][1]
    for pt in m["series"]:
        pt.update(value=math.nan, ci_low=None, ci_high=math.inf)
    m["overall"] = {"value": None, "ci_low": None, "ci_high": None, "n": None}
    results["metrics"][0]["series"][-1].update(value=None, ci_low=None, ci_high=None)
    results["okrs"][0]["key_results"][0].update(current=math.nan, score=None, band=None)
    results["control_charts"][0]["points"][3]["value"] = None
    results["experiments"][0]["verdict"]["effects"][0]["estimate"] = math.nan
    html = render_html(results)
    card = html[html.index('data-metric="repeat_contact_7d"') :]
    assert card[: card.index("</article>")].count("n/a") >= 1
    visible = re.sub(r"<[^>]+>", " ", html[html.index("<body>") :])  # text only, no markup or CSS
    assert not re.search(r"\b(nan|inf|none)\b", visible, re.IGNORECASE)
    # The north star falls back to the latest period that has a value.
    assert "2026-05" in html[html.index('id="north-star"') : html.index('id="drivers"')]


def test_metric_without_series_and_empty_sections() -> None:
    results = sample_results()
    results["metrics"][2]["series"] = []
    html = render_html(results)
    card = html[html.index('data-metric="nps_card"') :]
    card = card[: card.index("</article>")]
    assert "No series by period." in card and "<svg" not in card
    bare = sample_results()
    for key in ("okrs", "experiments", "control_charts", "tree", "warnings"):
        bare[key] = []
    bare["spec"]["issues"] = []
    bare["metrics"][0]["series"] = []
    html = render_html(bare)
    p = _parse(html)
    assert set(KEY_IDS) <= set(_ids(p))
    assert "No experiments declared." in html and "No OKRs" in html and "No control charts" in html
    assert 'id="warnings"' not in html


def test_json_round_trip_renders_the_same() -> None:
    results = sample_results()
    assert render_html(json.loads(json.dumps(results))) == render_html(results)


def test_bad_input_is_named() -> None:
    with pytest.raises(ReportError, match="mapping"):
        render_html([])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="schema_version"):
        render_html({**sample_results(), "schema_version": "2"})
    broken = sample_results()
    del broken["data"]
    with pytest.raises(ReportError, match="'data'"):
        render_html(broken)
    broken = sample_results()
    broken["metrics"] = "card_working_5d"
    with pytest.raises(ReportError, match=r"results\['metrics'\] must be a list"):
        render_html(broken)


# -- ticks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [
        # Worked by hand with Heckbert's rule: range -> nice range -> step from {1, 2, 5} x 10^k.
        (0.0, 1.0, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (0.62, 0.78, [0.6, 0.65, 0.7, 0.75, 0.8]),
        (-3.1, 5.0, [-4.0, -2.0, 0.0, 2.0, 4.0, 6.0]),
        (5.0, 5.0, [4.4, 4.6, 4.8, 5.0, 5.2, 5.4, 5.6]),
        (380.0, 470.0, [380.0, 400.0, 420.0, 440.0, 460.0, 480.0]),
        (1e-4, 3e-4, [1e-4, 1.5e-4, 2e-4, 2.5e-4, 3e-4]),
    ],
)
def test_nice_ticks_known(lo: float, hi: float, expected: list[float]) -> None:
    assert nice_ticks(lo, hi) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-6, 1e6, allow_nan=False),
    st.integers(2, 10),
)
def test_nice_ticks_properties(lo: float, width: float, target: int) -> None:
    hi = lo + width
    ticks = nice_ticks(lo, hi, target)
    step = ticks[1] - ticks[0]
    assert ticks[0] <= lo + step * 1e-6 and ticks[-1] >= hi - step * 1e-6
    assert all(math.isclose(b - a, step, rel_tol=1e-6) for a, b in zip(ticks, ticks[1:]))
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5, 10))
    assert 2 <= len(ticks) <= 3 * target + 1


def test_nice_ticks_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="finite"):
        nice_ticks(0.0, math.inf)
    with pytest.raises(ValueError, match="target"):
        nice_ticks(0.0, 1.0, 1)


# -- a real browser --------------------------------------------------------------------------------


def _chromium() -> str | None:
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI: scripts/bootstrap installs Debian's chromium package")
        pytest.skip("chromium not installed (scripts/bootstrap installs it)")
    return exe


def _load(exe: str, page: Path) -> tuple[str, list[str]]:
    proc = subprocess.run(
        [
            exe,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    # Chromium writes each console message (and uncaught exception) as an INFO:CONSOLE log line.
    console = [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    return proc.stdout, console


def test_report_loads_in_headless_chromium(tmp_path: Path) -> None:
    exe = _chromium()
    assert exe is not None
    page = tmp_path / "index.html"
    page.write_text(render_html(sample_results()), encoding="utf-8")
    dom, console = _load(exe, page)
    assert console == []
    ids = set(_ids(_parse(dom)))
    assert set(KEY_IDS) <= ids
    assert dom.count("<svg") == render_html(sample_results()).count("<svg")
    # The console check can fail: a page that logs an error is caught by the same reading.
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><p id="x">x</p><script>console.error("mk-report-probe")</script>')
    _, console = _load(exe, bad)
    assert any("mk-report-probe" in ln for ln in console)


def test_fixture_is_not_shared_state() -> None:
    a = sample_results()
    a["metrics"].clear()
    assert sample_results()["metrics"] and copy.deepcopy(sample_results()) == sample_results()
