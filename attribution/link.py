"""Link extracted sources to registry outlets: the step after extraction."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import replace

from attribution.lexicon import Lexicon, load_lexicon, unaccented
from attribution.model import Article, Attribution, Mention, SourceKind, Span
from attribution.registry import (
    Match,
    Matcher,
    Registry,
    country_context,
    indefinite_types,
    method_confidence,
)
from attribution.registry import matching_words as _matching_words

KIND_OF_TYPE = {
    "newspaper": SourceKind.OUTLET,
    "tv": SourceKind.OUTLET,
    "radio": SourceKind.OUTLET,
    "agency": SourceKind.OUTLET,
    "website": SourceKind.OUTLET,
    "social_account": SourceKind.SOCIAL_MEDIA,
    "ngo": SourceKind.ORGANIZATION,
    "monitor": SourceKind.ORGANIZATION,
    "party": SourceKind.ORGANIZATION,
    "government": SourceKind.OFFICIAL,
    "armed_group": SourceKind.ARMED_GROUP,
}
# A mention of these kinds names its source; a match may correct the kind. Anonymous
# sources, witnesses and documents stay what the text says they are.
_NAMED_KINDS = {
    SourceKind.PERSON,
    SourceKind.ORGANIZATION,
    SourceKind.OFFICIAL,
    SourceKind.OUTLET,
    SourceKind.ARMED_GROUP,
}
_NOT_OWNER = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in _matching_words("not_owner_before")) + r")\s*$",
    re.IGNORECASE,
)
_NEXT_WORDS = re.compile(r"[\s-]*([\w'’.-]+)")
MAX_EXTRA_WORDS = 2


def link(
    attributions: Iterable[Attribution], registry: Registry, article: Article
) -> list[Attribution]:
    return link_article(attributions, registry, article)[0]


def link_article(
    attributions: Iterable[Attribution], registry: Registry, article: Article
) -> tuple[list[Attribution], Article]:
    """The attributions with their outlets, and the article with its publisher: the outlet
    a self-citation names ("notre chaîne al-Manar") when no publisher was given."""
    found = list(attributions)
    countries = frozenset(country_context(article.text))
    matcher = registry.matcher
    linker = _Linker(matcher, registry, article, countries)
    lex = load_lexicon(article.lang or "fr")
    own = [
        linker.name(a.source)
        for a in found
        if a.source is not None and a.source.kind is SourceKind.PUBLISHER_SELF
    ]
    named = [m for _, m in own if m.outlet is not None]
    if article.publisher is None and named:
        article = replace(article, publisher=named[0].outlet)
        linker.article = article
    out = []
    for a in found:
        outlet = via = how = None
        source = a.source
        confidence = a.confidence
        if source is not None:
            if source.kind is SourceKind.PUBLISHER_SELF:
                _, m = linker.name(source)
                outlet = m.outlet or article.publisher
                how = m.how if m.outlet else ("publisher" if outlet else None)
            else:
                source, outlet, m = linker.mention(source)
                how = m.how if m.method != "none" else None
            if how is not None:
                confidence *= method_confidence(how)
        if a.via is not None:
            _, via, _ = linker.mention(a.via)
            if via is not None and via == article.publisher:
                via = None  # words given to the publisher itself are not relayed
        media = outlet is not None and registry.outlets[outlet].type in MEDIA_TYPES
        if media and _anonymous_sources(source, lex):
            # "une source de l'agence X au fait du dossier": the agency relays its source
            via = None if outlet == article.publisher else via or outlet
            outlet = how = None
            confidence = a.confidence
        out.append(
            replace(
                a,
                source=source,
                outlet=outlet,
                via_outlet=via,
                outlet_match=how,
                confidence=confidence,
            )
        )
    return _named_elsewhere(out, registry, lex), article


MEDIA_TYPES = frozenset({"newspaper", "tv", "radio", "agency", "website"})
_WORDS = re.compile(r"\w+")


def _anonymous_sources(source: Mention | None, lex: Lexicon) -> bool:
    """ "des sources d'al-Akhbar", "une source de l'AFP": anonymous sources an outlet
    spoke to, not the outlet itself (its correspondent is its own: "un correspondant de X")."""
    if source is None or source.kind is not SourceKind.ANONYMOUS:
        return False
    words = {unaccented(w.casefold()) for w in _WORDS.findall(source.span.text)}
    return bool(words & lex.always_anonymous)


MAX_INDEFINITE_WORDS = 5


def _named_elsewhere(
    found: list[Attribution], registry: Registry, lex: Lexicon
) -> list[Attribution]:
    """ "… a annoncé une ONG. … a précisé l'Observatoire …": an indefinite source of a class
    is the entry of that class the article cites by name, when it cites exactly one."""
    named = {a.outlet for a in found if a.outlet is not None}
    out = []
    for a in found:
        types = _indefinite_class(a.source, lex)
        fits = sorted(o for o in named if registry.outlets[o].type in types)
        if a.outlet is None and len(fits) == 1:
            a = replace(
                a,
                outlet=fits[0],
                outlet_match="article_named",
                confidence=a.confidence * method_confidence("article_named"),
            )
        out.append(a)
    return out


def _indefinite_class(mention: Mention | None, lex: Lexicon) -> frozenset[str]:
    """The types "une ONG syrienne" or "a war monitor" may be; none for "une agence de
    notation" (the class word takes a complement) or a pronoun's antecedent."""
    if mention is None or mention.resolved is not None:
        return frozenset()
    words = [unaccented(w.casefold()) for w in mention.span.text.split()]
    if not 1 < len(words) <= MAX_INDEFINITE_WORDS or words[0] not in lex.anonymous_determiners:
        return frozenset()
    classes = indefinite_types()
    for k, word in enumerate(words[1:], 1):
        if word in classes:
            if any(w in lex.genitive_prepositions for w in words[k + 1 :]):
                return frozenset()
            return classes[word]
    return frozenset()


