"""Cue-gated parsing: parse only the sentences that can hold an attribution.

A fast pass splits each line into sentences and keeps those where a cue from the lexicon
can actually hold (see CueMatcher), plus the sentences before them that resolution needs:
only for a pronoun's or a demonstrative's antecedent, a continuation's source, or the
speaker of a quotation that names none. The other sentences are only counted, for the
audit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from attribution.lexicon import Lexicon, unaccented

CONTEXT_SENTENCES = 2  # sentences kept before a cue sentence, for pronouns and speakers
# A sentence ends at . ! ? … (and the quotation mark closing it), before a capital or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?…])([»”\"’)]?)\s+(?=[«“\"A-ZÀ-ÖØ-Ý0-9])")


@dataclass(frozen=True)
class GatedText:
    blocks: list[tuple[int, str]]  # (offset, text) of what the parser gets
    sentences: int  # sentences of the whole text
    skipped_statements: int  # skipped sentences that state something (not questions)


def sentence_spans(
    text: str, abbreviations: frozenset[str] = frozenset()
) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, by punctuation: a line break always ends one, a
    title or an initial before its full stop ("M. Martin", "J. Dupont") never does."""
    offset = 0
    for line in text.split("\n"):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            # the last word before the stop (not the whole line before it: long lines)
            if not m.group(1) and _abbreviation(
                line[max(0, m.start() - 64) : m.start()], abbreviations
            ):
                continue
            yield offset + start, offset + m.start() + len(m.group(1))
            start = m.end()
        if line[start:].strip():
            yield offset + start, offset + len(line.rstrip())
        offset += len(line) + 1


_LAST_WORD = re.compile(r"(\w+)\.$")


def _abbreviation(before: str, abbreviations: frozenset[str]) -> bool:
    """Whether the full stop that ends `before` closes a title or an initial."""
    m = _LAST_WORD.search(before)
    if m is None:
        return False
    word = m.group(1)
    return (len(word) == 1 and word.isupper()) or word in abbreviations


# Accented Latin letters folded to their base letter, one character for one, so that
# "déclaré" and "declare" match alike and offsets hold.
_FOLD = str.maketrans(
    {
        c: base
        for c in map(chr, range(0xC0, 0x250))
        if len(base := unaccented(c)) == 1 and base != c and ord(base) < 0x80
    }
    | {"’": "'", "‘": "'", "ʼ": "'"}
)
_WORD = re.compile(r"\w+")
SHORT_WORD = 4  # "s'", "est", "se", "sont": clitics and auxiliaries inside a tag
_TOKEN = re.compile(r"\w+|[^\w\s']")  # words and marks; apostrophes only split words
LOOKAHEAD = 8  # words after a speech verb in which its clause, quote or colon may start


