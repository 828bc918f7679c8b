"""ContactLog ingestion: every source (pandas, polars, pyarrow, numpy, Arrow streams, Parquet, CSV),
zero-copy, and quarantine accounting checked against an independent pandas computation of the rules."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import missionkit as mk

CHANNELS = ["voice", "chat", "email"]
LO = pd.Timestamp("1990-01-01", tz="UTC")
HI = pd.Timestamp("2100-01-01", tz="UTC")


def make_frame(n: int = 4000, seed: int = 3) -> pd.DataFrame:
    """A contact log with every kind of bad row planted at random (several per reason)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 90 * 86400, n), unit="s")
    start = pd.Series(start).astype("datetime64[us, UTC]")
    handle = rng.uniform(30, 900, n)
    end = start + pd.to_timedelta(handle, unit="s")
    df = pd.DataFrame(
        {
            "cust": rng.integers(0, 500, n).astype(np.float64),
            "contact": [f"c{i}" for i in range(n)],
            "started": start,
            "ended": end,
            "channel": rng.choice(["voice", "chat", "email", "fax"], n, p=[0.5, 0.3, 0.19, 0.01]),
            "wait_s": rng.uniform(0, 60, n),
            "aht": handle,
            "csat": np.where(rng.random(n) < 0.3, rng.integers(0, 7, n), np.nan),
            "nps": np.where(rng.random(n) < 0.2, rng.integers(0, 12, n), np.nan),
            "answered": rng.random(n) < 0.9,
        }
    )
    pick = lambda p: rng.random(n) < p  # noqa: E731
    df.loc[pick(0.01), "cust"] = np.nan
    df.loc[pick(0.01), "started"] = pd.NaT
    df.loc[pick(0.005), "started"] = pd.Timestamp("1970-01-02", tz="UTC")
    df.loc[pick(0.005), "ended"] = pd.Timestamp("2150-01-01", tz="UTC")
    df.loc[pick(0.02), "ended"] = df["started"] - pd.Timedelta(seconds=5)
    df.loc[pick(0.02), "ended"] = pd.NaT
    df.loc[pick(0.01), "wait_s"] = -1.0
    df.loc[pick(0.01), "aht"] = -3.0
    df.loc[pick(0.05), "wait_s"] = np.nan
    df.loc[pick(0.01), "channel"] = None
    return df


MAPPING = dict(
    customer="cust",
    contact_id="contact",
    start="started",
    end="ended",
    channel="channel",
    wait="wait_s",
    handle="aht",
    csat="csat",
    nps="nps",
    answered="answered",
)


def oracle(df: pd.DataFrame, channels: list[str] | None = CHANNELS) -> pd.Series:
    """The quarantine reason of every row (None when accepted), computed with pandas from the documented
    rules, first failing rule wins."""
    reason = pd.Series([None] * len(df), index=df.index, dtype=object)

    def rule(mask: pd.Series, name: str) -> None:
        reason[mask.fillna(False).astype(bool) & reason.isna()] = name

    start, end = df["started"], df["ended"]
    rule(df["cust"].isna(), "null_customer")
    rule(start.isna(), "null_start")
    rule((start < LO) | (start > HI) | (end.notna() & ((end < LO) | (end > HI))), "timestamp_out_of_range")
    rule(end.notna() & (end < start), "end_before_start")
    rule((df["wait_s"] < 0) | (df["aht"] < 0), "negative_duration")
    if channels is not None:
        rule(df["channel"].notna() & ~df["channel"].isin(channels), "unknown_channel")
    rule((df["csat"] < 1) | (df["csat"] > 5) | (df["nps"] < 0) | (df["nps"] > 10), "score_out_of_range")
    return reason


def check_against_oracle(log: mk.ContactLog, df: pd.DataFrame, channels: list[str] | None = CHANNELS) -> None:
    want = oracle(df, channels)
    q = log.quarantine
    assert len(log) + len(q) == log.rows_read == len(df)
    bad = want[want.notna()]
    assert q["row"].tolist() == bad.index.tolist()
    assert q["reason"].tolist() == bad.tolist()
    counts = log.quarantine_counts
    assert list(counts) == list(mk._core.QUARANTINE_REASONS)
    expected = want.value_counts()
    for r, c in counts.items():
        assert c == expected.get(r, 0), r


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return make_frame()


