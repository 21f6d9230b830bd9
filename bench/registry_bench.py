"""Registry size: `registry check` and `registry find` on a registry of one outlet with
10,000 aliases, and of 10,000 outlets.

Run by hand: python bench/registry_bench.py. Both commands should take well under 2 s.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_outlet(aliases: int) -> str:
    lines = ["schema_version: 1", "outlets:", "- id: big", "  name: Al-Kabir", "  type: tv"]
    lines += ["  aliases:"] + [f"  - {{text: Alias Nummer {k}, lang: fr}}" for k in range(aliases)]
    return "\n".join(lines) + "\n"


def many_outlets(outlets: int) -> str:
    lines = ["schema_version: 1", "outlets:"]
    for k in range(outlets):
        lines += [f"- id: o{k}", f"  name: Outlet {k}", "  type: tv"]
        lines += [f"  aliases: [{{text: Alias {k}, lang: fr}}]"]
    return "\n".join(lines) + "\n"


def timed(*args: str) -> float:
    clock = time.perf_counter()
    subprocess.run([sys.executable, "-m", "attribution.cli", *args], capture_output=True)
    return time.perf_counter() - clock


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in (
            ("1 outlet, 10,000 aliases", one_outlet(10_000)),
            ("10,000 outlets", many_outlets(10_000)),
        ):
            path = Path(tmp) / "registry.yaml"
            path.write_text(text, encoding="utf-8")
            check = timed("registry", "check", str(path))
            find = timed("registry", "find", "Al Kabyr", "--registry", str(path))
            print(f"{name:<26} check {check:5.2f} s   find {find:5.2f} s")


if __name__ == "__main__":
    main()
