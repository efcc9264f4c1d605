"""Reading files into documents: discovery, decoding, format readers, errors (no spaCy here).

Example:
    >>> from discours.corpus import read_corpus
    >>> corpus = read_corpus("corpus/")          # doctest: +SKIP
    >>> corpus.posts[0].title                     # doctest: +SKIP
    'Bloguer en B2B : pourquoi pas ?'
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..errors import Msg, ReadError, SourceNotFoundError
from .decode import decode_bytes, normalize_text
from .language import detect_language
from .model import Block, Corpus, Document, ReadFailure
from .structure import Boilerplate

__all__ = ["Block", "Corpus", "Document", "ReadFailure", "read_corpus", "read_file", "iter_files", "SUFFIXES"]

#: default limits; both configurable in read_corpus / analyze.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DOC_CHARS = 2_000_000

Reader = Callable[..., list[Document]]


def _readers() -> dict[str, Reader]:
    # Imported lazily: selectolax/yaml are only paid for when such files are read.
    from .text import read_text

    def md(text: str, **kw: object) -> list[Document]:
        from .markdown import read_markdown

        return read_markdown(text, **kw)  # type: ignore[arg-type]

    def html(text: str, **kw: object) -> list[Document]:
        from .html import read_html

        return read_html(text, **kw)  # type: ignore[arg-type]

    def json_(text: str, **kw: object) -> list[Document]:
        from .records import read_json

        return read_json(text, **kw)  # type: ignore[arg-type]

    def jsonl(text: str, **kw: object) -> list[Document]:
        from .records import read_jsonl

        return read_jsonl(text, **kw)  # type: ignore[arg-type]

    def csv_(text: str, **kw: object) -> list[Document]:
        from .records import read_csv

        return read_csv(text, **kw)  # type: ignore[arg-type]

    return {
        ".txt": read_text, ".text": read_text,
        ".md": md, ".markdown": md,
        ".html": html, ".htm": html, ".xhtml": html,
        ".json": json_, ".jsonl": jsonl, ".ndjson": jsonl,
        ".csv": csv_, ".tsv": csv_,
    }


SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson", ".csv", ".tsv")
_IGNORED_NAMES = {"readme.md", "readme.txt", "license", "license.txt", "license.md", "thumbs.db", "desktop.ini"}


def iter_files(source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Yield input paths in a stable order: folders recursively (hidden entries skipped, symlink
    loops broken), files as given. Raises SourceNotFoundError for a missing path.
    """
    if isinstance(source, (str, os.PathLike)):
        items: Sequence[str | os.PathLike[str]] = [source]
    else:
        items = list(source)
    for item in items:
        path = Path(item)
        if not path.exists() and not path.is_symlink():
            raise SourceNotFoundError(Msg.SOURCE_NOT_FOUND.format(path=path))
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(root: Path) -> Iterator[Path]:
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:  # symlink loop or the same folder linked twice
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")) and d != "__pycache__")
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() in _IGNORED_NAMES or name.endswith("~"):
                continue
            yield Path(dirpath) / name


def _slug(path: Path) -> str:
    stem = path.name
    for suffix in SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return re.sub(r"[^\w\-]+", "_", stem).strip("_") or "doc"


