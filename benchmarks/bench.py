#!/usr/bin/env python3
"""Speed and memory of discours against bare spaCy, measured in one run on the same texts.

    python benchmarks/bench.py                 # 2,000 posts with comments; memory at 1k and 10k posts
    python benchmarks/bench.py --quick         # 200 posts; memory at 100 and 1,000 posts (a few minutes)
    python benchmarks/bench.py --posts 5000 --memory 1000 10000 --jobs 2
    python benchmarks/bench.py --corpus gold/web/texts --skip memory   # the real pages (git-ignored texts)

The corpus is generated: posts and comment threads written as plain-text blog dumps, their
sentences, list items and headings drawn at random from the sample corpus (``corpus/``), so the
vocabulary, structure and sentence lengths are those of real French blog prose while no text is
copied whole.

Printed figures (targets from issue 6 in brackets):

- discours ``analyze`` throughput ÷ bare ``spacy.load("fr_core_news_sm")`` + ``nlp.pipe``
  throughput, in tokens/s [≥ 1.0, aim 1.5];
- the same ratio against bare ``nlp.pipe`` running only the model components discours runs (the
  overhead of everything discours adds: reading, structure, rules, stance, tables);
- ``n_process=2`` over ``n_process=1`` [≥ 1.7×];
- a cached re-run over the first run [≥ 20×];
- peak RSS of a streaming run (``discours.analyze_to``) at two corpus sizes, each in a fresh
  subprocess [large ≤ 1.3 × small];
- ``import discours`` time in a fresh subprocess [≤ 0.3 s].
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus"
MODEL = "fr_core_news_sm"

_FIRST = ["Julie", "Marc", "Sophie", "Antoine", "Nadia", "Louis", "Camille", "Hugo", "Léa", "Karim", "Chantal", "Yves"]
_LAST = ["Tremblay", "Martin", "Gagnon", "Dubois", "Roy", "Lefebvre", "Côté", "Moreau", "Bouchard", "Girard"]
_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"]


# -- corpus generation ----------------------------------------------------------------------------
def _sample_units() -> dict[str, list[str]]:
    """Sentences of posts and of comments, list items and headings of the sample corpus."""
    from discours import read_corpus

    units: dict[str, list[str]] = {"post": [], "comment": [], "list_item": [], "heading": []}
    for doc in read_corpus(SAMPLE):
        for block in doc.blocks:
            if block.kind in ("list_item", "heading"):
                units[block.kind].append(block.text.strip())
            elif block.kind in ("paragraph", "quote"):
                units[doc.part].extend(_split_sentences(block.text))
    return units


def _split_sentences(text: str) -> list[str]:
    import re

    parts = re.split(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ«])", text.strip())
    return [p for p in parts if len(p) > 15]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _date(rng: random.Random, year: int) -> str:
    return f"{rng.randint(1, 28)} {rng.choice(_MONTHS)} {year}"


def _post_text(rng: random.Random, units: dict[str, list[str]], k: int) -> str:
    """One plain-text blog dump: title, byline, paragraphs (a heading, a list), numbered comments."""
    year = rng.randint(2009, 2025)
    title = f"{rng.choice(units['heading']).rstrip(' :')} ({k})"
    author = _person(rng)
    lines = [title, f"Publié le {_date(rng, year)} par {author}", ""]
    for p in range(rng.randint(4, 7)):
        if p == 2:
            lines += [rng.choice(units["heading"]), ""]
        lines += [" ".join(rng.choice(units["post"]) for _ in range(rng.randint(2, 4))), ""]
        if p == 1 and rng.random() < 0.5:
            lines += [f"- {rng.choice(units['list_item']).lstrip('-• ')}" for _ in range(rng.randint(3, 5))] + [""]
    n_comments = rng.randint(1, 6)
    lines += [f"{n_comments} réponses à « {title} »", ""]
    names = []
    for c in range(1, n_comments + 1):
        name = author if c > 2 and rng.random() < 0.2 else _person(rng)
        reply = f" (en réponse à {rng.choice(names)})" if names and rng.random() < 0.3 else ""
        names.append(name)
        body = " ".join(rng.choice(units["comment"]) for _ in range(rng.randint(1, 4)))
        lines += [f"  {c}) {name}{reply}", f"     {_date(rng, year)} à {rng.randint(7, 22)} h {rng.randint(10, 59)}",
                  f"     {body}", ""]
    return "\n".join(lines)


def generate_corpus(n_posts: int, folder: str | os.PathLike[str], *, seed: int = 0, per_folder: int = 500) -> Path:
    """Write ``n_posts`` generated posts with their comments into ``folder`` (sub-folders of 500)."""
    rng = random.Random(seed)
    units = _sample_units()
    root = Path(folder)
    for k in range(n_posts):
        sub = root / f"{k // per_folder:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"billet-{k:06d}.txt").write_text(_post_text(rng, units, k), encoding="utf-8")
    return root


# -- measurements ---------------------------------------------------------------------------------
def _timed(func: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = func()
    return time.perf_counter() - t0, result


def bare_pipe(texts: list[str], *, exclude: tuple[str, ...] = (), n_process: int = 1) -> tuple[float, int]:
    """Seconds and token count of plain ``spacy.load`` + ``nlp.pipe`` (model load not timed)."""
    import spacy

    nlp = spacy.load(MODEL, exclude=list(exclude))
    seconds, n_tokens = _timed(lambda: sum(len(doc) for doc in nlp.pipe(texts, n_process=n_process)))
    return seconds, n_tokens


def import_time() -> float:
    """Best of three ``import discours`` in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import discours; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)]
    return min(runs)


