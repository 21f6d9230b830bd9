"""The outlet registry: load and validate `sources.yaml` files, merge them, match mentions.

Validation reports every problem of a file in one run, each with file, line and field.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from attribution import compiled
from attribution.errors import RegistryError
from attribution.lexicon import unaccented
from attribution.yamlsafe import dotted, line_of, yaml_problem
from attribution.yamlsafe import load as strict_yaml
from attribution.yamlsafe import safe_load as safe_yaml

OutletType = Literal[
    "newspaper",
    "tv",
    "radio",
    "agency",
    "website",
    "ngo",
    "monitor",
    "government",
    "armed_group",
    "party",
    "social_account",
]
ReliabilityLevel = Literal["high", "mixed", "low", "unrated"]
RatingKind = Literal["assessment", "bias", "regulator", "sanction", "state_measure"]
SourceKindName = Literal[
    "outlet",
    "official",
    "organization",
    "person",
    "armed_group",
    "anonymous",
    "witness",
    "document",
    "social_media",
    "publisher_self",
    "unnamed",
]


def _partial_date(value: Any) -> dt.date | int | None:
    """A full date, or a year when that is all we know."""
    if (
        value is None
        or isinstance(value, dt.date)
        or (isinstance(value, int) and 1000 <= value <= 2999)
    ):
        return value
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}", text):
            return int(text)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD) or a year (YYYY)")


PartialDate = Annotated[dt.date | int | None, BeforeValidator(_partial_date)]
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Alias(_Model):
    text: str = Field(min_length=1)
    lang: str = Field(min_length=2, max_length=3)
    script: str | None = None


class Relation(_Model):
    """An owner or an affiliation, valid over a period, with references."""

    owner: str | None = None
    name: str | None = None
    relation: str | None = None
    valid_from: PartialDate = None
    valid_to: PartialDate = None
    refs: tuple[str, ...] = ()


class Alignment(_Model):
    axis: str
    refs: tuple[str, ...] = ()


class Reliability(_Model):
    """The team's level (with `reviewed`), or one derived from the assessments among the
    ratings (`derived_from` names them; see `derive_reliability`)."""

    level: ReliabilityLevel = "unrated"
    rationale: str | None = None
    reviewed: dt.date | None = None
    derived_from: tuple[str, ...] = ()


class ReadIn(_Model):
    """Where a rating was read: the search, and the stored pages that gave it."""

    query: str | None = None
    corpus: str | None = None
    pages: tuple[str, ...] = ()


_URL = re.compile(r"^https?://\S+$")


class Rating(_Model):
    """A public third-party rating or designation, as its provider gave it."""

    provider: str = Field(min_length=1)
    kind: RatingKind
    value: str = Field(min_length=1)
    date: PartialDate
    url: str
    date_basis: str | None = None
    read_in: ReadIn | None = None
    quote: str | None = None

    @field_validator("date")
    @classmethod
    def _dated(cls, v: dt.date | int | None) -> dt.date | int:
        if v is None:
            raise ValueError("a rating needs the date it was given (YYYY-MM-DD or YYYY)")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not _URL.match(v):
            raise ValueError(f"{v!r} is not an http(s) URL")
        return v

    @property
    def year(self) -> int:
        return self.date if isinstance(self.date, int) else self.date.year if self.date else 0

    @property
    def label(self) -> str:
        return f"{self.provider} ({self.date}): {self.value}"


class Active(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: PartialDate = Field(default=None, alias="from")
    to: PartialDate = None


class Outlet(_Model):
    id: str
    name: str = Field(min_length=1)
    aliases: tuple[Alias, ...] = ()
    type: OutletType
    country: str | None = None
    coverage_countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    ownership: tuple[Relation, ...] = ()
    affiliations: tuple[Relation, ...] = ()
    state_affiliated: bool = False
    alignment: Alignment | None = None
    reliability: Reliability = Reliability()
    ratings: tuple[Rating, ...] = ()
    active: Active | None = None
    ambiguous_with: tuple[str, ...] = ()
    notes: str | None = None
    refs: tuple[str, ...] = ()

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not _SLUG.match(v):
            raise ValueError("must be a lower-case slug (letters, digits and '-')")
        return v

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        if v is not None and not _COUNTRY.match(v):
            raise ValueError(f"{v!r} is not an ISO 3166-1 alpha-2 code (two capital letters)")
        return v

    @field_validator("coverage_countries")
    @classmethod
    def _countries(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in v if not _COUNTRY.match(c)]
        if bad:
            raise ValueError(f"not ISO 3166-1 alpha-2 codes: {', '.join(map(repr, bad))}")
        return v

    @property
    def names(self) -> list[str]:
        return [self.name, *(a.text for a in self.aliases)]


class Retired(_Model):
    """A user registry entry that removes an outlet of an earlier registry."""

    id: str
    retired: Literal[True]


class SourceClass(_Model):
    kind: SourceKindName
    label: str
    description: str


class RegistryFile(_Model):
    schema_version: Literal[1]
    source_classes: tuple[SourceClass, ...] = ()
    outlets: tuple[Outlet | Retired, ...] = ()


class _RegistryHead(_Model):
    """The file without its outlets, which are validated one by one."""

    schema_version: Literal[1]
    source_classes: tuple[SourceClass, ...] = ()
    outlets: list[Any] = []


# --- loading -------------------------------------------------------------------------


def default_registry_path() -> Path:
    return Path(str(resources.files("attribution").joinpath("data/sources.yaml")))


def user_registry_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("attribution")) / "sources.yaml"


def load_file(path: Path) -> RegistryFile:
    """One registry file, validated; every problem reported at once."""
    try:
        st = path.stat()
    except OSError:
        st = None
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size) if st else None
    if key is not None and key in _LOADED:
        return _LOADED[key]
    registry = _load_file(path)
    if key is not None:
        _LOADED[key] = registry
    return registry


_LOADED: dict[tuple[str, int, int], RegistryFile] = {}


def _load_file(path: Path) -> RegistryFile:
    return _load_bytes(path, _read_bytes(path))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such registry file") from None
    except OSError as err:
        raise RegistryError(f"{path}: cannot read registry: {err.strerror or err}") from None


def _load_bytes(path: Path, data: bytes) -> RegistryFile:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise RegistryError(f"{path}:1: a UTF-16 file; save the registry as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise RegistryError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[err.start]:02x}); save the registry as UTF-8"
        ) from None
    return _load_text(path, text)


def _load_text(path: Path, text: str) -> RegistryFile:
    try:
        node, data = strict_yaml(text)
    except yaml.YAMLError as err:
        raise RegistryError(f"{path}{yaml_problem(err, text)}") from None
    if not isinstance(data, dict):
        raise RegistryError(
            f"{path}:1: a registry is a mapping with 'schema_version' and 'outlets'"
        )
    problems: list[str] = []

    def report(err: ValidationError, prefix: list[int | str]) -> None:
        for e in err.errors():
            loc = [*prefix, *e["loc"]]
            problems.append(f"{path}:{line_of(node, loc)}: {dotted(loc)}: {e['msg']}")

    head = None
    try:
        head = _RegistryHead.model_validate(data)
    except ValidationError as err:
        report(err, [])
    outlets: list[Outlet | Retired] = []
    for k, entry in enumerate(
        data.get("outlets") or [] if isinstance(data.get("outlets"), list) else []
    ):
        model: type[Outlet] | type[Retired] = (
            Retired if isinstance(entry, dict) and "retired" in entry else Outlet
        )
        try:
            outlets.append(model.model_validate(entry))
        except ValidationError as err:
            report(err, ["outlets", k])
    if problems or head is None:
        raise RegistryError("\n".join(dict.fromkeys(problems)))
    registry = RegistryFile(
        schema_version=head.schema_version,
        source_classes=head.source_classes,
        outlets=tuple(outlets),
    )
    assert node is not None
    problems += _cross_checks(path, node, registry)
    if problems:
        raise RegistryError("\n".join(problems))
    return registry


def _cross_checks(path: Path, node: yaml.Node, registry: RegistryFile) -> list[str]:
    problems: list[str] = []
    first_line: dict[str, int] = {}
    outlets = [(k, o) for k, o in enumerate(registry.outlets) if isinstance(o, Outlet)]
    ids = {o.id for _, o in outlets}
    for k, o in enumerate(registry.outlets):
        line = line_of(node, ["outlets", k, "id"])
        if o.id in first_line:
            problems.append(
                f"{path}:{line}: outlets[{k}].id: duplicate id {o.id!r} "
                f"(first at line {first_line[o.id]})"
            )
        else:
            first_line[o.id] = line
    owner: dict[str, tuple[str, int]] = {}
    for k, o in outlets:
        for other in o.ambiguous_with:
            if other not in ids:
                line = line_of(node, ["outlets", k, "ambiguous_with"])
                problems.append(f"{path}:{line}: outlets[{k}].ambiguous_with: unknown id {other!r}")
        for j, name in enumerate(o.names):
            key = normalize(name)
            if not key:
                continue
            if key in owner and owner[key][0] != o.id:
                prev, prev_line = owner[key]
                if prev not in o.ambiguous_with:
                    loc: list[int | str] = (
                        ["outlets", k, "aliases", j - 1] if j else ["outlets", k, "name"]
                    )
                    line = line_of(node, loc)
                    problems.append(
                        f"{path}:{line}: outlets[{k}] ({o.id}): alias {name!r} is also a name of "
                        f"{prev!r} (line {prev_line}); list them in each other's ambiguous_with"
                    )
            else:
                owner[key] = (o.id, line_of(node, ["outlets", k]))
    return problems


@dataclass(frozen=True)
class Registry:
    """Merged outlets by id, with the index used to match mentions."""

    outlets: Mapping[str, Outlet]
    source_classes: dict[str, SourceClass] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    @functools.cached_property
    def hash(self) -> str:
        payload = json.dumps(
            [o.model_dump(mode="json") for o in sorted(self.outlets.values(), key=lambda o: o.id)],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    @functools.cached_property
    def matcher(self) -> Matcher:
        return Matcher(self)

    def outlet_of(self, name: str) -> str | None:
        """The outlet that a publisher's id or name stands for, if the registry has it."""
        if name in self.outlets:
            return name
        return self.matcher.match(name).outlet if name else None


