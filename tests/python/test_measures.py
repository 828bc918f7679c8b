"""CX measures checked against independent implementations written here in pandas (self-joins and plain
loops, not the engine's algorithm), with intervals from statsmodels and scipy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from statsmodels.stats.proportion import proportion_confint

import missionkit as mk

DAY = 86400


def make_log_frame(n: int = 3000, customers: int = 400, seed: int = 7) -> pd.DataFrame:
    """Contacts over ~60 days with the edge cases that break CX code: same-second contacts and exact ties,
    contacts at local midnight and across the March DST change, customers with one contact, windows that
    run past the end of the data, overlapping contacts."""
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp("2026-02-20T00:00:00Z")
    start_s = np.sort(rng.integers(0, 60 * DAY, n))
    # Ties and same-second contacts: copy some start times onto the next contact.
    dup = rng.random(n) < 0.05
    start_s[1:][dup[1:]] = start_s[:-1][dup[1:]]
    start_s = np.sort(start_s)
    # A cluster around the Europe/London DST change (2026-03-29 01:00Z) and at UTC midnight.
    special = rng.choice(n, 40, replace=False)
    dst = int((pd.Timestamp("2026-03-29T01:00:00Z") - t0).total_seconds())
    start_s[special[:20]] = dst + rng.integers(-5400, 5400, 20)
    start_s[special[20:]] = 10 * DAY + rng.integers(-2, 2, 20)
    customer = rng.zipf(1.6, n) % customers
    customer[:25] = customers + np.arange(25)  # single-contact customers
    duration = rng.gamma(2.0, 200.0, n)
    duration[rng.random(n) < 0.02] = 3 * DAY  # a few very long (overlapping) cases
    start = t0 + pd.to_timedelta(start_s, unit="s")
    frame = pd.DataFrame(
        {
            "cust": customer.astype(np.int64),
            "start": start,
            "end": start + pd.to_timedelta(np.round(duration), unit="s"),
            "channel": rng.choice(["phone", "chat", "email", "app"], n, p=[0.5, 0.2, 0.1, 0.2]),
            "reason": rng.choice(["billing", "card", "fraud", "tech"], n),
            "answered": rng.random(n) > 0.08,
            "wait": np.round(rng.exponential(25.0, n), 1),
            "handle": np.round(duration, 3),
            "cost": np.round(rng.gamma(3.0, 2.5, n), 2),
            "csat": np.where(rng.random(n) < 0.3, rng.integers(1, 6, n), np.nan),
            "nps": np.where(rng.random(n) < 0.25, rng.integers(0, 11, n), np.nan),
            "ces": np.where(rng.random(n) < 0.2, rng.integers(1, 8, n), np.nan),
        }
    )
    frame["abandoned"] = ~frame["answered"]
    return frame.sample(frac=1.0, random_state=3).reset_index(drop=True)  # input order is not time order


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return make_log_frame()


#: Roles of make_log_frame's columns, as ContactLog.from_frame takes them (shared by the measure tests).
LOG_ROLES = {
    "customer": "cust",
    "start": "start",
    "end": "end",
    "channel": "channel",
    "reason": "reason",
    "answered": "answered",
    "abandoned": "abandoned",
    "wait": "wait",
    "handle": "handle",
    "cost": "cost",
    "csat": "csat",
    "nps": "nps",
    "ces": "ces",
}


@pytest.fixture(scope="module")
def log(frame: pd.DataFrame) -> Any:
    return mk.ContactLog.from_frame(frame, **LOG_ROLES)


def ref_repeats(
    frame: pd.DataFrame,
    window_s: float,
    same_reason: bool = True,
    anchor: str = "end",
    channels: str = "any",
    data_end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Per contact: repeated / censored / is_repeat, by a self-join on customer (and reason / channel)."""
    d = frame.copy()
    d["row"] = np.arange(len(d))
    d = d.sort_values(["cust", "start", "row"])
    d["ord"] = d.groupby("cust").cumcount()
    d["anchor"] = d[anchor]
    window = pd.Timedelta(seconds=window_s)
    keys = ["cust"] + (["reason"] if same_reason else []) + (["channel"] if channels == "same" else [])
    pairs = d[[*keys, "row", "ord", "anchor", "start"]].merge(
        d[[*keys, "row", "ord", "start"]], on=keys, suffixes=("", "_later")
    )
    pairs = pairs[pairs["ord_later"] > pairs["ord"]]
    hits = pairs[pairs["start_later"] <= pairs["anchor"] + window]
    end = d["start"].max() if data_end is None else data_end
    d["repeated"] = d["row"].isin(hits["row"])
    d["is_repeat"] = d["row"].isin(hits["row_later"])
    d["censored"] = ~d["repeated"] & (d["anchor"] + window > end)
    return d.sort_values("row")


