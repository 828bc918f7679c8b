"""A realistic ``missionkit run`` results dict (schema version "1") for report and pipeline tests.

Twelve monthly periods of a card-replacement mission: an outcome metric whose definition changed (a
comparability break), drivers and controls in several units, a metric that could not be computed, an
undefined (null) period, segment breakdowns with a small cell, OKRs in several score bands, four experiments
(an A/B success, an A/B blocked by sample-ratio mismatch, a stepped wedge, a skipped ITS) and two control
charts, one with signals. The numbers are made up but internally consistent (e.g. rows read = accepted +
quarantined); they test the drawing, not any statistic.
"""

from __future__ import annotations

import math
from typing import Any

_MONTHS = [f"{2025 + (6 + i) // 12}-{(6 + i) % 12 + 1:02d}" for i in range(12)]  # 2025-07 .. 2026-06
_Z = 1.959963984540054


def _prop_point(period: str, p: float | None, n: int, version: str = "1") -> dict[str, Any]:
    half = None if p is None else _Z * math.sqrt(p * (1 - p) / n)
    return {
        "period": period,
        "period_start": f"{period}-01",
        "value": p,
        "ci_low": None if p is None or half is None else p - half,
        "ci_high": None if p is None or half is None else p + half,
        "n": n,
        "small_cell": n < 30,
        "version": version,
    }


def _mean_point(period: str, mean: float, sd: float, n: int) -> dict[str, Any]:
    half = _Z * sd / math.sqrt(n)
    return {
        "period": period,
        "period_start": f"{period}-01",
        "value": mean,
        "ci_low": mean - half,
        "ci_high": mean + half,
        "n": n,
        "small_cell": n < 30,
        "version": "1",
    }


def _overall(series: list[dict[str, Any]]) -> dict[str, Any]:
    pts = [p for p in series if p["value"] is not None]
    n = sum(p["n"] for p in pts)
    value = sum(p["value"] * p["n"] for p in pts) / n
    half = max(p["ci_high"] - p["value"] for p in pts) / math.sqrt(len(pts))
    return {"value": value, "ci_low": value - half, "ci_high": value + half, "n": n}


def _segments_prop(levels: dict[str, tuple[float, int]]) -> list[dict[str, Any]]:
    out = []
    for name, (p, n) in levels.items():
        pt = _prop_point("all", p, n)
        out.append(
            {
                "segment": name,
                "value": p,
                "ci_low": pt["ci_low"],
                "ci_high": pt["ci_high"],
                "n": n,
                "small_cell": n < 30,
            }
        )
    return out


def _definition(version: str, effective_from: str, rule: str, note: str) -> dict[str, Any]:
    return {"version": version, "effective_from": effective_from, "rule": rule, "change_note": note}


def _metric(
    id_: str,
    name: str,
    tier: str,
    unit: str,
    value_unit: str,
    direction: str,
    owner: str,
    rule: str,
    series: list[dict[str, Any]],
    **extra: Any,
) -> dict[str, Any]:
    m: dict[str, Any] = {
        "id": id_,
        "name": name,
        "tier": tier,
        "lens": "customer" if tier != "control" else "business",
        "unit": unit,
        "direction": direction,
        "owner": owner,
        "source": "contact_log",
        "version": "1",
        "rule": rule,
        "definitions": [_definition("1", "2025-01-01", rule, "first definition")],
        "computed": True,
        "not_computed_reason": None,
        "measure": {"kind": id_, "params": {}, "where": {}},
        "value_unit": value_unit,
        "ci_method": "wilson" if value_unit == "proportion" else "t",
        "overall": _overall(series) if series else None,
        "series": series,
        "breaks": [],
        "segments": {},
    }
    m.update(extra)
    return m


