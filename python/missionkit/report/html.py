"""The report page: one self-contained HTML document (inline CSS and SVG, no script, no network).

Sections carry stable ids (``north-star``, ``drivers``, ``segments``, ``okrs``, ``experiments``,
``control-charts``, ``data-quality``, ``metric-tree``) that tests and readers' bookmarks rely on. Every
piece of text from the results is escaped; undefined numbers print as "n/a".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from missionkit.report import svg
from missionkit.report.svg import OKABE_ITO, fmt_value, num

__all__ = ["SCHEMA_VERSION", "ReportError", "render_html"]

SCHEMA_VERSION = "1"

_REQUIRED = (
    "schema_version",
    "missionkit_version",
    "generated_at",
    "spec",
    "mission",
    "data",
    "analysis",
    "metrics",
    "tree",
    "okrs",
    "experiments",
    "control_charts",
    "tables",
    "warnings",
)


class ReportError(ValueError):
    """The results mapping cannot be rendered (wrong schema version, missing or mistyped key)."""


_CSS = f"""
:root {{ --blue: {OKABE_ITO["blue"]}; --orange: {OKABE_ITO["orange"]}; --green: {OKABE_ITO["green"]};
  --vermilion: {OKABE_ITO["vermilion"]}; --muted: #595959; --line: #d9d9d9; }}
* {{ box-sizing: border-box; }}
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
  margin: 0 auto; max-width: 1240px; padding: 16px 24px 48px; line-height: 1.4; }}
h1 {{ font-size: 1.6rem; margin: 0.2em 0; }} h2 {{ font-size: 1.25rem; border-bottom: 2px solid var(--line);
  padding-bottom: 4px; margin-top: 2em; }} h3 {{ font-size: 1.05rem; margin: 0.3em 0; }}
.sentence {{ font-size: 1.15rem; font-style: italic; margin: 0.3em 0 0.6em; }}
.meta {{ color: var(--muted); font-size: 0.85rem; }}
.meta span + span::before {{ content: " \\00b7 "; }}
.overview {{ display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px;
  align-items: start; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 12px; }}
.card {{ border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: #fff;
  break-inside: avoid; }}
