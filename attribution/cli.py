"""The command line. Thin: parse arguments, call the library, print."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from attribution.errors import AttributionError
from attribution.terminal import printable

PROGRESS_MIN_ARTICLES = 10  # fewer articles than this take seconds: no bar

app = typer.Typer(
    name="attribution",
    help="Who says so? Find attributed claims in news articles and link their sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
registry_app = typer.Typer(
    help="Validate, inspect and query the outlet registry.", no_args_is_help=True
)
app.add_typer(registry_app, name="registry")


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    table = "table"


class BackendName(StrEnum):
    spacy = "spacy"
    stanza = "stanza"


DEFAULT_DB = "attribution.db"
DB_HELP = (
    "The store: an SQLite file, or a PostgreSQL database as postgresql://user@host/dbname "
    "(default: $ATTRIBUTION_DB, else attribution.db)."
)
DbOption = Annotated[str, typer.Option("--db", envvar="ATTRIBUTION_DB", help=DB_HELP)]

RegistryOption = Annotated[
    list[Path] | None,
    typer.Option("--registry", help="Extra registry file merged over the default (repeatable)."),
]


def _err(message: str) -> None:
    _note(f"error: {message}")


def _note(message: str) -> None:
    """One line on stderr: control characters from file names or data made visible."""
    typer.echo(printable(message), err=True)


def _registry(extra: list[Path] | None) -> Any:
    from attribution.registry import load_registry

    return load_registry(extra or [])


class Engine(StrEnum):
    local = "local"
    dask = "dask"


@app.command()
def annotate(
    paths: Annotated[list[Path], typer.Argument(help="Article files or directories.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    backend: Annotated[BackendName, typer.Option(help="NLP backend.")] = BackendName.spacy,
    lang: Annotated[
        str | None, typer.Option(help="Language when the file does not say (fr, en).")
    ] = None,
    publisher: Annotated[
        str | None, typer.Option(help="Registry id of the publisher, when the file does not say.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Store in --db (default), or only print.")
    ] = True,
    max_mb: Annotated[float, typer.Option(help="Refuse input files larger than this.")] = 20.0,
    batch_size: Annotated[int, typer.Option(help="Articles parsed together.", min=1)] = 32,
    gate: Annotated[
        bool, typer.Option("--gate/--no-gate", help="Parse only sentences that can hold a cue.")
    ] = True,
    workers: Annotated[
        int, typer.Option(help="Processes that parse at once (one model each).", min=1)
    ] = 1,
    engine: Annotated[
        Engine, typer.Option(help="local: this machine; dask: a Dask cluster.")
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (default: a local cluster of --workers)."),
    ] = None,
    shards: Annotated[
        Path | None,
        typer.Option(
            help="With --engine dask: workers write JSONL shards here (load them with "
            "'attribution import') instead of sending results back."
        ),
    ] = None,
    with_text: Annotated[
        bool,
        typer.Option(
            "--with-text",
            help="JSON Lines: give each article's text (what the offsets index) once, in "
            "'article_text' of its first record.",
        ),
    ] = False,
    registry: RegistryOption = None,
) -> None:
    """Find every attribution in the articles, store them, and print one record each."""
    from attribution.engine import Job, dask_client, run_dask, run_local
    from attribution.files import written
    from attribution.ingest import TRUNCATED_UTF8, count_articles
    from attribution.output import records, render_table, write_csv, write_jsonl
    from attribution.pipeline import AnnotatedArticle, NeedsModel, Unchanged
    from attribution.shards import shard_files
    from attribution.store import StoreError

    if lang is not None and lang not in ("fr", "en"):
        raise AttributionError(f"--lang must be fr or en, not {lang!r}")
    if engine is Engine.local and (scheduler or shards):
        raise AttributionError("--scheduler and --shards need --engine dask")
    if not (math.isfinite(max_mb) and max_mb > 0):
        raise AttributionError(f"--max-mb must be a positive number of megabytes, not {max_mb}")
    if with_text and format is not Format.jsonl:
        raise AttributionError("--with-text goes with --format jsonl")
    files, empty = _input_files(paths)
    database = _open_store(db) if store and shards is None else None
    reg = _registry(registry)
    job = Job(
        reg,
        backend.value,
        batch_size=batch_size,
        gate=gate,
        lang=lang,
        publisher=publisher,
        max_bytes=int(max_mb * 1_000_000),
        # what the store holds as it is is printed from the store, not parsed again
        known=database.fingerprints(reg.hash, backend.value) if database is not None else {},
    )
    failures = empty
    saved: Counter[str] = Counter()
    vanished: list[str] = []
    first_seen: dict[str, str] = {}  # article id → the file it was first read from

    def results() -> Any:
        if engine is Engine.local:
            yield from run_local([str(f) for f in files], job, workers)
            return
        with dask_client(scheduler, workers) as client:
            yield from run_dask([str(f) for f in files], job, client, shards)

    stopped: list[str] = []  # why storing stopped, if it did

    def with_article_text(records: Any, text: str) -> Any:
        for n, record in enumerate(records):
            yield {**record, "article_text": text if n == 0 else None} if with_text else record

    def rows() -> Any:
        nonlocal failures
        # records printed to the terminal would break the bar's line: no bar then
        quiet = shards is not None or (output is None and sys.stdout.isatty())
        with _progress(lambda: count_articles(files), quiet) as advance:
            for item in results():
                advance()
                article = item.article if isinstance(item, AnnotatedArticle | Unchanged) else None
                if article is not None and article.id in first_seen:
                    # a second article with the same id would replace the first one
                    failures += 1
                    _err(
                        f"{article.path}: duplicate article id {article.id!r} "
                        f"(first read from {first_seen[article.id]}); skipped"
                    )
                elif isinstance(item, Unchanged) and database is not None:
                    first_seen[item.article.id] = item.article.path or item.article.id
                    saved["unchanged"] += 1
                    stored = database.records(item.article.id)
                    yield from with_article_text(stored, item.article.original)
                elif isinstance(item, AnnotatedArticle):
                    first_seen[item.article.id] = item.article.path or item.article.id
                    if item.article.encoding == TRUNCATED_UTF8:
                        _note(
                            f"note: {item.article.path}: truncated UTF-8 (its last character "
                            "is cut); read as UTF-8, the cut character shown as �"
                        )
                    elif item.article.encoding not in ("utf-8", "ascii"):
                        _note(
                            f"note: {item.article.path}: not UTF-8, read as {item.article.encoding}"
                        )
                    if database is not None:
                        try:
                            result = database.save(item)
                        except StoreError as err:  # a full disk: say what was stored
                            where = database.location
                            reason = str(err).removeprefix(f"{where}: ")
                            reason = reason.removesuffix("; nothing was written")
                            stopped.append(
                                f"{where}: {reason}: article {item.article.id} and the ones "
                                "after it were not stored; those before it are kept"
                            )
                            return
                        saved[result.status] += 1
                        vanished.extend(f"{result.article}: {v}" for v in result.vanished)
                    yield from with_article_text(records(item), item.article.original)
                elif isinstance(item, NeedsModel):  # said once, at the end
                    failures += 1
                    needs_model.setdefault(item.reason, []).append(item.article)
                else:
                    failures += 1
                    _err(str(item))

    needs_model: dict[str, list[str]] = {}
    with contextlib.ExitStack() as stack:
        if database is not None:
            stack.callback(database.close)
        out: IO[str] = sys.stdout
        if output is not None:  # written whole or not at all, even on a full disk
            target = stack.enter_context(written(output))
            out = stack.enter_context(target.open("w", encoding="utf-8", newline=""))
        if format is Format.jsonl:
            write_jsonl(rows(), out)
        elif format is Format.csv:
            write_csv(rows(), out)
        else:
            table = list(rows())
            if table or not failures:  # an empty table says nothing the errors did not
                render_table(table, out)
    for reason, articles in needs_model.items():
        some = ", ".join(articles[:3]) + (", …" if len(articles) > 3 else "")
        many = f"{len(articles)} article{'s' if len(articles) > 1 else ''}"
        _err(f"{reason}; {many} not annotated ({some})")
    if shards is not None:
        count = len(list(shard_files([shards])))
        _note(f"{shards}: {count} shards; load them with: attribution import {shards}")
    if database is not None:
        _report_saved(database.location, saved, vanished)
    for line in stopped:
        _err(line)
    if failures or stopped:
        raise typer.Exit(1)


def _input_files(paths: list[Path]) -> tuple[list[Path], int]:
    """The files to read, and how many directories held none (each is reported); having
    nothing to read at all is an error."""
    from attribution.ingest import SUFFIXES, iter_input_files

    files, empty = [], 0
    for path in paths:
        found = list(iter_input_files([path]))
        if not found and path.is_dir():
            empty += 1
            _err(f"{path}: no article file here (looked for {', '.join(SUFFIXES)})")
        files.extend(found)
    if not files:
        raise AttributionError("nothing to annotate")
    return files, empty


def _report_saved(db: str, saved: Counter[str], vanished: list[str]) -> None:
    summary = ", ".join(f"{n} {status}" for status, n in sorted(saved.items())) or "nothing"
    _note(f"{db}: {summary}")
    for line in vanished:
        _note(f"{db}: gone from the new text, reviews kept: {line}")


@contextmanager
def _progress(count: Callable[[], int], quiet: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr with articles/s and the time left, when stderr is a
    terminal and the run is long enough to need one. The articles are counted (which
    reads JSONL inputs once more) only when the bar can show."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    total = 0 if quiet or not console.is_terminal else count()
    with Progress(
        TextColumn("annotating"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=console,
        disable=total < PROGRESS_MIN_ARTICLES,
        transient=True,
    ) as bar:
        task = bar.add_task("annotate", total=total, rate="")

        def advance() -> None:
            speed = bar.tasks[0].speed
            bar.update(task, advance=1, rate=f"{speed:.1f} articles/s" if speed else "")

        yield advance


@app.command("import")
def import_shards(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Shard files or directories of shards; or one store (an SQLite file or a "
            "postgresql:// URL) to copy whole into --db."
        ),
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Load the shards that 'annotate --engine dask --shards DIR' wrote into a store, or copy
    a whole workspace (articles, attributions, the full review log, roles) into an empty one."""
    from attribution.shards import read_located
    from attribution.store import StoreError

    if any(_is_store(s) for s in sources):
        if len(sources) != 1:
            raise AttributionError("copy one store at a time, and no shards with it")
        _copy_store(sources[0], db)
        return
    failures = 0
    saved: Counter[str] = Counter()
    vanished: list[str] = []
    with _open_store(db) as database:
        for path, line, record in read_located([Path(s) for s in sources]):
            if isinstance(record, AttributionError):
                failures += 1
                _err(str(record))
                continue
            try:
                result = database.save(record)
            except StoreError as err:  # this record only: the next ones may still load
                failures += 1
                _err(f"{path}:{line}: not stored: {err}")
                continue
            saved[result.status] += 1
            vanished.extend(f"{result.article}: {v}" for v in result.vanished)
        location = database.location
    _report_saved(location, saved, vanished)
    if failures:
        raise typer.Exit(1)