def peak_memory(folder: Path, out: Path) -> dict[str, Any]:
    """Peak RSS (MiB) of a streaming CLI-equivalent run in a fresh subprocess."""
    proc = subprocess.run([sys.executable, __file__, "--_memory-child", str(folder), str(out)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"the streaming run of {folder} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _memory_child(folder: str, out: str) -> None:
    import discours

    t0 = time.perf_counter()
    discours.analyze_to(folder, out, format="parquet", progress=False)
    seconds = time.perf_counter() - t0
    print(json.dumps({"peak_mib": round(_peak_rss_mib(), 1), "seconds": round(seconds, 1)}))


def _peak_rss_mib() -> float:
    """This process's peak RSS. Linux: VmHWM, since ``ru_maxrss`` of a child started by fork and
    exec also counts the parent's RSS at the fork (the benchmark's own, large, process)."""
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB on Linux


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--posts", type=int, default=None, help="posts in the throughput corpus (default 2000; 200 with --quick)")
    p.add_argument("--memory", type=int, nargs=2, default=None, metavar=("SMALL", "LARGE"),
                   help="corpus sizes (posts) for the peak-memory comparison (default 1000 10000; 100 1000 with --quick)")
    p.add_argument("--jobs", type=int, default=2, help="processes for the parallel run (default 2)")
    p.add_argument("--quick", action="store_true", help="small corpora: a smoke run in a few minutes")
    p.add_argument("--skip", nargs="*", default=[], choices=["bare", "parallel", "cache", "memory", "import"],
                   help="measurements to leave out")
    p.add_argument("--corpus", default=None, metavar="DIR",
                   help="measure throughput on this folder instead of a generated corpus (e.g. the real pages: gold/web/texts)")
    p.add_argument("--keep", default=None, metavar="DIR", help="generate the corpora here and keep them")
    p.add_argument("--json", default=None, metavar="FILE", help="also write the figures as JSON")
    p.add_argument("--_memory-child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args._memory_child:
        _memory_child(*args._memory_child)
        return 0
    n_posts = args.posts or (200 if args.quick else 2000)
    sizes = args.memory or ([100, 1000] if args.quick else [1000, 10000])
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="discours-bench-"))
    figures: dict[str, Any] = {"posts": n_posts, "cpus": os.cpu_count()}

    def report(key: str, value: Any, line: str) -> None:
        figures[key] = value
        print(line, flush=True)

    try:
        import discours
        from discours.pipeline import get_nlp
        from discours.pipeline.nlp import MODEL_EXCLUDE

        folder = Path(args.corpus) if args.corpus else work / f"posts-{n_posts}"
        if not folder.exists():
            generate_corpus(n_posts, folder)
        corpus = discours.read_corpus(folder)
        texts = [d.text for d in corpus.documents]
        print(f"corpus: {len(corpus.posts)} posts, {len(texts)} documents, {sum(map(len, texts)):,} characters "
              f"({len(corpus.errors)} unreadable) in {folder}", flush=True)
        get_nlp(MODEL)  # model loading is left out of every timing, as for bare spaCy below

        t_discours, analysis = _timed(lambda: discours.analyze(folder, progress=False))
        if "bare" not in args.skip:
            t_bare, n_tokens = bare_pipe(texts)
            report("bare_default_tokens_per_s", round(n_tokens / t_bare), f"bare nlp.pipe, default pipeline: {t_bare:7.1f} s  {n_tokens / t_bare:8.0f} tokens/s")
            t_sub, _ = bare_pipe(texts, exclude=MODEL_EXCLUDE)
            report("bare_subset_tokens_per_s", round(n_tokens / t_sub), f"bare nlp.pipe, discours's components (no {', '.join(MODEL_EXCLUDE)}): {t_sub:7.1f} s  {n_tokens / t_sub:8.0f} tokens/s")
            report("discours_tokens_per_s", round(n_tokens / t_discours), f"discours.analyze (read, parse, rules, stance, tables): {t_discours:7.1f} s  {n_tokens / t_discours:8.0f} tokens/s")
            report("ratio_vs_bare_default", round(t_bare / t_discours, 2), f"  ratio vs bare default nlp.pipe: {t_bare / t_discours:.2f}  [target ≥ 1.0, aim 1.5]")
            report("ratio_vs_bare_subset", round(t_sub / t_discours, 2), f"  ratio vs bare nlp.pipe with discours's components: {t_sub / t_discours:.2f}  (1.0 = no overhead)")
        else:
            report("discours_seconds", round(t_discours, 1), f"discours.analyze: {t_discours:.1f} s")
        if "parallel" not in args.skip:
            t_par, parallel = _timed(lambda: discours.analyze(folder, n_process=args.jobs, progress=False))
            same = _same_tables(analysis, parallel)
            report("parallel_speedup", round(t_discours / t_par, 2), f"n_process={args.jobs}: {t_par:.1f} s, speed-up {t_discours / t_par:.2f}×  [target ≥ 1.7×]  (same tables: {same})")
        if "cache" not in args.skip:
            cache = work / "cache"
            shutil.rmtree(cache, ignore_errors=True)
            t_first, _ = _timed(lambda: discours.analyze(folder, cache_dir=cache, progress=False))
            t_cached, cached = _timed(lambda: discours.analyze(folder, cache_dir=cache, progress=False))
            same = _same_tables(analysis, cached)
            report("cached_speedup", round(t_first / t_cached, 1), f"cached re-run: {t_first:.1f} s → {t_cached:.1f} s, speed-up {t_first / t_cached:.1f}×  [target ≥ 20×]  (same tables: {same})")
        del analysis
        if "memory" not in args.skip:
            peaks = []
            for size in sizes:
                mfolder = work / f"posts-{size}"
                if not mfolder.exists():
                    generate_corpus(size, mfolder)
                result = peak_memory(mfolder, work / f"out-{size}")
                peaks.append(result["peak_mib"])
                report(f"peak_mib_{size}", result["peak_mib"], f"peak RSS, streaming run of {size} posts: {result['peak_mib']:.0f} MiB ({result['seconds']:.0f} s)")
            report("peak_ratio", round(peaks[1] / peaks[0], 2), f"  peak {sizes[1]} / peak {sizes[0]}: {peaks[1] / peaks[0]:.2f}  [target ≤ 1.3]")
        if "import" not in args.skip:
            t_import = import_time()
            report("import_seconds", round(t_import, 3), f"import discours: {t_import:.3f} s  [target ≤ 0.3 s]")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


def _same_tables(a: Any, b: Any) -> bool:
    from discours.analysis import SAVED_TABLES

    return all(getattr(a, name).equals(getattr(b, name)) for name in SAVED_TABLES)


if __name__ == "__main__":
    sys.exit(main())
