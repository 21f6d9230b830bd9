"""The compiled registry: the merged, validated registry with its alias index, kept in the
user's cache directory and reused while its files are unchanged.

The key hashes the bytes of every registry file (and their order), the code that builds
the registry and the versions it was pickled with, so any change to a file, to the package
or to pydantic rebuilds it from the YAML (which reports errors with file and line). A
compiled file is only unpickled when it is ours: a regular file owned by this user, not
writable by others, whose header carries the key asked for. Any failure to read or write
the cache (no cache directory, read-only, full disk) silently means no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TypeVar

import pydantic

import attribution

T = TypeVar("T")
V = TypeVar("V")
MAGIC = b"attribution-registry\n"
# what a compiled registry is made of besides its files: the code that builds it
_CODE = ("registry.py", "compiled.py", "model.py", "lexicon/__init__.py", "data/matching.yaml")


def cache_dir() -> Path | None:
    if os.environ.get("ATTRIBUTION_NO_CACHE"):
        return None
    import platformdirs

    return Path(platformdirs.user_cache_dir("attribution"))


def key_of(paths: Sequence[Path], contents: Sequence[bytes]) -> str:
    digest = hashlib.sha256()
    versions = (
        attribution.__version__,
        pydantic.VERSION,
        sys.version,
        str(pickle.HIGHEST_PROTOCOL),
    )
    digest.update(repr(versions).encode())
    package = resources.files("attribution")
    for name in _CODE:
        digest.update(package.joinpath(name).read_bytes())
    for path, data in zip(paths, contents, strict=True):
        digest.update(f"\0{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def cached(key: str, build: Callable[[], T]) -> T:
    """The compiled value of `key`, else `build()`, compiled for the next time."""
    directory = cache_dir()
    path = directory / f"registry-{key[:32]}.pickle" if directory else None
    if path is not None:
        value = _read(path, key)
        if value is not None:
            return value  # type: ignore[return-value]
    value = build()
    if path is not None:
        _write(path, key, value)
    return value


def _read(path: Path, key: str) -> object:
    try:
        with path.open("rb") as f:
            st = os.fstat(f.fileno())
            if (
                not stat.S_ISREG(st.st_mode)
                or st.st_uid != os.getuid()
                or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
                or f.read(len(MAGIC)) != MAGIC
                or f.read(len(key) + 1) != key.encode() + b"\n"
            ):
                return None
            value: object = pickle.load(f)  # ours: owner, mode and key checked above
            return value
    except Exception:  # missing, unreadable, or from an older build: rebuilt
        return None


def _write(path: Path, key: str, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".registry-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC + key.encode() + b"\n")
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in path.parent.glob("registry-*.pickle"):  # one registry's worth is enough
            if old != path and old.stat().st_mtime < path.stat().st_mtime - 7 * 86400:
                old.unlink(missing_ok=True)
    except Exception:  # a cache that cannot be written is no cache
        return


class Packed(Mapping[str, V]):
    """A mapping whose values stay pickled one by one until asked for: a compiled registry
    of 1,000 outlets loads in milliseconds, and a command that reads a few of them (a
    match, a link) never builds the others."""

    def __init__(self, values: Mapping[str, V]) -> None:
        self._packed = {k: pickle.dumps(v, pickle.HIGHEST_PROTOCOL) for k, v in values.items()}
        self._values: dict[str, V] = dict(values)

    def __getitem__(self, key: str) -> V:
        try:
            return self._values[key]
        except KeyError:
            value: V = pickle.loads(self._packed[key])  # packed by us, above
            self._values[key] = value
            return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __getstate__(self) -> dict[str, bytes]:
        return self._packed

    def __setstate__(self, packed: dict[str, bytes]) -> None:
        self._packed = packed
        self._values = {}
