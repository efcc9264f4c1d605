"""Writing tables: CSV (UTF-8) or Parquet, atomically (temp file, then rename)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .errors import Msg, OutputError

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "parquet")


def _temp_path(directory: Path, name: str, prefix: str | None = None) -> str:
    """An empty temp file beside ``name``, with the permissions a plain ``open`` would give.

    ``mkstemp`` creates files readable by their owner only; renamed into place they would hide
    the tables from the rest of a team sharing the output folder.
    """
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix or f".{name}.", suffix=".tmp")
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return tmp


def atomic_write(path: Path, write: Callable[[str], Any], *, temp_prefix: str | None = None) -> Path:
    """Call ``write(temp_path)`` then rename the temp file to ``path``: readers see the old file
    or the whole new one, never half of it; on any failure the temp file is removed.

    Example:
        >>> atomic_write(Path("out/notes.txt"), lambda tmp: Path(tmp).write_text("fin"))   # doctest: +SKIP
        PosixPath('out/notes.txt')
    """
    return _fill_and_rename(_temp_path(path.parent, path.name, temp_prefix), path, write)


def _fill_and_rename(tmp: str, path: Path, write: Callable[[str], Any]) -> Path:
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


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
        tmp = _temp_path(path.parent, path.name)
    except OSError as exc:
        raise OutputError(Msg.OUTPUT_NOT_WRITABLE.format(path=path.parent, reason=exc.strerror or exc)) from exc

    def write(target: str) -> None:
        if format == "csv":
            df.to_csv(target, index=False, encoding="utf-8")
        else:
            df.to_parquet(target, index=False)

    return _fill_and_rename(tmp, path, write)


class TableWriter:
    """Write tables chunk by chunk into temp files, renamed into place by :meth:`close`.

    CSV chunks are appended (header once); Parquet chunks become row groups of one file
    (``pyarrow.parquet.ParquetWriter``). The result equals writing the concatenated table with
    :func:`write_table`; an interrupted run leaves the previous tables untouched.

    Example:
        >>> with TableWriter("out", format="parquet") as writer:     # doctest: +SKIP
        ...     for tables in chunks:
        ...         writer.append(tables)
    """

    def __init__(self, outdir: str | os.PathLike[str], *, format: str = "csv"):
        if format not in FORMATS:
            raise ValueError(f"Unknown table format {format!r}; choose one of {FORMATS}.")
        self.outdir = Path(outdir)
        self.format = format
        self._tmp: dict[str, str] = {}
        self._parquet: dict[str, Any] = {}
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(Msg.OUTPUT_NOT_WRITABLE.format(path=self.outdir, reason=exc.strerror or exc)) from exc

    def _temp(self, name: str) -> str:
        if name not in self._tmp:
            path = self.outdir / f"{name}.{self.format}"
            try:
                tmp = _temp_path(self.outdir, path.name)
            except OSError as exc:
                raise OutputError(Msg.OUTPUT_NOT_WRITABLE.format(path=self.outdir, reason=exc.strerror or exc)) from exc
            self._tmp[name] = tmp
        return self._tmp[name]

    def append(self, name: str, df: "pd.DataFrame") -> None:
        """Add the rows of ``df`` to table ``name`` (the first call fixes its columns)."""
        first = name not in self._tmp
        tmp = self._temp(name)
        if self.format == "csv":
            if first or len(df):
                df.to_csv(tmp, index=False, encoding="utf-8", mode="w" if first else "a", header=first)
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = self._parquet.get(name)
        if writer is None:
            table = pa.Table.from_pandas(df, preserve_index=False)
            self._parquet[name] = pq.ParquetWriter(tmp, table.schema)
            self._parquet[name].write_table(table)
        elif len(df):
            writer.write_table(pa.Table.from_pandas(df, preserve_index=False, schema=writer.schema))

    def close(self) -> list[Path]:
        """Finish every table and move it into place; return the final paths."""
        for writer in self._parquet.values():
            writer.close()
        self._parquet.clear()
        paths = []
        for name, tmp in self._tmp.items():
            path = self.outdir / f"{name}.{self.format}"
            os.replace(tmp, path)
            paths.append(path)
        self._tmp.clear()
        return paths

    def abort(self) -> None:
        """Drop the temp files (an interrupted or failed run)."""
        for writer in self._parquet.values():
            try:
                writer.close()
            except Exception:  # already broken: the file is removed below anyway
                pass
        self._parquet.clear()
        for tmp in self._tmp.values():
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self._tmp.clear()

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
