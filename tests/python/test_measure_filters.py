"""Row filters (``where=``) checked against pandas: the units are selected on the filtered dimension, while
for the episode measures the repeats are found by a self-join over ALL of the customer's contacts."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_measures import LOG_ROLES, make_log_frame, ref_repeats, wilson

import missionkit as mk

DAY = 86400


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    f = make_log_frame(n=2500, customers=300, seed=21)
    rng = np.random.default_rng(5)
    f["queue"] = np.where(rng.random(len(f)) < 0.1, None, rng.choice(["q1", "q2", "q3"], len(f)))
    f["site"] = rng.choice(["north", "south"], len(f))
    return f


@pytest.fixture(scope="module")
def log(frame: pd.DataFrame) -> Any:
    return mk.ContactLog.from_frame(frame, **LOG_ROLES, queue="queue", site="site")


def mask_of(frame: pd.DataFrame, where: dict[str, Any]) -> pd.Series:
    """Rows whose label is one of the filter's values in every dimension (a missing label never is)."""
    keep = pd.Series(True, index=frame.index)
    for dim, values in where.items():
        values = [values] if isinstance(values, str) else list(values)
        keep &= frame[dim].isin(values)
    return keep


WHERES = [
    {"channel": "chat"},
    {"channel": ["chat", "app"]},
    {"queue": "q1"},
    {"channel": "phone", "reason": ["billing", "card"]},
]


@pytest.mark.parametrize("where", WHERES, ids=["chat", "digital", "queue", "phone_billing_card"])
@pytest.mark.parametrize(
    "kwargs", [{}, {"same_reason": False}, {"channels": "same"}], ids=["default", "any_reason", "same_ch"]
)
def test_fcr_and_repeat_rate_filtered(
    log: Any, frame: pd.DataFrame, where: dict[str, Any], kwargs: dict[str, Any]
) -> None:
    ref = ref_repeats(frame, 7 * DAY, kwargs.get("same_reason", True), "end", kwargs.get("channels", "any"))
    units = ref[mask_of(ref, where)]
    ok = units[~units["censored"]]
    resolved = int((~ok["repeated"]).sum())
    got = log.fcr(where=where, **kwargs)
    assert (got.numerator, got.denominator, got.censored) == (resolved, len(ok), int(units["censored"].sum()))
    assert got.ci == pytest.approx(wilson(resolved, len(ok)), rel=1e-12)
    rr = log.repeat_rate(where=where, **kwargs)
    assert (rr.numerator, rr.denominator) == (int(units["is_repeat"].sum()), len(units))


def test_repeats_in_other_channels_and_queues_count(log: Any, frame: pd.DataFrame) -> None:
    # Filtering the data first (what a user would do by hand) loses the repeats made through other
    # channels; the filter must not.
    for where in ({"channel": "chat"}, {"queue": "q2"}):
        mask = mask_of(frame, where)
        pre_filtered = ref_repeats(frame[mask].reset_index(drop=True), 7 * DAY)
        full = ref_repeats(frame, 7 * DAY)[mask.to_numpy()]
        assert full["repeated"].sum() > pre_filtered["repeated"].sum()  # the case is in the data
        got = log.fcr(where=where, censoring="include")
        assert got.numerator == int((~full["repeated"]).sum())
        assert got.numerator != int((~pre_filtered["repeated"]).sum())


def test_fcr_filtered_by_reason_and_month(log: Any, frame: pd.DataFrame) -> None:
    ref = ref_repeats(frame, 7 * DAY)
    ref["period"] = ref["start"].dt.strftime("%Y-%m")
    units = ref[mask_of(ref, {"channel": ["phone", "email"]})]
    ok = units[~units["censored"]]
    want = ok.groupby(["reason", "period"])["repeated"].agg(denominator="count", repeated="sum").reset_index()
    want["numerator"] = want["denominator"] - want["repeated"]
    got = log.fcr(by="reason", period="month", where={"channel": ["phone", "email"]})
    merged = got.merge(want, on=["reason", "period"], how="outer", suffixes=("", "_ref"), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["numerator"] == merged["numerator_ref"]).all()
    assert (merged["denominator"] == merged["denominator_ref"]).all()
    # Grouping by the filtered dimension gives only the kept labels.
    by_channel = log.fcr(by="channel", where={"channel": ["phone", "email"]})
    assert sorted(by_channel["channel"]) == ["email", "phone"]


