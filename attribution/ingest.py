"""Read articles from files: plain text, Markdown, HTML and JSON Lines.

Each reader turns one file into `Article`s. A problem with one file (or one JSONL line)
is an `InputError` naming the file and, where it can, the line; the caller decides
whether to go on with the other inputs.
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from attribution.errors import InputError
from attribution.model import Article
from attribution.yamlsafe import load as strict_yaml

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
MAX_BYTES = 20_000_000  # a bigger file is not one article: say so rather than parse it for an hour
LANGUAGES = ("fr", "en")
MAX_TITLE_CHARS = 200

_MONTHS = {
    **dict.fromkeys(("janvier", "january", "jan"), 1),
    **dict.fromkeys(("février", "fevrier", "february", "feb", "fév", "fev"), 2),
    **dict.fromkeys(("mars", "march", "mar"), 3),
    **dict.fromkeys(("avril", "april", "apr", "avr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juin", "june", "jun"), 6),
    **dict.fromkeys(("juillet", "july", "jul", "juil"), 7),
    **dict.fromkeys(("août", "aout", "august", "aug"), 8),
    **dict.fromkeys(("septembre", "september", "sep", "sept"), 9),
    **dict.fromkeys(("octobre", "october", "oct"), 10),
    **dict.fromkeys(("novembre", "november", "nov"), 11),
    **dict.fromkeys(("décembre", "decembre", "december", "dec", "déc"), 12),
}
_TIME = r"(?:\s*(?:à|a|at|,|-)?\s*(?P<h>\d{1,2})\s*[:hH]\s*(?P<mi>\d{2})?\s*(?P<ampm>[AaPp][Mm])?)?"
_DATE_PATTERNS = (
    re.compile(r"(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})" + _TIME),
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ]" + _TIME[2:]),
    re.compile(r"(?P<d>\d{1,2})(?:er)?\s+(?P<mname>[^\W\d_]+)\.?\s+(?P<y>\d{4})" + _TIME),
    re.compile(r"(?P<mname>[^\W\d_]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})" + _TIME),
)
_DATE_LINE_MAX = 80
_DATE_LINE_PREFIX = re.compile(
    r"^\s*(?:publié|mis à jour|updated|published|posted|le|on|date)?\s*(?:le|on|:)?\s*",
    re.IGNORECASE,
)


def iter_input_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The files to read: each path as given, directories walked in name order.

    A missing path, or a directory that cannot be listed, is yielded as is, so that
    reading it reports the error in order.
    """
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except OSError:  # a parent that cannot be searched: reading it says why
            is_dir = False
        if is_dir:
            yield from _walk(path)
        else:
            yield path


def _walk(top: Path) -> Iterator[Path]:
    seen: set[tuple[int, int]] = set()
    unreadable: list[Path] = []

    def skipped(err: OSError) -> None:
        unreadable.append(Path(err.filename or top))

    for root, dirs, files in os.walk(top, followlinks=True, onerror=skipped):
        yield from unreadable
        unreadable.clear()
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen:  # a symlink loop
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                yield Path(root) / name
    yield from unreadable


def count_articles(files: Iterable[Path]) -> int:
    """How many articles the files hold, for a progress bar: one a file, one a non-blank
    line of a JSONL file (an unreadable file counts one, for its error)."""
    total = 0
    for path in files:
        if path.suffix.lower() != ".jsonl":
            total += 1
            continue
        try:
            with path.open("rb") as lines:
                total += sum(1 for line in lines if line.strip()) or 1
        except OSError:
            total += 1
    return total


