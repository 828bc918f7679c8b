"""The tutorial notebook (docs/tutorial.ipynb) runs end to end with the current API: executed with nbclient
on the interpreter running the tests, any error in any cell fails (its asserts check the planted truths)."""

from __future__ import annotations

import gc
import json
import sys
import warnings
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).resolve().parents[2] / "docs" / "tutorial.ipynb"


def test_tutorial_notebook_runs(tmp_path: Path) -> None:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.cells, "the tutorial notebook is empty"
    # A kernel on this very interpreter (the .venv with missionkit installed), whatever kernels the machine
    # has registered: the kernel spec is written to a temporary folder only this test looks in.
    spec_dir = tmp_path / "kernels" / "missionkit-test"
    spec_dir.mkdir(parents=True)
    kernel = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "missionkit test",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    km = KernelManager(kernel_name="missionkit-test", kernel_spec_manager=ksm)
    client = nbclient.NotebookClient(
        nb,
        km=km,
        timeout=60,  # per cell; the whole notebook takes about 15 s
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    with warnings.catch_warnings():
        # jupyter_client leaves its zmq sockets to the garbage collector, which warns (ResourceWarning) in
        # whatever test runs next; collect them here, where that warning is expected and harmless.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            client.execute()  # raises CellExecutionError naming the cell on any error
        finally:
            del client, km
            gc.collect()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert not errors
    html = [
        o["data"]["text/html"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.output_type == "execute_result" and "text/html" in o.get("data", {})
    ]
    # The rich reprs rendered: the spec and the metric tree draw SVG, the A/B test shows its verdict.
    assert sum("<svg" in h for h in html) >= 2
    assert any("missionkit-abtest" in h for h in html)
    assert any("missionkit-mission" in h for h in html)
