"""Where annotation runs: in this process, in worker processes, or on a Dask cluster.

Every engine applies one function, `annotate_files`, to chunks of input files and gives
the results back in input order, so the output does not depend on the engine. At most a
few chunks are in flight at a time, so memory stays flat however long the corpus.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, Protocol, TypeVar

from attribution.errors import AttributionError
from attribution.ingest import MAX_BYTES, known_lang, read_articles
from attribution.model import Article
from attribution.output import article_record
from attribution.pipeline import AnnotatedArticle, Annotator, Unchanged
from attribution.preload import PRELOAD
from attribution.registry import Registry
from attribution.shards import shard_name, write_shard

Result = AnnotatedArticle | AttributionError | Unchanged
# What the store knows of an article: its content hash, publisher and language.
Fingerprint = tuple[str, str | None, str | None]
# A worker process is replaced after this many chunks (800 articles at the default batch
# size): parsing slowly grows a process's memory, both its own (the strings it meets) and
# the model pages it shares with the fork server until it touches them (copy on write).
# A new worker forks from the fork server, which holds the model, so replacing one is cheap.
WORKER_CHUNKS = 25
T = TypeVar("T", covariant=True)


@dataclass(frozen=True)
class Job:
    """How to annotate, as one picklable value that every worker receives."""

    registry: Registry
    backend: str = "spacy"
    batch_size: int = 32
    gate: bool = True
    lang: str | None = None
    publisher: str | None = None
    max_bytes: int = MAX_BYTES
    # articles stored as they are, with this registry and backend: not parsed again
    known: Mapping[str, Fingerprint] = field(default_factory=dict)


_ANNOTATORS: dict[tuple[str, str, int, bool], Annotator] = {}


def annotator_for(job: Job) -> Annotator:
    """The process's annotator for this job: a worker loads its model once."""
    key = (job.registry.hash, job.backend, job.batch_size, job.gate)
    if key not in _ANNOTATORS:
        _ANNOTATORS[key] = Annotator(job.registry, job.backend, job.batch_size, job.gate)
    return _ANNOTATORS[key]


def annotate_files(files: Iterable[str | Path], job: Job) -> Iterator[Result]:
    """Read, parse, extract and link the articles of these files, in order."""

    def unchanged(article: Article) -> bool:
        """The store holds it as it is: checked before any parse (or language detection),
        so that a rerun over unchanged articles never loads the model."""
        known = job.known.get(article.id)
        if known is None:
            return False
        content_hash, publisher, lang = known
        wanted_lang = known_lang(article.lang) or job.lang  # else detection: same text, same
        return (
            article.content_hash == content_hash
            and (article.publisher or job.publisher) == publisher
            and wanted_lang in (None, lang)
        )

    articles = read_articles(
        files,
        lang=job.lang,
        publisher=job.publisher,
        max_bytes=job.max_bytes,
        as_read=unchanged if job.known else None,
    )
    items = (Unchanged(a) if isinstance(a, Article) and unchanged(a) else a for a in articles)
    return annotator_for(job).annotate(items)


def annotate_chunk(files: Sequence[str], job: Job) -> list[Result]:
    return list(annotate_files(files, job))


def shard_chunk(numbered: Sequence[tuple[int, str]], job: Job, directory: str) -> list[Result]:
    """Annotate a chunk and write its articles to a shard named by the chunk's first input
    number (so that shard names sort in input order); give back only the errors."""
    results = annotate_chunk([f for _, f in numbered], job)
    articles = [article_record(r) for r in results if isinstance(r, AnnotatedArticle)]
    if articles:
        write_shard(Path(directory) / shard_name(numbered[0][0]), articles)
    return [r for r in results if isinstance(r, AttributionError)]