def test_every_reason_is_planted(frame: pd.DataFrame) -> None:
    assert set(oracle(frame).dropna()) == set(mk._core.QUARANTINE_REASONS)


# ---- sources ---------------------------------------------------------------------------------------------


def test_pandas(frame: pd.DataFrame) -> None:
    log = mk.ContactLog.from_frame(frame, **MAPPING, channels=CHANNELS)
    check_against_oracle(log, frame)
    assert log.columns == MAPPING
    q = log.quarantine
    assert list(q.columns[:2]) == ["row", "reason"]
    assert set(MAPPING.values()) <= set(q.columns)
    # Original values of the quarantined rows, as they were in the input.
    rows = q["row"].to_numpy()
    np.testing.assert_array_equal(q["aht"].to_numpy(), frame["aht"].to_numpy()[rows])
    assert q["contact"].tolist() == frame["contact"].iloc[rows].tolist()
    assert q["cust"].isna().tolist() == frame["cust"].iloc[rows].isna().tolist()
    got_start = pd.to_datetime(q["started"], utc=True)
    assert got_start.equals(frame["started"].iloc[rows].reset_index(drop=True).astype(got_start.dtype))


def test_pyarrow_single_and_multi_chunk(frame: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    check_against_oracle(mk.ContactLog.from_frame(table, **MAPPING, channels=CHANNELS), frame)
    batches = table.to_batches(max_chunksize=333)
    assert len(batches) > 5
    chunked = pa.Table.from_batches(batches)
    log = mk.ContactLog.from_frame(chunked, **MAPPING, channels=CHANNELS)
    check_against_oracle(log, frame)
    assert not log._core.borrowed("handle")  # several chunks: converted into one
    reader = pa.RecordBatchReader.from_batches(table.schema, batches)
    check_against_oracle(mk.ContactLog.from_arrow(reader, **MAPPING, channels=CHANNELS), frame)
    check_against_oracle(mk.ContactLog.from_frame(batches[0], **MAPPING, channels=CHANNELS), frame.iloc[:333])


def test_polars(frame: pd.DataFrame) -> None:
    df = pl.from_pandas(frame)
    log = mk.ContactLog.from_frame(df, **MAPPING, channels=CHANNELS)
    check_against_oracle(log, frame)
    labels = log._core.labels("channel")
    assert labels is not None and set(labels) == {"voice", "chat", "email", "fax"}
    # polars exports strings as Utf8View; codes decode to the source strings.
    codes = log._core.column("channel")
    decoded = [labels[c] if c >= 0 else None for c in codes]
    assert decoded == [None if pd.isna(v) else v for v in frame["channel"]]


def test_numpy_dict_and_structured(frame: pd.DataFrame) -> None:
    arrays = {name: frame[name].to_numpy() for name in frame.columns}
    arrays["started"] = frame["started"].dt.tz_convert(None).to_numpy()
    arrays["ended"] = frame["ended"].dt.tz_convert(None).to_numpy()
    arrays["contact"] = frame["contact"].to_numpy(dtype=object)
    arrays["channel"] = np.asarray(frame["channel"].to_numpy(dtype=object))
    check_against_oracle(mk.ContactLog.from_frame(arrays, **MAPPING, channels=CHANNELS), frame)

    structured = np.zeros(
        len(frame), dtype=[("cust", "f8"), ("started", "M8[us]"), ("ended", "M8[us]"), ("aht", "f8")]
    )
    for name in structured.dtype.names or ():
        structured[name] = arrays[name]
    log = mk.ContactLog.from_frame(structured, customer="cust", start="started", end="ended", handle="aht")
    assert len(log) + len(log.quarantine) == len(frame)


def test_generic_arrow_stream_object(frame: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)

    class Producer:  # only the PyCapsule protocol, like a DuckDB result
        def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
            return table.__arrow_c_stream__(requested_schema)

    check_against_oracle(mk.ContactLog.from_frame(Producer(), **MAPPING, channels=CHANNELS), frame)


def test_dict_of_arrow_and_polars_columns() -> None:
    start = pa.array([1_700_000_000_000_000, 1_700_000_100_000_000], pa.timestamp("us", tz="UTC"))
    data = {
        "c": pl.Series(["a", "b"]),
        "s": pa.chunked_array([start[:1], start[1:]]),
        "h": pa.array([1.5, None]),
    }
    log = mk.ContactLog.from_frame(data, customer="c", start="s", handle="h")
    assert len(log) == 2
    assert log._core.labels("customer") == ["a", "b"]
    np.testing.assert_array_equal(log._core.column("handle"), [1.5, np.nan])


# ---- zero copy -------------------------------------------------------------------------------------------


def test_numpy_columns_are_viewed_not_copied() -> None:
    n = 1000
    cust = np.arange(n, dtype=np.int64)
    start = np.datetime64("2025-01-01T00:00:00", "us") + np.arange(n).astype("timedelta64[s]")
    handle = np.full(n, 60.0)
    answered = np.ones(n, dtype=bool)
    log = mk.ContactLog.from_frame(
        {"c": cust, "s": start, "h": handle, "a": answered}, customer="c", start="s", handle="h", answered="a"
    )
    for role, arr in (("customer", cust), ("start", start), ("handle", handle), ("answered", answered)):
        assert log._core.borrowed(role), role
        assert log._core.data_address(role) == arr.__array_interface__["data"][0], role
    # The log keeps the arrays alive after the caller lets go of them.
    del cust, start, handle, answered
    import gc

    gc.collect()
    np.testing.assert_array_equal(log._core.column("customer"), np.arange(n))
    assert log._core.ticks_per_second("start") == 1_000_000


def test_arrow_columns_are_viewed_not_copied() -> None:
    cust = pa.array(np.arange(100, dtype=np.int64))
    start = pa.array(np.arange(100, dtype=np.int64) + 1_700_000_000, pa.timestamp("s"))
    handle = pa.array(np.linspace(0, 1, 100))
    table = pa.table({"c": cust, "s": start, "h": handle, "extra": pa.array(["x"] * 100)})
    log = mk.ContactLog.from_frame(table, customer="c", start="s", handle="h")
    for role, arr in (("customer", cust), ("start", start), ("handle", handle)):
        assert log._core.borrowed(role)
        assert log._core.data_address(role) == arr.buffers()[1].address
    del table, cust, start, handle
    np.testing.assert_array_equal(log._core.column("customer"), np.arange(100))

    with_nulls = pa.table(
        {"c": pa.array([1, None, 3]), "s": pa.array([1_700_000_000] * 3, pa.timestamp("s"))}
    )
    log = mk.ContactLog.from_frame(with_nulls, customer="c", start="s")
    assert not log._core.borrowed("customer")  # nulls: converted, marked missing
    assert log.quarantine_counts["null_customer"] == 1


def test_pandas_numeric_columns_are_viewed() -> None:
    df = pd.DataFrame(
        {"c": np.arange(10, dtype=np.int64), "s": pd.date_range("2025-01-01", periods=10, freq="min")}
    )
    log = mk.ContactLog.from_frame(df, customer="c", start="s")
    assert log._core.borrowed("customer") and log._core.borrowed("start")
    assert log._core.data_address("customer") == df["c"].to_numpy().__array_interface__["data"][0]


def test_dictionary_encoded_arrow_codes_are_viewed() -> None:
    channel = pa.array(["voice", "chat", "voice"]).dictionary_encode()
    table = pa.table({"c": [1, 2, 3], "s": pa.array([1_700_000_000] * 3, pa.timestamp("s")), "ch": channel})
    log = mk.ContactLog.from_frame(table, customer="c", start="s", channel="ch")
    assert log._core.borrowed("channel")
    assert log._core.labels("channel") == ["voice", "chat"]


# ---- ids, nulls, sizes -----------------------------------------------------------------------------------


def test_string_and_integer_ids_give_the_same_log(frame: pd.DataFrame) -> None:
    as_int = mk.ContactLog.from_frame(frame, **MAPPING, channels=CHANNELS)
    strings = frame.assign(cust=frame["cust"].map(lambda v: None if pd.isna(v) else f"C{int(v):05d}"))
    as_str = mk.ContactLog.from_frame(strings, **MAPPING, channels=CHANNELS)
    assert len(as_int) == len(as_str)
    assert as_int.quarantine_counts == as_str.quarantine_counts
    labels = as_str._core.labels("customer")
    assert labels is not None
    codes = as_str._core.column("customer")
    accepted = as_str._core.accepted_rows()
    decoded = [labels[c] for c in codes[accepted]]
    assert decoded == strings["cust"].to_numpy()[accepted].tolist()
    assert as_int._core.labels("customer") is None


def test_nulls_in_optional_columns_are_fine() -> None:
    table = pa.table(
        {
            "c": [1, 2, 3],
            "s": pa.array([1_700_000_000] * 3, pa.timestamp("s")),
            "e": pa.array([None, 1_700_000_060, None], pa.timestamp("s")),
            "ch": ["voice", None, "chat"],
            "w": [None, 1.0, None],
            "r": pa.array([True, None, False]),
            "csat": [None, None, 5.0],
        }
    )
    log = mk.ContactLog.from_frame(
        table,
        customer="c",
        start="s",
        end="e",
        channel="ch",
        wait="w",
        resolved="r",
        csat="csat",
        channels=CHANNELS,
    )
    assert len(log) == 3
    np.testing.assert_array_equal(log._core.column("resolved"), [1, 2, 0])


@pytest.mark.parametrize("make", [pd.DataFrame, pa.table, pl.DataFrame])
def test_empty_and_one_row(make: Any) -> None:
    empty = {"c": np.array([], dtype=np.int64), "s": np.array([], dtype="datetime64[us]")}
    log = mk.ContactLog.from_frame(make(empty), customer="c", start="s")
    assert len(log) == 0 and log.rows_read == 0
    assert len(log.quarantine) == 0
    assert list(log.quarantine.columns) == ["row", "reason", "c", "s"]

    one = {"c": np.array([7], dtype=np.int64), "s": np.array(["2025-03-01T10:00"], dtype="datetime64[us]")}
    log = mk.ContactLog.from_frame(make(one), customer="c", start="s")
    assert len(log) == 1 and log.rows_read == 1


def test_start_and_end_from_one_column() -> None:
    df = pd.DataFrame({"c": [1, 2], "t": pd.to_datetime(["2025-01-01", "2025-01-02"])})
    log = mk.ContactLog.from_frame(df, customer="c", start="t", end="t")
    assert len(log) == 2
    assert list(log.quarantine.columns) == ["row", "reason", "c", "t"]


# ---- units and options -----------------------------------------------------------------------------------


def test_durations_become_seconds() -> None:
    s = np.datetime64("2025-01-01T00:00", "us") + np.arange(3).astype("timedelta64[m]")
    data = {
        "c": np.arange(3),
        "s": s,
        "w": np.array([1500, 250, -1000], dtype="timedelta64[ms]"),
        "h": pa.array([90_000_000, None, 1], pa.duration("us")),
        "t": np.array([5, 6, 7], dtype=np.int32),
    }
    log = mk.ContactLog.from_frame(data, customer="c", start="s", wait="w", handle="h", talk="t")
    np.testing.assert_array_equal(log._core.column("wait"), [1.5, 0.25, -1.0])
    np.testing.assert_array_equal(log._core.column("handle"), [90.0, np.nan, 1e-6])
    np.testing.assert_array_equal(log._core.column("talk"), [5.0, 6.0, 7.0])
    assert log.quarantine_counts["negative_duration"] == 1
    assert not log._core.borrowed("wait")


def test_integer_timestamps_need_a_unit() -> None:
    data = {"c": np.arange(2), "s": np.array([1_700_000_000, 1_700_000_060], dtype=np.int64)}
    with pytest.raises(mk.DataError, match="time_unit"):
        mk.ContactLog.from_frame(data, customer="c", start="s")
    log = mk.ContactLog.from_frame(data, customer="c", start="s", time_unit="s")
    assert len(log) == 2 and log._core.borrowed("start")
    ms = mk.ContactLog.from_frame(data, customer="c", start="s", time_unit="ms")  # 1970: out of range
    assert ms.quarantine_counts["timestamp_out_of_range"] == 2
    with pytest.raises(ValueError, match="time_unit"):
        mk.ContactLog.from_frame(data, customer="c", start="s", time_unit="minutes")


def test_time_range_and_scales() -> None:
    df = pd.DataFrame(
        {
            "c": [1, 2, 3, 4],
            "s": pd.to_datetime(
                ["2024-12-31 23:00", "2025-01-01 00:00", "2025-06-01 00:00", "2026-01-01 00:00"], utc=True
            ),
            "csat": [9.0, 10.0, 0.0, np.nan],
        }
    )
    log = mk.ContactLog.from_frame(
        df,
        customer="c",
        start="s",
        csat="csat",
        time_range=("2025-01-01", "2025-12-31T23:59:59Z"),
        scales={"csat": (1, 10)},
    )
    assert log.quarantine["reason"].tolist() == [
        "timestamp_out_of_range",
        "score_out_of_range",
        "timestamp_out_of_range",
    ]
    assert log._core.rules.csat_max == 10
    with pytest.raises(ValueError, match="unknown score"):
        mk.ContactLog.from_frame(df, customer="c", start="s", scales={"sat": (1, 5)})


def test_channels_declared_or_not(frame: pd.DataFrame) -> None:
    log = mk.ContactLog.from_frame(frame, **MAPPING)  # no list: any channel is fine
    check_against_oracle(log, frame, channels=None)
    with pytest.raises(TypeError, match="list of channel labels"):
        mk.ContactLog.from_frame(frame, **MAPPING, channels="voice")


def test_pandas_string_categorical_and_nullable_columns() -> None:
    df = pd.DataFrame(
        {
            "c": pd.array([1, None, 3], dtype="Int64"),
            "s": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]).tz_localize("Europe/London"),
            "ch": pd.Categorical(["voice", "chat", "voice"]),
            "r": pd.array(["a", None, "b"], dtype="string"),
            "ok": pd.array([True, None, False], dtype="boolean"),
        }
    )
    log = mk.ContactLog.from_frame(df, customer="c", start="s", channel="ch", reason="r", answered="ok")
    assert log.quarantine_counts["null_customer"] == 1
    assert sorted(log._core.labels("channel") or []) == ["chat", "voice"]
    np.testing.assert_array_equal(log._core.column("answered"), [1, 2, 0])
    # tz-aware: the UTC instant of midnight in London (GMT in January).
    assert log._core.column("start")[0] == pd.Timestamp("2025-01-01", tz="UTC").value // (
        1_000_000_000 // log._core.ticks_per_second("start")
    )


