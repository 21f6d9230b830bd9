"""Who a source is: its mention, its kind, its antecedent and its description."""

from __future__ import annotations

from collections.abc import Callable

from attribution.extract.capability import can_speak
from attribution.extract.rules import Finding, antecedent_of_relative, is_relative, lower
from attribution.extract.spans import (
    description_tokens,
    mention_tokens,
    names_maker,
    span_of,
    whole_words,
    with_acronym,
)
from attribution.lexicon import Lexicon
from attribution.model import Mention, Parse, SourceKind, Span, Token

LOOKBACK_SENTENCES = 3
CONTINUATION_SENTENCES = 8


def resolve_sources(parse: Parse, lex: Lexicon, findings: list[Finding]) -> list[Mention | None]:
    mentions: list[Mention | None] = []
    history: list[tuple[Finding, Mention, Token]] = []  # earlier sources: finding, mention, head
    for f in findings:
        if f.source is None:
            mentions.append(None)
            continue
        mention = describe(parse, lex, f.source, f.kind_hint)
        antecedent = _antecedent(parse, lex, f, mention, history)
        if antecedent is not None:
            ante_mention, ante_head = antecedent
            kind = mention.kind
            if _is_anaphor(parse, lex, f.source) or _names_same_source(parse, lex, f.source):
                kind = ante_mention.kind
            mention = Mention(
                mention.span,
                kind,
                resolved=ante_mention.resolved or ante_mention.span,
                description=mention.description or ante_mention.description,
            )
            earlier = next((g for g, m, _ in history if m is ante_mention), None)
            if f.via is None and earlier is not None:
                f.via = earlier.via  # "ces mêmes sources" are still relayed by the same outlet
            if "continuation" not in f.constructions and _is_continuation(parse, lex, f):
                f.constructions.append("continuation")
            elif _is_anaphor(parse, lex, f.source):
                f.constructions.append(
                    "pronoun"
                    if lower(f.source).lstrip("-") in _bare(lex.pronouns)
                    or is_relative(lex, f.source)
                    else "demonstrative"
                )
            history.append((f, mention, ante_head))
        else:
            history.append((f, mention, f.source))
        mentions.append(mention)
    return mentions


def describe(parse: Parse, lex: Lexicon, head: Token, kind_hint: str | None = None) -> Mention:
    toks = mention_tokens(parse, head) or [head]
    maker = next(
        (
            c
            for c in parse.children(head.i)
            if names_maker(parse, c) and c.lemma.lower() not in lex.relay_verbs
        ),
        None,
    )
    document = "document" in (lex.kind_of_word(head.lemma.lower()), lex.kind_of_word(lower(head)))
    if document and maker is not None and maker.i == toks[-1].i + 1:
        toks = [*toks, *parse.subtree(maker)]  # "le bilan dressé par le ministère": its maker
    before = parse.tokens[toks[0].i - 1] if toks[0].i > 0 else None
    ahead = parse.tokens[before.i - 1] if before is not None and before.i > 0 else None
    genitive = ahead is not None and ahead.upos in ("NOUN", "ADJ")  # "avis des élus"
    if (
        before is not None
        and before.head == head.i
        and lower(before) in lex.partitive_articles
        and not genitive
    ):
        toks = [before, *toks]  # "des habitants": a speaker is never a "de" phrase itself
    before = parse.tokens[toks[0].i - 1] if toks[0].i > 0 else None
    if before is not None and before.sent == head.sent and lower(before) in lex.titles:
        toks = [before, *toks]  # "Me Dupond", "Mgr Durand": the title is part of the name
    span = span_of(parse, toks)
    assert span is not None
    if span.text.startswith("-"):  # "a-t-il": the pronoun is "il"
        span = Span(span.start + 1, span.end, span.text[1:])
    else:
        span = with_acronym(parse.text, whole_words(parse.text, span))
        elided = next(
            (c for c in lex.complementizers if c.endswith("'") and lower_text(span).startswith(c)),
            None,
        )
        if elided is not None:  # "qu'un secouriste": the "que" opens the clause, not the name
            span = Span(span.start + len(elided), span.end, span.text[len(elided) :])
    desc = description_tokens(parse, head, lex.description_heads)
    kind = SourceKind(kind_hint) if kind_hint else classify(parse, lex, head, toks)
    return Mention(span, kind, description=span_of(parse, desc) if desc else None)


_BODY_KINDS = {
    SourceKind.OFFICIAL,
    SourceKind.ARMED_GROUP,
    SourceKind.ORGANIZATION,
    SourceKind.OUTLET,
}


def lower_text(span: Span) -> str:
    return span.text.lower().replace("’", "'")


