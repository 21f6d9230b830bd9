"""Imported by the fork server that starts the worker processes (see engine.run_local):
loads the model that $ATTRIBUTION_PRELOAD names ("spacy:fr") once, so that each worker
forked from the server has it already, its memory shared with the others rather than
loaded again in each. Importing this module does nothing when the variable is unset."""

from __future__ import annotations

import contextlib
import gc
import os
import sys

from attribution.errors import AttributionError

PRELOAD = "ATTRIBUTION_PRELOAD"


def preload(spec: str) -> None:
    backend, _, lang = spec.partition(":")
    if backend != "spacy":
        return
    sys.modules.setdefault("torch", None)  # type: ignore[arg-type]  # see engine._start_worker
    from attribution.nlp.spacy_backend import SpacyBackend

    with contextlib.suppress(AttributionError):  # no model: each worker reports it
        _ = SpacyBackend(lang).nlp
    # the collector of a forked worker would otherwise write to every object it inherits,
    # copying the pages the workers share
    gc.freeze()


if os.environ.get(PRELOAD):
    preload(os.environ[PRELOAD])
