#!/usr/bin/env python3
"""Measure discours's stance (rules and trained model) and comment agreement.

The data files are given as arguments and never copied into the project:

    python benchmarks/stance_eval.py \\
        --xstance ../shared/data/xstance_fr_dev.jsonl \\
        --election ../shared/data/election_macron_dev.jsonl \\
        --gold gold/quebec.gold.jsonl gold/france.gold.jsonl

- ``--xstance``: comments answering questions (target = the question). Rules; then a model
  trained on some questions and tested on the others (k folds split by question).
- ``--election``: tweets toward one target (``--election-target``, default "Emmanuel Macron").
  Rules; then a model trained with k random folds. Macro-F1 and F_avg (mean F1 of favor, against).
- ``--gold``: discours gold files (default target): stance of posts and comments, agreement of
  comments (``structure.comments``).

Neutral predictions on data without neutral gold labels count as misses.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any


def _fmt(result: dict[str, Any]) -> str:
    conf = "  ".join(f"{g}→{{{', '.join(f'{p}:{n}' for p, n in row.items() if n)}}}" for g, row in result["confusion"].items())
    return (f"macro-F1 {result['macro_f1']:.3f}  F_avg {result['f_avg']:.3f}  accuracy {result['accuracy']:.3f}  "
            f"n={result['n']}\n      confusion (gold→predicted): {conf}")


def _majority(labels: list[str]) -> dict[str, Any]:
    from discours.stance.evaluate import stance_scores

    top = Counter(labels).most_common(1)[0][0]
    return stance_scores(labels, [top] * len(labels))


def run_dataset(name: str, path: Path, *, target: str | None, folds: int, by_group: bool, n_iter: int,
                seed: int, report: dict[str, Any]) -> None:
    from discours.stance.data import load_examples
    from discours.stance.evaluate import cross_validate

    examples = load_examples(path, target=target)
    labels = [e["label"] for e in examples]
    t0 = time.perf_counter()
    cv = cross_validate(examples, folds=folds, by_group=by_group, n_iter=n_iter, seed=seed)
    elapsed = time.perf_counter() - t0
    groups = len({e.get("group") for e in examples})
    split = f"{folds} folds split by question ({groups} questions)" if by_group else f"{folds} random folds"
    print(f"\n== {name}: {path.name} ({len(examples)} examples, labels {dict(Counter(labels))})")
    print(f"   majority class : {_fmt(_majority(labels))}")
    print(f"   rules          : {_fmt(cv['rules'])}")
    print(f"   trained model  : {_fmt(cv)}")
    print(f"      ({split}; per-fold macro-F1 {', '.join(f'{x:.3f}' for x in cv['fold_macro_f1'])}; {elapsed:.0f} s)")
    report[name] = {"n": len(examples), "majority": _majority(labels), "rules": cv["rules"],
                    "trained": {k: v for k, v in cv.items() if k != "rules"}, "split": split}


def _gold_records(paths: list[Path]) -> list[dict[str, Any]]:
    records = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                r["path"] = str((path.parent / r["file"]).resolve()) if "file" in r else str((path.parent / f"{r['id']}.txt").resolve())
                records.append(r)
    return records


def run_gold(paths: list[Path], report: dict[str, Any], *, stance_model: str | None = None) -> None:
    import discours
    from discours.stance.evaluate import stance_scores

    records = _gold_records(paths)
    analysis = discours.analyze(sorted({r["path"] for r in records}), stance_model=stance_model)
    docs = analysis.documents
    source = docs["source"].map(lambda s: str(Path(s).resolve()))
    gp, pp, gc, pc, ga, pa = [], [], [], [], [], []
    for r in records:
        posts = docs[(source == r["path"]) & (docs["part"] == "post")]
        title = (r.get("structure") or {}).get("title")
        if len(posts) > 1 and title:
            same = posts[posts["title"].fillna("").str.strip() == title.strip()]
            posts = same if len(same) else posts
        if posts.empty:
            continue
        post = posts.iloc[0]
        gp.append(r["stance"])
        pp.append(post["stance"])
        comments = docs[(docs["part"] == "comment") & (docs["post_id"] == post["doc_id"])]
        for g, (_, c) in zip((r.get("structure") or {}).get("comments", []), comments.iterrows()):
            if "stance" in g:
                gc.append(g["stance"])
                pc.append(c["stance"])
            if "agreement" in g:
                ga.append(g["agreement"])
                pa.append(c["agreement"] if isinstance(c["agreement"], str) else "none")
    print(f"\n== gold set: {', '.join(p.name for p in paths)} (default target)")
    out: dict[str, Any] = {}
    for name, g, p in (("posts", gp, pp), ("comments", gc, pc), ("all documents", gp + gc, pp + pc)):
        if g:
            s = stance_scores(g, p)
            out[name] = s
            print(f"   stance, {name:13}: {_fmt(s)}")
    if ga:
        labels = ["agree", "disagree", "mixed", "none"]
        f1 = []
        for lab in labels:
            tp = sum(x == lab and y == lab for x, y in zip(ga, pa))
            fp = sum(x != lab and y == lab for x, y in zip(ga, pa))
            fn = sum(x == lab and y != lab for x, y in zip(ga, pa))
            prec, rec = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
            f1.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        present = [f for f, lab in zip(f1, labels) if lab in ga]
        acc = sum(x == y for x, y in zip(ga, pa)) / len(ga)
        conf = Counter(f"{x}→{y}" for x, y in zip(ga, pa))
        print(f"   agreement, comments : macro-F1 {sum(present) / len(present):.3f}  accuracy {acc:.3f}  n={len(ga)}  "
              f"per class {dict(zip(labels, (round(f, 3) for f in f1)))}\n      confusion: {dict(sorted(conf.items()))}")
        out["agreement"] = {"accuracy": acc, "macro_f1": sum(present) / len(present), "confusion": dict(conf)}
    report["gold"] = out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--xstance", type=Path, help="x-stance JSONL (comment, question, label)")
    ap.add_argument("--election", type=Path, help="tweets JSONL (text, target, label FAVOUR/AGAINST/NONE)")
    ap.add_argument("--election-target", default="Emmanuel Macron")
    ap.add_argument("--gold", type=Path, nargs="*", default=[], help="discours gold JSONL files")
    ap.add_argument("--stance-model", help="a trained model folder to use on the gold set")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--n-iter", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    a = ap.parse_args(argv)
    for p in [a.xstance, a.election, *a.gold]:
        if p is not None and not p.exists():
            print(f"stance_eval: {p} does not exist", file=sys.stderr)
            return 2
    if not (a.xstance or a.election or a.gold):
        ap.error("give at least one of --xstance, --election, --gold")
    report: dict[str, Any] = {}
    if a.xstance:
        run_dataset("x-stance (target = the question)", a.xstance, target=None, folds=a.folds, by_group=True,
                    n_iter=a.n_iter, seed=a.seed, report=report)
    if a.election:
        run_dataset(f"election tweets (target = {a.election_target!r})", a.election, target=a.election_target,
                    folds=a.folds, by_group=False, n_iter=a.n_iter, seed=a.seed, report=report)
    if a.gold:
        run_gold(a.gold, report, stance_model=a.stance_model)
    if a.json:
        a.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