def wilson(k: float, n: float) -> tuple[float, float]:
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    return float(lo), float(hi)


def t_interval(x: np.ndarray) -> tuple[float, float]:
    lo, hi = scipy.stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=x.std(ddof=1) / np.sqrt(len(x)))
    return float(lo), float(hi)


def test_accepts_every_row(log: Any, frame: pd.DataFrame) -> None:
    assert len(log) == len(frame) and log.rows_read == len(frame)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"same_reason": False},
        {"anchor": "start"},
        {"channels": "same"},
        {"window": "2D"},
        {"window": 3600},
        {"data_end": pd.Timestamp("2026-04-01T00:00:00Z")},
    ],
    ids=["default", "any_reason", "anchor_start", "same_channel", "2_days", "1_hour", "data_end"],
)
def test_fcr_and_repeat_rate_match_self_join(log: Any, frame: pd.DataFrame, kwargs: dict[str, Any]) -> None:
    window = mk.measures.to_seconds(kwargs.get("window", "7D"), "window")
    ref = ref_repeats(
        frame,
        window,
        kwargs.get("same_reason", True),
        kwargs.get("anchor", "end"),
        kwargs.get("channels", "any"),
        kwargs.get("data_end"),
    )
    got = log.fcr(**kwargs)
    uncensored = ref[~ref["censored"]]
    resolved = int((~uncensored["repeated"]).sum())
    assert (got.numerator, got.denominator, got.censored) == (
        resolved,
        len(uncensored),
        int(ref["censored"].sum()),
    )
    assert got.value == pytest.approx(resolved / len(uncensored), rel=1e-15)
    assert got.ci == pytest.approx(wilson(resolved, len(uncensored)), rel=1e-12)
    rr_kwargs = {k: v for k, v in kwargs.items() if k != "data_end"}
    rr = log.repeat_rate(**rr_kwargs)
    ref_rr = ref_repeats(
        frame,
        window,
        kwargs.get("same_reason", True),
        kwargs.get("anchor", "end"),
        kwargs.get("channels", "any"),
    )
    assert (rr.numerator, rr.denominator) == (int(ref_rr["is_repeat"].sum()), len(ref_rr))


def test_fcr_censoring_include_counts_censored_as_resolved(log: Any, frame: pd.DataFrame) -> None:
    ref = ref_repeats(frame, 7 * DAY)
    got = log.fcr(censoring="include")
    assert (got.numerator, got.denominator) == (int((~ref["repeated"]).sum()), len(ref))


@pytest.mark.parametrize(
    ("period", "tz"),
    [
        ("month", "UTC"),
        ("week", "UTC"),
        ("day", "Europe/London"),
        ("month", "America/New_York"),
        ("quarter", "Asia/Kolkata"),
    ],
)
def test_fcr_by_channel_and_period(log: Any, frame: pd.DataFrame, period: str, tz: str) -> None:
    ref = ref_repeats(frame, 7 * DAY)
    local = ref["start"].dt.tz_convert(tz)
    if period == "week":
        iso = local.dt.isocalendar()
        ref["period"] = iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2)
    elif period == "day":
        ref["period"] = local.dt.strftime("%Y-%m-%d")
    elif period == "month":
        ref["period"] = local.dt.strftime("%Y-%m")
    else:
        ref["period"] = local.dt.year.astype(str) + "-Q" + local.dt.quarter.astype(str)
    ok = ref[~ref["censored"]]
    want = (
        ok.groupby(["channel", "period"])["repeated"].agg(denominator="count", repeated="sum").reset_index()
    )
    want["numerator"] = want["denominator"] - want["repeated"]
    cens = ref.groupby(["channel", "period"])["censored"].sum()
    got = log.fcr(by="channel", period=period, tz=tz)
    assert list(got.columns[:2]) == ["channel", "period"]
    merged = got.merge(want, on=["channel", "period"], how="outer", suffixes=("", "_ref"))
    merged = merged.fillna({"denominator_ref": 0, "numerator_ref": 0})
    assert (merged["numerator"] == merged["numerator_ref"]).all()
    assert (merged["denominator"] == merged["denominator_ref"]).all()
    assert (
        got.set_index(["channel", "period"])["censored"]
        == cens.reindex(got.set_index(["channel", "period"]).index)
    ).all()
    assert got["small_cell"].tolist() == (got["n"] < 30).tolist()


