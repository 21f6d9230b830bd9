"""The CoNLL-U reader: exact parses without a model."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from attribution.errors import AttributionError
from attribution.nlp.conllu import ConlluError, read_conllu, write_conllu
from tests.conftest import DATA, conllu

MWT = """# text = Il va au nord.
1	Il	il	PRON	_	_	2	nsubj	_	_
2	va	aller	VERB	_	_	0	root	_	_
3-4	au	_	_	_	_	_	_	_	_
3	à	à	ADP	_	_	5	case	_	_
4	le	le	DET	_	_	5	det	_	_
5	nord	nord	NOUN	_	_	2	obl	_	SpaceAfter=No|NER=LOC
6	.	.	PUNCT	_	_	2	punct	_	_

# newpar
1	Oui	oui	INTJ	_	_	0	root	_	SpaceAfter=No
2	.	.	PUNCT	_	_	1	punct	_	_
"""


def test_text_is_rebuilt_from_forms_and_space_after() -> None:
    parse = read_conllu(MWT)
    assert parse.text == "Il va au nord.\n\nOui."
    assert [parse.text[s.start : s.end] for s in parse.sentences] == ["Il va au nord.", "Oui."]


def test_multiword_token_words_share_the_surface_span() -> None:
    parse = read_conllu(MWT)
    a, le = parse.tokens[2], parse.tokens[3]
    assert (a.text, le.text) == ("à", "le")
    assert parse.text[a.start : a.end] == parse.text[le.start : le.end] == "au"


def test_heads_are_document_indexes_and_roots_have_none() -> None:
    parse = read_conllu(MWT)
    assert parse.tokens[1].head is None
    assert parse.tokens[4].head == 1
    second_root = parse.tokens[6]
    assert (second_root.text, second_root.head, second_root.sent) == ("Oui", None, 1)
    assert parse.tokens[7].head == 6
    assert parse.tokens[4].ent == "LOC"


def test_write_then_read_gives_the_same_parse() -> None:
    for path in sorted((DATA / "conllu").glob("*.conllu")):
        parse = conllu(path.stem)
        assert read_conllu(write_conllu(parse)) == parse, path.name


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("1\tIl\til\tPRON\n", 1),
        ("1\tIl\til\tPRON\t_\t_\tx\tnsubj\t_\t_\n", 1),
        ("2\tIl\til\tPRON\t_\t_\t0\troot\t_\t_\n", 1),
        ("1\tIl\til\tPRON\t_\t_\t0\troot\t_\t_\n1-x\tau\t_\t_\t_\t_\t_\t_\t_\t_\n", 2),
    ],
)
def test_malformed_lines_name_their_line(text: str, line: int) -> None:
    with pytest.raises(ConlluError) as err:
        read_conllu(text)
    assert err.value.line == line


@given(st.text(alphabet=st.sampled_from("1-2\t_ab.\n#:=|"), max_size=200))
def test_any_input_gives_a_parse_or_the_projects_error(data: str) -> None:
    try:
        parse = read_conllu(data)
    except AttributionError:
        return
    for tok in parse.tokens:
        assert 0 <= tok.start <= tok.end <= len(parse.text)
