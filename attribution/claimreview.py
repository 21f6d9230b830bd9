"""schema.org ClaimReview objects for reviewed claims, for fact-checkers to publish.

One JSON-LD object per reviewed attribution (read through the store's reviewed view): the
claim, who made it (the source: a Person or an Organization, the registry's name and web
address when it is linked to an outlet), where it appeared (the article), who reviewed it
(the organisation of the configuration), and a `reviewRating` that the configuration's
table derives from the review decision.

The review decisions of this project say whether the article attributes the claim to that
source (`confirmed`), whether that still needs checking (`flagged`), or whether the
extraction was wrong (`rejected`): the default ratings name those findings, not the truth
of the claim. A desk whose reviewers record other verdicts renames them in the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from attribution.errors import AttributionError
from attribution.files import written
from attribution.registry import Outlet, Registry
from attribution.yamlsafe import dotted, line_of, yaml_problem
from attribution.yamlsafe import load as strict_yaml

Decision = Literal["confirmed", "flagged", "rejected", "disputed"]
# Who made a claim, by the kind of its source (schema.org: a Claim's author is a Person or
# an Organization). A source linked to an outlet is always that Organization.
PERSON_KINDS = frozenset({"person", "witness", "anonymous", "unnamed"})


class ClaimReviewError(AttributionError):
    """The ClaimReview configuration is invalid or incomplete."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organization(_Model):
    name: str = Field(min_length=1)
    url: str | None = None


class Verdict(_Model):
    """A rating: its value on the scale and its name (schema.org `alternateName`)."""

    value: int
    name: str = Field(min_length=1)


DEFAULT_RATINGS: dict[Decision, Verdict | None] = {
    "confirmed": Verdict(value=3, name="Accurately attributed"),
    "flagged": Verdict(value=2, name="Attribution unverified"),
    # mostly an extraction error (not an attribution at all): nothing to publish
    "rejected": None,
    # reviewers disagree and no adjudicator has settled it: not published before they do
    "disputed": None,
}


class ClaimReviewConfig(_Model):
    """`organization` reviews; `ratings` maps each decision to a rating (null: the claims
    with that decision are not exported); `review_url`, if given, is the address of each
    published review, with `{attribution_id}` in it."""

    organization: Organization | None = None
    review_url: str | None = None
    best_rating: int = 3
    worst_rating: int = 1
    ratings: dict[Decision, Verdict | None] = Field(default_factory=dict)

    def rating(self, decision: Decision) -> Verdict | None:
        return {**DEFAULT_RATINGS, **self.ratings}[decision]


def config_path() -> Path:
    """The user's configuration, beside their registry."""
    import platformdirs

    return Path(platformdirs.user_config_dir("attribution")) / "claimreview.yaml"


def load_config(path: Path | None = None) -> ClaimReviewConfig:
    """The configuration in `path`, else the user's file if there is one, else the defaults
    (without an organisation)."""
    if path is None:
        path = config_path()
        if not path.is_file():
            return ClaimReviewConfig()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        why = getattr(err, "strerror", None) or "not UTF-8"
        raise ClaimReviewError(
            f"{path}: cannot read the ClaimReview configuration: {why}"
        ) from None
    try:
        node, data = strict_yaml(text)
    except yaml.YAMLError as err:
        raise ClaimReviewError(f"{path}{yaml_problem(err, text)}") from None
    try:
        return ClaimReviewConfig.model_validate(data or {})
    except ValidationError as err:
        raise ClaimReviewError(
            "\n".join(
                f"{path}:{line_of(node, e['loc'])}: {dotted(e['loc'])}: {e['msg']}"
                for e in err.errors()
            )
        ) from None


def decision(row: Mapping[str, Any]) -> Decision | None:
    """The decision a reviewed attribution row stands on; None while pending."""
    if row["needs_adjudication"]:
        return "disputed"
    status = row["review_status"]
    return None if status == "pending" else status


def claim_reviews(
    rows: Iterable[Mapping[str, Any]], registry: Registry, config: ClaimReviewConfig
) -> list[dict[str, Any]]:
    """One ClaimReview per reviewed row (rows of `Store.attributions`) whose decision the
    table rates."""
    if config.organization is None:
        raise ClaimReviewError(
            "the reviewing organisation is not configured: give --org-name (and --org-url), "
            f"or set organization.name in {config_path()}"
        )
    reviewer = _organization(config.organization.name, config.organization.url)
    out = []
    for row in rows:
        taken = decision(row)
        verdict = config.rating(taken) if taken else None
        if verdict is None:
            continue
        review: dict[str, Any] = {"@context": "https://schema.org", "@type": "ClaimReview"}
        if config.review_url:
            review["url"] = config.review_url.format(attribution_id=row["id"])
        review |= {
            "identifier": row["id"],
            "claimReviewed": row["claim"],
            "datePublished": row["reviewed_at"][:10],  # the day of the decision
            "author": reviewer,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": verdict.value,
                "bestRating": config.best_rating,
                "worstRating": config.worst_rating,
                "alternateName": verdict.name,
            },
            "itemReviewed": _claim(row, registry),
        }
        out.append(review)
    return out


def _claim(row: Mapping[str, Any], registry: Registry) -> dict[str, Any]:
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if row.get("article_url"):
        appearance["url"] = row["article_url"]
    if row.get("article_date"):
        appearance["datePublished"] = row["article_date"]
    if row.get("article_title"):
        appearance["headline"] = row["article_title"]
    publisher = registry.outlets.get(row.get("publisher") or "")
    if publisher is not None:
        appearance["publisher"] = _outlet(publisher)
    claim: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    author = _author(row, registry, publisher)
    if author is not None:
        claim["author"] = author
    return claim


def _author(
    row: Mapping[str, Any], registry: Registry, publisher: Outlet | None
) -> dict[str, Any] | None:
    outlet = registry.outlets.get(row.get("outlet") or "")
    if outlet is None and row.get("source_kind") == "publisher_self":
        outlet = publisher
    if outlet is not None:
        return _outlet(outlet)
    name = row.get("claimant")
    if not name:
        return None
    kind = "Person" if row.get("source_kind") in PERSON_KINDS else "Organization"
    return {"@type": kind, "name": name}


def _outlet(outlet: Outlet) -> dict[str, Any]:
    return _organization(outlet.name, f"https://{outlet.domains[0]}" if outlet.domains else None)


def _organization(name: str, url: str | None) -> dict[str, Any]:
    return {"@type": "Organization", "name": name} | ({"url": url} if url else {})


def write_claim_reviews(reviews: Iterable[Mapping[str, Any]], path: Path) -> int:
    """JSON Lines, one object a line; written whole or not at all."""
    n = 0
    with written(path) as target, target.open("w", encoding="utf-8", newline="\n") as out:
        for review in reviews:
            out.write(json.dumps(review, ensure_ascii=False) + "\n")
            n += 1
    return n
