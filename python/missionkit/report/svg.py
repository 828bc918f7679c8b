"""Inline SVG charts for the report: plain strings, no plotting library, no network.

Every chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``,
so screen readers announce it. Colours are the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal
Design"), and every distinction that colour makes is also made by shape, dash or text, for readers who
do not see the colour. Undefined numbers (``None``/NaN) are skipped in drawings and shown as "n/a" in text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

__all__ = [
    "OKABE_ITO",
    "AxisUnit",
    "axis_unit",
    "control_chart",
    "dot_whisker",
    "fmt_value",
    "forest_plot",
    "line_chart",
    "nice_ticks",
    "num",
    "tree_diagram",
]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermilion": "#D55E00",
    "purple": "#CC79A7",
}
_GRID = "#d9d9d9"
_TEXT = "#222222"
_MUTED = "#595959"  # 7:1 contrast on white


def num(v: Any) -> float | None:
    """``v`` as a finite float, or ``None`` for null, NaN, infinities and non-numbers (booleans included)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


# -- ticks and units -----------------------------------------------------------------------------------


def _nice_number(x: float, round_: bool) -> float:
    # Heckbert, "Nice numbers for graph labels", Graphics Gems (1990): mantissas 1, 2, 5, 10.
    exp = math.floor(math.log10(x))
    f = x / 10.0**exp
    if round_:
        nf = 1.0 if f < 1.5 else 2.0 if f < 3.0 else 5.0 if f < 7.0 else 10.0
    else:
        nf = 1.0 if f <= 1.0 else 2.0 if f <= 2.0 else 5.0 if f <= 5.0 else 10.0
    return nf * 10.0**exp


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Evenly spaced "round" tick values (step 1, 2 or 5 times a power of ten) covering ``[lo, hi]``.

    The first tick is ``<= lo`` and the last ``>= hi``; about ``target`` ticks are returned. A zero-width
    range (or one narrower than 1e-9 of its magnitude, below what labels can show) is widened by 10% of
    its value either side. ``ValueError`` for non-finite bounds or ``target < 2``.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"nice_ticks: lo and hi must be finite, got lo={lo!r}, hi={hi!r}")
    if target < 2:
        raise ValueError(f"nice_ticks: target must be >= 2, got {target}")
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo <= 1e-9 * max(abs(lo), abs(hi)):  # zero width, or below what labels can show
        pad = abs(lo) * 0.1 if lo != 0 else 1.0
        lo, hi = lo - pad, hi + pad
    step = _nice_number(_nice_number(hi - lo, False) / (target - 1), True)
    # Round to the step's decimals so 0.1 + 0.2 prints as 0.3; the tolerance keeps lo itself when it is
    # already a multiple of the step up to floating-point error.
    decimals = max(0, -math.floor(math.log10(step))) + 1
    eps = step * 1e-9
    start = math.floor((lo + eps) / step) * step
    stop = math.ceil((hi - eps) / step) * step
    count = round((stop - start) / step)
    return [round(start + i * step, decimals) for i in range(count + 1)]


class AxisUnit:
    """How one value unit is shown: scale factor, suffix after a number, and the axis label's unit."""

    def __init__(self, factor: float, suffix: str, label: str) -> None:
        self.factor = factor
        self.suffix = suffix
        self.label = label

    def ticks(self, lo: float, hi: float, target: int = 5) -> list[float]:
        """Nice ticks in the displayed unit (e.g. whole minutes), returned in data units."""
        return [t / self.factor for t in nice_ticks(lo * self.factor, hi * self.factor, target)]

    def tick(self, v: float, step: float) -> str:
        # The tolerance stops 0.01 * 100 = 1.0000000000000002 from asking for a decimal it does not have.
        d = max(0, -math.floor(math.log10(abs(step * self.factor)) + 1e-9)) if step else 0
        return f"{v * self.factor:,.{d}f}{self.suffix}"