def read_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    lang: str | None = None,
    publisher: str | None = None,
    max_bytes: int = MAX_BYTES,
    as_read: Callable[[Article], bool] | None = None,
) -> Iterator[Article | InputError]:
    """Every article of every input, or the error that stopped one input or line. An
    article for which `as_read` is true comes as read, its language not settled (no
    detection: the caller already knows it)."""
    for path in iter_input_files(paths):
        try:
            for item in read_file(path, max_bytes):
                if isinstance(item, InputError) or (as_read is not None and as_read(item)):
                    yield item
                    continue
                try:
                    yield complete(item, lang, publisher)
                except InputError as err:
                    yield err
        except InputError as err:
            yield err


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[Article | InputError]:
    """Articles of one file (a JSONL file may also yield errors for single lines)."""
    suffix = path.suffix.lower()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from None
    if stat.S_ISDIR(mode):
        try:
            os.listdir(path)
        except OSError as err:
            raise InputError(path, f"cannot read directory: {err.strerror or err}") from None
        raise InputError(path, "is a directory")
    if not stat.S_ISREG(mode):  # a FIFO would block, /dev/zero never ends
        raise InputError(path, f"not a regular file ({_KINDS.get(stat.S_IFMT(mode), 'special')})")
    if suffix not in SUFFIXES:
        raise InputError(
            path,
            f"unknown format {suffix or '(no extension)'!r}; expected one of "
            + ", ".join(SUFFIXES),
        )
    given, encoding = decode_as_given(path, _read_bytes(path, max_bytes))
    text = _lf(given)
    if suffix == ".jsonl":
        items: Iterable[Article | InputError] = _read_jsonl(path, text)
    elif suffix in (".html", ".htm"):
        items = [_read_html(path, text)]
    else:
        items = [_as_given(_read_plain(path, text), text, given)]
    for item in items:
        yield item if isinstance(item, InputError) else replace(item, encoding=encoding)


def _as_given(article: Article, text: str, given: str) -> Article:
    """The article with the file as given, when its text is only part of it (a header
    taken as metadata) or its line ends were CR LF: output offsets index the file."""
    if given == article.text:
        return article
    # the body is what is left of the file once a header is cut and newlines stripped
    origin = len(text.rstrip("\n")) - len(article.text)
    if origin < 0 or text[origin : origin + len(article.text)] != article.text:
        origin = text.find(article.text)
    if origin < 0:
        return article
    return replace(article, given=given, origin=origin)


def body_start(given: str, path: str | None) -> int:
    """Where the body starts in a text or Markdown article as given, after the header its
    reader took as metadata (what a page shows of it is the body; offsets still index the
    whole). 0 without a header, for other formats, or when the text no longer reads."""
    if path is None or Path(path).suffix.lower() not in (".txt", ".md") or "\r" in given:
        return 0
    try:
        return _as_given(_read_plain(Path(path), given), given, given).origin
    except InputError:
        return 0


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    def too_large(size: float) -> InputError:
        return InputError(
            path,
            f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB, "
            "raise it with --max-mb)",
        )

    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise too_large(size)
        if size:
            data = path.read_bytes()
        else:  # a file that does not tell its size (/proc): read at most the limit
            with path.open("rb") as f:
                data = f.read(max_bytes + 1)
        if len(data) > max_bytes:  # it grew while we read it
            raise too_large(len(data))
        return data
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from None


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """As `decode_as_given`, line endings made `\\n`."""
    text, encoding = decode_as_given(path, data)
    return _lf(text), encoding


