"""Agreement between two independent annotations of the same real pages (the ceiling a model
can reach), scored like ``../shared/tools/score_gold.py``: the first annotation is the gold,
the second the prediction (its labelled sentences are the predicted sentences).

    python benchmarks/annotator_agreement.py [gold/web/pages.jsonl gold/web/double.jsonl] [--texts DIR]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("first", nargs="?", default=str(ROOT / "gold" / "web" / "pages.jsonl"))
    ap.add_argument("second", nargs="?", default=str(ROOT / "gold" / "web" / "double.jsonl"))
    ap.add_argument("--texts")
    a = ap.parse_args()
    from discours.evaluation import macro_f1, normalize
    from discours.learn.dataset import ParsedDoc, SentenceRow
    from discours.learn.model import STANCES
    from discours.learn.train import score
    from discours.learn.webgold import read_web_gold

    second, _, _ = read_web_gold(a.second, texts=a.texts)
    first_all, _, _ = read_web_gold(a.first, texts=a.texts)
    by_id = {r.id: r for r in first_all}
    pairs = [(by_id[r.id], r) for r in second if r.id in by_id]
    records = [g for g, _ in pairs]
    docs, labels, cats = [], {}, {}
    for k, (_, other) in enumerate(pairs):
        rows = [SentenceRow(normalize(s["text"]), [], set(), set()) for s in other.sentences]
        docs.append(ParsedDoc(k, other.id, other.id, "post", rows, []))
        labels[k] = [set(s["labels"]) for s in other.sentences]
        cats[k] = [set(s["objection_category"]) if isinstance(s.get("objection_category"), list)
                   else ({s["objection_category"]} if s.get("objection_category") else set()) for s in other.sentences]
    res = score(records, docs, labels, cats)
    print(f"{len(pairs)} pages annotated twice, independently")
    print(f"{'label':22} {'P':>5} {'R':>5} {'F1':>5} {'n':>5}")
    for lab, m in res["labels"].items():
        print(f"{lab:22} {m['precision']:5.2f} {m['recall']:5.2f} {m['f1']:5.2f} {m['support']:5}")
    m = res["micro"]
    print(f"{'micro':22} {m['precision']:5.2f} {m['recall']:5.2f} {m['f1']:5.2f}")
    print(f"category accuracy {res['category_accuracy']:.2f}")
    gold = [g.stance for g, _ in pairs]
    pred = [o.stance for _, o in pairs]
    print(f"stance agreement {sum(x == y for x, y in zip(gold, pred))}/{len(pairs)}, macro-F1 {macro_f1(gold, pred, STANCES):.2f} "
          f"{dict(Counter(f'{x}->{y}' for x, y in zip(gold, pred)))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
