"""spaCy is loaded without PyTorch even where PyTorch is installed (the [openai] extra): thinc would
import it otherwise, costing `vmtriage run` seconds and hundreds of MB it never uses."""

import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from pipeline.paths import RULES_DIR
from pipeline.triage import Triager
Triager(RULES_DIR, model_path=None).triage("my chest hurts right now")
print("after triage:", "torch" in sys.modules)
import torch
print("later import:", torch.LOADED)
"""


def test_triage_never_imports_torch_but_a_later_import_still_works(tmp_path):
    fake = tmp_path / "torch"
    fake.mkdir()
    (fake / "__init__.py").write_text("LOADED = True\n")  # stands in for an installed PyTorch
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=root, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": f"{root}:{tmp_path}", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert "after triage: False" in out.stdout
    assert "later import: True" in out.stdout
