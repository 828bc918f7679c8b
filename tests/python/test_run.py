"""The main job, mk.run / missionkit run: on the demo data the planted effects must be recovered (each CI
covers the truth), the data must be accounted for, and the report must be written atomically."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import missionkit as mk
from missionkit import runner

N_CONTACTS = 200_000
SEED = 2026


@pytest.fixture(scope="module")
def demo() -> mk.demo.DemoData:
    return mk.demo.generate(N_CONTACTS, seed=SEED)


@pytest.fixture(scope="module")
def result(demo: mk.demo.DemoData) -> mk.RunResult:
    return mk.run(mk.example_mission("demo_contact_centre"), demo)


def _experiment(result: mk.RunResult, design: str) -> dict[str, Any]:
    (exp,) = [e for e in result.results["experiments"] if e["design"] == design]
    assert exp["status"] == "analysed", exp["reason"]
    return exp


def _primary(exp: dict[str, Any]) -> dict[str, Any]:
    (effect,) = [e for e in exp["verdict"]["effects"] if e["role"] == "primary"]
    return effect


def test_results_match_the_schema(result: mk.RunResult) -> None:
    import importlib.resources

    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((importlib.resources.files("missionkit.report") / "results.schema.json").read_text())
    jsonschema.validate(json.loads(json.dumps(result.results)), schema)
    assert result.results["schema_version"] == "1"


def test_every_row_is_accounted_for(result: mk.RunResult, demo: mk.demo.DemoData) -> None:
    d = result.results["data"]
    assert d["rows_read"] == len(demo) == d["accepted"] + d["quarantined"]
    per_reason = {q["reason"]: q["rows"] for q in d["quarantine"]}
    assert sum(per_reason.values()) == d["quarantined"]
    for reason, count in demo.truth.defects.items():
        assert per_reason[reason] == count
    assert d["period_start"] == demo.truth.period_start
    # Local dates (Europe/London): the last UTC hour of the year is already the next day in summer time.
    last = np.datetime64(demo.truth.period_end) + np.timedelta64(1, "D")
    assert d["period_end"] <= str(last)


def test_metrics_have_series_segments_and_breaks(result: mk.RunResult) -> None:
    r = result.results
    computed = [m for m in r["metrics"] if m["computed"]]
    assert computed, "the demo mission computes metrics from the contact log"
    (north,) = [m for m in r["metrics"] if m["tier"] == "outcome"]
    assert north["computed"]
    # A year of months; the last UTC hour of the year falls on 1 July in London: a tiny, flagged period.
    months = [row["period"] for row in north["series"] if not row["small_cell"]]
    assert months == [f"2025-{m:02d}" for m in range(7, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]
    assert all(row["small_cell"] for row in north["series"] if row["period"] == "2026-07")
    for row in north["series"]:
        if row["value"] is not None:
            assert row["ci_low"] <= row["value"] <= row["ci_high"]
    for dim in r["analysis"]["segments"]:
        assert north["segments"][dim], dim
    versioned = [m for m in computed if len(m["definitions"]) > 1]
    assert versioned and all(m["breaks"] for m in versioned)
    for m in versioned:
        brk = m["breaks"][0]
        before = [s for s in m["series"] if s["period_start"] < brk["date"]]
        after = [s for s in m["series"] if s["period_start"] >= brk["date"]]
        assert {s["version"] for s in before} == {brk["from_version"]}
        assert {s["version"] for s in after} == {brk["to_version"]}
    # The overall value equals the measure run directly on the log (the run adds no arithmetic of its own).
    kind, kwargs = result.spec.measure_call(north["id"], north["version"])
    direct = getattr(result.log, kind)(**kwargs, tz=r["data"]["time_zone"])
    assert north["overall"]["value"] == pytest.approx(direct.value, rel=1e-15)


def test_ab_test_recovers_the_planted_lift(result: mk.RunResult, demo: mk.demo.DemoData) -> None:
    exp = _experiment(result, "ab_test")
    assert exp["verdict"]["srm"]["ok"] is True
    effect = _primary(exp)
    t = demo.truth
    arms = exp["details"]["arms"]
    (control,) = [
        arms["value"][k]
        for k in range(len(arms["arm"]))
        if arms["arm"][k] == "control" and arms["metric"][k] == effect["metric"]
    ]
    assert effect["version"] == "1"
    # The treatment multiplies the probability of a repeat by ab_relative_effect; the primary metric is a
    # share of contacts followed (or not followed) by a repeat, so the planted absolute effect is
    # (1 - ab_relative_effect) times the control's repeat share.
    kind, _ = result.spec.measure_call(effect["metric"], effect["version"])
    repeat_share = 1 - control if kind == "fcr" else control
    truth = (1 - t.ab_relative_effect) * repeat_share * (1 if kind == "fcr" else -1)
    assert effect["ci_low"] <= truth <= effect["ci_high"], (effect, truth)
    assert exp["verdict"]["decision"] == "success"
    assert exp["verdict"]["summary"]


def test_stepped_wedge_recovers_the_rollout(result: mk.RunResult, demo: mk.demo.DemoData) -> None:
    exp = _experiment(result, "stepped_wedge")
    effect = _primary(exp)
    baseline = exp["details"]["baseline"]
    kind, _ = result.spec.measure_call(effect["metric"], effect["version"])
    t = demo.truth
    repeat_share = 1 - baseline if kind == "fcr" else baseline
    truth = (1 - t.rollout_relative_effect) * repeat_share * (1 if kind == "fcr" else -1)
    assert effect["ci_low"] <= truth <= effect["ci_high"], (effect, truth)
    assert exp["verdict"]["decision"] == "success"


def test_control_chart_fires_after_the_shift(result: mk.RunResult, demo: mk.demo.DemoData) -> None:
    t = demo.truth
    (chart,) = [c for c in result.results["control_charts"] if c["segment"] == t.shift_queue]
    days = [p["label"] for p in chart["points"]]
    flagged = {s["label"] for s in chart["signals"]}
    before = [d for d in days if d < t.shift_date]
    after = [d for d in days if d >= t.shift_date]
    # Daily points give a few false alarms a year under the Western Electric rules (rule 1 alone: 0.27% of
    # in-control points); after a 25% shift in handle time nearly every day signals.
    assert sum(d in flagged for d in before) / len(before) < 0.1
    assert sum(d in flagged for d in after) / len(after) > 0.8
    assert min(d for d in flagged if d >= t.shift_date) <= "2026-03-09"  # within a week of the shift
    # The baseline window is the spec's: from the first day to 2026-02-28.
    assert days[chart["baseline"][1] - 1] == "2026-02-28"


def test_okrs_are_scored(result: mk.RunResult) -> None:
    okrs = result.results["okrs"]
    assert okrs
    scored = [kr for o in okrs for kr in o["key_results"] if kr["current"] is not None]
    assert scored and all(kr["band"] in ("fail", "commit", "target", "stretch") for kr in scored)


def test_write_is_complete_and_atomic(result: mk.RunResult, tmp_path: Path, monkeypatch: Any) -> None:
    out = result.write(tmp_path / "report")
    assert (out / "index.html").is_file() and (out / "results.json").is_file()
    doc = json.loads((out / "results.json").read_text())
    for name, rel in doc["tables"].items():
        assert (out / rel).is_file(), name
    pq = pytest.importorskip("pyarrow.parquet")
    series = pq.read_table(out / doc["tables"]["metric_series"])
    assert series.num_rows == sum(len(m["series"]) for m in doc["metrics"])
    html = (out / "index.html").read_text()
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html

    # A failure half-way leaves the previous report untouched and no temporary directory behind.
    before = (out / "results.json").read_text()

    def boom(_: Any) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("missionkit.report.render_html", boom)
    with pytest.raises(KeyboardInterrupt):
        result.write(out)
    assert (out / "results.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_tables_as_frames(result: mk.RunResult) -> None:
    pd = pytest.importorskip("pandas")
    frame = result.table("metric_series")
    assert isinstance(frame, pd.DataFrame) and {"metric", "period", "value", "version"} <= set(frame.columns)
    with pytest.raises(KeyError, match="no table"):
        result.table("nope")


def test_spec_errors_stop_the_run(demo: mk.demo.DemoData) -> None:
    doc = mk.load_spec(mk.example_mission("demo_contact_centre")).to_dict()
    doc["metrics"][0]["owner"] = ""
    with pytest.raises(mk.SpecError, match="owner"):
        mk.run(doc, demo)


def test_data_needs_a_mapping() -> None:
    doc = mk.load_spec(mk.example_mission("demo_contact_centre")).to_dict()
    doc.pop("data")
    for e in doc.get("experiments", []):
        e.pop("segments", None)
    doc.get("analysis", {}).pop("segments", None)
    with pytest.raises(runner.RunError, match="data"):
        mk.run(doc, {"x": np.arange(3)})


# ---- the command line ------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("missionkit") or str(Path(sys.executable).parent / "missionkit")
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def parquet(demo: mk.demo.DemoData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path_factory.mktemp("data") / "contacts.parquet"
    pq.write_table(demo.to_arrow(), path)
    return path


def test_cli_run_writes_the_report(parquet: Path, tmp_path: Path) -> None:
    spec = mk.example_mission("demo_contact_centre")
    out = tmp_path / "report"
    r = _cli("run", str(spec), "--data", str(parquet), "--out", str(out), "--threads", "2")
    assert r.returncode == 0, r.stderr
    assert "Mission:" in r.stdout and "Report:" in r.stdout
    assert "[missionkit]" in r.stderr  # progress
    assert (out / "index.html").is_file()
    quiet = _cli("run", str(spec), "--data", str(parquet), "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_cli_run_names_a_missing_column(parquet: Path, tmp_path: Path) -> None:
    text = mk.example_mission("demo_contact_centre").read_text()
    spec = tmp_path / "mission.yaml"
    spec.write_text(text.replace("customer: customer_id", "customer: cust_no"))
    r = _cli("run", str(spec), "--data", str(parquet), "--out", str(tmp_path / "out"))
    assert r.returncode == 3, r.stdout + r.stderr
    assert "cust_no" in r.stderr
    assert not (tmp_path / "out").exists()


def test_cli_run_exit_codes(tmp_path: Path, parquet: Path) -> None:
    assert _cli("run", str(tmp_path / "missing.yaml"), "--data", str(parquet)).returncode == 2
    spec = mk.example_mission("demo_contact_centre")
    r = _cli("run", str(spec), "--data", str(tmp_path / "missing.parquet"))
    assert r.returncode == 3 and "missing.parquet" in r.stderr


def test_cli_demo(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    r = _cli("demo", "--out", str(out), "--contacts", "50000", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "Experiment" in r.stdout and (out / "index.html").is_file()


def test_p_chart_uses_counts_and_the_baseline(demo: mk.demo.DemoData) -> None:
    # A p chart of daily service level: its centre line is the pooled proportion over the baseline days,
    # computed here from the measure's own daily table.
    doc = mk.load_spec(mk.example_mission("demo_contact_centre")).to_dict()
    doc["control_charts"] = [
        {
            "id": "sl_daily",
            "metric": "service_level_20s",
            "chart": "p",
            "period": "day",
            "baseline": {"from": "2025-09-01", "to": "2025-09-30"},
            "rules": "nelson",
        }
    ]
    doc["experiments"] = []
    r = mk.run(doc, demo)
    (chart,) = r.results["control_charts"]
    kind, kwargs = r.spec.measure_call("service_level_20s")
    daily = getattr(r.log, kind)(**kwargs, period="day", tz="Europe/London", output="pandas")
    sept = daily[(daily["period"] >= "2025-09-01") & (daily["period"] <= "2025-09-30")]
    assert chart["chart"] == "p"
    assert chart["center"] == pytest.approx(sept["numerator"].sum() / sept["denominator"].sum(), rel=1e-12)
    labels = [p["label"] for p in chart["points"]]
    assert labels[chart["baseline"][0]] == "2025-09-01" and labels[chart["baseline"][1] - 1] == "2025-09-30"
    assert {s["rule"] for s in chart["signals"]} <= {f"nelson{i}" for i in range(1, 9)}


def test_demo_report_loads_in_headless_chromium(result: mk.RunResult, tmp_path: Path) -> None:
    # The real report of the demo run (not the renderer's fixture) in a real browser: it loads without a
    # console message and shows every section, with one drawn chart per series, segment, experiment and
    # control chart.
    from test_report import KEY_IDS, _chromium, _ids, _load, _parse

    exe = _chromium()
    assert exe is not None
    out = result.write(tmp_path / "report")
    dom, console = _load(exe, out / "index.html")
    assert console == []
    assert set(KEY_IDS) <= set(_ids(_parse(dom)))
    r = result.results
    assert dom.count("<svg") >= len([m for m in r["metrics"] if m["series"]]) + len(r["control_charts"])
    for e in r["experiments"]:
        assert e["id"] in dom
    assert r["mission"]["name"] in dom


def test_did_and_its_designs(demo: mk.demo.DemoData) -> None:
    # The rollout analysed as a staggered difference in differences, and the handle-time shift as an
    # interrupted time series, both declared in the spec.
    doc = mk.load_spec(mk.example_mission("demo_contact_centre")).to_dict()
    (sw,) = [e for e in doc["experiments"] if e["design"] == "stepped_wedge"]
    did = {**sw, "id": "rollout_did", "design": "did"}
    its = {
        "id": "payments_shift",
        "design": "its",
        "hypothesis": "handle time rose when the payments process changed",
        "intervention": demo.truth.shift_date,
        "period": "week",
        "primary": {"metric": "handle_time", "version": "1"},
    }
    doc["experiments"] = [did, its]
    doc["control_charts"] = []
    r = mk.run(doc, demo)
    did_r, its_r = r.results["experiments"]
    assert did_r["status"] == its_r["status"] == "analysed", (did_r["reason"], its_r["reason"])
    effect = _primary(did_r)
    truth = -(1 - demo.truth.rollout_relative_effect) * did_r["details"]["baseline"]
    assert effect["ci_low"] <= truth <= effect["ci_high"], (effect, truth)
    assert did_r["verdict"]["decision"] == "success"
    assert [e["role"] for e in did_r["verdict"]["effects"]] == ["primary", "guardrail"]
    level = _primary(its_r)
    assert level["ci_low"] > 0 and its_r["verdict"]["decision"] == "failure"  # handle time should decrease
    # The level change equals statsmodels' segmented regression with the same HAC standard errors.
    sm = pytest.importorskip("statsmodels.api")
    kind, kwargs = r.spec.measure_call("handle_time")
    weekly = getattr(r.log, kind)(**kwargs, period="week", tz="Europe/London", output="pandas")
    weekly = weekly[~weekly["small_cell"]].reset_index(drop=True)
    t = np.arange(1, len(weekly) + 1, dtype=float)
    t0 = float(weekly.index[weekly["period"] == "2026-W10"][0] + 1)
    post = (t >= t0).astype(float)
    X = np.column_stack([np.ones_like(t), t, post, post * (t - t0)])
    fit = sm.OLS(weekly["value"].to_numpy(), X).fit(
        cov_type="HAC", cov_kwds={"maxlags": its_r["details"]["its"]["maxlags"]}
    )
    assert level["estimate"] == pytest.approx(fit.params[2], rel=1e-9)
    assert level["ci_low"] == pytest.approx(fit.conf_int()[2][0], rel=1e-9)


@pytest.mark.parametrize("tz", ["Europe/London", "Australia/Adelaide", "Pacific/Chatham", "America/St_Johns"])
def test_local_dates_match_pandas(tz: str) -> None:
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(7)
    # Two years of instants, dense around every hour so that each offset change is crossed closely.
    us = np.sort(rng.integers(1_700_000_000_000_000, 1_763_000_000_000_000, 200_000))
    edges = (us[::50] // 900_000_000) * 900_000_000
    us = np.concatenate([us, edges - 1, edges, edges + 1])
    start = us.astype("datetime64[us]")
    ours = runner._local_dates(start, tz)
    theirs = pd.to_datetime(us, unit="us", utc=True).tz_convert(tz).tz_localize(None).normalize()
    assert np.array_equal(ours, theirs.to_numpy().astype("datetime64[D]"))
    keys, label_of = runner._period_keys(ours, "week")
    labels = {label_of(k) for k in np.unique(keys)}
    iso = pd.Series(theirs).dt.isocalendar()
    assert labels == {f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"])}
