"""Synthetic contact-centre data with planted truth: ``mk.demo.generate()``.

A bank's contact centre over a year: customers with issues that bring them back (repeat contacts), five
channels, twelve reasons, six sites, queues, agents, daily/weekly/annual seasonality in local time, handle
and wait times, abandons, surveys and costs. Planted on top, and described exactly in ``DemoData.truth``:

- a **rollout** (better first-contact handling) going live site by site, one site a month: a stepped-wedge /
  staggered difference-in-differences design with a known relative cut in the repeat probability;
- an **A/B test** of proactive card-dispatch notifications, customers hashed 50/50 into arms, with a known
  relative cut in repeat contacts for card reasons during the test window;
- a **process shift**: handle time in one queue rises by a known factor from a known date (control charts
  should fire);
- **duplicated identities**: some customers' contacts carry a second customer id;
- **data-quality defects**: rows with a missing customer, an end before the start, a negative handle time and
  an unknown channel, in known numbers (they must be quarantined, not dropped).

Deterministic: the same ``seed`` gives the same data on any machine (numpy and missionkit's own hash
assignment, :func:`missionkit.experiment.assign`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

CHANNELS = ("phone", "chat", "email", "app", "web")
ASSISTED = ("phone", "chat", "email")
DIGITAL = ("app", "web")
REASONS = (
    "card_lost_stolen",
    "card_not_arrived",
    "card_activation",
    "payment_dispute",
    "balance_enquiry",
    "statement_query",
    "fraud_alert",
    "online_banking_login",
    "address_change",
    "complaint",
    "direct_debit",
    "overdraft",
)
#: Reasons that are failure demand (caused by a failure to do something, or do it right, for the customer).
FAILURE_DEMAND = ("card_not_arrived", "online_banking_login", "complaint", "statement_query")
CARD_REASONS = ("card_lost_stolen", "card_not_arrived", "card_activation")
SITES = ("leeds", "glasgow", "cardiff", "belfast", "sheffield", "newcastle")
QUEUE_OF_REASON = {
    "card_lost_stolen": "cards",
    "card_not_arrived": "cards",
    "card_activation": "cards",
    "payment_dispute": "payments",
    "direct_debit": "payments",
    "overdraft": "lending",
    "balance_enquiry": "general",
    "statement_query": "general",
    "address_change": "general",
    "fraud_alert": "fraud",
    "online_banking_login": "digital_support",
    "complaint": "complaints",
}
TIME_ZONE = "Europe/London"


@dataclass(frozen=True)
class Truth:
    """What was planted, so that analyses can be checked against it."""

    period_start: str  # first day of data (UTC date)
    period_end: str  # last day of data
    base_repeat_probability: dict[str, float]  # per reason, before any intervention
    repeat_delay_mean_days: float  # mean days from a contact's end to its repeat (exponential)
    rollout_sites: dict[str, str]  # site -> go-live date (stepped wedge, one site a month)
    rollout_relative_effect: float  # multiplies the repeat probability after go-live (e.g. 0.75 = 25% fewer)
    ab_test_start: str
    ab_test_end: str
    ab_salt: str
    ab_reasons: tuple[str, ...]
    ab_relative_effect: float  # multiplies the repeat probability of treated card contacts
    shift_queue: str
    shift_date: str
    shift_factor: float  # handle time multiplier in shift_queue from shift_date
    duplicated_customers: int  # customers whose contacts partly carry a second id
    duplicate_ids: dict[int, int] = field(repr=False)  # second id -> true customer id
    defects: dict[str, int] = field(default_factory=dict)  # planted bad rows per quarantine reason

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["duplicate_ids"] = {str(k): v for k, v in self.duplicate_ids.items()}
        return data


@dataclass
class DemoData:
    """Columns of the generated contact log (numpy arrays) and the planted truth."""

    columns: dict[str, npt.NDArray[Any]]
    truth: Truth

    #: How the columns map to ContactLog roles: ``mk.ContactLog.from_frame(data.columns, **data.mapping)``.
    mapping: dict[str, str] = field(
        default_factory=lambda: {
            "customer": "customer_id",
            "contact_id": "contact_id",
            "start": "start",
            "end": "end",
            "channel": "channel",
            "reason": "reason",
            "queue": "queue",
            "site": "site",
            "agent": "agent",
            "answered": "answered",
            "abandoned": "abandoned",
            "transferred": "transferred",
            "resolved": "resolved",
            "wait": "wait_s",
            "handle": "handle_s",
            "cost": "cost",
            "csat": "csat",
            "nps": "nps",
            "ces": "ces",
        }
    )

    def __len__(self) -> int:
        return len(self.columns["start"])

    def to_pandas(self) -> Any:
        """The contacts as a pandas DataFrame (needs pandas); flags use pandas' nullable boolean."""
        import pandas as pd

        frame = pd.DataFrame({k: v for k, v in self.columns.items() if k not in _FLAGS})
        for k in _FLAGS:
            values = self.columns[k]
            frame[k] = pd.array(np.where(values == 2, None, values == 1), dtype="boolean")
        frame["start"] = frame["start"].dt.tz_localize("UTC")
        frame["end"] = frame["end"].dt.tz_localize("UTC")
        return frame

    def to_arrow(self) -> Any:
        """The contacts as a pyarrow Table (needs pyarrow); timestamps in UTC, strings dictionary-encoded."""
        import pyarrow as pa

        arrays: dict[str, Any] = {}
        for k, v in self.columns.items():
            if k in _FLAGS:
                arrays[k] = pa.array(v == 1, mask=v == 2)
            elif k in ("start", "end"):
                arrays[k] = pa.array(v, pa.timestamp("us", tz="UTC"))
            elif v.dtype.kind in "UO":
                arrays[k] = pa.array(v).dictionary_encode()
            else:
                arrays[k] = pa.array(v)
        return pa.table(arrays)

    def contact_log(self, **rules: Any) -> Any:
        """The data as a :class:`missionkit.ContactLog`, with the channel list declared."""
        from missionkit.contact_log import ContactLog

        kwargs: dict[str, Any] = {**self.mapping, "channels": list(CHANNELS), **rules}
        return ContactLog.from_frame(self.to_arrow(), **kwargs)


