"""Attribution extraction: pure functions from a neutral parse to `Attribution`s.

No I/O, no backend, no registry: the parse and the lexicon in, attributions out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from attribution.extract import rules
from attribution.extract.capability import can_speak
from attribution.extract.confidence import calibrate
from attribution.extract.coordination import split_coordinated
from attribution.extract.quotes import Quote, find_quotes
from attribution.extract.relay import apply_relays, fold_reported_speech
from attribution.extract.resolve import describe, resolve_sources
from attribution.extract.rules import Finding
from attribution.extract.spans import balanced, span_of
from attribution.lexicon import Lexicon
from attribution.model import (
    Attribution,
    Cue,
    CueType,
    Mention,
    Parse,
    Sentence,
    Span,
    Token,
)

Rule = Callable[[Parse, Sentence, Lexicon], Iterator[Finding]]
SENTENCE_RULES: tuple[Rule, ...] = (
    rules.prepositional,
    rules.view,
    rules.nominal,
    rules.hearsay,
    rules.social_media,
)


def extract(parse: Parse, lex: Lexicon, article: str = "") -> list[Attribution]:
    quotes = find_quotes(parse.text, lex.quote_pairs)
    inside = _tokens_inside(parse, quotes)
    inside -= {t.i for k in inside for t in rules.incise(parse, lex, parse.tokens[k])}
    findings: list[Finding] = []
    for sent in parse.sentences:
        found = [f for rule in SENTENCE_RULES for f in rule(parse, sent, lex)]
        found += rules.speech_verbs(parse, sent, lex, inside)
        findings += [f for f in found if not any(t.i in inside for t in f.cue)]
    for f in findings:
        rules.before_speech_participle(parse, lex, f)
    findings = _drop_duplicates(findings)
    findings.sort(key=lambda f: f.cue[0].i)
    apply_relays(parse, lex, findings)
    findings = fold_reported_speech(findings)
    findings = split_coordinated(parse, findings)
    claims = [_claim_span(parse, f, quotes) for f in findings]
    findings, claims = _add_quotes_with_neighbour_speaker(parse, lex, quotes, findings, claims)
    mentions = resolve_sources(parse, lex, findings)
    out = []
    vias: dict[int, Mention] = {}  # a relay named once serves every coordinated speaker
    for f, (claim, direct), mention in zip(findings, claims, mentions, strict=True):
        cue_span = span_of(parse, f.cue)
        if cue_span is None or claim is None:
            continue
        via = None
        if f.via is not None:
            via = vias.get(f.via.i) or describe(parse, lex, f.via)
            if mention is not None:
                via = vias.setdefault(f.via.i, _before(parse, via, mention))
        out.append(
            Attribution(
                article=article,
                sentence=f.sentence,
                cue=Cue(cue_span, f.cue_type, f.lemma),
                claim=claim,
                source=mention,
                via=via,
                direct_quote=direct,
                confidence=f.confidence,
                notes=tuple(f.constructions),
            )
        )
    return calibrate(out, lex.calibration)


def _before(parse: Parse, via: Mention, source: Mention) -> Mention:
    """ "a confié à l'agence X Jean Dupont": the relaying outlet's name stops where the
    speaker's begins."""
    if not via.span.start < source.span.start < via.span.end:
        return via
    end = source.span.start
    while end > via.span.start and parse.text[end - 1] in " ,":
        end -= 1
    return replace(via, span=Span(via.span.start, end, parse.text[via.span.start : end]))


def _tokens_inside(parse: Parse, quotes: list[Quote]) -> set[int]:
    inside: set[int] = set()
    k = 0
    for q in quotes:
        while k < len(parse.tokens) and parse.tokens[k].start < q.inner.start:
            k += 1
        j = k
        while j < len(parse.tokens) and parse.tokens[j].end <= q.inner.end:
            inside.add(j)
            j += 1
    return inside


def _drop_duplicates(findings: list[Finding]) -> list[Finding]:
    """One finding per cue, and a sourced finding wins over hearsay on the same claim.

    Each finding is compared only with the kept findings it shares a token with (found
    through an index of their tokens), so that an article of thousands of attributions
    takes linear time."""
    speech_claims = {t.i for f in findings if f.rule != "social_media" for t in f.claim}
    findings = [  # "X a affirmé sur X que …": the network is the channel, X the source
        f
        for f in findings
        if f.rule != "social_media" or not any(t.i in speech_claims for t in f.claim)
    ]
    kept: list[Finding] = []
    kept_cues: set[int] = set()
    claimed_by: dict[int, list[int]] = {}  # token → the kept findings whose claim holds it
    for f in sorted(findings, key=lambda f: -f.confidence):
        claim_ids = {t.i for t in f.claim}
        if any(t.i in kept_cues for t in f.cue):
            continue
        shared: dict[int, int] = {}  # kept finding → tokens of its claim in this claim
        for i in claim_ids:
            for k in claimed_by.get(i, ()):
                shared[k] = shared.get(k, 0) + 1
        if f.source is None:
            # hearsay loses to any kept finding holding half of its claim
            clash = any(n >= 0.5 * len(claim_ids) for n in shared.values())
        else:  # one source, one claim: a second finding of the same source on it goes
            clash = any(
                (g := kept[k]).source is not None and g.source.i == f.source.i for k in shared
            )
        if clash:
            continue
        kept_cues.update(t.i for t in f.cue)
        for i in claim_ids:
            claimed_by.setdefault(i, []).append(len(kept))
        kept.append(f)
    return kept