def export_rows(registry: Registry) -> list[dict[str, Any]]:
    """One flat row per outlet: lists joined with " | ", no JSON in a cell."""

    def joined(values: Iterable[object]) -> str:
        return " | ".join(str(v) for v in values if v not in (None, ""))

    rows = []
    for o in sorted(registry.outlets.values(), key=lambda o: o.id):
        rows.append(
            {
                "id": o.id,
                "name": o.name,
                "aliases": joined(a.text for a in o.aliases),
                "type": o.type,
                "country": o.country or "",
                "coverage_countries": joined(o.coverage_countries),
                "languages": joined(o.languages),
                "domains": joined(o.domains),
                "owners": joined(r.owner or r.name for r in o.ownership),
                "affiliations": joined(r.name or r.owner for r in o.affiliations),
                "state_affiliated": o.state_affiliated,
                "alignment": o.alignment.axis if o.alignment else "",
                "reliability": o.reliability.level,
                "reliability_reviewed": o.reliability.reviewed or "",
                "active_from": o.active.from_ if o.active and o.active.from_ else "",
                "active_to": o.active.to if o.active and o.active.to else "",
                "ambiguous_with": joined(o.ambiguous_with),
                "refs": joined(o.refs),
                "registry_hash": registry.hash,
            }
        )
    return rows