def _is_store(source: str) -> bool:
    """A database URL, or an SQLite file (shards are JSON Lines)."""
    if "://" in source:
        return True
    try:
        with open(source, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _copy_store(source: str, db: str) -> None:
    from attribution.store import redact

    if _as_target(source) == _as_target(db):
        raise AttributionError(f"{redact(db)}: a store cannot be copied into itself")
    with _open_store(source, create=False) as origin, _open_store(db) as target:
        counts = target.copy_from(origin)
        _note(
            f"{target.location}: copied from {origin.location}: {counts['articles']} articles, "
            f"{counts['attributions']} attributions, {counts['review_log']} review log entries"
        )


@app.command()
def models() -> None:
    """Show which NLP backends and models are installed."""
    from attribution.nlp import spacy_backend, stanza_backend

    for lang, _names in spacy_backend.MODELS.items():
        found = spacy_backend.installed_models(lang)
        status = ", ".join(found) if found else f"missing: {spacy_backend.INSTALL_HINT[lang]}"
        typer.echo(f"spacy   {lang}  {status}")
    if not stanza_backend.is_available():
        typer.echo(f"stanza  --  not installed: {stanza_backend.INSTALL_PACKAGE}")
        return
    installed = stanza_backend.installed_languages()
    for lang in ("fr", "en"):
        status = (
            "installed"
            if lang in installed
            else f"missing: {stanza_backend.install_models_command(lang)}"
        )
        typer.echo(f"stanza  {lang}  {status}")


@registry_app.command("check")
def registry_check(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Registry files (default: the merged registry).")
    ] = None,
    max_age: Annotated[
        int, typer.Option(help="Warn on ratings older than this many years.", min=0)
    ] = 10,
) -> None:
    """Validate registry files; every problem is reported with file and line, and ratings
    older than --max-age years are warned about."""
    from attribution.registry import (
        default_registry_path,
        load_file,
        load_registry,
        stale_ratings,
        user_registry_path,
    )

    if not files:
        merged = load_registry()
        paths = [default_registry_path(), user_registry_path()]
        for f in paths:
            if f.is_file():
                for warning in stale_ratings(f, load_file(f), max_age):
                    _note(warning)
        typer.echo(
            f"ok: {len(merged.outlets)} outlets from {', '.join(merged.files)} (hash {merged.hash})"
        )
        return
    problems = 0
    for f in files:
        try:
            reg = load_file(f)
            for warning in stale_ratings(f, reg, max_age):
                _note(warning)
            typer.echo(printable(f"{f}: ok ({len(reg.outlets)} outlets)"))
        except AttributionError as err:
            problems += 1
            for line in str(err).splitlines():
                _note(line)
    if problems:
        raise typer.Exit(1)