class _Linker:
    def __init__(
        self, matcher: Matcher, registry: Registry, article: Article, countries: frozenset[str]
    ) -> None:
        self.matcher = matcher
        self.registry = registry
        self.article = article
        self.countries = countries

    def name(self, mention: Mention) -> tuple[Span, Match]:
        """What the words of a mention name, the span widened if the parser cut it short."""
        return _match_name(
            mention.resolved or mention.span, self.matcher, self.article, self.countries
        )

    def mention(self, mention: Mention) -> tuple[Mention, str | None, Match]:
        """The outlet a mention names (its span widened if the name was cut short), or the
        outlet named as its owner ("un rapport de l'OMS")."""
        name = mention.resolved or mention.span
        lang = self.article.lang or "fr"
        if mention.kind in _NAMED_KINDS:
            span, m = self.name(mention)
            if m.outlet is not None:
                kind = KIND_OF_TYPE[self.registry.outlets[m.outlet].type]
                if mention.resolved is None:
                    return replace(mention, span=span, kind=kind), m.outlet, m
                return replace(mention, kind=kind), m.outlet, m
            if m.method == "ambiguous":
                return mention, None, m
        made_by = mention.kind is SourceKind.DOCUMENT  # "un bilan dressé par l'OMS"
        for cut in of_pattern(lang, made_by).finditer(name.text):  # "un décompte de l'agence X"
            if cut.start() == 0 or _NOT_OWNER.search(name.text[: cut.start()]):
                continue  # "Des témoins …" opens with an article; "des proches du X" are not X's
            rest = name.text[cut.end() :]  # "un bilan dressé par le ministère de la Santé"
            for named in dict.fromkeys((rest, re.split(r"\s*[,(]", rest)[0])):
                whole = self.matcher.match(named, self.countries)  # all of it is the name
                if whole.outlet is not None and whole.method in ("exact", "alias", "normalized"):
                    return mention, whole.outlet, whole  # (up to an apposition: ", X")
            piece = of_pattern(lang, made_by).split(rest)[0]
            for owner_name in dict.fromkeys((piece, _capitalized_head(piece))):
                owner = self.matcher.match(owner_name, self.countries)
                if owner.outlet is not None:
                    return mention, owner.outlet, owner
        lex = load_lexicon(lang)
        if lex.owner_before_role:
            articles = lex.definite_determiners | lex.anonymous_determiners
            for owner_name in _owner_before_role(name.text, articles):
                owner = self.matcher.match(owner_name, self.countries)
                if owner.outlet is not None and method_confidence(owner.how) >= 0.95:
                    return mention, owner.outlet, owner
        return mention, None, Match(None, "none")