# --- ratings ---------------------------------------------------------------------------

_LEVEL_ORDER: dict[str, int] = {"low": 0, "mixed": 1, "high": 2}
DEFAULT_MAX_RATING_AGE = 10  # years; `registry check --max-age` overrides it


@functools.cache
def _rating_scales() -> tuple[tuple[str, dict[str, tuple[re.Pattern[str], ...]]], ...]:
    text = resources.files("attribution").joinpath("data/ratings.yaml").read_text("utf-8")
    data: dict[str, Any] = safe_yaml(text)
    return tuple(
        (
            str(scale["provider"]),
            {
                level: tuple(re.compile(p, re.IGNORECASE) for p in scale.get(level) or ())
                for level in _LEVEL_ORDER
            },
        )
        for scale in data["scales"]
    )


def rating_level(rating: Rating) -> ReliabilityLevel | None:
    """The level an assessment reads as on its provider's scale; None for the other kinds
    (bias, regulators, sanctions, state measures) and for values the scale does not read."""
    if rating.kind != "assessment":
        return None
    for provider, levels in _rating_scales():
        if rating.provider.startswith(provider):
            for level in ("low", "mixed", "high"):
                if any(p.search(rating.value) for p in levels[level]):
                    return level
            return None
    return None


def _when(rating: Rating) -> dt.date:
    d = rating.date
    return d if isinstance(d, dt.date) else dt.date(d or 1, 1, 1)