def axis_unit(value_unit: str, values: Sequence[float | None] = ()) -> AxisUnit:
    """The axis presentation for ``value_unit``: proportions as %, durations in s or (when long) min."""
    if value_unit == "proportion":
        return AxisUnit(100.0, "%", "%")
    if value_unit == "seconds":
        finite = [abs(v) for v in values if v is not None]
        if finite and max(finite) >= 180.0:
            return AxisUnit(1.0 / 60.0, " min", "minutes")
        return AxisUnit(1.0, " s", "seconds")
    if value_unit == "percent_points":
        return AxisUnit(100.0, " pp", "percentage points")
    return AxisUnit(1.0, "", value_unit)


def fmt_value(v: Any, value_unit: str = "", digits: int | None = None) -> str:
    """One number for text: "n/a" when undefined; proportions as %, seconds as s or min."""
    x = num(v)
    if x is None:
        return "n/a"
    if value_unit == "proportion":
        return f"{x * 100:.{1 if digits is None else digits}f}%"
    if value_unit == "seconds":
        if abs(x) >= 180.0:
            return f"{x / 60:.{1 if digits is None else digits}f} min"
        return f"{x:.{1 if digits is None else digits}f} s"
    if value_unit == "currency":
        return f"{x:,.{2 if digits is None else digits}f}"
    if value_unit == "contacts" and digits is None and x == round(x):
        return f"{x:,.0f}"
    if digits is not None:
        return f"{x:,.{digits}f}"
    return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"


# -- primitives ------------------------------------------------------------------------------------------


def _f(x: float) -> str:
    return f"{x:.1f}"


class _Scale:
    def __init__(self, d0: float, d1: float, r0: float, r1: float) -> None:
        self.d0, self.d1, self.r0, self.r1 = d0, d1, r0, r1

    def __call__(self, v: float) -> float:
        if self.d1 == self.d0:
            return (self.r0 + self.r1) / 2
        return self.r0 + (v - self.d0) * (self.r1 - self.r0) / (self.d1 - self.d0)


def _svg(cid: str, width: float, height: float, title: str, desc: str, body: str, cls: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {cls}" id="{escape(cid)}" '
        f'viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}" height="{_f(height)}" role="img" '
        f'aria-labelledby="{escape(cid)}-t {escape(cid)}-d">'
        f'<title id="{escape(cid)}-t">{escape(title)}</title><desc id="{escape(cid)}-d">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def _text(
    x: float, y: float, s: str, anchor: str = "start", size: int = 11, colour: str = _TEXT, **kw: str
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in kw.items())
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" text-anchor="{anchor}" font-size="{size}" fill="{colour}"{extra}>'
        f"{escape(s)}</text>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1, dash: str = "") -> str:
    d = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" stroke="{colour}" '
        f'stroke-width="{width}"{d}/>'
    )


def _runs(flags: Sequence[bool]) -> list[list[int]]:
    """Index runs where ``flags`` is true: lines and bands break at undefined values instead of lying."""
    runs: list[list[int]] = []
    cur: list[int] = []
    for i, ok in enumerate(flags):
        if ok:
            cur.append(i)
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def _marker(shape: str, x: float, y: float, r: float, fill: str, stroke: str, tip: str = "") -> str:
    t = f"<title>{escape(tip)}</title>" if tip else ""
    common = f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"'
    if shape == "triangle":
        pts = f"{_f(x)},{_f(y - r * 1.3)} {_f(x - r * 1.2)},{_f(y + r)} {_f(x + r * 1.2)},{_f(y + r)}"
        return f'<polygon class="marker-triangle" points="{pts}" {common}>{t}</polygon>'
    if shape == "diamond":
        h = r * 1.3
        pts = f"{_f(x)},{_f(y - h)} {_f(x + h)},{_f(y)} {_f(x)},{_f(y + h)} {_f(x - h)},{_f(y)}"
        return f'<polygon class="marker-diamond" points="{pts}" {common}>{t}</polygon>'
    if shape == "square":
        return (
            f'<rect class="marker-square" x="{_f(x - r)}" y="{_f(y - r)}" width="{_f(2 * r)}" '
            f'height="{_f(2 * r)}" {common}>{t}</rect>'
        )
    return f'<circle class="marker-circle" cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" {common}>{t}</circle>'


