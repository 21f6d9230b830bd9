"""Output files written whole or not at all: a full disk leaves no empty or cut file."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from attribution.errors import AttributionError


@contextlib.contextmanager
def written(path: Path) -> Iterator[Path]:
    """A path to write `path` through: a temporary file beside it that replaces it once
    complete. A failed write (a full disk) removes it and names `path` in one error. A
    device or a pipe (`/dev/stdout`) gets the bytes once they are complete."""
    try:
        special = not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        special = False
    try:  # a device or a pipe gets the bytes once complete, from a file elsewhere
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}-", suffix=path.suffix, dir=None if special else path.parent
        )
    except OSError as err:
        raise AttributionError(f"{path}: cannot write: {err.strerror or err}") from None
    os.close(fd)
    temporary = Path(name)
    umask = os.umask(0o022)
    os.umask(umask)
    temporary.chmod(0o666 & ~umask)  # as a plain open() would have made it
    try:
        yield temporary
        if special:  # some writers (matplotlib) swallow the error of a full device
            with temporary.open("rb") as source, path.open("wb") as out:
                shutil.copyfileobj(source, out)
        else:
            os.replace(temporary, path)
    except OSError as err:
        raise AttributionError(f"{path}: cannot write: {err.strerror or err}") from None
    finally:
        temporary.unlink(missing_ok=True)