def derive_reliability(outlet: Outlet) -> Reliability:
    """The team's reviewed level stands. Without one, the assessments decide: each
    provider's latest one (the lowest if it gave several that day), then the lowest level
    among providers, or "mixed" when one says high and another low. Bias ratings,
    regulators' decisions, sanctions and state measures (a junta suspending a foreign
    broadcaster) set no level."""
    current = outlet.reliability
    if current.reviewed is not None or current.level != "unrated":
        return current
    by_provider: dict[str, list[tuple[Rating, str]]] = {}
    for r in outlet.ratings:
        level = rating_level(r)
        if level is not None:
            by_provider.setdefault(r.provider, []).append((r, level))
    chosen: list[tuple[Rating, str]] = []
    for rated in by_provider.values():
        last = max(_when(r) for r, _ in rated)
        chosen.append(
            min(((r, lv) for r, lv in rated if _when(r) == last), key=lambda x: _LEVEL_ORDER[x[1]])
        )
    if not chosen:
        return current
    levels = {lv for _, lv in chosen}
    derived = "mixed" if {"high", "low"} <= levels else min(levels, key=_LEVEL_ORDER.__getitem__)
    reasons = "; ".join(f"{r.provider} ({r.date}) reads as {lv}" for r, lv in chosen)
    return Reliability(
        level=derived,  # type: ignore[arg-type]
        rationale=f"Derived, no team review: {reasons}.",
        reviewed=None,
        derived_from=tuple(r.label for r, _ in chosen),
    )


def stale_ratings(
    path: Path, registry: RegistryFile, max_age_years: int, today: dt.date | None = None
) -> list[str]:
    """Warnings, with file and line, for ratings older than `max_age_years`."""
    today = today or dt.date.today()
    old = [
        (k, j, r)
        for k, o in enumerate(registry.outlets)
        if isinstance(o, Outlet)
        for j, r in enumerate(o.ratings)
        if today.year - _when(r).year > max_age_years
    ]
    if not old:
        return []
    node, _ = strict_yaml(path.read_text("utf-8-sig"))
    out = []
    for k, j, r in old:
        outlet = registry.outlets[k]
        line = line_of(node, ["outlets", k, "ratings", j, "date"])
        out.append(
            f"{path}:{line}: warning: outlets[{k}] ({outlet.id}).ratings[{j}]: "
            f"{r.provider} ({r.date}) is older than {max_age_years} years"
        )
    return out


def merge(files: Iterable[RegistryFile], names: Iterable[str] = ()) -> Registry:
    outlets: dict[str, Outlet] = {}
    classes: dict[str, SourceClass] = {}
    for reg in files:
        for c in reg.source_classes:
            classes[c.kind] = c
        for o in reg.outlets:
            if isinstance(o, Retired):
                outlets.pop(o.id, None)
            else:
                outlets[o.id] = o
    for id_, o in outlets.items():
        reliability = derive_reliability(o)
        if reliability is not o.reliability:
            outlets[id_] = o.model_copy(update={"reliability": reliability})
    return Registry(outlets, classes, tuple(names))


def load_registry(extra: Sequence[str | Path] = (), *, use_user_file: bool = True) -> Registry:
    """The packaged default, then the user's config file, then `--registry` files."""
    paths = [default_registry_path()]
    user = user_registry_path()
    if use_user_file and user.is_file():
        paths.append(user)
    paths += [Path(p) for p in extra]
    contents = [_read_bytes(p) for p in paths]
    key = compiled.key_of(paths, contents)
    if key not in _MERGED:
        _MERGED.clear()
        _MERGED[key] = compiled.cached(key, lambda: _build(paths, contents))
    return _MERGED[key]


