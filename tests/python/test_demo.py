"""The synthetic data generator: deterministic, and its planted truth is what the measures find."""

from __future__ import annotations

import numpy as np
import pytest

import missionkit as mk


@pytest.fixture(scope="module")
def data() -> mk.demo.DemoData:
    return mk.demo.generate(60_000, seed=11)


def test_deterministic_by_seed(data: mk.demo.DemoData) -> None:
    again = mk.demo.generate(60_000, seed=11)
    for name, column in data.columns.items():
        np.testing.assert_array_equal(column, again.columns[name], err_msg=name)
    other = mk.demo.generate(60_000, seed=12)
    assert not np.array_equal(data.columns["start"][:1000], other.columns["start"][:1000])


def test_planted_defects_are_quarantined_exactly(data: mk.demo.DemoData) -> None:
    log = data.contact_log()
    counts = {k: v for k, v in log.quarantine_counts.items() if v}
    assert counts == data.truth.defects
    assert len(log) + sum(counts.values()) == log.rows_read == len(data)


def test_same_log_from_pandas_and_arrow(data: mk.demo.DemoData) -> None:
    a = data.contact_log()
    b = mk.ContactLog.from_frame(data.to_pandas(), **data.mapping, channels=list(mk.demo.CHANNELS))
    assert len(a) == len(b)
    assert a.fcr().numerator == b.fcr().numerator


def test_process_shift_is_recovered(data: mk.demo.DemoData) -> None:
    # Mean handle time of answered contacts in the shifted queue, before vs after the shift date.
    t = data.truth
    log = data.contact_log()
    table = log.aht(by="queue", period="day")
    q = table[table["queue"] == t.shift_queue]
    before = q[q["period"] < t.shift_date]
    after = q[q["period"] >= t.shift_date]
    ratio = (after["numerator"].sum() / after["n"].sum()) / (before["numerator"].sum() / before["n"].sum())
    assert ratio == pytest.approx(t.shift_factor, rel=0.06)


def test_rollout_lowers_repeats_after_go_live(data: mk.demo.DemoData) -> None:
    # Repeat rate by site and month: in every site, the months after go-live repeat less than before.
    log = data.contact_log()
    table = log.repeat_rate(by="site", period="month")
    for site, go_live in data.truth.rollout_sites.items():
        rows = table[table["site"] == site]
        pre = rows[rows["period"] < go_live[:7]]
        post = rows[rows["period"] >= go_live[:7]]
        if pre.empty or post.empty:
            continue
        assert (
            post["numerator"].sum() / post["denominator"].sum()
            < pre["numerator"].sum() / pre["denominator"].sum()
        )


def test_truth_serialises(data: mk.demo.DemoData) -> None:
    d = data.truth.to_dict()
    assert d["shift_queue"] == "payments" and len(d["rollout_sites"]) == 6
    with pytest.raises(ValueError, match="at least 1000"):
        mk.demo.generate(10)
