"""Documents: a post or a comment, its metadata and its structural blocks (no spaCy here)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Block:
    """A structural unit of a document: title, heading, paragraph, list item, quote or signature.

    Example:
        >>> Block("list_item", "nos compétiteurs nous surveillent")
        Block(kind='list_item', text='nos compétiteurs nous surveillent')
    """

    kind: str
    text: str

    def __repr__(self) -> str:  # compact in notebooks and doctests
        return f"Block(kind={self.kind!r}, text={self.text!r})"


@dataclass
class Document:
    """One post or one comment, cleaned, with its blocks and metadata.

    ``text`` is the cleaned text: the blocks joined by a blank line. Every offset in discours's
    tables (sentences, arguments, markers) refers to this string.

    Example:
        >>> doc = Document.from_blocks("p1", [Block("title", "Pourquoi bloguer ?"),
        ...                                   Block("paragraph", "Parce que vos clients y sont.")])
        >>> doc.text
        'Pourquoi bloguer ?\\n\\nParce que vos clients y sont.'
        >>> doc.block_spans()[1]
        ('paragraph', 20, 49)
    """

    doc_id: str
    blocks: list[Block]
    part: str = "post"
    post_id: str = ""
    source: str = ""
    title: str | None = None
    author: str | None = None
    date: str | None = None
    parent_id: str | None = None
    boilerplate: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.post_id:
            self.post_id = self.doc_id

    @classmethod
    def from_blocks(cls, doc_id: str, blocks: list[Block], **kwargs: Any) -> "Document":
        return cls(doc_id=doc_id, blocks=[b for b in blocks if b.text.strip()], **kwargs)

    @property
    def text(self) -> str:
        return BLOCK_SEPARATOR.join(b.text for b in self.blocks)

    def block_spans(self) -> list[tuple[str, int, int]]:
        """(kind, start_char, end_char) of every block in ``text``."""
        spans = []
        pos = 0
        for b in self.blocks:
            spans.append((b.kind, pos, pos + len(b.text)))
            pos += len(b.text) + len(BLOCK_SEPARATOR)
        return spans

    def blocks_of(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]


@dataclass
class ReadFailure:
    """A file that could not be read: becomes a row of ``Analysis.errors``."""

    source: str
    error: str


@dataclass
class Corpus:
    """What ``read_corpus`` returns: documents (posts then their comments) and read failures.

    Example:
        >>> corpus = Corpus([], [])
        >>> len(corpus)
        0
    """

    documents: list[Document]
    errors: list[ReadFailure] = field(default_factory=list)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def posts(self) -> list[Document]:
        return [d for d in self.documents if d.part == "post"]

    @property
    def comments(self) -> list[Document]:
        return [d for d in self.documents if d.part == "comment"]