_FLAGS = ("answered", "abandoned", "transferred", "resolved")


def _seasonal_times(
    rng: np.random.Generator, n: int, start: np.datetime64, days: int
) -> npt.NDArray[np.int64]:
    """n contact start times (microseconds since the epoch, UTC): annual and weekly seasonality on the day,
    a bimodal working-hours profile within the day (local UK time, approximated as UTC+0/+1 by month)."""
    day_index = np.arange(days)
    dates = start.astype("datetime64[D]") + day_index
    weekday = (dates.astype(np.int64) + 3) % 7  # 0 = Monday
    month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    annual = 1 + 0.15 * np.cos(2 * np.pi * (month - 1) / 12)  # winter peak
    weekly = np.array([1.25, 1.1, 1.0, 1.0, 1.05, 0.6, 0.35])[weekday]
    weights = annual * weekly
    day = rng.choice(days, n, p=weights / weights.sum())
    hour_profile = np.array(
        [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 4, 7, 8, 7.5, 6, 6.5, 7, 6.5, 5.5, 4, 3, 2.5, 2, 1.5, 1, 0.5]
    )
    hour = rng.choice(24, n, p=hour_profile / hour_profile.sum())
    summer = (month[day] >= 4) & (month[day] <= 10)  # British Summer Time, roughly
    seconds = day * 86400 + hour * 3600 + rng.integers(0, 3600, n) - np.where(summer, 3600, 0)
    return np.asarray(start.astype("datetime64[us]").astype(np.int64) + seconds * 1_000_000, dtype=np.int64)


