"""Cue rules: each finds one construction of reported speech in one sentence.

A rule returns `Finding`s: the cue words, the head of the source (if any), the words of
the claim, and the name of the construction. Resolution (pronouns, continuations,
relays) and classification happen afterwards, over all findings of the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from attribution.extract.capability import can_speak
from attribution.extract.spans import claim_tokens, mention_tokens, trim
from attribution.extract.tags import clitic_subject, origin_after, subject_after, time_word
from attribution.lexicon import Lexicon, Phrase
from attribution.model import CueType, Parse, Sentence, Token


@dataclass
class Finding:
    sentence: int
    cue: list[Token]
    cue_type: CueType
    lemma: str
    claim: list[Token]
    source: Token | None
    rule: str
    confidence: float
    continuation: bool = False
    via: Token | None = None
    kind_hint: str | None = None
    constructions: list[str] = field(default_factory=list)


def lower(tok: Token) -> str:
    return tok.text.lower().replace("’", "'")


def match_phrase(toks: Sequence[Token], k: int, phrase: Phrase) -> bool:
    return phrase_end(toks, k, phrase, skip_adverbs=False) is not None


def phrase_end(
    toks: Sequence[Token], k: int, phrase: Phrase, skip_adverbs: bool = True
) -> int | None:
    """Where `phrase` ends if it starts at k; adverbs may come between its words
    ("il serait même question")."""
    j = k
    for n, word in enumerate(phrase):
        while (
            skip_adverbs
            and n
            and j < len(toks)
            and toks[j].upos == "ADV"
            and lower(toks[j]) != word
        ):
            j += 1
        if j >= len(toks) or lower(toks[j]) != word:
            return None
        j += 1
    return j


def speech_lemma(tok: Token, lex: Lexicon, parse: Parse | None = None) -> str | None:
    """The speech verb a token is, by its lemma or, failing that, its form."""
    if tok.upos not in ("VERB", "AUX", "NOUN", "ADJ", "PROPN"):
        return None
    lemma = tok.lemma.lower()
    if lemma in lex.speech_verbs and tok.upos in ("VERB", "AUX"):
        return lemma
    if (
        lemma in lex.content_verbs | lex.count_verbs
        and tok.upos == "VERB"
        and (_gives_content(parse, lex, tok) or _ends_as_a_tag(parse, lex, tok))
    ):
        return lemma
    form = lower(tok).lstrip("-")
    guessed = lex.verb_forms.get(form)
    if guessed and tok.upos in ("VERB", "AUX", "NOUN", "ADJ", "PROPN"):
        return guessed
    reflexive = lemma if lemma in lex.reflexive_speech_verbs else lex.reflexive_verb_forms.get(form)
    if reflexive and parse is not None and reflexive_clitic(parse, tok) is not None:
        return reflexive
    return None


def reflexive_clitic(parse: Parse, verb: Token) -> Token | None:
    """The "s'" of "s'est félicité", "se félicite"."""
    return next(
        (c for c in parse.children(verb.i) if c.i < verb.i and c.feat("Reflex") == "Yes"), None
    )


def _ends_as_a_tag(parse: Parse | None, lex: Lexicon, verb: Token) -> bool:
    """ "…, recense l'institut.": after a comma, with a speaker after it (subject or, as the
    parser often has it, object) that ends the sentence; what it gives is the clause before."""
    if parse is None or verb.i == 0 or parse.tokens[verb.i - 1].text not in _TAG_OPENERS:
        return False
    for c in parse.children(verb.i):
        if c.rel in ("nsubj", "obj") and c.i > verb.i and can_speak(parse, lex, c):
            return _ends_sentence(parse, max(t.i for t in parse.subtree(c)))
    return False


def _ends_sentence(parse: Parse, k: int) -> bool:
    """Whether only punctuation follows token k in its sentence."""
    last = parse.sentences[parse.tokens[k].sent].last
    return all(t.upos == "PUNCT" for t in parse.tokens[k + 1 : last])


def _gives_content(parse: Parse | None, lex: Lexicon, verb: Token) -> bool:
    """ "a donné un bilan", "le chiffre a été fourni", "a recensé 183 cas": the verb's
    object (or passive subject) is words or figures, and not "aucun bilan"."""
    if parse is None:
        return False
    for given in parse.children(verb.i):
        if given.deprel not in ("obj", "nsubj:pass"):
            continue
        if any(lower(c) in lex.negative_determiners for c in parse.children(given.i)):
            return False
        figures = any(t.upos == "NUM" for t in parse.subtree(given))
        if verb.lemma.lower() in lex.count_verbs:
            return figures
        said = figures or any(  # "un bilan de trois morts"; "une autre version" says nothing yet
            c.rel in ("nmod", "acl", "nummod", "appos", "ccomp")
            or lower(c) not in lex.anonymous_determiners
            for c in parse.children(given.i)
            if c.rel != "amod"
        )
        return _words_noun(lex, given) and said
    return False


# Relations of the English model's scheme (ClearNLP) that are a UD relation the rules ask for.
_SAME_RELATION = {"obj": ("dobj",), "nsubj:pass": ("nsubjpass",), "obl": ("prep",)}


def children(parse: Parse, tok: Token, *rels: str) -> list[Token]:
    wanted = set(rels).union(*(_SAME_RELATION.get(r, ()) for r in rels))
    return [c for c in parse.children(tok.i) if c.deprel in wanted or c.rel in wanted]


def subject_of(parse: Parse, lex: Lexicon, verb: Token) -> Token | None:
    subj = children(parse, verb, "nsubj")
    for s in subj:
        if lower(s) in lex.euphonic_words:  # "a-t-il", "a-t-on": the pronoun follows the "-t"
            after = parse.tokens[s.i + 1] if s.i + 1 < len(parse.tokens) else None
            if after is not None and after.upos == "PRON":
                return after
    real = [s for s in subj if lower(s) not in lex.euphonic_words]
    if real:
        return real[-1]
    passive = any(c.deprel in ("aux:pass", "expl:pass") for c in parse.children(verb.i))
    expletive = [c for c in parse.children(verb.i) if c.deprel == "expl:subj" and c.i < verb.i]
    if expletive and not passive and lower(expletive[0]) in lex.pronouns:
        return expletive[0]  # "Il a indiqué que …": a person, not the impersonal "il"
    return None


def clause_head(parse: Parse, tok: Token) -> Token:
    """The predicate a prepositional phrase belongs to: climb through nominal heads."""
    cur = tok
    for anc in parse.ancestors(tok):
        cur = anc
        if anc.upos in ("VERB", "AUX", "ADJ") or anc.head is None:
            break
    return cur


OBJECT_CLAIM_CONFIDENCE = 0.6  # "a démenti cette information": a noun, not a clause, is said


# --- prepositional cues: selon X, d'après X, à en croire X, de source X -------------


def prepositional(parse: Parse, sent: Sentence, lex: Lexicon) -> Iterator[Finding]:
    toks = parse.sentence_tokens(sent)
    for k, _tok in enumerate(toks):
        for group, phrases in lex.source_prepositions.items():
            phrase = next((p for p in phrases if match_phrase(toks, k, p)), None)
            if phrase is not None:
                cue = list(toks[k : k + len(phrase)])
                finding = _preposition_finding(parse, sent, lex, toks, k, cue, group)
                if finding:
                    yield finding
                break
        for phrase in lex.source_infinitives:
            if match_phrase(toks, k, phrase):
                cue = list(toks[k : k + len(phrase)])
                verb = cue[-1]
                objs = children(parse, verb, "obj", "nsubj", "obl")
                if objs:
                    src = objs[0]
                    clause = clause_head(parse, verb)
                    claim = claim_tokens(parse, clause, parse.subtree(verb) + cue)
                    yield Finding(
                        sent.index,
                        cue,
                        CueType.PREPOSITION,
                        "à en croire",
                        claim,
                        src,
                        "a_en_croire",
                        0.8,
                        constructions=["a_en_croire"],
                    )
        for phrase in lex.source_noun_phrases:
            if match_phrase(toks, k, phrase):
                noun = toks[k + len(phrase) - 1]
                head = parse.head(noun)
                back = k - 1  # "a-t-on appris (samedi) de source …"
                while back > 0 and (toks[back].upos == "ADV" or time_word(lex, toks[back])):
                    back -= 1
                after_verb = k > 0 and toks[back].upos == "VERB"
                attached = (
                    noun.rel in ("obl", "advmod") and head is not None and head.upos == "VERB"
                )
                if not (attached or after_verb) or head is None:
                    continue  # "un réseau de sources" is not a cue
                clause = toks[back] if after_verb and not attached else clause_head(parse, noun)
                claim = _claim_of_clause(parse, lex, clause, parse.subtree(noun))
                if claim:
                    yield Finding(
                        sent.index,
                        [toks[k], noun],
                        CueType.PREPOSITION,
                        "de source",
                        claim,
                        noun,
                        "de_source",
                        0.8,
                        constructions=["de_source"],
                    )


def _claim_of_clause(parse: Parse, lex: Lexicon, clause: Token, phrase: list[Token]) -> list[Token]:
    """The claim a cue phrase modifies: the clause without the phrase or, when the clause
    is itself a speech verb ("…, a-t-on appris de source policière", "De source militaire,
    on indique que …"), what that verb reports."""
    lemma = speech_lemma(clause, lex)
    if lemma is not None:
        aux = [c for c in parse.children(clause.i) if c.rel == "aux" and c.i < clause.i]
        subject = subject_of(parse, lex, clause)
        tagged = _inverted_claim(parse, lex, clause, subject, [*aux, clause])
        if tagged:
            return tagged
        reported, _, _ = _verb_claim(parse, lex, clause, lemma, subject)
        if reported:
            return reported
    return claim_tokens(parse, clause, phrase)


def _preposition_finding(
    parse: Parse,
    sent: Sentence,
    lex: Lexicon,
    toks: Sequence[Token],
    k: int,
    cue: list[Token],
    group: str,
) -> Finding | None:
    after = toks[k + len(cue)] if k + len(cue) < len(toks) else None
    if after is None or lower(after) in lex.not_after_preposition:
        return None  # "c'est selon.", "selon que …"
    obj = _object_of(parse, cue)
    if obj is None or obj.sent != sent.index:
        return None
    words_of: Token | None = None  # "les informations (d'un journal) selon lesquelles …"
    if is_relative(lex, obj):  # "un élu, selon lequel …"
        antecedent = antecedent_of_relative(parse, lex, obj)
        if antecedent is None:
            return None
        if _words_noun(lex, antecedent):
            words_of = antecedent
        elif not can_speak(parse, lex, antecedent):
            return None
    elif obj.lemma.lower() in lex.criterion_nouns or lower(obj) in lex.criterion_nouns:
        return None  # "selon les critères"
    elif not can_speak(parse, lex, obj):
        return None  # "d'après la saison", "selon l'intensité": no one speaks
    clause = clause_head(parse, obj)
    if clause.lemma.lower() in lex.criterion_verbs:
        return None  # "les prix varient selon la saison"
    phrase = parse.subtree(obj)
    claim = []
    relative_clause = parse.head(obj) if is_relative(lex, obj) else None
    if relative_clause is not None:  # "… selon lequel les faits sont prescrits"
        claim = [t for t in claim_tokens(parse, relative_clause, phrase + cue) if t.i > obj.i]
    elif clause.i != obj.i and clause.i not in {t.i for t in phrase}:
        claim = claim_tokens(parse, clause, phrase + cue)
    if not claim:  # the parser lost the clause: take the words on the other side of the comma
        claim = _claim_beside(parse, sent, cue, mention_tokens(parse, obj))
    if not claim:
        return None
    if words_of is not None:  # hearsay, unless the words are someone's ("les dires de X")
        owner = next(
            (
                c
                for c in parse.children(words_of.i)
                if c.rel == "nmod" and c.i > words_of.i and can_speak(parse, lex, c)
            ),
            None,
        )
        if owner is not None and words_of.lemma.lower() not in lex.voice_nouns | lex.speech_nouns:
            return None  # "l'argument de la défense selon lequel": an argument, not words said
        return Finding(
            sent.index,
            [*cue, obj],
            CueType.PREPOSITION if owner else CueType.HEARSAY,
            " ".join(lower(t) for t in cue),
            claim,
            owner,
            "selon_relative" if owner else "hearsay",
            0.7 if owner else 0.6,
            kind_hint=None if owner else "unnamed",
            constructions=["selon_relative" if owner else "hearsay"],
        )
    before = toks[k - 1] if k else None
    continuation = before is not None and lower(before) in lex.continuation_adverbs
    position = "selon_preposed" if claim[0].i > obj.i else "selon_postposed"
    name = position if group == "selon" else group
    constructions = [name] + (["continuation"] if continuation else [])
    return Finding(
        sent.index,
        cue,
        CueType.PREPOSITION,
        " ".join(lower(t) for t in cue),
        claim,
        obj,
        name,
        0.9,
        continuation=continuation,
        constructions=constructions,
    )


def is_relative(lex: Lexicon, tok: Token) -> bool:
    return tok.feat("PronType") == "Rel" or (
        tok.upos == "PRON" and lower(tok) in lex.relative_pronouns
    )


def antecedent_of_relative(parse: Parse, lex: Lexicon, pronoun: Token) -> Token | None:
    """The noun a relative clause hangs on ("l'argument de la défense selon lequel …"), or,
    when the parser did not make it one, the noun before the cue ("un élu, selon lequel"),
    or the noun of words it complements ("les informations du journal X selon lesquelles")."""
    clause = parse.head(pronoun)
    hung = clause is not None and clause.deprel == "acl:relcl"
    first = parse.sentences[pronoun.sent].first
    near = (
        parse.head(clause)
        if hung and clause is not None
        else next(
            (t for t in reversed(parse.tokens[first : pronoun.i]) if t.upos in ("NOUN", "PROPN")),
            None,
        )
    )
    top = near  # "un habitant de Gao, selon lequel": the phrase's head, not its complement
    while top is not None and top.rel in ("nmod", "flat", "appos", "compound"):
        head = parse.head(top)
        if head is None or head.upos not in ("NOUN", "PROPN"):
            break
        top = head
        if _words_noun(lex, top):
            return top
    return near if hung else top


def _words_noun(lex: Lexicon, noun: Token) -> bool:
    """ "l'information", "les propos", "la déclaration": words, not a speaker ("une source"
    is both)."""
    lemma = noun.lemma.lower()
    words = lex.content_nouns | lex.voice_nouns | lex.speech_nouns
    return lemma in words and lemma not in lex.always_anonymous


_TIMESTAMP = re.compile(r"^\d{1,2}[h:.]\d{0,2}$")


def _claim_beside(
    parse: Parse, sent: Sentence, cue: list[Token], mention: list[Token]
) -> list[Token]:
    """The rest of the sentence, when "selon X" opens or closes it."""
    toks = parse.sentence_tokens(sent)
    start = cue[0].i
    end = max(t.i for t in [*cue, *mention])
    if all(
        t.upos in ("PUNCT", "NUM", "SYM") or _TIMESTAMP.match(t.text) for t in toks if t.i < start
    ):
        rest = [t for t in toks if t.i > end]
    elif all(t.upos == "PUNCT" for t in toks if t.i > end):
        rest = [t for t in toks if t.i < start]
    else:
        return []
    return trim(rest)


def _object_of(parse: Parse, cue: list[Token]) -> Token | None:
    """The noun a preposition introduces: its head when it is a `case` marker."""
    for tok in cue:
        head = parse.head(tok)
        if tok.rel in ("case", "fixed", "mark") and head is not None and head not in cue:
            if head.rel == "fixed":
                continue
            return head
    last = cue[-1]
    nxt = [t for t in parse.children(last.i) if t.i > last.i]
    return nxt[0] if nxt else None


# --- "pour X, …" when X can hold a view -------------------------------------------


def view(parse: Parse, sent: Sentence, lex: Lexicon) -> Iterator[Finding]:
    toks = parse.sentence_tokens(sent)
    for _k, tok in enumerate(toks):
        if lower(tok) not in lex.view_prepositions or tok.rel != "case":
            continue
        holder = parse.head(tok)
        if holder is None or holder.rel not in ("obl", "nmod", "advmod", "dep"):
            continue
        lemma = holder.lemma.lower()
        if lemma in lex.not_view_holder:
            continue
        capable = (
            lemma in lex.view_holder_nouns
            or lower(holder) in lex.view_holder_pronouns
            or holder.ent in ("PER", "ORG")
            or holder.upos == "PROPN"
            or lex.kind_of_word(lemma) in ("outlet", "official", "organization", "armed_group")
        )
        if not capable:
            continue
        phrase = parse.subtree(holder)
        end = max(t.i for t in phrase if t.text != ",")  # its own closing comma aside
        followed_by_comma = end + 1 < sent.last and parse.tokens[end + 1].text == ","
        if not followed_by_comma:
            continue
        clause = clause_head(parse, holder)
        if clause.i in {t.i for t in phrase}:
            continue
        claim = claim_tokens(parse, clause, phrase)
        if claim and claim[0].i > end:
            yield Finding(
                sent.index,
                [tok],
                CueType.PREPOSITION,
                "pour",
                claim,
                holder,
                "pour_view",
                0.7,
                constructions=["pour_view"],
            )


# --- speech verbs -------------------------------------------------------------------


def incise(parse: Parse, lex: Lexicon, verb: Token) -> list[Token]:
    """ "« Nous partirons, dit-il, dès l'aube »": a speech tag with a clitic subject set
    inside a quotation after a comma; its words, or [] when the verb is not one."""
    if speech_lemma(verb, lex) is None:
        return []
    aux = [c for c in parse.children(verb.i) if c.rel == "aux" and c.i < verb.i]
    first = aux[0] if aux else verb
    clitic = clitic_subject(parse, lex, first, verb)
    before = parse.tokens[first.i - 1] if first.i > 0 else None
    if clitic is None or before is None or before.text != ",":
        return []
    return list(parse.tokens[first.i : max(verb.i, clitic.i) + 1])


def speech_verbs(
    parse: Parse, sent: Sentence, lex: Lexicon, inside_quote: set[int]
) -> Iterator[Finding]:
    for tok in parse.sentence_tokens(sent):
        if tok.i in inside_quote:
            continue
        phrase = _speech_phrase(parse, lex, tok)
        if phrase:
            finding = _phrase_finding(parse, sent, lex, tok, phrase)
        else:
            lemma = speech_lemma(tok, lex, parse)
            if lemma is None or lemma in lex.relay_verbs:
                continue
            finding = _verb_finding(parse, sent, lex, tok, lemma)
        if finding:
            yield finding


def _speech_phrase(parse: Parse, lex: Lexicon, verb: Token) -> list[Token]:
    """ "fait état de", "a fait savoir que", "croit savoir que", "met en garde contre"."""
    if verb.upos not in ("VERB", "AUX"):
        return []
    lemma = verb.lemma.lower()
    for phrase in lex.speech_phrases:
        if phrase[0] not in (lemma, lex.phrase_verb_forms.get(lower(verb))):
            continue  # "laisse entendre" with "laisse" for a lemma
        rest = parse.tokens[verb.i + 1 : verb.i + len(phrase)]
        if len(rest) == len(phrase) - 1 and all(
            lower(t) == w for t, w in zip(rest, phrase[1:], strict=True)
        ):
            return [verb, *rest]
    return []


def _phrase_finding(
    parse: Parse, sent: Sentence, lex: Lexicon, verb: Token, phrase: list[Token]
) -> Finding | None:
    last = phrase[-1]
    aux = [c for c in parse.children(verb.i) if c.rel == "aux" and c.i < verb.i]
    source = _preverbal_subject(parse, lex, verb)
    claim = _que_clause(parse, lex, last)
    if not claim:
        rest = [t for t in parse.sentence_tokens(sent) if t.i > last.i]
        while rest and lower(rest[0]) in lex.phrase_particles:
            rest = rest[1:]  # "fait état de …", "met en garde contre …"
        openers = {p[0] for ps in lex.source_prepositions.values() for p in ps}
        for k in range(1, len(rest)):  # "fait état de sept cas, selon X": X's own record
            if rest[k - 1].text == "," and lower(rest[k]) in openers:
                rest = rest[: k - 1]
                break
        claim = trim(rest)
    if not claim or source is None:
        return None
    lemma = " ".join(lower(t) if k else t.lemma.lower() for k, t in enumerate(phrase))
    cue = sorted([*aux, *phrase], key=lambda t: t.i)
    return Finding(
        sent.index,
        cue,
        CueType.VERB,
        lemma,
        claim,
        source,
        "verb_preposed",
        0.8,
        constructions=["verb_preposed"],
    )


def _verb_finding(
    parse: Parse, sent: Sentence, lex: Lexicon, verb: Token, lemma: str
) -> Finding | None:
    aux = [c for c in parse.children(verb.i) if c.rel == "aux" and c.i < verb.i]
    if not aux:  # "a-t-elle martelé" with the auxiliary hung on the pronoun
        k = verb.i - 1
        while k >= sent.first and _inverted_clitic(parse, k):
            k -= 1
        glued = list(parse.tokens[k + 1 : verb.i])
        aux = glued if glued and glued[0].upos == "AUX" else []
    if lemma in lex.reflexive_speech_verbs:
        aux += [c for c in [reflexive_clitic(parse, verb)] if c is not None]
    cue = sorted([*aux, verb], key=lambda t: t.i)
    tagged = (
        []
        if _reports_a_clause(parse, lex, verb)
        else _inverted_claim(parse, lex, verb, _subject_before_incise(parse, verb), cue)
    )
    shaped = _passive(parse, sent, lex, verb, lemma, cue) or _comparison_tag(
        parse, sent, lex, verb, lemma, cue
    )
    if shaped is not None:  # "confirmée par X", "comme l'a dit X": read by their shape
        return shaped
    nominal_use = verb.deprel in ("amod", "acl", "nmod", "obl", "nsubj", "obj", "det", "case")
    reports = verb.rel == "acl" and (children(parse, verb, "ccomp") or _que_after(parse, lex, verb))
    if nominal_use and not reports and not (tagged and verb.feat("VerbForm") != "Part"):
        return None  # "le projet annoncé", "des sources citées": not a saying
    if _present_participle(verb):
        return _participial(parse, sent, lex, verb, lemma)
    subject_follows = any(c.rel == "nsubj" and c.i > verb.i for c in parse.children(verb.i))
    if (
        not aux
        and verb.feat("VerbForm") == "Part"
        and clitic_subject(parse, lex, verb, verb) is None
        and not (tagged and subject_follows)  # "« … », écrit l'ONG": a present, not a participle
        and not reports  # "Le gouvernement, de son côté, avertit que …", tagged a participle
        and not _clitic_before(parse, lex, verb)  # "il avertit que …": no participle has "il"
        and _sharing_auxiliary(parse, verb) is None  # "X a dénoncé A et indiqué que B"
    ):
        return None  # a bare past participle ("le mouvement, lancé en février") says nothing
    if tagged:  # "« … », a affirmé le ministre": the subject follows the verb
        source = _tag_subject(parse, lex, verb, cue)
        counted = lemma in lex.content_verbs | lex.count_verbs
        if counted and source is not None and not can_speak(parse, lex, source):
            return None  # "…, recense 212 cas": what is counted, not who counts
        if source is not None and verb.i < source.i and source.text.startswith("-"):
            cue = list(parse.tokens[cue[0].i : source.i + 1])  # "précise-t-elle"
        claim, construction, confidence = tagged, "verb_inverted", 0.85
        via = told_outlet(parse, lex, verb)
    else:
        via = told_outlet(parse, lex, verb)
        source = _preverbal_subject(parse, lex, verb)
        if source is None and verb.rel == "acl":  # "Le gouvernement, de son côté, avertit que"
            source = parse.head(verb)
        claim, construction, confidence = _verb_claim(parse, lex, verb, lemma, source)
    if not claim:
        return None
    impersonal = source is not None and lower(source).lstrip("-") in lex.impersonal_subjects
    origin = origin_after(parse, lex, verb) if impersonal else None
    if source is not None and origin is not None:  # "…, a-t-on appris auprès des pompiers"
        cue = [*cue, source] if source.i < verb.i else cue
        source = origin
    elif source is not None and impersonal:
        return Finding(
            sent.index,
            [*cue, source] if source.i < verb.i else cue,
            CueType.HEARSAY,
            lemma,
            claim,
            None,
            "hearsay",
            0.6,
            kind_hint="unnamed",
            constructions=["hearsay"],
        )
    if source is None or time_word(lex, source) or source.upos in ("VERB", "AUX"):
        return None  # "les prochaines semaines diront si …"; a clause is no speaker
    if confidence <= OBJECT_CLAIM_CONFIDENCE and not can_speak(parse, lex, source):
        return None  # a plain object says nothing from a mute subject: "la crue annonce l'hiver"
    if source.upos == "PRON" and lower(source).lstrip("-") in lex.non_source_pronouns:
        return None
    constructions = [construction]
    return Finding(
        sent.index,
        cue,
        CueType.VERB,
        lemma,
        claim,
        source,
        construction,
        confidence,
        via=via,
        constructions=constructions,
    )


def _sharing_auxiliary(parse: Parse, verb: Token) -> Token | None:
    """ "X a dénoncé A et indiqué que B": a bare participle right after a conjunction shares
    the auxiliary of the verb before it, whatever the parser hung it on; that verb."""
    before = parse.tokens[verb.i - 1] if verb.i > 0 else None
    if before is None or before.upos != "CCONJ" or verb.feat("VerbForm") != "Part":
        return None
    sent = parse.sentences[verb.sent]
    for k in range(before.i - 1, sent.first - 1, -1):
        tok = parse.tokens[k]
        if tok.upos == "VERB" and tok.feat("VerbForm") == "Part":
            return tok if any(c.rel == "aux" for c in parse.children(tok.i)) else None
    return None


def _clitic_before(parse: Parse, lex: Lexicon, verb: Token) -> bool:
    """A subject pronoun right before the verb ("il avertit"): the verb is finite, whatever
    its tag says."""
    return any(
        c.rel == "nsubj" and c.i < verb.i and lower(c) in (lex.pronouns | lex.impersonal_subjects)
        for c in parse.children(verb.i)
    )


def _passive(
    parse: Parse, sent: Sentence, lex: Lexicon, verb: Token, lemma: str, cue: list[Token]
) -> Finding | None:
    """ "La nouvelle a été confirmée par une élue", "des accusations réfutées par l'Insee":
    the agent said it; what was said is the subject, or the noun the participle describes."""
    if lemma not in lex.object_reporting_verbs or verb.feat("VerbForm") != "Part":
        return None
    agents = [c for c in parse.children(verb.i) if c.deprel == "obl:agent"]
    if not agents or not can_speak(parse, lex, agents[0]):
        return None
    said = next((c for c in parse.children(verb.i) if c.deprel == "nsubj:pass"), None)
    if said is None and verb.rel == "acl":
        said = parse.head(verb)
    if said is None or said.upos not in ("NOUN", "PROPN") or said.i > verb.i:
        return None
    around = {t.i for t in parse.subtree(verb)} - {t.i for t in parse.subtree(said)}
    claim = trim([t for t in mention_tokens(parse, said) if t.i not in around])
    if not claim:
        return None
    return Finding(
        sent.index,
        cue,
        CueType.VERB,
        lemma,
        claim,
        agents[0],
        "verb_passive",
        0.7,
        constructions=["verb_passive"],
    )


def _subject_before_incise(parse: Parse, verb: Token) -> Token | None:
    """ "Un habitant, selon lequel …, a demandé …": the verb's own subject before it, set
    apart by an incise between commas; then the verb is no tag after a claim."""
    sent = parse.sentences[verb.sent]
    for child in children(parse, verb, "nsubj"):
        named = mention_tokens(parse, child) or [child]
        between = list(parse.tokens[named[-1].i + 1 : verb.i])
        if (
            child.i < verb.i
            and child.i == sent.first + _determiners(parse, child)
            and between
            and between[0].text == ","
            and sum(t.text == "," for t in between) == 2
            and not any(t.text in _QUOTE_MARKS for t in between)
        ):
            return child
    return None


def _determiners(parse: Parse, noun: Token) -> int:
    return sum(1 for c in parse.children(noun.i) if c.i < noun.i and c.rel == "det")


def _comparison_tag(
    parse: Parse, sent: Sentence, lex: Lexicon, verb: Token, lemma: str, cue: list[Token]
) -> Finding | None:
    """ "…, comme l'a indiqué la préfète", "Comme révélé par le journal X, …", "…, as the
    minister said": a speech tag in a clause of comparison. What was said is the clause it
    hangs on (or, when the parser hung that clause on the tag, the clause after it); the
    speaker is the tag's subject or agent, after "comme"."""
    mark = next(
        (c for c in parse.children(verb.i) if c.rel == "mark" and lower(c) in lex.comparison_marks),
        None,
    )
    if mark is None:
        return None
    said = parse.head(verb) if verb.rel == "advcl" else None
    if said is None and any(  # "X, comme l'a dit Y, a …": the parser hung the clause on the tag
        c.i > verb.i and c.feat("VerbForm") in ("Fin", "Part")
        for c in children(parse, verb, "advcl", "ccomp", "parataxis", "conj")
    ):
        said = verb
    after = [c for c in parse.children(verb.i) if c.i > mark.i and not time_word(lex, c)]
    speakers = [c for c in after if c.rel == "nsubj" or c.deprel == "obl:agent"] or [
        c  # the inverted subject, taken for an object or a bare oblique
        for c in after
        if c.rel in ("obj", "obl")
        and c.i > verb.i
        and c.upos in ("NOUN", "PROPN")
        and not children(parse, c, "case")
    ]
    if said is None or not speakers or not can_speak(parse, lex, speakers[0]):
        return None
    tag = parse.subtree(speakers[0] if said is verb else verb)  # from "comme" to its end
    end = max(t.i for t in tag)
    claim = trim(
        [t for t in parse.subtree(said) if t.sent == sent.index and not mark.i <= t.i <= end]
    )
    if not claim:
        return None
    clitics = [c for c in parse.children(verb.i) if c.upos == "PRON" and mark.i < c.i < verb.i]
    return Finding(
        sent.index,
        sorted([mark, *clitics, *cue], key=lambda t: t.i),
        CueType.VERB,
        lemma,
        claim,
        speakers[0],
        "verb_comparison",
        0.85,
        constructions=["verb_comparison"],
    )


def _verb_claim(
    parse: Parse, lex: Lexicon, verb: Token, lemma: str, source: Token | None
) -> tuple[list[Token], str, float]:
    """What a preposed verb reports: its clause, its infinitive, the quotation after a
    colon, or (for most verbs) its object."""
    claim = _que_clause(parse, lex, verb)
    if claim:
        return claim, "verb_preposed", 0.9
    comp = [c for c in children(parse, verb, "ccomp") if c.i > verb.i]
    if comp:
        claim = claim_tokens(parse, comp[0], [])
        while claim and lower(claim[0]) in lex.complementizers:
            claim = claim[1:]  # "qu'" taken for a relative pronoun
        return claim, "verb_preposed", 0.9
    xcomp = [c for c in children(parse, verb, "xcomp") if _infinitive(parse, c) and c.i > verb.i]
    infinitive = xcomp[0] if xcomp else _infinitive_after(parse, lex, verb)
    if infinitive is not None:
        claim = [t for t in claim_tokens(parse, infinitive, []) if t.i > verb.i]
        marks = [t for t in claim if t.rel == "mark" and t.i == claim[0].i]
        return claim[len(marks) :], "verb_infinitive", 0.85
    after = [
        c
        for c in children(parse, verb, "parataxis", "advcl", "dep", "obj", "xcomp", "obl", "ccomp")
        if c.i > verb.i and _colon_between(parse, verb, c)
    ]
    if after:
        return claim_tokens(parse, after[0], []), "verb_preposed", 0.85
    objs = [c for c in children(parse, verb, "obj") if c.upos in ("NOUN", "PROPN")]
    obj = objs[0] if objs else _noun_after(parse, lex, verb)
    if obj is not None and (source is None or obj.i != source.i) and obj.i > verb.i:
        claim = _object_claim(parse, verb, obj)
        end = claim[-1].i + 1 if claim else verb.i
        quoted = any(t.text in _QUOTE_MARKS for t in parse.tokens[verb.i + 1 : end + 1])
        if claim and (lemma in lex.object_reporting_verbs or quoted):
            return claim, "verb_preposed", OBJECT_CLAIM_CONFIDENCE
    return [], "", 0.0


_OBJECT_GOES_ON = {"obl", "nmod", "advmod", "obj", "iobj", "prep", "dobj"}


def _object_claim(parse: Parse, verb: Token, obj: Token) -> list[Token]:
    """ "a nié toute frappe sur des zones civiles": the object with the phrases that
    follow it, wherever the parser hung them, up to a comma or another clause."""
    toks = [t for t in claim_tokens(parse, obj, []) if t.i > verb.i]
    if not toks:
        return toks
    end = toks[-1].i
    for child in sorted(parse.children(verb.i), key=lambda t: t.i):
        if child.i <= end:
            continue
        sub = parse.subtree(child)
        if child.rel not in _OBJECT_GOES_ON or sub[0].i != end + 1:
            break
        toks += trim(sub) if sub[-1].text in (".", ",", ";") else sub
        end = sub[-1].i
    return trim(toks)


def _noun_after(parse: Parse, lex: Lexicon, verb: Token) -> Token | None:
    """ "ont revendiqué dimanche une attaque": the object after adverbs of time."""
    sent = parse.sentences[verb.sent]
    for k in range(verb.i + 1, min(sent.last, verb.i + 4)):
        tok = parse.tokens[k]
        if tok.upos == "ADV" or tok.lemma.lower() in lex.time_nouns:
            continue
        if tok.upos == "DET":
            head = parse.head(tok)
            return head if head is not None and head.upos == "NOUN" and head.i > tok.i else None
        return None
    return None


_CLOSING = {"»", "”", '"'}
_QUOTE_MARKS = {"«", "»", "“", "”", '"'}
_TAG_OPENERS = {",", "»", "”", '"', "—", "–", "-"}


def _inverted_claim(
    parse: Parse, lex: Lexicon, verb: Token, source: Token | None, cue: list[Token]
) -> list[Token]:
    """ "« … », a affirmé le ministre", "…, rapporte le quotidien X", "…, estime-t-il":
    the speech tag follows the claim, after a comma or a closing quotation mark, and the
    subject (if the parser found one) comes after the verb."""
    subject_first = lex.tag_subject_first or (
        speech_lemma(verb, lex, parse) in lex.plain_report_verbs and _ends_bare(parse, cue[-1])
    )
    if (
        source is not None
        and source.i < cue[0].i
        and not lower(source).startswith("-")
        and not subject_first
    ):
        return []
    k = _tag_opener(parse, lex, cue, subject_first)
    if k is None:
        return []
    sent = parse.sentences[cue[0].sent]
    before = [t for t in parse.sentence_tokens(sent) if t.i < k]
    quoted = parse.tokens[k].text in _CLOSING or (
        k > sent.first and parse.tokens[k - 1].text in _CLOSING
    )
    if quoted or _has_main_clause(parse, before):
        return trim(before)
    after = _after_incise(parse, lex, verb, cue, sent)
    if after and _has_main_clause(parse, [*before, *after]):
        return trim([*before, *after])  # "Le pont, a-t-il dit, sera rouvert": all of it
    if len(before) >= MIN_VERBLESS_CLAIM and _subject_ends_sentence(parse, lex, verb):
        return trim(before)  # "Des chiffres inférieurs à la réalité, souligne l'OMS."
    return []  # "Le président du club, Marc Delvaux, a assuré": no clause, no tag


MIN_VERBLESS_CLAIM = 4


def _subject_ends_sentence(parse: Parse, lex: Lexicon, verb: Token) -> bool:
    """ "…, souligne l'OMS.": the verb, its subject after it, and the end of the sentence."""
    subject = subject_after(parse, lex, verb)
    if subject is None or subject.i < verb.i:
        return False
    return _ends_sentence(parse, max(t.i for t in mention_tokens(parse, subject)))


INCISE_SUBJECT_WORDS = 8


def _after_incise(
    parse: Parse, lex: Lexicon, verb: Token, cue: list[Token], sent: Sentence
) -> list[Token]:
    """The words after a tag set inside the clause it reports, between commas ("Le pont,
    a-t-il dit, sera rouvert", "Lundi, a précisé le maire, le pont …", "In May, he said,
    the firm …"): from the comma that closes the tag to the end of the sentence."""
    k = cue[-1].i + 1
    limit = min(sent.last, k + INCISE_SUBJECT_WORDS)
    while k < limit and parse.tokens[k].text != ",":
        tok = parse.tokens[k]
        if tok.upos in ("VERB", "AUX", "SCONJ", "PUNCT") and not lower(tok).startswith("-"):
            return []  # the verb goes on with a clause or an object of its own
        k += 1
    if k >= limit:
        return []
    return trim([t for t in parse.sentence_tokens(sent) if t.i > k])


def _ends_bare(parse: Parse, verb: Token) -> bool:
    """ "…, une source militaire a rapporté." or "…, un élu a indiqué, ajoutant …": the verb
    says nothing after it (no object, no clause, the sentence or a comma next), so what it
    reports is before it: a tag with its subject first, in French too."""
    sent = parse.sentences[verb.sent]
    after = verb.i + 1
    if after >= sent.last or parse.tokens[after].text not in (".", ",", "!", "…", ";"):
        return False
    if verb.feat("Voice") == "Pass":
        return False  # "…, un incendie est signalé": what is said is the subject
    return not any(
        c.rel in ("obj", "ccomp", "xcomp") or c.deprel in ("aux:pass", "nsubj:pass", "auxpass")
        for c in parse.children(verb.i)
    )


def _tag_opener(
    parse: Parse, lex: Lexicon, cue: list[Token], subject_first: bool = False
) -> int | None:
    """The comma or closing quotation mark before a speech tag ("…, a encore affirmé",
    "…, the minister said"), skipping adverbs and the tag's own subject."""
    sent = parse.sentences[cue[0].sent]
    k = cue[0].i - 1
    verb = cue[-1]
    while k >= sent.first and (
        parse.tokens[k].upos == "ADV"
        or lower(parse.tokens[k]) in lex.dative_clitics  # "…, nous a expliqué X"
        or (subject_first and _in_subject_of(parse, parse.tokens[k], verb))
        or _inverted_clitic(parse, k)  # "…, a-t-elle martelé", the parser's tree aside
    ):
        k -= 1
    if k < sent.first or parse.tokens[k].text not in _TAG_OPENERS:
        return None
    return k


def _inverted_clitic(parse: Parse, k: int) -> bool:
    """ "a", "-t", "-elle" of "a-t-elle martelé": a hyphenated pronoun, or the auxiliary it
    is glued to."""
    tok = parse.tokens[k]
    if lower(tok).startswith("-"):
        return True
    after = parse.tokens[k + 1] if k + 1 < len(parse.tokens) else None
    return tok.upos == "AUX" and after is not None and lower(after).startswith("-")


def _in_subject_of(parse: Parse, tok: Token, verb: Token) -> bool:
    """Whether a word belongs to the verb's subject ("the minister" in "the minister said")."""
    for node in (tok, *parse.ancestors(tok)):
        if node.head == verb.i:
            return node.rel == "nsubj" and node.i < verb.i
    return False


def _has_main_clause(parse: Parse, toks: list[Token]) -> bool:
    """A finite verb that is not inside a relative clause ("Un analyste, qui a requis
    l'anonymat, juge …" has none before "juge")."""
    ids = {t.i for t in toks}
    for tok in toks:
        if tok.feat("VerbForm") != "Fin" or tok.upos not in ("VERB", "AUX"):
            continue
        if tok.rel == "aux" or tok.rel == "cop":
            tok = parse.head(tok) or tok
        chain = [tok, *(a for a in parse.ancestors(tok) if a.i in ids)]
        if not any(t.deprel in ("acl:relcl", "acl") for t in chain):
            return True
    return False


def _infinitive(parse: Parse, verb: Token) -> bool:
    """An infinitive ("connaître"), or a participle after an infinitive auxiliary ("avoir tué")."""
    if verb.feat("VerbForm") == "Inf":
        return True
    return any(c.rel == "aux" and c.feat("VerbForm") == "Inf" for c in parse.children(verb.i))


_COLON_REACH = 8  # "a déclaré lundi : « … »": the mark comes right after the verb


def _colon_between(parse: Parse, a: Token, b: Token) -> bool:
    end = min(b.i, a.i + 1 + _COLON_REACH)
    return any(parse.tokens[k].text in (":", "«", "“", '"') for k in range(a.i + 1, end))


_QUE_WINDOW = 12


def _que_after(parse: Parse, lex: Lexicon, verb: Token) -> Token | None:
    """The "que" that opens the verb's reported clause, a few words after it ("a assuré
    dimanche dans un communiqué que …"), whatever the parser attached it to."""
    sent = parse.sentences[verb.sent]
    for k in range(verb.i + 1, min(sent.last, verb.i + _QUE_WINDOW)):
        tok = parse.tokens[k]
        if lower(tok) in lex.complementizers and tok.upos in ("SCONJ", "PRON", "ADV"):
            if any(lower(t) in lex.comparatives for t in parse.tokens[verb.i + 1 : k]):
                return None  # "relève moins d'un choix que d'une contrainte"
            return tok if tok.upos == "SCONJ" or tok.rel == "mark" else None
        if tok.text in (".", ";", ":", "«", "“") or (
            tok.upos in ("VERB", "AUX") and tok.feat("VerbForm") == "Fin" and tok.head != verb.i
        ):
            return None
        if tok.upos == "VERB" and (_present_participle(tok) or tok.feat("VerbForm") == "Inf"):
            if _present_participle(tok) and relay_lemma(tok, lex):
                continue  # "a rapporté, citant une source, que …": the relay is an incise
            return None  # "a confirmé ce bilan, indiquant que …": the "que" is the other verb's
        if tok.upos == "VERB" and speech_lemma(tok, lex, parse) is not None:
            return None  # "ne se plaint pas, mais il avertit que …": the other verb's
    return None


def relay_lemma(tok: Token, lex: Lexicon) -> bool:
    """ "citant", "cité", "relayée": a verb by which an outlet relays a source."""
    return tok.lemma.lower() in lex.relay_verbs or lex.verb_forms.get(lower(tok)) in lex.relay_verbs


def before_speech_participle(parse: Parse, lex: Lexicon, f: Finding) -> None:
    """ "X a dit que A, affirmant que B": A and B are two claims of X; the first one stops
    at the comma before the other verb of saying."""
    for k, tok in enumerate(f.claim):
        if (
            k
            and f.claim[k - 1].text == ","
            and tok not in f.cue
            and _present_participle(tok)
            and speech_lemma(tok, lex) is not None
        ):
            f.claim = trim(f.claim[: k - 1])
            return


def _present_participle(tok: Token) -> bool:
    return tok.feat("VerbForm") == "Part" and tok.feat("Tense") == "Pres"


def _infinitive_after(parse: Parse, lex: Lexicon, verb: Token) -> Token | None:
    """ "a affirmé dans la matinée avoir visé …": an infinitive a few words after the verb
    (the participle, for "avoir visé")."""
    sent = parse.sentences[verb.sent]
    for k in range(verb.i + 1, min(sent.last, verb.i + _QUE_WINDOW)):
        tok = parse.tokens[k]
        if tok.feat("VerbForm") == "Inf" and tok.upos in ("VERB", "AUX"):
            head = parse.head(tok)
            return head if tok.upos == "AUX" and head is not None and head.i > tok.i else tok
        if (
            tok.text in (".", ";", ":", "«", "“", ",")
            or lower(tok) in lex.complementizers
            or (tok.upos in ("VERB", "AUX") and tok.feat("VerbForm") == "Fin")
        ):
            return None
    return None


def _que_clause(parse: Parse, lex: Lexicon, verb: Token) -> list[Token]:
    """The words of the clause that the "que" after the verb opens, without the "que"."""
    que = _que_after(parse, lex, verb)
    clause = parse.head(que) if que is not None else None
    if que is None or clause is None or clause.i <= que.i:
        return []
    said = [t for t in parse.subtree(clause) if t.i > que.i]
    other = next(  # "…, mais reconnaît que B": another saying, coordinated, ends this one
        (
            t
            for t in said
            if t.rel == "conj"
            and t.i != clause.i  # the clause itself, hung as a conjunct: "et indiqué que B"
            and t.upos == "VERB"
            and speech_lemma(t, lex, parse) is not None
        ),
        None,
    )
    if other is not None:
        said = [t for t in said if t.i < min(x.i for x in parse.subtree(other))]
        while said and said[-1].rel == "cc":
            said.pop()
    return trim(said)


def _reports_a_clause(parse: Parse, lex: Lexicon, verb: Token) -> bool:
    """ "X a déclaré que …", "X a déclaré avoir …": a preposed report, never a tag."""
    for child in parse.children(verb.i):
        if child.i < verb.i:
            continue
        if child.rel == "ccomp" and any(
            lower(m) in lex.complementizers for m in parse.children(child.i)
        ):
            return True
        if child.rel == "xcomp" and _infinitive(parse, child):
            return True
    nxt = parse.tokens[verb.i + 1] if verb.i + 1 < len(parse.tokens) else None
    return nxt is not None and (lower(nxt) in lex.complementizers or nxt.text == ":")


def _preverbal_subject(parse: Parse, lex: Lexicon, verb: Token) -> Token | None:
    source = subject_of(parse, lex, verb)
    if source is None:
        agent = children(parse, verb, "obl:agent")
        source = agent[0] if agent else None
    shared = _sharing_auxiliary(parse, verb)
    if source is None and shared is not None:
        source = subject_of(parse, lex, shared)
    if source is None and verb.rel == "conj":
        first = parse.head(verb)
        speaker = next(  # "X assure que A, mais reconnaît que B", B hung on A: X's verb
            (
                a
                for a in parse.ancestors(verb)
                if a.upos == "VERB" and speech_lemma(a, lex, parse) is not None
            ),
            first,
        )
        if speaker is not None:
            source = subject_of(parse, lex, speaker) or _noun_right_before(parse, lex, speaker)
    return source or _noun_right_before(parse, lex, verb)


def _noun_right_before(parse: Parse, lex: Lexicon, verb: Token) -> Token | None:
    """ "Al-Joumhouria, enfin, croit savoir que …": the parser lost the subject, but the
    noun phrase just before the verb (past adverbs, times and commas) is it."""
    sent = parse.sentences[verb.sent]
    k = verb.i - 1
    while k >= sent.first and (
        parse.tokens[k].upos in ("ADV", "PUNCT", "AUX")
        or parse.tokens[k].rel == "aux"
        or time_word(lex, parse.tokens[k])  # "Le bilan, mercredi, faisait état de …"
    ):
        k -= 1
    if k < sent.first:
        return None
    tok = parse.tokens[k]
    while (
        tok.rel in ("flat", "flat:name", "amod", "appos")
        and tok.head is not None
        and tok.head < tok.i
    ):
        tok = parse.tokens[tok.head]
    if tok.upos not in ("NOUN", "PROPN") or any(c.rel == "case" for c in parse.children(tok.i)):
        return None
    return tok


def _tag_subject(parse: Parse, lex: Lexicon, verb: Token, cue: list[Token]) -> Token | None:
    """The subject of an inverted tag: a clitic ("a-t-il", "confirme-t-elle"), else the
    first noun phrase after the verb outside prepositional phrases, else (English) the
    subject between the comma and the verb."""
    clitic = clitic_subject(parse, lex, cue[0], verb)
    if clitic is not None:
        return clitic
    after = None if lex.tag_subject_first else subject_after(parse, lex, verb)
    if after is not None:
        return after
    opener = _tag_opener(parse, lex, cue, True)  # "…, the minister said": the subject first
    subject = subject_of(parse, lex, verb)
    if subject is not None and opener is not None and opener < subject.i < verb.i:
        return subject
    return subject_after(parse, lex, verb)


def addressee(parse: Parse, lex: Lexicon, tok: Token) -> Token | None:
    """The noun of "à X", "au micro de X", "sur l'antenne de X": whom words were said to."""
    cases = [lower(c) for c in parse.children(tok.i) if c.rel == "case"]
    return tok if cases and cases[0] in lex.addressee_prepositions else None


ADDRESSEE_REACH = 6  # "said in a statement to X": the words between the verb and "to X"


def told_outlet(parse: Parse, lex: Lexicon, verb: Token) -> Token | None:
    """ "a déclaré à l'AFP", "a confié à la chaîne X", "told AFP", "told CNN's X": the
    outlet the words were given to."""
    for child in parse.children(verb.i):
        if child.rel in ("obj", "dobj", "iobj") and verb.lemma.lower() in lex.addressee_verbs:
            owner = next((c for c in parse.children(child.i) if c.rel == "poss"), child)
            if owner.upos == "PROPN" and _outlet_like(lex, owner):
                return owner
        if child.rel not in ("obl", "iobj", "nmod") or addressee(parse, lex, child) is None:
            continue
        if _outlet_like(lex, child):
            return child
    sent = parse.sentences[verb.sent]  # the parser hung it elsewhere: "a déclaré à Reuters des …"
    after = parse.tokens[verb.i + 1 : min(verb.i + ADDRESSEE_REACH, sent.last)]
    for k, tok in enumerate(after):
        if lower(tok) not in lex.addressee_prepositions or tok.upos != "ADP":
            continue
        named = [t for t in after[k + 1 :] if t.upos in ("NOUN", "PROPN")]
        return named[0] if named and _outlet_like(lex, named[0]) else None
    return None


def _outlet_like(lex: Lexicon, tok: Token) -> bool:
    return lex.kind_of_word(tok.lemma.lower()) == "outlet" or (
        tok.upos == "PROPN" and tok.ent in ("ORG", "MISC", "")
    )


def _last_speaker_before(parse: Parse, lex: Lexicon, participle: Token) -> Token | None:
    """Who speaks through the last verb of saying before a participle in its sentence."""
    sent = parse.sentences[participle.sent]
    for k in range(participle.i - 1, sent.first - 1, -1):
        verb = parse.tokens[k]
        if verb.upos != "VERB" or _present_participle(verb) or speech_lemma(verb, lex) is None:
            continue
        agent = next((c for c in parse.children(verb.i) if c.deprel == "obl:agent"), None)
        if agent is not None and agent.i < participle.i:
            return agent  # "Le chiffre a été validé par la préfète, ajoutant …"
        aux = [c for c in parse.children(verb.i) if c.rel == "aux" and c.i < verb.i]
        first = aux[0] if aux else verb
        after = clitic_subject(parse, lex, first, verb)
        if after is None and _tag_opener(parse, lex, [first, verb]) is not None:
            after = subject_after(parse, lex, verb)  # "…, a indiqué cette source, ajoutant"
        if after is not None and after.i < participle.i:
            return after
        return _preverbal_subject(parse, lex, verb)
    return None


def _participial(
    parse: Parse, sent: Sentence, lex: Lexicon, verb: Token, lemma: str
) -> Finding | None:
    """ "Indiquant que …, le groupe a demandé …" and "…, affirmant avoir …": the subject
    is the main clause's."""
    toks = parse.sentence_tokens(sent)
    before = [t for t in toks if t.i < verb.i and t.upos != "PUNCT"]
    after = [t for t in toks if t.i > verb.i]
    source: Token | None = None
    claim: list[Token] = []
    confidence = 0.8
    if not before:  # the participle opens the sentence: the claim runs to the main subject
        for k, tok in enumerate(after):
            if tok.text != ",":
                continue
            subject = next(
                (
                    t
                    for t in after[k + 1 : k + 6]
                    if t.rel == "nsubj" and t.head is not None and t.head > t.i
                ),
                None,
            )
            if subject is not None:
                claim, source = trim(after[:k]), subject
                break
    else:
        claim, _, confidence = _verb_claim(parse, lex, verb, lemma, None)
        if not claim and after and lower(after[0]) in lex.complementizers:
            claim = trim(after)
        main = next((t for t in toks if t.head is None), None)
        subjects = [t for t in before if t.rel == "nsubj"]
        speaker = _last_speaker_before(parse, lex, verb)
        if speaker is not None:  # "…, a indiqué cette source, ajoutant que …"
            source = speaker
        elif main is not None and subject_of(parse, lex, main) in subjects:
            source = subject_of(parse, lex, main)
        elif subjects:
            source = subjects[-1]
    if not claim or source is None:
        return None
    if confidence <= OBJECT_CLAIM_CONFIDENCE and not can_speak(parse, lex, source):
        return None
    return Finding(
        sent.index,
        [verb],
        CueType.PARTICIPLE,
        lemma,
        claim,
        source,
        "verb_participial",
        0.8,
        constructions=["verb_participial"],
    )


# --- nominal cues: l'annonce par X de … -------------------------------------------


def nominal(parse: Parse, sent: Sentence, lex: Lexicon) -> Iterator[Finding]:
    for tok in parse.sentence_tokens(sent):
        if tok.upos != "NOUN" or tok.lemma.lower() not in lex.speech_nouns:
            continue
        agent = None
        content = None
        for child in parse.children(tok.i):
            marks = [lower(c) for c in parse.children(child.i) if c.rel == "case"]
            if set(marks) & lex.agent_prepositions and agent is None:
                agent = child
            elif set(marks) & lex.genitive_prepositions and child.i > tok.i:
                content = child if content is None or (agent and content.i < agent.i) else content
        if agent is None:
            continue
        if content is None or content.i < agent.i:
            content = _content_after_agent(parse, lex, tok, agent)
        if content is None:
            continue
        claim = _without_leading_case(parse, claim_tokens(parse, content, []))
        yield Finding(
            sent.index,
            [tok],
            CueType.NOMINAL,
            tok.lemma.lower(),
            claim,
            agent,
            "nominal",
            0.75,
            constructions=["nominal"],
        )


def _without_leading_case(parse: Parse, toks: list[Token]) -> list[Token]:
    """ "du lancement de …" → "lancement de …": the preposition belongs to the cue noun
    (with the article fused into it: "du" = "de le")."""
    dropped: set[tuple[int, int]] = set()
    while toks and (toks[0].rel == "case" or (toks[0].start, toks[0].end) in dropped):
        dropped.add((toks[0].start, toks[0].end))
        toks = toks[1:]
    return toks


def _content_after_agent(parse: Parse, lex: Lexicon, noun: Token, agent: Token) -> Token | None:
    """ "l'annonce par un groupe connu sous le nom de X du lancement de …": the first
    "de" complement after the agent's own words."""
    named = mention_tokens(parse, agent)
    end = max((t.i for t in named), default=agent.i)
    quoted = _quoted_tokens(parse, parse.sentences[noun.sent])
    for tok in parse.subtree(noun):
        if tok.i <= end or tok.rel != "nmod" or tok.i in quoted:
            continue
        marks = [lower(c) for c in parse.children(tok.i) if c.rel == "case"]
        if set(marks) & lex.genitive_prepositions:
            return tok
    return None


def _quoted_tokens(parse: Parse, sent: Sentence) -> set[int]:
    """Tokens between quotation marks within one sentence (a name in quotes)."""
    inside: set[int] = set()
    depth = 0
    for tok in parse.sentence_tokens(sent):
        if tok.text in ("«", "“"):
            depth += 1
        elif tok.text in ("»", "”") and depth:
            depth -= 1
        elif depth:
            inside.add(tok.i)
    return inside


# --- hearsay without a source -------------------------------------------------------


def hearsay(parse: Parse, sent: Sentence, lex: Lexicon) -> Iterator[Finding]:
    toks = parse.sentence_tokens(sent)
    for k in range(len(toks)):
        for phrase in lex.hearsay_patterns:
            end = phrase_end(toks, k, phrase)
            if end is None:
                continue
            cue = list(toks[k:end])
            pred = cue[-1]
            comp = [
                c
                for c in children(parse, pred, "ccomp", "xcomp", "nmod", "obl", "acl")
                if c.i > pred.i
            ]
            claim = _que_clause(parse, lex, pred)
            if not claim and comp:
                claim = claim_tokens(parse, comp[0], [])
            elif not claim:
                claim = [t for t in toks if t.i > pred.i and t.text not in (".", "!", "?")]
            if claim:
                yield Finding(
                    sent.index,
                    cue,
                    CueType.HEARSAY,
                    " ".join(phrase),
                    claim,
                    None,
                    "hearsay",
                    0.6,
                    kind_hint="unnamed",
                    constructions=["hearsay"],
                )
            return


# --- social media as a place: "Sur les réseaux sociaux, des vidéos montrent …" -------


def _names_social_media(parse: Parse, tok: Token, words: frozenset[str]) -> bool:
    """ "X", "Telegram", "les réseaux sociaux": a word or phrase of the social-media list."""
    if tok.lemma.lower() in words or lower(tok) in words:
        return True
    text = " ".join(lower(t) for t in mention_tokens(parse, tok))
    return any(" " in w and w in text for w in words)


def social_media(parse: Parse, sent: Sentence, lex: Lexicon) -> Iterator[Finding]:
    words = lex.source_kinds.get("social_media", frozenset())
    for tok in parse.sentence_tokens(sent):
        if tok.rel not in ("obl", "nmod") or not _names_social_media(parse, tok, words):
            continue
        cases = [
            c
            for c in parse.children(tok.i)
            if c.rel == "case" and lower(c) in lex.place_prepositions
        ]
        if not cases:
            continue
        clause = clause_head(parse, tok)
        if clause.i == tok.i:
            continue
        claim = claim_tokens(parse, clause, parse.subtree(tok))
        if claim and speech_lemma(clause, lex) is None:
            yield Finding(
                sent.index,
                [cases[0], *list(parse.subtree(tok))],
                CueType.HEARSAY,
                lower(cases[0]),
                claim,
                tok,
                "social_media",
                0.6,
                kind_hint="social_media",
                constructions=["social_media"],
            )
