"""Link extracted sources to registry outlets: the step after extraction."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import replace

from attribution.lexicon import load_lexicon
from attribution.model import Article, Attribution, Mention, SourceKind, Span
from attribution.registry import Matcher, Registry, country_context

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
_NEXT_WORDS = re.compile(r"[\s-]*([\w'’.-]+)")
MAX_EXTRA_WORDS = 2


def link(
    attributions: Iterable[Attribution], registry: Registry, article: Article
) -> list[Attribution]:
    countries = frozenset(country_context(article.text))
    matcher = registry.matcher
    out = []
    for a in attributions:
        outlet = via = None
        source = a.source
        if source is not None:
            if source.kind is SourceKind.PUBLISHER_SELF:
                outlet = article.publisher
            else:
                source, outlet = _link_mention(source, matcher, registry, article, countries)
        if a.via is not None:
            _, via = _link_mention(a.via, matcher, registry, article, countries)
            if via is not None and via == article.publisher:
                via = None  # words given to the publisher itself are not relayed
        out.append(replace(a, source=source, outlet=outlet, via_outlet=via))
    return out


def _link_mention(
    mention: Mention,
    matcher: Matcher,
    registry: Registry,
    article: Article,
    countries: frozenset[str],
) -> tuple[Mention, str | None]:
    """The outlet a mention names (its span widened if the name was cut short), or the
    outlet named as its owner ("un rapport de l'OMS")."""
    name = mention.resolved or mention.span
    lang = article.lang or "fr"
    if mention.kind in _NAMED_KINDS:
        found = _match_name(name, matcher, article.text, countries)
        if found is not None:
            outlet, span = found
            kind = KIND_OF_TYPE[registry.outlets[outlet].type]
            if mention.resolved is None:
                return replace(mention, span=span, kind=kind), outlet
            return replace(mention, kind=kind), outlet
    for part in of_pattern(lang).split(name.text)[1:]:  # "un décompte de l'agence Reuters"
        owner = matcher.match(part, countries).outlet
        if owner is not None:
            return mention, owner
    return mention, None


@functools.cache
def of_pattern(lang: str) -> re.Pattern[str]:
    """Splits "un rapport de l'OMS" before the owner's name, with the language's "of" words."""
    words = sorted(load_lexicon(lang).genitive_prepositions, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) + (r"\s*" if w.endswith("'") else r"\s+") for w in words)
    return re.compile(rf"\b(?:{alternatives})(?:(?:la|l')\s*)?", re.IGNORECASE)


def _match_name(
    name: Span, matcher: Matcher, text: str, countries: frozenset[str]
) -> tuple[str, Span] | None:
    """The outlet a name matches, also when the parser cut the name short
    ("L'Orient-Le" of "L'Orient-Le Jour"): then with the span widened."""
    outlet = matcher.match(name.text, countries).outlet
    if outlet is not None:
        return outlet, name
    end = name.end
    for _ in range(MAX_EXTRA_WORDS):
        m = _NEXT_WORDS.match(text, end)
        if m is None or "\n" in m.group(0) or not m.group(1)[:1].isupper():
            return None  # a name goes on with capitalised words only
        end = m.end()
        wider = Span(name.start, end, text[name.start : end])
        found = matcher.match(wider.text, countries)
        if found.outlet is not None and found.method != "fuzzy":
            return found.outlet, wider
    return None
