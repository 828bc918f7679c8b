"""Per-unit values (``log.contact_values``): summing them over any grouping reproduces the measure's table,
and on a log small enough to reason about they match values computed in pandas."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_measures import LOG_ROLES, make_log_frame, ref_repeats

import missionkit as mk

DAY = 86400


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    f = make_log_frame(n=1500, customers=200, seed=17)
    f["cust"] = "c" + f["cust"].astype(str)  # string ids come back as given
    f["resolved"] = pd.array(
        np.where(np.arange(len(f)) % 3 == 0, None, np.arange(len(f)) % 2 == 0), "boolean"
    )
    return f


@pytest.fixture(scope="module")
def log(frame: pd.DataFrame) -> Any:
    return mk.ContactLog.from_frame(frame, **LOG_ROLES, resolved="resolved")


CASES: list[tuple[str, dict[str, Any]]] = [
    ("fcr", {}),
    ("fcr", {"window": "2D", "same_reason": False, "censoring": "include"}),
    ("fcr", {"channels": "same", "transfer_gap": "10min"}),
    ("fcr_reported", {}),
    ("repeat_rate", {"anchor": "start"}),
    ("repeats_per_issue", {}),
    ("resolution_time", {"window": "3D"}),
    ("containment", {"digital": ["app", "chat"], "assisted": ["phone"]}),
    ("aht", {}),
    ("service_level", {"threshold": "15s", "convention": "offered_excl_short_abandons"}),
    ("abandonment", {"exclude_short": True}),
    ("asa", {}),
    ("cost_to_serve", {}),
    ("failure_demand", {"reasons": ["card", "fraud"]}),
    ("csat", {"top_box_min": 5}),
    ("csat_mean", {}),
    ("nps", {}),
    ("ces", {}),
]


@pytest.mark.parametrize("where", [None, {"channel": ["chat", "phone"]}], ids=["all", "filtered"])
@pytest.mark.parametrize(("measure", "options"), CASES, ids=[f"{m}-{i}" for i, (m, _) in enumerate(CASES)])
def test_units_sum_to_the_table(
    log: Any, frame: pd.DataFrame, measure: str, options: dict[str, Any], where: Any
) -> None:
    v = log.contact_values(measure, where=where, **options)
    assert set(v) == {"row", "customer", "start", "numerator", "denominator"}
    assert v["row"].dtype == np.int64 and v["start"].dtype == np.dtype("datetime64[us]")
    assert (np.diff(v["row"]) > 0).all()  # ordered by row, one unit per row
    units = frame.iloc[v["row"]].assign(num=v["numerator"], den=v["denominator"])
    scale = 100.0 if measure == "nps" else 1.0  # NPS units are in points; the table counts p - d
    method = getattr(log, measure)
    overall = method(where=where, **options)
    assert units["den"].sum() == overall.denominator
    assert units["num"].sum() / scale == pytest.approx(overall.numerator, rel=1e-12, abs=1e-9)
    assert len(units) == overall.n
    for by in ("channel", ["reason", "channel"]):
        table = method(by=by, where=where, **options)
        keys = [by] if isinstance(by, str) else by
        sums = units.groupby(keys)[["num", "den"]].sum().reset_index()
        merged = table.merge(sums, on=keys, how="left").fillna({"num": 0.0, "den": 0.0})
        assert len(sums) == int((table["n"] > 0).sum())  # every unit is in a group of the table
        np.testing.assert_array_equal(merged["den"], merged["denominator"])
        np.testing.assert_allclose(merged["num"] / scale, merged["numerator"], rtol=1e-12, atol=1e-9)
        nonempty = merged[merged["den"] > 0]
        np.testing.assert_allclose(nonempty["num"] / nonempty["den"], nonempty["value"], rtol=1e-12)


def test_values_match_pandas(log: Any, frame: pd.DataFrame) -> None:
    # FCR per episode from the self-join: uncensored contacts, numerator 1 when not repeated.
    ref = ref_repeats(frame, 7 * DAY)
    ok = ref[~ref["censored"]]
    v = log.contact_values("fcr")
    np.testing.assert_array_equal(v["row"], ok["row"].to_numpy())
    np.testing.assert_array_equal(v["numerator"], (~ok["repeated"]).to_numpy(dtype=float))
    assert (v["denominator"] == 1).all()
    assert v["customer"].dtype == object
    assert list(v["customer"]) == list(frame["cust"].iloc[v["row"]])
    np.testing.assert_array_equal(
        v["start"], frame["start"].iloc[v["row"]].dt.tz_convert(None).to_numpy().astype("datetime64[us]")
    )
    # Per-contact means: the value itself (handle has 3 decimals: exact in 1e-6 units).
    aht = log.contact_values("aht", where={"channel": "email"})
    email = frame.index[frame["channel"] == "email"].to_numpy()
    np.testing.assert_array_equal(aht["row"], email)
    np.testing.assert_allclose(aht["numerator"], frame["handle"].to_numpy()[email], rtol=0, atol=5e-7)
    # NPS: +100 / 0 / -100 per response.
    nps = log.contact_values("nps")
    scores = frame["nps"].dropna()
    np.testing.assert_array_equal(nps["row"], scores.index.to_numpy())
    np.testing.assert_array_equal(
        nps["numerator"], np.select([scores >= 9, scores >= 7], [100.0, 0.0], -100.0)
    )


def test_integer_customer_ids_come_back_as_integers() -> None:
    f = make_log_frame(n=200, customers=30, seed=3)
    log = mk.ContactLog.from_frame(f, customer="cust", start="start", end="end", reason="reason")
    v = log.contact_values("repeat_rate")
    assert v["customer"].dtype == np.int64
    np.testing.assert_array_equal(v["customer"], f["cust"].to_numpy()[v["row"]])
    np.testing.assert_array_equal(v["row"], np.arange(len(f)))


def test_errors(log: Any) -> None:
    with pytest.raises(ValueError, match="unknown measure 'occupancy'"):
        log.contact_values("occupancy")
    with pytest.raises(ValueError, match="by do not apply"):
        log.contact_values("aht", by="channel")
    with pytest.raises(ValueError, match="by_reason"):
        log.contact_values("failure_demand", reasons=["card"], by_reason=True)
    with pytest.raises(TypeError, match="windw"):
        log.contact_values("fcr", windw="7D")
    with pytest.raises(ValueError, match="window"):
        log.contact_values("fcr", window="soon")
    with pytest.raises(ValueError, match="does not occur"):
        log.contact_values("fcr", where={"reason": "bililng"})