def issues_by_loop(frame: pd.DataFrame) -> pd.DataFrame:
    """Issues by plain loops over each customer's same-reason contacts (as in test_measures): one row per
    uncensored issue with its first contact's row, duration and repeats."""
    window = pd.Timedelta(days=7)
    data_end = frame["start"].max()
    d = frame.assign(row=np.arange(len(frame))).sort_values(["cust", "start", "row"])
    out: list[dict[str, Any]] = []

    def close(issue: list[Any]) -> None:
        out.append(
            {
                "row": issue[0].row,
                "seconds": (max(x.end for x in issue) - issue[0].start).total_seconds(),
                "repeats": len(issue) - 1,
            }
        )

    for _, contacts in d.groupby(["cust", "reason"]):
        issue: list[Any] = []
        latest_anchor = None
        for c in contacts.itertuples():
            if issue and c.start <= latest_anchor + window:
                issue.append(c)
                latest_anchor = max(latest_anchor, c.end)
                continue
            if issue:
                close(issue)
            issue, latest_anchor = [c], c.end
        if not (latest_anchor + window > data_end):
            close(issue)
    return pd.DataFrame(out)


def test_issue_measures_filter_the_first_contact(log: Any, frame: pd.DataFrame) -> None:
    issues = issues_by_loop(frame)
    for where in ({"channel": "chat"}, {"queue": ["q1", "q3"], "site": "north"}):
        first_ok = mask_of(frame, where).to_numpy()[issues["row"].to_numpy()]
        kept = issues[first_ok]
        res = log.resolution_time(where=where)
        assert res.n == len(kept)
        assert res.value == pytest.approx(kept["seconds"].mean(), rel=1e-12)
        rpi = log.repeats_per_issue(where=where)
        assert rpi.n == len(kept)
        assert rpi.value == pytest.approx(kept["repeats"].mean(), rel=1e-12)


def test_containment_filtered(log: Any, frame: pd.DataFrame) -> None:
    d = frame.assign(row=np.arange(len(frame))).sort_values(["cust", "start", "row"])
    d["ord"] = d.groupby("cust").cumcount()
    digital = d[d["channel"].isin(["app", "chat"]) & (d["queue"] == "q2")]
    assisted = d[d["channel"] == "phone"]  # any queue: the filter selects units, not the follow-ups
    pairs = digital.merge(assisted, on="cust", suffixes=("", "_a"))
    window = pd.Timedelta(days=7)
    fail = pairs[(pairs["ord_a"] > pairs["ord"]) & (pairs["start_a"] <= pairs["end"] + window)][
        "row"
    ].unique()
    failed = digital["row"].isin(fail)
    censored = ~failed & (digital["end"] + window > d["start"].max())
    got = log.containment(["app", "chat"], ["phone"], where={"queue": "q2"})
    assert (got.numerator, got.denominator, got.censored) == (
        int((~failed & ~censored).sum()),
        int((~censored).sum()),
        int(censored.sum()),
    )