def generate(
    n_contacts: int = 200_000, *, seed: int = 2026, start: str = "2025-07-01", days: int = 365
) -> DemoData:
    """Generate a contact log of about ``n_contacts`` rows with planted effects (see the module docstring).

    Deterministic in ``seed``. 200,000 contacts take well under a second; 10 million about half a minute.
    """
    if n_contacts < 1000:
        raise ValueError(
            f"n_contacts must be at least 1000 for the planted effects to exist, got {n_contacts}"
        )
    rng = np.random.default_rng(seed)
    t0 = np.datetime64(start, "us")
    day_us = 86_400_000_000
    n_customers = max(200, n_contacts // 6)
    home_site = rng.integers(0, len(SITES), n_customers)
    # Issues arrive first; repeats are generated from them, so n_issues is set to land near n_contacts.
    base_repeat = dict(zip(REASONS, (0.30, 0.45, 0.25, 0.35, 0.10, 0.20, 0.30, 0.40, 0.12, 0.38, 0.22, 0.25)))
    reason_weights = np.array([8, 6, 5, 7, 12, 8, 5, 9, 4, 3, 6, 5], dtype=float)
    mean_repeat = float(np.dot(reason_weights / reason_weights.sum(), list(base_repeat.values())))
    n_issues = int(n_contacts * (1 - mean_repeat) * 0.97)

    go_live = {s: str(np.datetime64(start, "M") + 3 + i) + "-01" for i, s in enumerate(SITES)}
    go_live_us = np.array([np.datetime64(go_live[s], "us").astype(np.int64) for s in SITES])
    ab_start, ab_end = np.datetime64("2026-02-01", "us"), np.datetime64("2026-04-01", "us")
    salt = "proactive-dispatch-2026"
    rollout_effect, ab_effect, delay_days = 0.70, 0.60, 2.0

    customer = rng.integers(0, n_customers, n_issues)
    reason = rng.choice(len(REASONS), n_issues, p=reason_weights / reason_weights.sum())
    started = _seasonal_times(rng, n_issues, t0, days)
    channel = rng.choice(len(CHANNELS), n_issues, p=[0.45, 0.2, 0.08, 0.17, 0.10])
    # Arm by mk.experiment.assign (SHA-256 of salt and id, documented in docs/experiment.md), 50/50, on the
    # customer ids as the data carries them: a spec's `assignment: {salt, arms}` reproduces it exactly.
    from missionkit.experiment import assign

    arms = assign(np.arange(n_customers, dtype=np.int64) + 100_000, salt, {"control": 0.5, "treatment": 0.5})
    treated_customer = arms == "treatment"

    rows: list[dict[str, npt.NDArray[Any]]] = []
    cust, rsn, st, ch = customer, reason, started, channel
    end_horizon = t0.astype(np.int64) + days * day_us
    for _ in range(12):  # chains of repeats; each round spawns the next contact of still-open issues
        if len(st) == 0:
            break
        handle = rng.gamma(2.2, [300, 420, 600, 90, 60][0], len(st)) * np.array([1.0, 1.4, 2.0, 0.3, 0.2])[ch]
        rows.append({"customer": cust, "reason": rsn, "start": st, "channel": ch, "handle": handle})
        site = home_site[cust]
        p = np.array(list(base_repeat.values()))[rsn].copy()
        p *= np.where(st >= go_live_us[site], rollout_effect, 1.0)
        in_ab = (st >= ab_start.astype(np.int64)) & (st < ab_end.astype(np.int64))
        is_card = np.isin(rsn, [REASONS.index(r) for r in CARD_REASONS])
        p *= np.where(in_ab & is_card & treated_customer[cust], ab_effect, 1.0)
        repeat = rng.random(len(st)) < p
        end_us = st + (handle * 1e6).astype(np.int64)
        nxt = end_us + (rng.exponential(delay_days, len(st)) * day_us).astype(np.int64)
        keep = repeat & (nxt < end_horizon)
        cust, rsn, st = cust[keep], rsn[keep], nxt[keep]
        # A repeat moves to an assisted channel more often than not (cross-channel repeats).
        ch = np.where(rng.random(keep.sum()) < 0.6, rng.choice(3, keep.sum(), p=[0.7, 0.2, 0.1]), ch[keep])

    customer = np.concatenate([r["customer"] for r in rows])
    reason = np.concatenate([r["reason"] for r in rows])
    start_us = np.concatenate([r["start"] for r in rows])
    channel = np.concatenate([r["channel"] for r in rows])
    handle = np.concatenate([r["handle"] for r in rows])
    order = np.argsort(start_us, kind="stable")
    customer, reason, start_us, channel, handle = (
        a[order] for a in (customer, reason, start_us, channel, handle)
    )
    n = len(start_us)

    site = home_site[customer]
    queue_names = np.array([QUEUE_OF_REASON[r] for r in REASONS])
    queue = queue_names[reason]
    shift_queue, shift_date, shift_factor = "payments", "2026-03-02", 1.25
    shifted = (queue == shift_queue) & (start_us >= np.datetime64(shift_date, "us").astype(np.int64))
    handle = np.where(shifted, handle * shift_factor, handle)
    voice_chat = channel <= 1
    hour = (start_us // 3_600_000_000) % 24
    load = np.where((hour >= 9) & (hour <= 16), 1.8, 0.8)
    wait = np.where(voice_chat, rng.exponential(9.0 * load, n), 0.0)
    patience = rng.exponential(120.0, n)
    abandoned_q = voice_chat & (patience < wait)
    wait = np.where(abandoned_q, patience, wait)
    handle = np.where(abandoned_q, 0.0, handle)
    end_us = start_us + (wait * 1e6).astype(np.int64) + (handle * 1e6).astype(np.int64)
    flag_missing = np.uint8(2)
    answered = np.where(voice_chat, (~abandoned_q).astype(np.uint8), flag_missing)
    abandoned = np.where(voice_chat, abandoned_q.astype(np.uint8), flag_missing)
    transferred = np.where(channel == 0, (rng.random(n) < 0.08).astype(np.uint8), np.uint8(0))
    # Agent disposition "resolved": optimistic, as dispositions are.
    resolved = np.where(abandoned_q, np.uint8(0), (rng.random(n) < 0.86).astype(np.uint8))
    agents_per_site = 40
    agent = np.where(
        channel <= 2,
        site * agents_per_site + rng.integers(0, agents_per_site, n),
        -1,
    )
    # Digital self-service contacts have no agent: None (object array), not an empty string.
    agent_labels = np.array(
        [
            f"{SITES[a // agents_per_site]}-{a % agents_per_site:03d}"
            for a in range(len(SITES) * agents_per_site)
        ]
        + [None],
        dtype=object,
    )
    cost_per_second = np.array([0.012, 0.008, 0.006, 0.0005, 0.0003])[channel]
    cost = np.round(0.15 + handle * cost_per_second, 4)
    # Surveys: about a fifth answer; happier when the contact was not followed by a repeat is unknowable at
    # survey time, so scores depend on wait and channel only (plus noise).
    surveyed = rng.random(n) < 0.2
    mood = 4.3 - 0.004 * wait - 0.3 * (channel == 2) + rng.normal(0, 0.9, n)
    csat = np.where(surveyed, np.clip(np.round(mood), 1, 5), np.nan)
    nps = np.where(
        surveyed & (rng.random(n) < 0.7), np.clip(np.round(2.2 * mood + rng.normal(0, 1.5, n)), 0, 10), np.nan
    )
    ces = np.where(surveyed & (rng.random(n) < 0.5), np.clip(np.round(8 - 1.3 * mood), 1, 7), np.nan)

    # Duplicated identities: 2% of customers have a share of their contacts under a second id.
    dup_customers = rng.choice(n_customers, max(1, n_customers // 50), replace=False)
    second_id = {int(c): n_customers + i for i, c in enumerate(dup_customers)}
    customer_id = customer.astype(np.int64) + 100_000
    is_dup_customer = np.isin(customer, dup_customers)
    use_second = is_dup_customer & (rng.random(n) < 0.4)
    second = np.array([second_id.get(int(c), 0) for c in customer[use_second]], dtype=np.int64) + 100_000
    customer_id[use_second] = second
    duplicate_ids = {v + 100_000: k + 100_000 for k, v in second_id.items()}

    columns: dict[str, npt.NDArray[Any]] = {
        "contact_id": np.arange(1, n + 1, dtype=np.int64),
        "customer_id": customer_id.astype(np.float64),  # float so that planted missing ids can be NaN
        "start": start_us.astype("datetime64[us]"),
        "end": end_us.astype("datetime64[us]"),
        "channel": np.array(CHANNELS)[channel],
        "reason": np.array(REASONS)[reason],
        "queue": queue,
        "site": np.array(SITES)[site],
        "agent": agent_labels[np.where(agent >= 0, agent, len(agent_labels) - 1)],
        "answered": answered,
        "abandoned": abandoned,
        "transferred": transferred,
        "resolved": resolved,
        "wait_s": np.round(wait, 2),
        "handle_s": np.round(handle, 2),
        "cost": cost,
        "csat": csat,
        "nps": nps,
        "ces": ces,
        "ab_arm": np.where(treated_customer[customer], "treatment", "control"),
    }
    # Data-quality defects, in known numbers, on distinct rows.
    k = max(1, n // 2000)
    bad = rng.choice(n, 4 * k, replace=False)
    columns["customer_id"][bad[:k]] = np.nan
    columns["end"][bad[k : 2 * k]] = columns["start"][bad[k : 2 * k]] - np.timedelta64(60, "s")
    columns["handle_s"][bad[2 * k : 3 * k]] = -columns["handle_s"][bad[2 * k : 3 * k]] - 1.0
    columns["channel"] = columns["channel"].astype("<U8")
    columns["channel"][bad[3 * k :]] = "fax"

    truth = Truth(
        period_start=str(t0.astype("datetime64[D]")),
        period_end=str(t0.astype("datetime64[D]") + days - 1),
        base_repeat_probability=base_repeat,
        repeat_delay_mean_days=delay_days,
        rollout_sites=go_live,
        rollout_relative_effect=rollout_effect,
        ab_test_start=str(ab_start.astype("datetime64[D]")),
        ab_test_end=str(ab_end.astype("datetime64[D]")),
        ab_salt=salt,
        ab_reasons=CARD_REASONS,
        ab_relative_effect=ab_effect,
        shift_queue=shift_queue,
        shift_date=shift_date,
        shift_factor=shift_factor,
        duplicated_customers=len(dup_customers),
        duplicate_ids=duplicate_ids,
        defects={"null_customer": k, "end_before_start": k, "negative_duration": k, "unknown_channel": k},
    )
    return DemoData(columns=columns, truth=truth)
