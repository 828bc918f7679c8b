"""CX measures as methods of :class:`missionkit.ContactLog`.

Every measure returns a :class:`MeasureResult` (value, numerator, denominator, confidence interval...)
or, with ``by=`` and/or ``period=``, a tidy table with one row per group (pandas by default; ``output=``
``"polars"``, ``"pyarrow"`` or ``"dict"``). Definitions: docs/measures.md.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable, Union

import numpy as np
import numpy.typing as npt

from missionkit import _core

Duration = Union[str, float, int, _dt.timedelta, np.timedelta64]
#: A row filter: dimension -> one label or a list of labels (``{"channel": "chat", "queue": ["a", "b"]}``).
Where = Mapping[str, Union[str, Sequence[str]]]

#: The measures :meth:`MeasuresMixin.contact_values` can give per unit (every measure but occupancy, which
#: is a census ratio against staffed time, not an average over units).
VALUE_MEASURES: tuple[str, ...] = (
    "fcr",
    "fcr_reported",
    "repeat_rate",
    "repeats_per_issue",
    "resolution_time",
    "containment",
    "aht",
    "service_level",
    "abandonment",
    "asa",
    "cost_to_serve",
    "failure_demand",
    "csat",
    "csat_mean",
    "nps",
    "ces",
)
_UNITS = "_units"  # internal output mode of the measure methods: per-unit values (contact_values)
_GROUPING_OPTIONS = ("by", "period", "tz", "alpha", "min_n", "output")

_UNIT_SECONDS = {"s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_ISO = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def to_seconds(value: Duration, name: str) -> float:
    """Seconds in a duration: a number (seconds), ``"7D"``, ``"48h"``, ``"30min"``, ``"20s"``, an ISO-8601
    ``"P7D"`` / ``"PT20S"`` (no years or months: they have no fixed length), or a timedelta."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a duration, not a bool")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    if isinstance(value, np.timedelta64):
        return float(value / np.timedelta64(1, "ns")) / 1e9
    if isinstance(value, str):
        text = value.strip()
        iso = _ISO.match(text.upper())
        if iso and text.upper() not in ("P", "PT"):
            weeks, days, hours, minutes, seconds = (float(g) if g else 0.0 for g in iso.groups())
            return weeks * 604800 + days * 86400 + hours * 3600 + minutes * 60 + seconds
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([A-Za-z]+)", text)
        if m and m.group(2).lower() in _UNIT_SECONDS:
            return float(m.group(1)) * _UNIT_SECONDS[m.group(2).lower()]
    raise ValueError(
        f"{name} must be a duration such as '7D', '48h', '30min', '20s', 'P7D' or a number of seconds, "
        f"got {value!r}"
    )


@dataclass(frozen=True)
class MeasureResult:
    """One measure over the whole log: the value with its numerator, denominator and confidence interval."""

    measure: str
    value: float
    numerator: float
    denominator: float
    ci: tuple[float, float]
    ci_method: str
    n: int
    censored: int
    small_cell: bool
    unit: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "ci_low": self.ci[0],
            "ci_high": self.ci[1],
            "ci_method": self.ci_method,
            "n": self.n,
            "censored": self.censored,
            "small_cell": self.small_cell,
            "unit": self.unit,
        }

    def __repr__(self) -> str:
        pct = self.unit == "proportion"
        fmt: Callable[[float], str] = (lambda x: f"{100 * x:.2f}%") if pct else (lambda x: f"{x:.4g}")
        extra = f", censored={self.censored}" if self.censored else ""
        flag = ", small_cell" if self.small_cell else ""
        return (
            f"{self.measure}: {fmt(self.value)} [{fmt(self.ci[0])}, {fmt(self.ci[1])}] "
            f"({self.confidence:.0%} CI, {self.ci_method}; n={self.n}{extra}{flag})"
        )

    def _repr_html_(self) -> str:
        return f"<code>{self!r}</code>"