def _y_axis(scale: _Scale, ticks: Sequence[float], unit: AxisUnit, x0: float, x1: float, grid: bool) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    out = []
    for t in ticks:
        y = scale(t)
        if grid:
            out.append(_line(x0, y, x1, y, _GRID, 0.5))
        out.append(_text(x0 - 4, y + 3.5, unit.tick(t, step), "end", 10, _MUTED))
    return "".join(out)


def _x_axis(scale: _Scale, ticks: Sequence[float], unit: AxisUnit, y0: float, y1: float) -> str:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    out = []
    for t in ticks:
        x = scale(t)
        out.append(_line(x, y0, x, y1, _GRID, 0.5))
        out.append(_text(x, y1 + 13, unit.tick(t, step), "middle", 10, _MUTED))
    return "".join(out)


def _axis_label(name: str, unit: AxisUnit) -> str:
    """ "name (unit)", the name shortened so a rotated label fits beside a 300-pixel-high chart."""
    short = name if len(name) <= 34 else name[:33] + "\u2026"
    return f"{short} ({unit.label})" if unit.label and short else (short or unit.label)


def _ci_text(p: Mapping[str, Any], value_unit: str) -> str:
    s = fmt_value(p.get("value"), value_unit)
    lo, hi = num(p.get("ci_low")), num(p.get("ci_high"))
    if lo is not None and hi is not None:
        s += f" (CI {fmt_value(lo, value_unit)} to {fmt_value(hi, value_unit)})"
    n = p.get("n")
    if isinstance(n, int) and not isinstance(n, bool):
        s += f", n={n:,}"
    return s


# -- charts ----------------------------------------------------------------------------------------------