def _build(paths: list[Path], contents: list[bytes]) -> Registry:
    """The merged registry from its files, its hash and alias index computed (so that a
    compiled registry holds them too)."""
    merged = merge(
        [_load_bytes(p, data) for p, data in zip(paths, contents, strict=True)],
        (str(p) for p in paths),
    )
    registry = Registry(compiled.Packed(merged.outlets), merged.source_classes, merged.files)
    _ = registry.hash, registry.matcher, registry.matcher.initials
    return registry


# The last registry loaded, by the key of its files: an unchanged registry keeps its
# Registry in the process, and so its built matcher.
_MERGED: dict[str, Registry] = {}


# --- matching --------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
# The Arabic article in its Latin spellings, when written apart: "al-", "el ", "as-"…
_ARTICLE_VARIANTS = re.compile(r"\b(?:al|el|as|ad|an|ar|at|az|ash|ach|ad|ul)[-\s]+(?=\w)")
# …and glued with a doubled sun letter: "Assafir", "Annahar", "Ashsharq".
_GLUED_ARTICLE = re.compile(r"^a([tdszrn])(?=\1\w{3})|^ash(?=sh\w{3})")
_PARENS = re.compile(r"\(([^()]*)\)")


@functools.cache
def _matching_data() -> dict[str, Any]:
    text = resources.files("attribution").joinpath("data/matching.yaml").read_text("utf-8")
    data: dict[str, Any] = safe_yaml(text)
    return data


def matching_words(name: str) -> list[str]:
    """A word list of matching.yaml."""
    return [str(w) for w in _matching_data()[name]]


