"""attribution: who says so? Source attribution and credibility annotation for news."""

from __future__ import annotations

__version__ = "0.1.0"
