"""Statistical process control: Shewhart control charts with a phase I baseline, and run rules.

The charts and the rules compute in C++ (``missionkit::ops``); this module shapes the input (lists, numpy,
pandas Series/DataFrames), resolves labels and the baseline window, and dresses the result for notebooks
and reports. Formulas, constants and the exact rule conventions: docs/ops.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any, Union

import numpy as np
import numpy.typing as npt

from missionkit import _core

_o: Any = _core.ops

FloatArray = npt.NDArray[np.float64]

CHARTS = ("individuals", "xbar_r", "xbar_s", "p", "np", "c", "u")
#: Rule name -> description, e.g. ``RULES["nelson2"]`` is "9 points in a row on one side of the centre line".
RULES: dict[str, str] = dict(_o.rules())
#: The named rule sets accepted by ``rules=``.
RULE_SETS: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _o.rule_sets().items()}

_DISPERSION_NAMES = {"individuals": "moving range", "xbar_r": "range", "xbar_s": "standard deviation"}

Rules = Union[str, Sequence[str]]


def _rule_names(fn: str, rules: Rules) -> list[str]:
    if isinstance(rules, str):
        if rules in RULE_SETS:
            return list(RULE_SETS[rules])
        if rules in RULES:
            return [rules]
        raise ValueError(
            f"{fn}: rules must be 'western_electric', 'nelson' or a list of rule names "
            f"({', '.join(RULES)}), got {rules!r}"
        )
    names = [str(r) for r in rules]
    unknown = [r for r in names if r not in RULES]
    if unknown:
        raise ValueError(f"{fn}: unknown rule(s) {unknown}; the rules are {', '.join(RULES)}")
    return names


_SUMMARY_SIGNALS = 12  # lines of signals in summary(); the rest are counted


def _label_text(label: Any) -> str:
    """Labels for reading: a midnight timestamp (daily data) as its date."""
    if (
        hasattr(label, "strftime")
        and hasattr(label, "hour")
        and (label.hour, label.minute, label.second) == (0, 0, 0)
    ):
        return str(label.strftime("%Y-%m-%d"))
    return str(label)


def _finite_or_none(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True)
class DispersionChart:
    """The companion chart of a variables chart: moving range (individuals), range (xbar_r) or standard
    deviation (xbar_s) per point, with its centre line and constant limits. ``beyond`` lists the indices
    of points outside the limits (only the 3-sigma rule is applied: range statistics are skewed, so the
    zone rules do not carry over)."""

    name: str
    values: FloatArray
    center: float
    ucl: float
    lcl: float
    beyond: tuple[int, ...]


@dataclass(frozen=True)
class ControlChart:
    """A control chart: plotted ``values`` with ``center`` line and per-point ``ucl`` / ``lcl``.

    ``sigma`` is the process sigma estimated from the baseline (per unit: MR-bar/d2, R-bar/d2, s-bar/c4,
    sqrt(p(1-p)), sqrt(n p(1-p)), sqrt(c), sqrt(u)); ``point_sigma[i]`` is the standard error of
    ``values[i]`` and ``z[i] = (values[i] - center) / point_sigma[i]`` the standardised value the run rules
    read. ``width`` is the limits' multiple of sigma (the ``sigma=`` argument). ``baseline`` is the phase I
    window ``(start, stop)``, positions, stop exclusive. ``signals`` holds one dict per rule firing at a
    point: ``{"index", "label", "rule", "description"}``.
    """

    chart: str
    center: float
    sigma: float
    ucl: FloatArray
    lcl: FloatArray
    values: FloatArray
    labels: tuple[Any, ...]
    signals: list[dict[str, Any]]
    baseline: tuple[int, int]
    width: float
    point_sigma: FloatArray
    z: FloatArray
    rules: tuple[str, ...]
    dispersion: DispersionChart | None = field(default=None, repr=False)

    @property
    def in_control(self) -> bool:
        """True when no run rule fired on the chart (the dispersion chart is reported separately, in
        ``dispersion.beyond``)."""
        return not self.signals

    def _limits_text(self) -> str:
        lo, hi = float(np.min(self.lcl)), float(np.max(self.ucl))
        if np.ptp(self.ucl) == 0 and np.ptp(self.lcl) == 0:
            return f"limits [{lo:.4g}, {hi:.4g}]"
        lcl_hi, ucl_lo = float(np.max(self.lcl)), float(np.min(self.ucl))
        return f"limits vary by point (LCL {lo:.4g}..{lcl_hi:.4g}, UCL {ucl_lo:.4g}..{hi:.4g})"

    def summary(self) -> str:
        """A few lines: chart, baseline, centre, sigma, limits, and each signal with its label."""
        b0, b1 = self.baseline
        lines = [
            f"{self.chart} chart, {len(self.values)} points, baseline points {b0}..{b1 - 1} (phase I)",
            f"centre {self.center:.6g}, sigma {self.sigma:.4g}, "
            f"{self._limits_text()} at {self.width:g} sigma",
        ]
        if self.in_control:
            lines.append(f"in control: no signals ({', '.join(self.rules) or 'no rules'})")
        else:
            lines.append(f"{len(self.signals)} signal(s):")
            shown = self.signals[:_SUMMARY_SIGNALS]
            lines += [f"  {_label_text(s['label'])}: {s['rule']} - {s['description']}" for s in shown]
            if len(self.signals) > len(shown):
                lines.append(f"  ... {len(self.signals) - len(shown)} more (see .signals or .to_frame())")
        if self.dispersion is not None and self.dispersion.beyond:
            where = ", ".join(_label_text(self.labels[i]) for i in self.dispersion.beyond)
            lines.append(f"{self.dispersion.name} chart: points beyond its limits at {where}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"ControlChart({self.chart}, {len(self.values)} points, center={self.center:.4g}, "
            f"sigma={self.sigma:.4g}, signals={len(self.signals)})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"chart", "center", "sigma", "baseline": [start, stop], "points": [{"label",
        "value", "ucl", "lcl", "signals": [rule names]}], "signals": [{"index", "label", "rule",
        "description"}]}``; labels as ``str``, NaN and infinities as ``None``."""
        per_point: list[list[str]] = [[] for _ in self.values]
        for s in self.signals:
            per_point[s["index"]].append(s["rule"])
        return {
            "chart": self.chart,
            "center": _finite_or_none(self.center),
            "sigma": _finite_or_none(self.sigma),
            "baseline": [int(self.baseline[0]), int(self.baseline[1])],
            "points": [
                {
                    "label": str(self.labels[i]),
                    "value": _finite_or_none(float(self.values[i])),
                    "ucl": _finite_or_none(float(self.ucl[i])),
                    "lcl": _finite_or_none(float(self.lcl[i])),
                    "signals": per_point[i],
                }
                for i in range(len(self.values))
            ],
            "signals": [
                {
                    "index": int(s["index"]),
                    "label": str(s["label"]),
                    "rule": s["rule"],
                    "description": s["description"],
                }
                for s in self.signals
            ],
        }

    def to_frame(self) -> Any:
        """A pandas DataFrame indexed by label: value, center, lcl, ucl, z, baseline (bool), signals
        (comma-separated rule names) and, for variables charts, the dispersion statistic."""
        import pandas as pd

        rules: list[list[str]] = [[] for _ in self.values]
        for s in self.signals:
            rules[s["index"]].append(s["rule"])
        k = len(self.values)
        pos = np.arange(k)
        data: dict[str, Any] = {
            "value": self.values,
            "center": np.full(k, self.center),
            "lcl": self.lcl,
            "ucl": self.ucl,
            "z": self.z,
            "baseline": (pos >= self.baseline[0]) & (pos < self.baseline[1]),
            "signals": [",".join(r) for r in rules],
        }
        if self.dispersion is not None:
            data[self.dispersion.name.replace(" ", "_")] = self.dispersion.values
        return pd.DataFrame(data, index=pd.Index(list(self.labels), name="label"))

    def _repr_html_(self) -> str:
        return _svg(self) + f"<pre style='font-size:12px'>{escape(self.summary())}</pre>"