def test_service_level_conventions(log: Any, frame: pd.DataFrame) -> None:
    ans, ab, wait = frame["answered"], frame["abandoned"] & ~frame["answered"], frame["wait"]
    met = ans & (wait <= 20)
    short = ab & (wait < 5)
    offered = ans | ab
    expected = {
        "answered": (met.sum(), ans.sum()),
        "offered": (met.sum(), offered.sum()),
        "offered_excl_short_abandons": (met.sum(), offered.sum() - short.sum()),
        "short_abandons_as_met": (met.sum() + short.sum(), offered.sum()),
    }
    for convention, (num, den) in expected.items():
        got = log.service_level(20, convention=convention)
        assert (got.numerator, got.denominator) == (num, den), convention
        assert got.ci == pytest.approx(wilson(num, den), rel=1e-12)
    ab_rate = log.abandonment()
    assert (ab_rate.numerator, ab_rate.denominator) == (ab.sum(), offered.sum())
    ab_long = log.abandonment(exclude_short=True)
    assert (ab_long.numerator, ab_long.denominator) == (ab.sum() - short.sum(), offered.sum() - short.sum())
    asa = log.asa()
    assert asa.value == pytest.approx(wait[ans].mean(), rel=1e-12)
    assert asa.ci == pytest.approx(t_interval(wait[ans].to_numpy()), rel=1e-10)


def test_means_and_surveys(log: Any, frame: pd.DataFrame) -> None:
    for measure, column in (
        ("aht", "handle"),
        ("cost_to_serve", "cost"),
        ("csat_mean", "csat"),
        ("ces", "ces"),
    ):
        x = frame[column].dropna().to_numpy()
        got = getattr(log, measure)()
        assert got.n == len(x)
        assert got.value == pytest.approx(x.mean(), rel=1e-12), measure
        assert got.ci == pytest.approx(t_interval(x), rel=1e-10), measure
    csat = frame["csat"].dropna()
    got = log.csat()
    assert (got.numerator, got.denominator) == ((csat >= 4).sum(), len(csat))
    nps = frame["nps"].dropna()
    p, d = (nps >= 9).mean(), (nps <= 6).mean()
    got = log.nps()
    assert got.value == pytest.approx(100 * (p - d), rel=1e-12)
    se = 100 * np.sqrt((p + d - (p - d) ** 2) / len(nps))
    z = scipy.stats.norm.ppf(0.975)
    assert got.ci == pytest.approx((100 * (p - d) - z * se, 100 * (p - d) + z * se), rel=1e-12)


def test_aht_grouped_matches_pandas(log: Any, frame: pd.DataFrame) -> None:
    got = log.aht(by=["channel", "reason"])
    want = frame.groupby(["channel", "reason"])["handle"].agg(["mean", "count"]).reset_index()
    merged = got.merge(want, on=["channel", "reason"])
    assert len(merged) == len(want) == len(got)
    np.testing.assert_allclose(merged["value"], merged["mean"], rtol=1e-12)
    assert (merged["n"] == merged["count"]).all()


