#!/usr/bin/env python3
"""Turn the annotators' working files (with text, git-ignored) into committed facts (offsets).

    python gold/web/tools/build_facts.py            # writes gold/web/pages.jsonl and gold/web/double.jsonl

For each page, the first annotator (in the order of gold/web/texts/_pages.jsonl's collector,
else alphabetical) gives pages.jsonl; an independent second annotation of the same page goes to
double.jsonl (used to measure agreement). Pages from held-out sites are refused.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parents[1]
ROOT = WEB.parents[1]
sys.path.insert(0, str(ROOT / "src"))

from discours.learn.webgold import to_facts  # noqa: E402

GUARD = ROOT.parent / "shared" / "tools" / "heldout_guard.py"


def main() -> int:
    meta = {}
    for line in (WEB / "texts" / "_pages.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            m = json.loads(line)
            meta[m["id"]] = m
    by_page: dict[str, list[tuple[str, dict]]] = {}
    for path in sorted((WEB / "work").glob("*/*.json")):
        try:
            ann = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            print(f"skip (bad JSON): {path}")
            continue
        by_page.setdefault(ann.get("id", path.stem), []).append((path.parent.name, ann))
    first, second, problems = [], [], 0
    for pid, anns in sorted(by_page.items()):
        m = meta.get(pid)
        text_path = WEB / "texts" / f"{pid}.txt"
        if m is None or not text_path.exists():
            print(f"skip {pid}: no saved text")
            continue
        text = text_path.read_text(encoding="utf-8")
        collector = m.get("collector")
        anns.sort(key=lambda a: (a[0] != collector and a[1].get("annotator") != collector, a[0]))
        for rank, (folder, ann) in enumerate(anns[:2]):
            ann = dict(ann, url=m["url"], query=m["query"], annotator=ann.get("annotator") or folder)
            try:
                facts = to_facts(ann, text)
            except Exception as exc:  # noqa: BLE001 - report and go on
                print(f"skip {pid} ({folder}): {exc}")
                problems += 1
                continue
            (first if rank == 0 else second).append(facts)
    urls = [f["url"] for f in first + second]
    if urls and subprocess.run([sys.executable, str(GUARD), *sorted(set(urls))], capture_output=True).returncode:
        print("held-out sites among the pages: remove them first")
        return 1
    for name, rows in (("pages.jsonl", first), ("double.jsonl", second)):
        with open(WEB / name, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    n_sent = sum(len(r["sentences"]) for r in first)
    sites = len({r["site"] for r in first})
    print(f"pages.jsonl: {len(first)} pages, {sites} sites, {n_sent} labelled sentences; double.jsonl: {len(second)} pages; {problems} problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
