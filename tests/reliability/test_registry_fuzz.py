"""Any YAML as a registry: either it loads, or one RegistryError names file and line."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attribution.errors import RegistryError
from attribution.registry import load_file

KEYS = st.sampled_from(
    [
        "schema_version",
        "outlets",
        "id",
        "name",
        "type",
        "country",
        "aliases",
        "text",
        "lang",
        "active",
        "from",
        "to",
        "reliability",
        "level",
        "retired",
        "ambiguous_with",
        "x",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3000),
    st.text(max_size=12),
    st.sampled_from(["LB", "newspaper", "al-manar", "unrated", "2020-13-45", "2020", 1]),
)
DOCS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=25,
)
LOCATED = re.compile(r"^.+:\d+: ")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(DOCS)
def test_random_documents(tmp_path: Path, doc: object) -> None:
    path = tmp_path / "reg.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    _load_or_located_error(path)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_random_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "reg.yaml"
    path.write_text(text, encoding="utf-8")
    _load_or_located_error(path)


def _load_or_located_error(path: Path) -> None:
    try:
        load_file(path)
    except RegistryError as err:
        for line in str(err).splitlines():
            assert line.startswith(str(path)), line
            assert LOCATED.match(line), line