def _table(raw: dict[str, Any], alpha: float, output: str) -> Any:
    columns: dict[str, Any] = {}
    for name, labels, codes in zip(raw["by"], raw["by_labels"], raw["by_codes"]):
        lookup = np.array([*labels, None], dtype=object)  # code -1 (missing) -> None
        columns[name] = lookup[np.where(codes < 0, len(labels), codes)]
    if raw["period"] != "none":
        columns["period"] = np.array(raw["period_labels"], dtype=object)
    for key in ("value", "numerator", "denominator", "ci_low", "ci_high"):
        columns[key] = raw[key]
    columns["ci_method"] = np.array([raw["ci_method"]] * len(raw["value"]), dtype=object)
    columns["confidence"] = np.full(len(raw["value"]), 1 - alpha)
    columns["n"] = raw["n"].astype(np.int64)
    columns["censored"] = raw["censored"].astype(np.int64)
    columns["small_cell"] = raw["small_cell"].astype(bool)
    # Rows in label order (missing last), then time order: the engine numbers groups by dictionary code,
    # which is the order values first appeared in the data. Period labels sort chronologically as text.
    sort_keys = [np.array(["" if v is None else v for v in columns[name]], dtype=str) for name in raw["by"]]
    missing = [np.array([v is None for v in columns[name]]) for name in raw["by"]]
    period_key = [columns["period"].astype(str)] if "period" in columns else []
    if len(raw["value"]) > 1:
        # np.lexsort sorts by the last key first.
        keys: list[Any] = []
        for label, miss in zip(sort_keys, missing):
            keys += [miss, label]
        order = np.lexsort((*period_key, *reversed(keys))) if keys else np.lexsort(tuple(period_key))
        columns = {k: v[order] for k, v in columns.items()}
    if output == "dict":
        return columns
    if output == "pandas":
        import pandas as pd

        return pd.DataFrame(columns)
    if output == "polars":
        import polars as pl

        return pl.DataFrame({k: list(v) if v.dtype == object else v for k, v in columns.items()})
    if output == "pyarrow":
        import pyarrow as pa

        return pa.table({k: list(v) if v.dtype == object else v for k, v in columns.items()})
    raise ValueError(f"output must be 'pandas', 'polars', 'pyarrow' or 'dict', got {output!r}")


_VALUE_COLUMNS = {
    "value",
    "numerator",
    "denominator",
    "ci_low",
    "ci_high",
    "ci_method",
    "confidence",
    "n",
    "censored",
    "small_cell",
}


def _convert(frame: Any, output: str) -> Any:
    """A pandas table in the requested output type."""
    if output == "pandas":
        return frame
    if output == "dict":
        return {c: frame[c].to_numpy() for c in frame.columns}
    if output == "polars":
        import polars as pl

        return pl.from_pandas(frame)
    if output == "pyarrow":
        import pyarrow as pa

        return pa.Table.from_pandas(frame, preserve_index=False)
    raise ValueError(f"output must be 'pandas', 'polars', 'pyarrow' or 'dict', got {output!r}")


def _finish(raw: dict[str, Any], grouped: bool, alpha: float, output: str) -> Any:
    if grouped:
        return _table(raw, alpha, output)
    if len(raw["value"]) == 0:
        nan = math.nan
        return MeasureResult(
            raw["measure"],
            nan,
            0.0,
            0.0,
            (nan, nan),
            raw["ci_method"] or "none",
            0,
            0,
            True,
            raw["unit"],
            1 - alpha,
        )
    return MeasureResult(
        measure=raw["measure"],
        value=float(raw["value"][0]),
        numerator=float(raw["numerator"][0]),
        denominator=float(raw["denominator"][0]),
        ci=(float(raw["ci_low"][0]), float(raw["ci_high"][0])),
        ci_method=raw["ci_method"],
        n=int(raw["n"][0]),
        censored=int(raw["censored"][0]),
        small_cell=bool(raw["small_cell"][0]),
        unit=raw["unit"],
        confidence=1 - alpha,
    )