def _metrics() -> list[dict[str, Any]]:
    # Outcome: definition v1 until 2026-03, v2 (wallet provisioning counts) from 2026-04: a visible step.
    outcome_series = [
        _prop_point(
            m,
            0.70 + 0.006 * i + 0.008 * math.sin(i) + (0.03 if i >= 9 else 0.0),
            1800 + 40 * i,
            "2" if i >= 9 else "1",
        )
        for i, m in enumerate(_MONTHS)
    ]
    rule_v1 = "share of replacement requests with a working card within 5 days and no repeat contact"
    rule_v2 = "as version 1, but digital wallet provisioning counts as the first authorised use"
    outcome = _metric(
        "card_working_5d",
        "Replacement card working within 5 days, no repeat contact",
        "outcome",
        "ratio",
        "proportion",
        "increase",
        "Head of Card Servicing",
        rule_v2,
        outcome_series,
        version="2",
        definitions=[
            _definition("1", "2025-01-01", rule_v1, "first definition"),
            _definition("2", "2026-04-01", rule_v2, "wallet provisioning now counts as working"),
        ],
        breaks=[
            {
                "date": "2026-04-01",
                "period": "2026-04",
                "from_version": "1",
                "to_version": "2",
                "change_note": "wallet provisioning now counts as working",
            }
        ],
        segments={
            "channel": _segments_prop({"phone": (0.74, 9800), "chat": (0.79, 6100), "app": (0.83, 5200)}),
        },
    )
    repeat_series = [
        _prop_point(m, 0.23 - 0.005 * i + 0.006 * math.cos(i), 2400 + 30 * i) for i, m in enumerate(_MONTHS)
    ]
    repeat = _metric(
        "repeat_contact_7d",
        "Repeat contact rate within 7 days",
        "driver",
        "ratio",
        "proportion",
        "decrease",
        "Contact Centre Performance Lead",
        "share of card contacts followed by a same-reason contact within 7 days",
        repeat_series,
        segments={
            "channel": _segments_prop({"phone": (0.21, 14100), "chat": (0.17, 9300), "email": (0.26, 4100)}),
            "site": _segments_prop(
                {
                    "Leeds": (0.19, 8800),
                    "Glasgow": (0.2, 9900),
                    "Cardiff": (0.18, 8700),
                    "Belfast pilot": (0.25, 24),
                }
            ),
        },
    )
    nps_series = [
        _mean_point(m, 18 + 1.2 * i + 3 * math.sin(2 * i), 62.0, 300 + 10 * i) for i, m in enumerate(_MONTHS)
    ]
    nps_series[4].update({"value": None, "ci_low": None, "ci_high": None, "n": 0})  # survey outage
    nps = _metric(
        "nps_card",
        "NPS after card contact",
        "driver",
        "NPS",
        "nps points",
        "increase",
        "Voice of the Customer Manager",
        "promoters minus detractors, percent of survey answers",
        nps_series,
        ci_method="delta",
    )
    aht_series = [
        _mean_point(m, 410 + 12 * math.sin(i / 2) - 2 * i, 210.0, 5000 + 80 * i)
        for i, m in enumerate(_MONTHS)
    ]
    aht = _metric(
        "aht",
        "Average handle time",
        "control",
        "seconds",
        "seconds",
        "decrease",
        "Workforce Planning Manager",
        "talk + hold + wrap time per handled contact",
        aht_series,
    )
    sl_series = [
        _prop_point(m, 0.78 + 0.02 * math.sin(i / 1.5), 30000 + 300 * i) for i, m in enumerate(_MONTHS)
    ]
    service_level = _metric(
        "service_level",
        "Service level, answered within 20 s",
        "control",
        "ratio",
        "proportion",
        "increase",
        "Workforce Planning Manager",
        "calls answered within 20 s divided by calls offered, abandons included",
        sl_series,
    )
    cost = _metric(
        "cost_per_request",
        "Cost to serve per replacement request",
        "control",
        "GBP",
        "currency",
        "decrease",
        "Finance Business Partner, Operations",
        "assisted minutes times loaded cost per minute plus production and postage, per request",
        [],
        computed=False,
        not_computed_reason="the data has no 'cost' column: map one in data.columns to compute this metric",
        measure=None,
        ci_method=None,
        overall=None,
    )
    return [outcome, repeat, nps, aht, service_level, cost]