@dataclass(frozen=True)
class CueMatcher:
    """Where an attribution can hold, from the lexicon, over folded text.

    A cue word (a speech noun, an irregular form, "selon") or phrase ("d'après X",
    "il est question") is enough, unless a hyphen glues it to the next word
    ("d'après-midi"). A regular form of a speech verb counts only where it can be one:
    not after a determiner (a noun: "l'alerte", "la demande"), not as an infinitive or
    present participle that no clause, quotation or colon follows ("pour répondre à la
    demande"), and, for verbs that report only a clause, a quotation, an infinitive or a
    "de" complement ("assurer", "observer", "publier"), only with one of them after it or
    a quotation in the sentence. A quotation mark counts unless every quotation of the
    sentence is closed and shorter than a quote the rules take (scare quotes)."""

    words: frozenset[str]  # single cue words and irregular forms: enough by themselves
    phrases: dict[str, re.Pattern[str]]  # multi-word cues ("pour X," too), by first word
    verbs: dict[str, bool]  # regular form -> whether one of its verbs takes its claim as object
    giving: frozenset[str]  # forms of verbs that report words given: with a noun of words
    words_given: frozenset[str]  # nouns of words and figures ("bilan", "version")
    counting: frozenset[str]  # forms of verbs of counting: with a number
    infinitives: frozenset[str]  # forms that are an infinitive or a present participle
    progressive: frozenset[str]  # auxiliaries that make a form in -ing a tense ("is asking")
    infinitive_endings: tuple[str, ...]  # "tuer", "avoir": a verb's reported infinitive
    infinitive_words: frozenset[str]  # infinitives of other endings: "être", "faire"
    determiners: frozenset[str]
    openers: frozenset[str]  # what may start a verb's claim: "que", ":", a quote mark
    particles: frozenset[str]  # what starts it right after the verb: "de" ("a promis de …")
    tag_marks: frozenset[str]  # what an inverted tag follows: a comma, a closing quote
    quote_pairs: tuple[tuple[str, str], ...]
    min_quote_words: int
    anaphors: frozenset[str]  # words that point back: pronouns, "celui-ci", "même"
    demonstratives: frozenset[str]  # "ce", "cette": back only before a non-time noun
    time_nouns: frozenset[str]

    def __call__(self, folded: str) -> bool:
        return self.holds_cue(folded)[0]

    def holds_cue(self, folded: str) -> tuple[bool, bool]:
        """Whether a cue can hold in the sentence, and whether the sentence names a
        speaker in it (a speech verb or a cue phrase, not a quotation alone)."""
        lower = folded.lower()
        quoted = self._long_quote(folded)
        tokens = _TOKEN.findall(lower)
        for first in self.phrases.keys() & set(tokens):  # only the phrases that can match
            if any(
                not folded.startswith("-", m.end()) for m in self.phrases[first].finditer(folded)
            ):
                return True, True
        for k, token in enumerate(tokens):
            if token in self.words:
                return True, True
            if (token in self.giving and self.words_given & set(tokens)) or (
                token in self.counting and any(t.isdigit() for t in tokens)
            ):
                return True, True  # "Ce bilan a été donné par …", "a recensé 212 cas"
            if (token in self.giving or token in self.counting) and self._tag(tokens, k):
                return True, True  # "…, recense l'institut"
            takes_object = self.verbs.get(token)
            if takes_object is None or (k and tokens[k - 1] in self.determiners):
                continue
            after = tokens[k + 1 : k + 1 + LOOKAHEAD]
            opens = (
                any(t in self.openers for t in after)
                or tokens[k + 1 : k + 2] in ([p] for p in self.particles)
                or (bool(after) and self._infinitive(after[0]))  # "a déclaré avoir tué"
                or self._tag(tokens, k)
            )
            if token in self.infinitives and not self.progressive & set(tokens[max(0, k - 2) : k]):
                if opens:
                    return True, True
            elif takes_object or opens or quoted:
                return True, True
        return quoted, False

    def _infinitive(self, token: str) -> bool:
        return token in self.infinitive_words or (
            len(token) > 4 and token.endswith(self.infinitive_endings)
        )

    def _tag(self, tokens: list[str], k: int) -> bool:
        """An inverted or closing tag: "…, rapporte X", "…, a rapporté X", "» précise-t-il",
        "…, s'est inquiété X" (two short words, a pronoun and an auxiliary, between)."""
        before = tokens[max(0, k - 3) : k]
        marks = [j for j, t in enumerate(before) if t in self.tag_marks]
        between = before[marks[-1] + 1 :] if marks else []
        return (
            bool(marks) and (len(between) <= 1 or all(len(t) <= SHORT_WORD for t in between))
        ) or tokens[k + 1 : k + 2] == ["-"]

    def _long_quote(self, folded: str) -> bool:
        """A quotation mark that opens or closes a quote across sentences, or a quote of
        `min_quote_words` words or more."""
        for opening, closing in (*self.quote_pairs, ('"', '"')):
            start = folded.find(opening)
            while start >= 0:
                end = folded.find(closing, start + 1)
                if end < 0 or len(_WORD.findall(folded[start + 1 : end])) >= self.min_quote_words:
                    return True
                start = folded.find(opening, end + 1)
            if closing != opening and folded.count(closing) > folded.count(opening):
                return True
        return False

    def refers_back(self, folded: str, names_speaker: bool = True) -> bool:
        """Whether a cue sentence needs the sentences before it: for a pronoun's or a
        demonstrative's antecedent, a continuation's source ("la même source"), or the
        speaker of a quotation that names none in its own sentence."""
        tokens = _WORD.findall(folded.lower())
        for k, token in enumerate(tokens):
            if token in self.anaphors:
                return True
            nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
            if token in self.demonstratives and nxt and nxt not in self.time_nouns:
                return True  # "ce groupe", "ce dernier"; not "ce matin", "cette semaine"
        return not names_speaker and self._long_quote(folded)