def _svg(cc: ControlChart, width: int = 640, height: int = 240) -> str:
    """An inline SVG: baseline window shaded, centre line, limits (dashed), the series, and signals as
    vermillion diamonds (Okabe-Ito palette: distinct for colour-blind readers, and by shape too)."""
    k = len(cc.values)
    pad_l, pad_r, pad_t, pad_b = 48, 12, 12, 24
    ys = np.concatenate([cc.values, cc.ucl, cc.lcl, [cc.center]])
    ys = ys[np.isfinite(ys)]
    y_lo, y_hi = float(ys.min()), float(ys.max())
    if y_hi == y_lo:
        y_hi, y_lo = y_hi + 1, y_lo - 1
    margin = 0.05 * (y_hi - y_lo)
    y_lo, y_hi = y_lo - margin, y_hi + margin

    def px(i: float) -> float:
        return pad_l + (width - pad_l - pad_r) * (i / max(k - 1, 1))

    def py(y: float) -> float:
        return pad_t + (height - pad_t - pad_b) * (1 - (y - y_lo) / (y_hi - y_lo))

    def path(ys_: FloatArray) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{px(i):.1f},{py(float(v)):.1f}" for i, v in enumerate(ys_))

    flagged = {s["index"] for s in cc.signals}
    b0, b1 = cc.baseline
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img' "
        f"aria-label='{escape(cc.chart)} control chart with {len(cc.signals)} signal(s)' "
        "style='font-family:sans-serif;font-size:10px'>",
        f"<title>{escape(cc.chart)} control chart</title>",
        f"<rect x='{px(b0) - 3:.1f}' y='{pad_t}' width='{px(b1 - 1) - px(b0) + 6:.1f}' "
        f"height='{height - pad_t - pad_b}' fill='#eeeeee'><title>baseline (phase I)</title></rect>",
        f"<line x1='{pad_l}' x2='{width - pad_r}' y1='{py(cc.center):.1f}' y2='{py(cc.center):.1f}' "
        "stroke='#009e73' stroke-width='1.5'><title>centre</title></line>",
    ]
    for name, lim in (("UCL", cc.ucl), ("LCL", cc.lcl)):
        if np.all(np.isfinite(lim)):
            parts.append(
                f"<path d='{path(lim)}' fill='none' stroke='#555555' stroke-dasharray='5,3'>"
                f"<title>{name}</title></path>"
            )
    parts.append(f"<path d='{path(cc.values)}' fill='none' stroke='#0072b2' stroke-width='1'/>")
    for i, v in enumerate(cc.values):
        x, y = px(i), py(float(v))
        label = escape(str(cc.labels[i]))
        if i in flagged:
            rules = ", ".join(s["rule"] for s in cc.signals if s["index"] == i)
            parts.append(
                f"<path d='M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} "
                f"L{x:.1f},{y + 6:.1f} L{x - 6:.1f},{y:.1f} Z' "
                f"fill='#d55e00' stroke='#000000' stroke-width='0.5'><title>{label}: {v:.4g} "
                f"({escape(rules)})</title></path>"
            )
        else:
            parts.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2.5' fill='#0072b2'>"
                f"<title>{label}: {v:.4g}</title></circle>"
            )
    for y in (y_lo + margin, y_hi - margin):
        parts.append(f"<text x='{pad_l - 4}' y='{py(y) + 3:.1f}' text-anchor='end'>{y:.4g}</text>")
    parts.append(
        f"<text x='{pad_l}' y='{height - 6}'>{escape(str(cc.labels[0]))}</text>"
        f"<text x='{width - pad_r}' y='{height - 6}' text-anchor='end'>{escape(str(cc.labels[-1]))}</text>"
        "</svg>"
    )
    return "".join(parts)


