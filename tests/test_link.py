"""Linking sources to outlets: how each link was made, self-citation, acronyms the article
introduces. Articles and outlets are written for these tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from attribution.audit import audit, own_outlets
from attribution.link import link_article
from attribution.model import Article, Attribution, Cue, CueType, Mention, SourceKind, Span
from attribution.registry import (
    Alias,
    Outlet,
    Rating,
    Registry,
    derive_reliability,
    rating_level,
)

NOUR_TV = Outlet(id="nour-tv", name="Al-Nour", type="tv", country="LB")
NOUR_NEWS = Outlet(id="nour-news", name="Al-Nour News", type="website", country="LB")
FRONT = Outlet(
    id="front-vert",
    name="Front vert",
    aliases=(Alias(text="Front des collines vertes", lang="fr"),),
    type="armed_group",
)
REGISTRY = Registry({o.id: o for o in (NOUR_TV, NOUR_NEWS, FRONT)})


def attribution(text: str, source: str, kind: SourceKind, occurrence: int = 0) -> Attribution:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(source, start + 1)
    span = Span(start, start + len(source), source)
    return Attribution(
        article="t",
        sentence=0,
        cue=Cue(Span(0, 5, text[:5]), CueType.PREPOSITION, "selon"),
        claim=Span(0, 1, text[:1]),
        source=Mention(span, kind),
        confidence=0.9,
    )


def test_a_name_with_a_distinguishing_word_links_its_own_outlet() -> None:
    text = "Selon Al-Nour News, le pont est coupé."
    [a], _ = link_article(
        [attribution(text, "Al-Nour News", SourceKind.OUTLET)], REGISTRY, Article("t", text)
    )
    assert (a.outlet, a.outlet_match, a.confidence) == ("nour-news", "exact", 0.9)


def test_self_citation_names_the_publisher() -> None:
    text = "Selon notre chaîne Al-Nour, le pont est coupé."
    found = [attribution(text, "notre chaîne Al-Nour", SourceKind.PUBLISHER_SELF)]
    [a], article = link_article(found, REGISTRY, Article("t", text))
    assert (a.outlet, article.publisher) == ("nour-tv", "nour-tv")
    assert a.outlet_match == "descriptor"
    assert a.confidence < 0.9
    # a publisher given on the command line stays
    [_], given = link_article(found, REGISTRY, Article("t", text, publisher="nour-news"))
    assert given.publisher == "nour-news"


def test_an_acronym_the_article_introduces_links_later_mentions() -> None:
    text = "Le Front des collines vertes tient la crête. Plus tard, le FCV a déclaré avoir reculé."
    [a], _ = link_article(
        [attribution(text, "le FCV", SourceKind.ORGANIZATION)], REGISTRY, Article("t", text)
    )
    assert (a.outlet, a.outlet_match) == ("front-vert", "article_acronym")
    assert a.source is not None
    assert a.source.kind is SourceKind.ARMED_GROUP
    # given in parentheses, whatever its letters
    given = "Le Front vert (FV-N) tient la crête. Plus tard, le FV-N a reculé."
    # (an acronym of letters only is looked up; this one has a hyphen: no link)
    [c], _ = link_article(
        [attribution(given, "le FV-N", SourceKind.ORGANIZATION, occurrence=0)],
        REGISTRY,
        Article("t", given),
    )
    assert c.outlet is None
    paren = "Le Front vert (FRV) tient la crête. Plus tard, le FRV a reculé."
    [d], _ = link_article(
        [attribution(paren, "le FRV", SourceKind.ORGANIZATION)], REGISTRY, Article("t", paren)
    )
    assert (d.outlet, d.outlet_match) == ("front-vert", "article_acronym")
    # not written out before: no link
    alone = "Le FCV a déclaré avoir reculé."
    [b], _ = link_article(
        [attribution(alone, "Le FCV", SourceKind.ORGANIZATION)], REGISTRY, Article("t", alone)
    )
    assert b.outlet is None


WATCH = Outlet(id="veille-sud", name="Veille des droits du Sud", type="monitor", country="LB")
RIGHTS = Outlet(id="droits-plus", name="Droits Plus", type="ngo", country="FR")
WIRE = Outlet(id="fil-sud", name="Fil Sud", type="agency", country="LB")


def test_an_indefinite_source_is_the_one_of_its_class_the_article_names() -> None:
    text = (
        "Six maisons ont brûlé, a indiqué une ONG locale. "
        "Les pompiers sont arrivés tard, a ajouté la Veille des droits du Sud."
    )
    registry = Registry({o.id: o for o in (WIRE, WATCH, RIGHTS)})
    found = [
        attribution(text, "une ONG locale", SourceKind.ORGANIZATION),
        attribution(text, "la Veille des droits du Sud", SourceKind.ORGANIZATION),
    ]
    a, named = link_article(found, registry, Article("t", text))[0]
    assert named.outlet == "veille-sud"
    assert (a.outlet, a.outlet_match) == ("veille-sud", "article_named")
    assert a.confidence < named.confidence
    # "organisation" names no class: a terrorist organisation is no NGO
    armed = "Six maisons ont brûlé, selon une organisation armée. Droits Plus a protesté."
    [c, _] = link_article(
        [
            attribution(armed, "une organisation armée", SourceKind.ORGANIZATION),
            attribution(armed, "Droits Plus", SourceKind.ORGANIZATION),
        ],
        registry,
        Article("t", armed),
    )[0]
    assert c.outlet is None
    # two organisations of the class named: no guess
    both = text + " Droits Plus a dénoncé les délais."
    found.append(attribution(both, "Droits Plus", SourceKind.ORGANIZATION))
    first = link_article(found, registry, Article("t", both))[0][0]
    assert first.outlet is None
    # the class word takes a complement: another class ("une agence de notation")
    for agency in ("une agence de notation", "une agence"):
        rating = f"La note baisse, selon {agency}. Fil Sud a confirmé."
        c = link_article(
            [
                attribution(rating, agency, SourceKind.ORGANIZATION),
                attribution(rating, "Fil Sud", SourceKind.OUTLET),
            ],
            registry,
            Article("t", rating),
        )[0][0]
        assert c.outlet == (None if "notation" in agency else "fil-sud")


HEALTH = Outlet(
    id="sante-vd",
    name="Département de la santé du canton de Vaud",
    aliases=(Alias(text="ministère de la Santé du canton de Vaud", lang="fr"),),
    type="government",
    country="CH",
)
OWNERS = Registry({o.id: o for o in (NOUR_TV, NOUR_NEWS, FRONT, HEALTH)})


def test_a_documents_maker_is_its_owner() -> None:
    text = "Le bilan dressé par le ministère de la Santé du canton de Vaud fait état de 3 morts."
    source = "Le bilan dressé par le ministère de la Santé du canton de Vaud"
    [a], _ = link_article(
        [attribution(text, source, SourceKind.DOCUMENT)], OWNERS, Article("t", text)
    )
    assert (a.outlet, a.outlet_match) == ("sante-vd", "normalized")
    # "par" names an owner only for a document: people evacuated by a group are not its own
    led = "Des habitants évacués par le Front vert ont décrit des tirs."
    [b], _ = link_article(
        [attribution(led, "Des habitants évacués par le Front vert", SourceKind.WITNESS)],
        OWNERS,
        Article("t", led),
    )
    assert b.outlet is None


def test_an_owner_named_before_other_words() -> None:
    text = "Un correspondant d'Al-Nour News sur place a vu les blindés."
    source = "Un correspondant d'Al-Nour News sur place"
    [a], _ = link_article(
        [attribution(text, source, SourceKind.ANONYMOUS)], OWNERS, Article("t", text)
    )
    assert a.outlet == "nour-news"


def test_an_outlets_anonymous_sources_are_relayed_by_it() -> None:
    text = "Selon une source d'Al-Nour News proche du dossier, le pont a cédé."
    source = "une source d'Al-Nour News proche du dossier"
    [a], _ = link_article(
        [attribution(text, source, SourceKind.ANONYMOUS)], OWNERS, Article("t", text)
    )
    assert (a.outlet, a.via_outlet, a.outlet_match) == (None, "nour-news", None)
    # the publisher's own sources are not relayed by anyone
    [b], _ = link_article(
        [attribution(text, source, SourceKind.ANONYMOUS)],
        OWNERS,
        Article("t", text, publisher="nour-news"),
    )
    assert (b.outlet, b.via_outlet) == (None, None)


def test_an_owner_named_before_an_apposition_is_chosen_by_the_articles_country() -> None:
    ministry = Alias(text="ministère de l'Eau", lang="fr")
    water = Registry(
        {
            "eau-ps": Outlet(
                id="eau-ps",
                name="Autorité de l'eau de Gaza",
                aliases=(ministry,),
                type="government",
                country="PS",
                ambiguous_with=("eau-lb",),
            ),
            "eau-lb": Outlet(
                id="eau-lb",
                name="Office de l'eau du Liban",
                aliases=(ministry,),
                type="government",
                country="LB",
                ambiguous_with=("eau-ps",),
            ),
        }
    )
    source = "Le porte-parole du ministère de l'Eau, Karim Saleh"
    for place, outlet in (("À Gaza", "eau-ps"), ("À Beyrouth", "eau-lb"), ("À Lyon", None)):
        text = f"{place}, les puits sont à sec, a dit {source}."
        [a], _ = link_article(
            [attribution(text, source, SourceKind.OFFICIAL)], water, Article("t", text)
        )
        assert a.outlet == outlet, place


def test_an_owner_written_before_the_role_in_english() -> None:
    for text, source in (
        ("A Front vert official said the bridge was closed.", "A Front vert official"),
        ("Front vert's spokesman said the bridge was closed.", "Front vert's spokesman"),
    ):
        article = Article("t", text, lang="en")
        [a], _ = link_article([attribution(text, source, SourceKind.OFFICIAL)], OWNERS, article)
        assert a.outlet == "front-vert", text
    # not in French, where the owner follows ("un responsable du Front vert")
    text = "Le Front vert responsable a parlé."
    [b], _ = link_article(
        [attribution(text, "Le Front vert responsable", SourceKind.PERSON)],
        OWNERS,
        Article("t", text, lang="fr"),
    )
    assert b.outlet is None


def rating(provider: str, kind: str, value: str, date: object) -> Rating:
    return Rating.model_validate(
        {
            "provider": provider,
            "kind": kind,
            "value": value,
            "date": date,
            "url": "https://example.org/r",
        }
    )


def test_state_measures_and_sanctions_never_set_a_level() -> None:
    measures = (
        rating("Government of Somewhere", "state_measure", "suspended, accused of fake news", 2023),
        rating("Council of the EU (sanctions)", "sanction", "sanctioned", "2022-03-02"),
    )
    outlet = Outlet(id="x", name="X", type="tv", ratings=measures)
    assert derive_reliability(outlet).level == "unrated"
    assert [rating_level(r) for r in measures] == [None, None]


def test_the_level_comes_from_assessments_with_the_rule() -> None:
    rsp = "English Wikipedia: Reliable sources/Perennial sources"
    high = rating(rsp, "assessment", "generally reliable", 2024)
    low = rating("NewsGuard", "assessment", "12.5/100: not reliable", "2023-05-01")
    older = rating("NewsGuard", "assessment", "80/100", 2019)
    one = derive_reliability(Outlet(id="a", name="A", type="tv", ratings=(high,)))
    assert (one.level, len(one.derived_from)) == ("high", 1)
    # providers disagree by two steps: mixed; each provider's latest rating counts
    both = derive_reliability(Outlet(id="b", name="B", type="tv", ratings=(high, low, older)))
    assert both.level == "mixed"
    assert "Derived" in (both.rationale or "")
    # the team's review stands
    reviewed = Outlet.model_validate(
        {
            "id": "c",
            "name": "C",
            "type": "tv",
            "reliability": {"level": "high", "reviewed": dt.date(2025, 1, 1)},
            "ratings": [low.model_dump()],
        }
    )
    assert derive_reliability(reviewed).level == "high"


def test_the_publishers_own_outlets_are_not_independent() -> None:
    owner = {"owner": "Groupe Lumière"}
    a = Outlet.model_validate({"id": "a", "name": "A", "type": "tv", "ownership": [owner]})
    b = Outlet.model_validate({"id": "b", "name": "B", "type": "radio", "ownership": [owner]})
    c = Outlet(id="c", name="C", type="newspaper")
    registry = Registry({o.id: o for o in (a, b, c)})
    assert own_outlets("a", registry) == frozenset({"a", "b"})
    claims = pd.DataFrame(
        [
            {
                "article": "x",
                "claimant": s,
                "source_kind": "outlet",
                "outlet": o,
                "via": None,
                "publisher": "a",
                "review_status": "pending",
            }
            for s, o in (("A", "a"), ("B", "b"), ("C", "c"))
        ]
    )
    articles = [
        {
            "id": "x",
            "publisher": "a",
            "sentences": 3,
            "factual_sentences": 3,
            "unattributed_sentences": 0,
        }
    ]
    row = audit(claims, articles, registry)[0]
    assert (row.outlets, row.independent_outlets) == (3, 1)


def test_an_unknown_source_gets_a_registry_stub() -> None:
    import yaml

    from attribution.unknown import UnknownSource, stub

    entry = yaml.safe_load(stub(UnknownSource("la Brigade des Cèdres", "armed_group", 3, 2, "a")))
    assert entry == [
        {
            "id": "brigade-des-cedres",
            "name": "Brigade des Cèdres",
            "aliases": [{"text": "la Brigade des Cèdres", "lang": "fr"}],
            "type": "armed_group",
            "country": None,
            "refs": [],
        }
    ]