def _verdict_success() -> dict[str, Any]:
    return {
        "experiment": "proactive_sms",
        "design": "ab_test",
        "decision": "success",
        "effects": [
            {
                "metric": "repeat_contact_7d",
                "version": "1",
                "role": "primary",
                "arm": "sms",
                "estimate": -0.0312,
                "ci_low": -0.0421,
                "ci_high": -0.0203,
                "relative": -0.148,
                "relative_ci_low": -0.197,
                "relative_ci_high": -0.099,
                "pvalue": 1.9e-8,
                "pvalue_adjusted": 3.8e-8,
                "direction": "decrease",
                "status": "better",
            },
            {
                "metric": "nps_card",
                "version": "1",
                "role": "secondary",
                "arm": "sms",
                "estimate": 2.1,
                "ci_low": -0.8,
                "ci_high": 5.0,
                "relative": 0.081,
                "relative_ci_low": -0.03,
                "relative_ci_high": 0.19,
                "pvalue": 0.155,
                "pvalue_adjusted": 0.31,
                "direction": "increase",
                "status": "no detectable change",
            },
            {
                "metric": "aht",
                "version": "1",
                "role": "guardrail",
                "arm": "sms",
                "estimate": 3.4,
                "ci_low": -2.2,
                "ci_high": 9.0,
                "relative": 0.0085,
                "relative_ci_low": -0.0055,
                "relative_ci_high": 0.0225,
                "pvalue": 0.23,
                "pvalue_adjusted": None,
                "direction": "decrease",
                "status": "pass",
            },
        ],
        "srm": {
            "arms": ["control", "sms"],
            "counts": [20113, 20024],
            "expected": [20068.5, 20068.5],
            "statistic": 0.197,
            "df": 1.0,
            "pvalue": 0.657,
            "ok": True,
            "threshold": 0.001,
        },
        "criterion": "primary metric improves at alpha 0.05 and no guardrail is harmed",
        "criterion_met": True,
        "notes": ["Holm correction across 2 non-guardrail metrics."],
        "summary": (
            "Proactive dispatch SMS cut the 7-day repeat contact rate by 3.1 percentage points "
            "(95% CI 2.0 to 4.2), about 15% fewer repeats; handle time was not harmed. Ship it."
        ),
    }


def _verdict_blocked() -> dict[str, Any]:
    return {
        "experiment": "app_banner",
        "design": "ab_test",
        "decision": "blocked",
        "effects": [
            {
                "metric": "card_working_5d",
                "version": "2",
                "role": "primary",
                "arm": "banner",
                "estimate": 0.012,
                "ci_low": -0.004,
                "ci_high": 0.028,
                "relative": None,
                "relative_ci_low": None,
                "relative_ci_high": None,
                "pvalue": 0.14,
                "pvalue_adjusted": None,
                "direction": "increase",
                "status": "no detectable change",
            }
        ],
        "srm": {
            "arms": ["control", "banner"],
            "counts": [10512, 9488],
            "expected": [10000.0, 10000.0],
            "statistic": 52.4,
            "df": 1.0,
            "pvalue": 4.5e-13,
            "ok": False,
            "threshold": 0.001,
        },
        "criterion": "primary metric improves at alpha 0.05",
        "criterion_met": None,
        "notes": ["Sample ratio mismatch: check the assignment and logging before reading any effect."],
        "summary": "No verdict: the arms are not the sizes the design planned (p < 0.001), so the comparison "
        "is not trustworthy.",
    }


def _verdict_wedge() -> dict[str, Any]:
    return {
        "experiment": "new_ivr_rollout",
        "design": "stepped_wedge",
        "decision": "success",
        "effects": [
            {
                "metric": "repeat_contact_7d",
                "version": "1",
                "role": "primary",
                "arm": None,
                "estimate": -0.021,
                "ci_low": -0.029,
                "ci_high": -0.013,
                "relative": None,
                "relative_ci_low": None,
                "relative_ci_high": None,
                "pvalue": 2.0e-7,
                "pvalue_adjusted": None,
                "direction": "decrease",
                "status": "better",
            },
            {
                "metric": "service_level",
                "version": "1",
                "role": "guardrail",
                "arm": None,
                "estimate": -0.004,
                "ci_low": -0.011,
                "ci_high": 0.003,
                "relative": None,
                "relative_ci_low": None,
                "relative_ci_high": None,
                "pvalue": 0.27,
                "pvalue_adjusted": None,
                "direction": "increase",
                "status": "pass",
            },
        ],
        "srm": None,
        "criterion": None,
        "criterion_met": None,
        "notes": [
            "Site and period fixed effects; cluster-robust CI by site (4 clusters: interpret with care)."
        ],
        "summary": "Rolling out the new IVR cut repeat contacts by 2.1 percentage points (95% CI 1.3 to 2.9) "
        "across the four sites, without hurting service level.",
    }


