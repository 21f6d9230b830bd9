"""Per-language word lists for the extraction rules, loaded from `<lang>.yaml`."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from attribution.errors import AttributionError

Phrase = tuple[str, ...]

KIND_ORDER = (
    "social_media",
    "document",
    "witness",
    "outlet",
    "armed_group",
    "official",
    "organization",
    "anonymous",
)


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str
    source_prepositions: dict[str, tuple[Phrase, ...]]
    source_infinitives: tuple[Phrase, ...] = ()
    source_noun_phrases: tuple[Phrase, ...] = ()
    view_prepositions: frozenset[str] = frozenset()
    continuation_adverbs: frozenset[str] = frozenset()
    continuation_phrases: tuple[Phrase, ...] = ()
    speech_verbs: frozenset[str]
    reflexive_speech_verbs: frozenset[str] = frozenset()  # "s'est félicité": with "se" only
    object_claim_verbs: frozenset[str] = frozenset()
    content_verbs: frozenset[str] = frozenset()  # "a donné un bilan": only with a content noun
    count_verbs: frozenset[str] = frozenset()  # "a recensé 183 cas": only with a number
    negative_determiners: frozenset[str] = frozenset()  # "n'a donné aucun bilan"
    relay_verbs: frozenset[str] = frozenset()
    relay_passive_prepositions: frozenset[str] = frozenset({"par"})
    speech_phrases: tuple[Phrase, ...] = ()
    speech_nouns: frozenset[str] = frozenset()
    criterion_verbs: frozenset[str] = frozenset()
    criterion_nouns: frozenset[str] = frozenset()
    not_after_preposition: frozenset[str] = frozenset()
    view_holder_nouns: frozenset[str] = frozenset()
    collective_nouns: frozenset[str] = frozenset()
    content_nouns: frozenset[str] = frozenset()
    voice_nouns: frozenset[str] = frozenset()  # "les dires de X": X's kind
    spokesperson_nouns: frozenset[str] = frozenset()  # "le porte-parole de X": X's kind
    speaker_nouns: frozenset[str] = frozenset()  # from <lang>_speakers.txt, a trained list
    calibration: dict[str, tuple[int, int]] = {}  # <lang>_confidence.yaml: seen, right
    view_holder_pronouns: frozenset[str] = frozenset()
    not_view_holder: frozenset[str] = frozenset()
    hearsay_patterns: tuple[Phrase, ...] = ()
    source_kinds: dict[str, frozenset[str]]
    outlet_name_words: frozenset[str] = frozenset()
    time_nouns: frozenset[str] = frozenset()
    anonymous_determiners: frozenset[str] = frozenset()
    self_determiners: frozenset[str] = frozenset()
    self_nouns: frozenset[str] = frozenset()
    self_phrases: tuple[Phrase, ...] = ()
    pronouns: frozenset[str] = frozenset()
    demonstrative_pronouns: frozenset[str] = frozenset()
    demonstrative_adjectives: frozenset[str] = frozenset()
    description_heads: frozenset[str] = frozenset()
    quote_pairs: tuple[tuple[str, str], ...]
    min_quote_words: int = 4
    complementizers: frozenset[str] = frozenset()
    neuter_pronouns: frozenset[str] = frozenset()  # English "it said": a body, not a person
    dative_clitics: frozenset[str] = frozenset()  # "…, nous a expliqué X": to whom, not who
    relative_pronouns: frozenset[str] = frozenset()  # "un élu, selon lequel …"
    comparison_marks: frozenset[str] = frozenset()  # "comme l'a dit X", "as X said"
    comparatives: frozenset[str] = frozenset()  # "plus … que": that "que" opens no clause
    agent_prepositions: frozenset[str] = frozenset()
    genitive_prepositions: frozenset[str] = frozenset()
    addressee_prepositions: frozenset[str] = frozenset()
    origin_prepositions: frozenset[str] = frozenset()  # "a-t-on appris auprès de X"
    place_prepositions: frozenset[str] = frozenset()
    phrase_particles: frozenset[str] = frozenset()
    euphonic_words: frozenset[str] = frozenset()
    abbreviations: frozenset[str] = frozenset()  # end with a full stop, end no sentence
    hyphen_pronouns: frozenset[str] = frozenset()  # "ont-elles": split off by the tokenizer
    titles: frozenset[str] = frozenset()  # "M.", "Mme", "Me": part of the name after them
    partitive_articles: frozenset[str] = frozenset()  # "des" that is an article, not "de les"
    impersonal_subjects: frozenset[str] = frozenset()
    non_source_pronouns: frozenset[str] = frozenset()
    demonstrative_determiners: frozenset[str] = frozenset()
    definite_determiners: frozenset[str] = frozenset()
    always_anonymous: frozenset[str] = frozenset()
    editorial_notes: frozenset[str] = frozenset()  # "NDLR": the newsroom's note, no name
    indefinite_quantifiers: frozenset[str] = frozenset()
    present_participle_endings: tuple[str, ...] = ()
    gate_words: frozenset[str] = frozenset()  # irregular forms the cue gate must see
    infinitive_endings: tuple[str, ...] = ()  # "tuer", "avoir": for the gate
    irregular_infinitives: frozenset[str] = frozenset()  # "être", "faire": for the gate
    progressive_auxiliaries: frozenset[str] = frozenset()  # English "is asking": a tense
    tag_subject_first: bool = False  # English "…, the minister said"; French inverts
    plain_report_verbs: frozenset[str] = frozenset()  # "…, une source a rapporté.": French too
    time_words_capitalized: bool = False  # English "said Wednesday"; French "Midi Libre" is a name
    owner_before_role: bool = False  # English "a WHO official", "Israel's army"; French "de"
    addressee_verbs: frozenset[str] = frozenset()  # "told AFP": the object is the addressee
    verb_endings: dict[str, tuple[str, ...]] = {}

    @field_validator("source_kinds")
    @classmethod
    def _known_kinds(cls, value: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
        unknown = set(value) - set(KIND_ORDER)
        if unknown:
            raise ValueError(f"unknown source kinds: {sorted(unknown)}")
        return value

    def inflections(self, lemma: str) -> list[str]:
        """The regular forms of a verb: its stem and each ending of its class."""
        forms = []
        for infinitive_ending, endings in self.verb_endings.items():
            if lemma.endswith(infinitive_ending) and " " not in lemma:
                stem = lemma[: len(lemma) - len(infinitive_ending)]
                forms += [stem + ending for ending in endings]
        return forms

    @functools.cached_property
    def verb_forms(self) -> dict[str, str]:
        """Inflected forms of regular verbs → lemma, for words the lemmatizer got wrong."""
        return self._forms_of(sorted(self.speech_verbs | self.relay_verbs))

    @functools.cached_property
    def reflexive_verb_forms(self) -> dict[str, str]:
        """Forms of the verbs that report with their reflexive pronoun ("félicité")."""
        return self._forms_of(sorted(self.reflexive_speech_verbs))

    @functools.cached_property
    def object_reporting_verbs(self) -> frozenset[str]:
        """Verbs whose object can be what was said: "a démenti X", "a donné un bilan"."""
        return self.object_claim_verbs | self.content_verbs | self.count_verbs

    @functools.cached_property
    def phrase_verb_forms(self) -> dict[str, str]:
        """Forms of the verbs that open a speech phrase ("laisse" of "laisser entendre")."""
        return self._forms_of(phrase[0] for phrase in self.speech_phrases)

    def _forms_of(self, lemmas: Iterable[str]) -> dict[str, str]:
        forms: dict[str, str] = {}
        for lemma in lemmas:
            for form in self.inflections(lemma):
                forms.setdefault(form, lemma)
        return forms

    def kind_of_word(self, word: str) -> str | None:
        for kind in KIND_ORDER:
            if word in self.source_kinds.get(kind, ()):
                return kind
        return None


class _WordsLoader(yaml.SafeLoader):
    """Safe YAML where only true/false are booleans: "on", "no", "yes" are words here."""


_WordsLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WordsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


@functools.lru_cache(maxsize=65536)
def unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _with_unaccented(value: Any) -> Any:
    """Word lists also hold each word without accents: real text drops them ("chaine")."""
    if isinstance(value, dict):
        return {k: _with_unaccented(v) for k, v in value.items()}
    if isinstance(value, list) and all(isinstance(w, str) for w in value):
        return list(dict.fromkeys([*value, *(unaccented(w) for w in value)]))
    return value


@functools.cache
def load_lexicon(lang: str) -> Lexicon:
    try:
        text = resources.files(__name__).joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AttributionError(f"no lexicon for language {lang!r}") from None
    data = _with_unaccented(yaml.load(text, Loader=_WordsLoader))
    speakers = resources.files(__name__).joinpath(f"{lang}_speakers.txt")
    if speakers.is_file():
        lines = speakers.read_text(encoding="utf-8").splitlines()
        data["speaker_nouns"] = frozenset(w for w in lines if w and not w.startswith("#"))
    calibration = resources.files(__name__).joinpath(f"{lang}_confidence.yaml")
    if calibration.is_file():
        table = yaml.safe_load(calibration.read_text(encoding="utf-8")) or {}
        data["calibration"] = {key: (row["seen"], row["right"]) for key, row in table.items()}
    try:
        return Lexicon.model_validate(data)
    except (yaml.YAMLError, ValidationError) as err:  # a packaging bug, not a user error
        raise AttributionError(f"lexicon/{lang}.yaml is invalid: {err}") from None