def test_per_contact_measures_filtered(log: Any, frame: pd.DataFrame) -> None:
    where = {"queue": ["q1", "q2"], "site": "south"}
    f = frame[mask_of(frame, where)]
    aht = log.aht(where=where)
    assert (aht.n, aht.value) == (len(f), pytest.approx(f["handle"].mean(), rel=1e-12))
    assert log.cost_to_serve(where=where).value == pytest.approx(f["cost"].mean(), rel=1e-12)
    assert log.ces(where=where).value == pytest.approx(f["ces"].mean(), rel=1e-12)
    csat = f["csat"].dropna()
    got = log.csat(where=where)
    assert (got.numerator, got.denominator) == ((csat >= 4).sum(), len(csat))
    nps = f["nps"].dropna()
    assert log.nps(where=where).value == pytest.approx(
        100 * ((nps >= 9).mean() - (nps <= 6).mean()), rel=1e-12
    )
    met = f["answered"] & (f["wait"] <= 20)
    offered = f["answered"] | f["abandoned"]
    sl = log.service_level(20, where=where)
    assert (sl.numerator, sl.denominator) == (met.sum(), offered.sum())
    ab = log.abandonment(where=where)
    assert (ab.numerator, ab.denominator) == ((f["abandoned"] & ~f["answered"]).sum(), offered.sum())
    assert log.asa(where=where).value == pytest.approx(f.loc[f["answered"], "wait"].mean(), rel=1e-12)
    fd = log.failure_demand(["card"], where=where)
    assert (fd.numerator, fd.denominator) == ((f["reason"] == "card").sum(), len(f))
    by_reason = log.failure_demand(["card", "fraud"], by_reason=True, where=where)
    assert by_reason.set_index("reason")["numerator"].to_dict() == {
        "card": (f["reason"] == "card").sum(),
        "fraud": (f["reason"] == "fraud").sum(),
    }
    occ = log.occupancy(1e6, where=where)
    assert occ.value == pytest.approx(f["handle"].sum() / 1e6, rel=1e-12)
    # Grouped by another dimension.
    table = log.aht(by="channel", where=where)
    want = f.groupby("channel")["handle"].agg(["mean", "count"])
    got_t = table.set_index("channel")
    np.testing.assert_allclose(got_t["value"], want["mean"].reindex(got_t.index), rtol=1e-12)
    assert (got_t["n"] == want["count"].reindex(got_t.index)).all()


def test_where_forms_and_errors(log: Any) -> None:
    assert log.aht(where={"channel": "chat"}) == log.aht(where={"channel": ["chat"]})
    assert log.aht(where={"channel": ("chat", "app")}) == log.aht(where={"channel": ["app", "chat", "app"]})
    with pytest.raises(ValueError, match=r"channel 'phnoe' does not occur.*app, chat, email, phone"):
        log.fcr(where={"channel": "phnoe"})
    with pytest.raises(ValueError, match="cannot filter on 'colour'"):
        log.aht(where={"colour": "red"})
    with pytest.raises(ValueError, match="no values given"):
        log.aht(where={"channel": []})
    with pytest.raises(TypeError, match="where must be a mapping"):
        log.aht(where="channel=chat")
    with pytest.raises(TypeError, match="labels are strings"):
        log.aht(where={"channel": [1]})
    small = mk.ContactLog.from_frame(
        pd.DataFrame({"c": [1, 2], "t": pd.to_datetime(["2026-01-01", "2026-01-02"], utc=True)}),
        customer="c",
        start="t",
    )
    with pytest.raises(ValueError, match="no queue column was mapped"):
        small.aht(where={"queue": "q1"})


def test_partials_carry_the_filter(frame: pd.DataFrame) -> None:
    mapping = {"customer": "cust", "start": "start", "end": "end", "channel": "channel", "queue": "queue"}
    whole = mk.ContactLog.from_frame(frame, **mapping)
    parts = [
        mk.ContactLog.from_frame(frame[frame["cust"] % 2 == k].reset_index(drop=True), **mapping)
        for k in range(2)
    ]
    end = frame["start"].max()
    where = {"channel": ["chat", "app"]}
    want = whole.fcr(by="queue", data_end=end, where=where)
    partials = [p.fcr(by="queue", data_end=end, where=where, output="partial") for p in parts]
    assert partials[0].where == {"channel": ["app", "chat"]}
    shipped = [pickle.loads(pickle.dumps(p)) for p in partials]
    assert shipped[0].where == partials[0].where
    pd.testing.assert_frame_equal(sum(shipped).finish(), want)
    json_back = mk.measures.Partial.from_json(partials[1].to_json())
    assert json_back.where == partials[1].where
    other = parts[1].fcr(by="queue", data_end=end, where={"channel": "chat"}, output="partial")
    with pytest.raises(ValueError, match="filter"):
        _ = partials[0] + other
    unfiltered = parts[1].fcr(by="queue", data_end=end, output="partial")
    with pytest.raises(ValueError, match="filter"):
        _ = partials[0] + unfiltered
