"""The speaker of an inverted speech tag, found by the shape of the tag.

"…, a annoncé vendredi une ONG.", "…, ont déclaré à l'agence des habitants.", "…,
confirme-t-elle.": the parser often hangs the speaker on a time noun or on the
addressee, so the speaker is read off the words after the verb instead: a clitic
pronoun, else the first noun phrase that no preposition introduces, past adverbs,
times and prepositional phrases.
"""

from __future__ import annotations

from attribution.lexicon import Lexicon
from attribution.model import Parse, Token


def _lower(tok: Token) -> str:
    return tok.text.lower().replace("’", "'")


def time_word(lex: Lexicon, tok: Token) -> bool:
    """ "vendredi", "hier soir"; not a name that starts with one ("Midi Libre")."""
    return tok.lemma.lower() in lex.time_nouns and (
        lex.time_words_capitalized or not tok.text[:1].isupper()
    )


def clitic_subject(parse: Parse, lex: Lexicon, first: Token, verb: Token) -> Token | None:
    """ "a-t-il déclaré", "confirme-t-elle", "estiment-ils": the hyphenated pronoun
    between the auxiliary and the verb, or right after the verb."""
    end = min(verb.i + 3, parse.sentences[verb.sent].last)
    for tok in parse.tokens[first.i : end]:
        word = _lower(tok)
        pronoun = tok.upos == "PRON" or word in lex.pronouns  # "-elles" tagged ADJ
        if pronoun and word.startswith("-") and word not in lex.euphonic_words:
            return tok
    return None


def subject_after(parse: Parse, lex: Lexicon, verb: Token) -> Token | None:
    """The head word of the first noun phrase after `verb` that is not inside a
    prepositional phrase, or None when a clause, a conjunction or the end of the
    sentence comes first."""
    sent = parse.sentences[verb.sent]
    in_phrase = False  # inside a prepositional phrase ("à l'agence", "lors d'une visite")
    previous: Token | None = None
    for tok in parse.tokens[verb.i + 1 : sent.last]:
        word = _lower(tok)
        if tok.upos == "PUNCT":
            if tok.text != ",":
                return None
            in_phrase = False
        elif tok.upos == "ADP":
            after_name = previous is not None and previous.upos == "PROPN" and in_phrase
            # "des habitants" after "à l'agence X": an article, not a preposition
            in_phrase = not (after_name and word in lex.partitive_articles)
        elif (
            tok.upos in ("ADV", "PART")
            or time_word(lex, tok)
            or word in lex.euphonic_words
            or word.startswith("-")
        ):
            pass
        elif tok.upos == "DET":
            if previous is not None and previous.upos in ("NOUN", "PROPN", "ADJ", "NUM"):
                in_phrase = False  # a determiner after a finished noun phrase opens a new one
        elif tok.upos in ("NOUN", "PROPN") or (tok.upos == "PRON" and not in_phrase):
            named_after_name = (  # "à l'agence X Jean Dupont": a second name in apposition
                tok.upos == "PROPN"
                and tok.rel == "appos"
                and previous is not None
                and previous.upos == "PROPN"
            )
            if not in_phrase or named_after_name:
                return tok
        elif tok.upos in ("VERB", "AUX"):
            if not (in_phrase and tok.feat("VerbForm") == "Part"):
                return None
        elif tok.upos in ("CCONJ", "SCONJ"):
            return None
        previous = tok
    return None


def origin_after(parse: Parse, lex: Lexicon, verb: Token) -> Token | None:
    """ "…, a-t-on appris auprès des pompiers", "…, a-t-on indiqué à la préfecture": who
    told the impersonal "on", named after the verb ("de source policière" is a cue of its
    own and is passed over)."""
    sent = parse.sentences[verb.sent]
    k = verb.i + 1
    while k < sent.last:
        tok = parse.tokens[k]
        word = _lower(tok)
        phrase = next(
            (
                p
                for p in lex.source_noun_phrases
                if [_lower(t) for t in parse.tokens[k : k + len(p)]] == list(p)
            ),
            None,
        )
        if phrase is not None:  # "de source proche du dossier": a cue of its own
            noun = parse.tokens[k + len(phrase) - 1]
            k = max(k + len(phrase), *(t.i + 1 for t in parse.subtree(noun)))
            continue
        if word in lex.origin_prepositions:
            for cand in parse.tokens[k + 1 : min(k + 5, sent.last)]:
                if cand.upos in ("NOUN", "PROPN"):
                    return cand
                if cand.upos not in ("DET", "ADP", "ADJ", "NUM"):
                    break
        elif not (
            tok.upos in ("ADV", "CCONJ", "PART")
            or tok.text == ","
            or time_word(lex, tok)
            or word in lex.euphonic_words
        ):
            return None
        k += 1
    return None