def decode_as_given(path: Path, data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 (with or without BOM), UTF-16
    (with a BOM, or recognised by its zero bytes), else the encoding charset-normalizer
    finds most likely. Line endings are kept."""
    encoding = "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data[:8192]:
        encoding = _utf16_without_bom(data) or ""
        if not encoding:
            raise InputError(path, "binary file, not text")
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as err:
        if encoding != "utf-8":
            raise InputError(path, f"invalid {encoding.upper()} at byte {err.start}") from None
        if _cut_at_the_end(data):  # a download or a copy stopped mid-character
            text, encoding = data.decode("utf-8-sig", errors="replace"), TRUNCATED_UTF8
        else:
            text, encoding = _guess_encoding(path, data, err)
    if not text.strip():
        raise InputError(path, "empty file")
    return text, encoding


TRUNCATED_UTF8 = "utf-8, cut"


def _cut_at_the_end(data: bytes) -> bool:
    """Valid UTF-8 but for a last character missing its final bytes."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.end == len(body) and len(body) - err.start <= 3 and _is_utf8(body[: err.start])
    return False


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf16_without_bom(data: bytes) -> str | None:
    """Mostly-ASCII UTF-16 has a zero in every other byte."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


_WESTERN = set("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»’‘“”–—…€°·ñíóúáÑÍÓÚÁ\u00a0")


def _guess_encoding(path: Path, data: bytes, err: UnicodeDecodeError) -> tuple[str, str]:
    """Windows-1252 when it gives French or English letters only (the usual case of a
    page saved from an old site), else what charset-normalizer finds most likely."""
    try:
        western = data.decode("cp1252")
        if all(c.isascii() or c in _WESTERN for c in western[:200_000]):
            return western, "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    encoding = best.encoding if best is not None else None
    if encoding is None or encoding.replace("_", "-").lower() in ("utf-8", "utf-8-sig", "ascii"):
        encoding = "latin-1"  # decodes anything; the note tells the reader what was assumed
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        line = data[: err.start].count(b"\n") + 1
        raise InputError(
            path, f"not UTF-8 (byte 0x{data[err.start]:02x}) and no encoding fits", line
        ) from None
    controls = sum(1 for c in text[:100_000] if ord(c) < 32 and c not in "\n\r\t")
    if controls > 0.01 * min(len(text), 100_000):
        raise InputError(path, "binary file, not text")
    return text, encoding.replace("_", "-").lower()


def _read_plain(path: Path, text: str) -> Article:
    meta, body, body_line = _front_matter(path, text)
    title = _str(meta.get("title"))
    date = _str(meta.get("date"))
    if meta and date and not _valid_iso_date(date):
        line = next((n for n, s in enumerate(text.split("\n"), 1) if s.startswith("date:")), 1)
        raise InputError(path, f"front matter: 'date' {date!r} is not a valid date", line)
    if not meta:
        date, title, body = _plain_header(body)
    elif path.suffix.lower() == ".md" and title is None:
        first, _, rest = body.lstrip("\n").partition("\n")
        if first.startswith("# "):
            title, body = first[2:].strip(), rest
    if title:
        body = _drop_repeated_title(body, title)
    body = body.strip("\n")
    if not body.strip():
        raise InputError(path, "no article text after the header", body_line)
    return Article(
        id=_str(meta.get("id")) or path.as_posix(),
        text=body,
        title=title,
        date=normalize_date(date) if date else None,
        url=_str(meta.get("url")),
        publisher=_str(meta.get("publisher")),
        site_name=_str(meta.get("site_name")),
        lang=_str(meta.get("lang")),
        path=path.as_posix(),
    )


def _front_matter(path: Path, text: str) -> tuple[dict[str, Any], str, int]:
    """YAML front matter between `---` lines at the very start of the file."""
    if not text.startswith("---\n"):
        return {}, text, 1
    end = text.find("\n---", 3)
    if end < 0 or text[end + 4 : end + 5] not in ("\n", ""):
        raise InputError(path, "front matter opened with '---' is never closed", 1)
    try:
        meta = strict_yaml(text[4:end])[1] or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise InputError(
            path, f"invalid front matter: {getattr(err, 'problem', err)}", line
        ) from None
    if not isinstance(meta, dict):
        raise InputError(path, "front matter must be a mapping of keys to values", 2)
    body = text[end + 5 :]
    return meta, body, text[: end + 5].count("\n") + 1


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\b")


def _valid_iso_date(value: str) -> bool:
    """False for an ISO-shaped date that names no day ("2024-13-45"); other text is
    kept as the article gives it."""
    import datetime as dt

    m = _ISO_DATE.match(value)
    if m is None:
        return True
    try:
        dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return False
    return True


def _plain_header(text: str) -> tuple[str | None, str | None, str]:
    """A scraped page often starts with a date line and a title line; take them out."""
    lines = text.split("\n")
    k = 0
    while k < len(lines) and not lines[k].strip():
        k += 1
    date = None
    if k < len(lines) and _looks_like_date_line(lines[k]):
        date = lines[k].strip()
        k += 1
        while k < len(lines) and not lines[k].strip():
            k += 1
    title = None
    if k < len(lines) and _looks_like_title(lines, k):
        title = lines[k].strip()
        k += 1
    return date, title, "\n".join(lines[k:])


def _looks_like_date_line(line: str) -> bool:
    line = line.strip()
    return (
        len(line) <= _DATE_LINE_MAX
        and _match_date(line) is not None
        and len(re.sub(r"[\d\s:/.\-,]", "", line)) <= 40
    )


def _looks_like_title(lines: list[str], k: int) -> bool:
    """A short line with no final full stop, followed by a blank line and more text."""
    line = lines[k].strip()
    followed_by_blank = k + 1 < len(lines) and not lines[k + 1].strip()
    has_more = any(s.strip() for s in lines[k + 1 :])
    return (
        0 < len(line) <= MAX_TITLE_CHARS
        and not line.endswith((".", ":", ";", ","))
        and followed_by_blank
        and has_more
    )


def _drop_repeated_title(body: str, title: str) -> str:
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if _squash(first) == _squash(title):
        return rest
    return body


def _squash(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().casefold()


def _match_date(s: str) -> re.Match[str] | None:
    s = _DATE_LINE_PREFIX.sub("", s, count=1)
    for pattern in _DATE_PATTERNS:
        m = pattern.search(s)
        if m and ("mname" not in m.groupdict() or m["mname"].lower().rstrip(".") in _MONTHS):
            return m
    return None


def normalize_date(s: str) -> str:
    """ISO 8601 (`2024-03-28` or `2024-03-28T22:57`) when the text is a date, else as given."""
    m = _match_date(s.strip())
    if m is None:
        return s.strip()
    g = m.groupdict()
    month = int(g["m"]) if g.get("m") else _MONTHS[g["mname"].lower().rstrip(".")]
    day, year = int(g["d"]), int(g["y"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return s.strip()
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    if g.get("h") is not None:
        hour = int(g["h"])
        ampm = (g.get("ampm") or "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour < 24:
            iso += f"T{hour:02d}:{int(g.get('mi') or 0):02d}"
    return iso


def _read_html(path: Path, text: str) -> Article:
    import trafilatura  # slow to import; only HTML inputs pay for it

    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        raise InputError(path, "no article text found in the HTML")
    title = getattr(doc, "title", None) or None
    if title:
        body = _drop_repeated_title(body, title)
    return Article(
        id=path.as_posix(),
        text=body.strip("\n"),
        title=title,
        date=getattr(doc, "date", None) or None,
        url=getattr(doc, "url", None) or None,
        site_name=getattr(doc, "sitename", None) or None,
        lang=getattr(doc, "language", None) or None,
        path=path.as_posix(),
    )


_JSONL_KEYS = ("id", "title", "date", "url", "publisher", "lang", "site_name")


def _read_jsonl(path: Path, text: str) -> Iterator[Article | InputError]:
    found = False
    first_line: dict[str, int] = {}  # id → the line that gave it first
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield InputError(path, f"invalid JSON: {err.msg}", n)
            continue
        except RecursionError:
            yield InputError(path, "invalid JSON: nested too deeply", n)
            continue
        if not isinstance(obj, dict):
            yield InputError(path, "expected a JSON object", n)
            continue
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            yield InputError(path, "missing or empty 'text'", n)
            continue
        bad = [k for k in _JSONL_KEYS if obj.get(k) is not None and not isinstance(obj[k], str)]
        if bad:
            yield InputError(path, f"'{bad[0]}' must be a string", n)
            continue
        broken = [k for k in ("text", *_JSONL_KEYS) if obj.get(k) and not _is_unicode(obj[k])]
        if broken:  # "\ud800" alone is valid JSON, but no text: no encoder takes it
            yield InputError(path, f"'{broken[0]}' holds a lone surrogate, not text", n)
            continue
        article_id = obj.get("id") or f"{path.as_posix()}#{n}"
        if article_id in first_line:  # the store would replace the first with it
            yield InputError(
                path, f"duplicate id {article_id!r} (first at line {first_line[article_id]})", n
            )
            continue
        first_line[article_id] = n
        found = True
        yield Article(
            id=article_id,
            text=_lf(body),
            given=body if "\r" in body else None,
            title=obj.get("title"),
            date=obj.get("date"),
            url=obj.get("url"),
            publisher=obj.get("publisher"),
            site_name=obj.get("site_name"),
            lang=obj.get("lang"),
            path=path.as_posix(),
        )
    if not found:
        yield InputError(path, "no article in this JSONL file")


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def complete(article: Article, lang: str | None = None, publisher: str | None = None) -> Article:
    """The article with its language and publisher settled; an article in a language
    the annotator does not read is an error."""
    settled = known_lang(article.lang) or lang or detect_language(article.text)
    if settled not in LANGUAGES:
        raise InputError(
            article.id,
            f"language not supported: {settled} (fr and en are; --lang forces one)",
        )
    return replace(article, lang=settled, publisher=article.publisher or publisher)


def known_lang(lang: str | None) -> str | None:
    if not lang:
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def detect_language(text: str) -> str:
    """French or English, whichever the text is closer to; for a text mostly in another
    script than the Latin one (Arabic, Cyrillic…), the language it is in."""
    sample = text[:5000]
    letters = [c for c in sample if c.isalpha()]
    latin = sum(1 for c in letters if c < "\u0250")
    restricted = not letters or latin >= 0.5 * len(letters)
    lang: str = _identifier(restricted).classify(sample)[0]
    return lang


@functools.cache
def _identifier(restricted: bool) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    if restricted:
        identifier.set_languages(list(LANGUAGES))
    return identifier


def _str(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)
