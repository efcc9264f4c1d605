#!/usr/bin/env python3
"""Check annotation files (one JSON record per page) against their saved texts.

    python gold/web/tools/check_annotation.py gold/web/work/ann_a/*.json

Every sentence text must occur in gold/web/texts/<id>.txt (after normalisation: NFKC,
lowercase, ’ → ', collapsed spaces), labels and categories must be valid, every objection
needs a category, stance must be favor/against/neutral. Prints one line per problem.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

TEXTS = Path(__file__).resolve().parents[1] / "texts"
LABELS = {"objection", "rebuttal", "concession", "rhetorical_question", "authority", "example", "attributed"}
CATS = {"regulation_legal", "confidentiality", "employee_trust", "competition", "loss_of_control",
        "reputation_criticism", "cost_resources", "time", "roi_measurement", "security_privacy",
        "audience_relevance", "other"}
STANCES = {"favor", "against", "neutral"}
AGREE = {"agree", "disagree", "mixed", "none"}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).replace("\u2019", "'").replace("\u02bc", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def check(path: Path) -> list[str]:
    problems = []
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
    except Exception as exc:  # noqa: BLE001 - report any parse failure
        return [f"{path}: not valid JSON ({exc})"]
    pid = rec.get("id")
    tpath = TEXTS / f"{pid}.txt"
    if not tpath.exists():
        return [f"{path}: no saved text {tpath}"]
    text = norm(tpath.read_text(encoding="utf-8"))
    if rec.get("stance") not in STANCES:
        problems.append(f"{path}: stance must be one of {sorted(STANCES)}")
    for key in ("sentences", "unlabelled"):
        for i, s in enumerate(rec.get(key, [])):
            t = s.get("text", "")
            if not t or norm(t) not in text:
                problems.append(f"{path}: {key}[{i}] text not found verbatim in the page: {t[:70]!r}")
            labels = set(s.get("labels", []))
            if key == "sentences" and (not labels or labels - LABELS):
                problems.append(f"{path}: {key}[{i}] bad labels {sorted(labels)}")
            cat = s.get("objection_category")
            cats = set(cat) if isinstance(cat, list) else ({cat} if cat else set())
            if "objection" in labels and (not cats or cats - CATS):
                problems.append(f"{path}: {key}[{i}] objection needs categories from the list, got {cat!r}")
            if "objection" not in labels and cats:
                problems.append(f"{path}: {key}[{i}] category without objection label")
            if s.get("part", "post") not in {"post", "comment"}:
                problems.append(f"{path}: {key}[{i}] part must be post or comment")
    comments = rec.get("comments", [])
    for i, c in enumerate(comments):
        if c.get("stance") not in STANCES or c.get("agreement") not in AGREE:
            problems.append(f"{path}: comments[{i}] needs stance in {sorted(STANCES)} and agreement in {sorted(AGREE)}")
        # where the reply starts, so its text can be rebuilt from the page (optional for old files)
        start = c.get("start_text")
        if start is not None and (len(norm(start)) < 15 or norm(start) not in text):
            problems.append(f"{path}: comments[{i}] start_text must be the reply's first 15+ characters, verbatim: {str(start)[:60]!r}")
        reply_to = c.get("reply_to")
        if reply_to is not None and not (isinstance(reply_to, int) and 0 <= reply_to < i):
            problems.append(f"{path}: comments[{i}] reply_to must be null (answers the post) or the index of an earlier comment")
    return problems


def main(argv: list[str]) -> int:
    problems = [p for a in argv for p in check(Path(a))]
    for p in problems:
        print(p)
    print(f"{len(argv)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
