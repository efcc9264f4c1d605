"""Writing tables: CSV (UTF-8) or Parquet, atomically (temp file, then rename)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Msg, OutputError

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "parquet")


def write_table(df: "pd.DataFrame", stem: str | os.PathLike[str], *, format: str = "csv") -> Path:
    """Write ``df`` to ``stem.csv`` or ``stem.parquet``; a crash never leaves a partial file.

    Example:
        >>> write_table(analysis.documents, "out/documents", format="csv")   # doctest: +SKIP
        PosixPath('out/documents.csv')
    """
    if format not in FORMATS:
        raise ValueError(f"Unknown table format {format!r}; choose one of {FORMATS}.")
    path = Path(f"{os.fspath(stem)}.{format}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise OutputError(Msg.OUTPUT_NOT_WRITABLE.format(path=path.parent, reason=exc.strerror or exc)) from exc
    try:
        if format == "csv":
            df.to_csv(tmp, index=False, encoding="utf-8")
        else:
            df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
