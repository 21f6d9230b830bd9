"""ClaimReview objects for reviewed claims: what fact-checkers publish, valid JSON-LD.

pyld expands each object as a JSON-LD processor (a search engine, a claim database) reads
it. Expanding `"@context": "https://schema.org"` means fetching schema.org's context over
the network, which tests do not have: a document loader serves a local copy instead
(tests/data/jsonld/schemaorg-context.jsonld). That copy is the part of schema.org's
published context that a ClaimReview uses, each term with schema.org's definition, and
*without* its catch-all `@vocab`: a key that is not one of those schema.org terms (a typo,
a made-up property) is dropped by the expansion, and the test sees it go.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from attribution import cli
from attribution.claimreview import (
    ClaimReviewConfig,
    ClaimReviewError,
    Organization,
    claim_reviews,
    load_config,
)
from attribution.registry import load_registry
from attribution.store import Store
from tests.test_store import annotated

CONTEXT = Path(__file__).parent / "data" / "jsonld" / "schemaorg-context.jsonld"
SCHEMA = "http://schema.org/"
DESK = ClaimReviewConfig(organization=Organization(name="Desk Example", url="https://desk.example"))


def schemaorg_only(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the expansion asked for {url}, which no test can fetch")
    document = json.loads(CONTEXT.read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def expand(obj: dict[str, Any]) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(obj, {"documentLoader": schemaorg_only})
    return expanded


def keys(obj: object) -> Iterator[str]:
    """Every key of a JSON object, nested ones too, but the JSON-LD keywords."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if not k.startswith("@"):
                yield k
            yield from keys(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from keys(v)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """Four articles of one sentence each: confirmed, flagged, rejected, pending."""
    with Store(tmp_path / "a.db") as s:
        for name in ("dapres", "verb_que", "selon_postposed", "selon_preposed"):
            item = annotated(name, name)
            article = replace(item.article, url=f"https://news.example/{name}", date="2026-03-02")
            s.save(replace(item, article=article))
        ids = {r["article_id"]: r["id"] for r in s.attributions()}
        s.review(ids["dapres"], "confirm", "alice")
        s.review(ids["verb_que"], "flag", "alice")
        s.review(ids["selon_postposed"], "reject", "alice")
        yield s


def test_only_reviewed_claims_the_table_rates_become_claim_reviews(store: Store) -> None:
    reviews = claim_reviews(store.attributions(), load_registry(use_user_file=False), DESK)
    rated = {r["claimReviewed"]: r["reviewRating"]["alternateName"] for r in reviews}
    assert rated == {  # rejected: an extraction error; pending: not reviewed
        "le barrage a cédé dans la nuit": "Accurately attributed",
        "le pont tenait toujours": "Attribution unverified",
    }


def test_a_claim_review_names_the_source_the_article_and_the_reviewer(store: Store) -> None:
    registry = load_registry(use_user_file=False)
    [review] = claim_reviews(store.attributions(article="dapres"), registry, DESK)
    reuters = registry.outlets["reuters"]
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Desk Example",
        "url": "https://desk.example",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", review["datePublished"])  # the day of the review
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    # linked to an outlet: the registry's name and address, not "l'agence Reuters"
    assert claim["author"] == {
        "@type": "Organization",
        "name": reuters.name,
        "url": f"https://{reuters.domains[0]}",
    }
    assert claim["appearance"]["url"] == "https://news.example/dapres"
    assert claim["appearance"]["datePublished"] == "2026-03-02"
    assert claim["appearance"]["publisher"]["name"] == registry.outlets["afp"].name
    [flagged] = claim_reviews(store.attributions(article="verb_que"), registry, DESK)
    assert flagged["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Le ministère de la Santé",  # an official body, not in the registry
    }


def test_claim_reviews_expand_as_json_ld_with_every_property_a_schema_org_term(
    store: Store,
) -> None:
    config = DESK.model_copy(update={"review_url": "https://desk.example/r/{attribution_id}"})
    reviews = claim_reviews(store.attributions(), load_registry(use_user_file=False), config)
    assert len(reviews) == 2
    for review in reviews:
        [node] = expand(review)
        assert node["@type"] == [f"{SCHEMA}ClaimReview"]
        assert node[f"{SCHEMA}url"] == [{"@id": f"https://desk.example/r/{review['identifier']}"}]
        [item] = node[f"{SCHEMA}itemReviewed"]
        assert item["@type"] == [f"{SCHEMA}Claim"]
        [rating] = node[f"{SCHEMA}reviewRating"]
        assert rating[f"{SCHEMA}ratingValue"][0]["@value"] in (2, 3)
        # nothing was dropped: every key of the object is a schema.org property
        assert {SCHEMA + k for k in keys(review)} == set(keys(node))


def test_the_expansion_drops_a_property_schema_org_does_not_have(store: Store) -> None:
    [review] = claim_reviews(
        store.attributions(article="dapres"), load_registry(use_user_file=False), DESK
    )
    review["claimReviewd"] = review.pop("claimReviewed")  # a typo
    [node] = expand(review)
    assert f"{SCHEMA}claimReviewd" not in set(keys(node))


def test_the_rating_table_is_configurable(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "claimreview.yaml"
    path.write_text(
        "organization: {name: Desk Example}\n"
        "best_rating: 5\n"
        "ratings:\n"
        "  confirmed: {value: 5, name: Attributed as reported}\n"
        "  rejected: {value: 1, name: Misattributed}\n"
        "  flagged: null\n",
        encoding="utf-8",
    )
    config = load_config(path)
    reviews = claim_reviews(store.attributions(), load_registry(use_user_file=False), config)
    rated = {
        r["claimReviewed"]: (r["reviewRating"]["ratingValue"], r["reviewRating"]["alternateName"])
        for r in reviews
    }
    assert rated == {
        "le barrage a cédé dans la nuit": (5, "Attributed as reported"),
        "La route du col est coupée depuis lundi": (1, "Misattributed"),
    }
    assert {r["reviewRating"]["bestRating"] for r in reviews} == {5}


def test_a_disputed_claim_waits_for_its_adjudicator(store: Store) -> None:
    [row] = store.attributions(article="dapres")
    store.review(row["id"], "reject", "bob")  # alice confirmed it
    registry = load_registry(use_user_file=False)
    assert claim_reviews(store.attributions(article="dapres"), registry, DESK) == []
    store.set_role("carol", "adjudicator")
    store.review(row["id"], "confirm", "carol", adjudicate=True)
    [review] = claim_reviews(store.attributions(article="dapres"), registry, DESK)
    assert review["reviewRating"]["alternateName"] == "Accurately attributed"


def test_a_bad_configuration_names_its_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "claimreview.yaml"
    path.write_text("organization:\n  name: Desk\nratings:\n  confirmd: null\n", encoding="utf-8")
    with pytest.raises(ClaimReviewError, match=r"claimreview\.yaml:4: ratings\.confirmd"):
        load_config(path)
    path.write_text("organization: [\n", encoding="utf-8")
    with pytest.raises(ClaimReviewError, match=r"claimreview\.yaml:2: invalid YAML"):
        load_config(path)


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sys, "argv", ["attribution", *args])
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent")  # no user configuration
    with pytest.raises(SystemExit) as done:
        cli.main()
    return int(done.value.code or 0)


def test_export_claimreview_writes_json_lines_and_needs_an_organisation(
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "reviews.jsonl"
    db = ["--db", str(store.path)]
    assert _run(["export", *db, "--claimreview", str(out)], monkeypatch) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the reviewing organisation is not configured: give --org-name")
    assert len(err.splitlines()) == 1
    assert not out.exists()
    args = ["export", *db, "--claimreview", str(out), "--org-name", "Desk Example"]
    assert _run(args, monkeypatch) == 0
    assert capsys.readouterr().err == f"{out}: 2 ClaimReview objects\n"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["author"]["name"] for line in lines] == ["Desk Example"] * 2
    args += ["--status", "flagged"]
    assert _run(args, monkeypatch) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