def _labels_of(values: Any) -> tuple[Any, Any] | None:
    """(labels, pandas index) of a pandas Series/DataFrame, else None. A default RangeIndex counts as no
    labels (positions), so that ``baseline=(start, stop)`` stays positional."""
    index = getattr(values, "index", None)
    if index is None or not hasattr(values, "to_numpy"):
        return None
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - an object with .index that is not pandas
        return None
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return None
    return tuple(index.tolist()), index


def _position(fn: str, what: str, key: Any, labels: tuple[Any, ...], pd_index: Any) -> int:
    if pd_index is not None:
        try:
            loc = pd_index.get_loc(key)
        except (KeyError, TypeError, ValueError):
            loc = None
        if isinstance(loc, (int, np.integer)):
            return int(loc)
        if loc is not None:
            raise ValueError(f"{fn}: baseline {what} {key!r} matches several points; labels must be unique")
    else:
        matches = [i for i, lab in enumerate(labels) if lab == key]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise ValueError(f"{fn}: baseline {what} {key!r} matches several points; labels must be unique")
    raise ValueError(f"{fn}: baseline {what} {key!r} is not one of the labels")


def _baseline(
    fn: str, baseline: Any, k: int, labels: tuple[Any, ...], positional: bool, pd_index: Any
) -> tuple[int, int]:
    if baseline is None:
        return 0, k
    if isinstance(baseline, (int, np.integer)) and not isinstance(baseline, bool):
        first = int(baseline)
        if not 2 <= first <= k:
            raise ValueError(
                f"{fn}: baseline={first} (the first k points) must be between 2 and the number of points {k}"
            )
        return 0, first
    if isinstance(baseline, (tuple, list)) and len(baseline) == 2:
        start, stop = baseline
        if positional:
            # Positions, stop exclusive, as a Python slice; None means an open end.
            for name, v in (("start", start), ("stop", stop)):
                if v is not None and not (isinstance(v, (int, np.integer)) and not isinstance(v, bool)):
                    raise ValueError(f"{fn}: baseline {name} must be an integer position or None, got {v!r}")
            a = 0 if start is None else int(start)
            b = k if stop is None else int(stop)
            a, b = (a + k if a < 0 else a), (b + k if b < 0 else b)
            if not 0 <= a < b <= k:
                raise ValueError(f"{fn}: baseline ({start}, {stop}) is not a window of positions in [0, {k}]")
            return a, b
        # Labels, both ends included, as pandas .loc.
        a = 0 if start is None else _position(fn, "start", start, labels, pd_index)
        b = k if stop is None else _position(fn, "stop", stop, labels, pd_index) + 1
        if a >= b:
            raise ValueError(f"{fn}: baseline start {start!r} comes after stop {stop!r}")
        return a, b
    raise ValueError(
        f"{fn}: baseline must be None, an int (the first k points) or a (start, stop) pair, got {baseline!r}"
    )


