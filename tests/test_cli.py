"""The command line: exit codes, one-line reasons, tables written for a mixed folder."""
from __future__ import annotations

import pandas as pd
import pytest

from discours.cli import main

GOOD_POST = """Les médias sociaux, pas pour les PME ?
Par Hélène Gagnon | 3 mai 2016

On entend souvent que les PME n'ont pas le temps d'être sur Facebook.
C'est pourtant là que leurs clients comparent les prix.

2 commentaires

  1. Paul Roy
     Tout à fait d'accord, bravo pour ce billet.
  2. Line Côté
     Je ne suis pas d'accord : chez nous, personne ne lit la page.
"""


def test_missing_source_is_one_line_and_nonzero(tmp_path, capsys):
    code = main(["analyze", str(tmp_path / "absent"), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    assert len(err) == 1 and "source not found" in err[0]


def test_unwritable_output_is_one_line_and_nonzero(tmp_path, capsys):
    (tmp_path / "billet.txt").write_text(GOOD_POST, encoding="utf-8")
    blocker = tmp_path / "out"
    blocker.write_text("un fichier, pas un dossier", encoding="utf-8")
    code = main(["analyze", str(tmp_path / "billet.txt"), "-o", str(blocker / "sous-dossier")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0
    assert len(err) == 1 and "output" in err[0]


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "analyze" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_mixed_folder_writes_tables_and_errors(tmp_path, fmt, capsys):
    src = tmp_path / "blogue"
    src.mkdir()
    (src / "bon.txt").write_text(GOOD_POST, encoding="utf-8")
    (src / "vide.txt").write_text("   \n", encoding="utf-8")
    (src / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (src / "casse.json").write_text('{"title": "Sans fin", "text": ', encoding="utf-8")
    out = tmp_path / "resultats"
    code = main(["analyze", str(src), "-o", str(out), "--format", fmt, "--no-progress"])
    assert code == 0
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    docs = read(out / f"documents.{fmt}")
    errors = read(out / f"errors.{fmt}")
    assert sorted(docs["part"]) == ["comment", "comment", "post"]
    assert set(docs["author"].dropna()) == {"Hélène Gagnon", "Paul Roy", "Line Côté"}
    assert {p.split("/")[-1] for p in errors["source"]} == {"vide.txt", "image.txt", "casse.json"}
    assert all(len(e) > 20 for e in errors["error"])  # a sentence a user can act on
    for table in ("sentences", "arguments", "markers"):
        assert (out / f"{table}.{fmt}").exists()
    assert (out / "report.html").exists()
    assert (out / "documents" / "bon.html").exists()
