"""``discours`` command line: parse arguments, call the library, map failures to exit codes.

    discours analyze SOURCE -o OUTDIR [--target TEXT] [--jobs N] [--format csv|parquet] [--reinert K]
    discours evaluate GOLD... [--json] [--show N] [--texts DIR]
    discours collect SOURCE... -o FOLDER [--crawl] [--max-pages N] [--delay S]
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: report.html needs every table in memory: written for corpora up to this many documents
REPORT_MAX_DOCUMENTS = 20_000


def _parser() -> argparse.ArgumentParser:
    from . import __version__
    from .corpus import MAX_DOC_CHARS, MAX_FILE_BYTES  # light: no spaCy, no pandas

    p = argparse.ArgumentParser(prog="discours", description="Analyse du discours argumentatif en français (billets et commentaires).")
    p.add_argument("--version", action="version", version=f"discours {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    a = sub.add_parser("analyze", help="analyse a folder or files and write tables", description="Analyse SOURCE (folder, file) and write documents, sentences, arguments, markers and errors tables into OUTDIR.")
    a.add_argument("source", nargs="+", metavar="SOURCE", help="folder (read recursively) or files")
    a.add_argument("-o", "--output", required=True, metavar="OUTDIR", help="folder for the tables (created if needed)")
    a.add_argument("--target", default=None, help="what stance is measured toward (default: organisations on social media)")
    a.add_argument("--stance-model", default=None, metavar="DIR", help="stance model trained with `discours train-stance` (default: rules)")
    a.add_argument("--arguments-model", default="default", metavar="DIR",
                   help="argument model trained with `discours train-arguments`, or `rules` for the rules alone "
                        "(default: the model shipped with discours)")
    a.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="worker processes (default 1)")
    a.add_argument("--format", choices=("csv", "parquet"), default="csv", help="table format (default csv, UTF-8)")
    a.add_argument("--cache", default=None, metavar="DIR", help="parse cache folder (default OUTDIR/.cache); --no-cache disables it")
    a.add_argument("--no-cache", action="store_true", help="do not cache parses")
    a.add_argument("--no-html", action="store_true", help="do not write the per-document HTML views")
    a.add_argument("--reinert", type=int, default=None, metavar="K",
                   help="also classify text segments into K lexical worlds (Reinert) and write the segments and terms tables")
    a.add_argument("--max-file-mb", type=float, default=None, metavar="MB",
                   help=f"larger files are listed in errors, not read (default {MAX_FILE_BYTES / 2**20:g})")
    a.add_argument("--max-doc-chars", type=int, default=None, metavar="N",
                   help=f"files holding a longer post or comment are listed in errors (default {MAX_DOC_CHARS:,})")
    bar = a.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show the progress bar")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show the progress bar")
    _add_evaluate_parser(sub)
    _add_train_parser(sub)
    _add_train_arguments_parser(sub)
    _add_collect_parser(sub)
    return p


def _add_collect_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    c = sub.add_parser("collect", help="fetch pages, feeds and sitemaps into a folder `analyze` reads",
                       description="Fetch page URLs, RSS/Atom feeds, sitemaps (index files too) or files listing URLs, "
                                   "politely (robots.txt, one request at a time per host), and save one JSON record "
                                   "and the raw HTML per page into FOLDER. Re-running resumes.")
    c.add_argument("source", nargs="+", metavar="SOURCE", help="URL of a page, feed or sitemap, or a file of URLs")
    c.add_argument("-o", "--output", required=True, metavar="FOLDER", help="folder to fill (created if needed)")
    c.add_argument("--crawl", action="store_true", help="follow links of the page sources (same host, under --prefix)")
    c.add_argument("--prefix", default=None, metavar="PATH", help="path prefix a crawl stays under (default: the source's folder)")
    c.add_argument("--max-pages", type=int, default=500, metavar="N", help="stop after N pages saved (default 500)")
    c.add_argument("--delay", type=float, default=1.0, metavar="S", help="seconds between requests to a host (default 1)")
    c.add_argument("--timeout", type=float, default=15.0, metavar="S", help="seconds before a request times out (default 15)")
    c.add_argument("--retries", type=int, default=3, metavar="N", help="retries on 429, 5xx and network errors (default 3)")
    c.add_argument("--max-mb", type=float, default=5.0, metavar="MB", help="skip larger responses (default 5)")
    c.add_argument("--user-agent", default=None, metavar="UA", help="User-Agent sent and matched against robots.txt")
    bar = c.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show the progress bar")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show the progress bar")


def _add_train_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    t = sub.add_parser("train-stance", help="learn stance from labelled examples and save the model",
                       description="Train a stance classifier on EXAMPLES (JSONL, JSON or CSV with text, label "
                                   "favor/against/neutral and optionally target) and save it to MODEL_DIR; use it with "
                                   "`discours analyze --stance-model MODEL_DIR`.")
    t.add_argument("examples", metavar="EXAMPLES", help="labelled examples (.jsonl, .json or .csv)")
    t.add_argument("-o", "--output", required=True, metavar="MODEL_DIR", help="folder to save the model into")
    t.add_argument("--target", default=None, help="target of every example (overrides their target field)")
    t.add_argument("--n-iter", type=int, default=12, metavar="N", help="training epochs (default 12)")
    t.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def _add_train_arguments_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    t = sub.add_parser("train-arguments", help="learn argument labels, categories and stance from gold files",
                       description="Train the learned argument layer on GOLD files (the scorer's format, or web facts "
                                   "with --texts), cross-validated by site, and save it to MODEL_DIR; use it with "
                                   "`discours analyze --arguments-model MODEL_DIR`.")
    t.add_argument("gold", nargs="+", metavar="GOLD", help="gold files (.json/.jsonl, or gold/web/pages.jsonl facts)")
    t.add_argument("-o", "--output", required=True, metavar="MODEL_DIR", help="folder to save the model into")
    t.add_argument("--texts", default=None, metavar="DIR", help="folder of the web pages' texts (default: texts/ beside the facts file)")
    t.add_argument("--folds", type=int, default=5, metavar="N", help="cross-validation folds, split by site (default 5)")


def _add_evaluate_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    e = sub.add_parser("evaluate", help="score the analysis against hand-labelled gold files",
                       description="Analyse the files the GOLD files refer to and print precision, recall and F1 per label, "
                                   "objection-category and stance accuracy, and the first misses and false alarms.")
    e.add_argument("gold", nargs="+", metavar="GOLD", help="gold files (.json or .jsonl; format: docs/annotation_guidelines.md)")
    e.add_argument("--json", action="store_true", help="print the full result as JSON instead of the text report")
    e.add_argument("--show", type=int, default=15, metavar="N", help="how many misses and false alarms to list (default 15)")
    e.add_argument("--stance-model", default=None, metavar="DIR", help="score stance with this trained model instead of the rules")
    e.add_argument("--texts", default=None, metavar="DIR", help="folder of <id>.txt files for gold records without a \"file\" field")
    e.add_argument("--arguments-model", default="default", metavar="DIR",
                   help="argument model folder, or `rules` for the rules alone (default: the shipped model)")


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"discours: error: {message}", file=sys.stderr)
    return code


def _check_writable(out: Path) -> str | None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create output folder {out}: {exc.strerror or exc}"
    if not out.is_dir():
        return f"output path {out} exists and is not a folder"
    if not os.access(out, os.W_OK):
        return f"cannot write to output folder {out}: permission denied"
    return None


def cmd_analyze(args: argparse.Namespace) -> int:
    from .errors import DiscoursError

    for s in args.source:
        if not Path(s).exists():
            return _fail(f"source not found: {s}")
    out = Path(args.output)
    problem = _check_writable(out)
    if problem:
        return _fail(problem)
    if args.jobs < 1:
        return _fail("--jobs must be at least 1", EXIT_USAGE)
    if args.reinert is not None and args.reinert < 2:
        return _fail("--reinert needs at least 2 classes", EXIT_USAGE)
    if (args.max_file_mb is not None and args.max_file_mb <= 0) or (args.max_doc_chars is not None and args.max_doc_chars < 1):
        return _fail("--max-file-mb and --max-doc-chars must be positive", EXIT_USAGE)
    from .corpus import MAX_DOC_CHARS, MAX_FILE_BYTES

    limits = {"max_file_bytes": MAX_FILE_BYTES if args.max_file_mb is None else int(args.max_file_mb * 2**20),
              "max_doc_chars": MAX_DOC_CHARS if args.max_doc_chars is None else args.max_doc_chars}
    from . import analyze_to

    cache = None if args.no_cache else (args.cache or out / ".cache")
    source = args.source[0] if len(args.source) == 1 else args.source
    try:
        # Streaming: tables are appended chunk by chunk, so memory does not grow with the corpus.
        summary = analyze_to(source, out, target=args.target, stance_model=args.stance_model, n_process=args.jobs,
                             arguments_model=_arguments_model(args.arguments_model),
                             cache_dir=cache, progress=args.progress, format=args.format, views=not args.no_html,
                             report=not args.no_html, report_max_documents=REPORT_MAX_DOCUMENTS, reinert=args.reinert,
                             **limits)
    except DiscoursError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write to output folder {out}: {exc.strerror or exc}")
    note = "" if summary.report or args.no_html else f" report.html skipped: over {REPORT_MAX_DOCUMENTS:,} documents."
    print(f"{summary.describe()}\nTables written to {out}/ ({args.format}); {summary.n_errors} file(s) could not be read, "
          f"see errors.{args.format}.{note}", file=sys.stderr)
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .errors import DiscoursError

    for g in args.gold:
        if not Path(g).is_file():
            return _fail(f"gold file not found: {g}")
    if args.texts is not None and not Path(args.texts).is_dir():
        return _fail(f"--texts folder not found: {args.texts}")
    if args.show < 0:
        return _fail("--show must be 0 or more", EXIT_USAGE)
    from .evaluation import evaluate

    try:
        result = evaluate(args.gold, texts=args.texts, stance_model=args.stance_model,
                          arguments_model=_arguments_model(args.arguments_model))
    except DiscoursError as exc:
        return _fail(str(exc))
    if args.json:
        import json

        text = json.dumps(result.to_dict(), ensure_ascii=False)
    else:
        text = result.summary(show=args.show)
    try:
        print(text, flush=True)
    except BrokenPipeError:  # `discours evaluate ... | head`: the reader left, that is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def cmd_train_stance(args: argparse.Namespace) -> int:
    from .errors import DiscoursError

    if not Path(args.examples).is_file():
        return _fail(f"examples file not found: {args.examples}")
    if args.n_iter < 1:
        return _fail("--n-iter must be at least 1", EXIT_USAGE)
    from .stance import train_stance

    try:
        model = train_stance(args.examples, args.output, target=args.target, n_iter=args.n_iter, seed=args.seed)
    except DiscoursError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write the model to {args.output}: {exc.strerror or exc}")
    labels = ", ".join(model.labels)
    print(f"Stance model saved to {args.output}/ ({labels}); use it with: discours analyze FOLDER -o OUT "
          f"--stance-model {args.output}", file=sys.stderr)
    return EXIT_OK


def _arguments_model(value: str) -> str | None:
    return None if value in ("rules", "none", "") else value


def cmd_train_arguments(args: argparse.Namespace) -> int:
    from .errors import DiscoursError

    for g in args.gold:
        if not Path(g).is_file():
            return _fail(f"gold file not found: {g}")
    if args.folds < 2:
        return _fail("--folds must be at least 2", EXIT_USAGE)
    from .learn import train_arguments

    try:
        result = train_arguments(args.gold, args.output, texts=args.texts, n_folds=args.folds)
    except DiscoursError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write the model to {args.output}: {exc.strerror or exc}")
    rules, model = result["rules"], result["model"]
    print(f"Argument model saved to {args.output}/ ({result['n_records']} gold files, "
          f"{result['missing_texts']} web texts missing).\n"
          f"Cross-validated micro-F1: rules {rules['micro']['f1']:.2f}, model {model['micro']['f1']:.2f}; "
          f"stance macro-F1: rules {rules.get('stance_macro_f1') or 0:.2f}, model {model.get('stance_macro_f1') or 0:.2f}.\n"
          f"Use it with: discours analyze FOLDER -o OUT --arguments-model {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_collect(args: argparse.Namespace) -> int:
    from .errors import DiscoursError

    if args.max_pages < 1 or args.delay < 0 or args.timeout <= 0 or args.retries < 0 or args.max_mb <= 0:
        return _fail("--max-pages, --timeout and --max-mb must be positive, --delay and --retries 0 or more", EXIT_USAGE)
    problem = _check_writable(Path(args.output))
    if problem:
        return _fail(problem)
    from .web import DEFAULT_USER_AGENT, collect

    try:
        summary = collect(args.source, args.output, crawl=args.crawl, prefix=args.prefix, max_pages=args.max_pages,
                          delay=args.delay, timeout=args.timeout, retries=args.retries, max_bytes=int(args.max_mb * 2**20),
                          user_agent=args.user_agent or DEFAULT_USER_AGENT, progress=args.progress)
    except DiscoursError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("discours: interrupted; saved pages are kept, run the same command again to resume.", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(summary.describe(), file=sys.stderr)
    for url, reason in summary.skipped[:20]:
        print(f"  skipped {reason}", file=sys.stderr)
    if len(summary.skipped) > 20:
        print(f"  … and {len(summary.skipped) - 20} more", file=sys.stderr)
    print(f"Analyse it with: discours analyze {args.output} -o OUTDIR", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        if args.command == "analyze":
            return cmd_analyze(args)
        if args.command == "evaluate":
            return cmd_evaluate(args)
        if args.command == "train-stance":
            return cmd_train_stance(args)
        if args.command == "train-arguments":
            return cmd_train_arguments(args)
        if args.command == "collect":
            return cmd_collect(args)
    except KeyboardInterrupt:
        print("discours: interrupted; finished parses are cached, run the same command again to resume.", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