def line_chart(
    points: Sequence[Mapping[str, Any]],
    *,
    value_unit: str,
    cid: str,
    title: str,
    desc: str,
    y_label: str = "",
    width: float = 640,
    height: float = 300,
    refs: Sequence[tuple[str, float, str]] = (),
    band: tuple[float, float, str] | None = None,
    breaks: Sequence[tuple[float, str]] = (),
    compact: bool = False,
) -> str:
    """A trend line over periods with its CI as a shaded band.

    ``points``: mappings with ``period`` (x label), ``value``, ``ci_low``, ``ci_high``, optional ``n`` and
    ``small_cell`` (drawn hollow). ``refs``: horizontal reference lines ``(label, y, colour)``; ``band``: a
    shaded horizontal band ``(y0, y1, label)``; ``breaks``: vertical dashed lines ``(x index, label)``,
    where ``x index`` may be fractional (``i - 0.5`` sits between periods ``i - 1`` and ``i``).
    """
    n = len(points)
    vals = [num(p.get("value")) for p in points]
    # A small cell's interval is drawn neither as band nor in the axis range: a handful of contacts gives an
    # interval that would flatten every other point (the point itself is drawn hollow).
    lows = [None if p.get("small_cell") else num(p.get("ci_low")) for p in points]
    highs = [None if p.get("small_cell") else num(p.get("ci_high")) for p in points]
    extent = [v for v in vals + lows + highs if v is not None] + [r[1] for r in refs]
    if band is not None:
        extent += [band[0], band[1]]
    unit = axis_unit(value_unit, extent)
    left, right, top = (44.0, 10.0, 8.0) if compact else (62.0, 110.0 if refs else 16.0, 14.0)
    bottom = 18.0 if compact else 44.0
    if not extent or n == 0:
        body = _text(width / 2, height / 2, "no data", "middle", 12, _MUTED)
        return _svg(cid, width, height, title, desc + " No data.", body, "line-chart empty")
    ticks = unit.ticks(min(extent), max(extent), 3 if compact else 5)
    ys = _Scale(ticks[0], ticks[-1], height - bottom, top)
    xs = _Scale(0, max(n - 1, 1), left + 8, width - right - 8) if n > 1 else _Scale(0, 0, left, width - right)
    parts: list[str] = [_y_axis(ys, ticks, unit, left, width - right, grid=not compact)]
    if compact:
        parts.append(_line(left, height - bottom, width - right, height - bottom, _GRID, 1))
    if band is not None:
        y0, y1 = sorted((ys(band[0]), ys(band[1])))
        parts.append(
            f'<rect class="ref-band" x="{_f(left)}" y="{_f(y0)}" width="{_f(width - right - left)}" '
            f'height="{_f(y1 - y0)}" fill="{OKABE_ITO["green"]}" fill-opacity="0.10"/>'
        )
        if not compact:
            parts.append(_text(width - right + 4, (y0 + y1) / 2 + 3, band[2], "start", 10, _MUTED))
    for label, y, colour in refs:
        yy = ys(y)
        parts.append(f'<g class="ref-line">{_line(left, yy, width - right, yy, colour, 1.5, "6 3")}')
        parts.append(_text(width - right + 4, yy + 3.5, label, "start", 10, colour) + "</g>")
    # CI band, one polygon per run of defined intervals.
    for run in _runs([lo is not None and hi is not None for lo, hi in zip(lows, highs)]):
        upper = [f"{_f(xs(i))},{_f(ys(highs[i] or 0.0))}" for i in run]
        lower = [f"{_f(xs(i))},{_f(ys(lows[i] or 0.0))}" for i in reversed(run)]
        if len(run) == 1:  # a lone interval: a whisker instead of a zero-width polygon
            i = run[0]
            parts.append(_line(xs(i), ys(lows[i] or 0.0), xs(i), ys(highs[i] or 0.0), OKABE_ITO["blue"], 2))
        else:
            parts.append(
                f'<polygon class="ci-band" points="{" ".join(upper + lower)}" '
                f'fill="{OKABE_ITO["sky_blue"]}" fill-opacity="0.35" stroke="none"/>'
            )
    for run in _runs([v is not None for v in vals]):
        d = " ".join(
            f"{'M' if k == 0 else 'L'}{_f(xs(i))},{_f(ys(vals[i] or 0.0))}" for k, i in enumerate(run)
        )
        parts.append(
            f'<path class="trend" d="{d}" fill="none" stroke="{OKABE_ITO["blue"]}" '
            f'stroke-width="{1.5 if compact else 2}"/>'
        )
    for i, p in enumerate(points):
        v = vals[i]
        if v is None:
            continue
        small = bool(p.get("small_cell"))
        tip = f"{p.get('period', '')}: {_ci_text(p, value_unit)}" + (" (small cell)" if small else "")
        parts.append(
            _marker(
                "circle",
                xs(i),
                ys(v),
                2 if compact else 3.5,
                "#ffffff" if small else OKABE_ITO["blue"],
                OKABE_ITO["blue"],
                tip,
            )
        )
    for xi, label in breaks:
        x = xs(min(max(xi, 0.0), max(n - 1, 0)))
        parts.append(
            f'<g class="break">{_line(x, top, x, height - bottom, OKABE_ITO["vermilion"], 1.5, "4 3")}'
        )
        parts.append(
            _text(x + 3, top + 9, label, "start", 9 if compact else 11, OKABE_ITO["vermilion"]) + "</g>"
        )
    every = 1 if compact else max(1, math.ceil(n / 8))
    for i, p in enumerate(points):
        if (compact and i not in (0, n - 1)) or (not compact and i % every):
            continue
        anchor = "middle" if not compact else ("start" if i == 0 and n > 1 else "end")
        parts.append(
            _text(xs(i), height - bottom + 13, str(p.get("period", "")), anchor, 9 if compact else 10, _MUTED)
        )
    if not compact:
        parts.append(_text(left, height - 6, "period", "start", 10, _MUTED))
        lab = _axis_label(y_label, unit)
        mid = (top + height - bottom) / 2
        parts.append(
            f'<text x="12" y="{_f(mid)}" text-anchor="middle" font-size="10" '
            f'fill="{_MUTED}" transform="rotate(-90 12 {_f(mid)})">{escape(lab)}</text>'
        )
    return _svg(cid, width, height, title, desc, "".join(parts), "sparkline" if compact else "line-chart")


