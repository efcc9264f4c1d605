"""Sentence and document features for the learned layer (``discours_argument_model``).

Features are plain strings (``"l=coût"``, ``"R=objection"``, ``"p:R=attributed"``): the words
of the sentence (lemmas, forms, lemma bigrams, first words), its verbs' mood, tense and person,
negation, punctuation and shape, its block and part, what the rules and the marker lexicon
found in it, and the same signals for its neighbours, the heading of its section and the
sentence that introduces its list. The same function serves training and prediction, so a model
sees at run time exactly what it was trained on.

Example:
    >>> feats = sentence_features(nlp("Certes, ça coûte cher. Mais les clients sont là."))  # doctest: +SKIP
    >>> "f1=certes" in feats[0], "p:R=concession" in feats[1]                            # doctest: +SKIP
    (True, True)
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .extensions import ARGUMENTS, BLOCKS, MARKERS, sentence_bounds, sentence_finder

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: bump when features change: a model records the version it was trained with
FEATURES_VERSION = "features.v1"

_NEGATORS = frozenset({"ne", "n'", "pas", "jamais", "aucun", "aucune", "rien", "personne", "nullement", "guère", "ni"})
_QUOTES = frozenset("«»“”\"")
_END_PUNCT = frozenset(".!?…:;»”\")")


_VERB_KEYS = {"Mood": "vm=", "Tense": "vt=", "Person": "vp=", "VerbForm": "vf="}
_VERB_ORDER = ("Mood", "Tense", "Person", "VerbForm")
_verb_cache: dict[int, list[str]] = {}


def _verb_features(morph: int, strings: object) -> list[str]:
    """``vm=Cnd``, ``vt=Past``… of a verb's morphology (read from its hash, parsed once)."""
    cached = _verb_cache.get(morph)
    if cached is None:
        fields: dict[str, list[str]] = {}
        text = strings[morph] if morph else ""  # type: ignore[index]
        for part in text.split("|") if text else ():
            key, _, values = part.partition("=")
            if key in _VERB_KEYS:
                fields[key] = values.split(",")
        cached = [_VERB_KEYS[k] + v for k in _VERB_ORDER for v in fields.get(k, ())]
        if len(_verb_cache) < 10_000:
            _verb_cache[morph] = cached
    return cached


# what a token gives, whatever its sentence: read once per (form, lemma) for the whole corpus
_word_cache: dict[tuple[int, int, int, int], tuple[str | None, tuple[str, ...], tuple[str, ...], bool]] = {}


def _word(low: str, lemma_form: str, punct: int, num: int) -> tuple[str | None, tuple[str, ...], tuple[str, ...], bool]:
    """(lemma or None for punctuation, its features, the shape marks it sets, whether it negates)."""
    shape = []
    if "%" in low:
        shape.append("pct")
    if punct:
        return None, (), tuple(shape + (["quote"] if low in _QUOTES else [])), False
    lemma = lemma_form.lower() or low
    feats = ("l=" + lemma,) if low == lemma else ("l=" + lemma, "w=" + low)
    if num or (not low.isalpha() and any(c.isdigit() for c in low)):
        shape.append("num")
    if low == "pourcent":
        shape.append("pct")
    return lemma, feats, tuple(shape), low in _NEGATORS


def _bucket(n: int, edges: tuple[int, ...]) -> int:
    for k, edge in enumerate(edges):
        if n <= edge:
            return k
    return len(edges)