_MATCHERS: dict[int, CueMatcher] = {}


def cue_matcher(lex: Lexicon) -> CueMatcher:
    """The lexicon's cue matcher (built once per lexicon)."""
    if id(lex) not in _MATCHERS:
        _MATCHERS[id(lex)] = _build_matcher(lex)
    return _MATCHERS[id(lex)]


def fold(text: str) -> str:
    """Accents off, plain apostrophes: same length as the text."""
    return text.translate(_FOLD)


def verb_forms(lex: Lexicon, lemma: str) -> set[str]:
    """A verb as the gate sees it: infinitive, regular forms, and the bare stem of a
    class with an infinitive ending ("dément" from "démentir"); irregular forms are the
    lexicon's gate words."""
    stems = {
        lemma[: -len(ending)] for ending in lex.verb_endings if ending and lemma.endswith(ending)
    }
    forms = {lemma, *stems, *lex.inflections(lemma)}
    if lemma.endswith(("eler", "eter")):  # "rappelle", "appellent", "jette": the doubled consonant
        doubled = lemma[:-2] + lemma[-3]
        forms |= {doubled + "e", doubled + "es", doubled + "ent"}
    return forms


def _phrase(phrase: str) -> str:
    """A phrase as a regex: one word may come between two of its words ("il serait même
    question", "a fait également savoir")."""
    words = [re.escape(w) for w in re.split(r"\s+|(?<=')", phrase) if w]
    return r"(?:\s*\w+\s)?\s*".join(words)


def _folded(words: Iterable[str]) -> frozenset[str]:
    """Single words as the gate's tokens see them: folded, lower case, no apostrophe."""
    return frozenset(fold(w.lower()).rstrip("'") for w in words if w)