def dot_whisker(
    rows: Sequence[Mapping[str, Any]],
    *,
    value_unit: str,
    cid: str,
    title: str,
    desc: str,
    x_label: str = "",
    reference: float | None = None,
    width: float = 560,
) -> str:
    """Dot-and-whisker: one row per segment, the estimate as a dot and its CI as a whisker.

    ``rows``: mappings with ``segment``, ``value``, ``ci_low``, ``ci_high``, ``n``, ``small_cell`` (a hollow
    dot, and "small n" written beside the label). ``reference``: a dashed vertical line (e.g. overall).
    """
    left, right, top, row_h = 170.0, 20.0, 10.0, 22.0
    height = top + row_h * max(len(rows), 1) + 40
    extent = [
        v
        for r in rows
        for v in (num(r.get("value")), num(r.get("ci_low")), num(r.get("ci_high")))
        if v is not None
    ]
    if reference is not None:
        extent.append(reference)
    unit = axis_unit(value_unit, extent)
    if not extent:
        body = _text(width / 2, height / 2, "no data", "middle", 12, _MUTED)
        return _svg(cid, width, height, title, desc + " No data.", body, "dot-whisker empty")
    ticks = unit.ticks(min(extent), max(extent), 5)
    xs = _Scale(ticks[0], ticks[-1], left, width - right)
    y_axis = top + row_h * len(rows)
    parts = [_x_axis(xs, ticks, unit, top, y_axis)]
    if reference is not None:
        parts.append(
            f'<g class="reference">{_line(xs(reference), top, xs(reference), y_axis, _MUTED, 1, "4 3")}</g>'
        )
    for k, r in enumerate(rows):
        y = top + row_h * (k + 0.5)
        small = bool(r.get("small_cell"))
        label = str(r.get("segment", ""))
        short = label if len(label) <= 24 else label[:23] + "\u2026"
        parts.append(_text(left - 8, y + 4, short + (" (small n)" if small else ""), "end", 11))
        lo, hi, v = num(r.get("ci_low")), num(r.get("ci_high")), num(r.get("value"))
        if lo is not None and hi is not None:
            parts.append(_line(xs(lo), y, xs(hi), y, OKABE_ITO["blue"], 2))
        tip = f"{label}: {_ci_text(r, value_unit)}" + (" (small cell)" if small else "")
        if v is not None:
            fill = "#ffffff" if small else OKABE_ITO["blue"]
            parts.append(_marker("circle", xs(v), y, 4, fill, OKABE_ITO["blue"], tip))
        else:
            parts.append(_text(left + 4, y + 4, "n/a", "start", 10, _MUTED))
    parts.append(
        _text(
            (left + width - right) / 2, height - 6, f"{x_label} ({unit.label})".strip(), "middle", 10, _MUTED
        )
    )
    return _svg(cid, width, height, title, desc, "".join(parts), "dot-whisker")


_ROLE_STYLE = {
    "primary": ("square", OKABE_ITO["blue"]),
    "secondary": ("circle", OKABE_ITO["sky_blue"]),
    "guardrail": ("diamond", OKABE_ITO["orange"]),
}


