"""Cross-validation by site of the learned argument layer against the rules alone.

    python benchmarks/argument_model_cv.py [--web gold/web/pages.jsonl] [--texts gold/web/texts]
        [--gold gold/*.gold.jsonl ../shared/calibration/seed.gold.json] [--folds 5] [--json OUT]

Web pages are grouped by site; the project's own gold and the seed are grouped by file and are
always in the training part of a fold (they are scored too, apart). Prints per-label P/R/F1,
micro-F1, category accuracy and post stance macro-F1 for the rules and the learned layer, as
``../shared/tools/score_gold.py`` would score them on the same pages.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def table(title: str, res: dict) -> str:
    lines = [title, f"{'label':22} {'P':>5} {'R':>5} {'F1':>5} {'n':>5}"]
    for lab, m in res["labels"].items():
        lines.append(f"{lab:22} {m['precision']:5.2f} {m['recall']:5.2f} {m['f1']:5.2f} {m['support']:5}")
    m = res["micro"]
    lines.append(f"{'micro':22} {m['precision']:5.2f} {m['recall']:5.2f} {m['f1']:5.2f}")
    ca = res.get("category_accuracy")
    lines.append(f"category accuracy {ca:.2f}" if ca is not None else "category accuracy -")
    if res.get("stance_macro_f1") is not None:
        lines.append(f"post stance macro-F1 {res['stance_macro_f1']:.2f} accuracy {res['stance_accuracy']:.2f} {res['stance_confusion']}")
    return "\n".join(lines)


def load(args: argparse.Namespace):
    from discours.evaluation import read_gold
    from discours.learn.dataset import parse_records
    from discours.learn.webgold import read_web_gold

    records, sites, unusable = read_web_gold(args.web, texts=args.texts)
    groups = {rid: "site:" + s for rid, s in sites.items()}
    for g in args.gold:
        recs = read_gold(g)
        records += recs
        groups.update({r.id: "file:" + r.id for r in recs})
    t = time.perf_counter()
    docs = parse_records(records, groups=groups)
    print(f"{len(records)} records ({len(unusable)} web texts missing), {len(docs)} documents, "
          f"{sum(len(d.sentences) for d in docs)} sentences, parsed in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return records, docs, groups


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--web", default=str(ROOT / "gold" / "web" / "pages.jsonl"))
    ap.add_argument("--texts", default=None)
    ap.add_argument("--gold", nargs="*", default=[str(p) for p in sorted((ROOT / "gold").glob("*.gold.jsonl"))]
                    + [str(ROOT.parent / "shared" / "calibration" / "seed.gold.json")])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", help="pickle of parsed documents, reused when present (experiments)")
    ap.add_argument("--C", type=float, nargs=3, metavar=("LABELS", "CATEGORIES", "STANCE"))
    ap.add_argument("--own-weight", type=float, default=None, help="weight of the project's own gold sentences")
    ap.add_argument("--json")
    a = ap.parse_args()
    from discours.learn.train import Settings, cross_validate

    if a.cache and Path(a.cache).exists():
        records, docs, groups = pickle.loads(Path(a.cache).read_bytes())
    else:
        records, docs, groups = load(a)
        if a.cache:
            Path(a.cache).write_bytes(pickle.dumps((records, docs, groups)))
    settings = Settings()
    if a.C:
        settings.C_labels, settings.C_categories, settings.C_stance = a.C
    if a.own_weight is not None:
        settings.group_weights = {"file:": a.own_weight}
    web = {g for g in groups.values() if g.startswith("site:")}
    t = time.perf_counter()
    cv = cross_validate(records, docs, settings=settings, n_folds=a.folds, eval_groups=web)
    print(f"web pages: {cv['rules']['n_records']}, sites: {len(web)}, CV {a.folds} folds by site in {time.perf_counter() - t:.0f} s")
    print(table("\nrules alone (same pages):", cv["rules"]))
    print(table("\nlearned layer, cross-validated by site:", cv["model"]))
    print("\ncombination:", cv["combine"])
    print("thresholds:", cv["thresholds"])
    if a.json:
        Path(a.json).write_text(json.dumps({k: cv[k] for k in ("rules", "model", "combine", "thresholds")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