def classify(
    parse: Parse, lex: Lexicon, head: Token, toks: list[Token], depth: int = 0
) -> SourceKind:
    words = [lower(t) for t in toks]
    lemma = head.lemma.lower()
    dets = [lower(c) for c in parse.children(head.i) if c.rel == "det"]
    if set(dets) & lex.self_determiners and (
        lemma in lex.self_nouns or lower(head) in lex.self_nouns
    ):
        return SourceKind.PUBLISHER_SELF
    if lower(head).lstrip("-") in _bare(lex.pronouns) or head.upos == "PRON":
        if lower(head) in lex.indefinite_quantifiers:
            return SourceKind.ANONYMOUS  # "certains affirment que …"
        if lower(head) in lex.neuter_pronouns:
            return SourceKind.ORGANIZATION  # "It said": a body, until resolved
        return SourceKind.PERSON
    owner = _genitive_complement(parse, lex, head) if depth < 2 else None
    if owner is not None and lemma in lex.voice_nouns:  # "les dires de deux agents"
        return classify(parse, lex, owner, mention_tokens(parse, owner), depth + 1)
    if owner is not None and lemma in lex.spokesperson_nouns:  # "un porte-parole de l'armée"
        owner_kind = classify(parse, lex, owner, mention_tokens(parse, owner), depth + 1)
        if owner_kind in _BODY_KINDS:
            return owner_kind
    text = " ".join(words)
    for kind in ("social_media", "document", "witness"):
        vocab = lex.source_kinds.get(kind, frozenset())
        if lemma in vocab or lower(head) in vocab or any(" " in w and w in text for w in vocab):
            return SourceKind(kind)
    named = _personal_name(parse, head)
    if lemma in lex.always_anonymous:
        return SourceKind.ANONYMOUS
    indefinite = (
        not dets
        or bool(set(dets) & lex.anonymous_determiners)
        or bool(set(words) & lex.indefinite_quantifiers)
    )
    human = (
        head.upos == "NOUN"
        and lemma not in lex.collective_nouns  # "une ONG" is an organization, unnamed
        and (
            lemma in lex.source_kinds.get("anonymous", frozenset())
            or lemma in lex.view_holder_nouns
        )
    )
    if indefinite and human and not named:
        return SourceKind.ANONYMOUS  # "un diplomate occidental", "de nombreux analystes"
    for kind in ("outlet", "armed_group", "official", "organization"):
        vocab = lex.source_kinds.get(kind, frozenset())
        if lemma in vocab or lower(head) in vocab or any(" " in w and w in text for w in vocab):
            return SourceKind(kind)
    if (named or head.upos == "PROPN") and any(
        t.upos == "PROPN" and lower(t) in lex.outlet_name_words for t in toks
    ):
        return SourceKind.OUTLET  # "al-Hadath News", "Syria TV"
    if head.ent == "LOC":  # "l'Égypte a affirmé": a state speaks through its government
        return SourceKind.OFFICIAL
    if head.ent == "PER" or (head.upos == "PROPN" and head.ent not in ("ORG", "MISC")):
        role = _role_in_article(parse, lex, head) if depth == 0 else None
        return role or SourceKind.PERSON
    if head.ent == "ORG" or head.upos == "PROPN":
        role = _role_in_article(parse, lex, head) if depth == 0 else None
        return role or SourceKind.ORGANIZATION  # "Thune", named "Senate Whip John Thune" before
    if lemma in lex.source_kinds.get("anonymous", frozenset()):
        return SourceKind.OFFICIAL
    return SourceKind.PERSON


def _genitive_complement(parse: Parse, lex: Lexicon, head: Token) -> Token | None:
    """The "de" complement of a noun: "l'armée" of "un porte-parole de l'armée"."""
    for child in parse.children(head.i):
        marks = {lower(c) for c in parse.children(child.i) if c.rel == "case"}
        if child.rel == "nmod" and child.i > head.i and marks & lex.genitive_prepositions:
            return child
    return None


def _role_in_article(parse: Parse, lex: Lexicon, head: Token) -> SourceKind | None:
    """What the article says a named person is, wherever it names them with a role ("le
    ministre du Travail, Michel Sapin" … "Michel Sapin a ajouté"): the kind of that role,
    when it is an office or a body's."""
    name = max(
        (t for t in parse.children(head.i) if t.upos == "PROPN" and t.i > head.i),
        key=lambda t: t.i,
        default=head,
    )
    for tok in parse.tokens:
        if tok.text != name.text or tok.upos != "PROPN":
            continue
        top = tok
        while top.rel in ("flat", "flat:name") and top.head is not None:
            top = parse.tokens[top.head]
        governor = parse.head(top)
        roles = [  # "le ministre, X" / "Senate chairman X" / "Sen. X"
            c
            for c in parse.children(top.i)
            if (c.rel == "appos" and c.upos == "NOUN")
            or (c.rel == "compound" and c.i < top.i)
            or (c.i < top.i and lower(c) in lex.titles)
        ]
        if governor is not None and governor.upos == "NOUN" and top.rel in ("appos", "nmod"):
            roles.append(governor)
        for role in roles:
            role_kind = classify(parse, lex, role, mention_tokens(parse, role), depth=1)
            if role_kind in (SourceKind.OFFICIAL, SourceKind.ARMED_GROUP):
                return role_kind  # a named union leader or company head stays a person
    return None


