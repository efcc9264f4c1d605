"""Evaluation against hand-labelled gold files: labels, objection categories, stance, error lists.

A gold file holds one record per corpus file (``.json``: one record, or a list of them;
``.jsonl`` and any other suffix: one record per line)::

    {"id": "...", "file": "../corpus/x.html", "stance": "favor",
     "sentences": [{"text": "...", "labels": ["objection", "attributed"], "objection_category": "time"}],
     "unlabelled": [{"text": "..."}],
     "structure": {"comments": [{"author": "...", "stance": "neutral", "agreement": "mixed"}]}}

``file`` is relative to the gold file's folder; without it the text is ``<texts>/<id>.txt``
(``texts`` defaults to the gold file's folder). The format is described in
``docs/annotation_guidelines.md`` (section 7).

How predictions are matched and counted (the same rules as the project's external scorer,
``shared/tools/score_gold.py``, so the two report the same figures):

* Texts are compared after :func:`normalize` (NFKC, typographic apostrophes, leading bullets,
  dashes and numbers dropped, spaces collapsed, lowercase). A gold sentence *matches* a predicted
  sentence of the same file (post or comments) that contains it, or that it contains when the
  predicted text is long enough (:func:`overlaps`). Offsets and sentence splitting do not matter.
* A gold sentence labelled L is a true positive for L when any predicted sentence it matches has
  L, otherwise a miss. A predicted sentence labelled L is a false alarm when no gold sentence
  labelled L matches it. The scorer's micro figures pool the seven labels.
* Objection categories are scored on the gold objections that were also predicted as objections:
  a hit when a gold category is among the predicted ones.
* Hard negatives: each (listed ``unlabelled`` sentence, predicted objection sentence matching it)
  pair counts once.
* Stance: the post of each file against the record's ``stance``; comments pair
  ``structure.comments[i]`` with the file's i-th comment, for stance and agreement. Macro-F1
  averages the F1 of the classes present in the gold.
"""
from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, get_args

from .errors import GoldFormatError, Msg, SourceNotFoundError
from .types import LABELS, Agreement, Stance

if TYPE_CHECKING:
    import pandas as pd

    from .analysis import Analysis

__all__ = ["Evaluation", "GoldRecord", "evaluate", "normalize", "overlaps", "read_gold", "score"]

STANCES: tuple[str, ...] = get_args(Stance)
AGREEMENTS: tuple[str, ...] = get_args(Agreement)
#: shown where a gold item has nothing predicted for it (no label, no category, no document)
NONE = "(none)"
#: the category of a gold objection that gives no ``objection_category``
UNSPECIFIED = "(unspecified)"
#: the row of ``Evaluation.categories`` that pools every gold objection
ALL = "all"

_LEADING = re.compile(r"^[\s\-\u2013\u2014\u2022*\d.)]+")  # bullets, dashes, list numbers
_SPACES = re.compile(r"\s+")

COLUMNS: dict[str, dict[str, str]] = {
    "per_label": {"label": "string", "precision": "float64", "recall": "float64", "f1": "float64",
                  "support": "int64", "tp": "int64", "fp": "int64", "fn": "int64"},
    "micro": {"precision": "float64", "recall": "float64", "f1": "float64", "support": "int64",
              "tp": "int64", "fp": "int64", "fn": "int64"},
    "categories": {"category": "string", "n": "int64", "correct": "int64", "accuracy": "float64"},
    "category_confusion": {"gold": "string", "pred": "string", "n": "int64"},
    "confusion": {"gold": "string", "pred": "string", "n": "int64", "share": "float64"},
    "misses": {"id": "string", "file": "string", "part": "string", "label": "string", "text": "string",
               "matched": "boolean", "predicted": "string"},
    "false_alarms": {"id": "string", "file": "string", "doc_id": "string", "sent_id": "Int64",
                     "label": "string", "text": "string", "rule": "string", "cue": "string"},
    "hard_negatives": {"id": "string", "file": "string", "text": "string", "doc_id": "string",
                       "sent_id": "Int64", "pred_text": "string", "rule": "string", "cue": "string"},
    "stance": {"part": "string", "task": "string", "n": "int64", "accuracy": "float64", "macro_f1": "float64"},
    "stance_confusion": {"part": "string", "task": "string", "gold": "string", "pred": "string", "n": "int64"},
    "stance_pairs": {"id": "string", "file": "string", "part": "string", "index": "Int64", "doc_id": "string",
                     "gold_author": "string", "pred_author": "string", "gold_stance": "string",
                     "pred_stance": "string", "gold_agreement": "string", "pred_agreement": "string"},
}


