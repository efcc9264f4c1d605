"""On-disk cache of parsed Docs, keyed by content and pipeline version (re-runs skip parsing).

One file per document (``<cache_dir>/<pipeline key>/<ab>/<sha1>.spacy``) written atomically
(temp file, then rename) so an interrupted run never leaves a half-written entry.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .output import atomic_write

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .corpus.model import Document


#: temp files of cache entries (``sweep_stale`` recognises them by it)
TEMP_PREFIX = ".tmp-"
#: temp files and pending folders older than this were left by a killed run (a live run renames
#: its temp files within seconds and commits its pending folder when it completes)
STALE_SECONDS = 6 * 3600


def sweep_stale(root: Path, *, max_age: float = STALE_SECONDS) -> int:
    """Remove ``.tmp-*`` files and ``.pending-*`` folders under ``root`` older than ``max_age`` seconds.

    Example:
        >>> sweep_stale(Path("out/.cache"))     # doctest: +SKIP
        0
    """
    import shutil
    import time

    if not root.is_dir():
        return 0
    limit = time.time() - max_age
    removed = 0
    for dirpath, dirnames, filenames in os.walk(root):
        for name in list(dirnames):
            path = Path(dirpath) / name
            if name.startswith(".pending-") and _older(path, limit):
                shutil.rmtree(path, ignore_errors=True)
                dirnames.remove(name)
                removed += 1
        for name in filenames:
            path = Path(dirpath) / name
            if name.startswith(TEMP_PREFIX) and _older(path, limit):
                try:
                    path.unlink()
                    removed += 1
                except OSError:
                    pass
    return removed


def _older(path: Path, limit: float) -> bool:
    try:
        return path.stat().st_mtime < limit
    except OSError:
        return False


class DocCache:
    """Cache of parsed Docs for one pipeline.

    Example:
        >>> cache = DocCache(".discours_cache", nlp)     # doctest: +SKIP
        >>> cache.get(document) is None                   # doctest: +SKIP
        True
    """

    def __init__(self, root: str | os.PathLike[str], nlp: "Language", version: str):
        meta = nlp.meta
        key = f"{meta.get('name', 'blank')}-{meta.get('version', '0')}-{version}"
        self.root = Path(root) / key
        self.nlp = nlp
        self.root.mkdir(parents=True, exist_ok=True)
        sweep_stale(Path(root))  # also the table cache's pending folders of killed runs

    @staticmethod
    def key(document: "Document") -> str:
        h = hashlib.sha1()
        for kind, start, end in document.block_spans():
            h.update(f"{kind}:{start}:{end};".encode())
        h.update(document.text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.spacy"

    def get(self, document: "Document") -> "Doc | None":
        from spacy.tokens import Doc

        path = self._path(self.key(document))
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            return Doc(self.nlp.vocab).from_bytes(data)
        except Exception:  # a corrupt entry is a miss, never a crash
            return None

    def put(self, document: "Document", doc: "Doc") -> None:
        path = self._path(self.key(document))
        path.parent.mkdir(parents=True, exist_ok=True)
        data = doc.to_bytes(exclude=["tensor"])
        atomic_write(path, lambda tmp: Path(tmp).write_bytes(data), temp_prefix=TEMP_PREFIX)


class TableCache:
    """Finished tables of whole files, so that a re-run with the same options skips them entirely.

    The parse cache (:class:`DocCache`) still leaves reading, the rule components and table
    building to redo; this one stores each file's rows, keyed by the file (path, assigned id,
    size, modification time) under a fingerprint of everything else the rows depend on: options,
    model, pipeline version and discours's own code and lexicons.

    Entries of a run go to ``.pending-<run>/`` (worker processes write there too) and are moved
    into place by :meth:`commit` when the run completes; :meth:`abort` drops them, so an
    interrupted run leaves only complete parse-cache entries behind.

    Example:
        >>> cache = TableCache(".discours_cache", fingerprint, run="1234")     # doctest: +SKIP
    """

    def __init__(self, root: str | os.PathLike[str], fingerprint: str, *, run: str):
        self.root = Path(root) / "tables" / fingerprint
        self.pending = self.root / f".pending-{run}"

    @staticmethod
    def key(path: str | os.PathLike[str], doc_id: str) -> str | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        # the path as given (it is the ``source`` column) and where it points (another cwd, another file)
        where = f"{os.fspath(path)}\0{os.path.abspath(path)}"
        return hashlib.sha1(f"{where}\0{doc_id}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Any:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        try:
            return pickle.loads(data)
        except Exception:  # a corrupt or outdated entry is a miss, never a crash
            return None

    def put(self, key: str, value: Any) -> None:
        self.pending.mkdir(parents=True, exist_ok=True)

        def write(tmp: str) -> None:
            with open(tmp, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)

        atomic_write(self.pending / f"{key}.pickle", write, temp_prefix=TEMP_PREFIX)

    def commit(self) -> None:
        """Move this run's entries into place (the run completed)."""
        if not self.pending.is_dir():
            return
        for entry in self.pending.glob("*.pickle"):
            target = self._path(entry.stem)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(entry, target)
        self.abort()

    def abort(self) -> None:
        """Drop this run's entries (interrupted or failed run)."""
        import shutil

        shutil.rmtree(self.pending, ignore_errors=True)
        try:
            self.root.rmdir() if not any(self.root.iterdir()) else None
            self.root.parent.rmdir() if not any(self.root.parent.iterdir()) else None
        except OSError:
            pass


def code_fingerprint() -> str:
    """Size and modification time of every module and lexicon of discours (a code change = new key)."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json", ".yml", ".yaml", ".txt") and "__pycache__" not in path.parts:
            st = path.stat()
            h.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()
