"""Coordinated sources: "ont indiqué les pompiers et la préfecture" is two attributions,
one per speaker, with the same cue and claim."""

from __future__ import annotations

import copy

from attribution.extract.rules import Finding
from attribution.model import Parse, Token


def split_coordinated(parse: Parse, findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for f in findings:
        out.append(f)
        if f.source is None:
            continue
        for other in coordinated_speakers(parse, f.source):
            twin = copy.copy(f)
            twin.source = other
            twin.constructions = list(f.constructions)
            out.append(twin)
    return out


def coordinated_speakers(parse: Parse, head: Token) -> list[Token]:
    """Nouns joined to the source by "et" ("des habitants et un porte-parole"), not
    complements that share its preposition ("le ministre de l'Intérieur et de la Défense")."""
    found = []
    candidates = list(parse.children(head.i))
    governor = parse.head(head)
    if head.rel == "nmod" and governor is not None and governor.i < head.i:
        # "à l'agence des habitants et un porte-parole": the parser hung both on the addressee
        candidates += [c for c in parse.children(governor.i) if c.i > head.i]
    for child in list(candidates):
        listed = [c for c in parse.children(child.i) if c.rel == "conj"]
        if child.rel == "appos" and child.upos == "NOUN" and child.i > head.i and listed:
            found.append(child)  # "un élu, des responsables et des sources": a list, not
            candidates += listed  # a description of the first
    for child in candidates:
        if child.rel != "conj" or child.i < head.i or child.upos not in ("NOUN", "PROPN"):
            continue
        marks = list(parse.children(child.i))
        if any(c.rel == "case" for c in marks) or not any(c.rel == "cc" for c in marks):
            continue  # no "et": an apposition the parser took for a conjunct
        found.append(child)
    return found
