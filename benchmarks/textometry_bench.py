#!/usr/bin/env python3
"""Time Reinert's classification and the correspondence analysis on generated documents.

    python benchmarks/textometry_bench.py                  # 10,000 documents
    python benchmarks/textometry_bench.py --docs 100000    # the scale the issue names

The tables are generated directly (no spaCy parse: the parse is measured by ``bench.py``): each
document is written in one of eight lexical worlds, its sentences mixing about 70 % words of
its world, 20 % words shared by every world and 10 % grammatical words, with the shape of the
``tokens`` table ``discours.analyze`` returns. Timings are the best of ``--repeat`` runs; the
adjusted Rand index between classes and worlds is printed as a sanity check.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

N_WORLDS = 8


def generate(n_docs: int, *, seed: int = 0):
    """An Analysis of ``n_docs`` generated documents and the world of each."""
    import pandas as pd

    from discours.analysis import Analysis
    from discours.tables import frame

    rng = np.random.default_rng(seed)
    world_words = [[f"monde{w}mot{i}" for i in range(300)] for w in range(N_WORLDS)]
    common = [f"commun{i}" for i in range(400)]
    grammar = ["le", "la", "de", "et", "à", "un", "une", "les", "des", "en"]
    worlds = rng.integers(0, N_WORLDS, size=n_docs)
    n_sent = rng.integers(3, 9, size=n_docs)
    doc_ids, sent_ids, forms, pos, punct = [], [], [], [], []
    texts = []
    for d in range(n_docs):
        words_doc: list[str] = []
        zipf = rng.zipf(1.3, size=400) % 300
        k = 0
        for s in range(int(n_sent[d])):
            length = int(rng.integers(8, 25))
            kind = rng.random(length)
            for j in range(length):
                if kind[j] < 0.7:
                    w, p = world_words[worlds[d]][int(zipf[k % 400])], "NOUN"
                    k += 1
                elif kind[j] < 0.9:
                    w, p = common[int(rng.integers(0, 400))], "VERB"
                else:
                    w, p = grammar[int(rng.integers(0, 10))], "DET"
                doc_ids.append(f"doc{d:06d}"), sent_ids.append(s), forms.append(w), pos.append(p), punct.append(False)
                words_doc.append(w)
            doc_ids.append(f"doc{d:06d}"), sent_ids.append(s), forms.append("."), pos.append("PUNCT"), punct.append(True)
            words_doc.append(".")
        texts.append(" ".join(words_doc))
    forms_arr = np.asarray(forms, dtype=object)
    lengths = np.array([len(f) for f in forms]) + 1
    starts = np.zeros(len(forms), dtype=np.int64)
    new_doc = np.r_[True, np.asarray(doc_ids[1:], dtype=object) != np.asarray(doc_ids[:-1], dtype=object)]
    offs = np.cumsum(lengths) - lengths
    doc_start = np.maximum.accumulate(np.where(new_doc, offs, 0))
    starts = offs - doc_start
    tokens = pd.DataFrame({"doc_id": pd.array(doc_ids, dtype="string"), "sent_id": pd.array(sent_ids, dtype="Int64"),
                           "token_id": pd.array(np.arange(len(forms)), dtype="Int64"),
                           "text": pd.array(forms_arr, dtype="string"), "lemma": pd.array(forms_arr, dtype="string"),
                           "pos": pd.array(pos, dtype="string"), "start_char": pd.array(starts, dtype="Int64"),
                           "end_char": pd.array(starts + lengths - 1, dtype="Int64"),
                           "is_stop": pd.array(np.zeros(len(forms), dtype=bool), dtype="boolean"),
                           "is_punct": pd.array(punct, dtype="boolean")})
    documents = frame("documents", [
        {"doc_id": f"doc{d:06d}", "post_id": f"doc{d:06d}", "part": "post" if d % 5 == 0 else "comment",
         "author": f"auteur{int(rng.integers(0, 200))}", "date": f"{2008 + d % 10}-06-01", "text": texts[d],
         "stance": ("favor", "against", "neutral")[d % 3]}
        for d in range(n_docs)])
    return Analysis({"documents": documents, "tokens": tokens}), worlds


def ari(a, b) -> float:
    from math import comb

    _, ia = np.unique(np.asarray(a), return_inverse=True)
    _, ib = np.unique(np.asarray(b), return_inverse=True)
    t = np.zeros((ia.max() + 1, ib.max() + 1), dtype=np.int64)
    np.add.at(t, (ia, ib), 1)
    index = sum(comb(int(x), 2) for x in t.ravel())
    rows = sum(comb(int(x), 2) for x in t.sum(axis=1))
    cols = sum(comb(int(x), 2) for x in t.sum(axis=0))
    expected = rows * cols / comb(len(ia), 2)
    return float((index - expected) / ((rows + cols) / 2 - expected))


def best_of(repeat: int, func):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--docs", type=int, default=10_000)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    analysis, worlds = generate(args.docs)
    print(f"generated {args.docs:,} documents, {len(analysis.tokens):,} tokens in {time.perf_counter() - t0:.1f} s")
    t_rei, rei = best_of(args.repeat, lambda: analysis.reinert(args.k))
    seg = rei.segments[rei.segments["cluster"].notna()]
    world = dict(zip(analysis.documents["doc_id"], worlds))
    print(f"reinert(k={args.k}): {t_rei:.2f} s  ({len(rei.segments):,} segments, {rei.terms['term'].nunique():,} terms, "
          f"{len(rei.clusters)} classes, {len(seg) / len(rei.segments):.1%} classified, "
          f"ARI with the {N_WORLDS} worlds {ari(seg['cluster'].astype(int), seg['doc_id'].map(world)):.3f})")
    t_double, dbl = best_of(1, lambda: analysis.reinert(args.k, double=True))
    print(f"reinert(k={args.k}, double=True): {t_double:.2f} s  ({len(dbl.clusters)} classes)")
    for by in ("part", "author", "year"):
        t_ca, afc = best_of(args.repeat, lambda: analysis.correspondence(by))
        shape = afc.table.shape
        print(f"correspondence({by!r}): {t_ca:.2f} s  ({shape[0]} × {shape[1]} table, "
              f"first eigenvalue {afc.eigenvalues['eigenvalue'].iloc[0]:.4f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
