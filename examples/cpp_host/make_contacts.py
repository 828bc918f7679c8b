"""Writes examples/cpp_host/contacts.csv: a few hundred contacts from the demo generator, for the C++ host.

Run once (the CSV is committed): ``.venv/bin/python examples/cpp_host/make_contacts.py``. Deterministic:
the same seed gives the same file. Every fifth customer of ``mk.demo.generate(2000, seed=7)`` is kept with
all of their contacts (so repeats stay intact), plus the planted rows with a missing customer id and an end
before the start (the library quarantines them; the C++ host reports how many). Rows with the planted
unknown channel are left out: the host declares no channel list.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

import missionkit as mk

SEED = 7
OUT = Path(__file__).with_name("contacts.csv")


def iso(ts: np.datetime64) -> str:
    """A UTC instant as "YYYY-MM-DDTHH:MM:SSZ" (floored to the second)."""
    return str(ts.astype("datetime64[s]")) + "Z"


def main() -> None:
    data = mk.demo.generate(2000, seed=SEED)
    c = data.columns
    customer = c["customer_id"]
    missing = np.isnan(customer)
    keep = (missing | (np.nan_to_num(customer).astype(np.int64) % 5 == 0)) & (c["channel"] != "fax")
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["contact_id", "customer_id", "start", "end", "channel", "reason"])
        for i in np.flatnonzero(keep):
            cust = "" if missing[i] else str(int(customer[i]))
            w.writerow(
                [
                    int(c["contact_id"][i]),
                    cust,
                    iso(c["start"][i]),
                    iso(c["end"][i]),
                    c["channel"][i],
                    c["reason"][i],
                ]
            )
    print(f"wrote {int(keep.sum())} rows to {OUT}")


if __name__ == "__main__":
    main()