def _personal_name(parse: Parse, head: Token) -> bool:
    """A person's name on the head: "le préfet, Laurent Mazières", "Abou Khaled"."""
    if head.upos == "PROPN":
        return True
    return any(
        c.upos == "PROPN"
        and c.rel in ("appos", "flat", "flat:name", "nmod")
        and c.ent in ("PER", "")
        and not any(x.rel == "case" for x in parse.children(c.i))
        for c in parse.children(head.i)
    )


def _bare(words: frozenset[str]) -> set[str]:
    return {w.lstrip("-") for w in words}


def _is_anaphor(parse: Parse, lex: Lexicon, head: Token) -> bool:
    word = lower(head).lstrip("-")
    if word in _bare(lex.pronouns) or word in lex.demonstrative_pronouns:
        return True
    if is_relative(lex, head):
        return True
    dets = [c for c in parse.children(head.i) if c.rel == "det"]
    demonstrative = any(
        c.feat("PronType") == "Dem" or lower(c) in lex.demonstrative_determiners for c in dets
    )
    return demonstrative or (head.lemma.lower() in lex.demonstrative_adjectives and bool(dets))


def _is_bare_definite(parse: Parse, lex: Lexicon, head: Token) -> bool:
    """ "le journal", "l'ONG", "le technicien": a definite description that names no one,
    so it points back to someone named before."""
    if head.upos != "NOUN" or head.feat("Number") == "Plur":
        return False  # "les médias israéliens" is a class, not someone named before
    toks = mention_tokens(parse, head)
    if any(t.upos == "PROPN" or t.ent for t in toks) or len(toks) > 4:
        return False
    dets = [lower(c) for c in parse.children(head.i) if c.rel == "det"]
    if not dets or dets[0] not in lex.definite_determiners:
        return False
    return not any(c.rel == "nmod" or names_maker(parse, c) for c in parse.children(head.i))


def _can_speak(lex: Lexicon, parse: Parse, tok: Token) -> bool:
    """Whether a noun phrase can be the antecedent of a speaker: one that can speak
    (`capability.can_speak`), and not a document or a post."""
    kind = lex.kind_of_word(tok.lemma.lower()) or lex.kind_of_word(lower(tok))
    return kind not in ("document", "social_media") and can_speak(parse, lex, tok)


def _names_same_source(parse: Parse, lex: Lexicon, head: Token) -> bool:
    """ "la même source", "ces mêmes sources": a continuation phrase, not a name."""
    words = [lower(t) for t in mention_tokens(parse, head)]
    return any(
        words[k : k + len(p)] == list(p)
        for p in lex.continuation_phrases
        for k in range(len(words))
    )


def _is_continuation(parse: Parse, lex: Lexicon, f: Finding) -> bool:
    if f.continuation:
        return True
    assert f.source is not None
    return _names_same_source(parse, lex, f.source)


