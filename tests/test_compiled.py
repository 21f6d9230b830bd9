"""The compiled registry: reused while its files are unchanged, rebuilt (with errors by
file and line) when one changes, and never unpickled unless it is ours."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from attribution import compiled, registry
from attribution.errors import RegistryError
from attribution.registry import load_registry
from tests.test_registry import GOOD as ONE  # one outlet, valid


@pytest.fixture(autouse=True)
def small_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A default registry of one outlet: each build here takes milliseconds."""
    default = tmp_path / "default.yaml"
    default.write_text(ONE.replace("al-nour", "an-nahar").replace("Nour", "Nahar"), "utf-8")
    monkeypatch.setattr(registry, "default_registry_path", lambda: default)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of our own, and no registry kept in the process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ATTRIBUTION_NO_CACHE", raising=False)
    monkeypatch.setattr(registry, "_MERGED", {})
    return tmp_path / "cache" / "attribution"


def compiled_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("registry-*.pickle"))


def load(extra: Path) -> registry.Registry:
    registry._MERGED.clear()  # as a new process would
    return load_registry([extra], use_user_file=False)


def test_an_unchanged_registry_is_read_from_its_compiled_form(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(ONE, encoding="utf-8")
    first = load(extra)
    assert len(compiled_files(cache)) == 1

    def no_yaml(*args: object) -> None:
        raise AssertionError("the YAML was read again")

    monkeypatch.setattr(registry, "_load_bytes", no_yaml)
    again = load(extra)
    assert again.hash == first.hash
    assert again.outlets["al-nour"].name == "Al-Nour"
    assert again.matcher.match("Al Nour").outlet == "al-nour"
    assert sorted(again.outlets) == sorted(first.outlets)


def test_a_changed_file_is_read_again_and_its_errors_keep_file_and_line(
    cache: Path, tmp_path: Path
) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(ONE, encoding="utf-8")
    load(extra)
    extra.write_text(ONE.replace("type: newspaper", "type: blog"), encoding="utf-8")
    with pytest.raises(RegistryError, match=rf"{extra}:7: outlets\[0\]\.type:"):
        load(extra)
    extra.write_text(ONE.replace("Al-Nour", "An-Nour"), encoding="utf-8")
    assert load(extra).outlets["al-nour"].name == "An-Nour"
    assert len(compiled_files(cache)) == 2


def test_a_compiled_file_that_is_not_ours_is_never_unpickled(cache: Path, tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(ONE, encoding="utf-8")
    load(extra)
    (path,) = compiled_files(cache)
    header = path.read_bytes().split(b"\n", 2)

    class Boom:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("exit 3",))  # would run if unpickled

    planted = pickle.dumps(Boom())
    for bad in (
        b"not ours\n" + planted,  # no header
        header[0] + b"\n" + b"0" * 64 + b"\n" + planted,  # another key
    ):
        path.write_bytes(bad)
        assert load(extra).outlets["al-nour"].name == "Al-Nour"
    path.write_bytes(header[0] + b"\n" + header[1] + b"\n" + planted)
    path.chmod(0o666)  # the right key, but anyone could have written it
    assert load(extra).outlets["al-nour"].name == "Al-Nour"


def test_an_unwritable_cache_is_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(registry, "_MERGED", {})
    assert list(load_registry(use_user_file=False).outlets) == ["an-nahar"]


def test_packed_outlets_unpickle_only_what_is_read() -> None:
    packed = compiled.Packed({"a": [1], "b": [2]})
    copy = pickle.loads(pickle.dumps(packed))
    assert copy._values == {}
    assert copy["b"] == [2]
    assert list(copy._values) == ["b"]
    assert dict(copy) == {"a": [1], "b": [2]}
    with pytest.raises(KeyError):
        copy["c"]
