"""attribution: who says so? Source attribution and credibility annotation for news."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Store", "__version__"]


def __getattr__(name: str) -> Any:
    """`attribution.Store` without importing the store for every other use of the package."""
    if name == "Store":
        from attribution.store import Store

        return Store
    raise AttributeError(f"module 'attribution' has no attribute {name!r}")
