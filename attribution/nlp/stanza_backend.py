"""The stanza backend (optional extra `attribution[stanza]`).

Models are never downloaded at run time (`download_method=None`): a missing model is a
one-line `ModelNotInstalled` that says which command installs it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from attribution.errors import ModelNotInstalled
from attribution.model import Parse
from attribution.nlp.base import (
    Blocks,
    Word,
    bounded,
    build_parse,
    neutral_entity,
    normalize_for_parser,
    paragraphs,
)

PROCESSORS = "tokenize,mwt,pos,lemma,depparse,ner"
INSTALL_PACKAGE = "pip install 'attribution[stanza]'"


def install_models_command(lang: str) -> str:
    return f"python -c \"import stanza; stanza.download('{lang}')\""


def is_available() -> bool:
    return importlib.util.find_spec("stanza") is not None


def model_dir() -> Path:
    from stanza.resources.common import DEFAULT_MODEL_DIR

    return Path(DEFAULT_MODEL_DIR)


def installed_languages() -> list[str]:
    if not is_available():
        return []
    root = model_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


class StanzaBackend:
    name = "stanza"

    def __init__(self, lang: str, dir: str | None = None) -> None:
        if not is_available():
            raise ModelNotInstalled(f"the stanza backend is not installed; run: {INSTALL_PACKAGE}")
        self.lang = lang
        self.dir = dir
        self._nlp: Any = None

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = load_pipeline(self.lang, self.dir)
        return self._nlp

    def parse(self, texts: Iterable[str], blocks: Blocks = paragraphs) -> Iterator[Parse]:
        import stanza

        for text in texts:
            parts = list(bounded(blocks(text)))
            docs = self.nlp.bulk_process(
                [stanza.Document([], text=normalize_for_parser(line)) for _, line in parts]
            )
            sentences = [
                words
                for (offset, _), doc in zip(parts, docs, strict=True)
                for words in doc_sentences(doc, offset)
            ]
            yield build_parse(text, sentences)


def load_pipeline(lang: str, dir: str | None = None) -> Any:
    import stanza

    kwargs: dict[str, Any] = {"download_method": None, "logging_level": "WARN"}
    if dir:
        kwargs["dir"] = dir
    try:
        return stanza.Pipeline(lang, processors=PROCESSORS, **kwargs)
    except FileNotFoundError:  # stanza's missing-resource errors all derive from it
        raise ModelNotInstalled(
            f"stanza models for {lang!r} are not installed; on a connected machine run: "
            f"{install_models_command(lang)}"
        ) from None


def doc_to_parse(doc: Any, text: str | None = None) -> Parse:
    """A stanza Document as a neutral parse. Offsets come from the tokens' `start_char`
    and `end_char`; where a Document has none (built from CoNLL-U without them), the
    text is rebuilt from the tokens and their `spaces_after`."""
    if text is None:
        text = doc.text or _rebuild_text(doc)
    return build_parse(text, doc_sentences(doc, 0, text))


def _rebuild_text(doc: Any) -> str:
    parts: list[str] = []
    for sent in doc.sentences:
        for tok in sent.tokens:
            parts.append(tok.text + (tok.spaces_after if tok.spaces_after is not None else " "))
    return "".join(parts).rstrip()


def doc_sentences(doc: Any, offset: int = 0, text: str | None = None) -> Iterator[list[Word]]:
    pos = 0
    for sent in doc.sentences:
        words: list[Word] = []
        for tok in sent.tokens:
            start = tok.start_char
            if start is None:  # no offsets: find the token in the text from where we are
                found = text.find(tok.text, pos) if text is not None else -1
                start = found if found >= 0 else pos
            end = tok.end_char if tok.end_char is not None else start + len(tok.text)
            pos = end
            ent = _ner_label(tok.ner)
            for w in tok.words:
                words.append(
                    Word(
                        text=w.text,
                        start=offset + start,
                        end=offset + end,
                        lemma=w.lemma or w.text,
                        upos=w.upos or "X",
                        head=w.head or 0,
                        deprel=w.deprel or "dep",
                        ent=ent,
                        feats=w.feats or "",
                    )
                )
        yield words


def _ner_label(tag: str | None) -> str:
    """ "B-ORG", "S-PER" (BIOES) → "ORG", "PER"; "O" or nothing → ""."""
    if not tag or tag == "O":
        return ""
    return neutral_entity(tag.split("-", 1)[-1])
