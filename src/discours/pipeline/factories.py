"""Import every discours component so its factory is registered with spaCy."""
from __future__ import annotations

from . import sentences  # noqa: F401  discours_sentences

FACTORIES = ["discours_sentences"]

# Components that land later register themselves here when their module exists.
for _name in ("markers", "arguments", "stance"):
    try:
        __import__(f"{__package__}.{_name}")
        FACTORIES.append(f"discours_{_name}")
    except ModuleNotFoundError as exc:  # module not written yet
        if exc.name != f"{__package__}.{_name}":
            raise