class Partial:
    """A measure's exact partial states on one partition of the data (``output="partial"``).

    Partials of the same measure and grouping add up: ``total = part_a + part_b`` (or ``sum(parts)``),
    then ``total.finish()`` gives the same result as one pass over all the data, to the last bit. They
    pickle, so they can travel between processes (Spark executors, multiprocessing). Episode measures (FCR,
    repeats, resolution, containment) need each customer's contacts in one partition, and the same
    ``data_end`` on every partition (each partition would otherwise censor at its own latest contact; the
    merge refuses that).
    """

    def __init__(self, table: Any, grouped: bool) -> None:
        self._table = table
        self._grouped = grouped

    @property
    def measure(self) -> str:
        return str(self._table.measure)

    @property
    def where(self) -> dict[str, list[str]]:
        """The row filter the partial was computed under (labels sorted); partials merge only when equal."""
        return {str(k): [str(v) for v in vs] for k, vs in self._table.where.items()}

    def __add__(self, other: Partial) -> Partial:
        if not isinstance(other, Partial):
            return NotImplemented
        return Partial(_core.MeasureTable.merge([self._table, other._table]), self._grouped or other._grouped)

    def __radd__(self, other: object) -> Partial:
        if other == 0:  # sum() starts from 0
            return self
        if isinstance(other, Partial):
            return other.__add__(self)
        return NotImplemented

    def finish(self, alpha: float = 0.05, min_n: int = 30, output: str = "pandas") -> Any:
        """The result (a MeasureResult, or a table when the measure was grouped) at level ``1 - alpha``."""
        return _finish(self._table.finish(alpha, min_n), self._grouped, alpha, output)

    def to_json(self) -> str:
        """The states as versioned JSON (exact: 128-bit sums as decimal strings)."""
        return str(self._table.to_json())

    @classmethod
    def from_json(cls, text: str, grouped: bool = True) -> Partial:
        return cls(_core.MeasureTable.from_json(text), grouped)

    def __repr__(self) -> str:
        return f"Partial({self.measure}, groups={self._table.rows})"


