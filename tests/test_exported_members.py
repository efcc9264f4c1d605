"""The public surface of ``discours`` does not drift by accident (httpx's habit)."""
from __future__ import annotations

import subprocess
import sys

import discours

EXPECTED = [
    "Analysis",
    "Corpus",
    "DiscoursError",
    "Document",
    "ModelNotInstalledError",
    "OutputError",
    "ReadError",
    "SourceNotFoundError",
    "__version__",
    "analyze",
    "analyze_to",
    "collect",
    "evaluate",
    "read_corpus",
]


def test_all_is_sorted_and_complete():
    # new public names are welcome (add them to EXPECTED); none may disappear
    assert set(EXPECTED) <= set(discours.__all__)
    assert discours.__all__ == sorted(discours.__all__)
    for name in discours.__all__:
        assert getattr(discours, name) is not None


def test_import_is_light():
    code = (
        "import sys, discours; "
        "heavy = [m for m in ('spacy', 'pandas', 'matplotlib', 'scipy', 'selectolax', 'thinc') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"import discours pulled in: {out}"


def test_help_is_light():
    code = (
        "import sys\nfrom discours.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('HEAVY:' + ','.join(m for m in ('spacy', 'pandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "usage: discours" in out
    assert out.strip().splitlines()[-1] == "HEAVY:"