@registry_app.command("show")
def registry_show(id: str, registry: RegistryOption = None) -> None:
    """Print one outlet's entry."""
    import yaml

    reg = _registry(registry)
    outlet = reg.outlets.get(id)
    if outlet is None:
        raise AttributionError(f"no outlet with id {id!r} (try: attribution registry find TEXT)")
    data = outlet.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    typer.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).rstrip())


@registry_app.command("find")
def registry_find(
    text: str,
    context: Annotated[
        str | None, typer.Option(help="Country codes that settle ambiguous names, e.g. LB,SY.")
    ] = None,
    registry: RegistryOption = None,
) -> None:
    """What a source mention would match in the registry, and why."""
    from attribution.registry import without_descriptors

    reg = _registry(registry)
    countries = [c.strip().upper() for c in context.split(",")] if context else []
    m = reg.matcher.match(text, countries)
    typer.echo(f"mention:    {text}")
    typer.echo(f"normalized: {' | '.join(without_descriptors(text))}")
    typer.echo(
        f"method:     {m.method}"
        + (f" (score {m.score:.0f})" if m.method == "fuzzy" else "")
        + (" (settled by the country)" if m.by_country else "")
    )
    if m.matched:
        typer.echo(f"matched:    {m.matched}")
    if m.outlet:
        o = reg.outlets[m.outlet]
        typer.echo(f"outlet:     {o.id} — {o.name} ({o.type}, {o.country or '?'})")
    for c in m.candidates if len(m.candidates) > 1 else ():
        o = reg.outlets[c]
        typer.echo(f"candidate:  {o.id} — {o.name} ({o.type}, {o.country or '?'})")
    if m.method == "none":
        raise typer.Exit(1)