# ---- errors ----------------------------------------------------------------------------------------------


def test_missing_column_is_a_key_error_with_a_suggestion(frame: pd.DataFrame) -> None:
    for data in (
        frame,
        pa.Table.from_pandas(frame),
        pl.from_pandas(frame),
        {c: frame[c].to_numpy() for c in frame},
    ):
        with pytest.raises(KeyError, match="column 'aht_s' \\(mapped to handle=\\) is not in the data"):
            mk.ContactLog.from_frame(data, customer="cust", start="started", handle="aht_s")
    with pytest.raises(KeyError, match="Did you mean 'started'"):
        mk.ContactLog.from_frame(frame, customer="cust", start="startd")


def test_wrong_types_name_the_column() -> None:
    table = pa.table({"c": [1, 2], "s": pa.array([1_700_000_000] * 2, pa.timestamp("s")), "h": ["1", "2"]})
    with pytest.raises(mk.DataError, match=r"column 'h'.*'u'"):
        mk.ContactLog.from_frame(table, customer="c", start="s", handle="h")
    with pytest.raises(ValueError, match=r"column 'x'.*1-D"):
        mk.ContactLog.from_frame(
            {"c": np.arange(4), "s": np.zeros(4, "M8[s]"), "x": np.zeros((2, 2))},
            customer="c",
            start="s",
            wait="x",
        )
    with pytest.raises(ValueError, match="column 'x'"):
        mk.ContactLog.from_frame(
            {"c": np.arange(2), "s": np.zeros(2, "M8[s]"), "x": np.zeros(2, complex)},
            customer="c",
            start="s",
            wait="x",
        )
    with pytest.raises(mk.DataError, match="column 'f' holds 3 at row 1"):
        mk.ContactLog.from_frame(
            {"c": np.arange(2), "s": np.zeros(2, "M8[s]"), "f": np.array([0, 3])},
            customer="c",
            start="s",
            abandoned="f",
        )
    with pytest.raises(ValueError, match="column 'e' has 1 rows, expected 2"):
        mk.ContactLog.from_frame(
            {"c": np.arange(2), "s": np.zeros(2, "M8[s]"), "e": np.zeros(1, "M8[s]")},
            customer="c",
            start="s",
            end="e",
        )
    with pytest.raises(TypeError, match="cannot read a contact log"):
        mk.ContactLog.from_frame([1, 2, 3], customer="c", start="s")
    with pytest.raises(TypeError, match="LazyFrame"):
        mk.ContactLog.from_frame(pl.DataFrame({"c": [1]}).lazy(), customer="c", start="s")
    with pytest.raises(TypeError, match="__arrow_c_stream__"):
        mk.ContactLog.from_arrow({"c": [1]}, customer="c", start="s")


