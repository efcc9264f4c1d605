"""A small hand-made Analysis (two posts, three comments) for summary, plot and report tests.

No spaCy: tokens come from a tiny regex tokeniser and a hand lemma table, so the counts below
can be checked by reading the texts.
"""
from __future__ import annotations

import re
from typing import Any

POSTS: list[dict[str, Any]] = [
    {"doc_id": "p1", "post_id": "p1", "part": "post", "author": "Claire Dubois", "date": "2012-03-05",
     "title": "Pas le temps ? Vraiment ?", "stance": "favor", "stance_score": 0.6, "agreement": None,
     "text": ("Les patrons disent qu'ils n'ont pas le temps. Certes, le temps manque dans une PME. "
              "Mais une page Facebook ne coûte pas le temps qu'on imagine.\n\nLe vrai risque, c'est de ne pas être là.")},
    {"doc_id": "p1.c1", "post_id": "p1", "part": "comment", "author": "Marc Lefebvre", "date": "2012-03-06T08:15",
     "title": None, "stance": "against", "stance_score": -0.5, "agreement": "disagree", "parent_id": "p1",
     "text": "Je ne suis pas d'accord. Chez nous, le juridique refuse toute publication. Et qui paiera le community manager ?"},
    {"doc_id": "p1.c2", "post_id": "p1", "part": "comment", "author": "Hélène Martin", "date": "2012-03-07",
     "title": None, "stance": "favor", "stance_score": 0.4, "agreement": "agree", "parent_id": "p1",
     "text": "Tout à fait d'accord avec vous. Le temps investi rapporte des clients."},
    {"doc_id": "p2", "post_id": "p2", "part": "post", "author": "Marc Lefebvre", "date": "2015-06-10",
     "title": "Pourquoi nous restons discrets", "stance": "against", "stance_score": -0.7, "agreement": None,
     "text": ("Les concurrents lisent tout ce que nous publions. Nous n'avons pas le temps de répondre aux critiques. "
              "Pourquoi prendre ce risque ?")},
    {"doc_id": "p2.c1", "post_id": "p2", "part": "comment", "author": "Claire Dubois", "date": None,
     "title": None, "stance": "neutral", "stance_score": 0.0, "agreement": "mixed", "parent_id": "p2",
     "text": "Le risque existe, mais il se gère. Les concurrents publient aussi, après tout."},
]

#: (doc_id, sentence index, label, category, cue, rule)
ARGUMENTS = [
    ("p1", 0, "attributed", None, "disent", "attributed.dire.v1"),
    ("p1", 0, "objection", "time", "pas le temps", "objection.time.v1"),
    ("p1", 1, "concession", None, "Certes", "concession.certes.v1"),
    ("p1", 1, "objection", "time", "le temps manque", "objection.time.v1"),
    ("p1", 2, "rebuttal", None, "Mais", "rebuttal.mais.v1"),
    ("p1.c1", 1, "objection", "regulation_legal", "le juridique refuse", "objection.legal.v1"),
    ("p1.c1", 2, "objection", "cost_resources", "qui paiera", "objection.cost.v1"),
    ("p1.c1", 2, "rhetorical_question", None, "qui paiera", "question.qui.v1"),
    ("p2", 0, "objection", "competition", "Les concurrents lisent", "objection.competition.v1"),
    ("p2", 1, "objection", "time", "pas le temps", "objection.time.v1"),
    ("p2", 1, "objection", "reputation_criticism", "critiques", "objection.criticism.v1"),
    ("p2", 2, "rhetorical_question", None, "Pourquoi", "question.pourquoi.v1"),
    ("p2.c1", 0, "concession", None, "mais", "concession.mais.v1"),
]

#: (doc_id, marker text, sense)
MARKERS = [("p1", "Certes", "concession"), ("p1", "Mais", "opposition"), ("p2.c1", "mais", "opposition"),
           ("p2.c1", "aussi", "addition")]

