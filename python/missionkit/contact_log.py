"""Contact logs: one row per contact, read from a data frame, Arrow data, numpy arrays or files.

Columns are mapped to roles by name (``customer="cust_id", start="started_at", ...``) and imported in C++:
numeric and timestamp columns are viewed where they lie (no copy) when they arrive as one chunk without
nulls, strings are dictionary-encoded once in C++, and no Python code runs per row. Rows that break a
rule are quarantined with their reason, never dropped: ``len(log) + len(log.quarantine) == log.rows_read``.
See docs/data.md.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

import numpy as np
import numpy.typing as npt

from missionkit import _core
from missionkit._core import ContactLogCore, ValidationRules
from missionkit.measures import MeasuresMixin

#: Every role a column can play, in the order of ContactLog.from_frame's keywords.
ROLES: tuple[str, ...] = tuple(_core.CONTACT_ROLES)
#: Quarantine reasons, in the order rules are applied (a row fails on the first).
REASONS: tuple[str, ...] = tuple(_core.QUARANTINE_REASONS)

_LABEL_ROLES = frozenset({"customer", "contact_id", "channel", "reason", "queue", "site", "agent"})
_TIME_ROLES = frozenset({"start", "end"})
_FLAG_ROLES = frozenset({"answered", "abandoned", "transferred", "resolved"})
_SCALES = {"csat": ("csat_min", "csat_max"), "nps": ("nps_min", "nps_max"), "ces": ("ces_min", "ces_max")}
_NUMPY_TIME_UNITS = frozenset({"s", "ms", "us", "ns"})


class ContactLog(MeasuresMixin):
    """A validated contact log: the accepted rows, and the quarantined ones with their reason.

    Build it with :meth:`from_frame` (pandas, polars, pyarrow, any ``__arrow_c_stream__`` object, a dict of
    numpy arrays or a numpy structured array), :meth:`from_arrow`, :meth:`read_parquet` or :meth:`read_csv`.
    The measures (``log.fcr()``, ``log.aht()``...) come from :class:`missionkit.measures.MeasuresMixin`.
    """

    def __init__(self, core: ContactLogCore, columns: Mapping[str, str]) -> None:
        """Wraps an imported log; use the ``from_*`` / ``read_*`` constructors instead."""
        self._core = core
        self._columns = dict(columns)
        self._quarantine: Any = None

    # ---- constructors ----------------------------------------------------------------------------------

    @classmethod
    def from_frame(
        cls,
        data: Any,
        *,
        customer: str,
        start: str,
        end: str | None = None,
        contact_id: str | None = None,
        channel: str | None = None,
        reason: str | None = None,
        queue: str | None = None,
        site: str | None = None,
        agent: str | None = None,
        answered: str | None = None,
        abandoned: str | None = None,
        transferred: str | None = None,
        resolved: str | None = None,
        wait: str | None = None,
        handle: str | None = None,
        talk: str | None = None,
        hold: str | None = None,
        wrap: str | None = None,
        cost: str | None = None,
        csat: str | None = None,
        nps: str | None = None,
        ces: str | None = None,
        channels: Iterable[str] | None = None,
        time_range: Any = None,
        scales: Any = None,
        time_unit: str | None = None,
    ) -> ContactLog:
        """A contact log from a table, with its columns mapped to roles by name.

        ``data``: a pandas, polars or pyarrow table, any object with ``__arrow_c_stream__`` (DuckDB
        results...), a dict of arrays (numpy, pyarrow, polars Series) or a numpy structured array.
        Roles: ``customer`` and ``start`` are required; the others are optional and simply absent when
        not mapped. Durations (``wait``, ``handle``, ``talk``, ``hold``, ``wrap``) in timedelta / Arrow
        duration columns become seconds; plain numbers are taken as seconds.

        Validation: ``channels`` declares the allowed channel labels (rows with another channel are
        quarantined); ``time_range=(min, max)`` bounds the timestamps (default 1990-01-01 to
        2100-01-01 UTC); ``scales={"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}`` bounds survey scores.
        ``time_unit`` (``"s"``, ``"ms"``, ``"us"``, ``"ns"``) is the unit of timestamps given as
        integers since the epoch.
        """
        mapping = _mapping(
            customer=customer, start=start, end=end, contact_id=contact_id, channel=channel,
            reason=reason, queue=queue, site=site, agent=agent, answered=answered, abandoned=abandoned,
            transferred=transferred, resolved=resolved, wait=wait, handle=handle, talk=talk, hold=hold,
            wrap=wrap, cost=cost, csat=csat, nps=nps, ces=ces,
        )  # fmt: skip
        rules = _rules(channels, time_range, scales)
        return cls(_import(data, mapping, rules, time_unit), mapping)

    @classmethod
    def from_arrow(cls, data: Any, **options: Any) -> ContactLog:
        """A contact log from Arrow data: anything exporting ``__arrow_c_stream__`` (a pyarrow Table or
        RecordBatchReader, a polars DataFrame, a DuckDB result...). Keywords as :meth:`from_frame`."""
        if not hasattr(data, "__arrow_c_stream__"):
            raise TypeError(
                f"from_arrow needs an object with __arrow_c_stream__ (Arrow PyCapsule interface), "
                f"got {type(data).__name__}; use from_frame for pandas, dicts or numpy arrays"
            )
        return cls.from_frame(data, **options)

    @classmethod
    def read_parquet(cls, path: Any, *, batch_size: int = 1 << 17, **options: Any) -> ContactLog:
        """Reads a Parquet file in record batches of ``batch_size`` rows (only the mapped columns), so a
        file larger than memory streams through; keywords as :meth:`from_frame`. Needs pyarrow."""
        pq = _pyarrow_module("pyarrow.parquet", "read_parquet")
        pa = _pyarrow_module("pyarrow", "read_parquet")
        file = pq.ParquetFile(path)
        names = _source_names(options)
        _check_columns(names, list(file.schema_arrow.names))
        wanted = list(dict.fromkeys(names.values()))
        schema = pa.schema([file.schema_arrow.field(n) for n in wanted])
        reader = pa.RecordBatchReader.from_batches(
            schema, file.iter_batches(batch_size=batch_size, columns=wanted)
        )
        return cls.from_frame(reader, **options)

    @classmethod
    def read_csv(cls, path: Any, *, block_size: int | None = None, **options: Any) -> ContactLog:
        """Reads a CSV file block by block (pyarrow.csv.open_csv; ``block_size`` in bytes), converting only
        the mapped columns; keywords as :meth:`from_frame`. ISO-8601 timestamps are parsed as
        timestamps (with a ``Z`` or an offset they are converted to UTC; without, they are taken as UTC);
        an empty cell is a missing value. Needs pyarrow."""
        csv = _pyarrow_module("pyarrow.csv", "read_csv")
        names = _source_names(options)
        read_options = csv.ReadOptions() if block_size is None else csv.ReadOptions(block_size=block_size)
        header = csv.open_csv(path, read_options=read_options)
        available = list(header.schema.names)
        header.close()
        _check_columns(names, available)
        wanted = list(dict.fromkeys(names.values()))
        # An empty cell is a missing value (pyarrow would otherwise read "" as a string, an unknown channel).
        convert = csv.ConvertOptions(include_columns=wanted, strings_can_be_null=True)
        reader = csv.open_csv(path, read_options=read_options, convert_options=convert)
        return cls.from_frame(reader, **options)

    # ---- the log -----------------------------------------------------------------------------------------

    def __len__(self) -> int:
        """Accepted rows."""
        return len(self._core)

    @property
    def rows_read(self) -> int:
        """Rows in the input: ``len(self) + len(self.quarantine)``."""
        return int(self._core.rows_read)

    @property
    def columns(self) -> dict[str, str]:
        """The mapped roles: role -> source column name."""
        return dict(self._columns)

    @property
    def quarantine_counts(self) -> dict[str, int]:
        """Quarantined rows per reason, every reason present (0 when none)."""
        return {k: int(v) for k, v in self._core.quarantine_counts().items()}

    @property
    def quarantine(self) -> Any:
        """The quarantined rows: ``row`` (position in the input), ``reason``, then the mapped source columns
        with the rows' original values. A pandas DataFrame when pandas is installed, else a dict of numpy
        arrays."""
        if self._quarantine is None:
            self._quarantine = self._quarantine_table()
        return self._quarantine

    def _quarantine_table(self) -> Any:
        core = self._core
        rows = core.quarantine_rows()
        reasons = np.asarray(REASONS, dtype=object)[core.quarantine_reason_codes()]
        gathered: dict[str, tuple[str, Any, npt.NDArray[np.bool_]]] = {}
        for role, name in self._columns.items():
            if name not in gathered:  # one source column may feed two roles
                values, missing = core.gather(role, rows)
                gathered[name] = (role, values, missing)
        try:
            import pandas as pd
        except ImportError:
            table: dict[str, Any] = {"row": rows.astype(np.int64), "reason": reasons}
            for name, (role, values, missing) in gathered.items():
                table[name] = _plain_column(role, values, missing)
            return table
        frame: dict[str, Any] = {"row": rows.astype(np.int64), "reason": reasons}
        for name, (role, values, missing) in gathered.items():
            frame[name] = _pandas_column(pd, role, values, missing)
        return pd.DataFrame(frame)

    def __repr__(self) -> str:
        bad = ", ".join(f"{k}={v}" for k, v in self.quarantine_counts.items() if v)
        cols = ", ".join(f"{role}={name!r}" for role, name in self._columns.items())
        return (
            f"ContactLog({len(self)} accepted of {self.rows_read} rows read, "
            f"{self.rows_read - len(self)} quarantined{' (' + bad + ')' if bad else ''}; {cols})"
        )

    def _repr_html_(self) -> str:
        counts = "".join(
            f"<tr><td>{escape(k)}</td><td style='text-align:right'>{v:,}</td></tr>"
            for k, v in self.quarantine_counts.items()
            if v
        )
        cols = "".join(
            f"<tr><td>{escape(role)}</td><td><code>{escape(name)}</code></td></tr>"
            for role, name in self._columns.items()
        )
        quarantined = self.rows_read - len(self)
        return (
            "<div class='missionkit-contact-log'>"
            f"<h4>ContactLog</h4><p>{len(self):,} accepted of {self.rows_read:,} rows read; "
            f"{quarantined:,} quarantined</p>"
            + (f"<table><tr><th>reason</th><th>rows</th></tr>{counts}</table>" if counts else "")
            + f"<table><tr><th>role</th><th>column</th></tr>{cols}</table></div>"
        )


# ---- mapping and rules ---------------------------------------------------------------------------------


def _mapping(**roles: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for role, name in roles.items():
        if name is None:
            continue
        if not isinstance(name, str):
            raise TypeError(f"{role}= must be a column name (str), got {type(name).__name__}")
        out[role] = name
    return out


_OPTION_KEYWORDS = frozenset({"channels", "time_range", "scales", "time_unit"})


def _source_names(options: Mapping[str, Any]) -> dict[str, str]:
    """The role -> column keywords among ``options`` (for the file readers, before from_frame)."""
    for key in options:
        if key not in ROLES and key not in _OPTION_KEYWORDS:
            close = difflib.get_close_matches(key, [*ROLES, *_OPTION_KEYWORDS], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise TypeError(f"unexpected keyword {key!r}{hint}")
    for required in ("customer", "start"):
        if options.get(required) is None:
            raise TypeError(f"the {required!r} role is required: pass {required}='<column name>'")
    return _mapping(**{k: v for k, v in options.items() if k in ROLES})


def _rules(channels: Iterable[str] | None, time_range: Any, scales: Any) -> ValidationRules:
    """``time_range``: a (min, max) pair of times or None; ``scales``: {score: (min, max)} or None."""
    rules = ValidationRules()
    if channels is not None:
        if isinstance(channels, str):
            raise TypeError("channels= must be a list of channel labels, not a single string")
        rules.channels = [str(c) for c in channels]
    if time_range is not None:
        lo, hi = time_range
        rules.min_time_s = _epoch_seconds(lo, "time_range[0]")
        rules.max_time_s = _epoch_seconds(hi, "time_range[1]")
    for key, bounds in (scales or {}).items():
        if key not in _SCALES:
            raise ValueError(f"scales: unknown score {key!r}; expected one of {sorted(_SCALES)}")
        lo_name, hi_name = _SCALES[key]
        setattr(rules, lo_name, float(bounds[0]))
        setattr(rules, hi_name, float(bounds[1]))
    return rules


def _epoch_seconds(value: Any, what: str) -> int:
    """Whole seconds since 1970-01-01T00:00Z of a bound: a number (already seconds), an ISO string, a
    date (midnight UTC), a datetime (naive = UTC), a numpy datetime64 or a pandas Timestamp."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a time, not a bool")
    if isinstance(value, (int, float, np.integer, np.floating)):
        return int(value)
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{what}: {value!r} is not an ISO-8601 date or time") from None
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[s]").astype(np.int64))
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return int(value.timestamp() // 1)
    if isinstance(value, _dt.date):
        return int(_dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc).timestamp())
    raise TypeError(f"{what} must be a date, datetime, ISO string, numpy datetime64 or epoch seconds")