def test_non_contiguous_and_big_endian_numpy_inputs_are_fixed() -> None:
    cust = np.arange(20, dtype=np.int64)[::2]
    start = (np.datetime64("2025-01-01", "s") + np.arange(10)).astype(">M8[s]")
    log = mk.ContactLog.from_frame({"c": cust, "s": start}, customer="c", start="s")
    assert len(log) == 10
    assert log._core.data_address("customer") != cust.__array_interface__["data"][0]  # strided: copied
    np.testing.assert_array_equal(log._core.column("customer"), cust)


# ---- files -----------------------------------------------------------------------------------------------


def test_read_parquet_several_row_groups(tmp_path: Any, frame: pd.DataFrame) -> None:
    path = tmp_path / "log.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=500)
    assert pq.ParquetFile(path).num_row_groups == 8
    log = mk.ContactLog.read_parquet(path, **MAPPING, channels=CHANNELS, batch_size=300)
    check_against_oracle(log, frame)
    with pytest.raises(KeyError, match="Did you mean 'aht'"):
        mk.ContactLog.read_parquet(path, customer="cust", start="started", handle="ahtt")
    with pytest.raises(TypeError, match="did you mean 'handle'"):
        mk.ContactLog.read_parquet(path, customer="cust", start="started", handel="aht")


