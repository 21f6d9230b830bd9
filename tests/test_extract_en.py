"""English from the same rules, with the English lexicon as data (hand-written UD parses)."""

from __future__ import annotations

from pathlib import Path

import pytest

from attribution.extract import extract
from attribution.lexicon import Lexicon, load_lexicon
from attribution.model import Attribution
from attribution.nlp.conllu import read_conllu

DATA = Path(__file__).parent / "data" / "conllu_en"


@pytest.fixture(scope="module")
def en() -> Lexicon:
    return load_lexicon("en")


def run(name: str, lexicon: Lexicon) -> list[Attribution]:
    return extract(read_conllu((DATA / f"{name}.conllu").read_text("utf-8")), lexicon, "doc")


def test_according_to(en: Lexicon) -> None:
    [a] = run("according_to", en)
    assert a.cue.span.text == "according to"
    assert a.source is not None
    assert (a.source.span.text, a.source.kind.value) == ("the police", "official")
    assert a.claim.text == "The road was closed on Monday"


def test_said_that(en: Lexicon) -> None:
    [a] = run("said_that", en)
    assert a.cue.span.text == "said"
    assert a.source is not None
    assert a.source.span.text == "The health ministry"
    assert a.claim.text == "the hospital had run out of fuel"


def test_quote_with_a_tag_after_it(en: Lexicon) -> None:
    [a] = run("quote_tag", en)
    assert a.source is not None
    assert a.source.span.text == "the minister"
    assert a.claim.text == "We will not give up the bridge"
    assert a.direct_quote


def test_cited_by_is_a_relay(en: Lexicon) -> None:
    [a] = run("cited_by", en)
    assert a.source is not None
    assert (a.source.span.text, a.source.kind.value) == ("Officials", "anonymous")
    assert a.via is not None
    assert a.via.span.text == "Reuters"
    assert a.claim.text == "the talks would resume on Thursday"


def test_according_to_plan_is_not_an_attribution(en: Lexicon) -> None:
    assert run("not_attribution", en) == []


def test_an_office_title_makes_an_official_and_confirm_takes_its_object(en: Lexicon) -> None:
    # the parse as en_core_web_sm 3.8 gives it (the model is not a dependency)
    first, second = run("titles_and_objects", en)
    assert first.source is not None
    assert (first.source.span.text, first.source.kind.value) == ("Sen. Maria Holt", "official")
    assert first.claim.text == "the agreement would be signed next week"
    assert second.cue.span.text == "confirmed"
    assert second.claim.text == "the arrest of two men near the harbor"


def test_a_tag_in_a_clause_of_comparison(en: Lexicon) -> None:
    [a] = run("as_tag", en)
    assert a.cue.span.text == "as the mayor said"
    assert a.source is not None
    assert a.source.span.text == "the mayor"
    assert a.claim.text == "The bridge will stay closed"


def test_the_tags_subject_before_the_verb_not_the_day_after(en: Lexicon) -> None:
    [a] = run("tag_said_weekday", en)
    assert a.source is not None
    assert a.source.span.text == "the ministry"
    assert a.claim.text == "The talks will resume soon"


def test_told_an_outlet_relays_through_it(en: Lexicon) -> None:
    first, second = run("told_outlet", en)
    assert first.via is not None
    assert first.via.span.text == "Reuters"
    assert first.claim.text == "the ship had sailed"
    assert second.via is not None
    assert second.via.span.text == "Radio Sud"


def test_a_name_keeps_the_office_the_article_gave_it(en: Lexicon) -> None:
    first, later = run("role_named_before", en)
    assert first.source is not None
    assert first.source.kind.value == "official"
    assert later.source is not None
    assert (later.source.span.text, later.source.kind.value) == ("Holt", "official")


def test_it_said_is_the_body_spoken_of_before_not_a_person(en: Lexicon) -> None:
    _, _, it = run("it_said", en)
    assert it.source is not None
    assert it.source.span.text == "It"
    assert it.source.resolved is not None
    assert it.source.resolved.text == "The health ministry"
    assert it.source.kind.value == "official"


def test_according_to_a_count(en: Lexicon) -> None:
    [a] = run("according_to_toll", en)
    assert a.source is not None
    assert (a.source.span.text, a.source.kind.value) == ("a ministry toll", "document")
    assert a.claim.text == "Nine people died"


def test_a_tag_set_inside_the_clause_it_reports(en: Lexicon) -> None:
    # the parse as en_core_web_sm 3.8 gives it; the claim is the whole clause, tag included
    first, second = run("incise_tag", en)
    assert first.source is not None
    assert (first.cue.span.text, first.source.span.text) == ("said", "he")
    assert first.claim.text == (
        "In the past six months, he said, the company spent a fraction of its budget"
    )
    assert second.source is not None
    assert second.source.span.text == "officials"
    assert second.claim.text == "The bridge, officials said, will reopen on Monday"


def test_objects_in_the_english_scheme_and_a_cited_compound(en: Lexicon) -> None:
    # the parse as en_core_web_sm 3.8 gives it: "dobj" and "prep", not UD's "obj" and "obl"
    reported, accused, cited = run("objects_and_citing", en)
    assert reported.claim.text == "60 confirmed cases and 44 deaths"
    assert accused.claim.text == "the company of lying to residents"
    assert cited.source is not None
    assert cited.via is not None
    assert (cited.source.span.text, cited.via.span.text) == ("aid workers", "The agency")
    assert cited.claim.text == "hunger was rising"