class MeasuresMixin:
    """Measures of a contact log. Mixed into :class:`missionkit.ContactLog`; see docs/measures.md.

    Shared keyword arguments: ``by`` (a dimension name or list: ``"channel"``, ``"reason"``, ``"queue"``,
    ``"site"``, ``"agent"``), ``where`` (a row filter: ``{"channel": "chat"}`` or ``{"queue": ["a", "b"]}``;
    only contacts with one of the labels count, and for the episode measures the episode's first contact
    decides while repeats are still looked for among all contacts; see docs/measures.md), ``period``
    (``"day"``, ``"week"`` (ISO), ``"month"``, ``"quarter"``, ``"year"``) of the contact start in ``tz`` (an
    IANA zone, default UTC), ``alpha`` (1 - confidence), ``min_n`` (groups with fewer units are flagged
    ``small_cell``) and ``output`` for grouped tables (``"pandas"``, ``"polars"``, ``"pyarrow"``, ``"dict"``,
    or ``"partial"`` for a mergeable :class:`Partial`). :meth:`contact_values` gives any measure per unit.
    """

    _core: Any

    def _run(
        self,
        fn: Callable[..., dict[str, Any]],
        by: str | Sequence[str] | None,
        period: str | None,
        tz: str,
        alpha: float,
        min_n: int,
        output: str,
        where: Where | None = None,
        **kwargs: Any,
    ) -> Any:
        pairs = _where_pairs(where)
        if output == _UNITS:  # contact_values: per-unit arrays, ungrouped
            raw = fn(self._core, **kwargs, by=[], period="none", time_zone=tz, where=pairs, values=True)
            return {key: raw[key] for key in ("row", "customer", "start", "numerator", "denominator")}
        dims = [by] if isinstance(by, str) else list(by or [])
        raw = fn(
            self._core,
            **kwargs,
            by=dims,
            period=period or "none",
            time_zone=tz,
            where=pairs,
            alpha=alpha,
            min_n=min_n,
        )
        grouped = bool(dims) or period is not None
        if output == "partial":
            return Partial(raw["partial"], grouped)
        return _finish(raw, grouped, alpha, output)

    def _episode(
        self,
        window: Duration,
        anchor: str,
        same_reason: bool,
        channels: str,
        transfer_gap: Duration | None,
        data_end: Any,
        censoring: str,
    ) -> dict[str, Any]:
        if censoring not in ("exclude", "include"):
            raise ValueError(f"censoring must be 'exclude' or 'include', got {censoring!r}")
        end: float | None = None
        if data_end is not None:
            end = _epoch_seconds(data_end)
        return {
            "window_s": to_seconds(window, "window"),
            "anchor": anchor,
            "same_reason": same_reason,
            "channels": channels,
            "transfer_gap_s": 0.0 if transfer_gap is None else to_seconds(transfer_gap, "transfer_gap"),
            "data_end_s": end,
            "exclude_censored": censoring == "exclude",
        }

    def fcr(
        self,
        window: Duration = "7D",
        *,
        anchor: str = "end",
        same_reason: bool = True,
        channels: str = "any",
        transfer_gap: Duration | None = None,
        data_end: Any = None,
        censoring: str = "exclude",
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """First contact resolution: share of contacts (episodes) with no repeat within ``window``.

        A contact is resolved at first contact when the same customer makes no further contact (of the same
        reason when ``same_reason``, in the same channel when ``channels="same"``) starting within ``window``
        of its end (``anchor="end"``) or start. Contacts starting within ``transfer_gap`` of the previous
        one's end are one episode. Contacts whose window runs past ``data_end`` (default: the last contact
        start) without a repeat are *censored*: left out of the denominator and counted in ``censored``
        (``censoring="include"`` counts them as resolved instead). Wilson interval.
        """
        ep = self._episode(window, anchor, same_reason, channels, transfer_gap, data_end, censoring)
        return self._run(_core.measure_fcr, by, period, tz, alpha, min_n, output, where=where, **ep)

    def fcr_reported(
        self,
        *,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Reported FCR: share of contacts whose ``resolved`` flag (a survey answer or an agent disposition)
        is yes, among contacts that have the flag. Report it beside the behavioural :meth:`fcr`: the two
        disagree whenever customers come back about issues that were marked resolved. Wilson interval."""
        return self._run(_core.measure_fcr_reported, by, period, tz, alpha, min_n, output, where=where)

    def occupancy(
        self,
        staffed: Any,
        *,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        output: str = "pandas",
    ) -> Any:
        """Occupancy: handle seconds / staffed seconds.

        Staffed time is not in a contact log, so it is passed in: a number of seconds (ungrouped), or a
        DataFrame with the grouping columns (and ``period`` labels as this library writes them) and a
        ``staffed_seconds`` column. Occupancy is a census ratio of totals, not a sample estimate, so it has
        no confidence interval (``ci_method`` is ``"none"``).
        """
        handled = self.aht(by=by, period=period, tz=tz, where=where, output="pandas")
        if isinstance(handled, MeasureResult):
            staffed_s = float(staffed)
            if not staffed_s > 0:
                raise ValueError(f"staffed must be a positive number of seconds, got {staffed!r}")
            value = handled.numerator / staffed_s
            return MeasureResult(
                "occupancy",
                value,
                handled.numerator,
                staffed_s,
                (math.nan, math.nan),
                "none",
                handled.n,
                0,
                handled.small_cell,
                "proportion",
                handled.confidence,
            )
        import pandas as pd

        keys = [c for c in handled.columns if c not in _VALUE_COLUMNS]
        if not isinstance(staffed, pd.DataFrame) or "staffed_seconds" not in staffed.columns:
            raise ValueError("staffed must be a DataFrame with the grouping columns and 'staffed_seconds'")
        missing = [k for k in keys if k not in staffed.columns]
        if missing:
            raise ValueError(f"staffed is missing the grouping column(s) {missing}")
        merged = handled[[*keys, "numerator", "n", "small_cell"]].merge(
            staffed[[*keys, "staffed_seconds"]], on=keys, how="left", validate="one_to_one"
        )
        if merged["staffed_seconds"].isna().any():
            absent = merged.loc[merged["staffed_seconds"].isna(), keys].head(3).to_dict("records")
            raise ValueError(f"staffed has no staffed_seconds for group(s) such as {absent}")
        out = merged.rename(columns={"staffed_seconds": "denominator"})
        out["value"] = out["numerator"] / out["denominator"]
        out["ci_low"] = out["ci_high"] = math.nan
        out["ci_method"] = "none"
        out = out[
            [*keys, "value", "numerator", "denominator", "ci_low", "ci_high", "ci_method", "n", "small_cell"]
        ]
        return _convert(out, output)

    def repeat_rate(
        self,
        window: Duration = "7D",
        *,
        anchor: str = "end",
        same_reason: bool = True,
        channels: str = "any",
        transfer_gap: Duration | None = None,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Share of contacts (episodes) that repeat an earlier one within its window. Wilson interval."""
        ep = self._episode(window, anchor, same_reason, channels, transfer_gap, None, "exclude")
        return self._run(_core.measure_repeat_rate, by, period, tz, alpha, min_n, output, where=where, **ep)

    def repeats_per_issue(
        self,
        window: Duration = "7D",
        *,
        anchor: str = "end",
        same_reason: bool = True,
        channels: str = "any",
        transfer_gap: Duration | None = None,
        data_end: Any = None,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Mean repeat contacts per issue (an issue: a first contact and the chain of its repeats); issues
        whose last window is not yet observed are left out. t interval."""
        ep = self._episode(window, anchor, same_reason, channels, transfer_gap, data_end, "exclude")
        return self._run(
            _core.measure_repeats_per_issue, by, period, tz, alpha, min_n, output, where=where, **ep
        )

    def resolution_time(
        self,
        window: Duration = "7D",
        *,
        anchor: str = "end",
        same_reason: bool = True,
        channels: str = "any",
        transfer_gap: Duration | None = None,
        data_end: Any = None,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Mean seconds from an issue's first contact start to its last contact end. t interval."""
        ep = self._episode(window, anchor, same_reason, channels, transfer_gap, data_end, "exclude")
        return self._run(
            _core.measure_resolution_time, by, period, tz, alpha, min_n, output, where=where, **ep
        )

    def containment(
        self,
        digital: Sequence[str],
        assisted: Sequence[str],
        window: Duration = "7D",
        *,
        anchor: str = "end",
        data_end: Any = None,
        censoring: str = "exclude",
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Share of contacts in ``digital`` channels not followed by a contact in an ``assisted`` channel
        within ``window``. Censored like FCR. Wilson interval."""
        ep = self._episode(window, anchor, True, "any", None, data_end, censoring)
        return self._run(
            _core.measure_containment,
            by,
            period,
            tz,
            alpha,
            min_n,
            output,
            where=where,
            digital=list(digital),
            assisted=list(assisted),
            **ep,
        )

    def aht(
        self,
        part: str = "handle",
        *,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Average handle time in seconds (``part="talk"``, ``"hold"`` or ``"wrap"`` for its parts). Without a
        handle column, handle time is end - start. t interval."""
        return self._run(_core.measure_aht, by, period, tz, alpha, min_n, output, where=where, part=part)

    def service_level(
        self,
        threshold: Duration = 20,
        *,
        convention: str = "offered",
        short_abandon: Duration = 5,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Share of contacts answered within ``threshold`` (wait <= threshold), under a named convention:
        ``answered`` (of answered), ``offered`` (of answered + abandoned), ``offered_excl_short_abandons``,
        ``short_abandons_as_met`` (an abandon is short when wait < ``short_abandon``). Wilson interval."""
        return self._run(
            _core.measure_service_level,
            by,
            period,
            tz,
            alpha,
            min_n,
            output,
            where=where,
            convention=convention,
            threshold_s=to_seconds(threshold, "threshold"),
            short_abandon_s=to_seconds(short_abandon, "short_abandon"),
        )

    def abandonment(
        self,
        *,
        exclude_short: bool = False,
        short_abandon: Duration = 5,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Abandoned / offered; ``exclude_short=True`` drops short abandons (wait < ``short_abandon``) from
        both. Wilson interval."""
        return self._run(
            _core.measure_abandonment,
            by,
            period,
            tz,
            alpha,
            min_n,
            output,
            where=where,
            exclude_short=exclude_short,
            short_abandon_s=to_seconds(short_abandon, "short_abandon"),
        )

    def asa(
        self,
        *,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Average speed of answer: mean wait (seconds) of answered contacts. t interval."""
        return self._run(_core.measure_asa, by, period, tz, alpha, min_n, output, where=where)

    def cost_to_serve(
        self,
        *,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Mean cost per contact (contacts with a cost); the numerator is the total cost. t interval."""
        return self._run(_core.measure_cost_to_serve, by, period, tz, alpha, min_n, output, where=where)

    def failure_demand(
        self,
        reasons: Sequence[str] | Any,
        *,
        by_reason: bool = False,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Failure demand: share of contacts whose reason is one of ``reasons`` (a list of reason names, or a
        :class:`missionkit.Spec`, whose ``failure_demand`` list is used). Wilson interval.

        ``by_reason=True`` breaks the share down by failure reason: one row per failure reason (and group),
        with that reason's contacts over all contacts with a reason in the group, so the rows of a group add
        up to its failure-demand share.
        """
        names = list(reasons.failure_demand) if hasattr(reasons, "failure_demand") else list(reasons)
        if not names:
            raise ValueError("failure_demand needs at least one reason (the spec declares none)")
        if not by_reason:
            return self._run(
                _core.measure_failure_demand, by, period, tz, alpha, min_n, output, where=where, reasons=names
            )
        import pandas as pd

        dims = [by] if isinstance(by, str) else list(by or [])
        if "reason" in dims:
            raise ValueError("by_reason=True already groups by reason; leave 'reason' out of by")
        # Per reason and group: contacts of that reason (the numerator) ...
        parts = self._run(
            _core.measure_failure_demand,
            ["reason", *dims],
            period,
            tz,
            alpha,
            min_n,
            "pandas",
            where=where,
            reasons=names,
        )
        # ... over all contacts with a reason in the group (the denominator of the overall share).
        totals = self._run(
            _core.measure_failure_demand,
            dims or None,
            period,
            tz,
            alpha,
            min_n,
            "pandas",
            where=where,
            reasons=names,
        )
        keys = [*dims, *(["period"] if period is not None else [])]
        if isinstance(totals, MeasureResult):
            parts["denominator"] = totals.denominator
        else:
            parts = parts.drop(columns="denominator").merge(totals[[*keys, "denominator"]], on=keys)
        parts = parts[parts["reason"].isin(names)].reset_index(drop=True)
        parts["value"] = parts["numerator"] / parts["denominator"]
        low, high = stats_proportion_ci(parts["numerator"].to_numpy(), parts["denominator"].to_numpy(), alpha)
        parts["ci_low"], parts["ci_high"] = low, high
        parts["n"] = parts["denominator"].astype("int64")
        parts["small_cell"] = parts["n"] < min_n
        out = pd.DataFrame(parts)
        return _convert(out, output)

    def csat(
        self,
        *,
        top_box_min: float = 4,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """CSAT top-box share: responses >= ``top_box_min`` (4 on a 1-5 scale: top-2-box). Wilson
        interval."""
        return self._run(
            _core.measure_csat, by, period, tz, alpha, min_n, output, where=where, top_box_min=top_box_min
        )

    def csat_mean(
        self,
        *,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Mean CSAT score. t interval."""
        return self._run(_core.measure_csat_mean, by, period, tz, alpha, min_n, output, where=where)

    def nps(
        self,
        *,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Net Promoter Score in points: % promoters (9-10) - % detractors (0-6), with the trinomial
        standard error sqrt((p_p + p_d - (p_p - p_d)^2) / n) and a Wald interval, clipped to [-100, 100]."""
        return self._run(_core.measure_nps, by, period, tz, alpha, min_n, output, where=where)

    def ces(
        self,
        *,
        by: str | Sequence[str] | None = None,
        period: str | None = None,
        tz: str = "UTC",
        where: Where | None = None,
        alpha: float = 0.05,
        min_n: int = 30,
        output: str = "pandas",
    ) -> Any:
        """Mean customer effort score on the declared scale. t interval."""
        return self._run(_core.measure_ces, by, period, tz, alpha, min_n, output, where=where)

    def contact_values(
        self, measure: str, *, where: Where | None = None, **options: Any
    ) -> dict[str, npt.NDArray[Any]]:
        """Per-unit values of a measure, for unit-level analyses (an A/B test randomised by customer, the
        cells of a stepped-wedge design): one entry per unit that counts in the measure.

        ``measure`` is the measure method's name (``"fcr"``, ``"aht"``, ``"nps"``... any of
        :data:`VALUE_MEASURES`) and ``options`` are that method's keyword arguments (``window``,
        ``same_reason``, ``convention``, ``threshold``, ``reasons``, ``digital``...), parsed as the method
        parses them; ``where`` filters as in the method. Grouping options (``by``, ``period``...) do not
        apply: group the units yourself.

        Returns a dict of numpy arrays, ordered by ``row``: ``row`` (int64, the position of the unit's
        contact in the data given to ``from_frame``, as in :attr:`quarantine`; for episode measures the
        episode's or issue's first contact), ``customer`` (the customer ids as given: int64, or an object
        array of str), ``start`` (datetime64[us], UTC), ``numerator`` and ``denominator`` (float64).
        Proportions: numerator 0 or 1, denominator 1. Means: numerator the value (rounded to 1e-6 units as
        the measure's exact sums hold it), denominator 1. NPS: +100 / 0 / -100, denominator 1. Units the
        measure leaves out (censored episodes, rows without a value) are not listed, so summing numerator
        and denominator over any grouping of the units gives the measure's table (for NPS, 100 x its
        numerator).
        """
        if measure not in VALUE_MEASURES:
            raise ValueError(
                f"contact_values: unknown measure {measure!r}; expected one of {', '.join(VALUE_MEASURES)}"
            )
        grouping = [k for k in _GROUPING_OPTIONS if k in options]
        if grouping:
            raise ValueError(
                f"contact_values returns one entry per unit, ungrouped: {', '.join(grouping)} do not apply "
                "(group the units yourself, by row, customer or start)"
            )
        if measure == "failure_demand" and options.get("by_reason"):
            raise ValueError("contact_values: by_reason does not apply (each unit already has its reason)")
        result: dict[str, npt.NDArray[Any]] = getattr(self, measure)(where=where, output=_UNITS, **options)
        return result


def _where_pairs(where: Where | None) -> list[tuple[str, list[str]]]:
    """``where`` as the engine takes it: [(dimension, [labels])]; a single string is one label."""
    if where is None:
        return []
    if not isinstance(where, Mapping):
        raise TypeError(
            "where must be a mapping {dimension: label or list of labels}, e.g. {'channel': 'chat'}, "
            f"got {type(where).__name__}"
        )
    pairs: list[tuple[str, list[str]]] = []
    for dimension, values in where.items():
        if not isinstance(dimension, str):
            raise TypeError(f"where: dimension names are strings, got {dimension!r}")
        if isinstance(values, str):
            labels = [values]
        elif isinstance(values, (Sequence, set, frozenset, np.ndarray)):
            labels = list(values)
        else:
            raise TypeError(
                f"where[{dimension!r}] must be a label or a list of labels, got {type(values).__name__}"
            )
        for label in labels:
            if not isinstance(label, str):
                raise TypeError(f"where[{dimension!r}]: labels are strings, got {label!r}")
        pairs.append((dimension, labels))
    return pairs


def stats_proportion_ci(count: Any, nobs: Any, alpha: float) -> tuple[Any, Any]:
    """Wilson intervals for arrays of counts (the statistics engine's, vectorised)."""
    from missionkit.stats import proportion_ci

    return proportion_ci(count, nobs, alpha=alpha, method="wilson")


def _epoch_seconds(value: Any) -> float:
    """Seconds since the epoch (UTC) of a datetime, date, numpy datetime64, pandas Timestamp or ISO string."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        value = _dt.datetime.fromisoformat(value)
    if isinstance(value, np.datetime64):
        return float(np.int64(value.astype("datetime64[ns]").astype(np.int64))) / 1e9
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return float(value.timestamp())
    if isinstance(value, _dt.date):
        return float(_dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc).timestamp())
    raise TypeError(
        f"data_end must be a datetime, date, ISO string or epoch seconds, got {type(value).__name__}"
    )
