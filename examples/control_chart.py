"""Worked example: control charts for daily contact-centre metrics, with a phase I baseline and run rules.

Run: .venv/bin/python examples/control_chart.py
"""

import numpy as np
import pandas as pd

import missionkit as mk

rng = np.random.default_rng(11)
days = pd.date_range("2026-01-01", periods=90, freq="D")

# Daily average handle time (seconds) of one queue: stable for 60 days, then a new script adds ~25 s.
aht = pd.Series(420 + rng.normal(0, 12, 90), index=days)
aht.iloc[60:] += 25

# Individuals chart: limits from January and February (phase I), applied to March too (phase II).
cc = mk.ops.control_chart(aht, chart="individuals", baseline=("2026-01-01", "2026-03-01"), rules="nelson")
print(cc.summary())
print()

# Daily service level (answered within 20 s / offered) on a p chart: offered volume varies by day, so the
# limits vary by point, and the rules read standardised values.
offered = rng.integers(800, 1600, 90)
within = rng.binomial(offered, 0.82)
within[75:] = rng.binomial(offered[75:], 0.77)  # an outage in the second half of March
sl = mk.ops.control_chart(pd.Series(within, index=days), chart="p", n=offered, baseline=60)
print(sl.summary())
print()

# What the report renderer consumes: a JSON-ready dict with one entry per point.
d = sl.to_dict()
print({k: d[k] for k in ("chart", "center", "sigma", "baseline")}, f"{len(d['points'])} points")
print(sl.to_frame().tail(3))
