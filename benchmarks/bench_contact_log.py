"""Contact-log benchmark: missionkit vs idiomatic pandas and polars on the same data, in the same run.

The full pass (issue #4): ingest from a pyarrow table, FCR with a 7-day window and same reason, repeat
rate, and service level (offered convention, 20 s), each grouped by channel x month. All three
implementations are checked to give the same numbers before any timing is reported.

Run:  .venv/bin/python benchmarks/bench_contact_log.py --rows 10000000 --customers 1000000
"""

from __future__ import annotations

import argparse
import gc
import resource
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import missionkit as mk

WINDOW_S = 7 * 86400
SL_THRESHOLD_S = 20.0


def make_table(rows: int, customers: int, seed: int = 1) -> pa.Table:
    """A year of contacts: 5 channels, 30 reasons, heavy-tailed customers, microsecond timestamps (UTC)."""
    rng = np.random.default_rng(seed)
    t0 = np.datetime64("2025-01-01T00:00:00", "us").astype(np.int64)
    year_us = 365 * 86400 * 1_000_000
    start = np.sort(t0 + rng.integers(0, year_us, rows))
    # Customer activity is heavy-tailed: weights ~ Gamma(0.5), so the busiest 1% of customers make about
    # 8% of the contacts and many customers contact once or twice.
    weights = rng.gamma(0.5, 1.0, customers)
    customer = rng.choice(customers, rows, p=weights / weights.sum()).astype(np.int64)
    handle_s = rng.gamma(2.0, 180.0, rows)
    end = start + (handle_s * 1_000_000).astype(np.int64)
    channels = np.array(["phone", "chat", "email", "app", "web"])
    reasons = np.array([f"reason_{i:02d}" for i in range(30)])
    wait = rng.exponential(30.0, rows)
    answered = rng.random(rows) > 0.06
    return pa.table(
        {
            "customer": customer,
            "start": pa.array(start, pa.timestamp("us", tz="UTC")),
            "end": pa.array(end, pa.timestamp("us", tz="UTC")),
            "channel": pa.DictionaryArray.from_arrays(rng.integers(0, 5, rows).astype(np.int32), channels),
            "reason": pa.DictionaryArray.from_arrays(rng.integers(0, 30, rows).astype(np.int32), reasons),
            "answered": answered,
            "abandoned": ~answered,
            "wait": wait,
            "handle": handle_s,
        }
    )


def run_missionkit(table: pa.Table) -> dict[str, Any]:
    log = mk.ContactLog.from_frame(
        table,
        customer="customer",
        start="start",
        end="end",
        channel="channel",
        reason="reason",
        answered="answered",
        abandoned="abandoned",
        wait="wait",
        handle="handle",
    )
    by = dict(by="channel", period="month", output="pandas")
    return {
        "fcr": log.fcr("7D", same_reason=True, **by),
        "repeat": log.repeat_rate("7D", same_reason=True, **by),
        "sl": log.service_level(20, convention="offered", **by),
    }


def run_pandas(table: pa.Table) -> dict[str, Any]:
    df = table.to_pandas()
    df["channel"] = df["channel"].astype(str)
    df["reason"] = df["reason"].astype(str)
    df["month"] = df["start"].dt.strftime("%Y-%m")
    window = pd.Timedelta(seconds=WINDOW_S)
    data_end = df["start"].max()
    df["row"] = np.arange(len(df))
    df = df.sort_values(["customer", "reason", "start", "row"])
    g = df.groupby(["customer", "reason"], sort=False)
    next_start = g["start"].shift(-1)
    prev_max_end = g["end"].cummax().groupby([df["customer"], df["reason"]]).shift(1)
    df["repeated"] = next_start <= df["end"] + window
    df["censored"] = ~df["repeated"] & (df["end"] + window > data_end)
    df["is_repeat"] = df["start"] <= prev_max_end + window
    df["resolved"] = ~df["repeated"] & ~df["censored"]
    keys = ["channel", "month"]
    fcr = (
        df[~df["censored"]].groupby(keys)["resolved"].agg(numerator="sum", denominator="count").reset_index()
    )
    rep = df.groupby(keys)["is_repeat"].agg(numerator="sum", denominator="count").reset_index()
    offered = df[df["answered"] | df["abandoned"]]
    met = offered["answered"] & (offered["wait"] <= SL_THRESHOLD_S)
    sl = (
        met.groupby([offered["channel"], offered["month"]])
        .agg(numerator="sum", denominator="count")
        .reset_index()
    )
    return {"fcr": fcr, "repeat": rep, "sl": sl}


