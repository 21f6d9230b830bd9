"""Cue-gated parsing: only sentences that can hold an attribution (and their context)."""

from __future__ import annotations

from pathlib import Path

import pytest

from attribution.gate import CONTEXT_SENTENCES, gate, sentence_spans
from attribution.ingest import read_articles
from attribution.lexicon import load_lexicon
from attribution.model import Article
from attribution.pipeline import AnnotatedArticle, Annotator
from attribution.registry import load_registry

FILLER = "Le marché ouvre à huit heures. Les étals sont pleins. La pluie tombe sur la ville. "
TEXT = (
    FILLER * 3
    + "Le maire a affirmé que la fête aurait lieu. "
    + FILLER * 2
    + "« Nous tiendrons », dit-il.\n"
    + "Les enfants jouent dans la cour. Les cloches sonnent. Le soir tombe sur les toits."
)


def test_sentences_by_punctuation() -> None:
    text = "Il pleut. « Oui », dit-il. Le ciel est gris !  Selon X, ça va.\nUne ligne sans point"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Il pleut.",
        "« Oui », dit-il.",
        "Le ciel est gris !",
        "Selon X, ça va.",
        "Une ligne sans point",
    ]


def test_titles_and_initials_end_no_sentence() -> None:
    fr = load_lexicon("fr")
    text = "Selon M. Leroux, le pont tiendra. J. Vidal et le Dr. Amrani l'ont confirmé. Il pleut."
    assert [text[s:e] for s, e in sentence_spans(text, fr.abbreviations)] == [
        "Selon M. Leroux, le pont tiendra.",
        "J. Vidal et le Dr. Amrani l'ont confirmé.",
        "Il pleut.",
    ]


def test_the_gate_keeps_cue_sentences_and_their_context() -> None:
    fr = load_lexicon("fr")
    gated = gate(TEXT, fr)
    kept = " ".join(block for _, block in gated.blocks)
    assert "Le maire a affirmé que la fête aurait lieu." in kept
    assert "« Nous tiendrons », dit-il." in kept
    assert "Les cloches sonnent." not in kept
    spans = list(sentence_spans(TEXT))
    assert gated.sentences == len(spans)
    kept_sentences = sum(1 for s, _ in spans if any(o <= s < o + len(b) for o, b in gated.blocks))
    # "Le maire a affirmé" names its source: no context; "dit-il" needs its antecedent
    assert kept_sentences == 1 + (1 + CONTEXT_SENTENCES)
    assert "La pluie tombe sur la ville. Le maire" not in kept
    # every skipped sentence but "Les cloches sonnent." (under four words) states something
    assert gated.skipped_statements == len(spans) - kept_sentences - 1
    assert all(TEXT[offset : offset + len(block)] == block for offset, block in gated.blocks)


def test_context_is_kept_only_for_sentences_that_point_back() -> None:
    fr = load_lexicon("fr")
    before = "Le ministre Paul Dubois visitait le port. Les grues étaient à l'arrêt. "
    for cue, needs_context in (
        ("Selon l'AFP, le port rouvrira lundi.", False),
        ("Il a affirmé que le port rouvrirait.", True),  # a pronoun: its antecedent
        ("Ce dernier a promis des crédits.", True),  # a demonstrative
        ("« Nous rouvrirons le port dès lundi. »", True),  # a quote with no speaker here
        ("« Nous rouvrirons », a promis le ministre.", False),  # its speaker is named here
        ("Le port rouvrira, selon la même source.", True),  # a continuation
        ("Ce matin, le maire a annoncé que le port rouvrirait.", False),  # a time, not a source
        ("L'an dernier, le maire a annoncé la réouverture.", False),
    ):
        kept = " ".join(b for _, b in gate(before + cue, fr).blocks)
        assert ("Paul Dubois" in kept) is needs_context, cue