# -- matching ---------------------------------------------------------------------------------
def normalize(text: str) -> str:
    """The form texts are compared in: NFKC, ``’`` → ``'``, no leading bullets or numbers, lowercase.

    Example:
        >>> normalize("  - Nos concurrents   nous SURVEILLENT’")
        "nos concurrents nous surveillent'"
    """
    text = unicodedata.normalize("NFKC", str(text))
    text = text.replace("\u2019", "'").replace("\u02bc", "'")
    text = _LEADING.sub("", text)
    return _SPACES.sub(" ", text).strip().lower()


def overlaps(gold: str, pred: str) -> bool:
    """Whether a normalised gold text matches a normalised predicted sentence.

    True when the predicted sentence contains the gold text, or when the gold text contains the
    predicted sentence and that sentence is at least 12 characters and a quarter of the gold text
    long (a gold sentence split in two by the sentencizer still matches both halves).

    Example:
        >>> overlaps("on ne peut faire confiance à nos employés", "bref, on ne peut faire confiance à nos employés.")
        True
    """
    if not gold or not pred:
        return False
    if gold in pred:
        return True
    return pred in gold and len(pred) >= max(12, 0.25 * len(gold))


# -- gold files -------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoldRecord:
    """One annotated corpus file, as read from a gold file."""

    id: str
    path: Path
    """the corpus file the record annotates, resolved"""
    gold_file: Path
    line: int
    stance: str | None
    sentences: tuple[dict[str, Any], ...]
    unlabelled: tuple[dict[str, Any], ...] = ()
    comments: tuple[dict[str, Any], ...] = ()


def _as_paths(gold: Any) -> list[Path]:
    if isinstance(gold, (str, os.PathLike)):
        return [Path(gold)]
    return [Path(g) for g in gold]


def _malformed(path: Path, line: int | None, detail: str) -> GoldFormatError:
    where = f" (line {line})" if line else ""
    return GoldFormatError(Msg.GOLD_MALFORMED.format(path=path, where=where, detail=detail))