def forest_plot(
    rows: Sequence[Mapping[str, Any]],
    *,
    cid: str,
    title: str,
    desc: str,
    x_label: str,
    value_unit: str = "",
    width: float = 620,
) -> str:
    """Forest plot: one row per effect (``label``, ``estimate``, ``ci_low``, ``ci_high``, ``role``).

    A solid zero line marks "no effect". Roles differ in shape and colour (primary: square, secondary:
    circle, guardrail: diamond, with "guardrail" also written in the label).
    """
    left, right, top, row_h = 250.0, 20.0, 10.0, 24.0
    height = top + row_h * max(len(rows), 1) + 58
    extent = [0.0] + [
        v
        for r in rows
        for v in (num(r.get("estimate")), num(r.get("ci_low")), num(r.get("ci_high")))
        if v is not None
    ]
    unit = axis_unit(value_unit, extent)
    ticks = unit.ticks(min(extent), max(extent), 5)
    xs = _Scale(ticks[0], ticks[-1], left, width - right)
    y_axis = top + row_h * len(rows)
    parts = [_x_axis(xs, ticks, unit, top, y_axis)]
    parts.append(f'<g class="zero-line">{_line(xs(0.0), top, xs(0.0), y_axis, _TEXT, 1.5)}</g>')
    for k, r in enumerate(rows):
        y = top + row_h * (k + 0.5)
        role = str(r.get("role", "primary"))
        shape, colour = _ROLE_STYLE.get(role, ("circle", OKABE_ITO["black"]))
        label = str(r.get("label", ""))
        suffix = " (guardrail)" if role == "guardrail" else ""
        room = 36 - len(suffix)
        short = label if len(label) <= room else label[: room - 1] + "\u2026"
        parts.append(
            f'<g class="effect role-{escape(role)}">' + _text(left - 8, y + 4, short + suffix, "end", 11)
        )
        lo, hi, est = num(r.get("ci_low")), num(r.get("ci_high")), num(r.get("estimate"))
        if lo is not None and hi is not None:
            parts.append(_line(xs(lo), y, xs(hi), y, colour, 2))
        tip = (
            f"{label}: {fmt_value(est, value_unit)}"
            f" (CI {fmt_value(lo, value_unit)} to {fmt_value(hi, value_unit)})"
        )
        if est is not None:
            parts.append(_marker(shape, xs(est), y, 4.5, colour, _TEXT, tip))
        else:
            parts.append(_text(left + 4, y + 4, "n/a", "start", 10, _MUTED))
        parts.append("</g>")
    parts.append(_text((left + width - right) / 2, y_axis + 30, x_label, "middle", 10, _MUTED))
    lx = left
    for role, (shape, colour) in _ROLE_STYLE.items():
        parts.append(
            _marker(shape, lx + 5, height - 10, 4, colour, _TEXT)
            + _text(lx + 14, height - 6, role, "start", 10)
        )
        lx += 95
    return _svg(cid, width, height, title, desc, "".join(parts), "forest-plot")