def _claim_span(parse: Parse, f: Finding, quotes: list[Quote]) -> tuple[Span | None, bool]:
    """The claim's span; a quotation when the claim is the quotation (its words without
    the marks, a direct quote), the words with their marks when a quotation is only part
    of the claim ("le texte était « équilibré »")."""
    span = span_of(parse, f.claim)
    if span is None:
        return None, False
    span = balanced(parse.text, span)
    for q in quotes:
        if q.inner.start < f.cue[0].start < q.inner.end:  # "« A, dit-il, B »": A is said
            end = parse.text.rfind(",", q.inner.start, f.cue[0].start)
            words = parse.text[q.inner.start : end].rstrip()
            if "direct_quote" not in f.constructions:
                f.constructions.append("direct_quote")
            return Span(q.inner.start, q.inner.start + len(words), words), True
        if min(span.end, q.inner.end) <= max(span.start, q.inner.start):
            continue
        outside = parse.text[span.start : q.start] + parse.text[q.end : span.end]
        inside = q.inner.start <= span.start and span.end <= q.inner.end
        if inside or (q.start >= span.start - 1 and not any(c.isalnum() for c in outside)):
            if "direct_quote" not in f.constructions:
                f.constructions.append("direct_quote")
            return q.inner, True
    return span, False


def _add_quotes_with_neighbour_speaker(
    parse: Parse,
    lex: Lexicon,
    quotes: list[Quote],
    findings: list[Finding],
    claims: list[tuple[Span | None, bool]],
) -> tuple[list[Finding], list[tuple[Span | None, bool]]]:
    """A quotation with no cue of its own is said by the source of the sentence before it."""
    taken = [c for c, _ in claims if c is not None]
    extra: list[tuple[Finding, tuple[Span | None, bool]]] = []
    for q in quotes:
        if q.words < lex.min_quote_words:
            continue
        if any(c.start < q.inner.end and q.inner.start < c.end for c in taken):
            continue
        sent = _sentence_at(parse, q.inner.start)
        if sent is None or not _stands_alone(q, sent):
            continue
        speaker = _speaker_before(parse, lex, findings, sent, q)
        if speaker is None:
            continue
        opener = next(t for t in parse.tokens if t.start >= q.start)
        claim_toks = [t for t in parse.tokens if q.inner.start <= t.start < q.inner.end]
        f = Finding(
            sent.index,
            [opener],
            CueType.QUOTE,
            "quote",
            claim_toks,
            speaker.source,
            "quote_neighbour_speaker",
            0.6,
            via=speaker.via,
            constructions=["direct_quote", "quote_neighbour_speaker"],
        )
        extra.append((f, (q.inner, True)))
    if not extra:
        return findings, claims
    merged = sorted([*zip(findings, claims, strict=True), *extra], key=lambda fc: fc[0].cue[0].i)
    return [f for f, _ in merged], [c for _, c in merged]


def _stands_alone(q: Quote, sent: Sentence) -> bool:
    """A quotation that is most of its sentence (or runs past it), not a name in quotes."""
    return q.end > sent.end or (q.inner.end - q.inner.start) >= 0.5 * (sent.end - sent.start)


def _sentence_at(parse: Parse, offset: int) -> Sentence | None:
    for sent in parse.sentences:
        if sent.start <= offset < sent.end or offset < sent.start:
            return sent
    return None


def _speaker_before(
    parse: Parse, lex: Lexicon, findings: list[Finding], sent: Sentence, q: Quote
) -> Finding | None:
    """Who says a quotation that has no speech verb of its own: the subject before a
    colon ("Le ministre s'est voulu rassurant : « … »"), else the source of an attribution
    just before it, else the person the sentence before it is about, else the source of
    an attribution one or two sentences back."""
    toks = [t for t in parse.sentence_tokens(sent) if t.end <= q.start]
    if toks and toks[-1].text == ":":
        subjects = [t for t in toks if t.rel == "nsubj" and t.upos in ("NOUN", "PROPN", "PRON")]
        if subjects:
            return _quote_speaker(sent, toks[-1], subjects[0])
        heading = _heading_speaker(parse, lex, toks)
        if heading is not None:  # "Commentaire du préfet : « … »", "Le syndicat : « … »"
            return _quote_speaker(sent, toks[-1], heading)
    earlier = [
        f
        for f in findings
        if f.source is not None
        and sent.index - 2 <= f.sentence <= sent.index
        and f.cue[0].start < q.start
    ]
    close = [f for f in earlier if f.sentence >= sent.index - (0 if toks else 1)]
    if close:
        return close[-1]
    previous = parse.sentences[sent.index - 1] if sent.index and not toks else None
    if previous is not None:
        root = next((t for t in parse.sentence_tokens(previous) if t.head is None), None)
        subj = rules.subject_of(parse, lex, root) if root is not None else None
        if subj is not None and (subj.upos == "PROPN" or subj.ent == "PER"):
            return _quote_speaker(sent, parse.tokens[previous.last - 1], subj)
    return earlier[-1] if earlier else None


def _heading_speaker(parse: Parse, lex: Lexicon, toks: list[Token]) -> Token | None:
    """The speaker named by the words before a colon that have no verb: a noun of saying
    and whose it is ("Réaction du maire :"), or a speaker alone ("Le syndicat :")."""
    ids = {t.i for t in toks}
    tops = [t for t in toks if t.head not in ids and t.upos in ("NOUN", "PROPN")]
    if len(tops) != 1 or any(t.upos in ("VERB", "AUX") for t in toks):
        return None
    top = tops[0]
    if top.lemma.lower() in lex.speech_nouns | lex.voice_nouns:
        for child in parse.children(top.i):
            if child.rel == "nmod" and child.i in ids and can_speak(parse, lex, child):
                return child
        return None
    return top if can_speak(parse, lex, top) else None


def _quote_speaker(sent: Sentence, cue: Token, speaker: Token) -> Finding:
    return Finding(sent.index, [cue], CueType.QUOTE, "quote", [], speaker, "quote_speaker", 0.6)