@functools.cache
def _descriptor_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A leading descriptor ("quotidien ", "agence de presse "), and the country words
    and "de" that may follow it ("libanais ", "de ")."""
    data = _matching_data()
    words = sorted({unaccented(w.lower()) for w in data["descriptors"]}, key=len, reverse=True)
    adjectives = sorted(
        {unaccented(w.lower()) for w in data["country_words"]}, key=len, reverse=True
    )
    desc = "|".join(re.escape(w) for w in words)
    adj = "|".join(re.escape(w) for w in adjectives)
    return (
        re.compile(rf"^(?:{desc})\s+"),
        re.compile(rf"^(?:(?:{adj})\s+)*(?:(?:de|d'|du)\s+)?"),
    )


# An article is a word of its own ("la ", "les "), or glued by its apostrophe ("l'"): "LANA",
# "SANA" and "les rebelles" keep their letters.
_LEADING_ARTICLE = re.compile(
    r"^(?:(?:les|le|la|du|de la|des|the|notre|nos|son|sa|ses|leurs|leur|our|its)\s+"
    r"|(?:de l'|l'|d')\s*)"
)


def normalize(text: str) -> str:
    """Case, accents, apostrophes, a leading article, "al-/el-" variants, punctuation."""
    s = unaccented(text.translate(_APOSTROPHES)).casefold().strip()
    s = _PARENS.sub(" ", s)
    s = _LEADING_ARTICLE.sub("", s)
    s = _ARTICLE_VARIANTS.sub("", s)
    s = re.sub(r"[^\w]+", " ", s).strip()
    return _GLUED_ARTICLE.sub("", s)


def without_descriptors(text: str) -> list[str]:
    """The mention with its leading descriptors taken off one at a time, country words
    kept at first (they may be part of the name: "la chaîne France 24"):
    "le quotidien libanais Assafir" → ["quotidien libanais assafir", "libanais assafir",
    "assafir"]."""
    descriptor, qualifiers = _descriptor_patterns()
    s = unaccented(text.translate(_APOSTROPHES)).casefold().strip()
    s = _PARENS.sub(" ", s)
    out = [normalize(s)]
    while True:
        s = _LEADING_ARTICLE.sub("", s)
        stripped = descriptor.sub("", s, count=1)
        if stripped == s or not stripped.strip():
            return [k for k in dict.fromkeys(out) if k]
        out.append(normalize(stripped))
        s = qualifiers.sub("", stripped, count=1)
        if s.strip():
            out.append(normalize(s))


def country_context(text: str) -> set[str]:
    """Countries named by adjectives or names in a text ("le quotidien libanais" → LB)."""
    return set(_countries_in(text))


@functools.lru_cache(maxsize=65536)
def _countries_in(text: str) -> frozenset[str]:
    pattern, codes = _country_pattern()
    return frozenset(codes[m] for m in pattern.findall(unaccented(text.casefold())))


@functools.cache
def _country_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    codes = {
        unaccented(word.lower()): code for word, code in _matching_data()["country_words"].items()
    }
    words = sorted(codes, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b"), codes


@functools.cache
def _place_names() -> frozenset[str]:
    return frozenset(normalize(word) for word in _matching_data()["country_words"])


def _capitalized_tails(mention: str) -> list[str]:
    """The name at the end of a description: "la chaîne du Hezbollah Al-Manar" → "Al-Manar"."""
    words = mention.split()
    return [
        normalize(" ".join(words[k:]))
        for k in range(1, len(words))
        if words[k][:1].isupper()
        # inside a run of capitalised words only a transliterated name starts a name:
        # "Intelli Times" does not end with The Times
        and (not words[k - 1][:1].isupper() or _looks_like_a_name(words[k]))
    ]


# Letters of scripts without case: Arabic, Hebrew, Syriac, Thaana; CJK; Hangul.
_CASELESS = re.compile(r"[\u0590-\u08ff\u3040-\u9fff\uac00-\ud7af\ufb1d-\ufdff\ufe70-\ufefc]")


def _names_properly(text: str) -> bool:
    """A capital letter, or a script without case (Arabic): the mark of a proper name."""
    return text != text.lower() or _CASELESS.search(text) is not None


def _looks_like_a_name(text: str) -> bool:
    """A transliterated name keeps its shape in lower case: "al-akhbar", "i24news"."""
    return bool(_ARTICLE_VARIANTS.search(text.casefold())) or any(c.isdigit() for c in text)


MatchMethod = Literal[
    "exact",
    "alias",
    "normalized",
    "descriptor",
    "acronym",
    "article_acronym",
    "article_named",
    "fuzzy",
    "ambiguous",
    "none",
]


def method_confidence(how: str) -> float:
    """The share of an attribution's confidence its outlet link keeps (matching.yaml)."""
    table: dict[str, float] = _matching_data()["method_confidence"]
    factor = 1.0
    for part in how.split("+"):
        factor *= table.get(part.split(":")[0], 1.0)
    return factor


def initials(name: str) -> str:
    """ "Front des révolutionnaires de Syrie" → "FRS"; "" for a single word."""
    skip = set(_matching_data()["acronym_skip"])
    words = [w for w in re.split(r"[\s'’-]+", unaccented(name.casefold())) if w and w not in skip]
    if len(words) < 2 or not all(w[0].isalpha() for w in words):
        return ""
    return "".join(w[0] for w in words).upper()


@dataclass(frozen=True)
class Match:
    outlet: str | None
    method: MatchMethod
    score: float = 0.0
    candidates: tuple[str, ...] = ()
    matched: str | None = None  # the registry name or alias that matched
    by_country: bool = False  # two outlets share the name; the article's countries chose

    @property
    def how(self) -> str:
        """What the output's `outlet_match` says: the method, "+country" when the
        article's countries settled it, the candidates when it stays ambiguous."""
        if self.method == "ambiguous":
            return "ambiguous:" + ",".join(self.candidates)
        return self.method + ("+country" if self.by_country else "")


@functools.cache
def _type_words() -> dict[str, frozenset[str]]:
    """Words after a name that say what the outlet is ("Al-Mayadeen TV"), by type."""
    return {
        t: frozenset(unaccented(w.casefold()) for w in words)
        for t, words in _matching_data()["type_words"].items()
    }


@functools.cache
def indefinite_types() -> dict[str, frozenset[str]]:
    """The registry types an indefinite source of a class may be ("une ONG": ngo, monitor)."""
    return {
        unaccented(w.casefold()): frozenset(types)
        for w, types in _matching_data()["indefinite_types"].items()
    }


