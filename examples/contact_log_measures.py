"""Worked example: CX measures from a contact log, with quarantine accounting and confidence intervals.

Run: .venv/bin/python examples/contact_log_measures.py
"""

import missionkit as mk

# A synthetic bank contact centre (200k contacts, a year) with planted data-quality defects.
data = mk.demo.generate(200_000, seed=7)
table = data.to_arrow()  # any pandas / polars / pyarrow table works the same way

log = mk.ContactLog.from_frame(
    table,
    customer="customer_id",
    start="start",
    end="end",
    channel="channel",
    reason="reason",
    queue="queue",
    site="site",
    answered="answered",
    abandoned="abandoned",
    resolved="resolved",
    wait="wait_s",
    handle="handle_s",
    cost="cost",
    csat="csat",
    nps="nps",
    ces="ces",
    channels=["phone", "chat", "email", "app", "web"],  # declared: anything else is quarantined
)

# Nothing is dropped silently: read = accepted + quarantined, with a reason for every quarantined row.
print(f"rows read {log.rows_read:,} = accepted {len(log):,} + quarantined {len(log.quarantine):,}")
print({reason: n for reason, n in log.quarantine_counts.items() if n})

# First contact resolution: 7-day window, same reason, censored contacts reported, Wilson 95% CI.
print(log.fcr("7D", same_reason=True))
print(log.fcr_reported())  # what agents' dispositions claim, for comparison
print(log.repeat_rate("7D"))
print(log.service_level(20, convention="offered"))
print(log.service_level(20, convention="offered_excl_short_abandons", short_abandon=5))
print(log.aht())
print(log.nps())

# By dimension and local calendar period: a tidy pandas table with CIs and small-cell flags.
monthly = log.fcr("7D", by="site", period="month", tz="Europe/London")
print(monthly.head(8).to_string(index=False))

# Failure demand, using the reasons the mission declares as failure demand.
print(log.failure_demand(list(mk.demo.FAILURE_DEMAND), by="channel").to_string(index=False))
