"""The stanza adapter, on real stanza Documents built from CoNLL-U (no weights)."""

from __future__ import annotations

from pathlib import Path

import pytest

from attribution.errors import ModelNotInstalled
from attribution.extract import extract
from attribution.lexicon import Lexicon
from tests.conftest import DATA

pytestmark = pytest.mark.stanza
stanza = pytest.importorskip("stanza")

from stanza.utils.conll import CoNLL  # noqa: E402

from attribution.nlp.stanza_backend import doc_to_parse, load_pipeline  # noqa: E402

WITH_OFFSETS = """# text = Selon l'OSDH, l'armée avance au nord.
1	Selon	selon	ADP	_	_	3	case	_	start_char=0|end_char=5|ner=O
2	l'	le	DET	_	_	3	det	_	start_char=6|end_char=8|ner=O|SpaceAfter=No
3	OSDH	OSDH	PROPN	_	_	7	obl:mod	_	start_char=8|end_char=12|ner=S-ORG|SpaceAfter=No
4	,	,	PUNCT	_	_	3	punct	_	start_char=12|end_char=13|ner=O
5	l'	le	DET	_	_	6	det	_	start_char=14|end_char=16|ner=O|SpaceAfter=No
6	armée	armée	NOUN	_	_	7	nsubj	_	start_char=16|end_char=21|ner=O
7	avance	avancer	VERB	_	_	0	root	_	start_char=22|end_char=28|ner=O
8-9	au	_	_	_	_	_	_	_	start_char=29|end_char=31|ner=O
8	à	à	ADP	_	_	10	case	_	_
9	le	le	DET	_	_	10	det	_	_
10	nord	nord	NOUN	_	_	7	obl	_	start_char=32|end_char=36|ner=O|SpaceAfter=No
11	.	.	PUNCT	_	_	7	punct	_	start_char=36|end_char=37|ner=O
"""


def test_document_with_offsets_maps_words_mwt_and_entities() -> None:
    text = "Selon l'OSDH, l'armée avance au nord."
    doc = CoNLL.conll2doc(input_str=WITH_OFFSETS)
    parse = doc_to_parse(doc, text)
    assert [t.text for t in parse.tokens][6:10] == ["avance", "à", "le", "nord"]
    a, le = parse.tokens[7], parse.tokens[8]
    assert text[a.start : a.end] == text[le.start : le.end] == "au"
    assert parse.tokens[2].ent == "ORG"
    assert parse.tokens[6].head is None
    assert parse.tokens[2].head == 6


def test_document_without_offsets_is_aligned_on_the_text() -> None:
    conllu = (DATA / "conllu" / "verb_que.conllu").read_text(encoding="utf-8")
    text = "Le ministère de la Santé a affirmé que le pont tenait toujours."
    parse = doc_to_parse(CoNLL.conll2doc(input_str=conllu), text)
    assert all(text[t.start : t.end] == t.text for t in parse.tokens)


def test_rules_see_the_same_parse_from_stanza(fr: Lexicon) -> None:
    conllu = (DATA / "conllu" / "selon_preposed.conllu").read_text(encoding="utf-8")
    parse = doc_to_parse(CoNLL.conll2doc(input_str=conllu))
    [a] = extract(parse, fr, "doc")
    assert a.source is not None
    assert a.source.span.text == "le quotidien libanais Al-Nour"
    assert a.claim.text == "la route du col est coupée depuis lundi"


def test_missing_models_are_one_line_with_the_install_command(tmp_path: Path) -> None:
    with pytest.raises(ModelNotInstalled) as err:
        load_pipeline("fr", str(tmp_path))
    message = str(err.value)
    assert "\n" not in message
    assert "stanza.download('fr')" in message