def test_read_csv_in_blocks(tmp_path: Any, frame: pd.DataFrame) -> None:
    path = tmp_path / "log.csv"
    out = frame.copy()
    for col in ("started", "ended"):  # ISO-8601 with Z: parsed as UTC instants
        out[col] = out[col].dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").where(out[col].notna(), "")
    out.to_csv(path, index=False)
    log = mk.ContactLog.read_csv(path, **MAPPING, channels=CHANNELS, block_size=16 << 10)
    check_against_oracle(log, frame)
    reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=16 << 10))
    assert sum(1 for _ in reader) > 5  # really several blocks


def test_file_readers_without_pyarrow(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ImportError, match="needs pyarrow"):
        mk.ContactLog.read_parquet(tmp_path / "x.parquet", customer="c", start="s")


# ---- presentation ----------------------------------------------------------------------------------------


def test_quarantine_without_pandas(monkeypatch: pytest.MonkeyPatch, frame: pd.DataFrame) -> None:
    log = mk.ContactLog.from_frame(frame, **MAPPING, channels=CHANNELS)
    monkeypatch.setitem(sys.modules, "pandas", None)
    q = log.quarantine
    assert isinstance(q, dict)
    want = oracle(frame).dropna()
    assert q["row"].tolist() == want.index.tolist()
    assert q["reason"].tolist() == want.tolist()
    assert q["cust"].dtype == object and any(v is None for v in q["cust"])
    assert q["answered"].dtype == object