def test_failure_demand_and_containment(log: Any, frame: pd.DataFrame) -> None:
    got = log.failure_demand(["card", "fraud"])
    assert (got.numerator, got.denominator) == (frame["reason"].isin(["card", "fraud"]).sum(), len(frame))
    with pytest.raises(ValueError, match="billing"):
        log.failure_demand(["no_such_reason"])
    # Containment by a self-join: a digital contact fails when an assisted contact of the same customer
    # starts later (in start, row order) within 7 days of its end.
    d = frame.copy()
    d["row"] = np.arange(len(d))
    d = d.sort_values(["cust", "start", "row"])
    d["ord"] = d.groupby("cust").cumcount()
    digital = d[d["channel"].isin(["app", "chat"])]
    assisted = d[d["channel"].isin(["phone"])]
    pairs = digital.merge(assisted, on="cust", suffixes=("", "_a"))
    window = pd.Timedelta(days=7)
    fail = pairs[(pairs["ord_a"] > pairs["ord"]) & (pairs["start_a"] <= pairs["end"] + window)][
        "row"
    ].unique()
    failed = digital["row"].isin(fail)
    censored = ~failed & (digital["end"] + window > d["start"].max())
    got = log.containment(["app", "chat"], ["phone"])
    assert (got.numerator, got.denominator, got.censored) == (
        int((~failed & ~censored).sum()),
        int((~censored).sum()),
        int(censored.sum()),
    )


def test_resolution_time_and_repeats_per_issue_by_loop(log: Any, frame: pd.DataFrame) -> None:
    # Plain loops: walk each customer's contacts; an issue continues while the next same-reason contact
    # starts within 7 days of the latest end of the issue's contacts so far.
    window = pd.Timedelta(days=7)
    data_end = frame["start"].max()
    d = frame.assign(row=np.arange(len(frame))).sort_values(["cust", "start", "row"])
    durations, repeats = [], []
    for _, contacts in d.groupby(["cust", "reason"]):
        issue: list[Any] = []
        latest_anchor = None
        for c in contacts.itertuples():
            if issue and c.start <= latest_anchor + window:
                issue.append(c)
                latest_anchor = max(latest_anchor, c.end)
                continue
            if issue:
                durations.append((max(x.end for x in issue) - issue[0].start).total_seconds())
                repeats.append(len(issue) - 1)
            issue, latest_anchor = [c], c.end
        if not (latest_anchor + window > data_end):  # the issue's last window is observed
            durations.append((max(x.end for x in issue) - issue[0].start).total_seconds())
            repeats.append(len(issue) - 1)
    res = log.resolution_time()
    assert res.n == len(durations)
    assert res.value == pytest.approx(np.mean(durations), rel=1e-12)
    rpi = log.repeats_per_issue()
    assert rpi.n == len(repeats)
    assert rpi.value == pytest.approx(np.mean(repeats), rel=1e-12)


def test_outputs_and_errors(log: Any) -> None:
    table = log.fcr(by="channel", output="dict")
    assert set(table) >= {"channel", "value", "ci_low", "ci_high", "ci_method", "n", "censored", "small_cell"}
    assert log.fcr(by="channel", output="polars").shape[0] == 4
    assert log.fcr(by="channel", output="pyarrow").num_rows == 4
    with pytest.raises(ValueError, match="period"):
        log.fcr(period="fortnight")
    with pytest.raises(ValueError, match="window"):
        log.fcr(window="soon")
    with pytest.raises(ValueError, match="queue"):
        log.fcr(by="queue")
    with pytest.raises(ValueError, match="tz database"):
        log.fcr(period="day", tz="Mars/Base")
    assert "fcr:" in repr(log.fcr()) and "wilson" in repr(log.fcr())


def test_threads_do_not_change_results(log: Any) -> None:
    before = mk._core.threads()
    try:
        mk._core.set_threads(1)
        one = log.fcr(by="reason", period="week")
        mk._core.set_threads(3)
        three = log.fcr(by="reason", period="week")
    finally:
        mk._core.set_threads(0 if before == 0 else before)
    pd.testing.assert_frame_equal(one, three)


