from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "missions"

# The smallest spec that validates clean: one outcome, two drivers, one control. Tests copy and break it.
MINIMAL: dict[str, Any] = {
    "spec_version": "1",
    "mission": {
        "name": "Fewer chasing calls",
        "segment": "Retail bank customers replacing a lost debit card",
        "situation": "They are waiting for a new card and cannot pay",
        "desired_progress": "Use a working card without contacting us again",
        "time_to_value": "P5D",
        "outcome": "card_working",
    },
    "metrics": [
        {
            "id": "card_working",
            "name": "Card working in 5 days",
            "tier": "outcome",
            "lens": "customer",
            "heart": "task_success",
            "unit": "ratio",
            "direction": "increase",
            "owner": "Head of Cards",
            "source": "cards_dw",
            "definitions": [
                {
                    "version": "1",
                    "effective_from": "2025-01-01",
                    "rule": "share working",
                    "change_note": "first",
                },
                {
                    "version": "2",
                    "effective_from": "2026-04-01",
                    "rule": "wallets count",
                    "change_note": "wallets",
                },
            ],
        },
        {
            "id": "repeat_7d",
            "name": "Repeat contacts in 7 days",
            "tier": "driver",
            "lens": "customer",
            "unit": "ratio",
            "direction": "decrease",
            "owner": "Contact centre lead",
            "source": "contact_log",
            "definitions": [{"version": "1", "effective_from": "2025-01-01", "rule": "share repeated"}],
        },
        {
            "id": "dispatch_hours",
            "name": "Dispatch hours",
            "tier": "driver",
            "lens": "business",
            "unit": "hours",
            "direction": "decrease",
            "owner": "Card operations",
            "source": "bureau",
            "definitions": [{"version": "1", "effective_from": "2025-01-01", "rule": "median hours"}],
        },
        {
            "id": "service_level",
            "name": "Service level",
            "tier": "control",
            "lens": "business",
            "unit": "ratio",
            "direction": "increase",
            "owner": "Workforce planning",
            "source": "acd",
            "definitions": [
                {"version": "1", "effective_from": "2025-01-01", "rule": "answered in 20 s / offered"}
            ],
        },
    ],
    "tree": [
        {"from": "repeat_7d", "to": "card_working", "kind": "influence", "sign": -1},
        {"from": "dispatch_hours", "to": "card_working", "kind": "influence", "sign": -1},
        {"from": "service_level", "to": "repeat_7d", "kind": "influence", "sign": -1},
    ],
    "okrs": [
        {
            "objective": "Cards just work",
            "owner": "Head of Cards",
            "key_results": [
                {
                    "metric": "card_working",
                    "metric_version": "2",
                    "baseline": 0.7,
                    "target": 0.8,
                    "stretch": 0.9,
                    "due": "2026-12-31",
                }
            ],
        }
    ],
    "hoshin": {
        "breakthroughs": [{"id": "B1", "text": "Never stranded"}],
        "annual": [{"id": "A1", "text": "Cut chasing by a third"}],
        "priorities": [{"id": "P1", "text": "Dispatch notifications"}],
        "metrics": ["repeat_7d"],
        "owners": [{"id": "O1", "name": "Card operations"}],
        "cells": [
            {"from": "B1", "to": "A1", "strength": "strong"},
            {"from": "A1", "to": "P1", "strength": "strong"},
            {"from": "P1", "to": "repeat_7d", "strength": "strong"},
            {"from": "P1", "to": "O1", "strength": "strong"},
        ],
    },
    "blueprint": {
        "name": "Replace a card",
        "stages": [
            {
                "id": "report",
                "name": "Report",
                "customer": [{"text": "Reports the card", "metrics": ["repeat_7d"]}],
                "frontstage": ["App freezes the card"],
                "backstage": [{"text": "Fraud screen"}],
                "support": ["Card system"],
            }
        ],
    },
    "work": [
        {
            "id": "W1",
            "title": "Why customers chase",
            "framework": "dmaic",
            "stage": "measure",
            "owner": "CX analytics",
            "evidence": {"define": {"charter": "signed 2026-03-02", "ctq": "card in 5 days"}},
        }
    ],
}


@pytest.fixture
def minimal() -> dict[str, Any]:
    """A fresh deep copy of the minimal valid spec, to break in a test."""
    return copy.deepcopy(MINIMAL)