def _control_charts() -> list[dict[str, Any]]:
    weeks = [f"2026-W{w:02d}" for w in range(1, 21)]
    # A process shift in the fraud queue from week 13: handle time jumps by ~60 s.
    values = [402 + 9 * math.sin(1.7 * i) + (62 if i >= 12 else 0) for i in range(20)]
    center, sigma = 402.0, 11.0
    points = []
    signals = []
    for i, (label, v) in enumerate(zip(weeks, values)):
        rules = []
        if v > center + 3 * sigma:
            rules.append("rule1")
        if i >= 19:
            rules.append("rule2")
        points.append(
            {
                "label": label,
                "value": v,
                "ucl": center + 3 * sigma,
                "lcl": center - 3 * sigma,
                "signals": rules,
            }
        )
        for r in rules:
            signals.append(
                {
                    "index": i,
                    "label": label,
                    "rule": r,
                    "description": "a point beyond the 3-sigma limits"
                    if r == "rule1"
                    else "eight points in a row on one side of the centre line",
                }
            )
    # A p chart whose limits vary with each week's volume, in control.
    sl_points = []
    for i, label in enumerate(weeks):
        n = 6000 + 400 * (i % 5)
        p = 0.79 + 0.006 * math.sin(i)
        half = 3 * math.sqrt(0.79 * 0.21 / n)
        sl_points.append({"label": label, "value": p, "ucl": 0.79 + half, "lcl": 0.79 - half, "signals": []})
    return [
        {
            "id": "aht_fraud_queue",
            "metric": "aht",
            "segment": "queue=cards-fraud",
            "period": "week",
            "chart": "xmr",
            "center": center,
            "sigma": sigma,
            "baseline": [0, 12],
            "points": points,
            "signals": signals,
        },
        {
            "id": "service_level_all",
            "metric": "service_level",
            "segment": None,
            "period": "week",
            "chart": "p",
            "center": 0.79,
            "sigma": None,
            "baseline": [0, 20],
            "points": sl_points,
            "signals": [],
        },
    ]