LEMMAS = {
    "les": "le", "la": "le", "l'": "le", "une": "un", "des": "de", "d'": "de", "aux": "à", "qu'": "que", "n'": "ne",
    "c'": "ce", "ils": "il", "disent": "dire", "ont": "avoir", "avons": "avoir", "est": "être", "suis": "être",
    "patrons": "patron", "concurrents": "concurrent", "clients": "client", "critiques": "critique",
    "publions": "publier", "publient": "publier", "lisent": "lire", "manque": "manquer", "coûte": "coûter",
    "paiera": "payer", "refuse": "refuser", "investi": "investir", "rapporte": "rapporter", "restons": "rester",
    "gère": "gérer", "toute": "tout",
}
NOUNS = {"patrons", "temps", "pme", "page", "facebook", "risque", "publication", "juridique", "community", "manager",
         "clients", "concurrents", "critiques", "accord"}
TOKEN_RE = re.compile(r"\w+'|\w+|[^\w\s]")
SENT_RE = re.compile(r"[^.?!]+[.?!]?")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in SENT_RE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append((start, end))
    return spans


def rows() -> dict[str, list[dict[str, Any]]]:
    documents, sentences, tokens, arguments, markers = [], [], [], [], []
    for doc in POSTS:
        text = doc["text"]
        spans = sentence_spans(text)
        n_words = 0
        for sid, (s0, s1) in enumerate(spans):
            toks = [m for m in TOKEN_RE.finditer(text, s0, s1)]
            words = [m for m in toks if re.match(r"\w", m.group())]
            n_words += len(words)
            sentences.append({"doc_id": doc["doc_id"], "sent_id": sid, "block": "paragraph", "text": text[s0:s1],
                              "start_char": s0, "end_char": s1, "n_tokens": len(words)})
            for m in toks:
                form = m.group()
                punct = not re.match(r"\w", form)
                low = form.lower()
                tokens.append({"doc_id": doc["doc_id"], "sent_id": sid, "token_id": len(tokens), "text": form,
                               "lemma": LEMMAS.get(low, low), "pos": "PUNCT" if punct else ("NOUN" if low in NOUNS else "X"),
                               "start_char": m.start(), "end_char": m.end(), "is_stop": False, "is_punct": punct})
        documents.append({**{k: v for k, v in doc.items()}, "n_sentences": len(spans), "n_tokens": n_words,
                          "source": f"{doc['post_id']}.txt"})
        for d, sid, label, category, cue, rule in ARGUMENTS:
            if d != doc["doc_id"]:
                continue
            s0, s1 = spans[sid]
            c0 = text.index(cue, s0)
            arguments.append({"doc_id": d, "sent_id": sid, "text": text[s0:s1], "label": label, "category": category,
                              "cue": cue, "rule": rule, "start_char": s0, "end_char": s1, "cue_start": c0,
                              "cue_end": c0 + len(cue)})
        for d, cue, sense in MARKERS:
            if d != doc["doc_id"]:
                continue
            c0 = re.search(rf"\b{cue}\b", text).start()
            sid = next(k for k, (s0, s1) in enumerate(spans) if s0 <= c0 < s1)
            markers.append({"doc_id": d, "sent_id": sid, "text": cue, "start_char": c0, "end_char": c0 + len(cue),
                            "sense": sense, "rule": f"marker.{cue.lower()}.v1"})
    return {"documents": documents, "sentences": sentences, "tokens": tokens, "arguments": arguments, "markers": markers}


def make_analysis() -> Any:
    """The hand-made corpus as an Analysis (documents with n_comments filled)."""
    from discours.analysis import Analysis
    from discours.tables import frame

    tables = {name: frame(name, part) for name, part in rows().items()}
    docs = tables["documents"]
    is_post = docs["part"] == "post"
    docs.loc[is_post, "n_comments"] = [2, 1]
    return Analysis(tables)
