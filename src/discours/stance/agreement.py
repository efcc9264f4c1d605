"""Agreement of each comment with its post: ``agree``, ``disagree``, ``mixed`` or ``none``.

Two kinds of evidence, combined per comment:

1. **Explicit cues** (``lexicons/agreement.v1.json``): *tout à fait d'accord*, *bravo*, *excellent
   billet* (agree); *je ne suis pas d'accord*, *au contraire*, *pour être franc* (disagree);
   *permettez-moi de nuancer*, *un bémol*, *oui, mais* (nuance). An agree cue under negation
   (*pas tout à fait d'accord* aside) counts as disagree. A comment that rebuts what its
   addressee said (rule ``rebuttal.addressee.v1`` of ``discours_arguments``) disagrees; a comment
   holding a ``rebuttal`` and no explicit cue disputes something (``agreement.disagree.rebuttal.v1``),
   and so does one stating a barrier in its own voice under a post in favour
   (``agreement.disagree.own_barrier.v1``).
2. **Stances**: the comment's stance compared with the post's (same side, opposite sides).

Decision: agree and disagree cues together, a stated reservation, or a cue contradicted by the
stances (a disagreeing comment on the post's side, as when a commenter favours social media but
disputes the post's premise) give ``mixed``; otherwise the cues decide; without cues the stances
decide; with neither, ``none``. A reply to another comment is read toward that comment and
composed with that comment's agreement; the post's author answering in the thread agrees.

Where a comment shows explicit (dis)agreement but little stance of its own (*Bravo, enfin
quelqu'un qui parle vrai.*), its ``stance`` and ``stance_score`` in ``documents`` take the
post's side (or the opposite side), and a row saying so is added to ``stance_evidence``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis import Analysis

AGREEMENTS = ("agree", "disagree", "mixed", "none")
#: rule of discours_arguments whose presence in a comment means it answers its addressee
ADDRESSEE_RULE = "rebuttal.addressee.v1"
#: a comment with a rebuttal and no explicit cue disputes something: this much disagreement
REBUTTAL_CUE = 0.8
REBUTTAL_RULE = "agreement.disagree.rebuttal.v1"
#: a comment stating a barrier in its own voice under a post in favour: disagreement too
BARRIER_RULE = "agreement.disagree.own_barrier.v1"
#: own stance weaker than this lets explicit (dis)agreement decide the comment's stance
WEAK_STANCE = 0.5
#: total cue weight from which explicit (dis)agreement outweighs the stance comparison
STRONG_CUE = 1.5
_OPENER_BUT = re.compile(r"^(.{1,60}?)[,;]?\s+mais\b")
_CHALLENGE = re.compile(r"^(et|mais|ok mais|oui mais)\s+(?:le|la|les|l'|si|quand|comment|qui|pourquoi|que|qu')[^?.!]{0,80}\?\s*$")
_NEGATION_BEFORE = re.compile(r"(?:\b(?:pas|plus|jamais|ne|n'|guère|nullement)\s+(?:\S+\s+){0,2})$")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text)).replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


@lru_cache(maxsize=1)
def _cue_table() -> tuple[re.Pattern[str], dict[str, tuple[str, float, str, str]]]:
    """One regex over every cue (longest first) and phrase → (kind, strength, position, id)."""
    from ..lexicons import load

    lookup: dict[str, tuple[str, float, str, str]] = {}
    for entry in load("agreement")["entries"]:
        for phrase in entry["phrases"]:
            lookup.setdefault(_norm(phrase), (entry["kind"], float(entry["strength"]), entry.get("position", "anywhere"), entry["id"]))
    alternatives = sorted(lookup, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(p) for p in alternatives) + r")(?![\w])")
    return pattern, lookup


def find_cues(sentences: list[str]) -> list[dict[str, Any]]:
    """Agreement cues in a comment given as its sentences, with their kind and weight.

    Example:
        >>> [c["kind"] for c in find_cues(["Je ne suis pas d'accord.", "Bravo quand même."])]
        ['disagree', 'agree']
    """
    pattern, lookup = _cue_table()
    n = len(sentences)
    out: list[dict[str, Any]] = []
    for sid, sentence in enumerate(sentences):
        text = _norm(sentence)
        for m in pattern.finditer(text):
            cue = m.group(1)
            kind, strength, position, rule = lookup[cue]
            opening = sid < 2
            if position == "opening" and not opening:
                continue
            if position == "opening_or_closing" and not (opening or sid == n - 1):
                continue
            if kind == "agree" and _NEGATION_BEFORE.search(text[: m.start()]):
                kind, rule = "disagree", rule + "+negated"
            out.append({"sent_id": sid, "cue": cue, "kind": kind, "weight": strength * (1.5 if opening else 1.0), "rule": rule})
    if sentences:
        first = _norm(sentences[0])
        # "Belle histoire, mais …", "Bon article mais un peu alarmiste": a short opener, then a reservation
        m = _OPENER_BUT.match(first)
        if m and (len(m.group(1).split()) <= 4 or any(c["sent_id"] == 0 and c["kind"] == "agree" for c in out)):
            out.append({"sent_id": 0, "cue": m.group(0).strip(), "kind": "nuance", "weight": 1.0, "rule": "agreement.nuance.opener_but.v1"})
        # "Et la responsabilité légale ?": a comment opening on a pointed question
        if _CHALLENGE.match(first):
            out.append({"sent_id": 0, "cue": first[:30], "kind": "disagree", "weight": 0.8, "rule": "agreement.disagree.challenge.v1"})
    return out


def _relation(stance: Any, other: Any) -> int:
    """+1 same side, -1 opposite sides, 0 when either is neutral or missing."""
    if stance not in ("favor", "against") or other not in ("favor", "against"):
        return 0
    return 1 if stance == other else -1


def classify(cues: list[dict[str, Any]], relation: int, *, same_author: bool = False) -> tuple[str, str]:
    """(agreement, reason) from the cues and the stance relation (+1 / 0 / -1)."""
    a = sum(c["weight"] for c in cues if c["kind"] == "agree")
    d = sum(c["weight"] for c in cues if c["kind"] == "disagree")
    n = sum(c["weight"] for c in cues if c["kind"] == "nuance")
    nw = sum(c["weight"] for c in cues if c["kind"] == "nuance_weak")
    said = ", ".join(f"'{c['cue']}'" for c in cues[:4])
    if same_author:
        return ("mixed", f"the post's author, with reservations ({said})") if d > a + 1 else ("agree", "the post's author answering in the thread")
    if a and d:
        if a >= 2 * d:
            return "agree", f"agreement cues outweigh a reservation ({said})"
        if d >= 2 * a:
            return "disagree", f"disagreement cues outweigh a concession ({said})"
        return "mixed", f"agreement and disagreement cues ({said})"
    if n:
        return "mixed", f"a stated reservation ({said})"
    if d:
        explicit = any(c["rule"].startswith("agreement.disagree.explicit") for c in cues)
        if relation > 0 and not explicit:
            # disputes a point (frankness, a challenge, rebutting the addressee) while sharing the
            # post's side: both at once; an explicit "je ne suis pas d'accord" still disagrees
            return "mixed", f"disagreement cue ({said}) but on the post's side"
        return "disagree", f"disagreement cue ({said})"
    if a:
        if a >= STRONG_CUE:
            return "agree", f"explicit agreement ({said})"
        if relation < 0:
            return "mixed", f"agreement cue ({said}) but on the other side"
        if nw:
            return "mixed", f"agreement cue then a reservation ({said})"
        return "agree", f"agreement cue ({said})"
    if relation > 0:
        return "agree", "same stance as the post"
    if relation < 0:
        return "disagree", "opposite stance to the post"
    return "none", "no agreement cue and no comparable stance"


def comment_features(cues: list[dict[str, Any]], relation: int, labels: set[str], *, reply: bool,
                     own_stance: Any, post_stance: Any, n_sentences: int, opens_with_question: bool) -> list[str]:
    """What the learned agreement model reads of one comment: its cues by kind and rule, its
    stance against the post's, the argument labels in it, and its shape.

    Example:
        >>> comment_features([], -1, {"rebuttal"}, reply=False, own_stance="against", post_stance="favor",
        ...                  n_sentences=2, opens_with_question=False)[:4]
        ['rel=-1', 'own=against', 'post=favor', 'own_post=against_favor']
    """
    feats = [f"rel={relation}", f"own={own_stance}", f"post={post_stance}", f"own_post={own_stance}_{post_stance}"]
    weights: dict[str, float] = {}
    for c in cues:
        weights[c["kind"]] = weights.get(c["kind"], 0.0) + float(c["weight"])
        rule = str(c["rule"])
        feats.append("rule=" + rule.split("+")[0].rsplit(".v", 1)[0])
        if rule.endswith("+negated"):
            feats.append("cue=negated_agree")
        if c["sent_id"] == 0:
            feats.append("first=" + c["kind"])
    for kind, w in weights.items():
        feats.append("cue=" + kind)
        if w >= STRONG_CUE:
            feats.append("cue_strong=" + kind)
    if not cues:
        feats.append("cue=none")
    feats += ["lab=" + lab for lab in sorted(labels)]
    if "objection" in labels and "attributed" not in labels:
        feats.append("lab=own_objection")
    if not labels:
        feats.append("lab=none")
    if reply:
        feats.append("reply")
    if opens_with_question:
        feats.append("opens_q")
    feats.append(f"len={min(n_sentences, 6) // 2}")
    return feats


def combine_agreement(learned: str, rules: str) -> str:
    """The learned call, except where the rules read a reservation (``mixed``: "oui, mais",
    "permettez-moi de nuancer"), which stands, and where the model says ``agree`` while the rules
    see disagreement (cross-validated on the annotated threads: a better macro-F1 than either
    alone, and disputing replies no longer read as agreement).

    Example:
        >>> combine_agreement("agree", "disagree"), combine_agreement("disagree", "agree"), combine_agreement("disagree", "mixed")
        ('disagree', 'disagree', 'mixed')
    """
    return rules if rules == "mixed" or (learned == "agree" and rules == "disagree") else learned


def predict_agreement(model: Any, feats: list[str]) -> tuple[str, str]:
    """(agreement, reason) from the learned model, explained by the features that weighed most."""
    probs = model.proba([feats])[0]
    best = int(probs.argmax())
    evidence = ", ".join(f for f, _ in model.evidence(feats, best, k=3)) or "its bias"
    return model.outputs[best], f"{model.name} ({model.outputs[best]} {probs[best]:.2f}: {evidence})"


_COMPOSE = {("agree", "agree"): "agree", ("agree", "disagree"): "disagree", ("disagree", "agree"): "disagree",
            ("disagree", "disagree"): "agree"}


def _same_person(a: Any, b: Any) -> bool:
    if not isinstance(a, str) or not isinstance(b, str) or not a.strip() or not b.strip():
        return False
    return _norm(a) == _norm(b)


def thread_agreement(analysis: "Analysis", model: Any = None) -> "pd.DataFrame":
    """Per comment: ``doc_id``, ``agreement``, ``agreement_reason``, ``cues``, the features the
    learned model reads (``features``), and the stance it should take when its own evidence is
    weak (``thread_stance``, ``thread_score``; NA otherwise).

    Args:
        model: the learned agreement model (a :class:`~discours.learn.linear.LinearModel`), or
            None for the rules alone. The post's author answering in the thread stays a rule.
    """
    import pandas as pd

    docs = analysis.documents
    cols = ["doc_id", "agreement", "agreement_reason", "cues", "thread_stance", "thread_score", "cue_sent_id", "features"]
    if docs.empty:
        return pd.DataFrame(columns=cols)
    comment_ids = set(docs.loc[docs["part"] == "comment", "doc_id"].astype(str))
    if not comment_ids:
        return pd.DataFrame(columns=cols)
    sentences: dict[str, list[str]] = {}
    sents = analysis.sentences
    if not sents.empty:
        # only the comments' sentences are read: posts can be most of a corpus's text
        sents = sents[sents["doc_id"].astype(str).isin(comment_ids)]
        ordered = sents.sort_values(["doc_id", "sent_id"], kind="stable")
        for doc_id, text in zip(ordered["doc_id"].astype(str).tolist(), ordered["text"].tolist()):
            sentences.setdefault(doc_id, []).append(str(text))
    addressee: set[str] = set()
    rebutting: dict[str, int] = {}
    barriers: dict[str, int] = {}
    comment_labels: dict[str, set[str]] = {}
    args = analysis.arguments
    if not args.empty:
        args = args[args["doc_id"].astype(str).isin(comment_ids)]
    if not args.empty and "rule" in args:
        addressee = {str(d) for d in args.loc[(args["rule"] == ADDRESSEE_RULE).fillna(False).astype(bool), "doc_id"]}
        # a comment's rebuttal answers the post or its addressee (guidelines §2.2): disputing evidence
        rebuttals = args[(args["label"] == "rebuttal").fillna(False).astype(bool)]
        rebutting = {str(d): int(sid) for d, sid in zip(rebuttals["doc_id"], rebuttals["sent_id"])}
        # a barrier the commenter states in their own voice (not reported) opposes a post in favour
        labels_of: dict[tuple[str, int], set[str]] = {}
        for d, sid, lab in zip(args["doc_id"].astype(str).tolist(), args["sent_id"].tolist(), args["label"].tolist()):
            labels_of.setdefault((d, int(sid)), set()).add(str(lab))
            comment_labels.setdefault(d, set()).add(str(lab))
        barriers = {}
        for (d, sid), labs in sorted(labels_of.items()):
            if "objection" in labs and "attributed" not in labs:
                barriers[d] = sid
    info = {str(r.doc_id): r for r in docs.itertuples(index=False)}
    labels: dict[str, str] = {}
    rows = []
    for r in docs.itertuples(index=False):
        if r.part != "comment":
            continue
        doc_id = str(r.doc_id)
        post = info.get(str(r.post_id))
        parent = info.get(str(r.parent_id)) if isinstance(r.parent_id, str) else None
        cues = find_cues(sentences.get(doc_id, []))
        if doc_id in addressee and not _same_person(r.author, getattr(post, "author", None)):
            cues.append({"sent_id": 0, "cue": "rebuts the addressee", "kind": "disagree", "weight": 1.0, "rule": ADDRESSEE_RULE})
        elif doc_id in rebutting and not any(c["kind"] in ("agree", "disagree") for c in cues):
            cues.append({"sent_id": rebutting[doc_id], "cue": "a rebuttal", "kind": "disagree", "weight": REBUTTAL_CUE,
                         "rule": REBUTTAL_RULE})
        elif (doc_id in barriers and getattr(post, "stance", None) == "favor"
              and not any(c["kind"] in ("agree", "disagree") for c in cues)):
            cues.append({"sent_id": barriers[doc_id], "cue": "a barrier of one's own", "kind": "disagree",
                         "weight": REBUTTAL_CUE, "rule": BARRIER_RULE})
        post_author = getattr(post, "author", None) if post is not None else None
        same_author = _same_person(r.author, post_author)
        reply = parent is not None and parent.part == "comment" and not _same_person(parent.author, r.author)
        post_stance = getattr(post, "stance", None)
        to_post = _relation(r.stance, post_stance)
        if reply and not same_author:
            to_parent, reason = classify(cues, _relation(r.stance, parent.stance))
            parent_label = labels.get(str(parent.doc_id), "none")
            label = _COMPOSE.get((to_parent, parent_label))
            if label is None:
                if to_parent == "mixed" or parent_label == "mixed":
                    label = "mixed"
                else:
                    label, reason = classify([], to_post)
            else:
                reason = f"{to_parent} with the comment it answers ({reason}), which is '{parent_label}' with the post"
        else:
            label, reason = classify(cues, to_post, same_author=same_author)
        sents_of = sentences.get(doc_id, [])
        feats = comment_features(cues, to_post, comment_labels.get(doc_id, set()), reply=reply, own_stance=r.stance,
                                 post_stance=post_stance,
                                 n_sentences=len(sents_of), opens_with_question=bool(sents_of) and sents_of[0].rstrip().endswith("?"))
        if model is not None and not same_author:
            learned, learned_reason = predict_agreement(model, feats)
            if combine_agreement(learned, label) == learned:
                label, reason = learned, learned_reason
            else:
                reason = f"{reason} (the model's '{learned}' yields to it)"
        labels[doc_id] = label
        # explicit (dis)agreement with little stance of one's own: take the post's side (or the other)
        thread_stance, thread_score, cue_sid = pd.NA, pd.NA, pd.NA
        own = float(r.stance_score) if pd.notna(r.stance_score) else 0.0
        post_score = float(post.stance_score) if post is not None and pd.notna(post.stance_score) else 0.0
        explicit = [c for c in cues if c["kind"] in ("agree", "disagree")] or (same_author and label == "agree")
        if explicit and post_stance in ("favor", "against") and (r.stance == "neutral" or abs(own) < WEAK_STANCE) and not reply:
            if label == "agree":
                thread_stance, sign = post_stance, 1.0
            elif label == "disagree" and not same_author:
                thread_stance, sign = ("against" if post_stance == "favor" else "favor"), -1.0
            else:
                sign = 0.0
            if sign:
                value = 0.5 * own + 0.5 * sign * post_score
                floor = 0.2 * (1 if thread_stance == "favor" else -1)
                thread_score = round(max(value, floor) if floor > 0 else min(value, floor), 4)
                cue_sid = next((c["sent_id"] for c in cues if c["kind"] in ("agree", "disagree")), 0)
        rows.append({"doc_id": doc_id, "agreement": label, "agreement_reason": reason,
                     "cues": "; ".join(c["cue"] for c in cues), "thread_stance": thread_stance,
                     "thread_score": thread_score, "cue_sent_id": cue_sid, "features": feats})
    return pd.DataFrame(rows, columns=cols)


def agreement_column(analysis: "Analysis", model: Any = None) -> "pd.Series":
    """The ``agreement`` column of ``analysis.documents`` (NA for posts), aligned with it.

    Also lets explicit agreement inform weak comment stances (see the module docstring): the
    ``stance`` and ``stance_score`` of such comments are updated in ``analysis.documents`` and
    the reason is added to ``analysis.stance_evidence``.

    Example:
        >>> analysis.documents.groupby("agreement").size()          # doctest: +SKIP
    """
    import pandas as pd

    docs = analysis.documents
    out = pd.Series(pd.NA, index=docs.index, dtype="string")
    if docs.empty:
        return out
    table = thread_agreement(analysis, model)
    if table.empty:
        return out
    by_id = table.set_index("doc_id")
    ids = docs["doc_id"].astype(str)
    out[:] = ids.map(by_id["agreement"]).astype("string").where(docs["part"] == "comment", pd.NA)
    _apply_thread_stance(analysis, by_id)
    return out


def _apply_thread_stance(analysis: "Analysis", by_id: "pd.DataFrame") -> None:
    import pandas as pd

    from ..tables import frame

    todo = by_id[by_id["thread_stance"].notna()]
    if todo.empty:
        return
    docs = analysis.documents
    # one pass over the tables, not one scan per comment (chunks hold thousands of documents)
    ids = docs["doc_id"].astype(str)
    hit = ids.isin(todo.index)
    docs.loc[hit, "stance"] = ids[hit].map(todo["thread_stance"]).to_numpy()
    docs.loc[hit, "stance_score"] = ids[hit].map(todo["thread_score"]).astype(float).to_numpy()
    sents = analysis.sentences
    text_of = {} if sents.empty else dict(zip(zip(sents["doc_id"].astype(str), sents["sent_id"].astype(int)), sents["text"]))
    evidence_rows = []
    for doc_id, row in todo.iterrows():
        sid = int(row["cue_sent_id"]) if pd.notna(row["cue_sent_id"]) else 0
        side = "takes the post's side" if row["agreement"] == "agree" else "takes the side opposite the post's"
        evidence_rows.append({"doc_id": doc_id, "sent_id": sid, "text": text_of.get((str(doc_id), sid), pd.NA),
                              "score": float(row["thread_score"]), "weight": 1.0,
                              "reason": f"{row['agreement']} with the post ({row['agreement_reason']}): " + side})
    if evidence_rows:
        current = analysis.stance_evidence
        added = frame("stance_evidence", evidence_rows)
        combined = pd.concat([current, added], ignore_index=True) if len(current) else added
        from .evidence import evidence_table

        analysis.stance_evidence = evidence_table(combined.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True))
