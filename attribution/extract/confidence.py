"""Confidence that means something: how often an attribution of its kind was right.

Each rule gives a first guess. Where the lexicon ships calibration counts
(`lexicon/<lang>_confidence.yaml`, written by `scripts/calibrate_confidence.py` from real
news with gold annotations), the confidence of an attribution is measured instead: the
share of right predictions (matched, with the right source) among those with the same
keys, from the coarsest (all) through the rule that found it to the rule with the shape
of its source (resolved from an anaphor or not; anonymous, a body, a person or other).
Each finer share is pulled towards the coarser one when it rests on few predictions
(PRIOR_WEIGHT), and the result is lowered by Z standard errors, so that a high confidence
needs many right predictions behind it.
"""

from __future__ import annotations

import math
from dataclasses import replace

from attribution.model import Attribution, SourceKind

PRIOR_WEIGHT = 8
Z = 1.5
_GROUPS = {
    SourceKind.ANONYMOUS: "anonymous",
    SourceKind.WITNESS: "anonymous",
    SourceKind.OFFICIAL: "body",
    SourceKind.ORGANIZATION: "body",
    SourceKind.PERSON: "person",
}
_ANAPHORA = ("pronoun", "demonstrative", "continuation")


def calibration_keys(a: Attribution) -> list[str]:
    """The keys of an attribution, coarsest first."""
    rule = a.notes[0] if a.notes else a.cue.type.value
    resolved = a.source is not None and a.source.resolved is not None
    anaphoric = resolved or any(n in _ANAPHORA for n in a.notes)
    group = _GROUPS.get(a.source.kind, "other") if a.source else "none"
    return ["all", rule, f"{rule}|{'anaphor' if anaphoric else 'named'}|{group}"]


def measured(keys: list[str], counts: dict[str, tuple[int, int]]) -> float | None:
    """The calibrated confidence of keys, or None when nothing was measured."""
    if keys[0] not in counts:
        return None
    seen, right = counts[keys[0]]
    share, weight = right / seen, seen
    for key in keys[1:]:
        seen, right = counts.get(key, (0, 0))
        share = (right + PRIOR_WEIGHT * share) / (seen + PRIOR_WEIGHT)
        weight = seen + PRIOR_WEIGHT
    low = share - Z * math.sqrt(share * (1 - share) / weight)
    return math.floor(max(0.0, low) * 100) / 100


def calibrate(
    attributions: list[Attribution], counts: dict[str, tuple[int, int]]
) -> list[Attribution]:
    out = []
    for a in attributions:
        confidence = measured(calibration_keys(a), counts)
        out.append(a if confidence is None else replace(a, confidence=confidence))
    return out