def control_chart(
    chart: Mapping[str, Any],
    *,
    value_unit: str,
    cid: str,
    title: str,
    desc: str,
    y_label: str = "",
    width: float = 720,
    height: float = 280,
) -> str:
    """Shewhart control chart: centre line, UCL/LCL (steps when they vary by point), the points.

    Points with signals are vermilion triangles, the others blue circles (colour and shape); the baseline
    window ``baseline = [i, j]`` (the points the limits were computed from) is shaded.
    """
    points: Sequence[Mapping[str, Any]] = chart.get("points") or []
    n = len(points)
    vals = [num(p.get("value")) for p in points]
    ucl = [num(p.get("ucl")) for p in points]
    lcl = [num(p.get("lcl")) for p in points]
    center = num(chart.get("center"))
    extent = [v for v in vals + ucl + lcl if v is not None] + ([center] if center is not None else [])
    unit = axis_unit(value_unit, extent)
    left, right, top, bottom = 62.0, 60.0, 12.0, 44.0
    if not extent or n == 0:
        body = _text(width / 2, height / 2, "no data", "middle", 12, _MUTED)
        return _svg(cid, width, height, title, desc + " No data.", body, "control-chart empty")
    ticks = unit.ticks(min(extent), max(extent), 5)
    ys = _Scale(ticks[0], ticks[-1], height - bottom, top)
    xs = _Scale(-0.5, n - 0.5, left, width - right)
    parts = [_y_axis(ys, ticks, unit, left, width - right, grid=True)]
    base = chart.get("baseline")
    if isinstance(base, Sequence) and len(base) == 2 and all(isinstance(b, int) for b in base):
        x0, x1 = xs(base[0] - 0.5), xs(min(base[1], n) - 0.5)
        if x1 > x0:
            parts.append(
                f'<g class="baseline"><rect x="{_f(x0)}" y="{_f(top)}" width="{_f(x1 - x0)}" '
                f'height="{_f(height - bottom - top)}" fill="{OKABE_ITO["yellow"]}" fill-opacity="0.15"/>'
                + _text(x0 + 3, top + 10, "baseline", "start", 9, _MUTED)
                + "</g>"
            )
    if center is not None:
        parts.append(
            f'<g class="center-line">{_line(left, ys(center), width - right, ys(center), _TEXT, 1.5)}'
        )
        parts.append(_text(width - right + 4, ys(center) + 3.5, "CL", "start", 10) + "</g>")
    for name, lim in (("ucl", ucl), ("lcl", lcl)):
        for run in _runs([v is not None for v in lim]):
            d = []
            for k, i in enumerate(run):
                y = ys(lim[i] or 0.0)
                d.append(f"{'M' if k == 0 else 'L'}{_f(xs(i - 0.5))},{_f(y)} L{_f(xs(i + 0.5))},{_f(y)}")
            parts.append(
                f'<path class="{name}" d="{" ".join(d)}" fill="none" stroke="{OKABE_ITO["vermilion"]}" '
                f'stroke-width="1.2" stroke-dasharray="6 3"/>'
            )
            last = run[-1]
            parts.append(
                _text(
                    width - right + 4,
                    ys(lim[last] or 0.0) + 3.5,
                    name.upper(),
                    "start",
                    10,
                    OKABE_ITO["vermilion"],
                )
            )
    for run in _runs([v is not None for v in vals]):
        path = " ".join(
            f"{'M' if k == 0 else 'L'}{_f(xs(i))},{_f(ys(vals[i] or 0.0))}" for k, i in enumerate(run)
        )
        parts.append(f'<path d="{path}" fill="none" stroke="{_MUTED}" stroke-width="1"/>')
    for i, p in enumerate(points):
        v = vals[i]
        if v is None:
            continue
        rules = [str(s) for s in (p.get("signals") or [])]
        tip = f"{p.get('label', '')}: {fmt_value(v, value_unit)}" + (
            f"; signals: {', '.join(rules)}" if rules else ""
        )
        if rules:
            mark = _marker("triangle", xs(i), ys(v), 5, OKABE_ITO["vermilion"], _TEXT, tip)
            parts.append(f'<g class="signal">{mark}</g>')
        else:
            parts.append(_marker("circle", xs(i), ys(v), 3, OKABE_ITO["blue"], OKABE_ITO["blue"], tip))
    every = max(1, math.ceil(n / 10))
    for i, p in enumerate(points):
        if i % every == 0:
            parts.append(_text(xs(i), height - bottom + 13, str(p.get("label", "")), "middle", 10, _MUTED))
    lab = _axis_label(y_label, unit)
    mid = (top + height - bottom) / 2
    parts.append(
        f'<text x="12" y="{_f(mid)}" text-anchor="middle" font-size="10" fill="{_MUTED}" '
        f'transform="rotate(-90 12 {_f(mid)})">{escape(lab)}</text>'
    )
    ly = height - 8
    parts.append(_marker("circle", left + 4, ly - 4, 3, OKABE_ITO["blue"], OKABE_ITO["blue"]))
    parts.append(_text(left + 12, ly, "in control", "start", 10))
    parts.append(_marker("triangle", left + 90, ly - 4, 4, OKABE_ITO["vermilion"], _TEXT))
    parts.append(_text(left + 99, ly, "signal", "start", 10))
    return _svg(cid, width, height, title, desc, "".join(parts), "control-chart")


_TIER_ROW = {"outcome": 0, "driver": 1, "control": 2}
_TIER_FILL = {"outcome": "#cde8dd", "driver": "#cfe3f3", "control": "#f7e3c4"}


