"""CoNLL-U in and out: exact parses for tests, no model needed.

The text is rebuilt from the tokens: a space after each surface token unless its MISC
column says `SpaceAfter=No`; sentences are joined by a space, or by a blank line after a
`# newpar` comment. Multi-word tokens (`3-4 au`, then `3 à`, `4 le`) give words that
share the span of their surface form.
"""

from __future__ import annotations

from attribution.errors import AttributionError
from attribution.model import Parse
from attribution.nlp.base import Word, build_parse, neutral_entity


class ConlluError(AttributionError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"CoNLL-U line {line}: {message}")
        self.line = line


def read_conllu(data: str) -> Parse:
    text_parts: list[str] = []
    pos = 0
    sentences: list[list[Word]] = []
    current: list[Word] = []
    mwt_end = 0  # last word id covered by the current multi-word token
    mwt_span = (0, 0)
    new_paragraph = False
    pending_space = ""

    def close_sentence() -> None:
        nonlocal current, pending_space, mwt_end
        if current:
            sentences.append(current)
            current = []
            pending_space = " "
        mwt_end = 0

    def emit(form: str) -> int:
        """Append a surface form after its separator; the offset after it."""
        nonlocal pending_space, new_paragraph
        sep = "\n\n" if new_paragraph else pending_space
        text_parts.append(sep + form)
        new_paragraph, pending_space = False, ""
        return pos + len(sep) + len(form)

    for n, raw in enumerate(data.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            close_sentence()
            continue
        if line.startswith("#"):
            if line.strip().lstrip("# ").startswith("newpar") and (sentences or current):
                new_paragraph = True
            continue
        cols = line.split("\t")
        if len(cols) != 10:
            raise ConlluError(n, f"expected 10 tab-separated columns, found {len(cols)}")
        wid, form, lemma, upos, _xpos, feats, head, deprel, _deps, misc = cols
        if "." in wid:  # empty node of enhanced UD: not a surface word
            continue
        no_space = "SpaceAfter=No" in misc.split("|")
        if "-" in wid:
            try:
                first, last = (int(x) for x in wid.split("-"))
            except ValueError:
                raise ConlluError(n, f"bad multi-word token range {wid!r}") from None
            if last < first:
                raise ConlluError(n, f"bad multi-word token range {wid!r}")
            mwt_end = last
            pos = emit(form)
            mwt_span = (pos - len(form), pos)
            pending_space = "" if no_space else " "
            continue
        try:
            index = int(wid)
            head_index = int(head) if head != "_" else 0
        except ValueError:
            raise ConlluError(n, f"bad word id {wid!r} or head {head!r}") from None
        if index != len(current) + 1:
            raise ConlluError(n, f"word id {index} out of order (expected {len(current) + 1})")
        if index <= mwt_end:
            start, end = mwt_span
        else:
            if not form:
                raise ConlluError(n, "empty word form")
            pos = emit(form)
            start, end = pos - len(form), pos
            pending_space = "" if no_space else " "
        current.append(
            Word(
                text=form,
                start=start,
                end=end,
                lemma=lemma if lemma != "_" else form,
                upos=upos if upos != "_" else "X",
                head=head_index,
                deprel=deprel if deprel != "_" else "dep",
                ent=neutral_entity(_misc_value(misc, "NER") or ""),
                feats=feats if feats != "_" else "",
            )
        )
    close_sentence()
    for k, words in enumerate(sentences):
        for w in words:
            if w.head > len(words) or w.head < 0:
                raise ConlluError(0, f"sentence {k + 1}: head {w.head} outside the sentence")
    return build_parse("".join(text_parts), sentences)


def _misc_value(misc: str, key: str) -> str | None:
    for item in misc.split("|"):
        k, _, v = item.partition("=")
        if k == key:
            return v
    return None


def write_conllu(parse: Parse) -> str:
    """The parse as CoNLL-U (one surface token per word; spans kept through SpaceAfter)."""
    out: list[str] = []
    text = parse.text
    for sent in parse.sentences:
        toks = parse.sentence_tokens(sent)
        if sent.index and "\n\n" in text[parse.sentences[sent.index - 1].end : sent.start]:
            out.append("# newpar")
        out.append(f"# text = {text[sent.start : sent.end]}")
        for k, tok in enumerate(toks):
            head = 0 if tok.head is None else tok.head - sent.first + 1
            group = [t for t in toks if (t.start, t.end) == (tok.start, tok.end)]
            last = toks[k + len(group) - 1] if group[0] is tok else tok
            nxt = toks[k + len(group)] if group[0] is tok and k + len(group) < len(toks) else None
            space = "SpaceAfter=No" if nxt is not None and nxt.start == last.end else ""
            if len(group) > 1 and group[0] is tok:
                out.append(
                    f"{k + 1}-{k + len(group)}\t{text[tok.start : tok.end]}\t"
                    + "\t".join(["_"] * 7)
                    + f"\t{space or '_'}"
                )
            misc = [
                m
                for m in (space if len(group) == 1 else "", f"NER={tok.ent}" if tok.ent else "")
                if m
            ]
            out.append(
                "\t".join(
                    (
                        str(k + 1),
                        tok.text,
                        tok.lemma,
                        tok.upos,
                        "_",
                        tok.feats or "_",
                        str(head),
                        tok.deprel,
                        "_",
                        "|".join(misc) or "_",
                    )
                )
            )
        out.append("")
    return "\n".join(out) + "\n"