def sentence_features(doc: "Doc", words: list[list[tuple[int, str, str]]] | None = None) -> list[list[str]]:
    """One list of feature strings per sentence of ``doc`` (sentences as in the tables).

    Reads the rule spans (``discours_arguments``), marker spans and blocks already on the Doc, so
    it must run after ``discours_arguments``. When ``words`` is a list, it receives, per sentence,
    the (token index, lemma, lower-case form) of its words (what a model's cue is looked up in).
    """
    bounds = sentence_bounds(doc)
    n = len(bounds)
    if not n:
        return []
    info = doc._.discours if isinstance(doc._.discours, dict) else {}
    part = info.get("part") or "post"
    sent_of = sentence_finder(bounds)
    rules: list[set[str]] = [set() for _ in range(n)]
    if ARGUMENTS in doc.spans:
        for span in doc.spans[ARGUMENTS]:
            sid = sent_of(span.start)
            if sid is None:
                continue
            rules[sid].add("R=" + span.label_)
            if span.id_:
                rules[sid].add("RID=" + span.id_)
            if span.kb_id_:
                rules[sid].add("RC=" + span.kb_id_)
    markers: list[set[str]] = [set() for _ in range(n)]
    if MARKERS in doc.spans:
        for span in doc.spans[MARKERS]:
            sid = sent_of(span.start)
            if sid is not None:
                markers[sid].add("M=" + span.label_)
    # cue classes and objection topics the rules saw in each sentence (discours_arguments)
    cues: list[list[str]] = [[] for _ in range(n)]
    seen = info.get("argument_cues")
    if isinstance(seen, list) and len(seen) == n:
        cues = [[c if c[:2] in ("T=", "t=") else "C=" + c for c in row] for row in seen]
    kinds = ["paragraph"] * n
    if BLOCKS in doc.spans:
        blocks = sorted((b.start, b.end, b.label_) for b in doc.spans[BLOCKS])
        bi = 0
        for sid, (start, _) in enumerate(bounds):
            while bi + 1 < len(blocks) and blocks[bi][1] <= start:
                bi += 1
            if blocks and blocks[bi][0] <= start < blocks[bi][1]:
                kinds[sid] = blocks[bi][2]

    lemmas: list[list[str]] = []
    local: list[list[str]] = []
    shapes: list[set[str]] = []
    # token attributes read once as arrays: no Token object per token on this hot path
    from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, LIKE_NUM, LOWER, MORPH, ORTH, POS
    from spacy.symbols import AUX, PROPN, VERB

    strings = doc.vocab.strings
    cols = doc.to_array([LEMMA, LOWER, POS, IS_PUNCT, IS_SPACE, LIKE_NUM, MORPH, ORTH]).T.tolist()
    a_lemma, a_lower, a_pos, a_punct, a_space, a_num, a_morph, a_orth = cols
    for sid, (start, end) in enumerate(bounds):
        feats: list[str] = []
        lem: list[str] = []
        shape: set[str] = set()
        neg = False
        positions: list[tuple[int, str, str]] | None = [] if words is not None else None
        if words is not None:
            words.append(positions)  # type: ignore[arg-type]
        for i in range(start, end):
            if a_space[i]:
                continue
            key = (a_lower[i], a_lemma[i], a_punct[i], a_num[i])
            word = _word_cache.get(key)
            if word is None:
                word = _word(strings[a_lower[i]], strings[a_lemma[i]] if a_lemma[i] else "", a_punct[i], a_num[i])
                if len(_word_cache) < 200_000:
                    _word_cache[key] = word
            lemma, word_feats, word_shape, negator = word
            shape.update(word_shape)
            if lemma is None:
                continue  # punctuation
            if positions is not None:
                positions.append((i, lemma, word_feats[-1][2:]))
            lem.append(lemma)
            feats.extend(word_feats)
            neg = neg or negator
            pos = a_pos[i]
            if pos == VERB or pos == AUX:
                feats.extend(_verb_features(a_morph[i], strings))
            elif pos == PROPN:
                shape.add("propn")
        for a, b in zip(lem, lem[1:]):
            feats.append("b=" + a + "_" + b)
        if lem:
            feats.append("f1=" + lem[0])
            if len(lem) > 1:
                feats.append("f2=" + lem[0] + "_" + lem[1])
        # the sentence's last character: bounds are trimmed of spaces, so the last token's end
        last_orth = strings[a_orth[end - 1]].rstrip()
        last = last_orth[-1:]
        if last == "?":
            shape.add("q")
        elif last == "!":
            shape.add("excl")
        elif last == ":":
            shape.add("colon")
        if last not in _END_PUNCT:
            shape.add("noterm")
        if neg:
            shape.add("neg")
        shape.add(f"len={_bucket(len(lem), (3, 7, 15, 30))}")
        lemmas.append(lem)
        local.append(feats)
        shapes.append(shape)

    # the heading of each sentence's section and the sentence introducing each list run
    heading_of: list[int | None] = [None] * n
    intro_of: list[int | None] = [None] * n
    current = None
    for sid in range(n):
        if kinds[sid] in ("heading", "title"):
            current = sid
            continue
        heading_of[sid] = current
        if kinds[sid] == "list_item":
            prev = sid - 1
            while prev >= 0 and kinds[prev] == "list_item":
                prev -= 1
            intro_of[sid] = prev if prev >= 0 else None

    out: list[list[str]] = []
    for sid in range(n):
        feats = list(local[sid])
        feats += sorted(shapes[sid])
        feats += sorted(rules[sid])
        feats += sorted(markers[sid])
        feats += cues[sid]
        feats.append("blk=" + kinds[sid])
        feats.append("part=" + part)
        feats.append(f"pos={min(sid, 3)}")
        feats.append(f"rel={min(4, 5 * sid // n)}")
        for off, tag in ((-1, "p:"), (1, "n:")):
            j = sid + off
            if 0 <= j < n:
                feats += [tag + r for r in rules[j] if r.startswith("R=")]
                feats += [tag + s for s in shapes[j] if s in ("q", "colon", "quote", "noterm", "neg")]
                feats += [tag + m for m in markers[j]]
                feats += [tag + c for c in cues[j] if c[:2] == "T="]
                feats.append(tag + "blk=" + kinds[j])
                if lemmas[j]:
                    feats.append(tag + "f1=" + lemmas[j][0])
            else:
                feats.append(tag + "none")
        h = heading_of[sid]
        if h is not None:
            feats += ["h:l=" + l for l in lemmas[h]]
            feats += ["h:" + c for c in cues[h] if c[:2] == "T="]
        i = intro_of[sid]
        if i is not None:
            feats += ["i:l=" + l for l in lemmas[i]]
            feats += ["i:" + r for r in rules[i] if r.startswith("R=")]
            feats += ["i:" + s for s in shapes[i]]
        out.append(feats)
    return out