@pytest.mark.parametrize(
    "sentence",
    [
        "Les pompiers ont donné l'alerte vers minuit.",  # a noun after its determiner
        "Pour répondre à la demande, les usines tournent la nuit.",  # an infinitive, no clause
        "Le sinistre s'est déclaré au passage d'un camion.",  # a verb that reports only a clause
        "On observe des orages sur tout le massif.",
        "Les « Dogues » ont renversé les « Aiglons » en fin de match.",  # scare quotes
        "Le marché a rouvert en fin d'après-midi.",  # "d'après" glued to "midi"
    ],
)
def test_words_of_saying_where_no_cue_can_hold_do_not_pass(sentence: str) -> None:
    assert not gate(sentence, load_lexicon("fr")).blocks, sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Le maire a assuré que la fête aurait lieu.",  # a clause
        "Le maire a confirmé la fermeture du pont.",  # an object that is the claim
        "Le pont restera fermé, rapporte le quotidien local.",  # an inverted tag
        "Le pont restera fermé, a rappelé le maire.",
        "« Le pont restera fermé jusqu'à lundi », rappelle-t-il.",
        "Le maire a tenu à préciser que la fête aurait lieu.",  # an infinitive and its clause
        "Le pont restera fermé, rappelle la préfecture.",  # a doubled consonant
        "Pour le Pentagone, la frappe était justifiée.",
        "Les « Dogues » ont renversé les « Aiglons », écrit le journal local.",
        "Ce bilan a été donné par la préfecture.",  # words or figures given
        "Pour sa part, le comité a déclaré avoir reçu la lettre.",  # an infinitive
        "Le maire a déclaré être prêt à partir.",
        "L'institut a recensé 212 cas depuis janvier.",  # a count
        "Le pont restera fermé, s'est inquiété le maire.",  # a verb that reports with "se"
        "Sur ces neuf accidents, cinq ont eu lieu la nuit, recense la préfecture.",  # a count
    ],
)
def test_words_of_saying_where_a_cue_can_hold_pass(sentence: str) -> None:
    assert gate(sentence, load_lexicon("fr")).blocks, sentence


def test_phrases_allow_a_word_between_their_words() -> None:
    fr = load_lexicon("fr")
    for sentence in ("Il serait même question d'un accord.", "Il a fait également savoir non."):
        assert gate(sentence, fr).blocks, sentence
    assert not gate("La question reste ouverte depuis hier soir.", fr).blocks


def test_english_progressive_forms_and_month_abbreviations() -> None:
    en = load_lexicon("en")
    assert gate("The company is denying any wrongdoing.", en).blocks  # a tense, not a gerund
    assert not gate("Denying any wrongdoing is easy.", en).blocks
    text = "Talks ended on Dec. 31 with a deal, the mayor said."
    assert [text[s:e] for s, e in sentence_spans(text, en.abbreviations)] == [text]


def test_english_regular_and_irregular_forms_pass_the_gate() -> None:
    en = load_lexicon("en")
    for sentence in (
        "The mayor claimed the bridge was safe.",
        "Officials have warned residents.",
        "According to Reuters, the port is closed.",
        "The minister said nothing.",
    ):
        assert gate(sentence, en).blocks, sentence
    assert not gate("The bridge fell into the river last night.", en).blocks


def test_criteria_and_hearsay_words_pass_the_gate() -> None:
    fr = load_lexicon("fr")
    for sentence in (
        "Il est question que le pont ferme.",
        "Pour le ministre, la trêve tient.",
        "La trêve tient, d'après l'ONU.",
        "Sur les réseaux sociaux, des vidéos circulent.",
    ):
        assert gate(sentence, fr).blocks, sentence


@pytest.mark.model
def test_a_process_loads_a_model_once(french_nlp: object) -> None:
    from attribution.nlp.spacy_backend import SpacyBackend

    assert SpacyBackend("fr").nlp is french_nlp
    registry = load_registry(use_user_file=False)
    assert Annotator(registry).backend("fr").nlp is french_nlp  # type: ignore[attr-defined]


@pytest.mark.model
def test_gating_changes_no_cue_claim_or_source(tmp_path: Path, french_nlp: object) -> None:
    """The same cues, claims and source spans with and without the gate. What a source
    resolves to may differ: a sentence parsed without the ones before it can pick another
    antecedent (the gold set measures that; see the README)."""
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    samples = Path(__file__).parent.parent / "samples" / "fr"
    inputs = [path, *sorted(samples.iterdir())[:4]]
    registry = load_registry(use_user_file=False)
    results = {}
    for gated in (True, False):
        annotated = [
            a
            for a in Annotator(registry, gate=gated).annotate(read_articles(inputs))
            if isinstance(a, AnnotatedArticle)
        ]
        results[gated] = [
            [(x.cue.span, x.claim, x.source and x.source.span) for x in a.attributions]
            for a in annotated
        ]
        if gated:
            first = annotated[0]
            assert len(first.sentences) < len(list(sentence_spans(TEXT)))
            assert first.sentence_stats()[0] == len(list(sentence_spans(TEXT)))
    assert results[True] == results[False]


def test_article_type_is_kept() -> None:
    assert Article(id="x", text="y").encoding == "utf-8"