def test_repr_and_html(frame: pd.DataFrame) -> None:
    log = mk.ContactLog.from_frame(frame, **MAPPING, channels=CHANNELS)
    text = repr(log)
    assert f"{len(log)} accepted of {len(frame)} rows read" in text
    assert "unknown_channel=" in text and "customer='cust'" in text
    html = log._repr_html_()
    assert "<table>" in html and "null_customer" in html
    assert "ContactLog" in mk.__all__


def test_pandas_without_pyarrow(monkeypatch: pytest.MonkeyPatch) -> None:
    df = pd.DataFrame(
        {
            "c": ["a", None, "b", "a"],
            "s": pd.to_datetime(["2025-01-01"] * 4).tz_localize("UTC"),
            "ch": pd.Categorical(["voice", "chat", None, "voice"]),
            "h": pd.array([1.0, None, 2.0, 3.0], dtype="Float64"),
        },
    ).astype({"c": object})
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    log = mk.ContactLog.from_frame(df, customer="c", start="s", channel="ch", handle="h")
    assert log.quarantine_counts["null_customer"] == 1
    assert log._core.labels("customer") == ["a", "b"]
    labels = log._core.labels("channel") or []
    assert [labels[c] if c >= 0 else None for c in log._core.column("channel")] == [
        "voice",
        "chat",
        None,
        "voice",
    ]
    np.testing.assert_array_equal(log._core.column("handle"), [1.0, np.nan, 2.0, 3.0])