def _antecedent(
    parse: Parse,
    lex: Lexicon,
    f: Finding,
    mention: Mention,
    history: list[tuple[Finding, Mention, Token]],
) -> tuple[Mention, Token] | None:
    assert f.source is not None
    head = f.source
    if _is_continuation(parse, lex, f):
        earlier = [
            (m, h) for g, m, h in history if f.sentence - g.sentence <= CONTINUATION_SENTENCES
        ]
        same = [(m, h) for m, h in earlier if h.lemma.lower() == head.lemma.lower()]
        if same:
            return same[-1]
        if _names_same_source(parse, lex, head) or _is_anaphor(parse, lex, head):
            return earlier[-1] if earlier else None
        return None
    cand: Token | None = None
    word = lower(head).lstrip("-")
    if is_relative(lex, head):  # "X, qui affirme …", "un élu, selon lequel …"
        cand = antecedent_of_relative(parse, lex, head)
    elif word in _bare(lex.pronouns):
        people = {SourceKind.PERSON, SourceKind.WITNESS, SourceKind.ANONYMOUS}
        recent = [
            (m, h)
            for m, h in _recent_sources(f, head, history)
            if not (word in lex.neuter_pronouns and m.kind in people)  # "It said": a body
        ]
        if recent:
            return recent[-1]  # the last source spoken of is the likeliest
        cand = _last_before(
            parse,
            head,
            lambda t: t.rel == "nsubj" and _agrees(head, t) and _can_speak(lex, parse, t),
        )
    elif _is_anaphor(parse, lex, head):  # "celui-ci", "ce dernier", "ce groupuscule"
        if head.lemma.lower() in lex.demonstrative_adjectives or word in lex.demonstrative_pronouns:
            cand = _last_before(
                parse,
                head,
                lambda t: _agrees(head, t) and _can_speak(lex, parse, t),
                same_sentence=True,
            )
        else:
            cand = _last_before(parse, head, lambda t: t.lemma.lower() == head.lemma.lower(), 8)
            if cand is None and head.lemma.lower() in lex.always_anonymous:
                # "cette source": the last source spoken of, whatever its gender
                recent = _recent_sources(f, head, history, ("Number",))
                if recent:
                    return recent[-1]
            cand = cand or _last_before(  # a noun's gender is the word's, not its referent's
                parse,
                head,
                lambda t: (
                    t.rel == "nsubj" and _agrees(head, t, ("Number",)) and _can_speak(lex, parse, t)
                ),
            )
    elif _is_bare_definite(parse, lex, head):  # "le journal" after "le quotidien An-Nahar"
        kind = mention.kind
        earlier = [(m, h) for g, m, h in history if f.sentence - g.sentence <= 8 and h.i < head.i]
        size = len(mention_tokens(parse, head))
        for m, h in reversed(earlier):  # the same noun, said more fully before
            if h.lemma.lower() == head.lemma.lower() and len(mention_tokens(parse, h)) > size:
                return m, h
        fuller = _last_before(
            parse,
            head,
            lambda t: (
                t.lemma.lower() == head.lemma.lower() and len(mention_tokens(parse, t)) > size
            ),
            8,
        )
        if fuller is not None:
            return describe(parse, lex, fuller), fuller
        if kind is SourceKind.OFFICIAL and head.lemma.lower() not in lex.spokesperson_nouns:
            return None  # "la gendarmerie": a state's body; "le porte-parole" speaks for one
        named_kinds = {kind}
        if kind is SourceKind.OUTLET:  # outlets are only known as such after linking
            named_kinds |= {SourceKind.ORGANIZATION, SourceKind.PERSON}
        for m, h in reversed(earlier):
            if m.kind in named_kinds and any(t.upos == "PROPN" for t in mention_tokens(parse, h)):
                return m, h
        if kind is SourceKind.DOCUMENT:
            return None  # "le rapport" is no person or body named before
        cand = _last_before(
            parse,
            head,
            lambda t: (
                t.upos == "PROPN"
                and t.rel not in ("flat", "flat:name")
                and (t.ent in ("PER", "ORG") or kind is SourceKind.OUTLET)
                and lower(t) not in lex.editorial_notes
            ),
            5,
        )
    if cand is None:
        return None
    return describe(parse, lex, cand), cand


def _recent_sources(
    f: Finding,
    head: Token,
    history: list[tuple[Finding, Mention, Token]],
    feats: tuple[str, ...] = ("Number", "Gender"),
) -> list[tuple[Mention, Token]]:
    """The sources spoken of in the few sentences before an anaphor, that agree with it."""
    return [
        (m, h)
        for g, m, h in history
        if f.sentence - g.sentence <= LOOKBACK_SENTENCES
        and h.sent < head.sent
        and _agrees(head, h, feats)
    ]


def _agrees(anaphor: Token, cand: Token, feats: tuple[str, ...] = ("Number", "Gender")) -> bool:
    for feat in feats:
        a, c = anaphor.feat(feat), cand.feat(feat)
        if a and c and a != c:
            return False
    return cand.upos in ("NOUN", "PROPN")


def _last_before(
    parse: Parse,
    head: Token,
    check: Callable[[Token], bool],
    sentences: int = LOOKBACK_SENTENCES,
    same_sentence: bool = False,
) -> Token | None:
    """The closest noun before `head` (within a few sentences) that passes `check`."""
    first_sent = max(0, head.sent - sentences)
    for k in range(head.i - 1, -1, -1):
        tok = parse.tokens[k]
        if tok.sent < first_sent:
            break
        if (tok.sent == head.sent and not same_sentence) or tok.upos not in ("NOUN", "PROPN"):
            continue
        while tok.rel in ("flat", "flat:name") and tok.head is not None:
            tok = parse.tokens[tok.head]  # "Abou Omar al-Homsi": the name's head
        if check(tok):
            return tok
    return None
