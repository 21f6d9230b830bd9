"""NLP backends. Each turns article texts into the neutral `Parse`; nothing downstream
knows which one ran."""

from __future__ import annotations

from attribution.errors import AttributionError
from attribution.nlp.base import Backend, normalize_for_parser

BACKENDS = ("spacy", "stanza")


def get_backend(name: str, lang: str) -> Backend:
    if name == "spacy":
        from attribution.nlp.spacy_backend import SpacyBackend

        return SpacyBackend(lang)
    if name == "stanza":
        from attribution.nlp.stanza_backend import StanzaBackend

        return StanzaBackend(lang)
    raise AttributionError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "Backend", "get_backend", "normalize_for_parser"]
