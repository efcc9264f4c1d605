#!/usr/bin/env python3
"""Check the git-ignored page texts against the sha1s recorded in the committed facts.

    python gold/web/tools/check_texts.py [gold/web/pages.jsonl gold/web/double.jsonl] [--texts DIR]

Prints one line per page whose text is missing or changed (with its url, to fetch it again),
then a count. Exit status 1 when any text is missing or changed.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(WEB.parents[1] / "src"))

from discours.learn.webgold import pages  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("facts", nargs="*", default=[str(WEB / "pages.jsonl"), str(WEB / "double.jsonl")])
    ap.add_argument("--texts", default=None, help="folder of <id>.txt texts (default: texts/ beside each facts file)")
    a = ap.parse_args()
    bad = total = 0
    for f in a.facts:
        for page in pages(f, a.texts):
            total += 1
            if page.status != "ok":
                bad += 1
                print(f"{page.status:8} {page.facts['id']}  {page.facts.get('url', '')}")
    print(f"{total} page(s) recorded, {total - bad} text(s) in place, {bad} missing or changed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