def sentence_vectors(doc: "Doc", bounds: list[tuple[int, int]] | None = None) -> "np.ndarray | None":
    """Each sentence's mean row of ``doc.tensor``: the contextual token vectors the pipeline's
    ``tok2vec`` computes anyway for tagging and parsing (96 numbers a token in
    ``fr_core_news_sm``), so reading them costs nothing. None when the pipeline leaves no
    tensor (a blank pipeline).

    Example:
        >>> sentence_vectors(nlp("Pourquoi pas ? Parce que.")).shape   # doctest: +SKIP
        (2, 96)
    """
    tensor = getattr(doc, "tensor", None)
    if tensor is None or getattr(tensor, "ndim", 0) != 2 or tensor.shape[0] != len(doc) or not tensor.shape[1]:
        return None
    bounds = sentence_bounds(doc) if bounds is None else bounds
    if not bounds:
        return np.zeros((0, tensor.shape[1]), dtype=np.float32)
    # sums by prefix differences: one pass over the tokens for all sentences
    prefix = np.zeros((len(doc) + 1, tensor.shape[1]), dtype=np.float64)
    np.cumsum(tensor, axis=0, dtype=np.float64, out=prefix[1:])
    starts = np.fromiter((s for s, _ in bounds), dtype=np.int64, count=len(bounds))
    ends = np.fromiter((e for _, e in bounds), dtype=np.int64, count=len(bounds))
    sizes = np.maximum(ends - starts, 1)[:, None]
    return ((prefix[ends] - prefix[starts]) / sizes).astype(np.float32)


def vectors_source(meta: dict) -> str:
    """Which pipeline's token vectors these are, from its ``nlp.meta``: a model trained on one
    pipeline's vectors must not read another's (``fr_core_news_md`` has the same width, other values).

    Example:
        >>> vectors_source({"lang": "fr", "name": "core_news_sm", "version": "3.8.0"})
        'fr_core_news_sm-3.8'
    """
    version = ".".join(str(meta.get("version", "0")).split(".")[:2])
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{version}"