def control_chart(
    values: Any,
    *,
    chart: str = "individuals",
    n: Any = None,
    labels: Sequence[Any] | None = None,
    baseline: Any = None,
    rules: Rules = "western_electric",
    sigma: float = 3.0,
    mr: str = "average",
) -> ControlChart:
    """Shewhart control chart of ``values`` with run rules.

    - ``chart``: ``"individuals"`` (I-MR; ``mr="median"`` estimates sigma from the median moving range),
      ``"xbar_r"`` / ``"xbar_s"`` (``values`` 2-D, one row per subgroup: a numpy array, list of equal-length
      lists or DataFrame), ``"p"`` / ``"np"`` (``values`` = nonconforming counts, ``n`` = sample sizes),
      ``"c"`` (counts), ``"u"`` (``values`` = counts, ``n`` = units inspected, may be fractional).
      ``n`` may be a scalar for a constant sample size.
    - ``labels``: one per point; default the Series/DataFrame index, else ``0..k-1``.
    - ``baseline`` (phase I, the points the limits are estimated from; the limits then apply to all
      points): ``None`` (all), an int ``k`` (the first k points), or ``(start, stop)``: positions with stop
      excluded when the points have no labels (or a default RangeIndex), else labels with both ends
      included (as pandas ``.loc``; a DatetimeIndex accepts date strings). ``None`` at either end is open.
    - ``rules``: ``"western_electric"`` (rules we1-we4), ``"nelson"`` (nelson1-nelson8) or a list of names
      (see :data:`RULES`). For p and u charts with variable n the zone rules read the standardised
      values ``z_i = (x_i - centre) / sigma_i``.
    - ``sigma``: the limits' width in sigmas (3).

    Bad input (NaN, negative counts, ``n_i <= 0``, a count above its ``n``, fewer than 2 baseline points,
    a baseline without variation) raises :class:`missionkit.DataError` or ``ValueError`` naming the
    argument.

    >>> cc = control_chart([10.2, 9.8, 10.1, 10.0, 9.9, 10.3, 9.7, 10.0, 13.5], baseline=8)
    >>> [(s["index"], s["rule"]) for s in cc.signals]
    [(8, 'we1')]
    """
    fn = "control_chart"
    if chart not in CHARTS:
        raise ValueError(f"{fn}: chart must be one of {', '.join(map(repr, CHARTS))}, got {chart!r}")
    found = _labels_of(values)
    try:
        x = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{fn}: values must be numbers ({e})") from None
    subgroup = 0
    if chart in ("xbar_r", "xbar_s"):
        if x.ndim != 2:
            raise ValueError(
                f"{fn}: the {chart} chart needs 2-D values, one row per subgroup, got shape {x.shape}"
            )
        subgroup = int(x.shape[1])
    elif x.ndim != 1:
        raise ValueError(f"{fn}: values must be 1-D for the {chart} chart, got shape {x.shape}")
    k = int(x.shape[0])
    sizes = None
    if n is not None:
        sizes = np.asarray(n.to_numpy() if hasattr(n, "to_numpy") else n, dtype=np.float64)
        if sizes.ndim == 0:
            sizes = np.full(k, float(sizes))
        if sizes.ndim != 1 or sizes.shape[0] != k:
            raise ValueError(
                f"{fn}: n must be a number or have one size per point ({k}), got shape {sizes.shape}"
            )
    if labels is not None:
        labs = tuple(labels)
        if len(labs) != k:
            raise ValueError(f"{fn}: labels has {len(labs)} entries for {k} points")
        positional, pd_index = False, None
    elif found is not None:
        labs, pd_index = found
        positional = False
    else:
        labs, pd_index, positional = tuple(range(k)), None, True
    b0, b1 = _baseline(fn, baseline, k, labs, positional, pd_index)
    names = _rule_names(fn, rules)
    d = _o.control_chart(
        chart,
        np.ascontiguousarray(x.reshape(-1)),
        None if sizes is None else np.ascontiguousarray(sizes),
        subgroup,
        b0,
        b1,
        float(sigma),
        mr,
    )
    z = np.asarray(d["z"], dtype=np.float64)
    signals = [
        {"index": int(i), "label": labs[int(i)], "rule": r, "description": RULES[r]}
        for i, r in _o.run_rules(z, names, float(sigma))
    ]
    dispersion = None
    if chart in _DISPERSION_NAMES:
        dv = np.asarray(d["dispersion"], dtype=np.float64)
        with np.errstate(invalid="ignore"):
            out = np.flatnonzero((dv > d["dispersion_ucl"]) | (dv < d["dispersion_lcl"]))
        dispersion = DispersionChart(
            name=_DISPERSION_NAMES[chart],
            values=dv,
            center=float(d["dispersion_center"]),
            ucl=float(d["dispersion_ucl"]),
            lcl=float(d["dispersion_lcl"]),
            beyond=tuple(int(i) for i in out),
        )
    return ControlChart(
        chart=chart,
        center=float(d["center"]),
        sigma=float(d["sigma"]),
        ucl=np.asarray(d["ucl"], dtype=np.float64),
        lcl=np.asarray(d["lcl"], dtype=np.float64),
        values=np.asarray(d["values"], dtype=np.float64),
        labels=labs,
        signals=signals,
        baseline=(int(d["baseline_start"]), int(d["baseline_stop"])),
        width=float(d["width"]),
        point_sigma=np.asarray(d["point_sigma"], dtype=np.float64),
        z=z,
        rules=tuple(names),
        dispersion=dispersion,
    )


