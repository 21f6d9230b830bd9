"""The extraction core is pure: neutral parse and lexicon in, attributions out."""

from __future__ import annotations

import ast
from pathlib import Path

EXTRACT = Path(__file__).parent.parent / "attribution" / "extract"
ALLOWED = {
    "__future__",
    "collections",
    "collections.abc",
    "copy",
    "dataclasses",
    "math",
    "re",
    "attribution.extract",
    "attribution.lexicon",
    "attribution.model",
}


def test_extract_imports_no_backend_io_registry_or_ui() -> None:
    for path in sorted(EXTRACT.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            for name in names:
                inside = name.startswith("attribution.extract.")  # the core's own modules
                assert name in ALLOWED or inside, f"{path.name} imports {name}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "print", "input"), f"{path.name} does I/O"