def test_reported_fcr_and_occupancy(frame: pd.DataFrame) -> None:
    f = frame.copy()
    rng = np.random.default_rng(11)
    f["resolved"] = pd.array(
        np.where(rng.random(len(f)) < 0.3, None, rng.random(len(f)) < 0.8), dtype="boolean"
    )
    log = mk.ContactLog.from_frame(
        f, customer="cust", start="start", end="end", channel="channel", handle="handle", resolved="resolved"
    )
    known = f["resolved"].dropna()
    got = log.fcr_reported()
    assert (got.numerator, got.denominator) == (int(known.sum()), len(known))
    occ = log.occupancy(3.6e6)
    assert occ.value == pytest.approx(f["handle"].sum() / 3.6e6, rel=1e-12)
    staffed = pd.DataFrame(
        {"channel": ["phone", "chat", "email", "app"], "staffed_seconds": [4e6, 2e6, 1e6, 1e6]}
    )
    table = log.occupancy(staffed, by="channel")
    want = f.groupby("channel")["handle"].sum() / staffed.set_index("channel")["staffed_seconds"]
    np.testing.assert_allclose(
        table.set_index("channel")["value"].sort_index(), want.sort_index(), rtol=1e-12
    )
    with pytest.raises(ValueError, match="staffed_seconds"):
        log.occupancy(staffed.iloc[:2], by="channel")


def test_failure_demand_from_spec_and_by_reason(log: Any, frame: pd.DataFrame) -> None:
    from conftest import MINIMAL

    spec = mk.load_spec({**MINIMAL, "failure_demand": ["card", "fraud"]}, strict=True)
    assert spec.failure_demand == ["card", "fraud"]
    overall = log.failure_demand(spec)
    assert (overall.numerator, overall.denominator) == (
        frame["reason"].isin(["card", "fraud"]).sum(),
        len(frame),
    )
    mix = log.failure_demand(spec, by_reason=True)
    want = frame["reason"].value_counts()
    assert sorted(mix["reason"]) == ["card", "fraud"]
    for row in mix.itertuples():
        assert (row.numerator, row.denominator) == (want[row.reason], len(frame))
        lo, hi = wilson(want[row.reason], len(frame))
        assert (row.ci_low, row.ci_high) == pytest.approx((lo, hi), rel=1e-12)
    assert mix["numerator"].sum() == overall.numerator
    by_channel = log.failure_demand(["card"], by_reason=True, by="channel")
    counts = frame.groupby("channel")["reason"].agg(lambda r: (r == "card").sum())
    totals = frame.groupby("channel").size()
    got = by_channel.set_index("channel")
    assert (got["numerator"] == counts.reindex(got.index)).all()
    assert (got["denominator"] == totals.reindex(got.index)).all()
    with pytest.raises(ValueError, match="at least one"):
        log.failure_demand([])


def test_grouped_rows_are_in_label_then_time_order(log: Any) -> None:
    table = log.fcr(by="channel", period="week")
    keys = list(zip(table["channel"], table["period"]))
    assert keys == sorted(keys)
    assert table["channel"].iloc[0] == "app"  # alphabetical, not order of first appearance


def test_partitions_merge_exactly_and_pickle(frame: pd.DataFrame) -> None:
    import pickle

    mapping = {
        "customer": "cust",
        "start": "start",
        "end": "end",
        "channel": "channel",
        "reason": "reason",
        "handle": "handle",
        "nps": "nps",
    }
    whole = mk.ContactLog.from_frame(frame, **mapping)
    parts = [
        mk.ContactLog.from_frame(frame[frame["cust"] % 3 == k].reset_index(drop=True), **mapping)
        for k in range(3)
    ]  # customer partitions, as a Spark job keyed by customer would have
    end = frame["start"].max()
    for measure, kwargs in (("fcr", {"data_end": end}), ("aht", {}), ("nps", {}), ("repeat_rate", {})):
        want = getattr(whole, measure)(by="channel", period="month", **kwargs)
        partials = [
            getattr(p, measure)(by="channel", period="month", output="partial", **kwargs) for p in parts
        ]
        shipped = [pickle.loads(pickle.dumps(p)) for p in partials]  # as between Spark executors
        got = sum(shipped).finish()
        pd.testing.assert_frame_equal(got, want)
    # Without a common data_end each partition censors at its own latest contact: the merge refuses.
    a, b = (p.fcr(output="partial") for p in parts[:2])
    with pytest.raises(ValueError, match="data_end"):
        _ = a + b
    ungrouped = sum(p.aht(output="partial") for p in parts).finish()
    assert ungrouped.value == pytest.approx(frame["handle"].mean(), rel=1e-12)
    assert ungrouped.n == len(frame)