def run_polars(table: pa.Table) -> dict[str, Any]:
    df = pl.from_arrow(table)
    assert isinstance(df, pl.DataFrame)
    window = pl.duration(seconds=WINDOW_S)
    # Best polars practice: keep the dictionary-encoded columns as categoricals, truncate timestamps to the
    # month (an integer operation) and format the few month labels only after aggregating.
    df = df.with_columns(
        pl.col("start").dt.truncate("1mo").alias("month"),
        pl.int_range(pl.len()).alias("row"),
    )
    data_end = df["start"].max()
    df = df.sort(["customer", "reason", "start", "row"])
    # Window functions over a million customer x reason groups are slow in polars; after the sort, "the
    # next row of the same group" is a plain shift guarded by a key comparison, which is much faster.
    same_next = (pl.col("customer").shift(-1) == pl.col("customer")) & (
        pl.col("reason").shift(-1) == pl.col("reason")
    )
    same_prev = (pl.col("customer").shift(1) == pl.col("customer")) & (
        pl.col("reason").shift(1) == pl.col("reason")
    )
    df = df.with_columns(
        (same_next & (pl.col("start").shift(-1) <= pl.col("end") + window))
        .fill_null(False)
        .alias("repeated"),
        (
            same_prev
            & (pl.col("start") <= pl.col("end").cum_max().over(["customer", "reason"]).shift(1) + window)
        )
        .fill_null(False)
        .alias("is_repeat"),
    ).with_columns(
        (~pl.col("repeated") & (pl.col("end") + window > data_end)).alias("censored"),
    )
    keys = ["channel", "month"]
    fcr = (
        df.filter(~pl.col("censored"))
        .group_by(keys)
        .agg((~pl.col("repeated")).sum().alias("numerator"), pl.len().alias("denominator"))
    )
    rep = df.group_by(keys).agg(pl.col("is_repeat").sum().alias("numerator"), pl.len().alias("denominator"))
    offered = df.filter(pl.col("answered") | pl.col("abandoned"))
    sl = offered.group_by(keys).agg(
        (pl.col("answered") & (pl.col("wait") <= SL_THRESHOLD_S)).sum().alias("numerator"),
        pl.len().alias("denominator"),
    )

    def labelled(frame: pl.DataFrame) -> pd.DataFrame:
        return frame.with_columns(
            pl.col("channel").cast(pl.Utf8), pl.col("month").dt.strftime("%Y-%m")
        ).to_pandas()

    return {"fcr": labelled(fcr), "repeat": labelled(rep), "sl": labelled(sl)}


def _normalise(frame: pd.DataFrame, month_col: str) -> pd.DataFrame:
    out = frame.rename(columns={month_col: "month"})[["channel", "month", "numerator", "denominator"]].copy()
    out["numerator"] = out["numerator"].astype(np.int64)
    out["denominator"] = out["denominator"].astype(np.int64)
    return out.sort_values(["channel", "month"]).reset_index(drop=True)


def check_same(ours: dict[str, Any], theirs: dict[str, Any], name: str) -> None:
    for key in ("fcr", "repeat", "sl"):
        a = _normalise(ours[key], "period")
        b = _normalise(theirs[key], "month")
        pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=f"{name} {key}")


def timed(
    fn: Callable[[pa.Table], dict[str, Any]], table: pa.Table, repeats: int
) -> tuple[float, dict[str, Any]]:
    best = float("inf")
    result: dict[str, Any] = {}
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        result = fn(table)
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-pandas", action="store_true")
    args = ap.parse_args()
    table = make_table(args.rows, args.customers)
    print(
        f"rows={args.rows:,} customers={args.customers:,} threads={mk.threads()} "
        f"(input {table.nbytes / 1e6:.0f} MB)"
    )
    t_mk, ours = timed(run_missionkit, table, args.repeats)
    t_pl, pol = timed(run_polars, table, args.repeats)
    check_same(ours, pol, "polars")
    print(f"missionkit {t_mk:8.3f} s")
    print(f"polars     {t_pl:8.3f} s   missionkit is {t_pl / t_mk:5.1f}x faster")
    if not args.skip_pandas:
        t_pd, pan = timed(run_pandas, table, 1)
        check_same(ours, pan, "pandas")
        print(f"pandas     {t_pd:8.3f} s   missionkit is {t_pd / t_mk:5.1f}x faster")
    print("results identical across missionkit, polars" + ("" if args.skip_pandas else " and pandas"))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB (whole process)")


if __name__ == "__main__":
    main()