def lemma_counts(words: list[list[tuple[int, str, str]]]) -> list[str]:
    """A document's lemmas, one ``d:l=…`` per sentence that has the lemma, from the words
    :func:`sentence_features` gives per sentence (what :func:`document_features` reads from the
    tokens).

    Example:
        >>> lemma_counts([[(0, "quitter", "quittons"), (1, "x", "x")], [(3, "quitter", "quitter")]])
        ['d:l=quitter', 'd:l=quitter', 'd:l=x']
    """
    return sorted("d:l=" + lemma for row in words for lemma in {w[1] for w in row})


def document_features(doc: "Doc", lemmas: list[str] | None = None) -> list[str]:
    """Features of a whole document for its stance: its lemmas (one ``d:l=…`` per sentence that
    has the lemma, so a model reading term frequencies sees what a post keeps coming back to;
    ``lemmas`` when :func:`lemma_counts` already gave them), :func:`document_frame`, and the
    rule-based stance's own figures (add :func:`label_features` for the share of each label).
    """
    bounds = sentence_bounds(doc)
    info = doc._.discours if isinstance(doc._.discours, dict) else {}
    from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, LOWER

    strings = doc.vocab.strings
    feats: list[str] = list(lemmas) if lemmas is not None else []
    if len(doc) and lemmas is None:
        rows = doc.to_array([LEMMA, LOWER, IS_PUNCT, IS_SPACE]).tolist()
        for start, end in bounds:
            feats.extend({"d:l=" + ((strings[lemma] if lemma else "").lower() or strings[low])
                          for lemma, low, punct, space in rows[start:end] if not (punct or space)})
    feats += document_frame(doc, bounds)
    sf = info.get("stance_features") or {}
    if sf:
        score = float(sf.get("score", 0.0))
        feats.append(f"st:score={int(round(max(-1.0, min(1.0, score)) * 5))}")
        feats.append(f"st:pos={_bucket(int(sf.get('n_pos', 0)), (0, 1, 3, 6))}")
        feats.append(f"st:neg={_bucket(int(sf.get('n_neg', 0)), (0, 1, 3, 6))}")
        feats.append(f"st:rule={info.get('stance', 'neutral')}")
    return sorted(feats)


def document_frame(doc: "Doc", bounds: list[tuple[int, int]] | None = None) -> list[str]:
    """What frames a document besides its words: its part (post or comment), the lemmas of its
    title and headings (``d:h=…``, each once) and its length in sentences, bucketed."""
    if bounds is None:
        bounds = sentence_bounds(doc)
    info = doc._.discours if isinstance(doc._.discours, dict) else {}
    feats: set[str] = {"part=" + (info.get("part") or "post")}
    if BLOCKS in doc.spans:
        for b in doc.spans[BLOCKS]:
            if b.label_ in ("heading", "title"):
                feats.update("d:h=" + (t.lemma_ or t.lower_).lower() for t in b if not t.is_punct and not t.is_space)
    feats.add(f"d:len={_bucket(max(1, len(bounds)), (3, 8, 15, 30, 60))}")
    return sorted(feats)


def label_features(labels: "list[set[str]]") -> list[str]:
    """How much of a document each argument label covers (shares and counts, bucketed).

    Example:
        >>> label_features([{"objection"}, set(), {"objection", "attributed"}])
        ['d:n_attributed=1', 'd:n_objection=2', 'd:share_attributed=3', 'd:share_objection=4']
    """
    n = max(1, len(labels))
    counts: dict[str, int] = {}
    for labs in labels:
        for lab in labs:
            counts[lab] = counts.get(lab, 0) + 1
    feats = []
    for lab, c in counts.items():
        feats.append(f"d:share_{lab}={_bucket(int(100 * c / n), (5, 15, 30, 50))}")
        feats.append(f"d:n_{lab}={_bucket(c, (0, 1, 3, 6, 10))}")
    return sorted(feats)