@functools.cache
def _descriptor_types() -> dict[str, frozenset[str]]:
    return {
        unaccented(w.casefold()): frozenset(types)
        for w, types in _matching_data()["descriptor_types"].items()
    }


def allowed_types(mention: str) -> frozenset[str] | None:
    """The outlet types the mention's leading descriptor allows, or None when it has none."""
    head = _LEADING_ARTICLE.sub("", mention[:40].translate(_APOSTROPHES).casefold().lstrip())
    first = head.split(None, 1)[0] if head.strip() else ""
    return _descriptor_types().get(unaccented(first)) if first else None


def _trailing_type_word(mention: str) -> tuple[str, str] | None:
    """ "Al-Mayadeen TV" → ("al-mayadeen", "tv"): a last word that may only say the type."""
    head, _, last = mention.strip().rpartition(" ")
    word = unaccented(last.casefold())
    if head and any(word in words for words in _type_words().values()):
        return head, word
    return None


FUZZY_THRESHOLD = 88.0
MIN_FUZZY_LENGTH = 5
SKELETON_THRESHOLD = 70.0
MIN_SKELETON = 3
SKELETON_SLACK = 2  # other vowels, not other syllables: Marne is not Marianne


def skeleton(key: str) -> str:
    """The consonants of a transliterated name, doubled letters once: "mayadeen" and
    "mayadine" → "mydn"."""
    out: list[str] = []
    for k, ch in enumerate(key.replace(" ", "")):
        if (k and ch in "aeiouy") or (out and out[-1] == ch):
            continue
        out.append(ch)
    return "".join(out)


