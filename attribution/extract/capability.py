"""Can a noun phrase be the author of words? The speaker-capability check.

A name, a person, a body, a medium or a document can ("selon le ministre", "d'après le
rapport"); a criterion, a time, a place or a thing cannot ("selon la saison", "d'après ce
lac"). Nouns are decided by the speaker-capability model (`scripts/train_speaker_model.py`:
a logistic regression over word vectors, trained from the lexicon's seed nouns and shipped
as the word list `lexicon/<lang>_speakers.txt`), named entities and pronouns by their type.
"""

from __future__ import annotations

from attribution.lexicon import Lexicon
from attribution.model import Parse, Token

_SPEAKING_KINDS = {"outlet", "official", "organization", "armed_group", "anonymous", "witness"}


def noun_can_speak(lex: Lexicon, tok: Token) -> bool:
    lemma = tok.lemma.lower()
    word = _word(tok)
    return (
        lemma in lex.demonstrative_adjectives  # "ce dernier"
        or lemma in lex.speaker_nouns
        or word in lex.speaker_nouns
        or lemma in lex.view_holder_nouns
        or lex.kind_of_word(lemma) in _SPEAKING_KINDS
        or lex.kind_of_word(word) in _SPEAKING_KINDS
        or "document" in (lex.kind_of_word(lemma), lex.kind_of_word(word))
    )


def can_speak(parse: Parse, lex: Lexicon, tok: Token) -> bool:
    """Whether the phrase headed by `tok` can be a source: its head, or, for a noun of
    words or findings ("les dires de deux agents", "les premiers éléments de l'enquête"),
    its "de" complement."""
    if tok.upos == "PROPN" or tok.ent in ("PER", "ORG"):
        return True
    sentence_start = tok.i == parse.sentences[tok.sent].first
    if tok.text[:1].isupper() and not sentence_start:
        return True  # a name the tagger took for a noun ("Météo-France")
    if tok.upos not in ("NOUN", "ADJ", "NUM", "X", "SYM"):
        return True  # the parser's label is not a noun: let the other rules decide
    if noun_can_speak(lex, tok):
        return True
    if tok.lemma.lower() not in lex.content_nouns:
        return False  # "d'après le roman de X" is based on a work, not a report of words
    for child in parse.children(tok.i):
        marks = {_word(c) for c in parse.children(child.i) if c.rel == "case"}
        named = child.upos == "PROPN" or child.ent in ("PER", "ORG")
        genitive = child.rel == "nmod" and bool(marks & lex.genitive_prepositions)
        if genitive and child.i > tok.i and (named or noun_can_speak(lex, child)):
            return True
    return False


def _word(tok: Token) -> str:
    return tok.text.lower().replace("’", "'")
