"""Quick start: load a mission spec, validate it, read its dictionary and score its OKRs.

Run: .venv/bin/python examples/mission_quickstart.py
"""

import datetime as dt

import missionkit as mk

spec = mk.load_spec(mk.example_mission("bank_card_replacement"), strict=True)
print(spec.mission.sentence())

# Every issue (here none): path, severity, message, line.
for issue in spec.validate():
    print(issue)

# Which definition of the north star was in force, and where a yearly series stops being comparable.
north_star = spec.north_star
assert north_star is not None
print("definition on 2026-06-30:", north_star.definition_at(dt.date(2026, 6, 30)).version)
for brk in north_star.comparability_breaks(dt.date(2026, 1, 1), dt.date(2026, 12, 31)):
    print(f"comparability break on {brk.on}: v{brk.from_version} -> v{brk.to_version} ({brk.change_note})")

# Score the key results against observed values.
for row in spec.score_okrs({"card_working_5d": 0.79, "repeat_contact_7d": 0.18, "app_self_service": 0.41}):
    print(f"{row['metric']:<20} attainment {row['attainment']:.2f} -> {row['band']}")

# A broken spec: every problem is reported with its path and line.
broken = mk.load_spec("mission:\n  name: Draft\n  segment: customers\n  time_to_value: soon\n")
for issue in broken.validate():
    print(issue)