def _items(value: Any, what: str, path: Path, line: int | None, *, text_required: bool) -> tuple[dict[str, Any], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _malformed(path, line, f"{what!r} must be a list, not {type(value).__name__}")
    for k, item in enumerate(value):
        if not isinstance(item, dict):
            raise _malformed(path, line, f"{what}[{k}] must be an object, not {type(item).__name__}")
        if text_required and not isinstance(item.get("text"), str):
            raise _malformed(path, line, f"{what}[{k}] has no \"text\" string")
        labels = item.get("labels", [] if what != "sentences" else None)
        if not isinstance(labels, list) or not all(isinstance(lab, str) for lab in labels):
            raise _malformed(path, line, f"{what}[{k}] needs a \"labels\" list of strings, got {labels!r}")
    return tuple(value)


def _record(obj: Any, gold_file: Path, line: int | None, texts: Path | None) -> GoldRecord:
    if not isinstance(obj, dict):
        raise _malformed(gold_file, line, f"a record must be a JSON object, not {type(obj).__name__}")
    if "id" not in obj or obj["id"] in (None, ""):
        raise _malformed(gold_file, line, "the record has no \"id\"")
    if "sentences" not in obj:
        raise _malformed(gold_file, line, f"record {obj['id']!r} has no \"sentences\" list")
    stance = obj.get("stance")
    if stance is not None and not isinstance(stance, str):
        raise _malformed(gold_file, line, f"record {obj['id']!r}: \"stance\" must be a string, got {stance!r}")
    structure = obj.get("structure") or {}
    if not isinstance(structure, dict):
        raise _malformed(gold_file, line, f"record {obj['id']!r}: \"structure\" must be an object")
    if "file" in obj:
        if not isinstance(obj["file"], str):
            raise _malformed(gold_file, line, f"record {obj['id']!r}: \"file\" must be a string, got {obj['file']!r}")
        path = (gold_file.parent / obj["file"]).resolve()
    else:
        path = ((texts if texts is not None else gold_file.parent) / f"{obj['id']}.txt").resolve()
    return GoldRecord(
        id=str(obj["id"]),
        path=path,
        gold_file=gold_file,
        line=line or 1,
        stance=stance,
        sentences=_items(obj["sentences"], "sentences", gold_file, line, text_required=True),
        unlabelled=_items(obj.get("unlabelled"), "unlabelled", gold_file, line, text_required=True),
        comments=_items(structure.get("comments"), "structure.comments", gold_file, line, text_required=False),
    )


def read_gold(gold: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], *,
              texts: str | os.PathLike[str] | None = None) -> list[GoldRecord]:
    """Read gold files (``.json``: one record or a list; otherwise JSON Lines) into records.

    Args:
        gold: one gold file path or several.
        texts: folder of ``<id>.txt`` files for records without a ``"file"`` field
            (default: the gold file's folder).

    Raises:
        SourceNotFoundError: a gold file does not exist.
        GoldFormatError: a gold file is not valid JSON, or a record lacks ``id`` or ``sentences``.

    Example:
        >>> records = read_gold(["gold/france.gold.jsonl", "gold/quebec.gold.jsonl"])   # doctest: +SKIP
        >>> records[0].id, records[0].stance                                            # doctest: +SKIP
        ('fr-2010-delorme-cinq-objections', 'favor')
    """
    texts_dir = Path(texts) if texts is not None else None
    records: list[GoldRecord] = []
    for path in _as_paths(gold):
        if not path.is_file():
            raise SourceNotFoundError(Msg.GOLD_NOT_FOUND.format(path=path))
        from .learn.webgold import is_web_facts, read_web_gold

        if is_web_facts(path):  # real pages recorded as offsets: texts rebuilt from the texts folder
            records.extend(read_web_gold(path, texts=texts)[0])
            continue
        try:
            raw = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise _malformed(path, None, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
        except OSError as exc:
            raise _malformed(path, None, f"cannot be read ({exc.strerror or exc})") from None
        if path.suffix.lower() == ".json":
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise _malformed(path, exc.lineno, exc.msg) from None
            for obj in data if isinstance(data, list) else [data]:
                records.append(_record(obj, path, None, texts_dir))
        else:
            for lineno, text in enumerate(raw.splitlines(), 1):
                if not text.strip():
                    continue
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise _malformed(path, lineno, exc.msg) from None
                records.append(_record(obj, path, lineno, texts_dir))
    if not records:
        raise GoldFormatError(Msg.GOLD_MALFORMED.format(path=", ".join(map(str, _as_paths(gold))), where="",
                                                        detail="no gold record found"))
    return records


# -- the result -------------------------------------------------------------------------------
@dataclass(repr=False)
class Evaluation:
    """Scores of an analysis against gold files, as tidy DataFrames.

    Attributes:
        per_label: one row per label: ``label, precision, recall, f1, support, tp, fp, fn``.
        micro: one row pooling the seven labels: ``precision, recall, f1, support, tp, fp, fn``.
        categories: objection-category accuracy over gold objections also predicted as objections:
            the first row (``category == "all"``) is the overall accuracy (a hit when any gold
            category is predicted); then one row per gold category (a hit when that category is
            predicted). Columns ``category, n, correct, accuracy``.
        category_confusion: ``gold, pred, n``: each gold category paired with itself when it was
            predicted, else with each wrongly predicted category, or ``"(none)"``.
        confusion: label co-occurrence ``gold, pred, n, share``: for each gold label, the labels
            predicted on those sentences (``"(none)"`` when nothing was); ``share`` divides by the
            number of gold sentences with that label.
        misses: one row per (gold sentence, label) not found: ``id, file, part, label, text,
            matched`` (whether any predicted sentence matched the text), ``predicted`` (the labels it got).
        false_alarms: one row per (predicted sentence, label) the gold does not give it:
            ``id, file, doc_id, sent_id, label, text, rule, cue``.
        hard_negatives: objections predicted on sentences the gold lists as ``unlabelled``.
        stance: ``part, task, n, accuracy, macro_f1`` for post stance, comment stance and comment
            agreement.
        stance_confusion: ``part, task, gold, pred, n``.
        stance_pairs: one row per gold post or comment with the predicted stance and agreement.
        analysis: the :class:`~discours.Analysis` that was scored.
        n_files: the number of gold records.
        n_unlabelled: the number of hard negatives listed in the gold.
        n_unmatched: gold sentences that matched no predicted sentence at all.
        warnings: problems that did not stop the evaluation (unknown labels, comment counts).
    """

    per_label: "pd.DataFrame"
    micro: "pd.DataFrame"
    categories: "pd.DataFrame"
    category_confusion: "pd.DataFrame"
    confusion: "pd.DataFrame"
    misses: "pd.DataFrame"
    false_alarms: "pd.DataFrame"
    hard_negatives: "pd.DataFrame"
    stance: "pd.DataFrame"
    stance_confusion: "pd.DataFrame"
    stance_pairs: "pd.DataFrame"
    analysis: "Analysis"
    n_files: int
    n_unlabelled: int = 0
    n_unmatched: int = 0
    warnings: list[str] = field(default_factory=list)

    # -- headline figures -------------------------------------------------------------------
    @property
    def micro_f1(self) -> float:
        """Micro-averaged F1 over the seven labels."""
        return float(self.micro["f1"].iloc[0])

    @property
    def category_accuracy(self) -> float | None:
        """Objection-category accuracy (None when no gold objection was predicted as one)."""
        return _num(self.categories["accuracy"].iloc[0])

    def _stance_row(self, part: str, task: str) -> dict[str, Any]:
        rows = self.stance[(self.stance["part"] == part) & (self.stance["task"] == task)]
        return {k: _clean(v) for k, v in rows.iloc[0].items()}

    def _stance_counts(self, part: str, task: str) -> dict[str, int]:
        c = self.stance_confusion
        rows = c[(c["part"] == part) & (c["task"] == task)]
        return {f"{g}->{p}": int(n) for g, p, n in zip(rows["gold"], rows["pred"], rows["n"])}

    def __repr__(self) -> str:
        post = self._stance_row("post", "stance")
        acc = post["accuracy"]
        return (f"<Evaluation: {self.n_files} gold files, micro F1 {self.micro_f1:.3f}, "
                f"post stance accuracy {'n/a' if acc is None else f'{acc:.2f}'}>")

    # -- output ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The figures as plain JSON-serialisable values.

        The keys of the external scorer's ``--json`` output are kept (``files``, ``errors``,
        ``labels``, ``micro``, ``objection_category_accuracy``, ``stance_accuracy``,
        ``stance_macro_f1``, ``stance_confusion``, ``hard_negative_objections``, ``misses``,
        ``false_alarms``); misses and false alarms are lists of row objects here.

        Example:
            >>> json.dumps(evaluate("gold/quebec.gold.jsonl").to_dict())   # doctest: +SKIP
        """
        post = self._stance_row("post", "stance")
        comment = self._stance_row("comment", "stance")
        agreement = self._stance_row("comment", "agreement")
        labels = {r["label"]: {k: v for k, v in r.items() if k != "label"} for r in _records(self.per_label)}
        return {
            "files": self.n_files,
            "errors": len(self.analysis.errors),
            "labels": labels,
            "micro": _records(self.micro)[0],
            "objection_category_accuracy": self.category_accuracy,
            "objection_categories": _records(self.categories),
            "objection_category_confusion": _records(self.category_confusion),
            "label_confusion": _records(self.confusion),
            "stance_accuracy": post["accuracy"],
            "stance_macro_f1": post["macro_f1"],
            "stance_confusion": self._stance_counts("post", "stance"),
            "comment_stance_accuracy": comment["accuracy"],
            "comment_stance_macro_f1": comment["macro_f1"],
            "comment_stance_confusion": self._stance_counts("comment", "stance"),
            "agreement_accuracy": agreement["accuracy"],
            "agreement_macro_f1": agreement["macro_f1"],
            "agreement_confusion": self._stance_counts("comment", "agreement"),
            "hard_negative_objections": len(self.hard_negatives),
            "hard_negatives_listed": self.n_unlabelled,
            "hard_negatives": _records(self.hard_negatives),
            "unmatched_gold_sentences": self.n_unmatched,
            "misses": _records(self.misses),
            "false_alarms": _records(self.false_alarms),
            "warnings": list(self.warnings),
        }

    def summary(self, show: int = 15) -> str:
        """A printable report: per-label table, categories, confusions, stance, first errors.

        Args:
            show: how many misses, false alarms and hard-negative hits to list.

        Example:
            >>> print(evaluate("gold/france.gold.jsonl").summary(show=5))   # doctest: +SKIP
        """
        out: list[str] = []
        errors = len(self.analysis.errors)
        out.append(f"{self.n_files} gold files, {errors} read/analysis errors")
        out.append(f"{'label':22} {'P':>5} {'R':>5} {'F1':>5} {'n':>5} {'tp':>5} {'fp':>5} {'fn':>5}")
        rows = _records(self.per_label) + [{"label": "micro", **_records(self.micro)[0]}]
        for r in rows:
            out.append(f"{r['label']:22} {r['precision']:5.2f} {r['recall']:5.2f} {r['f1']:5.2f} "
                       f"{r['support']:5} {r['tp']:5} {r['fp']:5} {r['fn']:5}")
        if self.n_unmatched:
            out.append(f"({self.n_unmatched} gold sentences matched no predicted sentence: check the reader or the gold text)")

        out.append("")
        cats = _records(self.categories)
        out.append(f"objection categories (on {cats[0]['n']} gold objections predicted as objections): "
                   f"accuracy {_fmt(cats[0]['accuracy'])}")
        for r in cats[1:]:
            out.append(f"  {r['category']:22} {_fmt(r['accuracy']):>5}  {r['correct']}/{r['n']}")
        wrong = self.category_confusion[self.category_confusion["gold"] != self.category_confusion["pred"]]
        if len(wrong):
            top = wrong.sort_values("n", ascending=False, kind="stable").head(8)
            out.append("  most frequent confusions: " + ", ".join(f"{g}→{p} {n}" for g, p, n in zip(top["gold"], top["pred"], top["n"])))

        out.append("")
        out.append("labels predicted on gold sentences (share of each gold label's sentences):")
        out.extend(_confusion_grid(self.confusion))

        out.append("")
        out.append(f"objections on hard negatives: {len(self.hard_negatives)} (on {self.n_unlabelled} listed sentences)")
        for r in _records(self.hard_negatives)[:show]:
            out.append(f"   {r['id']}  {_short(r['text'])}  [{r['rule']}]")

        out.append("")
        for part, task, title in (("post", "stance", "post stance"), ("comment", "stance", "comment stance"),
                                  ("comment", "agreement", "comment agreement")):
            r = self._stance_row(part, task)
            counts = ", ".join(f"{k} {v}" for k, v in self._stance_counts(part, task).items())
            out.append(f"{title:18} accuracy {_fmt(r['accuracy'])}  macro-F1 {_fmt(r['macro_f1'])}  (n={r['n']})  {counts}")

        for title, frame in (("missed", self.misses), ("false alarms", self.false_alarms)):
            out.append("")
            out.append(f"{title} ({len(frame)}):")
            for r in _records(frame)[:show]:
                extra = f"  [{r['rule']}; «{r['cue']}»]" if "rule" in r else ("" if r["matched"] else "  [no predicted sentence]")
                out.append(f"   {r['id']}  {r['label']:20} {_short(r['text'])}{extra}")
        if self.warnings:
            out.append("")
            out.append("warnings:")
            out.extend(f"   {w}" for w in self.warnings)
        return "\n".join(out)


# -- scoring ----------------------------------------------------------------------------------
class _Pred(NamedTuple):
    doc_id: str
    sent_id: int
    text: str
    key: str
    labels: frozenset[str]
    cats: frozenset[str]


def evaluate(
    gold: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    analysis: "Analysis | None" = None,
    texts: str | os.PathLike[str] | None = None,
    **analyze_kwargs: Any,
) -> Evaluation:
    """Score discours against hand-labelled gold files.

    Args:
        gold: one gold file (``.json`` / ``.jsonl``) or several.
        analysis: an existing :class:`~discours.Analysis` to score instead of analysing the files
            the gold refers to (its ``documents.source`` must point at those files).
        texts: folder of ``<id>.txt`` files for gold records without a ``"file"`` field.
        **analyze_kwargs: passed to :func:`discours.analyze` (``target``, ``cache_dir``, ``progress``…);
            not allowed together with ``analysis``.

    Returns:
        An :class:`Evaluation`: per-label, micro, category, confusion and stance tables, the
        misses and false alarms, ``summary()`` and ``to_dict()``.

    Raises:
        SourceNotFoundError: a gold file, or a text it refers to, does not exist.
        GoldFormatError: a gold file cannot be parsed.
        TypeError: both ``analysis`` and analyze options were given.

    Example:
        >>> ev = discours.evaluate(["gold/france.gold.jsonl", "gold/quebec.gold.jsonl"])   # doctest: +SKIP
        >>> ev.per_label.set_index("label")["f1"].round(2)                                  # doctest: +SKIP
        >>> print(ev.summary(show=10))                                                      # doctest: +SKIP
    """
    if analysis is not None and analyze_kwargs:
        raise TypeError(f"evaluate() got analysis= and analyze options {sorted(analyze_kwargs)}; "
                        "the options only apply when evaluate() runs the analysis itself: drop one or the other.")
    records = read_gold(gold, texts=texts)
    if analysis is None:
        from .api import analyze

        paths: list[str] = []
        for rec in records:
            if not rec.path.is_file():
                raise SourceNotFoundError(Msg.GOLD_TEXT_MISSING.format(id=rec.id, path=rec.gold_file, text=rec.path))
            if str(rec.path) not in paths:  # a file annotated twice is analysed once
                paths.append(str(rec.path))
        analysis = analyze(paths, **analyze_kwargs)
    return score(records, analysis)


def score(records: list[GoldRecord], analysis: "Analysis") -> Evaluation:
    """Score an analysis against gold records already read (see :func:`evaluate`)."""
    warnings: list[str] = []
    # a file annotated in two records is scored once, with its last record
    by_path: dict[str, GoldRecord] = {}
    for rec in records:
        key = str(rec.path)
        if key in by_path:
            warnings.append(f"{rec.path.name} is annotated twice ({by_path[key].id!r}, {rec.id!r}); the last record is scored")
        by_path[key] = rec
    for rec in by_path.values():
        unknown = sorted({lab for g in rec.sentences for lab in g["labels"] if lab not in LABELS})
        if unknown:
            warnings.append(f"{rec.id}: unknown labels {unknown} are ignored (known: {list(LABELS)})")

    docs = analysis.documents
    file_of = {doc_id: _resolved(src) for doc_id, src in zip(docs["doc_id"], docs["source"])}
    labels_of: dict[tuple[str, int], set[str]] = defaultdict(set)
    cats_of: dict[tuple[str, int], set[str]] = defaultdict(set)
    fired: dict[tuple[str, int, str], list[tuple[str | None, str | None]]] = defaultdict(list)
    args = analysis.arguments
    for doc_id, sent_id, label, category, rule, cue in zip(args["doc_id"], args["sent_id"], args["label"],
                                                           args["category"], args["rule"], args["cue"]):
        label = _str(label)
        if label is None:
            continue
        labels_of[(doc_id, sent_id)].add(label)
        category = _str(category)
        if label == "objection" and category is not None:
            cats_of[(doc_id, sent_id)].add(category)
        fired[(doc_id, sent_id, label)].append((_str(rule), _str(cue)))
    preds_of: dict[str | None, list[_Pred]] = defaultdict(list)
    sents = analysis.sentences
    for doc_id, sent_id, text in zip(sents["doc_id"], sents["sent_id"], sents["text"]):
        key = (doc_id, sent_id)
        text = _str(text) or ""
        preds_of[file_of.get(doc_id)].append(
            _Pred(doc_id, sent_id, text, normalize(text), frozenset(labels_of.get(key, ())), frozenset(cats_of.get(key, ()))))

    def rules(doc_id: str, sent_id: int, label: str) -> tuple[str | None, str | None]:
        found = fired.get((doc_id, sent_id, label), [])
        rule = "; ".join(dict.fromkeys(r for r, _ in found if r)) or None
        cue = "; ".join(dict.fromkeys(c for _, c in found if c)) or None
        return rule, cue

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    pair_counts: Counter[tuple[str, str]] = Counter()
    n_gold: Counter[str] = Counter()
    cat_total = cat_hit = 0
    cat_n: Counter[str] = Counter()
    cat_ok: Counter[str] = Counter()
    cat_pairs: Counter[tuple[str, str]] = Counter()
    misses: list[dict[str, Any]] = []
    false_alarms: list[dict[str, Any]] = []
    hard: list[dict[str, Any]] = []
    n_unlabelled = n_unmatched = 0
    label_order = {lab: k for k, lab in enumerate(LABELS)}

    for path, rec in by_path.items():
        preds = preds_of.get(path, [])
        file = rec.path.name
        golds = [(normalize(g["text"]), set(g["labels"]), g) for g in rec.sentences]
        for gkey, glabels, g in golds:
            matched = [p for p in preds if overlaps(gkey, p.key)]
            plabels: set[str] = set().union(*(p.labels for p in matched))
            pcats: set[str] = set().union(*(p.cats for p in matched))
            n_unmatched += not matched
            shown = sorted(plabels, key=lambda lab: (label_order.get(lab, len(LABELS)), lab))
            for lab in LABELS:
                if lab not in glabels:
                    continue
                n_gold[lab] += 1
                for pl in shown or [NONE]:
                    pair_counts[(lab, pl)] += 1
                if lab in plabels:
                    tp[lab] += 1
                else:
                    fn[lab] += 1
                    misses.append({"id": rec.id, "file": file, "part": _str(g.get("part")), "label": lab,
                                   "text": g["text"], "matched": bool(matched), "predicted": ", ".join(shown) or None})
            if "objection" in glabels and "objection" in plabels:
                gc = g.get("objection_category")
                gcs = set(gc) if isinstance(gc, list) else {gc}
                cat_total += 1
                cat_hit += bool(gcs & pcats)
                for c in sorted(gcs, key=str):
                    name = c if isinstance(c, str) else UNSPECIFIED
                    cat_n[name] += 1
                    if c in pcats:
                        cat_ok[name] += 1
                        cat_pairs[(name, name)] += 1
                    else:
                        for w in sorted(pcats - gcs) or [NONE]:
                            cat_pairs[(name, w)] += 1
        for neg in rec.unlabelled:
            n_unlabelled += 1
            nkey = normalize(neg["text"])
            for p in preds:
                if "objection" in p.labels and overlaps(nkey, p.key):
                    rule, cue = rules(p.doc_id, p.sent_id, "objection")
                    hard.append({"id": rec.id, "file": file, "text": neg["text"], "doc_id": p.doc_id,
                                 "sent_id": p.sent_id, "pred_text": p.text, "rule": rule, "cue": cue})
        for p in preds:
            for lab in LABELS:
                if lab in p.labels and not any(lab in gl and overlaps(gk, p.key) for gk, gl, _ in golds):
                    fp[lab] += 1
                    rule, cue = rules(p.doc_id, p.sent_id, lab)
                    false_alarms.append({"id": rec.id, "file": file, "doc_id": p.doc_id, "sent_id": p.sent_id,
                                         "label": lab, "text": p.text, "rule": rule, "cue": cue})

    per_label = [{"label": lab, **_prf(tp[lab], fp[lab], fn[lab])} for lab in LABELS]
    micro = [_prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))]
    categories = [{"category": ALL, "n": cat_total, "correct": cat_hit, "accuracy": _ratio(cat_hit, cat_total)}]
    cat_names = [c for c in _category_order() if c in cat_n] + sorted(c for c in cat_n if c not in _category_order())
    categories += [{"category": c, "n": cat_n[c], "correct": cat_ok[c], "accuracy": _ratio(cat_ok[c], cat_n[c])} for c in cat_names]
    category_confusion = [{"gold": g, "pred": p, "n": n} for (g, p), n in
                          sorted(cat_pairs.items(), key=lambda kv: (cat_names.index(kv[0][0]), kv[0][0] != kv[0][1], -kv[1], kv[0][1]))]
    confusion = [{"gold": g, "pred": p, "n": n, "share": n / n_gold[g]} for (g, p), n in
                 sorted(pair_counts.items(), key=lambda kv: (label_order[kv[0][0]], label_order.get(kv[0][1], len(LABELS)), kv[0][1]))]

    stance, stance_confusion, stance_pairs = _score_stance(by_path, docs, warnings)
    return Evaluation(
        per_label=_frame("per_label", per_label),
        micro=_frame("micro", micro),
        categories=_frame("categories", categories),
        category_confusion=_frame("category_confusion", category_confusion),
        confusion=_frame("confusion", confusion),
        misses=_frame("misses", misses),
        false_alarms=_frame("false_alarms", false_alarms),
        hard_negatives=_frame("hard_negatives", hard),
        stance=stance,
        stance_confusion=stance_confusion,
        stance_pairs=stance_pairs,
        analysis=analysis,
        n_files=len(records),
        n_unlabelled=n_unlabelled,
        n_unmatched=n_unmatched,
        warnings=warnings,
    )


def _score_stance(by_path: dict[str, GoldRecord], docs: "pd.DataFrame", warnings: list[str]) -> tuple["pd.DataFrame", ...]:
    """Post stance per file; comment stance and agreement by position in the file's comments."""
    post_of: dict[str, dict[str, Any]] = {}
    comments_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in docs.to_dict("records"):
        path = _resolved(row.get("source"))
        part = _str(row.get("part"))
        if part == "post":
            post_of[path] = row  # several posts in one file: the last one (as the external scorer)
        elif part == "comment":
            comments_of[path].append(row)

    pairs: list[dict[str, Any]] = []
    for path, rec in by_path.items():
        post = post_of.get(path)
        if rec.stance is not None:
            pairs.append({"id": rec.id, "file": rec.path.name, "part": "post", "index": None,
                          "doc_id": _str(post["doc_id"]) if post else None, "gold_author": None,
                          "pred_author": _str(post.get("author")) if post else None, "gold_stance": rec.stance,
                          "pred_stance": _str(post.get("stance")) if post else None,
                          "gold_agreement": None, "pred_agreement": None})
        predicted = comments_of.get(path, [])
        if rec.comments and len(predicted) != len(rec.comments):
            warnings.append(f"{rec.id}: the gold describes {len(rec.comments)} comments, the analysis found "
                            f"{len(predicted)}; comments are paired by position")
        for i, gc in enumerate(rec.comments):
            pc = predicted[i] if i < len(predicted) else None
            pairs.append({"id": rec.id, "file": rec.path.name, "part": "comment", "index": i,
                          "doc_id": _str(pc["doc_id"]) if pc else None, "gold_author": _str(gc.get("author")),
                          "pred_author": _str(pc.get("author")) if pc else None, "gold_stance": _str(gc.get("stance")),
                          "pred_stance": _str(pc.get("stance")) if pc else None,
                          "gold_agreement": _str(gc.get("agreement")),
                          "pred_agreement": _str(pc.get("agreement")) if pc else None})

    metrics: list[dict[str, Any]] = []
    confusion: list[dict[str, Any]] = []
    for part, task, classes in (("post", "stance", STANCES), ("comment", "stance", STANCES),
                                ("comment", "agreement", AGREEMENTS)):
        items = [(r[f"gold_{task}"], r[f"pred_{task}"]) for r in pairs if r["part"] == part and r[f"gold_{task}"] is not None]
        gold = [g for g, _ in items]
        pred = [p for _, p in items]
        metrics.append({"part": part, "task": task, "n": len(items),
                        "accuracy": _ratio(sum(g == p for g, p in items), len(items)),
                        "macro_f1": macro_f1(gold, pred, classes)})
        counts = Counter((g, p if p is not None else NONE) for g, p in items)
        order = {c: k for k, c in enumerate(classes)}
        for (g, p), n in sorted(counts.items(), key=lambda kv: (order.get(kv[0][0], len(order)), kv[0][0],
                                                               order.get(kv[0][1], len(order)), kv[0][1])):
            confusion.append({"part": part, "task": task, "gold": g, "pred": p, "n": n})
    return _frame("stance", metrics), _frame("stance_confusion", confusion), _frame("stance_pairs", pairs)