def _annotated_articles(
    paths: list[Path], backend: BackendName, lang: str | None, registry: list[Path] | None
) -> list[Any]:
    """The articles annotated without storing them; those that fail are reported."""
    from attribution.ingest import read_articles
    from attribution.pipeline import AnnotatedArticle, Annotator

    annotator = Annotator(_registry(registry), backend.value)
    annotated = []
    for item in annotator.annotate(read_articles(paths, lang=lang)):
        if isinstance(item, AnnotatedArticle):
            annotated.append(item)
        else:
            _err(str(item))
    return annotated


@registry_app.command("unknown")
def registry_unknown(
    paths: Annotated[list[Path], typer.Argument(help="Article files or directories.")],
    backend: Annotated[BackendName, typer.Option(help="NLP backend.")] = BackendName.spacy,
    lang: Annotated[str | None, typer.Option(help="Language when the file does not say.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many names.")] = 50,
    registry: RegistryOption = None,
) -> None:
    """Named sources cited in the articles that match no outlet, most cited first."""
    from rich.console import Console
    from rich.table import Table

    from attribution.unknown import unknown_sources

    annotated = _annotated_articles(paths, backend, lang, registry)
    from attribution.terminal import plain

    table = Table("count", "articles", "source as cited", "kind", "example article")
    for row in unknown_sources(annotated)[:limit]:
        table.add_row(
            str(row.count), str(row.articles), plain(row.name), row.kind, plain(row.example)
        )
    Console().print(table)


@registry_app.command("coverage")
def registry_coverage(
    paths: Annotated[list[Path], typer.Argument(help="Article files or directories.")],
    backend: Annotated[BackendName, typer.Option(help="NLP backend.")] = BackendName.spacy,
    lang: Annotated[str | None, typer.Option(help="Language when the file does not say.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many unknown names.")] = 30,
    registry: RegistryOption = None,
) -> None:
    """Over a corpus: the share of outlet-like sources linked, ambiguous and unknown, and
    the unknown names, most cited first, each with a registry stub to complete."""
    from attribution.unknown import coverage, stub

    annotated = _annotated_articles(paths, backend, lang, registry)
    cov = coverage(annotated)
    typer.echo(f"outlet-like sources: {cov.total}")
    for label, n in (
        ("linked", cov.linked),
        ("ambiguous", cov.ambiguous),
        ("unknown", cov.unknown),
    ):
        typer.echo(f"  {label:<10} {n:>5}  {cov.share(n):.1%}")
    if cov.names:
        typer.echo("\n# unknown sources, most cited first: stubs to complete and add to a registry")
    for row in cov.names[:limit]:
        typer.echo(printable(f"# {row.count}x in {row.articles} article(s), e.g. {row.example}"))
        for line in stub(row).splitlines():
            typer.echo(printable(line))


@registry_app.command("export")
def registry_export(
    output: Annotated[
        Path | None, typer.Option("--csv", help="Write the outlets as CSV here.")
    ] = None,
    registry: RegistryOption = None,
) -> None:
    """Every outlet as one flat CSV row (stdout when no file is given)."""
    from attribution.output import write_csv
    from attribution.registry import export_rows

    rows = export_rows(_registry(registry))
    fields = tuple(rows[0]) if rows else ()
    if output is None:
        write_csv(rows, sys.stdout, fields)
        return
    with output.open("w", encoding="utf-8", newline="") as out:
        write_csv(rows, out, fields)
    _note(f"{len(rows)} outlets written to {output}")


