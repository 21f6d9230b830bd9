"""Link extracted sources to registry outlets: the step after extraction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from attribution.model import Article, Attribution, Mention, SourceKind
from attribution.registry import Registry, country_context

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
            elif source.kind in _NAMED_KINDS:
                outlet = matcher.match(_name(source), countries).outlet
                if outlet is not None:
                    kind = KIND_OF_TYPE[registry.outlets[outlet].type]
                    source = replace(source, kind=kind)
        if a.via is not None:
            via = matcher.match(_name(a.via), countries).outlet
        out.append(replace(a, source=source, outlet=outlet, via_outlet=via))
    return out


def _name(mention: Mention) -> str:
    return (mention.resolved or mention.span).text