def _check_columns(mapping: Mapping[str, str], available: Sequence[str]) -> None:
    """KeyError naming the first mapped column that the data lacks, with the closest real name."""
    for role, name in mapping.items():
        if name not in available:
            close = difflib.get_close_matches(name, [str(a) for a in available], n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            listed = ", ".join(repr(str(a)) for a in available)
            raise KeyError(f"column {name!r} (mapped to {role}=) is not in the data.{hint} Columns: {listed}")


def _pyarrow_module(name: str, caller: str) -> Any:
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(
            f"ContactLog.{caller} needs pyarrow, which is not installed; `pip install pyarrow` "
            "(or read the file with another library and pass the frame to ContactLog.from_frame)"
        ) from None


# ---- import --------------------------------------------------------------------------------------------


def _kind(data: Any) -> str:
    module = type(data).__module__.split(".")[0]
    name = type(data).__name__
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "polars" and name == "DataFrame":
        return "polars"
    if module == "polars" and name == "LazyFrame":
        return "lazy"
    if module == "pyarrow" and name in ("Table", "RecordBatch"):
        return "pyarrow"
    if isinstance(data, np.ndarray):
        return "structured"
    if isinstance(data, Mapping):
        return "mapping"
    if hasattr(data, "__arrow_c_stream__"):
        return "stream"
    return "unknown"


def _import(
    data: Any, mapping: dict[str, str], rules: ValidationRules, time_unit: str | None
) -> ContactLogCore:
    kind = _kind(data)
    wanted = list(dict.fromkeys(mapping.values()))
    if kind == "pandas":
        _check_columns(mapping, [str(c) for c in data.columns])
        columns = {role: _pandas_input(data[name], name, role) for role, name in mapping.items()}
        return ContactLogCore.from_columns(columns, mapping, rules, time_unit)
    if kind == "structured":
        if data.dtype.names is None:
            raise TypeError(
                "a numpy array passed as data must be a structured array (named fields); "
                "for plain arrays pass a dict {column name: array}"
            )
        _check_columns(mapping, list(data.dtype.names))
        # A field of a structured array is strided (its values are interleaved with the other fields'),
        # so it is copied into a contiguous array here.
        columns = {
            role: _numpy_input(np.ascontiguousarray(data[name]), name, role) for role, name in mapping.items()
        }
        return ContactLogCore.from_columns(columns, mapping, rules, time_unit)
    if kind == "mapping":
        _check_columns(mapping, [str(k) for k in data])
        columns = {role: _any_input(data[name], name, role) for role, name in mapping.items()}
        _check_lengths({name: data[name] for name in wanted})
        return ContactLogCore.from_columns(columns, mapping, rules, time_unit)
    if kind == "lazy":
        raise TypeError(
            "a polars LazyFrame must be collected first: ContactLog.from_frame(lf.collect(), ...)"
        )
    if kind in ("polars", "pyarrow"):
        _check_columns(mapping, [str(c) for c in data.columns] if kind == "polars" else data.schema.names)
        data = data.select(wanted)  # export only the mapped columns
    elif kind != "stream":
        raise TypeError(
            f"cannot read a contact log from {type(data).__module__}.{type(data).__name__}; pass a pandas, "
            "polars or pyarrow table, an object with __arrow_c_stream__, a dict of arrays or a numpy "
            "structured array"
        )
    capsule = data.__arrow_c_stream__()
    _check_columns(mapping, _core.arrow_stream_names(capsule))
    return ContactLogCore.from_stream(capsule, mapping, rules, time_unit)


def _check_lengths(columns: Mapping[str, Any]) -> None:
    """ValueError naming the first column whose length differs from the first mapped one's (C++ would
    name the role; here the source column is known)."""
    lengths = {name: len(values) for name, values in columns.items() if hasattr(values, "__len__")}
    if not lengths:
        return
    first, n = next(iter(lengths.items()))
    for name, length in lengths.items():
        if length != n:
            raise ValueError(f"column {name!r} has {length} rows, expected {n} (the length of {first!r})")


def _any_input(values: Any, name: str, role: str) -> Any:
    """One column of a dict input, as ContactLogCore.from_columns takes it."""
    if type(values).__module__.split(".")[0] == "pandas" and type(values).__name__ == "Series":
        return _pandas_input(values, name, role)
    if hasattr(values, "__arrow_c_stream__"):  # pyarrow ChunkedArray, polars Series...
        return values.__arrow_c_stream__()
    if hasattr(values, "__arrow_c_array__"):  # pyarrow Array
        return values.__arrow_c_array__()
    return _numpy_input(np.asarray(values), name, role)


def _numpy_input(arr: npt.NDArray[Any], name: str, role: str) -> Any:
    """A numpy column made acceptable to C++ (1-D, contiguous, native order, a supported dtype). Arrays
    that already are pass through untouched, so C++ views their memory."""
    if arr.ndim != 1:
        raise ValueError(f"column {name!r}: expected a 1-D array, got shape {arr.shape}")
    kind = arr.dtype.kind
    if kind in "OUS":
        if role in _LABEL_ROLES:
            return _encode_strings(arr)
        arr = _from_objects(arr, name, role)
        kind = arr.dtype.kind
    if kind in "Mm":
        unit, count = np.datetime_data(arr.dtype)
        if unit not in _NUMPY_TIME_UNITS or count != 1:
            target = "ns" if unit in ("ps", "fs", "as") else "s"
            arr = arr.astype(f"{kind}8[{target}]")
    elif kind == "f" and arr.dtype.itemsize not in (4, 8):
        arr = arr.astype(np.float64)
    elif kind == "c":
        raise ValueError(f"column {name!r}: complex numbers are not a {role}")
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)
    return arr