@app.command()
def export(
    claims: Annotated[
        Path | None, typer.Option(help="Write one row per attribution (.csv or .jsonl).")
    ] = None,
    sources: Annotated[
        Path | None, typer.Option(help="Write one row per (article, source) (.csv).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    status: Annotated[
        str | None, typer.Option(help="confirmed, pending, rejected or flagged.")
    ] = None,
    outlet: Annotated[
        str | None, typer.Option(help="Only claims of (or relayed by) this outlet id.")
    ] = None,
    article: Annotated[str | None, typer.Option(help="Only this article id.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only articles annotated since (ISO date).")
    ] = None,
    excel: Annotated[bool, typer.Option(help="UTF-8 with BOM, for spreadsheet programs.")] = False,
    claimreview: Annotated[
        Path | None,
        typer.Option(help="Write one schema.org ClaimReview (JSON-LD) per reviewed claim."),
    ] = None,
    claimreview_config: Annotated[
        Path | None,
        typer.Option(
            help="The ClaimReview configuration: organisation and rating table (default: "
            "claimreview.yaml in the user's configuration directory, when it exists)."
        ),
    ] = None,
    org_name: Annotated[
        str | None, typer.Option(help="The reviewing organisation's name (ClaimReview author).")
    ] = None,
    org_url: Annotated[str | None, typer.Option(help="The reviewing organisation's URL.")] = None,
    registry: RegistryOption = None,
) -> None:
    """Claim and source tables, and ClaimReview objects, from the store (see the README)."""
    from attribution.export import claims_frame, sources_frame, write_table
    from attribution.store import STATUSES

    if status is not None and status not in STATUSES:
        raise AttributionError(f"--status must be one of {', '.join(STATUSES)}")
    if claims is None and sources is None and claimreview is None:
        raise AttributionError(
            "say what to export: --claims FILE, --sources FILE and/or --claimreview FILE"
        )
    _check_since(since)
    reg = _registry(registry)
    filters: dict[str, Any] = {
        "status": status,
        "outlet": outlet,
        "article": article,
        "since": since,
    }
    with _open_store(db, create=False) as database:
        frame = claims_frame(database, reg, **filters) if claims or sources else None
        if claimreview is not None:
            from attribution.claimreview import claim_reviews, write_claim_reviews

            config = _claimreview_config(claimreview_config, org_name, org_url)
            reviews = claim_reviews(database.attributions(**filters), reg, config)
    if claimreview is not None:
        n = write_claim_reviews(reviews, claimreview)
        _note(f"{claimreview}: {n} ClaimReview objects")
    if frame is None:
        return
    if claims is not None:
        n = write_table(frame, claims, excel=excel)
        _note(f"{claims}: {n} attributions")
    if sources is not None:
        n = write_table(sources_frame(frame), sources, excel=excel)
        _note(f"{sources}: {n} (article, source) rows")


def _claimreview_config(path: Path | None, name: str | None, url: str | None) -> Any:
    """The configuration file's, with the organisation the options give over it."""
    from attribution.claimreview import Organization, load_config

    config = load_config(path)
    if name is None and url is None:
        return config
    given = config.organization
    if name is not None and not name.strip():
        raise AttributionError("--org-name is empty")
    if name is None:
        if given is None:
            raise AttributionError("--org-url needs --org-name (or organization.name configured)")
        name = given.name
    organization = Organization(name=name, url=url or (given.url if given else None))
    return config.model_copy(update={"organization": organization})


class AuditFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def audit(
    db: DbOption = DEFAULT_DB,
    article: Annotated[
        str | None, typer.Option(help="Only this article (and the corpus row).")
    ] = None,
    format: Annotated[AuditFormat, typer.Option("--format", "-f")] = AuditFormat.table,
    plot: Annotated[Path | None, typer.Option(help="Draw the outlet mix to this PNG.")] = None,
    html: Annotated[
        Path | None,
        typer.Option(help="Write the audit as one self-contained HTML page, for sharing."),
    ] = None,
    registry: RegistryOption = None,
) -> None:
    """The outlet mix of each article, each publisher and the corpus, with flags."""
    import json

    from attribution.audit import audit as run_audit
    from attribution.audit import plot_outlet_mix
    from attribution.export import claims_frame

    reg = _registry(registry)
    with _open_store(db, create=False) as database:
        frame = claims_frame(database, reg, article=article)
        articles = database.articles(article)
    if article is not None and not articles:
        raise AttributionError(f"{database.location}: no article {article!r}")
    rows = run_audit(frame, articles, reg)
    if format is AuditFormat.json:
        typer.echo(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
    elif format is AuditFormat.csv:
        from attribution.output import write_csv

        flat = [r.flat() for r in rows]
        write_csv(flat, sys.stdout, tuple(flat[0]))
    else:
        from attribution.report import print_audit

        print_audit(rows)
    if article is not None:
        title = f"{articles[0]['title'] or article}"
    else:
        title = f"corpus of {len(articles)} article{'s' if len(articles) != 1 else ''}"
    if plot is not None:
        from attribution.files import written

        with written(plot) as target:
            plot_outlet_mix(frame, str(target), reg, title, format=_image_format(plot))
        _note(f"{plot}: outlet mix drawn")
    if html is not None:
        from attribution.audit_html import audit_html
        from attribution.files import written

        page = audit_html(rows, frame, reg, title)
        with written(html) as target:
            target.write_text(page, encoding="utf-8")
        _note(f"{html}: audit page written")


@app.command()
def report(
    article: Annotated[
        str,
        typer.Argument(
            help="An article id in the store, or an article file (annotated, not stored)."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")],
    db: DbOption = DEFAULT_DB,
    backend: Annotated[BackendName, typer.Option(help="NLP backend (for a file).")] = (
        BackendName.spacy
    ),
    lang: Annotated[str | None, typer.Option(help="Language when the file does not say.")] = None,
    registry: RegistryOption = None,
) -> None:
    """One article as a self-contained HTML page for editors: its text with cues, sources
    and claims highlighted, its claims and their review, each source's registry card, its
    audit and flags."""
    import tempfile

    from attribution.article_html import article_report
    from attribution.files import written
    from attribution.store import Store, redact

    reg = _registry(registry)
    target = _as_target(db)
    html = None
    if not isinstance(target, Path) or target.exists():
        with _open_store(db, create=False) as database:
            if database.articles(article):
                lines = _also_reported(database, article, reg)
                html = article_report(database, article, reg, also_reported=lines)
    if html is None:
        path = Path(article)
        if not path.is_file():
            raise AttributionError(f"{article}: no such article in {redact(db)}, and no such file")
        annotated = _annotated_articles([path], backend, lang, registry)
        if not annotated:
            raise typer.Exit(1)  # why was said
        if len(annotated) > 1:
            raise AttributionError(
                f"{path}: a report is of one article, and this file holds {len(annotated)}"
            )
        item = annotated[0]
        with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "a.db") as store:
            store.save(item)
            html = article_report(store, item.article.id, reg)
    with written(output) as file:
        file.write_text(html, encoding="utf-8")
    _note(f"{output}: report written")


def _also_reported(store: Any, article: str, reg: Any) -> dict[str, str]:
    """By attribution id, who else in the store reports the same claim."""
    from attribution.corroborate import also_reported, store_clusters

    clusters = store_clusters(store, reg)
    ids = [r["id"] for r in store.attributions(article=article)]
    return {i: line for i in ids if (line := also_reported(clusters, article, i))}


class NetworkFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    json = "json"


@app.command()
def network(
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the network here.")],
    format: Annotated[
        NetworkFormat | None,
        typer.Option("--format", "-f", help="File format (default: from the file's name)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    since: Annotated[
        str | None, typer.Option(help="Only articles published since (ISO date).")
    ] = None,
    publisher: Annotated[
        str | None, typer.Option(help="Only this publisher's articles (registry id or name).")
    ] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Also draw the network to this PNG (small corpora).")
    ] = None,
    registry: RegistryOption = None,
) -> None:
    """Who cites whom: the directed graph publisher -> cited source (relays as publisher ->
    relay -> source), for Gephi or Cytoscape, and the corpus's citation metrics."""
    from attribution.audit import kept_claims
    from attribution.export import claims_frame
    from attribution.network import citation_graph, filter_claims, metrics, write_graph
    from attribution.report import print_network

    _check_since(since)
    chosen = format.value if format is not None else output.suffix.lstrip(".").lower()
    if chosen not in NetworkFormat.__members__:
        raise AttributionError(
            f"{output}: say the format with --format (graphml, gexf, csv or json), "
            "or give the file one of these extensions"
        )
    reg = _registry(registry)
    with _open_store(db, create=False) as database:
        frame = claims_frame(database, reg)
    graph = citation_graph(filter_claims(kept_claims(frame), reg, since, publisher), reg)
    write_graph(graph, output, chosen)
    _note(f"{output}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges ({chosen})")
    if plot is not None:
        from attribution.files import written
        from attribution.network import plot_graph

        with written(plot) as target:
            plot_graph(graph, str(target), format=_image_format(plot))
        _note(f"{plot}: network drawn")
    print_network(metrics(graph))


class CorroborateFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def corroborate(
    db: Annotated[str, typer.Argument(envvar="ATTRIBUTION_DB", help=DB_HELP)] = DEFAULT_DB,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Cosine similarity from which two claims report one fact (default 0.5).",
            min=0,
            max=1,
        ),
    ] = None,
    format: Annotated[CorroborateFormat, typer.Option("--format", "-f")] = (
        CorroborateFormat.table
    ),
    registry: RegistryOption = None,
) -> None:
    """Claims that several articles report: their sources, their independent origins
    (relays, self-citation and common owners collapsed) and flags (single origin, circular
    reporting, only state-affiliated origins, one alignment)."""
    import json

    from attribution.corroborate import SIMILARITY_THRESHOLD, store_clusters

    reg = _registry(registry)
    with _open_store(db, create=False) as database:
        clusters = store_clusters(
            database, reg, SIMILARITY_THRESHOLD if threshold is None else threshold
        )
    if format is CorroborateFormat.json:
        typer.echo(json.dumps([c.as_dict() for c in clusters], ensure_ascii=False, indent=2))
        return
    from attribution.report import print_clusters

    print_clusters(clusters)


def _image_format(path: Path) -> str:
    """The format a plot file's name asks for; PNG when it does not say."""
    return path.suffix.lstrip(".").lower() or "png"


def _open_store(target: str | Path, create: bool = True) -> Any:
    """An SQLite file or, for a postgresql:// URL, a PostgreSQL database."""
    from attribution.store import Store

    return Store(target if isinstance(target, Path) else _as_target(target), create=create)


def _as_target(db: str) -> str | Path:
    from attribution.store import is_database_url

    return db if is_database_url(db) or "://" in db else Path(db)


def _check_since(since: str | None) -> None:
    if since is not None:
        try:
            dt.datetime.fromisoformat(since)
        except ValueError:
            raise AttributionError(
                f"--since must be an ISO date (2024-03-28) or date and time, not {since!r}"
            ) from None


@app.command("agreement")
def agreement_report(
    db: DbOption = DEFAULT_DB,
    since: Annotated[str | None, typer.Option(help="Only verdicts given since (ISO date).")] = None,
    format: Annotated[AuditFormat, typer.Option("--format", "-f")] = AuditFormat.table,
    disputed: Annotated[
        bool, typer.Option("--disputed", help="With --format csv: the disputed attributions.")
    ] = False,
) -> None:
    """Agreement between reviewers (raw, Cohen's kappa or Krippendorff's alpha), overall,
    per source kind and per reviewer pair, and the attributions they dispute."""
    import json

    from attribution import agreement as ag

    _check_since(since)
    with _open_store(db, create=False) as database:
        items = ag.collect(database, since)
    rows, disputes = ag.agreement(items), ag.disputed(items)
    if format is AuditFormat.json:
        report = {"agreement": ag.as_dicts(rows), "disputed": disputes}
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    elif format is AuditFormat.csv:
        from attribution.output import write_csv

        flat = disputes if disputed else ag.as_dicts(rows)
        fields = ag.DISPUTED_FIELDS if disputed else ag.AGREEMENT_FIELDS
        write_csv(flat, sys.stdout, fields)
    else:
        ag.print_report(rows, disputes)


team_app = typer.Typer(
    help="The review team of a store: roles and the second-review policy.",
    no_args_is_help=True,
)
app.add_typer(team_app, name="team")


class RoleName(StrEnum):
    reviewer = "reviewer"
    adjudicator = "adjudicator"


@team_app.command("role")
def team_role(
    name: Annotated[str, typer.Argument(help="The reviewer's name, as in the review log.")],
    role: Annotated[RoleName, typer.Argument(help="reviewer, or adjudicator (settles disputes).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Give a reviewer a role."""
    with _open_store(db) as database:
        database.set_role(name, role.value)
        _note(f"{database.location}: {name} is {role.value}")


@team_app.command("policy")
def team_policy(
    second_review: Annotated[
        bool | None,
        typer.Option(
            "--second-review/--single-review",
            help="Flagged and low-confidence claims need a second, independent review.",
        ),
    ] = None,
    confidence_below: Annotated[
        float | None,
        typer.Option(help="Low confidence: below this (0-1).", min=0.0, max=1.0),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show the review policy, or change it."""
    from dataclasses import replace

    with _open_store(db) as database:
        policy = database.policy()
        if second_review is not None or confidence_below is not None:
            policy = replace(
                policy,
                second_review=policy.second_review if second_review is None else second_review,
                confidence_below=policy.confidence_below
                if confidence_below is None
                else confidence_below,
            )
            database.set_policy(policy)
        typer.echo(
            f"second review: {'on' if policy.second_review else 'off'} (flagged claims, and "
            f"claims of confidence below {policy.confidence_below:g})"
        )


@team_app.command("show")
def team_show(db: DbOption = DEFAULT_DB) -> None:
    """Who has reviewed, how many decisions each, and their roles."""
    with _open_store(db, create=False) as database:
        roles = database.roles()
        counts = Counter(e.reviewer for e in database.review_log() if e.action != "undo")
    for name in sorted(set(roles) | set(counts)):
        typer.echo(printable(f"{name}\t{roles.get(name, 'reviewer')}\t{counts[name]} decisions"))


@app.command()
def review(
    db: Annotated[str, typer.Argument(envvar="ATTRIBUTION_DB", help=DB_HELP)] = DEFAULT_DB,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Articles to annotate into the store first.")
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option(help="Your name in the review log (default: $USER).")
    ] = None,
    backend: Annotated[BackendName, typer.Option(help="NLP backend.")] = BackendName.spacy,
    new: Annotated[
        bool, typer.Option("--new", help="Create the store if it does not exist.")
    ] = False,
    registry: RegistryOption = None,
) -> None:
    """Open the review app on the store (annotating PATH... first, in the background)."""
    import getpass
    import os
    from concurrent.futures import ThreadPoolExecutor

    from attribution.store import StoreError

    name = reviewer or os.environ.get("ATTRIBUTION_REVIEWER") or getpass.getuser()
    target = _as_target(db)
    if isinstance(target, Path) and not target.exists() and not paths and not new:
        raise AttributionError(
            f"{db}: no such database (give articles to annotate into it, or --new to "
            "create it empty)"
        )
    if paths:
        _input_files(paths)  # nothing to annotate: say so before opening anything
    # The store opens (SQLite checks the file without holding the GIL) while the app's
    # modules import: the first screen comes that much sooner.
    with ThreadPoolExecutor(1) as pool:
        opening = pool.submit(_open_store, db)
        from attribution.tui.app import ReviewApp

        store = opening.result()
    with store as database:
        try:
            database.check_writable()
        except StoreError as err:
            reason = str(err).removesuffix("; nothing was written")
            raise AttributionError(
                f"{reason}: the review app records every decision, so it needs a writable "
                "store (copy it somewhere writable to review it)"
            ) from None
        app = ReviewApp(database, _registry(registry), name, paths or [], backend.value)
        app.run()
    if app.return_code:  # the app showed its error; every decision before it is in the log
        raise typer.Exit(app.return_code)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold file (JSONL, see samples/README.md).")],
    backend: Annotated[BackendName, typer.Option(help="NLP backend.")] = BackendName.spacy,
    lang: Annotated[str | None, typer.Option(help="Only articles in this language.")] = None,
    errors: Annotated[Path | None, typer.Option(help="Write every error (JSONL) here.")] = None,
    gate: Annotated[
        bool, typer.Option("--gate/--no-gate", help="Parse only sentences that can hold a cue.")
    ] = True,
    registry: RegistryOption = None,
    gold_outlets: Annotated[
        Path | None,
        typer.Option(
            help="The registry the gold's outlet ids were chosen from: a link to an outlet "
            "it lacks counts as none, since the gold could not name it."
        ),
    ] = None,
) -> None:
    """Precision, recall and F1 of the extractor on a gold file, overall and per construction."""
    import json
    from dataclasses import replace

    from attribution.evaluate import load_gold, score
    from attribution.pipeline import AnnotatedArticle, Annotator
    from attribution.registry import load_file
    from attribution.report import print_evaluation

    known = {o.id for o in load_file(gold_outlets).outlets} if gold_outlets else None

    articles = [g for g in load_gold(gold) if lang is None or g.article.lang == lang]
    annotator = Annotator(_registry(registry), backend.value, gate=gate)
    predictions = {}
    skipped: dict[str, str] = {}
    for item, g in zip(annotator.annotate(g.article for g in articles), articles, strict=True):
        if isinstance(item, AnnotatedArticle):
            predictions[g.article.id] = [
                a
                if known is None
                else replace(
                    a,
                    outlet=a.outlet if a.outlet in known else None,
                    via_outlet=a.via_outlet if a.via_outlet in known else None,
                )
                for a in item.attributions
            ]
        else:
            skipped[g.article.lang or "?"] = str(item).split(": ", 1)[-1]
    for code, why in skipped.items():
        _err(f"{code} articles skipped: {why}")
    scored = [g for g in articles if g.article.id in predictions]
    by_lang: dict[str, list[Any]] = {}
    for g in scored:
        by_lang.setdefault(g.article.lang or "?", []).append(g)
    for code, group in sorted(by_lang.items()):
        report = score(group, predictions)
        print_evaluation(f"{gold} — {code}, {len(group)} articles, backend {backend.value}", report)
        if errors:
            with errors.open("a" if code != min(by_lang) else "w", encoding="utf-8") as out:
                for e in report.errors:
                    out.write(json.dumps({"lang": code, **e}, ensure_ascii=False) + "\n")
    if not scored:
        raise AttributionError("no gold article could be annotated")


def main() -> None:
    """Entry point: user errors are one line on stderr; `--debug` shows tracebacks."""
    args = sys.argv[1:]
    debug = "--debug" in args
    if debug:
        args = [a for a in args if a != "--debug"]
    try:
        # click reports usage errors and exit codes itself; the rest comes here
        app(args=args, prog_name="attribution")
    except AttributionError as err:
        if debug:
            traceback.print_exc()
        lines = str(err).splitlines() or [type(err).__name__]
        for line in lines:
            _err(line)
        sys.exit(1)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as err:  # the output file, the disk: the user's world, not a bug
        if debug:
            traceback.print_exc()
        where = f"{err.filename}: " if err.filename else ""
        _err(f"{where}{err.strerror or err}")
        sys.exit(1)
    except Exception as err:  # a bug: say so in one line unless debugging
        if debug:
            raise
        _err(f"internal error: {type(err).__name__}: {err} (run with --debug for the traceback)")
        sys.exit(2)


if __name__ == "__main__":
    main()