def tree_diagram(
    nodes: Sequence[tuple[str, str, str]],
    edges: Sequence[Mapping[str, Any]],
    *,
    cid: str,
    title: str,
    desc: str,
) -> str:
    """The metric tree drawn in rows by tier (outcome, drivers, controls), edges labelled with their sign.

    ``nodes``: ``(id, label, tier)``; ``edges``: mappings with ``from``, ``to``, ``kind``, ``sign`` (1, -1,
    0 or None). Positive edges are solid, negative dashed, unknown dotted (not colour alone).
    """
    rows: dict[int, list[tuple[str, str, str]]] = {}
    for node in nodes:
        rows.setdefault(_TIER_ROW.get(node[2], 3), []).append(node)
    node_w, node_h, gap, row_gap = 150.0, 34.0, 18.0, 80.0
    widest = max((len(r) for r in rows.values()), default=1)
    width = max(400.0, widest * (node_w + gap) + gap)
    height = 20 + (max(rows, default=0) + 1) * (node_h + row_gap) - row_gap + 20
    pos: dict[str, tuple[float, float]] = {}
    for r, members in rows.items():
        total = len(members) * node_w + (len(members) - 1) * gap
        x0 = (width - total) / 2
        for k, (nid, _, _) in enumerate(members):
            pos[nid] = (x0 + k * (node_w + gap) + node_w / 2, 20 + r * (node_h + row_gap) + node_h / 2)
    parts: list[str] = []
    marks: list[str] = []  # drawn last, so a node never hides the sign of an edge passing behind it
    for e in edges:
        a, b = pos.get(str(e.get("from"))), pos.get(str(e.get("to")))
        if a is None or b is None:
            continue
        sign = e.get("sign")
        dash = "" if sign == 1 else "6 3" if sign == -1 else "2 3"
        mark = {1: "+", -1: "\u2212"}.get(sign if isinstance(sign, int) else 0, "?")
        if a[1] == b[1]:  # same tier: side to side
            x1 = a[0] + node_w / 2 if a[0] < b[0] else a[0] - node_w / 2
            x2 = b[0] - node_w / 2 if a[0] < b[0] else b[0] + node_w / 2
            y1 = y2 = a[1]
        else:
            x1, x2 = a[0], b[0]
            y1 = a[1] - node_h / 2 if a[1] > b[1] else a[1] + node_h / 2
            y2 = b[1] + node_h / 2 if a[1] > b[1] else b[1] - node_h / 2
        parts.append(f'<g class="edge">{_line(x1, y1, x2, y2, _MUTED, 1.5, dash)}</g>')
        # The sign sits nearer the driving end: an edge that skips a tier then shows it clear of the node
        # in between (at the midpoint it would land on that node).
        mx, my = x1 + 0.3 * (x2 - x1), y1 + 0.3 * (y2 - y1)
        marks.append(
            f'<g class="edge-sign"><circle cx="{_f(mx)}" cy="{_f(my)}" r="8" fill="#ffffff" '
            f'stroke="{_MUTED}"/>'
            + _text(mx, my + 4, mark, "middle", 12, _TEXT)
            + f"<title>{escape(str(e.get('from')))} \u2192 {escape(str(e.get('to')))}: "
            f"{escape(str(e.get('kind', '')))} ({mark})</title></g>"
        )
    for nid, label, tier in nodes:
        x, y = pos[nid]
        short = label if len(label) <= 22 else label[:21] + "\u2026"
        parts.append(
            f'<g class="node tier-{escape(tier)}"><rect x="{_f(x - node_w / 2)}" y="{_f(y - node_h / 2)}" '
            f'width="{_f(node_w)}" height="{_f(node_h)}" rx="6" fill="{_TIER_FILL.get(tier, "#eeeeee")}" '
            f'stroke="{_TEXT}" stroke-width="{2 if tier == "outcome" else 1}"/>'
            + _text(x, y - 2, short, "middle", 11)
            + _text(x, y + 11, tier, "middle", 9, _MUTED)
            + f"<title>{escape(label)} ({escape(tier)})</title></g>"
        )
    return _svg(cid, width, height, title, desc, "".join(parts + marks), "tree-diagram")
