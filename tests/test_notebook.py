"""notebooks/exploration.ipynb runs from top to bottom on the sample corpus (so it never rots)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "exploration.ipynb"


@pytest.mark.slow
def test_exploration_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    if not any((ROOT / "corpus").rglob("*.*")):
        pytest.skip("corpus/ is empty")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # the kernel is the one of this interpreter (jupyter_client maps "python" to sys.executable)
    client = nbclient.NotebookClient(nb, timeout=1800, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    images = sum(1 for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])
                 if "image/png" in o.get("data", {}))
    assert images >= 6  # every plot drew
    nbformat.write(nb, tmp_path / "executed.ipynb")
