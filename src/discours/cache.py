"""On-disk cache of parsed Docs, keyed by content and pipeline version (re-runs skip parsing).

One file per document (``<cache_dir>/<pipeline key>/<ab>/<sha1>.spacy``) written atomically
(temp file, then rename) so an interrupted run never leaves a half-written entry.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .corpus.model import Document


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
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
