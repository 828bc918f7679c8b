"""The missionkit command line, run as a user would run it (a subprocess of the installed script)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("missionkit") or str(Path(sys.executable).parent / "missionkit")
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120, check=False)


def test_validate_clean_examples_exit_zero() -> None:
    result = run("validate", *map(str, sorted(EXAMPLES.glob("*.yaml"))))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_validate_prints_path_severity_message_and_exits_one(tmp_path: Path) -> None:
    text = (EXAMPLES / "bank_card_replacement.yaml").read_text()
    text = text.replace("    owner: Fraud Risk Manager\n", "").replace(
        "time_to_value: P5D", "time_to_value: 5 days"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    result = run("validate", str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("mission.time_to_value: error: ") and f"({bad}:" in line for line in lines), (
        lines
    )
    assert any(line.startswith("metrics[7].owner: error: ") for line in lines), lines


def test_validate_json_format(tmp_path: Path) -> None:
    result = run("validate", "--format", "json", str(EXAMPLES / "telco_broadband_activation.yaml"))
    assert result.returncode == 0
    (report,) = json.loads(result.stdout)
    assert report["valid"] is True and report["issues"] == []


def test_malformed_yaml_exits_two_with_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("mission:\n  name: [oops\n")
    result = run("validate", str(bad))
    assert result.returncode == 2
    assert "broken.yaml" in result.stderr


def test_demo_tour_prints_the_missions() -> None:
    result = run("demo", "--tour")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Card replacement without chasing" in out and "Broadband that works from day one" in out
    assert "North star: card_working_5d" in out
    assert "Definition change: card_working_5d v2 from 2026-04-01" in out
    assert "Validation: 0 error(s), 0 warning(s)" in out
    assert "rows read" in out and "quarantined for unknown_channel" in out
    assert "fcr: " in out and "wilson" in out and "nps: " in out


@pytest.mark.parametrize("args", [["--version"], ["version"]])
def test_version(args: list[str]) -> None:
    import missionkit as mk

    result = run(*args)
    assert result.returncode == 0 and mk.__version__ in result.stdout


def test_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "missionkit", "demo", "--tour"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and "Card replacement" in result.stdout