.card.not-computed {{ background: #f6f6f6; }}
.big {{ font-size: 1.8rem; font-weight: 650; }} .value {{ font-size: 1.2rem; font-weight: 600; }}
.ci {{ color: var(--muted); font-size: 0.85rem; }}
svg.chart {{ max-width: 100%; height: auto; display: block; margin: 6px 0; font-family: inherit; }}
table {{ border-collapse: collapse; margin: 8px 0 12px; font-size: 0.9rem; }}
th, td {{ border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.badge {{ display: inline-block; border-radius: 10px; padding: 1px 9px; font-size: 0.8rem; font-weight: 600;
  border: 1.5px solid currentColor; white-space: nowrap; }}
.band-target, .band-stretch, .decision-success, .srm-ok {{ color: #006b4f; }}
.band-commit, .decision-inconclusive {{ color: #8a5a00; }}
.band-fail, .decision-failure, .decision-blocked, .srm-failed {{ color: #b23c00; }}
.band-none, .status-skipped {{ color: var(--muted); }}
.status-fail, .status-worse {{ color: #b23c00; font-weight: 700; }}
.srm-failed {{ font-weight: 700; background: #fbe3d6; padding: 2px 6px; border-radius: 4px; }}
.warnings {{ border-left: 4px solid var(--orange); background: #fff6e0; padding: 6px 12px; }}
.warnings h2 {{ margin-top: 0.3em; }}
.definitions td:nth-child(2) {{ white-space: nowrap; }}
.dq-mismatch {{ color: #b23c00; font-weight: 700; }}
.experiment {{ border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 12px 0;
  break-inside: avoid; }}
.summary {{ font-size: 1.02rem; }}
.segments-grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 12px; }}
figure {{ margin: 0; }} figcaption {{ font-weight: 600; font-size: 0.95rem; }}
code {{ font-size: 0.85em; }}
@media (max-width: 900px) {{ .overview {{ grid-template-columns: 1fr; }} }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  .overview {{ grid-template-columns: 1fr; }}
  section, figure, .card, .experiment, table {{ break-inside: avoid; }}
  h2 {{ break-after: avoid; }}
  .badge, .srm-failed, .warnings {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""


_EFFECT_UNIT = {"proportion": "percentage points", "seconds": "seconds"}


class _Ids:
    """Unique, valid element ids derived from result names (which may hold any character)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, *parts: Any) -> str:
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(str(p) for p in parts)).strip("-") or "x"
        k = self._seen.get(base, 0)
        self._seen[base] = k + 1
        return base if k == 0 else f"{base}-{k + 1}"


def _e(v: Any) -> str:
    return escape("" if v is None else str(v))


def _list(results: Mapping[str, Any], key: str) -> list[Any]:
    v = results.get(key)
    if v is None:
        return []
    if not isinstance(v, Sequence) or isinstance(v, (str, bytes)):
        raise ReportError(f"render_html: results[{key!r}] must be a list, got {type(v).__name__}")
    return list(v)


def _map(parent: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    v = parent.get(key)
    if v is None:
        return {}
    if not isinstance(v, Mapping):
        raise ReportError(f"render_html: {where}[{key!r}] must be an object, got {type(v).__name__}")
    return v


def _level(alpha: Any) -> str:
    a = num(alpha)
    return f"{(1 - a) * 100:g}%" if a is not None and 0 < a < 1 else "95%"


def _est(p: Mapping[str, Any] | None, unit: str, level: str) -> str:
    """ "value" with "(95% CI lo to hi, n=...)" after it, as HTML."""
    if not p:
        return '<span class="value">n/a</span>'
    out = f'<span class="value">{_e(fmt_value(p.get("value"), unit))}</span>'
    lo, hi = num(p.get("ci_low")), num(p.get("ci_high"))
    ci = (
        f"{level} CI {fmt_value(lo, unit)} to {fmt_value(hi, unit)}"
        if lo is not None and hi is not None
        else ""
    )
    n = p.get("n")
    ntext = f"n={n:,}" if isinstance(n, int) and not isinstance(n, bool) else ""
    if ci or ntext:
        out += f' <span class="ci">({_e(", ".join(s for s in (ci, ntext) if s))})</span>'
    return out


def _series(m: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    s = m.get("series") or []
    return [p for p in s if isinstance(p, Mapping)]


def _break_positions(
    m: Mapping[str, Any], series: Sequence[Mapping[str, Any]] | None = None
) -> list[tuple[float, str]]:
    """Each break at the boundary before its ``period``, else before the first period starting on or after
    its date; positions index ``series`` (default: the metric's whole series)."""
    series = _series(m) if series is None else series
    out: list[tuple[float, str]] = []
    for b in m.get("breaks") or []:
        date, period = str(b.get("date", "")), b.get("period")
        idx = next(
            (i for i, p in enumerate(series) if period is not None and p.get("period") == period), None
        )
        if idx is None:
            idx = next((i for i, p in enumerate(series) if str(p.get("period_start", "")) >= date), None)
        if idx is None:
            continue
        out.append((idx - 0.5, f"{_v(b.get('from_version', '?'))} \u2192 {_v(b.get('to_version', '?'))}"))
    return out


def _current(m: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, str]:
    """The latest period with a value that is not a small cell (and its label); else the latest with a value;
    else the whole-period estimate. A trailing sliver of a period (a few contacts past the last full day)
    must not stand for the metric's current value."""
    series = _series(m)
    for skip_small in (True, False):
        for p in reversed(series):
            if num(p.get("value")) is not None and not (skip_small and p.get("small_cell")):
                return p, str(p.get("period", ""))
    overall = m.get("overall")
    return (overall if isinstance(overall, Mapping) else None), "whole period"


def _v(version: Any) -> str:
    """A definition version as people write it: "v2" (kept as is when it already starts with v)."""
    s = "" if version is None else str(version)
    return s if not s or s[:1] in "vV" else f"v{s}"


def _band_badge(band: Any) -> str:
    # The core's OKR score bands (model/okr.hpp): below 0.3 fail, 0.3-0.7 commit, 0.7-1 target, 1+ stretch.
    label = {
        "fail": "\u2716 fail",
        "commit": "! commit",
        "target": "\u2714 target",
        "stretch": "\u2605 stretch",
    }
    if band in label:
        return f'<span class="badge band-{band}">{label[band]}</span>'
    return '<span class="badge band-none">n/a</span>'


def _breaks_text(m: Mapping[str, Any]) -> str:
    items = [
        f"<li>comparability break {_e(b.get('date'))}: {_e(_v(b.get('from_version')))} \u2192 "
        f"{_e(_v(b.get('to_version')))}"
        + (f" \u2014 {_e(b.get('change_note'))}" if b.get("change_note") else "")
        + "</li>"
        for b in m.get("breaks") or []
    ]
    return f'<ul class="breaks">{"".join(items)}</ul>' if items else ""


class _Page:
    def __init__(self, results: Mapping[str, Any]) -> None:
        self.r = results
        self.ids = _Ids()
        self.level = _level(_map(results, "analysis", "results").get("alpha"))
        self.metrics: list[Mapping[str, Any]] = [
            m for m in _list(results, "metrics") if isinstance(m, Mapping)
        ]
        self.by_id = {str(m.get("id")): m for m in self.metrics}

    def unit_of(self, metric_id: Any) -> str:
        return str(self.by_id.get(str(metric_id), {}).get("value_unit", ""))

    def name_of(self, metric_id: Any) -> str:
        m = self.by_id.get(str(metric_id))
        return str(m.get("name") or metric_id) if m else str(metric_id)

    # -- header ---------------------------------------------------------------------------------------
    def header(self) -> str:
        mission = _map(self.r, "mission", "results")
        spec = _map(self.r, "spec", "results")
        data = _map(self.r, "data", "results")
        sha = str(spec.get("sha256", ""))
        meta = [
            f"generated {_e(self.r.get('generated_at'))}",
            f"missionkit {_e(self.r.get('missionkit_version'))}",
            f"spec <code>{_e(spec.get('source'))}</code>"
            + (f" (sha256 {_e(sha[:12])}\u2026)" if sha else ""),
            f"data {_e(data.get('period_start') or '?')} to {_e(data.get('period_end') or '?')}"
            + (f" ({_e(data.get('time_zone'))})" if data.get("time_zone") else ""),
        ]
        return (
            '<header id="mission">'
            f"<h1>{_e(mission.get('name') or 'Mission report')}</h1>"
            f'<p class="sentence">{_e(mission.get("sentence"))}</p>'
            f'<p class="meta">{"".join(f"<span>{s}</span>" for s in meta)}</p>'
            "</header>"
        )

    def warnings(self) -> str:
        warnings = [str(w) for w in _list(self.r, "warnings")]
        issues = [i for i in _map(self.r, "spec", "results").get("issues") or [] if isinstance(i, Mapping)]
        if not warnings and not issues:
            return ""
        out = '<section id="warnings" class="warnings" aria-label="Warnings"><h2>Warnings</h2>'
        if warnings:
            out += "<ul>" + "".join(f"<li>{_e(w)}</li>" for w in warnings) + "</ul>"
        if issues:
            out += (
                "<h3>Spec issues</h3><ul>"
                + "".join(
                    f"<li><strong>{_e(i.get('severity'))}</strong> <code>{_e(i.get('path'))}</code>: "
                    f"{_e(i.get('message'))}</li>"
                    for i in issues
                )
                + "</ul>"
            )
        return out + "</section>"

    # -- overview -------------------------------------------------------------------------------------
    def north_star_metric(self) -> Mapping[str, Any] | None:
        outcome = str(_map(self.r, "mission", "results").get("outcome", ""))
        if outcome in self.by_id:
            return self.by_id[outcome]
        return next((m for m in self.metrics if m.get("tier") == "outcome"), None)

    def okr_refs(
        self, metric_id: str
    ) -> tuple[list[tuple[str, float, str]], tuple[float, float, str] | None]:
        for okr in _list(self.r, "okrs"):
            for kr in okr.get("key_results") or []:
                if str(kr.get("metric")) != metric_id:
                    continue
                unit = self.unit_of(metric_id)
                refs = []
                colours = {"baseline": svg._MUTED, "target": OKABE_ITO["green"], "stretch": OKABE_ITO["blue"]}
                for key, colour in colours.items():
                    v = num(kr.get(key))
                    if v is not None:
                        refs.append((f"{key} {fmt_value(v, unit)}", v, colour))
                t, s = num(kr.get("target")), num(kr.get("stretch"))
                band = (t, s, "target\u2013stretch") if t is not None and s is not None else None
                return refs, band
        return [], None

    def north_star(self) -> str:
        m = self.north_star_metric()
        if m is None:
            return '<div id="north-star"><h2>North star</h2><p>No outcome metric in the results.</p></div>'
        mid, unit = str(m.get("id")), str(m.get("value_unit", ""))
        head = (
            f'<div id="north-star" class="tier-outcome" data-metric="{_e(mid)}">'
            f"<h2>North star: {_e(m.get('name'))}</h2>"
            f'<p class="meta"><span>{_e(mid)}</span><span>definition {_e(_v(m.get("version")))}</span>'
            f"<span>owner {_e(m.get('owner'))}</span><span>{_e(m.get('direction'))} is better</span></p>"
        )
        if not m.get("computed", True):
            return (
                head + f'<p class="not-computed">Not computed: {_e(m.get("not_computed_reason"))}</p></div>'
            )
        cur, when = _current(m)
        out = (
            head
            + f'<p><span class="big">{_est(cur, unit, self.level)}</span> '
            + f'<span class="ci">{_e(when)}</span></p>'
        )
        refs, band = self.okr_refs(mid)
        series = _series(m)
        if series:
            out += svg.line_chart(
                series,
                value_unit=unit,
                cid=self.ids("chart-ns", mid),
                title=f"{m.get('name')}: trend by period with {self.level} confidence band",
                desc=(
                    f"{len(series)} periods from {series[0].get('period')} to {series[-1].get('period')}; "
                    f"latest {_current(m)[1]}: {fmt_value(cur.get('value') if cur else None, unit)}."
                    + (" Dashed lines: OKR baseline, target and stretch." if refs else "")
                ),
                y_label=str(m.get("name", "")),
                refs=refs,
                band=band,
                breaks=_break_positions(m),
            )
        else:
            out += '<p class="no-series">No series by period.</p>'
        return out + _breaks_text(m) + self.definitions(m) + "</div>"

    @staticmethod
    def definitions(m: Mapping[str, Any]) -> str:
        defs = [d for d in m.get("definitions") or [] if isinstance(d, Mapping)]
        rows = "".join(
            f"<tr><td>{_e(_v(d.get('version')))}</td><td>{_e(d.get('effective_from') or '')}</td>"
            f"<td>{_e(d.get('rule'))}</td><td>{_e(d.get('change_note') or '')}</td></tr>"
            for d in defs
        )
        if not rows:
            return f"<p class='rule'><strong>Definition:</strong> {_e(m.get('rule'))}</p>"
        return (
            "<table class='definitions'><thead><tr><th>version</th><th>from</th><th>rule</th>"
            f"<th>change</th></tr></thead><tbody>{rows}</tbody></table>"
        )

    def card(self, m: Mapping[str, Any]) -> str:
        mid, unit, tier = str(m.get("id")), str(m.get("value_unit", "")), str(m.get("tier", ""))
        computed = bool(m.get("computed", True))
        out = (
            f'<article class="card metric-card tier-{_e(tier)}{"" if computed else " not-computed"}" '
            f'id="{self.ids("metric", mid)}" data-metric="{_e(mid)}">'
            f"<h3>{_e(m.get('name'))}</h3>"
            f'<p class="meta"><span>{_e(tier)}</span><span>definition {_e(_v(m.get("version")))}</span>'
            f"<span>owner {_e(m.get('owner'))}</span></p>"
        )
        if not computed:
            return (
                out
                + f'<p class="not-computed">Not computed: {_e(m.get("not_computed_reason"))}</p></article>'
            )
        cur, when = _current(m)
        out += f"<p>{_est(cur, unit, self.level)} <span class='ci'>{_e(when)}</span></p>"
        # Sparklines leave small cells out: in 260 pixels a sliver period's wild value hides the trend
        # (the full series, small cells included, is in the tables).
        series = [p for p in _series(m) if not p.get("small_cell")] or _series(m)
        if series:
            out += svg.line_chart(
                series,
                value_unit=unit,
                cid=self.ids("chart-spark", mid),
                title=f"{m.get('name')}: trend",
                desc=f"Sparkline of {len(series)} periods with {self.level} confidence band.",
                width=260,
                height=90,
                breaks=_break_positions(m, series),
                compact=True,
            )
        else:
            out += '<p class="no-series">No series by period.</p>'
        return out + _breaks_text(m) + "</article>"

    def overview(self) -> str:
        ns = self.north_star_metric()
        others = [m for m in self.metrics if m is not ns]
        others.sort(key=lambda m: {"outcome": 0, "driver": 1, "control": 2}.get(str(m.get("tier")), 3))
        cards = "".join(self.card(m) for m in others) or "<p>No other metrics.</p>"
        return (
            '<section class="overview" aria-label="North star and drivers">'
            f"{self.north_star()}"
            f'<div id="drivers"><h2>Drivers and controls</h2><div class="cards">{cards}</div></div>'
            "</section>"
        )

    # -- segments ---------------------------------------------------------------------------------------
    def segments(self) -> str:
        figs = []
        for m in self.metrics:
            segs = m.get("segments") or {}
            if not isinstance(segs, Mapping):
                continue
            unit = str(m.get("value_unit", ""))
            overall = m.get("overall") if isinstance(m.get("overall"), Mapping) else None
            ref = num(overall.get("value")) if overall else None
            for dim, rows in segs.items():
                rows = [r for r in rows or [] if isinstance(r, Mapping)]
                if not rows:
                    continue
                figs.append(
                    f'<figure class="segment-chart" data-metric="{_e(m.get("id"))}" '
                    f'data-dimension="{_e(dim)}">'
                    f"<figcaption>{_e(m.get('name'))} by {_e(dim)}</figcaption>"
                    + svg.dot_whisker(
                        rows,
                        value_unit=unit,
                        cid=self.ids("chart-seg", m.get("id"), dim),
                        title=f"{m.get('name')} by {dim}, with {self.level} confidence intervals",
                        desc=f"{len(rows)} segments; the dashed line is the overall value "
                        f"{fmt_value(ref, unit)}. Hollow dots are small cells.",
                        x_label=str(m.get("name", "")),
                        reference=ref,
                    )
                    + "</figure>"
                )
        body = f'<div class="segments-grid">{"".join(figs)}</div>' if figs else "<p>No segment breakdown.</p>"
        return f'<section id="segments"><h2>Segments</h2>{body}</section>'

    # -- OKRs -------------------------------------------------------------------------------------------
    def okrs(self) -> str:
        okrs = [o for o in _list(self.r, "okrs") if isinstance(o, Mapping)]
        if not okrs:
            return '<section id="okrs"><h2>OKRs</h2><p>No OKRs in the spec.</p></section>'
        rows = []
        for o in okrs:
            rows.append(
                f'<tr class="objective"><th colspan="8">{_e(o.get("objective"))} '
                f'<span class="meta">owner {_e(o.get("owner"))} \u00b7 score '
                f"{_e(fmt_value(o.get('score'), digits=2))}</span></th></tr>"
            )
            for kr in o.get("key_results") or []:
                unit = self.unit_of(kr.get("metric"))
                cells = [
                    f"{_e(self.name_of(kr.get('metric')))} "
                    f"<span class='ci'>{_e(_v(kr.get('metric_version')))}</span>",
                    *(
                        f'<td class="num">{_e(fmt_value(kr.get(k), unit))}</td>'
                        for k in ("baseline", "target", "stretch", "current")
                    ),
                    f'<td class="num">{_e(fmt_value(kr.get("score"), digits=2))}</td>',
                    f"<td>{_band_badge(kr.get('band'))}</td>",
                    f"<td>{_e(kr.get('due') or '')}</td>",
                ]
                rows.append(f"<tr class='key-result'><td>{cells[0]}</td>{''.join(cells[1:])}</tr>")
        return (
            '<section id="okrs"><h2>OKRs</h2><table class="okr-table"><thead><tr><th>key result</th>'
            '<th class="num">baseline</th><th class="num">target</th><th class="num">stretch</th>'
            '<th class="num">current</th><th class="num">score</th><th>band</th><th>due</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></section>"
        )

    # -- experiments ------------------------------------------------------------------------------------
    def srm(self, s: Any) -> str:
        if not isinstance(s, Mapping):
            return '<p class="srm srm-none">SRM check: not applicable.</p>'
        counts = ", ".join(
            f"{a}: {fmt_value(c, 'contacts')}" for a, c in zip(s.get("arms") or [], s.get("counts") or [])
        )
        p = _p(s.get("pvalue"))
        p = p if p.startswith("<") else "= " + p
        if s.get("ok"):
            return f'<p class="srm srm-ok">\u2714 SRM check passed (p {_e(p)}; {_e(counts)}).</p>'
        return (
            f'<p class="srm srm-failed">\u2716 Sample ratio mismatch: p {_e(p)}, below the threshold '
            f"{_e(fmt_value(s.get('threshold')))} ({_e(counts)}). The assignment is broken; the effects "
            "below are not trustworthy.</p>"
        )

    def experiment(self, x: Mapping[str, Any]) -> str:
        xid = str(x.get("id"))
        v = x.get("verdict") if isinstance(x.get("verdict"), Mapping) else None
        status = str(x.get("status", ""))
        decision = str(v.get("decision")) if v else "skipped" if status == "skipped" else "n/a"
        badge_cls = f"decision-{decision}" if v else "status-skipped"
        out = (
            f'<article class="experiment" id="{self.ids("experiment", xid)}" data-status="{_e(status)}">'
            f"<h3>{_e(xid)} <span class='badge design'>{_e(x.get('design'))}</span> "
            f'<span class="badge decision {badge_cls}">{_e(decision)}</span></h3>'
            f"<p><strong>Hypothesis:</strong> {_e(x.get('hypothesis'))}</p>"
        )
        if v is None:
            return (
                out + f'<p class="skipped">Skipped: {_e(x.get("reason") or "no reason given")}</p></article>'
            )
        if v.get("summary"):
            out += f'<p class="summary">{_e(v.get("summary"))}</p>'
        out += self.srm(v.get("srm"))
        if v.get("criterion"):
            met = v.get("criterion_met")
            met_txt = "met" if met is True else "not met" if met is False else "n/a"
            out += f"<p><strong>Decision rule:</strong> {_e(v.get('criterion'))} \u2014 {met_txt}</p>"
        effects = [e for e in v.get("effects") or [] if isinstance(e, Mapping)]
        if effects:
            relative = all(
                num(e.get(k)) is not None
                for e in effects
                for k in ("relative", "relative_ci_low", "relative_ci_high")
            )
            units = {self.unit_of(e.get("metric")) for e in effects}
            rows = []
            for e in effects:
                label = self.name_of(e.get("metric")) + (f" [{e.get('arm')}]" if e.get("arm") else "")
                if relative:
                    rows.append(
                        {
                            "label": label,
                            "role": e.get("role"),
                            "estimate": e.get("relative"),
                            "ci_low": e.get("relative_ci_low"),
                            "ci_high": e.get("relative_ci_high"),
                        }
                    )
                else:
                    rows.append(
                        {"label": label, **{k: e.get(k) for k in ("role", "estimate", "ci_low", "ci_high")}}
                    )
            same_unit = units.pop() if len(units) == 1 else ""
            x_label = (
                f"relative effect (% of control), {self.level} CI"
                if relative
                else f"effect ({_EFFECT_UNIT.get(same_unit, same_unit or 'metric units')}), {self.level} CI"
            )
            out += svg.forest_plot(
                rows,
                cid=self.ids("chart-forest", xid),
                title=f"Experiment {xid}: effects with {self.level} confidence intervals",
                desc=f"{len(rows)} effects; the solid vertical line is zero (no effect). "
                "Guardrails are diamonds.",
                x_label=x_label,
                value_unit="proportion"
                if relative
                else "percent_points"
                if same_unit == "proportion"
                else "",
            )
            out += self.effects_table(effects)
        notes = [str(n) for n in v.get("notes") or []]
        if notes:
            out += "<ul class='notes'>" + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>"
        out += self.details(x.get("details"))
        return out + "</article>"

    def effects_table(self, effects: Sequence[Mapping[str, Any]]) -> str:
        rows = []
        for e in effects:
            unit = self.unit_of(e.get("metric"))
            rel = ""
            if num(e.get("relative")) is not None:
                rel = (
                    f"{fmt_value(e.get('relative'), 'proportion')} "
                    f"({fmt_value(e.get('relative_ci_low'), 'proportion')}"
                    f" to {fmt_value(e.get('relative_ci_high'), 'proportion')})"
                )
            rows.append(
                f"<tr class='role-{_e(e.get('role'))}'><td>{_e(self.name_of(e.get('metric')))}"
                f" <span class='ci'>{_e(_v(e.get('version')))}</span></td><td>{_e(e.get('role'))}</td>"
                f"<td>{_e(e.get('arm') or '')}</td>"
                f"<td class='num'>{_e(_effect(e.get('estimate'), unit))}</td>"
                f"<td class='num'>{_e(self._ci_abs(e, unit))}</td><td class='num'>{_e(rel or 'n/a')}</td>"
                f"<td class='num'>{_e(_p(e.get('pvalue')))}</td>"
                f"<td class='num'>{_e(_p(e.get('pvalue_adjusted')))}</td>"
                f"<td class='effect-status status-{_e(str(e.get('status') or 'none').replace(' ', '-'))}'>"
                f"{_e(e.get('status') or '')}</td></tr>"
            )
        return (
            "<table class='effects'><thead><tr><th>metric</th><th>role</th><th>arm</th>"
            "<th class='num'>estimate</th>"
            f"<th class='num'>{self.level} CI</th><th class='num'>relative (CI)</th><th class='num'>p</th>"
            f"<th class='num'>adjusted p</th><th>status</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    @staticmethod
    def _ci_abs(e: Mapping[str, Any], unit: str) -> str:
        if num(e.get("ci_low")) is None or num(e.get("ci_high")) is None:
            return "n/a"
        return f"{_effect(e.get('ci_low'), unit)} to {_effect(e.get('ci_high'), unit)}"

    @staticmethod
    def details(d: Any) -> str:
        if not isinstance(d, Mapping) or not d:
            return ""
        rows = []
        for k, v in d.items():
            if isinstance(v, float) or (isinstance(v, int) and not isinstance(v, bool)):
                text = fmt_value(v)
            elif isinstance(v, str):
                text = v
            else:
                text = json.dumps(v, default=str, allow_nan=False) if _json_ok(v) else str(v)
            rows.append(f"<tr><th>{_e(k)}</th><td>{_e(text)}</td></tr>")
        return (
            "<details class='design-details'><summary>Design details</summary>"
            f"<table>{''.join(rows)}</table></details>"
        )

    def experiments(self) -> str:
        xs = [x for x in _list(self.r, "experiments") if isinstance(x, Mapping)]
        body = "".join(self.experiment(x) for x in xs) or "<p>No experiments declared.</p>"
        return f'<section id="experiments"><h2>Experiments</h2>{body}</section>'

    # -- control charts -----------------------------------------------------------------------------------
    def control_charts(self) -> str:
        figs = []
        for c in _list(self.r, "control_charts"):
            if not isinstance(c, Mapping):
                continue
            mid = c.get("metric")
            unit = self.unit_of(mid)
            name = self.name_of(mid)
            seg = f" \u2014 {c.get('segment')}" if c.get("segment") else ""
            signals = [s for s in c.get("signals") or [] if isinstance(s, Mapping)]
            title = f"{name}{seg}: {c.get('chart', '')} chart by {c.get('period', 'period')}"
            sig_rows = "".join(
                f"<tr><td>{_e(s.get('label'))}</td><td>{_e(s.get('rule'))}</td><td>{_e(s.get('description'))}</td></tr>"
                for s in signals
            )
            figs.append(
                f'<figure class="control" id="{self.ids("control", c.get("id"))}">'
                f"<figcaption>{_e(title)}</figcaption>"
                + svg.control_chart(
                    c,
                    value_unit=unit,
                    cid=self.ids("chart-cc", c.get("id")),
                    title=title,
                    desc=f"Centre line {fmt_value(c.get('center'), unit)}, "
                    f"{len(c.get('points') or [])} points, "
                    f"{len(signals)} signal(s) marked as triangles.",
                    y_label=name,
                )
                + (
                    "<table class='signals'><thead><tr><th>point</th><th>rule</th>"
                    "<th>what it means</th></tr>"
                    f"</thead><tbody>{sig_rows}</tbody></table>"
                    if signals
                    else "<p>No signals: the process is in statistical control.</p>"
                )
                + "</figure>"
            )
        body = "".join(figs) or "<p>No control charts requested.</p>"
        return f'<section id="control-charts"><h2>Control charts</h2>{body}</section>'

    # -- data quality ---------------------------------------------------------------------------------------
    def data_quality(self) -> str:
        d = _map(self.r, "data", "results")

        def count(k: str) -> str:
            v = d.get(k)
            return f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else "n/a"

        read, acc, quar = d.get("rows_read"), d.get("accepted"), d.get("quarantined")
        check = ""
        if all(isinstance(v, int) for v in (read, acc, quar)):
            ok = read == acc + quar  # type: ignore[operator]
            check = (
                '<p class="dq-ok">\u2714 rows read = accepted + quarantined</p>'
                if ok
                else f'<p class="dq-mismatch">\u2716 rows read ({count("rows_read")}) \u2260 accepted + '
                f"quarantined ({acc + quar:,})</p>"  # type: ignore[operator]
            )
        reasons = [q for q in d.get("quarantine") or [] if isinstance(q, Mapping)]
        rows = "".join(
            f"<tr><td>{_e(q.get('reason'))}</td>"
            f"<td class='num'>{_e(fmt_value(q.get('rows'), 'contacts'))}</td>"
            f"<td class='num'>{_e(self._share(q.get('rows'), read))}</td></tr>"
            for q in reasons
        )
        per_reason = (
            "<table class='quarantine'><thead><tr><th>quarantine reason</th><th class='num'>rows</th>"
            f"<th class='num'>share of rows read</th></tr></thead><tbody>{rows}</tbody></table>"
            if reasons
            else "<p>No rows quarantined.</p>"
        )
        return (
            '<section id="data-quality"><h2>Data quality</h2>'
            f"<p class='meta'><span>source <code>{_e(d.get('source'))}</code></span>"
            f"<span>{_e(d.get('period_start') or '?')} to {_e(d.get('period_end') or '?')}</span>"
            f"<span>time zone {_e(d.get('time_zone'))}</span></p>"
            "<table class='accounting'><tbody>"
            f"<tr><th>rows read</th><td class='num'>{count('rows_read')}</td></tr>"
            f"<tr><th>accepted</th><td class='num'>{count('accepted')}</td></tr>"
            f"<tr><th>quarantined</th><td class='num'>{count('quarantined')}</td></tr>"
            f"</tbody></table>{check}{per_reason}</section>"
        )

    @staticmethod
    def _share(rows: Any, read: Any) -> str:
        r, t = num(rows), num(read)
        return fmt_value(r / t, "proportion", 2) if r is not None and t else "n/a"

    # -- tree, tables, page -----------------------------------------------------------------------------
    def tree(self) -> str:
        edges = [e for e in _list(self.r, "tree") if isinstance(e, Mapping)]
        if not edges and not self.metrics:
            return ""
        nodes = [
            (str(m.get("id")), str(m.get("name") or m.get("id")), str(m.get("tier", "")))
            for m in self.metrics
        ]
        known = {n[0] for n in nodes}
        for e in edges:
            for k in ("from", "to"):
                if str(e.get(k)) not in known:
                    known.add(str(e.get(k)))
                    nodes.append((str(e.get(k)), str(e.get(k)), "unknown"))
        chart = svg.tree_diagram(
            nodes,
            edges,
            cid=self.ids("chart-tree"),
            title="Metric tree",
            desc=f"{len(nodes)} metrics in rows by tier and {len(edges)} links; + helps, \u2212 hurts "
            "(solid and dashed lines).",
        )
        return f'<section id="metric-tree"><h2>Metric tree</h2>{chart}</section>'

    def tables(self) -> str:
        t = _map(self.r, "tables", "results")
        if not t:
            return ""
        items = "".join(f"<li><a href='{_e(p)}'>{_e(p)}</a> ({_e(k)})</li>" for k, p in t.items())
        return f'<section id="tables"><h2>Tables</h2><ul>{items}</ul></section>'

    def render(self) -> str:
        mission = _map(self.r, "mission", "results")
        body = "".join(
            [
                self.header(),
                "<main>",
                self.warnings(),
                self.overview(),
                self.segments(),
                self.okrs(),
                self.experiments(),
                self.control_charts(),
                self.data_quality(),
                self.tree(),
                self.tables(),
                "</main>",
                f"<footer class='meta'>missionkit {_e(self.r.get('missionkit_version'))} \u00b7 "
                f"results schema {_e(self.r.get('schema_version'))}</footer>",
            ]
        )
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="color-scheme" content="light">'
            f"<title>{_e(mission.get('name') or 'Mission')} \u2014 missionkit report</title>"
            f"<style>{_CSS}</style></head><body>{body}</body></html>\n"
        )


def _effect(v: Any, unit: str) -> str:
    """An absolute effect: a difference of proportions is in percentage points, not percent."""
    x = num(v)
    if x is None:
        return "n/a"
    if unit == "proportion":
        return f"{x * 100:+.2f} pp"
    return ("+" if x > 0 else "") + fmt_value(x, unit, 1 if unit == "seconds" else 2)


def _p(v: Any) -> str:
    """A p-value as journals print it: three decimals, "< 0.001" below that."""
    x = num(v)
    if x is None:
        return "n/a"
    return "< 0.001" if x < 0.001 else f"{x:.3f}"


def _json_ok(v: Any) -> bool:
    try:
        json.dumps(v, allow_nan=False, default=str)
    except ValueError:
        return False
    return True


def render_html(results: Mapping[str, Any]) -> str:
    """The report for one ``missionkit run`` results mapping (schema version "1") as one HTML page.

    The page is self-contained: inline CSS and SVG, no script, no network reference. Text is escaped and
    undefined numbers (``None``/NaN) print as "n/a". ``ReportError`` (a ``ValueError``) when ``results``
    is not a mapping, has another ``schema_version``, or lacks a top-level key of the schema.
    """
    if not isinstance(results, Mapping):
        raise ReportError(f"render_html: results must be a mapping, got {type(results).__name__}")
    version = results.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ReportError(
            f"render_html: results['schema_version'] is {version!r}; this renderer reads {SCHEMA_VERSION!r}"
        )
    missing = [k for k in _REQUIRED if k not in results]
    if missing:
        raise ReportError(f"render_html: results lacks key(s) {missing} required by results.schema.json")
    return _Page(results).render()
