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
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

AGREEMENTS = ("agree", "disagree", "mixed", "none")


def threads(facts_files: list[Path], texts: Path | None = None) -> tuple[list[dict[str, Any]], int]:
    """(thread records with their gold agreements, pages skipped for a missing text)."""
    from discours.learn.webgold import pages

    out, missing, seen = [], 0, set()
    for f in facts_files:
        for page in pages(f, texts):
            rec = page.facts
            comments = rec.get("comments") or []
            if not comments or rec["id"] in seen or not all("start" in c for c in comments):
                continue
            if page.status != "ok":
                missing += 1
                continue
            seen.add(rec["id"])
            text = page.path.read_text(encoding="utf-8")
            starts = [c["start"] for c in comments] + [len(text)]
            replies = []
            for k, c in enumerate(comments):
                reply: dict[str, Any] = {"id": f"r{k}", "author": f"lecteur {k}", "text": text[starts[k]:starts[k + 1]].strip()}
                if isinstance(c.get("reply_to"), int):
                    reply["reply_to"] = f"r{c['reply_to']}"
                replies.append(reply)
            out.append({"id": rec["id"], "site": rec.get("site"), "post": text[: starts[0]].strip(), "replies": replies,
                        "gold": [c.get("agreement") for c in comments], "stance": rec.get("stance")})
    return out, missing


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("facts", nargs="*", type=Path, default=[ROOT / "gold/web/pages.jsonl", ROOT / "gold/web/double.jsonl"])
    p.add_argument("--texts", type=Path, default=None, help="folder of the page texts (default: texts/ beside the facts)")
    p.add_argument("--target", default=None, help="stance target given as text (default: the library's default target)")
    p.add_argument("--arguments-model", default="default", help="argument model folder, 'default' or 'rules'")
    p.add_argument("--show", action="store_true", help="print each reply's prediction and reason")
    a = p.parse_args(argv)

    import discours

    records, missing = threads(a.facts, a.texts)
    if not records:
        print(f"no thread with reply offsets ({missing} pages without their text)")
        return 1
    with tempfile.TemporaryDirectory(prefix="discours-threads-") as tmp:
        for r in records:
            payload = {"title": "", "author": "auteur", "text": r["post"],
                       "comments": [{k: v for k, v in c.items() if k != "id"} | {"id": c["id"]} for c in r["replies"]]}
            Path(tmp, f"{r['id']}.json").write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        model = None if a.arguments_model == "rules" else a.arguments_model
        analysis = discours.analyze(tmp, target=a.target, progress=False, arguments_model=model)
    docs = analysis.documents
    comments = docs[docs["part"] == "comment"]
    pred: dict[tuple[str, int], tuple[str, str]] = {}
    from discours.stance.agreement import thread_agreement

    from discours.learn.model import agreement_model

    table = thread_agreement(analysis, agreement_model(None if a.arguments_model == "rules" else a.arguments_model))
    reasons = dict(zip(table["doc_id"].astype(str), table["agreement_reason"].astype(str)))
    for row in comments.itertuples(index=False):
        pid = Path(str(row.source)).stem
        k = int(str(row.doc_id).rsplit(".c", 1)[-1]) - 1
        pred[(pid, k)] = (str(row.agreement), reasons.get(str(row.doc_id), ""))
    confusion: Counter[tuple[str, str]] = Counter()
    for r in records:
        for k, g in enumerate(r["gold"]):
            got, why = pred.get((r["id"], k), ("missing", ""))
            confusion[(g, got)] += 1
            if a.show:
                print(f"{r['id']} r{k}: gold {g:9s} predicted {got:9s} {why}")
    n = sum(confusion.values())
    print(f"{len(records)} threads, {n} replies ({missing} pages skipped: text missing); target: {a.target or 'default'}")
    cols = AGREEMENTS + ("missing",)
    print("gold \\ predicted " + " ".join(f"{c:>9s}" for c in cols))
    for g in AGREEMENTS:
        print(f"{g:17s}" + " ".join(f"{confusion[(g, c)]:9d}" for c in cols))
    disputing = sum(confusion[("disagree", c)] for c in cols)
    if disputing:
        print(f"disputing replies: {confusion[('disagree', 'disagree')] / disputing:.0%} disagree, "
              f"{confusion[('disagree', 'agree')] / disputing:.0%} agree  [target ≥ 40 %, ≤ 10 %]")
    f1s = []
    for c in AGREEMENTS:
        tp = confusion[(c, c)]
        fp = sum(confusion[(g, c)] for g in AGREEMENTS if g != c)
        fn = sum(confusion[(c, x)] for x in cols if x != c)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        f1s.append(f1)
        print(f"  {c:9s} F1 {f1:.2f} (support {tp + fn})")
    print(f"macro-F1 {sum(f1s) / len(f1s):.2f}; accuracy {sum(confusion[(c, c)] for c in AGREEMENTS) / n:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