# -- helpers ----------------------------------------------------------------------------------
def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}


def macro_f1(gold: Sequence[Any], pred: Sequence[Any], classes: Sequence[str]) -> float | None:
    """Mean F1 over the classes that occur in the gold (None when there is no gold item).

    Example:
        >>> macro_f1(["favor", "against"], ["favor", "neutral"], ("favor", "against", "neutral"))
        0.5
    """
    scores = []
    for c in classes:
        if c not in gold:
            continue
        t = sum(g == c and p == c for g, p in zip(gold, pred))
        f_pos = sum(p == c and g != c for g, p in zip(gold, pred))
        f_neg = sum(g == c and p != c for g, p in zip(gold, pred))
        scores.append(_prf(t, f_pos, f_neg)["f1"])
    return sum(scores) / len(scores) if scores else None


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _category_order() -> tuple[str, ...]:
    from .types import CATEGORIES

    return CATEGORIES + (UNSPECIFIED,)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def _str(value: Any) -> str | None:
    return None if _missing(value) else str(value)


def _resolved(source: Any) -> str | None:
    source = _str(source)
    return str(Path(source).resolve()) if source else None


def _num(value: Any) -> float | None:
    return None if _missing(value) else float(value)


def _clean(value: Any) -> Any:
    """A JSON-friendly Python value from a pandas/numpy cell."""
    if _missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return value