def sample_results() -> dict[str, Any]:
    """A fresh, schema-valid results dict (a new object each call, so tests may mutate it)."""
    return {
        "schema_version": "1",
        "missionkit_version": "0.1.0",
        "generated_at": "2026-07-02T08:15:00Z",
        "spec": {
            "source": "examples/missions/bank_card_replacement.yaml",
            "sha256": "3f5a0c2e9b7d41e8a6c0f2d9e4b1a7c35d8e6f0a1b2c3d4e5f60718293a4b5c6",
            "issues": [
                {
                    "path": "metrics[5].source",
                    "severity": "warning",
                    "message": "source 'finance.cost_allocation' is not in the data dictionary",
                }
            ],
        },
        "mission": {
            "name": "Card replacement without chasing",
            "segment": "Retail current-account holders with a lost, stolen or damaged debit card",
            "situation": "cannot pay or withdraw cash until a replacement card arrives and works",
            "desired_progress": "Pay with a working replacement card without having to contact us again",
            "time_to_value": "P5D",
            "outcome": "card_working_5d",
            "sentence": (
                "Retail current-account holders with a lost, stolen or damaged debit card, who cannot pay or "
                "withdraw cash until a replacement card arrives and works, want to pay with a working "
                "replacement card without having to contact us again within 5 days."
            ),
        },
        "data": {
            "source": "contacts.parquet",
            "rows_read": 412_873,
            "accepted": 409_118,
            "quarantined": 3_755,
            "quarantine": [
                {"reason": "end before start", "rows": 1_204},
                {"reason": "missing customer id", "rows": 2_311},
                {"reason": "timestamp outside the period", "rows": 240},
            ],
            "period_start": "2025-07-01",
            "period_end": "2026-06-30",
            "time_zone": "Europe/London",
        },
        "analysis": {"period": "month", "segments": ["channel", "site"], "alpha": 0.05},
        "metrics": _metrics(),
        "tree": [
            {"from": "repeat_contact_7d", "to": "card_working_5d", "kind": "influence", "sign": -1},
            {"from": "nps_card", "to": "card_working_5d", "kind": "influence", "sign": 1},
            {"from": "service_level", "to": "repeat_contact_7d", "kind": "influence", "sign": -1},
            {"from": "aht", "to": "service_level", "kind": "influence", "sign": -1},
            {"from": "cost_per_request", "to": "card_working_5d", "kind": "tradeoff", "sign": None},
        ],
        "okrs": [
            {
                "objective": "Replacement cards just work, first time",
                "owner": "Head of Card Servicing",
                "score": 0.52,
                "key_results": [
                    {
                        "metric": "card_working_5d",
                        "metric_version": "2",
                        "baseline": 0.71,
                        "target": 0.82,
                        "stretch": 0.88,
                        "due": "2026-12-31",
                        "current": 0.802,
                        "score": 0.84,
                        "band": "target",
                    },
                    {
                        "metric": "repeat_contact_7d",
                        "metric_version": "1",
                        "baseline": 0.24,
                        "target": 0.16,
                        "stretch": None,
                        "due": "2026-12-31",
                        "current": 0.19,
                        "score": 0.5,
                        "band": "commit",
                    },
                ],
            },
            {
                "objective": "Customers rate the card journey highly",
                "owner": "Voice of the Customer Manager",
                "score": None,
                "key_results": [
                    {
                        "metric": "nps_card",
                        "metric_version": "1",
                        "baseline": 20.0,
                        "target": 40.0,
                        "stretch": 50.0,
                        "due": "2026-09-30",
                        "current": 24.1,
                        "score": 0.2,
                        "band": "fail",
                    },
                    {
                        "metric": "cost_per_request",
                        "metric_version": "1",
                        "baseline": 14.5,
                        "target": 12.0,
                        "stretch": None,
                        "due": "2026-12-31",
                        "current": None,
                        "score": None,
                        "band": None,
                    },
                ],
            },
        ],
        "experiments": [
            {
                "id": "proactive_sms",
                "design": "ab_test",
                "hypothesis": "Texting customers when their card is dispatched cuts 'where is my card' "
                "repeats",
                "status": "analysed",
                "reason": None,
                "verdict": _verdict_success(),
                "details": {"unit": "customer", "arms": {"control": 0.5, "sms": 0.5}, "days": 28},
            },
            {
                "id": "app_banner",
                "design": "ab_test",
                "hypothesis": "An in-app banner about wallet provisioning gets cards working sooner",
                "status": "analysed",
                "reason": None,
                "verdict": _verdict_blocked(),
                "details": {"unit": "customer", "arms": {"control": 0.5, "banner": 0.5}},
            },
            {
                "id": "new_ivr_rollout",
                "design": "stepped_wedge",
                "hypothesis": "The new card IVR menu routes card contacts right first time",
                "status": "analysed",
                "reason": None,
                "verdict": _verdict_wedge(),
                "details": {
                    "clusters": 4,
                    "steps": 4,
                    "icc": 0.012,
                    "schedule": ["Leeds", "Glasgow", "Cardiff", "Belfast"],
                },
            },
            {
                "id": "wallet_launch_its",
                "design": "its",
                "hypothesis": "Launching wallet provisioning lifted the working-card rate",
                "status": "skipped",
                "reason": "needs at least 8 periods before the intervention; the data has 3",
                "verdict": None,
                "details": {},
            },
        ],
        "control_charts": _control_charts(),
        "tables": {
            "metric_series": "tables/metric_series.parquet",
            "metric_segments": "tables/metric_segments.parquet",
            "quarantine": "tables/quarantine.parquet",
        },
        "warnings": ["NPS for 2025-11 is undefined: no survey answers that month (survey outage)."],
    }