class Matcher:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.exact: dict[str, set[str]] = {}
        self.normalized: dict[str, set[str]] = {}
        self.names: dict[str, str] = {}
        self.skeletons: dict[str, set[str]] = {}
        for o in registry.outlets.values():
            for name in o.names:
                self.exact.setdefault(name.strip(), set()).add(o.id)
                key = normalize(name)
                if key:
                    self.normalized.setdefault(key, set()).add(o.id)
                    self.names.setdefault(key, name)
        for key in self.normalized:
            if len(skeleton(key)) >= MIN_SKELETON:
                self.skeletons.setdefault(skeleton(key), set()).add(key)
        # spellings are guessed for names, not for descriptions ("ministère de la santé …")
        self._fuzzy_keys = [
            k for k in self.normalized if len(k) >= MIN_FUZZY_LENGTH and len(k.split()) <= 3
        ]
        self._by_length: dict[int, list[str]] = {}
        for k in self._fuzzy_keys:
            self._by_length.setdefault(len(k), []).append(k)

    @functools.lru_cache(maxsize=256)  # noqa: B019 - one matcher per registry, lives as long
    def _fuzzy_keys_near(self, length: int) -> list[str]:
        """The keys whose length allows a ratio over the threshold: 2m/(a+b) >= t needs
        b between a*t/(2-t) and a*(2-t)/t."""
        t = FUZZY_THRESHOLD / 100
        low, high = length * t / (2 - t), length * (2 - t) / t
        return [k for n, keys in self._by_length.items() if low <= n <= high for k in keys]

    @functools.cached_property
    def initials(self) -> dict[str, list[tuple[str, str]]]:
        """Acronym → (outlet, the name written out, lower case and unaccented)."""
        out: dict[str, list[tuple[str, str]]] = {}
        for o in self.registry.outlets.values():
            for name in o.names:
                acronym = initials(name)
                if 2 <= len(acronym) <= 7 and all(c.isascii() for c in acronym):
                    spelled = unaccented(name.casefold())
                    out.setdefault(acronym, []).append((o.id, spelled))
        return out

    def match(self, mention: str, context: Iterable[str] = ()) -> Match:
        """The outlet a mention names, and how it was found; ambiguity is settled by the
        countries of the context (or left for review)."""
        countries = set(context) | country_context(mention)
        return self._match(mention.strip(), frozenset(countries))

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one matcher per registry, lives as long
    def _match(self, mention: str, countries: frozenset[str]) -> Match:
        found = self._match_any_type(mention, countries)
        allowed = allowed_types(mention) if found.candidates else None
        if allowed is None:
            return found
        fitting = [c for c in found.candidates if self.registry.outlets[c].type in allowed]
        if len(fitting) == len(found.candidates):
            return found
        if not fitting:  # "le quotidien Al-Nour" is not the radio Al-Nour
            return Match(None, "none")
        return self._decide(
            set(fitting),
            found.method if found.outlet else "normalized",
            found.score,
            countries,
            found.matched or mention,
        )

    def _match_any_type(self, mention: str, countries: frozenset[str]) -> Match:
        if mention in self.exact:
            return self._decide(self.exact[mention], "exact", 100.0, countries, mention)
        keys = without_descriptors(mention)
        if not keys or keys[0] in _place_names():
            return Match(None, "none")  # "Riyad a annoncé": a place speaks through its rulers
        if not _names_properly(mention) and (
            len(keys[-1].split()) < 2 and not _looks_like_a_name(mention)
        ):
            return Match(None, "none")  # a lower-case common noun: "la presse" is not La Presse
        name_key = keys[-1]
        for n, key in enumerate([*keys, *_capitalized_tails(mention)]):
            if key in self.normalized:
                name = self.names[key]
                method: MatchMethod = (
                    "alias"
                    if mention.casefold() == name.casefold()
                    else "normalized"
                    if n == 0
                    else "descriptor"
                )
                return self._decide(self.normalized[key], method, 100.0, countries, name)
        trailing = _trailing_type_word(mention)
        if trailing is not None:  # "Al-Mayadeen TV": only for an outlet of that type
            found = self._match(trailing[0], countries)
            if found.outlet is not None and found.method != "fuzzy":
                outlet = self.registry.outlets[found.outlet]
                if trailing[1] in _type_words().get(outlet.type, ()):
                    return Match(
                        found.outlet,
                        "descriptor",
                        found.score,
                        found.candidates,
                        found.matched,
                        found.by_country,
                    )
        for acronym in _PARENS.findall(mention):
            akey = normalize(acronym)
            if akey in self.normalized:
                return self._decide(self.normalized[akey], "acronym", 100.0, countries, acronym)
        if not _names_properly(mention):
            return Match(None, "none")  # spelling is only guessed for proper names
        found = self._fuzzy(name_key, countries)
        if found.method != "none":
            return found
        words = mention.split()
        tail = words[-1] if len(words) > 1 else ""
        # "la télévision des rebelles, Al-Massirah": a transliterated last word, on its own
        tail_key = normalize(tail) if tail[:1].isupper() and _looks_like_a_name(tail) else ""
        if tail_key and tail_key != name_key:
            return self._fuzzy(tail_key, countries)
        return found

    def _fuzzy(self, key: str, countries: frozenset[str]) -> Match:
        """Transliterations: close spelling ("Asafir"), or the same consonants with other
        vowels ("Al-Mayadine" for "Al-Mayadeen")."""
        if len(key) < MIN_FUZZY_LENGTH or len(key.split()) > 3:
            return Match(None, "none")
        from rapidfuzz import fuzz, process

        best = process.extractOne(
            key, self._fuzzy_keys_near(len(key)), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD
        )
        if best is not None:
            found, score = best[0], float(best[1])
        else:
            near = self.skeletons.get(skeleton(key), ())
            scored = [
                (fuzz.ratio(key, k), k) for k in near if abs(len(k) - len(key)) <= SKELETON_SLACK
            ]
            if not scored or max(scored)[0] < SKELETON_THRESHOLD:
                return Match(None, "none")
            score, found = max(scored)
        return self._decide(
            self.normalized[found], "fuzzy", float(score), countries, self.names[found]
        )

    def _decide(
        self, ids: set[str], method: Any, score: float, countries: frozenset[str], matched: str
    ) -> Match:
        if len(ids) == 1:
            return Match(next(iter(ids)), method, score, tuple(ids), matched)
        outlets = [self.registry.outlets[i] for i in sorted(ids)]
        local = [o for o in outlets if o.country in countries]
        if len(local) == 1:
            return Match(local[0].id, method, score, tuple(sorted(ids)), matched, True)
        return Match(None, "ambiguous", score, tuple(sorted(ids)), matched)