_POSSESSIVE = re.compile(r"^(.+?)['’]s\s", re.IGNORECASE)
_ROLE_WORDS = 2


def _owner_before_role(text: str, articles: frozenset[str]) -> list[str]:
    """The body a role belongs to, written before it: "Israel" of "Israel's military",
    "WHO" of "the WHO director-general", "Gaza health ministry" of "a Gaza health
    ministry official" (role words are lower-case)."""
    words = text.split()
    if words and words[0].lower() in articles:
        words = words[1:]
    found = [m.group(1) for m in [_POSSESSIVE.match(" ".join(words))] if m]
    for n in range(1, _ROLE_WORDS + 1):
        if len(words) > n and all(w[:1].islower() for w in words[-n:]):
            found.append(" ".join(words[:-n]))
    return found


def _capitalized_head(words: str) -> str:
    """The name before the words that follow it: "AFP" of "AFP à proximité"."""
    kept: list[str] = []
    for word in words.split():
        if kept and not word[:1].isupper():
            break
        kept.append(word)
    return " ".join(kept)


@functools.cache
def of_pattern(lang: str, made_by: bool = False) -> re.Pattern[str]:
    """Splits "un rapport de l'OMS" before the owner's name, with the language's "of"
    words; and "un bilan dressé par l'OMS" with its "by" words, for a document's maker."""
    lex = load_lexicon(lang)
    owners = lex.genitive_prepositions | (lex.agent_prepositions if made_by else frozenset())
    words = sorted(owners, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) + (r"\s*" if w.endswith("'") else r"\s+") for w in words)
    return re.compile(rf"\b(?:{alternatives})(?:(?:la|l')\s*)?", re.IGNORECASE)


def _match_name(
    name: Span, matcher: Matcher, article: Article, countries: frozenset[str]
) -> tuple[Span, Match]:
    """The outlet a name matches, also when the parser cut the name short
    ("L'Orient-Le" of "L'Orient-Le Jour"): then with the span widened; or an acronym the
    article introduced ("le Front islamique … le FI")."""
    text = article.text
    found = matcher.match(name.text, countries)
    if found.outlet is not None or found.method == "ambiguous":
        return name, found
    end = name.end
    for _ in range(MAX_EXTRA_WORDS):
        m = _NEXT_WORDS.match(text, end)
        if m is None or "\n" in m.group(0) or not m.group(1)[:1].isupper():
            break  # a name goes on with capitalised words only
        end = m.end()
        wider = Span(name.start, end, text[name.start : end])
        widened = matcher.match(wider.text, countries)
        if widened.outlet is not None and widened.method != "fuzzy":
            return wider, widened
    acronym = _article_acronym(name, matcher, text)
    if acronym is not None:
        return name, acronym
    return name, found


_ACRONYM = re.compile(r"^(?:(?:le|la|les|l['’]|the)\s*)?([A-Z][A-Za-z]{1,6})$")


def _article_acronym(name: Span, matcher: Matcher, text: str) -> Match | None:
    """ "le FI" after "le Front islamique": an acronym of a registry name the article wrote
    out before, or gave in parentheses ("le Front islamique (FI)")."""
    m = _ACRONYM.match(name.text.strip())
    if m is None or sum(c.isupper() for c in m.group(1)) < 2:
        return None
    acronym = m.group(1).upper()
    before = unaccented(text[: name.start].casefold())
    for outlet, spelled in matcher.initials.get(acronym, ()):
        if spelled in before:
            return Match(outlet, "article_acronym", 100.0, (outlet,), spelled)
    # "Hayat Tahrir al-Cham (HTS)": the words before the acronym in parentheses
    given = re.findall(
        rf"([^().,;:\n]{{3,80}})\(\s*{re.escape(m.group(1))}\s*\)", text[: name.start]
    )
    if given:
        found = matcher.match(given[-1].strip())
        if found.outlet is not None and found.method != "fuzzy":
            return Match(found.outlet, "article_acronym", 100.0, (found.outlet,), given[-1].strip())
    return None