def _build_matcher(lex: Lexicon) -> CueMatcher:
    entries: set[str] = set()
    for phrases in lex.source_prepositions.values():
        entries |= {" ".join(p) for p in phrases}
    for group in (
        lex.source_infinitives,
        lex.source_noun_phrases,
        lex.hearsay_patterns,
        lex.speech_phrases,
        lex.self_phrases,
        lex.continuation_phrases,
    ):
        entries |= {" ".join(p) for p in group}
    for first, *rest in lex.speech_phrases:  # "laisse entendre", "a tiré la sonnette …"
        entries |= {" ".join([form, *rest]) for form in verb_forms(lex, first)}
    entries |= set(lex.speech_nouns) | set(lex.gate_words)
    entries |= set(lex.source_kinds.get("social_media", ()))  # "sur les réseaux sociaux, …"
    folded = {fold(e.lower()) for e in entries if e}
    words = frozenset(e for e in folded if _WORD.fullmatch(e))
    verbs: dict[str, bool] = {}
    infinitives: set[str] = set()
    for lemma in sorted(lex.speech_verbs | lex.relay_verbs | lex.reflexive_speech_verbs):
        forms = verb_forms(lex, lemma)
        if " " in lemma or "'" in lemma:  # "faire savoir", "s'indigner": phrases
            folded |= {fold(f.lower()) for f in forms}
            continue
        takes_object = lemma in lex.object_claim_verbs
        for form in (fold(f.lower()) for f in forms):
            if form not in words:
                verbs[form] = verbs.get(form, False) or takes_object
        infinitives.add(fold(lemma.lower()))
        infinitives |= {
            fold(f.lower()) for f in forms if f.endswith(tuple(lex.present_participle_endings))
        }
    by_first: dict[str, list[str]] = {}
    for phrase in sorted(folded - words - set(verbs), key=len, reverse=True):
        if not _WORD.fullmatch(phrase):
            by_first.setdefault(_TOKEN.findall(phrase)[0], []).append(_phrase(phrase))
    parts = {first: r"(?<!\w)(?:" + "|".join(ps) + r")(?!\w)" for first, ps in by_first.items()}
    if lex.view_prepositions:
        # "Pour le ministre, …", "pour Jean Dupont, …", "pour lui, …": a holder of views
        holders = sorted(
            {fold(w) for w in lex.view_holder_nouns | lex.view_holder_pronouns}, key=len
        )
        determiners = "|".join(map(re.escape, sorted(lex.definite_determiners)))
        for preposition in lex.view_prepositions:
            view = (
                rf"\b{re.escape(preposition)}\s"
                rf"(?:[^,.;]{{0,40}}?\b(?:{'|'.join(map(re.escape, holders))})\b"
                rf"|(?:(?:{determiners})\s?)?(?-i:[A-Z]))[^,.;]{{0,80}},"
            )
            first = fold(preposition.lower())
            parts[first] = f"{parts[first]}|{view}" if first in parts else view
    anaphors = {
        w
        for group in (lex.pronouns, lex.demonstrative_pronouns, *lex.continuation_phrases)
        for entry in group
        for w in _WORD.findall(fold(entry.lower()))[:1]  # "celui-ci": celui; "même source": même
    }
    marks = "".join(o + c for o, c in lex.quote_pairs) + '"'
    return CueMatcher(
        words=words,
        phrases={first: re.compile(part, re.IGNORECASE) for first, part in parts.items()},
        verbs=verbs,
        giving=_forms(lex, lex.content_verbs),
        words_given=_folded(
            {w + end for w in lex.content_nouns | lex.voice_nouns for end in ("", "s", "x")}
        ),
        counting=_forms(lex, lex.count_verbs),
        infinitives=frozenset(infinitives),
        progressive=_folded(lex.progressive_auxiliaries),
        infinitive_endings=tuple(fold(e) for e in lex.infinitive_endings),
        infinitive_words=_folded(lex.irregular_infinitives),
        determiners=_folded(
            lex.definite_determiners
            | lex.demonstrative_determiners
            | lex.anonymous_determiners
            | lex.self_determiners
            | lex.partitive_articles
        ),
        openers=_folded(lex.complementizers) | frozenset(":" + marks),
        particles=_folded(
            (lex.phrase_particles & lex.genitive_prepositions) - lex.partitive_articles
        ),
        tag_marks=frozenset("," + marks),
        quote_pairs=tuple((fold(o), fold(c)) for o, c in lex.quote_pairs),
        min_quote_words=lex.min_quote_words,
        anaphors=frozenset(anaphors),
        demonstratives=_folded(lex.demonstrative_determiners),
        time_nouns=_folded(lex.time_nouns),
    )


def gate(text: str, lex: Lexicon) -> GatedText:
    spans = list(sentence_spans(text, lex.abbreviations))
    matcher = cue_matcher(lex)
    folded = fold(text)
    keep: set[int] = set()
    for k, (start, end) in enumerate(spans):
        sentence = folded[start:end]
        holds, names_speaker = matcher.holds_cue(sentence)
        if holds:
            context = CONTEXT_SENTENCES if matcher.refers_back(sentence, names_speaker) else 0
            keep.update(range(max(0, k - context), k + 1))
    blocks = _merge([spans[k] for k in sorted(keep)], text)
    skipped = [
        (s, e)
        for k, (s, e) in enumerate(spans)
        if k not in keep and not text[s:e].rstrip().endswith("?") and len(text[s:e].split()) >= 4
    ]
    return GatedText(blocks, len(spans), len(skipped))


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, str]]:
    """Consecutive kept sentences of one line become one block (the parser sees them
    together, as it would the whole line)."""
    blocks: list[tuple[int, int]] = []
    for start, end in spans:
        if (
            blocks
            and "\n" not in text[blocks[-1][1] : start]
            and text[blocks[-1][1] : start].strip() == ""
        ):
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
    return [(s, text[s:e]) for s, e in blocks]


def _forms(lex: Lexicon, lemmas: frozenset[str]) -> frozenset[str]:
    return frozenset(fold(f.lower()) for lemma in lemmas for f in verb_forms(lex, lemma))