def _records(df: "pd.DataFrame") -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in df.to_dict("records")]


def _frame(name: str, rows: list[dict[str, Any]]) -> "pd.DataFrame":
    import pandas as pd

    spec = COLUMNS[name]
    if rows:
        df = pd.DataFrame(rows, columns=list(spec))
    else:
        df = pd.DataFrame({c: pd.Series(dtype=t) for c, t in spec.items()})
    return df.astype(spec)


def _fmt(value: Any) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _short(text: Any, width: int = 90) -> str:
    text = _SPACES.sub(" ", str(text or "")).strip()
    return text if len(text) <= width else text[: width - 1] + "…"


_ABBREV = {"objection": "obj", "rebuttal": "reb", "concession": "conc", "rhetorical_question": "rq",
           "authority": "auth", "example": "ex", "attributed": "attr", NONE: "none"}


def _confusion_grid(confusion: "pd.DataFrame") -> list[str]:
    """The label co-occurrence shares as a small fixed-width grid (rows: gold, columns: predicted)."""
    if confusion.empty:
        return ["   (no gold label)"]
    preds = list(LABELS) + sorted(set(confusion["pred"]) - set(LABELS) - {NONE}) + [NONE]
    share = {(g, p): s for g, p, s in zip(confusion["gold"], confusion["pred"], confusion["share"])}
    head = f"   {'gold':20}" + "".join(f"{_ABBREV.get(p, p[:5]):>6}" for p in preds)
    lines = [head]
    for g in LABELS:
        if not any((g, p) in share for p in preds):
            continue
        lines.append(f"   {g:20}" + "".join(f"{share[(g, p)]:6.2f}" if (g, p) in share else f"{'.':>6}" for p in preds))
    return lines