def chunked(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class _Future(Protocol[T]):
    def result(self) -> T: ...


def in_order(futures: Iterable[_Future[list[Result]]], window: int) -> Iterator[Result]:
    """The results of futures in the order given, with at most `window` started ahead
    (futures are started as the iterable is consumed)."""
    pending: deque[_Future[list[Result]]] = deque()
    for future in futures:
        pending.append(future)
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def run_local(files: Sequence[str], job: Job, workers: int = 1) -> Iterator[Result]:
    """Annotate in this process, or in `workers` processes, each with its own model."""
    if workers <= 1:
        yield from annotate_files(files, job)
        return
    pool = ProcessPoolExecutor(
        workers,
        mp_context=_worker_context(job),
        initializer=_start_worker,
        initargs=(job.backend, os.getpid()),
        max_tasks_per_child=WORKER_CHUNKS,
    )
    try:
        chunks = (
            pool.submit(annotate_chunk, chunk, job) for chunk in chunked(files, job.batch_size)
        )
        yield from in_order(chunks, window=2 * workers)
    except BrokenProcessPool as err:
        raise AttributionError(
            f"a worker process died ({err}); what was stored so far is kept"
        ) from err
    finally:
        pool.shutdown(cancel_futures=True)


def _worker_context(job: Job) -> BaseContext:
    """Workers are forked from a fork server that loaded the model first (not from this
    process, which may hold threads: a progress bar): they share the model's memory
    instead of each loading its own, and start at once. Where there is no fork server,
    they are spawned and each loads the model."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["attribution.preload", "attribution.engine"])
    # The server reads the variable when it starts (once a process: a later job in another
    # language loads its model in each worker); this process's environment is left as it
    # was, so that the commands it runs later preload nothing.
    before = os.environ.get(PRELOAD)
    os.environ[PRELOAD] = f"{job.backend}:{job.lang or 'fr'}"
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ[PRELOAD]
        else:
            os.environ[PRELOAD] = before
    return context


def _start_worker(backend: str, owner: int) -> None:
    """A spaCy worker process does without PyTorch: thinc imports it whenever it is
    installed (about 180 MB a process), and spaCy's CNN pipelines never use it. Every
    worker ends when the process that owns the pool dies, even by SIGKILL (the pool
    cannot tell it then)."""
    if backend == "spacy":
        sys.modules.setdefault("torch", None)  # type: ignore[arg-type]
    threading.Thread(target=_exit_with, args=(owner,), name="owner-watch", daemon=True).start()


OWNER_WATCH_S = 0.5


def _exit_with(owner: int) -> None:
    """Ends this process once `owner` has ended. The owner, not the parent: a worker's
    parent is the fork server, which waits for its workers before it ends itself."""
    try:
        handle = os.pidfd_open(owner)
    except (AttributeError, OSError):  # not Linux: poll the process id
        while _exists(owner):
            time.sleep(OWNER_WATCH_S)
    else:
        select.select([handle], [], [])  # readable once the owner has ended
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the cluster at `scheduler`, or of a local cluster of `workers`
    processes that closes with it."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise AttributionError(
            'the dask engine needs its extra: pip install "attribution[dask]"'
        ) from err
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as err:
            raise AttributionError(
                f"cannot reach the Dask scheduler at {scheduler}: {err}"
            ) from err
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_dask(
    files: Sequence[str],
    job: Job,
    client: Any,
    shards: Path | None = None,
) -> Iterator[Result]:
    """Annotate a Dask bag of the input files, one partition per chunk, on the client's
    cluster. The results come back in input order; with `shards`, workers write the
    articles to shards in that directory (shared by the cluster) and send back only errors.
    """
    import dask.bag

    numbered = list(enumerate(str(f) for f in files))
    if not numbered:
        return
    bag = dask.bag.from_sequence(numbered, partition_size=job.batch_size)
    if shards is not None:
        shards.mkdir(parents=True, exist_ok=True)
        partitions = bag.map_partitions(shard_chunk, job, str(shards))
    else:
        partitions = bag.map_partitions(_annotate_numbered, job)
    computing: Callable[[Any], _Future[list[Result]]] = client.compute
    window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
    yield from in_order((computing(p) for p in partitions.to_delayed()), window)


def _annotate_numbered(numbered: Sequence[tuple[int, str]], job: Job) -> list[Result]:
    return annotate_chunk([f for _, f in numbered], job)