def _from_objects(arr: npt.NDArray[Any], name: str, role: str) -> npt.NDArray[Any]:
    """An object or string column for a non-label role: numbers with None as NaN, or datetimes."""
    try:
        if role in _TIME_ROLES:
            return np.asarray(arr, dtype="datetime64[us]")
        if arr.dtype.kind == "O":
            arr = np.where(_is_none(arr), np.nan, arr)
        return np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError) as e:
        what = "timestamps" if role in _TIME_ROLES else "flags" if role in _FLAG_ROLES else "numbers"
        raise ValueError(
            f"column {name!r} (mapped to {role}=) holds {arr.dtype} values that are not {what}: {e}"
        ) from None


def _is_none(arr: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Element-wise ``is None`` of an object array, in numpy's loop."""
    none: Any = None
    return np.asarray(np.equal(arr, none), dtype=np.bool_)


def _encode_strings(arr: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int32], list[str]]:
    """Strings of a numpy column as (int32 codes, labels), -1 for None/NaN, with numpy's vectorised
    np.unique (no Python loop per row)."""
    if arr.dtype.kind == "O":
        missing = _is_none(arr) | np.asarray(np.not_equal(arr, arr), dtype=np.bool_)  # None or NaN
        present = arr[~missing].astype(str)
    else:
        missing = np.zeros(arr.shape[0], dtype=np.bool_)
        present = arr.astype(str) if arr.dtype.kind == "S" else arr
    labels, inverse = np.unique(present, return_inverse=True)
    codes = np.full(arr.shape[0], -1, dtype=np.int32)
    codes[~missing] = inverse.reshape(-1)
    return codes, [str(s) for s in labels.tolist()]


