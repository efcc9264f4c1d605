#!/usr/bin/env python3
"""Save one real page excerpt (text on stdin) into the git-ignored texts folder.

    python gold/web/tools/save_page.py --url URL --query "requête" < excerpt.txt

Refuses held-out sites (../shared/tools/heldout_guard.py) and pages already saved; prints the
page id (w_ + 12 hex of the URL's sha1). The text is stored exactly as given (UTF-8).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]          # gold/web
GUARD = HERE.parents[2] / "shared" / "tools" / "heldout_guard.py"


def page_id(url: str) -> str:
    return "w_" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:12]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--query", required=True)
    ap.add_argument("--collector", default="")
    a = ap.parse_args()
    guard = subprocess.run([sys.executable, str(GUARD), a.url], capture_output=True, text=True)
    if guard.returncode != 0:
        print(f"REFUSED (held-out site): {a.url}", file=sys.stderr)
        return 1
    text = sys.stdin.read()
    if len(text.strip()) < 200:
        print("REFUSED: text shorter than 200 characters", file=sys.stderr)
        return 1
    pid = page_id(a.url)
    texts = HERE / "texts"
    texts.mkdir(exist_ok=True)
    path = texts / f"{pid}.txt"
    if path.exists():
        print(f"ALREADY SAVED: {pid}", file=sys.stderr)
        return 1
    path.write_text(text, encoding="utf-8")
    meta = {"id": pid, "url": a.url.strip(), "query": a.query, "collector": a.collector,
            "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(), "chars": len(text)}
    with open(texts / "_pages.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(meta, ensure_ascii=False) + "\n")
    print(pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