def run_rules(
    z: npt.ArrayLike, rules: Rules = "western_electric", *, limit: float = 3.0
) -> list[dict[str, Any]]:
    """Run rules on already standardised values ``z_i = (x_i - centre) / sigma_i``: one dict
    ``{"index", "rule", "description"}`` per rule firing at a point, sorted by index (then rule order).

    Conventions (docs/ops.md): a signal is reported at the last point of its pattern; for "k of m" rules only
    when that point is one of the k; runs keep signalling while they extend; a point exactly on the centre
    line breaks a same-side run and equal neighbours break a trend; rule 1 fires for ``|z| > limit``.

    >>> [s["index"] for s in run_rules([0.1, 2.5, 2.1, 0.0], ["we2"])]
    [2]
    """
    fn = "run_rules"
    try:
        arr = np.ascontiguousarray(np.asarray(z, dtype=np.float64))
    except (TypeError, ValueError) as e:
        raise ValueError(f"{fn}: z must be numbers ({e})") from None
    if arr.ndim != 1:
        raise ValueError(f"{fn}: z must be 1-D, got shape {arr.shape}")
    names = _rule_names(fn, rules)
    return [
        {"index": int(i), "rule": r, "description": RULES[r]}
        for i, r in _o.run_rules(arr, names, float(limit))
    ]


def constants(n: int) -> dict[str, float]:
    """The control-chart constants for subgroup size ``n`` (2..1000): d2, d3, c4 and A2, A3, D3, D4, B3, B4,
    computed from their defining integrals (not a table).

    >>> round(constants(5)["A2"], 3)
    0.577
    """
    return {k: float(v) for k, v in _o.constants(int(n)).items()}