def _pandas_input(series: Any, name: str, role: str) -> Any:
    """A pandas column: numpy-backed numbers and times are passed as their numpy array (a view); strings,
    categoricals and nullable extension types go through pyarrow when it is installed (zero-copy for
    Arrow-backed strings), else are converted with numpy."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biufMm":
        return _numpy_input(series.to_numpy(copy=False), name, role)
    try:
        import pyarrow as pa
    except ImportError:
        pa = None
    if pa is not None:
        try:
            array = pa.array(series, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
            raise ValueError(f"column {name!r} (mapped to {role}=): {e}") from None
        if isinstance(array, pa.ChunkedArray):
            return array.__arrow_c_stream__()
        return array.__arrow_c_array__()
    if str(dtype) == "category":
        codes = np.asarray(series.cat.codes.to_numpy(), dtype=np.int32)
        labels = [str(c) for c in series.cat.categories.tolist()]
        if role in _LABEL_ROLES:
            return codes, labels
        return _numpy_input(np.asarray(series.astype(object).to_numpy()), name, role)
    if getattr(dtype, "tz", None) is not None:  # tz-aware datetimes: their UTC instants
        return _numpy_input(series.dt.tz_convert(None).to_numpy(), name, role)
    if role in _LABEL_ROLES:
        return _encode_strings(np.asarray(series.to_numpy(dtype=object, na_value=None)))
    return _numpy_input(series.to_numpy(dtype=np.float64, na_value=np.nan), name, role)


# ---- quarantine columns --------------------------------------------------------------------------------


def _plain_column(role: str, values: Any, missing: npt.NDArray[np.bool_]) -> npt.NDArray[Any]:
    """A quarantine column as numpy: labels and nullable ints / flags as object arrays with None."""
    if isinstance(values, list):
        return np.asarray(values, dtype=object)
    if role in _FLAG_ROLES or (values.dtype.kind in "iu" and missing.any()):
        out = (values == 1).astype(object) if role in _FLAG_ROLES else values.astype(object)
        out[missing] = None
        return np.asarray(out)
    return np.asarray(values)


def _pandas_column(pd: Any, role: str, values: Any, missing: npt.NDArray[np.bool_]) -> Any:
    """A quarantine column as a pandas array: nullable Int64 / boolean where values can be missing."""
    if isinstance(values, list):
        return pd.array(values, dtype=object)
    if role in _FLAG_ROLES:
        return pd.arrays.BooleanArray(values == 1, missing)
    if values.dtype.kind in "iu":
        return pd.arrays.IntegerArray(values.astype(np.int64), missing)
    if values.dtype.kind == "M":  # UTC instants
        return pd.DatetimeIndex(values).tz_localize("UTC")
    return values