def read_file(
    path: str | os.PathLike[str],
    *,
    doc_id: str | None = None,
    boilerplate: Boilerplate | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_doc_chars: int = MAX_DOC_CHARS,
) -> list[Document]:
    """Read one file into documents (a post, then its comments). Raises :class:`ReadError`.

    Example:
        >>> docs = read_file("../shared/seed/000_f575c90b760d7ac5.txt")   # doctest: +SKIP
        >>> docs[1].author                                                   # doctest: +SKIP
        'Marc Desjardins'
    """
    p = Path(path)
    suffix = p.suffix.lower()
    readers = _readers()
    if suffix not in readers:
        raise ReadError(Msg.UNSUPPORTED.format(suffix=suffix or p.name))
    try:
        if p.is_dir():
            raise ReadError(Msg.NOT_A_FILE.format(detail="it is a directory; pass its parent folder to read it recursively"))
        if p.is_symlink() and not p.exists():
            try:
                os.stat(p)
            except OSError as exc:  # ENOENT: dangling; ELOOP: the link points back to itself
                raise ReadError(Msg.BROKEN_LINK.format(detail=f"{exc.strerror or exc}: {os.readlink(p)}")) from exc
        size = p.stat().st_size
        if size > max_file_bytes:
            raise ReadError(Msg.TOO_LARGE.format(size=size, limit=max_file_bytes))
        data = p.read_bytes()
    except ReadError:
        raise
    except PermissionError as exc:
        raise ReadError(Msg.UNREADABLE.format(detail=f"permission denied: {exc.strerror or exc}")) from exc
    except OSError as exc:
        raise ReadError(Msg.UNREADABLE.format(detail=exc.strerror or str(exc))) from exc
    text, encoding = decode_bytes(data)
    text = normalize_text(text)
    if not text.strip():
        raise ReadError(Msg.EMPTY_FILE)
    docs = readers[suffix](text, doc_id=doc_id or _slug(p), source=str(path), boilerplate=boilerplate or Boilerplate.default())
    if not docs or not any(d.blocks for d in docs):
        raise ReadError(Msg.NO_TEXT.format(detail=""))
    for d in docs:
        d.meta.setdefault("encoding", encoding)
        if len(d.text) > max_doc_chars:
            raise ReadError(Msg.DOC_TOO_LONG.format(length=len(d.text), limit=max_doc_chars))
    for d in docs:
        # Non-French posts are still analysed; documents.language lets users filter them out.
        d.meta.setdefault("language", detect_language(d.text))
    return docs


def unique_id(base: str, used: set[str]) -> tuple[str, int]:
    """``base``, or ``base_2``, ``base_3``… if taken; also the next suffix number (for
    :func:`claim_ids`). Two files named ``billet.txt`` in two folders stay apart.

    Example:
        >>> unique_id("billet", {"billet"})
        ('billet_2', 3)
    """
    doc_id, k = base, 2
    while doc_id in used:
        doc_id, k = f"{base}_{k}", k + 1
    return doc_id, k


def claim_ids(docs: list[Document], doc_id: str, k: int, used: set[str]) -> None:
    """Record a file's ids in ``used``; a multi-post file's ids already taken get suffix ``k``."""
    for d in docs:
        if d.doc_id in used:
            d.doc_id = f"{d.doc_id}_{k}"
        used.add(d.doc_id)
    used.add(doc_id)


def read_one(path: Path, doc_id: str, bp: Boilerplate, *, max_file_bytes: int = MAX_FILE_BYTES,
             max_doc_chars: int = MAX_DOC_CHARS) -> list[Document] | ReadFailure:
    """The documents of one file, or the failure that becomes its row of ``errors``."""
    try:
        return read_file(path, doc_id=doc_id, boilerplate=bp, max_file_bytes=max_file_bytes, max_doc_chars=max_doc_chars)
    except ReadError as exc:
        return ReadFailure(str(path), str(exc))
    except Exception as exc:  # a reader bug must not stop the batch either
        return ReadFailure(str(path), f"Unexpected error while reading ({type(exc).__name__}: {exc}). Please report it with the file attached.")


def read_corpus(
    source: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | Corpus,
    *,
    boilerplate: Sequence[str] | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_doc_chars: int = MAX_DOC_CHARS,
) -> Corpus:
    """Read a folder, a file or a list of paths into a :class:`Corpus` of posts and comments.

    Files that cannot be read become :class:`ReadFailure` rows instead of stopping the batch.

    Args:
        source: folder (recursive), file, iterable of paths, or an existing Corpus (returned as is).
        boilerplate: extra whole-line regexes to remove, on top of the shipped lexicon.
        max_file_bytes: larger files are refused with a clear message.
        max_doc_chars: longer documents are refused with a clear message.

    Example:
        >>> corpus = read_corpus("../shared/seed")                       # doctest: +SKIP
        >>> [(d.part, d.author) for d in corpus]                          # doctest: +SKIP
        [('post', None), ('comment', 'Marc Desjardins')]
    """
    if isinstance(source, Corpus):
        return source
    bp = Boilerplate.with_extra(boilerplate)
    documents: list[Document] = []
    errors: list[ReadFailure] = []
    used_ids: set[str] = set()
    for path in iter_files(source):
        doc_id, k = unique_id(_slug(path), used_ids)
        docs = read_one(path, doc_id, bp, max_file_bytes=max_file_bytes, max_doc_chars=max_doc_chars)
        if isinstance(docs, ReadFailure):
            errors.append(docs)
            continue
        claim_ids(docs, doc_id, k, used_ids)
        documents.extend(docs)
    return Corpus(documents, errors)
