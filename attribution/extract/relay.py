"""Nested attribution: a source quoted by an outlet that relays it.

"des sources citées par le journal X", "un responsable cité par X", "X, citant un
responsable, affirme …", "…, relayé par X", "les sources de X": the source is the one
quoted, `via` the one that relays it. Found by position in the sentence as much as by
the parse, which often attaches these participles to the wrong word.
"""

from __future__ import annotations

from attribution.extract.rules import Finding, lower, relay_lemma
from attribution.extract.spans import mention_tokens
from attribution.lexicon import Lexicon
from attribution.model import CueType, Parse, Token

WINDOW = 8


def apply_relays(parse: Parse, lex: Lexicon, findings: list[Finding]) -> None:
    for f in findings:
        if f.source is None:
            continue
        sent = parse.sentences[f.source.sent]
        for tok in parse.sentence_tokens(sent):
            if not relay_lemma(tok, lex):
                continue
            if tok.feat("Tense") == "Pres" or lower(tok).endswith(lex.present_participle_endings):
                _citing(parse, f, tok)
            else:
                _cited_by(parse, lex, f, tok)
            if f.via is not None:
                break
        if f.via is None:
            _sources_of(parse, lex, f)


def fold_reported_speech(findings: list[Finding]) -> list[Finding]:
    """ "Selon l'agence X, un responsable a indiqué que …": one attribution, the speaker's,
    relayed by X; the "selon" finding that holds the speech verb goes."""
    folded: set[int] = set()
    for outer in findings:
        if outer.cue_type is not CueType.PREPOSITION or outer.source is None:
            continue
        inside = {t.i for t in outer.claim}
        heads = {t.i for t in outer.claim if t.head not in inside}
        for inner in findings:
            if (
                inner is not outer
                and inner.cue_type in (CueType.VERB, CueType.RELAY)
                and inner.rule in ("verb_preposed", "verb_infinitive")
                and inner.source is not None
                and outer.cue[0].i < inner.source.i
                and inner.source.i in inside
                and all(t.i in inside for t in inner.cue)
                and inner.cue[-1].i in heads  # not "…, un chiffre que les syndicats jugent …"
            ):
                inner.via = inner.via or outer.source
                if "nested_relay" not in inner.constructions:
                    inner.constructions.append("nested_relay")
                folded.add(id(outer))
    return [f for f in findings if id(f) not in folded]


def _citing(parse: Parse, f: Finding, citing: Token) -> None:
    """ "X, citant Y, affirme que …" (or "Citant Y, X affirme …"): Y speaks, X relays."""
    assert f.source is not None
    cited = _noun_after(parse, citing)
    if cited is None or cited.i == f.source.i:
        return
    f.via, f.source = f.source, cited
    f.cue_type = CueType.RELAY
    f.constructions += ["nested_relay", "citant"]


def _cited_by(parse: Parse, lex: Lexicon, f: Finding, cited_tok: Token) -> None:
    """ "des sources citées par X", "un responsable cité par X": the noun before speaks."""
    assert f.source is not None
    agent = _agent_after(parse, lex, cited_tok)
    if agent is None:
        return
    head = parse.head(cited_tok)
    cited = head if head is not None and head.upos in ("NOUN", "PROPN", "PRON") else None
    cited = cited or _noun_before(parse, cited_tok)
    if cited is None:
        if agent.i < f.source.i and any(  # "Interrogé par Reuters, le ministre a dit …"
            parse.tokens[k].text == "," for k in range(agent.i + 1, f.source.i)
        ):
            f.via = agent
            f.constructions += ["nested_relay"]
        return
    named = {t.i for t in mention_tokens(parse, f.source)}
    if cited.i in named and f.source.i != agent.i:  # "l'ONG X, citée par …": the name's word
        cited = f.source
    if f.source.i not in (cited.i, agent.i):
        return
    f.source, f.via = cited, agent
    f.cue_type = CueType.RELAY
    f.constructions += ["nested_relay", "cite_par"]


def _sources_of(parse: Parse, lex: Lexicon, f: Finding) -> None:
    """ "selon les sources d'al-Akhbar": anonymous sources of a named outlet."""
    assert f.source is not None
    if f.source.lemma.lower() not in lex.always_anonymous:
        return
    for c in parse.children(f.source.i):
        cases = {lower(x) for x in parse.children(c.i) if x.rel == "case"}
        names_outlet = c.upos == "PROPN" or c.ent or lex.kind_of_word(c.lemma.lower()) == "outlet"
        if (
            c.rel == "nmod"
            and c.i > f.source.i
            and cases & lex.genitive_prepositions
            and names_outlet
        ):
            f.via = c
            f.cue_type = CueType.RELAY
            f.constructions += ["nested_relay"]
            return


def _noun_after(parse: Parse, tok: Token) -> Token | None:
    objs = [
        c for c in parse.children(tok.i) if c.rel in ("obj", "dobj", "obl", "nmod") and c.i > tok.i
    ]
    if objs:
        return objs[0]
    return _first(parse, range(tok.i + 1, min(tok.i + WINDOW, len(parse.tokens))), tok.sent)


def _noun_before(parse: Parse, tok: Token) -> Token | None:
    return _first(parse, range(tok.i - 1, max(tok.i - WINDOW, -1), -1), tok.sent)


def _first(parse: Parse, indexes: range, sent: int) -> Token | None:
    for k in indexes:
        cand = parse.tokens[k]
        if cand.sent != sent:
            return None
        if cand.upos in ("NOUN", "PROPN") and cand.rel not in (
            "flat",
            "flat:name",
            "nmod",
            "compound",
        ):
            return cand
    return None


def _agent_after(parse: Parse, lex: Lexicon, tok: Token) -> Token | None:
    """The noun introduced by the "par" ("by") that follows the participle."""
    for k in range(tok.i + 1, min(tok.i + WINDOW, len(parse.tokens))):
        cand = parse.tokens[k]
        if cand.sent != tok.sent:
            return None
        if lower(cand) in lex.agent_prepositions and cand.rel == "case":
            head = parse.head(cand)
            return head if head is not None and head.i > cand.i else None
    return None
