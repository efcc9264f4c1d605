#!/usr/bin/env python3
"""Agreement of replies with their post on the annotated real threads (web gold with replies).

    python benchmarks/thread_agreement.py                       # gold/web/pages.jsonl + double.jsonl
    python benchmarks/thread_agreement.py --target "les mairies sur les réseaux sociaux"

Each recorded page whose replies have offsets (``comments[].start``) becomes a JSON thread (the
text before the first reply is the post, each reply runs to the next one) written to a temporary
folder, read by ``discours.analyze`` and compared with the annotators' ``agreement``. Prints the
confusion table, how the disputing replies come out (the issue's figure: at least 40 %
``disagree``, at most 10 % ``agree``) and per-class F1. The texts stay in the git-ignored
``gold/web/texts/``; pages whose text is missing are skipped and counted.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("facts", nargs="*", type=Path, default=[ROOT / "gold/web/pages.jsonl", ROOT / "gold/web/double.jsonl"])
    p.add_argument("--texts", type=Path, default=None, help="folder of the page texts (default: texts/ beside the facts)")
    p.add_argument("--target", default=None, help="stance target given as text (default: the library's default target)")
    p.add_argument("--arguments-model", default="default", help="argument model folder, 'default' or 'rules'")
    p.add_argument("--show", action="store_true", help="print each reply's prediction and reason")
    a = p.parse_args(argv)

    import discours
    from discours.evaluation import macro_f1
    from discours.learn.agreement import AGREEMENTS, thread_file
    from discours.learn.webgold import read_web_gold

    records, _, unusable = read_web_gold(a.facts, texts=a.texts)
    missing = sum(1 for page in unusable if page.facts.get("comments"))
    model = None if a.arguments_model == "rules" else a.arguments_model
    with tempfile.TemporaryDirectory(prefix="discours-threads-") as tmp:
        threads, seen = {}, set()
        for rec in records:
            if rec.id not in seen and (path := thread_file(rec, Path(tmp))) is not None:
                seen.add(rec.id)
                threads[path.stem] = rec
        if not threads:
            print(f"no thread with reply offsets ({missing} pages without their text)")
            return 1
        analysis = discours.analyze(tmp, target=a.target, progress=False, arguments_model=model)
    reasons: dict[str, str] = {}
    if a.show:
        from discours.learn.model import agreement_model
        from discours.stance.agreement import thread_agreement

        table = thread_agreement(analysis, agreement_model(model))
        reasons = dict(zip(table["doc_id"].astype(str), table["agreement_reason"].astype(str)))
    docs = analysis.documents
    gold, pred = [], []
    for source, group in docs[docs["part"] == "comment"].groupby("source", sort=True):
        rec = threads[Path(str(source)).stem]
        for k, (doc_id, got, c) in enumerate(zip(group["doc_id"].astype(str), group["agreement"].astype(str), rec.comments)):
            gold.append(c.get("agreement"))
            pred.append(got)
            if a.show:
                print(f"{rec.id} r{k}: gold {gold[-1]:9s} predicted {got:9s} {reasons.get(doc_id, '')}")
    confusion = Counter(zip(gold, pred))
    print(f"{len(threads)} threads, {len(gold)} replies ({missing} pages skipped: text missing); target: {a.target or 'default'}")
    print("gold \\ predicted " + " ".join(f"{c:>9s}" for c in AGREEMENTS))
    for g in AGREEMENTS:
        print(f"{g:17s}" + " ".join(f"{confusion[(g, c)]:9d}" for c in AGREEMENTS))
    disputing = [p_ for g, p_ in zip(gold, pred) if g == "disagree"]
    if disputing:
        print(f"disputing replies: {disputing.count('disagree') / len(disputing):.0%} disagree, "
              f"{disputing.count('agree') / len(disputing):.0%} agree  [target ≥ 40 %, ≤ 10 %]")
    for c in AGREEMENTS:
        if c in gold:
            print(f"  {c:9s} F1 {macro_f1(gold, pred, (c,)):.2f} (support {gold.count(c)})")
    print(f"macro-F1 {macro_f1(gold, pred, AGREEMENTS):.2f}; accuracy {sum(g == p_ for g, p_ in zip(gold, pred)) / len(gold):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
