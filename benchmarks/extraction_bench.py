"""Main-text extraction benchmark: the HTML reader before and after trafilatura, on our own pages.

    python benchmarks/extraction_bench.py                 # old (git ref) vs new reader, P/R/F1
    python benchmarks/extraction_bench.py --show          # also list missed passages and leaked boilerplate
    python benchmarks/extraction_bench.py --json out.json

The pages in ``benchmarks/extraction/pages/`` are hand-written French pages in varied templates
(WordPress, plain article, regional news site with heavy navigation, phpBB forum, Blogger,
Disqus, Drupal, a Medium-like platform, a 2004 table layout, a two-line brief, a listicle with
reader reactions). ``benchmarks/extraction/expected.json`` lists, per page, passages a reader
must return ("with") and boilerplate it must not ("without"), as in trafilatura's own evaluation.

The text of a page is what a user gets: the title plus the cleaned text of every document of the
file (post and comments), through ``discours.read_corpus``. A passage is found when it is a
substring of that text after folding case, apostrophes and spaces. Counting over all pages:
TP = passages found, FN = passages missed, FP = boilerplate snippets found;
precision = TP / (TP + FP), recall = TP / (TP + FN), F1 their harmonic mean. A page with visible
text read as empty (or as an error) is counted in ``empty``.

The old reader is the ``corpus/html.py`` and boilerplate lexicon of git revision
``--baseline-ref`` (default: the last revision before trafilatura), loaded from git into this
process; the rest of the code is the same for both runs.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BENCH = ROOT / "benchmarks" / "extraction"
BASELINE_REF = "fbc87ea"  # the last revision whose HTML reader used CSS selectors only


def fold(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def page_text(path: Path) -> tuple[str, str | None]:
    """(title + every document's cleaned text, error) of one page through read_corpus."""
    import discours

    corpus = discours.read_corpus(path)
    if corpus.errors:
        return "", corpus.errors[0].error
    title = corpus.posts[0].title if corpus.posts else ""
    return "\n\n".join([title or ""] + [d.text for d in corpus.documents]), None


def score(readers: dict[str, object], pages: list[Path], expected: dict) -> dict:
    results: dict[str, dict] = {}
    for name, reader in readers.items():
        tp = fn = fp = 0
        per_page = {}
        empty = []
        started = time.perf_counter()
        with use_reader(reader):
            for page in pages:
                gold = expected[page.name]
                text, error = page_text(page)
                folded = fold(text)
                if not folded.strip():
                    empty.append(page.name)
                found = [p for p in gold["with"] if fold(p) in folded]
                leaked = [p for p in gold["without"] if fold(p) in folded]
                missed = [p for p in gold["with"] if p not in found]
                tp, fn, fp = tp + len(found), fn + len(missed), fp + len(leaked)
                per_page[page.name] = {"found": len(found), "missed": missed, "leaked": leaked, "error": error,
                                       "chars": len(text)}
        seconds = time.perf_counter() - started
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        results[name] = {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fn": fn, "fp": fp,
                         "empty": empty, "seconds": seconds, "pages": per_page}
    return results


def load_old_reader(ref: str):
    """``read_html`` of ``corpus/html.py`` at git revision ``ref``, imported beside the current package,
    with the boilerplate lexicon of that revision."""
    from discours.corpus.structure import Boilerplate

    lexicon = json.loads(subprocess.run(["git", "show", f"{ref}:src/discours/lexicons/boilerplate.v1.json"], cwd=ROOT,
                                        capture_output=True, text=True, check=True).stdout)
    old_bp = Boilerplate((e["id"], e["pattern"]) for e in lexicon["patterns"])
    source = subprocess.run(["git", "show", f"{ref}:src/discours/corpus/html.py"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    spec = importlib.util.spec_from_loader("discours.corpus._html_baseline", loader=None)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    module.__package__ = "discours.corpus"
    sys.modules[spec.name] = module  # dataclasses look their module up there
    exec(compile(source, f"{ref}:src/discours/corpus/html.py", "exec"), module.__dict__)
    return module.read_html, old_bp


@contextmanager
def use_reader(reader) -> Iterator[None]:
    """Route .html files to ``reader`` (None: the current one) for the duration of the block."""
    import discours.corpus.html as html
    from discours.corpus.structure import Boilerplate

    current, default = html.read_html, Boilerplate.__dict__["default"]
    if reader is not None:
        html.read_html, bp = reader
        Boilerplate.default = classmethod(lambda cls: bp)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        html.read_html = current
        Boilerplate.default = default  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=Path, default=BENCH / "pages")
    p.add_argument("--expected", type=Path, default=BENCH / "expected.json")
    p.add_argument("--baseline-ref", default=BASELINE_REF, help="git revision of the old reader (default %(default)s)")
    p.add_argument("--no-baseline", action="store_true", help="score the current reader only")
    p.add_argument("--focus", choices=("recall", "balanced", "precision"), default=None,
                   help="trafilatura's trade-off for the new reader (default: discours's own)")
    p.add_argument("--show", action="store_true", help="list missed passages and leaked boilerplate per page")
    p.add_argument("--json", type=Path, default=None, help="write the full results to this file")
    args = p.parse_args(argv)

    if args.focus:
        import discours.corpus.extraction as extraction

        extraction.FOCUS = args.focus
    expected = {k: v for k, v in json.loads(args.expected.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    pages = sorted(q for q in args.pages.glob("*.html") if q.name in expected)
    readers: dict[str, object] = {}
    if not args.no_baseline:
        readers[f"old ({args.baseline_ref}, CSS selectors)"] = load_old_reader(args.baseline_ref)
    readers["new (trafilatura)"] = None
    results = score(readers, pages, expected)

    n_with = sum(len(expected[q.name]["with"]) for q in pages)
    n_without = sum(len(expected[q.name]["without"]) for q in pages)
    print(f"{len(pages)} pages, {n_with} expected passages, {n_without} boilerplate snippets\n")
    print(f"{'reader':34} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>4} {'FN':>4} {'FP':>4} {'empty':>5} {'time':>7}")
    for name, r in results.items():
        print(f"{name:34} {r['precision']:9.3f} {r['recall']:7.3f} {r['f1']:6.3f} {r['tp']:4d} {r['fn']:4d} {r['fp']:4d} "
              f"{len(r['empty']):5d} {r['seconds']:6.2f}s")
    print("\nper page (found/expected, leaked):")
    for q in pages:
        cells = [f"{r['pages'][q.name]['found']:2d}/{len(expected[q.name]['with']):2d} {len(r['pages'][q.name]['leaked']):2d}"
                 for r in results.values()]
        print(f"  {q.name:30} " + "   |   ".join(cells))
    if args.show:
        for name, r in results.items():
            print(f"\n== {name}")
            for page, info in r["pages"].items():
                if info["missed"] or info["leaked"] or info["error"]:
                    print(f"  {page}")
                    for m in info["missed"]:
                        print(f"    missed: {m}")
                    for m in info["leaked"]:
                        print(f"    leaked: {m}")
                    if info["error"]:
                        print(f"    error: {info['error']}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
