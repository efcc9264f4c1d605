"""Versioned lexicons shipped as package data, loaded lazily and cached.

Every file is JSON, named ``<name>.v<N>.json``; entries carry stable ids (``concession.certes.v1``).
Loading goes through :func:`load`, which reads with ``importlib.resources`` so it works from a
wheel, a zip or a source checkout.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

#: the lexicons in use, name -> file; bump the file (v2) when behaviour changes.
FILES: dict[str, str] = {
    "boilerplate": "boilerplate.v1.json",
    "markers": "markers.v1.json",
    "arguments": "arguments.v1.json",
    "categories": "categories.v1.json",
    "stance": "stance.v1.json",
    "stopwords": "stopwords.v1.json",
    "agreement": "agreement.v1.json",
}


@lru_cache(maxsize=None)
def load(name: str) -> Any:
    """Return the parsed lexicon ``name`` (e.g. ``"markers"``), read once per process.

    Example:
        >>> load("boilerplate")["version"]
        'boilerplate.v1'
    """
    try:
        filename = FILES[name]
    except KeyError:
        raise KeyError(f"Unknown lexicon {name!r}; known lexicons: {sorted(FILES)}") from None
    with resources.files(__name__).joinpath(filename).open("r", encoding="utf-8") as fh:
        return json.load(fh)
