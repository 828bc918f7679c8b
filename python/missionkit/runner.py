"""The main job: ``mk.run(spec, data, out)`` and ``missionkit run``.

One call loads and validates the mission spec, reads the contact log with the spec's column mapping
(quarantining bad rows), computes every metric that has a ``measure`` by period and by segment with
confidence intervals, scores the OKRs, analyses the declared experiments (A/B tests, stepped-wedge rollouts,
difference in differences, interrupted time series), checks the declared control charts, and returns a
:class:`RunResult`: the ``results`` document (``results.json``, schema in docs/results.md), tidy tables,
and the HTML report. ``RunResult.write(out)`` writes them atomically: an interrupted run leaves no
half-written report.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import hashlib
import json
import math
import os
import shutil
import sys
import time
import zoneinfo
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from missionkit import _core
from missionkit.contact_log import ContactLog
from missionkit.spec import Spec, load_spec

RESULTS_SCHEMA_VERSION = "1"

#: Measures whose value is a proportion of units (their per-unit values are 0/1).
_PROPORTIONS = {
    "fcr",
    "fcr_reported",
    "repeat_rate",
    "service_level",
    "abandonment",
    "containment",
    "failure_demand",
    "csat",
}


class RunError(ValueError):
    """The run could not be carried out (unreadable data, a column the spec maps is missing...)."""


# ---- progress ----------------------------------------------------------------------------------------


class Progress:
    """Step-by-step progress on stderr (one line per step with its time); silent when ``quiet``."""

    def __init__(self, quiet: bool = False, stream: Any = None) -> None:
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self._t0 = time.perf_counter()

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        t = time.perf_counter()
        if not self.quiet:
            print(f"[missionkit] {what} ...", file=self.stream, flush=True)
        yield
        if not self.quiet:
            elapsed = time.perf_counter() - t
            print(f"[missionkit] {what}: done in {elapsed:.1f} s", file=self.stream, flush=True)

    def items(self, what: str, items: Sequence[Any]) -> Iterator[Any]:
        """Yields the items, drawing a one-line progress bar on a terminal (``what i/n``)."""
        live = not self.quiet and hasattr(self.stream, "isatty") and self.stream.isatty()
        for i, item in enumerate(items):
            if live:
                done = int(20 * i / max(len(items), 1))
                bar = "#" * done + "." * (20 - done)
                print(
                    f"\r[missionkit]   [{bar}] {what} {i + 1}/{len(items)}",
                    end="",
                    file=self.stream,
                    flush=True,
                )
            yield item
        if live:
            print("\r\033[K", end="", file=self.stream, flush=True)

    def note(self, text: str) -> None:
        if not self.quiet:
            print(f"[missionkit] {text}", file=self.stream, flush=True)


# ---- small helpers -------------------------------------------------------------------------------------


def _num(x: Any) -> float | None:
    """A JSON number: NaN and infinities become None."""
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None


def _clean(obj: Any) -> Any:
    """Recursively JSON-ready: numpy scalars to Python, NaN to None, dates to ISO strings, tuples to lists."""
    if isinstance(obj, Mapping):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_clean(v) for v in obj.tolist()]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _num(obj)
    if isinstance(obj, (_dt.date, _dt.datetime)):
        return obj.isoformat()
    return obj


def _period_start(label: str, unit: str) -> str:
    """The first day of a period label as the measures write it (2026-03, 2026-W10, 2026-Q1, 2026, day)."""
    if unit == "day":
        return label
    if unit == "month":
        return f"{label}-01"
    if unit == "year":
        return f"{label}-01-01"
    if unit == "quarter":
        year, q = label.split("-Q")
        return f"{year}-{3 * (int(q) - 1) + 1:02d}-01"
    if unit == "week":
        year, w = label.split("-W")
        return _dt.date.fromisocalendar(int(year), int(w), 1).isoformat()
    raise ValueError(f"unknown period unit {unit!r}")


def _period_of_date(day: str, unit: str) -> str:
    """The period label of a date (YYYY-MM-DD), as the measures write it."""
    d = _dt.date.fromisoformat(day[:10])
    if unit == "day":
        return d.isoformat()
    if unit == "month":
        return d.isoformat()[:7]
    if unit == "year":
        return str(d.year)
    if unit == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if unit == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    raise ValueError(f"unknown period unit {unit!r}")


@functools.lru_cache(maxsize=16)
def _quarter_hour_offsets(tz: str, first: int, last: int) -> npt.NDArray[np.int64]:
    """UTC offset in microseconds of each quarter hour (UTC) from ``first`` to ``last`` in zone ``tz``."""
    zone = zoneinfo.ZoneInfo(tz)
    offsets = np.empty(last - first + 1, dtype=np.int64)
    for i in range(len(offsets)):  # a year is 35,040 quarter hours
        instant = _dt.datetime.fromtimestamp((first + i) * 900, tz=_dt.timezone.utc)
        off = instant.astimezone(zone).utcoffset()
        offsets[i] = int(off.total_seconds() * 1_000_000) if off is not None else 0
    offsets.flags.writeable = False  # shared by the cache
    return offsets


def _local_dates(start: npt.NDArray[Any], tz: str) -> npt.NDArray[np.datetime64]:
    """Local calendar dates (datetime64[D]) of UTC instants in IANA zone ``tz``: the offset is looked up once
    per quarter hour (UTC) of the span; every zone in use changes its offset on a quarter hour (Adelaide's
    switch falls at 16:30 UTC, Chatham's at 14:00)."""
    us = np.asarray(start).astype("datetime64[us]", copy=False).view(np.int64)
    if len(us) == 0:
        return np.empty(0, dtype="datetime64[D]")
    quarters = us // 900_000_000
    # The table covers whole blocks of 35,040 quarter hours (about a year), so that the calls of one run,
    # on different subsets of the same data, share one cached table.
    block = 35_040
    first = int(quarters.min()) // block * block
    offsets = _quarter_hour_offsets(tz, first, int(quarters.max()) // block * block + block - 1)
    inverse = quarters - first
    local = us + offsets[inverse]
    local //= 86_400_000_000
    return local.view("datetime64[D]")


def _period_keys(dates: npt.NDArray[np.datetime64], unit: str) -> tuple[npt.NDArray[np.int64], Any]:
    """Integer period keys of local dates (ordered like the periods) and a function giving a key's label as
    the measures write it: grouping millions of rows by integer, labels only for the distinct keys."""
    days = dates.astype("datetime64[D]").astype(np.int64)
    if unit == "day":
        return days, lambda k: str(np.datetime64(int(k), "D"))
    if unit == "month":
        return dates.astype("datetime64[M]").astype(np.int64), lambda k: str(np.datetime64(int(k), "M"))
    if unit == "year":
        return dates.astype("datetime64[Y]").astype(np.int64), lambda k: str(np.datetime64(int(k), "Y"))
    if unit == "quarter":
        months = dates.astype("datetime64[M]").astype(np.int64)
        return months // 3, lambda k: f"{1970 + int(k) // 4}-Q{int(k) % 4 + 1}"
    if unit == "week":
        monday = days - (days + 3) % 7  # 1970-01-01 was a Thursday
        return monday, lambda k: _period_of_date(str(np.datetime64(int(k), "D")), "week")
    raise ValueError(f"unknown period unit {unit!r}")


def _definition_in_effect(metric: Any, day: str) -> Any:
    """The metric definition in effect on a day: the latest whose effective_from is on or before it (the
    first one for days before every definition)."""
    defs = sorted(metric.definitions, key=lambda d: str(d.effective_from))
    chosen = defs[0] if defs else None
    for d in defs:
        if str(d.effective_from) <= day:
            chosen = d
    return chosen


def _sha256_of(source: Any, spec: Spec) -> str:
    if isinstance(source, (str, os.PathLike)) and Path(source).is_file():
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    return hashlib.sha256(spec.to_json().encode()).hexdigest()


# ---- data -----------------------------------------------------------------------------------------------


def _read_log(spec: Spec, data: Any) -> tuple[ContactLog, str]:
    """The contact log and a description of where it came from."""
    from missionkit.demo import DemoData

    if isinstance(data, ContactLog):
        return data, "ContactLog"
    if isinstance(data, DemoData):
        options = spec.contact_log_options() if spec.data is not None else {}
        if not options:
            return data.contact_log(), "mk.demo.generate()"
        return ContactLog.from_frame(data.to_arrow(), **options), "mk.demo.generate()"
    options = spec.contact_log_options() if spec.data is not None else {}
    if not options.get("customer") or not options.get("start"):
        raise RunError(
            "the spec has no data: section mapping the contact-log columns (data.columns.customer and "
            "data.columns.start are required); add it, or pass a ContactLog"
        )
    if isinstance(data, (str, os.PathLike)):
        path = Path(data)
        if not path.exists():
            raise RunError(f"data file {str(path)!r} does not exist")
        suffix = path.suffix.lower()
        try:
            if suffix in (".parquet", ".pq"):
                return ContactLog.read_parquet(path, **options), str(path)
            if suffix in (".csv", ".gz", ".txt"):
                return ContactLog.read_csv(path, **options), str(path)
        except (KeyError, FileNotFoundError) as e:
            raise RunError(f"{path}: {e}") from e
        raise RunError(f"data file {str(path)!r}: expected a .parquet or .csv file")
    return ContactLog.from_frame(data, **options), type(data).__name__


# ---- metrics ----------------------------------------------------------------------------------------------


@dataclass
class _Context:
    spec: Spec
    log: ContactLog
    period: str
    tz: str
    alpha: float
    min_n: int
    segments: list[str]
    warnings: list[str] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def call(self, metric_id: str, version: str | None = None, **grouping: Any) -> Any:
        """The metric's measure (of the given definition version) with the run's grouping options."""
        kind, kwargs = self.spec.measure_call(metric_id, version)
        method: Callable[..., Any] = getattr(self.log, kind)
        return method(**kwargs, tz=self.tz, alpha=self.alpha, min_n=self.min_n, **grouping)

    def values(self, metric_id: str, version: str | None = None) -> dict[str, Any]:
        """Per-unit values of the metric (see ContactLog.contact_values)."""
        kind, kwargs = self.spec.measure_call(metric_id, version)
        out: dict[str, Any] = self.log.contact_values(kind, **kwargs)
        return out

    def add_rows(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Rows for a tidy output table (written as Parquet)."""
        self.tables.setdefault(table, []).extend(dict(r) for r in rows)


def _measure_versions(metric: Any) -> list[str]:
    """Definition versions that carry their own measure (besides the metric-level one, version None)."""
    return [d.version for d in metric.definitions if getattr(d, "measure", None) is not None]


def _measure_dict(measure: Any) -> dict[str, Any]:
    """A spec MeasureSpec as results.json writes it: its kind, parameters as written, and filter."""
    return {
        "kind": measure.kind,
        "params": _clean(dict(measure.params)),
        "where": _clean(dict(measure.where)),
    }


def _latest(metric: Mapping[str, Any]) -> dict[str, Any] | None:
    """The metric's current reading: its latest period with a value that is not a small cell (the whole
    window when no period qualifies)."""
    for row in reversed(metric["series"]):
        if row["value"] is not None and not row["small_cell"]:
            return dict(row)
    overall = metric["overall"]
    return dict(overall) if overall and overall.get("value") is not None else None


def _metric_result(ctx: _Context, metric: Any) -> dict[str, Any]:
    defs = sorted(metric.definitions, key=lambda d: str(d.effective_from))
    current = defs[-1] if defs else None
    entry: dict[str, Any] = {
        "id": metric.id,
        "name": metric.name,
        "tier": str(metric.tier),
        "lens": str(metric.lens),
        "unit": metric.unit,
        "direction": str(metric.direction),
        "owner": metric.owner,
        "source": metric.source,
        "version": current.version if current else None,
        "rule": current.rule if current else None,
        "definitions": [
            {
                "version": d.version,
                "effective_from": str(d.effective_from),
                "rule": d.rule,
                "change_note": d.change_note,
            }
            for d in defs
        ],
        "computed": False,
        "not_computed_reason": None,
        "measure": None,
        "value_unit": None,
        "ci_method": None,
        "overall": None,
        "series": [],
        "breaks": [],
        "segments": {},
    }
    measure = getattr(metric, "measure", None)
    if measure is None and not _measure_versions(metric):
        entry["not_computed_reason"] = (
            f"no measure in the spec: the metric comes from {metric.source or 'another source'}"
        )
        return entry
    if measure is not None:
        entry["measure"] = _measure_dict(measure)
    version_now = current.version if current else None

    overall = ctx.call(metric.id, version_now)
    entry["computed"] = True
    entry["value_unit"] = overall.unit
    entry["ci_method"] = overall.ci_method
    entry["overall"] = {
        "value": _num(overall.value),
        "ci_low": _num(overall.ci[0]),
        "ci_high": _num(overall.ci[1]),
        "n": int(overall.n),
    }

    # The series: each period measured by the definition in effect at its start. Versions without a measure
    # of their own share the metric-level one, computed once (key None).
    own = set(_measure_versions(metric))
    shared = next((d.version for d in defs if d.version not in own), None)
    tables: dict[str | None, dict[str, Any]] = {}
    if measure is not None:
        tables[None] = ctx.call(metric.id, shared, period=ctx.period, output="dict")
    for v in own:
        tables[v] = ctx.call(metric.id, v, period=ctx.period, output="dict")
    rows_of: dict[str | None, dict[str, int]] = {
        key: {str(p): i for i, p in enumerate(t["period"])} for key, t in tables.items()
    }
    labels = sorted({label for rows in rows_of.values() for label in rows})
    series: list[dict[str, Any]] = []
    for label in labels:
        start = _period_start(label, ctx.period)
        d = _definition_in_effect(metric, start)
        version = d.version if d is not None else None
        key = version if version in own else None
        i = rows_of.get(key, {}).get(label)
        if i is None:
            continue
        t = tables[key]
        series.append(
            {
                "period": label,
                "period_start": start,
                "value": _num(t["value"][i]),
                "ci_low": _num(t["ci_low"][i]),
                "ci_high": _num(t["ci_high"][i]),
                "n": int(t["n"][i]),
                "small_cell": bool(t["small_cell"][i]),
                "version": version,
            }
        )
    entry["series"] = series
    # A comparability break where a new definition takes effect inside the series: marked at the first
    # period measured under it.
    for prev, d in zip(defs, defs[1:]):
        eff = str(d.effective_from)
        after = [row for row in series if row["period_start"] >= eff]
        if series and series[0]["period_start"] < eff and after:
            entry["breaks"].append(
                {
                    "date": eff,
                    "period": after[0]["period"],
                    "from_version": prev.version,
                    "to_version": d.version,
                    "change_note": d.change_note,
                }
            )

    for dim in ctx.segments:
        try:
            t = ctx.call(metric.id, version_now, by=dim, output="dict")
        except (_core.DataError, ValueError) as e:
            ctx.warnings.append(f"metric {metric.id}: no breakdown by {dim}: {e}")
            continue
        entry["segments"][dim] = [
            {
                "segment": "(missing)" if t[dim][i] is None else str(t[dim][i]),
                "value": _num(t["value"][i]),
                "ci_low": _num(t["ci_low"][i]),
                "ci_high": _num(t["ci_high"][i]),
                "n": int(t["n"][i]),
                "small_cell": bool(t["small_cell"][i]),
            }
            for i in range(len(t["value"]))
        ]
    ctx.add_rows(
        "metric_series",
        [{"metric": metric.id, **row} for row in series],
    )
    ctx.add_rows(
        "metric_segments",
        [
            {"metric": metric.id, "dimension": dim, "version": version_now, **row}
            for dim, rows in entry["segments"].items()
            for row in rows
        ],
    )
    return entry


# ---- OKRs -------------------------------------------------------------------------------------------------


def _okrs(ctx: _Context, metrics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Key results scored on the latest period's value of their metric (the whole window when the metric has
    no series), objectives scored by the mean attainment of their scored key results."""
    current: dict[str, float] = {}
    measured_version: dict[str, str | None] = {}
    for m in metrics:
        point = _latest(m) if m["computed"] else None
        if point is not None:
            current[m["id"]] = float(point["value"])
            measured_version[m["id"]] = point.get("version", m["version"])
    rows = ctx.spec.score_okrs(current)
    out: list[dict[str, Any]] = []
    by_objective: dict[str, dict[str, Any]] = {}
    for objective in ctx.spec.okrs:
        entry: dict[str, Any] = {
            "objective": objective.objective,
            "owner": objective.owner,
            "score": None,
            "key_results": [],
        }
        by_objective[objective.objective] = entry
        out.append(entry)
    for row in rows:
        entry = by_objective[row["objective"]]
        kr: dict[str, Any] = {
            "metric": row["metric"],
            "metric_version": row["metric_version"],
            "baseline": _num(row["baseline"]),
            "target": _num(row["target"]),
            "stretch": _num(row["stretch"]),
            "due": str(row["due"]) if row["due"] is not None else None,
            "current": _num(row["actual"]),
            "score": _num(row["attainment"]),
            "band": str(row["band"]) if row["band"] is not None else None,
        }
        v = measured_version.get(row["metric"])
        if kr["current"] is not None and v is not None and v != row["metric_version"]:
            ctx.warnings.append(
                f"OKR '{row['objective']}': key result on {row['metric']} v{row['metric_version']} is scored "
                f"on a value measured under v{v}"
            )
        entry["key_results"].append(kr)
    for entry in out:
        scores = [kr["score"] for kr in entry["key_results"] if kr["score"] is not None]
        entry["score"] = sum(scores) / len(scores) if scores else None
    ctx.add_rows(
        "okrs",
        [{"objective": e["objective"], **kr} for e in out for kr in e["key_results"]],
    )
    return out


# ---- experiments ------------------------------------------------------------------------------------------


def _unit_ids(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Unit ids ready for hashing: whole-number floats (ids read from a column with missing values) become
    integers, so that 100123.0 hashes as 100123, as the assignment did."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise RunError(
                "customer ids are floats that are not whole numbers; they cannot be hashed to arms"
            )
        return arr.astype(np.int64)
    if arr.dtype.kind == "O":
        return np.asarray([str(v) for v in arr.tolist()])
    return arr


def _in_window(dates: npt.NDArray[np.datetime64], first: Any, last: Any) -> npt.NDArray[np.bool_]:
    """Which local dates lie in [first, last] (either bound optional)."""
    keep = np.ones(len(dates), dtype=bool)
    if first is not None:
        keep &= dates >= np.datetime64(str(first)[:10], "D")
    if last is not None:
        keep &= dates <= np.datetime64(str(last)[:10], "D")
    return keep


def _metric_refs(exp: Mapping[str, Any]) -> list[tuple[dict[str, Any], str]]:
    refs = [(dict(exp["primary"]), "primary")]
    refs += [(dict(r), "secondary") for r in exp.get("secondary") or []]
    refs += [(dict(r), "guardrail") for r in exp.get("guardrails") or []]
    return refs


def _ab_test(ctx: _Context, exp: Mapping[str, Any]) -> dict[str, Any]:
    from missionkit import experiment as mkx

    unit = exp.get("unit") or "customer"
    if unit != "customer":
        raise RunError(f"experiment {exp['id']}: unit {unit!r}: only customer-randomised tests are supported")
    assignment = exp.get("assignment") or {}
    arms = {str(k): float(v) for k, v in (assignment.get("arms") or {}).items()}
    salt = str(assignment.get("salt", ""))
    refs = _metric_refs(exp)
    per_metric = []
    for ref, role in refs:
        vals = ctx.values(ref["metric"], ref.get("version"))
        keep = _in_window(_local_dates(vals["start"], ctx.tz), exp.get("start"), exp.get("end"))
        per_metric.append((ref, role, {k: np.asarray(v)[keep] for k, v in vals.items()}))
    ids = _unit_ids(np.concatenate([v["customer"] for _, _, v in per_metric]))
    units, inverse = np.unique(ids, return_inverse=True)
    inverse = inverse.reshape(-1)
    table: dict[str, Any] = {}
    metrics = []
    offset = 0
    for ref, role, vals in per_metric:
        k = len(vals["customer"])
        inv = inverse[offset : offset + k]
        offset += k
        name = ref["metric"]
        table[name] = np.bincount(inv, weights=vals["numerator"], minlength=len(units))
        table[f"{name}__denominator"] = np.bincount(inv, weights=vals["denominator"], minlength=len(units))
        direction = str(ctx.spec.metric(name).direction)
        metrics.append(
            mkx.Metric(
                name=name,
                kind="ratio",
                column=name,
                denominator=f"{name}__denominator",
                direction=direction,
                guardrail=role == "guardrail",
                margin=float(ref.get("margin") or 0.0),
                relative=bool(ref.get("relative", False)),
            )
        )
    arm = mkx.assign(units, salt, arms)
    in_test = arm != "holdout"
    data = {k: v[in_test] for k, v in table.items()}
    data["arm"] = arm[in_test]
    segments = list(exp.get("segments") or [])
    kwargs: dict[str, Any] = {}
    if segments:
        # A unit's segment: that of its first contact in the primary metric (contacts are in time order).
        first_vals = per_metric[0][2]
        prim_ids = _unit_ids(first_vals["customer"])
        order = np.argsort(first_vals["start"], kind="stable")
        pos = np.searchsorted(units, prim_ids[order])
        first_row = np.full(len(units), -1, dtype=np.int64)
        first_row[pos[::-1]] = np.asarray(first_vals["row"])[order][::-1]
        for dim in segments:
            labels = np.full(len(units), "(none)", dtype=object)
            have = first_row >= 0
            got, missing = ctx.log._core.gather(dim, first_row[have].astype(np.uint64))
            labels[have] = np.where(np.asarray(missing), "(missing)", np.asarray(got, dtype=object))
            data[f"segment_{dim}"] = labels[in_test].astype(str)
        kwargs["segments"] = [f"segment_{dim}" for dim in segments]
    arm_names = list(arms)
    result = mkx.ab_test(
        data,
        arm="arm",
        metrics=metrics,
        control=arm_names[0],
        weights=arms,
        alpha=float(exp.get("alpha") or ctx.alpha),
        **kwargs,
    )
    verdict = mkx.verdict(result, experiment=str(exp["id"]), primary=refs[0][0]["metric"])
    versions = {ref["metric"]: ref.get("version") for ref, _ in refs}
    verdict = dataclasses.replace(
        verdict,
        effects=tuple(dataclasses.replace(e, version=versions.get(e.metric)) for e in verdict.effects),
    )
    details = {
        "units": int(in_test.sum()),
        "holdout": int((~in_test).sum()),
        "window": [exp.get("start"), exp.get("end")],
        "arms": result.arms,
        "comparisons": result.comparisons,
        "versions": versions,
    }
    if getattr(result, "segments", None):
        details["segments"] = result.segments
    ctx.add_rows(
        "experiment_effects",
        [{"experiment": exp["id"], **e} for e in verdict.to_dict()["effects"]],
    )
    return {"verdict": verdict, "details": details}


def _cells(
    ctx: _Context, exp: Mapping[str, Any], ref: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str], str]:
    """Cluster x period cells of a metric's unit values (n, sum, sum of squares), each marked treated when
    its period starts on or after its cluster's go-live date."""
    cluster = str(exp["cluster"])
    rollout = {str(k): str(v)[:10] for k, v in (exp.get("rollout") or {}).items()}
    period = str(exp.get("period") or ctx.period)
    vals = ctx.values(ref["metric"], ref.get("version"))
    # Local dates once: they pick the window and then the period of each unit.
    dates = _local_dates(vals["start"], ctx.tz)
    keep = _in_window(dates, exp.get("start"), exp.get("end"))
    rows = np.asarray(vals["row"])[keep]
    den = np.asarray(vals["denominator"], dtype=np.float64)[keep]
    y = np.asarray(vals["numerator"], dtype=np.float64)[keep] / np.where(den > 0, den, np.nan)
    codes, names = ctx.log._core.gather_codes(cluster, rows.astype(np.uint64))
    ok = (codes >= 0) & np.isfinite(y)
    keys, label_of = _period_keys(dates[keep][ok], period)
    y, codes = y[ok], codes[ok]
    if len(y) == 0:
        raise RunError(f"experiment {exp['id']}: no {ref['metric']} values with a {cluster} in the window")
    kmin = int(keys.min())
    width = int(keys.max()) - kmin + 1
    cell = codes * width + (keys - kmin)
    # Clusters x periods is small: count into every cell, keep those that occur.
    size = len(names) * width
    n_all = np.bincount(cell, minlength=size)
    uniq = np.flatnonzero(n_all)
    n = n_all[uniq].astype(np.float64)
    s = np.bincount(cell, weights=y, minlength=size)[uniq]
    ss = np.bincount(cell, weights=y * y, minlength=size)[uniq]
    cell_cluster = [str(names[int(c)]) for c in (uniq // width).tolist()]
    cell_period = [label_of(kmin + int(k)) for k in (uniq % width).tolist()]
    starts = [_period_start(p, period) for p in cell_period]
    treated = np.array(
        [c in rollout and st >= rollout[c] for c, st in zip(cell_cluster, starts)], dtype=np.float64
    )
    cells = {
        "cluster": np.asarray(cell_cluster),
        "period": np.asarray(cell_period),
        "treated": treated,
        "n": n,
        "sum": s,
        "sum_sq": ss,
    }
    return cells, rollout, period


def _baseline(cells: Mapping[str, Any]) -> float | None:
    untreated = cells["treated"] == 0
    total = float(cells["n"][untreated].sum())
    return float(cells["sum"][untreated].sum()) / total if total > 0 else None


@dataclass(frozen=True)
class _Estimate:
    """One metric's effect in a single-effect design, with the level it is relative to."""

    estimate: float
    ci_low: float
    ci_high: float
    pvalue: float
    baseline: float | None
    note: str
    details: dict[str, Any]


def _sw_estimate(ctx: _Context, exp: Mapping[str, Any], ref: Mapping[str, Any]) -> _Estimate:
    from missionkit import experiment as mkx

    cells, rollout, period = _cells(ctx, exp, ref)
    res = mkx.stepped_wedge_analysis(
        cells, cluster="cluster", period="period", treated="treated", n="n", sum="sum", sum_sq="sum_sq",
        alpha=float(exp.get("alpha") or ctx.alpha),
    )  # fmt: skip
    fit = res.to_dict()
    note = (
        f"Hussey-Hughes mixed model on {fit['clusters']} clusters x {fit['periods']} {period}s "
        "(cluster random intercept, period fixed effects, REML)"
    )
    baseline = _baseline(cells)
    details = {"fit": fit, "rollout": rollout, "period": period, "baseline": baseline}
    return _Estimate(fit["theta"], fit["ci_low"], fit["ci_high"], fit["pvalue"], baseline, note, details)


def _did_estimate(ctx: _Context, exp: Mapping[str, Any], ref: Mapping[str, Any]) -> _Estimate:
    from missionkit import stats

    cells, rollout, period = _cells(ctx, exp, ref)
    order = sorted(set(cells["period"].tolist()))
    # Each cluster's first treated period: the first whose start is on or after its go-live (as in _cells).
    first = {
        c: next((float(i) for i, p in enumerate(order) if _period_start(p, period) >= d), float("nan"))
        for c, d in rollout.items()
    }
    index = {p: i for i, p in enumerate(order)}
    time_index = np.array([index[p] for p in cells["period"].tolist()], dtype=np.int64)
    treated_from = np.array([first.get(c, np.nan) for c in cells["cluster"].tolist()], dtype=np.float64)
    res = stats.did(
        cells["sum"] / cells["n"], cells["cluster"], time_index, treated_from,
        alpha=float(exp.get("alpha") or ctx.alpha),
    )  # fmt: skip
    j = res.names.index("treated")
    low, high = (float(x) for x in res.conf_int()[j])
    note = (
        "two-way fixed effects (cluster and period) on cluster-period means, standard errors clustered by "
        "cluster; with few clusters the interval is approximate"
    )
    baseline = _baseline(cells)
    details = {
        "rollout": rollout,
        "period": period,
        "clusters": len(set(cells["cluster"].tolist())),
        "baseline": baseline,
    }
    return _Estimate(float(res.params[j]), low, high, float(res.pvalues[j]), baseline, note, details)


def _its_estimate(ctx: _Context, exp: Mapping[str, Any], ref: Mapping[str, Any]) -> _Estimate:
    from missionkit.its import interrupted_time_series

    period = str(exp.get("period") or ctx.period)
    t = ctx.call(ref["metric"], ref.get("version"), period=period, output="dict")
    keep = ~np.asarray(t["small_cell"], dtype=bool)
    labels = [str(p) for p, k in zip(t["period"], keep) if k]
    values = np.asarray(t["value"], dtype=np.float64)[keep]
    intervention = _period_of_date(str(exp["intervention"])[:10], period)
    if intervention not in labels:
        raise RunError(f"experiment {exp['id']}: the intervention period {intervention} has no data")
    res = interrupted_time_series(
        values,
        np.arange(1, len(labels) + 1, dtype=np.float64),
        float(labels.index(intervention) + 1),
        season=None,
        alpha=float(exp.get("alpha") or ctx.alpha),
    )
    fit = res.to_dict()
    level = fit["level_change"]
    pre = [v for lab, v in zip(labels, values.tolist()) if lab < intervention]
    note = f"segmented regression of the {period}ly series with Newey-West standard errors (level change)"
    details = {"its": fit, "period": period}
    baseline = float(np.mean(pre)) if pre else None
    return _Estimate(
        level["estimate"], level["ci_low"], level["ci_high"], level["pvalue"], baseline, note, details
    )


_ESTIMATORS: dict[str, Callable[[_Context, Mapping[str, Any], Mapping[str, Any]], _Estimate]] = {
    "stepped_wedge": _sw_estimate,
    "did": _did_estimate,
    "its": _its_estimate,
}


def _single_effect(ctx: _Context, exp: Mapping[str, Any]) -> dict[str, Any]:
    """Stepped-wedge, DiD and ITS designs: the primary metric's effect decides, as in Verdict.from_estimate;
    secondary metrics are reported beside it and a guardrail beyond its margin makes the decision a
    failure (the guardrail rule of the A/B analysis)."""
    from missionkit import experiment as mkx
    from missionkit.verdict import Effect

    design = str(exp["design"])
    estimate = _ESTIMATORS[design]
    alpha = float(exp.get("alpha") or ctx.alpha)
    refs = _metric_refs(exp)
    primary = refs[0][0]
    e = estimate(ctx, exp, primary)
    verdict = mkx.Verdict.from_estimate(
        str(exp["id"]), design, primary["metric"], primary.get("version"), e.estimate, e.ci_low, e.ci_high,
        e.pvalue, str(ctx.spec.metric(primary["metric"]).direction), baseline=e.baseline, alpha=alpha,
        notes=(e.note,),
    )  # fmt: skip
    effects = list(verdict.effects)
    details: dict[str, Any] = {primary["metric"]: e.details}
    for ref, role in refs[1:]:
        x = estimate(ctx, exp, ref)
        direction = str(ctx.spec.metric(ref["metric"]).direction)
        b = x.baseline if x.baseline not in (None, 0.0) else None
        rel: tuple[float | None, float | None, float | None] = (None, None, None)
        if b is not None:
            lo, hi = sorted((x.ci_low / b, x.ci_high / b))
            rel = (x.estimate / b, lo, hi)
        if role == "guardrail":
            rule = mkx.Metric(
                ref["metric"], direction=direction, guardrail=True, margin=float(ref.get("margin") or 0.0),
                relative=bool(ref.get("relative", False)),
            )  # fmt: skip
            if rule.relative and b is None:
                status = "inconclusive"
            else:
                status = mkx._guardrail_status(
                    rule, x.estimate, x.ci_low, x.ci_high, float(rel[1] or 0.0), float(rel[2] or 0.0)
                )
        elif x.pvalue >= alpha:
            status = "no detectable change"
        else:
            status = "better" if (x.estimate > 0) == (direction == "increase") else "worse"
        effects.append(
            Effect(
                ref["metric"],
                ref.get("version"),
                role,
                None,
                x.estimate,
                x.ci_low,
                x.ci_high,
                rel[0],
                rel[1],
                rel[2],
                x.pvalue,
                None,
                direction,
                status,
            )
        )
        details[ref["metric"]] = x.details
    guardrails = [f for f in effects if f.role == "guardrail"]
    decision = "failure" if any(f.status == "fail" for f in guardrails) else verdict.decision
    criterion = verdict.criterion
    if guardrails and criterion:
        criterion += " and no guardrail fails"
    verdict = dataclasses.replace(
        verdict, effects=tuple(effects), decision=decision, criterion=criterion,
        criterion_met=decision == "success",
    )  # fmt: skip
    ctx.add_rows("experiment_effects", [{"experiment": exp["id"], **x} for x in verdict.to_dict()["effects"]])
    first = details[primary["metric"]]
    return {"verdict": verdict, "details": {**first, "metrics": details}}


_DESIGNS: dict[str, Callable[[_Context, Mapping[str, Any]], dict[str, Any]]] = {
    "ab_test": _ab_test,
    "stepped_wedge": _single_effect,
    "did": _single_effect,
    "its": _single_effect,
}


def _experiment(ctx: _Context, exp: Mapping[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": exp["id"],
        "design": exp["design"],
        "hypothesis": exp.get("hypothesis"),
        "status": "analysed",
        "reason": None,
        "verdict": None,
        "details": {},
    }
    try:
        out = _DESIGNS[exp["design"]](ctx, exp)
    except (ValueError, KeyError) as e:  # bad data for this design: report it, keep the rest of the run
        entry["status"] = "skipped"
        entry["reason"] = str(e)
        ctx.warnings.append(f"experiment {exp['id']} not analysed: {e}")
        return entry
    verdict = out["verdict"]
    entry["verdict"] = {**verdict.to_dict(), "summary": verdict.summary()}
    entry["details"] = out["details"]
    return entry


# ---- control charts ---------------------------------------------------------------------------------------


def _control_charts(ctx: _Context, cc: Mapping[str, Any]) -> list[dict[str, Any]]:
    from missionkit import ops

    period = str(cc.get("period") or "day")
    by = cc.get("by")
    grouping: dict[str, Any] = {"period": period, "output": "dict"}
    if by:
        grouping["by"] = by
    t = ctx.call(cc["metric"], None, **grouping)
    labels = np.asarray([str(p) for p in t["period"]], dtype=object)
    segments = [None] if not by else sorted({str(v) for v in t[by] if v is not None})
    baseline = cc.get("baseline") or {}
    out = []
    for seg in segments:
        rows = (
            np.ones(len(labels), dtype=bool)
            if seg is None
            else np.asarray([str(v) == seg for v in t[by]], dtype=bool)
        )
        lab = labels[rows]
        order = np.argsort(lab, kind="stable")
        lab = lab[order]
        chart = str(cc.get("chart") or "individuals")
        if chart in ("xbar_r", "xbar_s"):
            ctx.warnings.append(
                f"control chart {cc['id']}: {chart} needs subgroups of raw values, not a measure per period; "
                "use individuals (with its moving-range chart) or an attribute chart (p, np, c, u)"
            )
            return []
        if chart == "mr":  # the moving-range chart is the dispersion half of the individuals chart
            chart = "individuals"
        # Attribute charts take counts (the measure's numerator) and their sample sizes (its denominator);
        # the others take the measure's value per period.
        counts = chart in ("p", "np", "c", "u")
        values = np.asarray(t["numerator" if counts else "value"], dtype=np.float64)[rows][order]
        n = np.asarray(t["denominator"], dtype=np.float64)[rows][order]
        # A period without a value, or a small cell (fewer than min_n units: a sliver of a day at the edge of
        # the data), is not a point of the chart: its noise would read as a signal.
        finite = np.isfinite(np.asarray(t["value"], dtype=np.float64)[rows][order])
        finite &= ~np.asarray(t["small_cell"], dtype=bool)[rows][order]
        lab, values, n = lab[finite], values[finite], n[finite]
        base: tuple[str, str] | None = None  # labels, both ends included
        if baseline:
            lo = _period_of_date(str(baseline["from"])[:10], period) if baseline.get("from") else lab[0]
            hi = _period_of_date(str(baseline["to"])[:10], period) if baseline.get("to") else lab[-1]
            inside = np.flatnonzero((lab >= lo) & (lab <= hi))
            if len(inside) == 0:
                ctx.warnings.append(f"control chart {cc['id']}: no periods in the baseline window")
            else:
                base = (str(lab[inside[0]]), str(lab[inside[-1]]))
        try:
            result = ops.control_chart(
                values,
                chart=chart,
                n=n if chart in ("p", "np", "u") else None,
                labels=[str(x) for x in lab],
                baseline=base,
                rules=str(cc.get("rules") or "western_electric"),
            )
        except ValueError as e:
            ctx.warnings.append(f"control chart {cc['id']} ({seg or 'all'}) not drawn: {e}")
            continue
        d = result.to_dict()
        entry = {"id": cc["id"], "metric": cc["metric"], "segment": seg, "period": period, **d}
        out.append(entry)
        ctx.add_rows(
            "control_chart_points",
            [
                {
                    "chart": cc["id"],
                    "segment": seg,
                    "label": p["label"],
                    "value": p["value"],
                    "ucl": p["ucl"],
                    "lcl": p["lcl"],
                    "signals": ",".join(p["signals"]),
                }
                for p in d["points"]
            ],
        )
    return out


# ---- the run ----------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    """What :func:`run` produced: the ``results`` document (what ``results.json`` holds; schema in
    docs/results.md), the tidy ``tables`` (name -> list of row dicts; Parquet when written), the spec and
    the contact log. ``write(out)`` writes the report directory; ``html()`` renders the report."""

    results: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]
    spec: Spec
    log: ContactLog

    def html(self) -> str:
        """The self-contained HTML report (no network: inline CSS and SVG)."""
        from missionkit.report import render_html

        return render_html(self.results)

    def table(self, name: str, output: str = "pandas") -> Any:
        """One tidy table (``metric_series``, ``metric_segments``, ``okrs``, ``experiment_effects``,
        ``control_chart_points``, ``quarantine``) as ``"pandas"``, ``"pyarrow"`` or ``"dict"`` (of lists)."""
        if name not in self.tables:
            raise KeyError(f"no table {name!r}; the run made {sorted(self.tables)}")
        rows = self.tables[name]
        columns: dict[str, list[Any]] = {}
        for row in rows:
            for k in row:
                columns.setdefault(k, [])
        for k in columns:
            columns[k] = [row.get(k) for row in rows]
        if output == "dict":
            return columns
        if output == "pyarrow":
            import pyarrow as pa

            return pa.table(columns)
        if output == "pandas":
            import pandas as pd

            return pd.DataFrame(columns)
        raise ValueError(f"output must be 'pandas', 'pyarrow' or 'dict', got {output!r}")

    def write(self, out: str | os.PathLike[str]) -> Path:
        """Write ``index.html``, ``results.json`` and ``tables/*.parquet`` (Parquet needs pyarrow; without it
        the tables are written as JSON lines and a warning says so) into ``out``, atomically: everything is
        written into a temporary sibling directory that then replaces ``out`` in one rename, so an
        interrupted run leaves the previous report (or none), never half of one."""
        target = Path(out).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            tmp.mkdir()
            (tmp / "tables").mkdir()
            results = dict(self.results)
            results["tables"] = self._write_tables(tmp / "tables")
            text = json.dumps(_clean(results), indent=2, allow_nan=False)
            (tmp / "results.json").write_text(text + "\n", encoding="utf-8")
            from missionkit.report import render_html

            (tmp / "index.html").write_text(render_html(results), encoding="utf-8")
            if target.exists():
                os.rename(target, old)
            os.rename(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)
        return target

    def _write_tables(self, folder: Path) -> dict[str, str]:
        written: dict[str, str] = {}
        try:
            import pyarrow.parquet as pq
        except ImportError:
            pq = None
        for name in sorted(self.tables):
            if pq is not None:
                pq.write_table(self.table(name, "pyarrow"), folder / f"{name}.parquet")
                written[name] = f"tables/{name}.parquet"
            else:
                with open(folder / f"{name}.jsonl", "w", encoding="utf-8") as f:
                    for row in self.tables[name]:
                        f.write(json.dumps(_clean(row)) + "\n")
                written[name] = f"tables/{name}.jsonl"
        return written

    def summary(self) -> str:
        """A plain-text digest: data accounting, north star, experiments' verdicts, control-chart signals."""
        r = self.results
        d = r["data"]
        lines = [f"Mission: {r['mission']['name']}", f"  {r['mission']['sentence']}"]
        lines.append(
            f"Data: {d['rows_read']:,} rows read = {d['accepted']:,} accepted"
            f" + {d['quarantined']:,} quarantined ({d['period_start']} to {d['period_end']})"
        )
        for m in r["metrics"]:
            if m["tier"] != "outcome" or not m["computed"]:
                continue
            o = _latest(m)
            if o is None:
                continue
            lines.append(
                f"North star {m['id']} v{m['version']}: {_fmt_value(o['value'], m['value_unit'])} "
                f"[{_fmt_value(o['ci_low'], m['value_unit'])}, {_fmt_value(o['ci_high'], m['value_unit'])}]"
                + (f" in {o['period']}" if "period" in o else "")
            )
        for e in r["experiments"]:
            if e["verdict"] is None:
                lines.append(f"Experiment {e['id']} ({e['design']}): not analysed: {e['reason']}")
            else:
                lines.append(f"Experiment {e['id']} ({e['design']}): {e['verdict']['decision']}")
                lines.append(f"  {e['verdict']['summary']}")
        for c in r["control_charts"]:
            seg = f" [{c['segment']}]" if c["segment"] else ""
            n = len(c["signals"])
            first = f", first at {c['signals'][0]['label']}" if n else ""
            lines.append(f"Control chart {c['id']}{seg}: {n} signal(s){first}")
        lines += [f"Warning: {w}" for w in r["warnings"]]
        return "\n".join(lines)

    def __repr__(self) -> str:
        r = self.results
        return (
            f"RunResult({r['mission']['name']!r}, metrics={len(r['metrics'])}, "
            f"experiments={len(r['experiments'])}, control_charts={len(r['control_charts'])})"
        )

    def _repr_html_(self) -> str:
        return self.html()


def _fmt_value(x: float | None, unit: str | None) -> str:
    if x is None:
        return "n/a"
    if unit == "proportion":
        return f"{100 * x:.1f}%"
    return f"{x:.4g}"


def run(
    spec: Spec | str | os.PathLike[str] | Mapping[str, Any],
    data: Any,
    out: str | os.PathLike[str] | None = None,
    *,
    threads: int | None = None,
    quiet: bool = True,
    progress: Progress | None = None,
) -> RunResult:
    """Run the mission analysis the spec declares on a contact log, and write the report if ``out`` is given.

    ``spec``: a :class:`Spec`, a path or YAML/JSON text, or a dict; it must validate without errors
    (``SpecError`` lists them otherwise). ``data``: a Parquet or CSV path, any table
    :meth:`ContactLog.from_frame` accepts, a :class:`ContactLog`, or ``mk.demo.generate()`` output; the
    spec's ``data:`` section maps its columns. ``threads``: worker threads for the C++ core (default: all
    cores). ``quiet=False`` prints progress to stderr. Returns a :class:`RunResult`; see docs/run.md.
    """
    prog = progress or Progress(quiet=quiet)
    if threads is not None:
        _core.set_threads(int(threads))
    with prog.step("loading the spec"):
        s = spec if isinstance(spec, Spec) else load_spec(spec)
        issues = s.validate()
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            err = _core.SpecError(
                "\n".join([f"{s.source_name}: {len(errors)} error(s)"] + [str(i) for i in errors])
            )
            err.issues = issues
            raise err
    with prog.step("reading the contact log"):
        log, source = _read_log(s, data)
    doc = s.to_dict()
    analysis = doc.get("analysis") or {}
    data_section = doc.get("data") or {}
    ctx = _Context(
        spec=s,
        log=log,
        period=str(analysis.get("period") or "month"),
        tz=str(data_section.get("time_zone") or "UTC"),
        alpha=float(analysis.get("alpha") or 0.05),
        min_n=int(analysis.get("min_n") or 30),
        segments=[str(x) for x in analysis.get("segments") or []],
    )
    quarantine = {k: int(v) for k, v in log.quarantine_counts.items()}
    ctx.add_rows("quarantine", [{"reason": k, "rows": v} for k, v in quarantine.items()])
    metrics = []
    with prog.step(f"measuring {len(s.metrics)} metrics by {ctx.period} and segment"):
        for metric in prog.items("metrics", s.metrics):
            metrics.append(_metric_result(ctx, metric))
    with prog.step("scoring OKRs"):
        okrs = _okrs(ctx, metrics)
    experiments = []
    declared = doc.get("experiments") or []
    with prog.step(f"analysing {len(declared)} experiment(s)"):
        for exp in prog.items("experiments", declared):
            experiments.append(_experiment(ctx, exp))
    charts: list[dict[str, Any]] = []
    declared_charts = doc.get("control_charts") or []
    with prog.step(f"checking {len(declared_charts)} control chart(s)"):
        for cc in declared_charts:
            charts.extend(_control_charts(ctx, cc))
    span = [row["period_start"] for m in metrics for row in m["series"]]
    first_day, last_day = _data_span(log, ctx.tz)
    mission = s.mission
    results: dict[str, Any] = {
        "schema_version": RESULTS_SCHEMA_VERSION,
        "missionkit_version": _core.__version__,
        "generated_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "spec": {
            "source": s.source_name,
            "sha256": _sha256_of(spec, s),
            "issues": [{"path": i.path, "severity": str(i.severity), "message": i.message} for i in issues],
        },
        "mission": {
            "name": mission.name,
            "segment": mission.segment,
            "situation": mission.situation,
            "desired_progress": mission.desired_progress,
            "time_to_value": str(mission.time_to_value),
            "outcome": mission.outcome,
            "sentence": mission.sentence(),
        },
        "data": {
            "source": source,
            "rows_read": int(log.rows_read),
            "accepted": len(log),
            "quarantined": int(log.rows_read - len(log)),
            "quarantine": [{"reason": k, "rows": v} for k, v in quarantine.items()],
            "period_start": first_day or (min(span) if span else None),
            "period_end": last_day,
            "time_zone": ctx.tz,
        },
        "analysis": {"period": ctx.period, "segments": ctx.segments, "alpha": ctx.alpha},
        "metrics": metrics,
        "tree": [{"from": e.from_, "to": e.to, "kind": str(e.kind), "sign": int(e.sign)} for e in s.tree],
        "okrs": okrs,
        "experiments": experiments,
        "control_charts": charts,
        "tables": {},
        "warnings": ctx.warnings,
    }
    result = RunResult(results=_clean(results), tables=ctx.tables, spec=s, log=log)
    if out is not None:
        with prog.step(f"writing the report to {out}"):
            result.write(out)
    return result


def _data_span(log: ContactLog, tz: str) -> tuple[str | None, str | None]:
    """First and last local date of the accepted contacts' starts."""
    if len(log) == 0:
        return None, None
    bad = np.asarray(log._core.quarantine_rows(), dtype=np.int64)
    keep = np.ones(log.rows_read, dtype=bool)
    keep[bad] = False
    starts, _missing = log._core.gather("start", np.flatnonzero(keep).astype(np.uint64))
    times = np.asarray(starts)
    span = _local_dates(np.array([times.min(), times.max()]), tz)
    return str(span[0]), str(span[1])
