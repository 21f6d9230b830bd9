"""Strict YAML for the files people hand us: registries and article front matter.

Safe YAML still lets a small file grow without bound or crash the reader: nested aliases
(a "billion laughs" of a few hundred bytes), nesting thousands deep, integers of thousands
of digits, and a key given twice silently loses its first value. The strict loader refuses
each of them with the line it is on, before building anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

MAX_DEPTH = 50  # a registry is about six levels deep
MAX_INT_DIGITS = 30

try:  # libyaml's parser, when PyYAML was built with it: ten times faster
    from yaml import CSafeLoader as _SafeBase
except ImportError:  # pragma: no cover - the pure Python one
    from yaml import SafeLoader as _SafeBase  # type: ignore[assignment]


class StrictLoader(_SafeBase):
    """Safe YAML without duplicate keys, huge integers or timestamps (dates stay text, so
    that a bad date is a field error, not a crash). Aliases and deep nesting are refused
    by `load`, from the event stream, before any node is built."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    continue  # the base class reports an unhashable key
                if key in first:
                    raise ConstructorError(
                        None,
                        None,
                        f"duplicate key {key!r} (first at line {first[key]})",
                        key_node.start_mark,
                    )
                first[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _bounded_int(loader: StrictLoader, node: Any) -> int:
    digits = sum(c.isalnum() for c in str(node.value))
    if digits > MAX_INT_DIGITS:
        raise ConstructorError(
            None, None, f"an integer of {digits} digits is not a value here", node.start_mark
        )
    value: int = loader.construct_yaml_int(node)
    return value


StrictLoader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _check_events(text: str) -> None:
    """Refuse aliases and nesting deeper than MAX_DEPTH, with their line."""
    try:
        _walk_events(text)
    except yaml.MarkedYAMLError as err:  # libyaml ≥ 0.2.5 stops deep nesting itself
        if "nesting depth" not in (err.problem or ""):
            raise
        raise ComposerError(
            None, None, f"nested more than {MAX_DEPTH} levels deep", err.problem_mark
        ) from None


def _walk_events(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_SafeBase):
        mark: Any = event.start_mark  # libyaml's marks are of their own class
        if isinstance(event, AliasEvent):
            raise ComposerError(
                None,
                None,
                f"aliases (*{event.anchor}) are not allowed here; write the value out",
                mark,
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def load(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node (for line numbers) and its value; a `yaml.YAMLError` with a
    mark for anything refused."""
    _check_events(text)
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def yaml_problem(err: yaml.YAMLError, text: str) -> str:
    """What the loader refused, as ":LINE: invalid YAML: problem" to put after a file name."""
    mark = getattr(err, "problem_mark", None)
    position = getattr(err, "position", None)  # a reader error: a character, no mark
    number = mark.line + 1 if mark is not None else text[: position or 0].count("\n") + 1
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context_mark", None)
    if context is not None and mark is not None and context.line != mark.line:
        problem += f" ({getattr(err, 'context', '') or 'opened'} at line {context.line + 1})"
    return f":{number}: invalid YAML: {problem}"


def dotted(loc: Sequence[int | str]) -> str:
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top)"


def line_of(node: yaml.Node | None, loc: Sequence[int | str]) -> int:
    """The 1-based line of the YAML node at `loc` (or of its nearest existing parent)."""
    line = 1
    cur = node
    for part in loc:
        if cur is None:
            break
        line = cur.start_mark.line + 1
        nxt: yaml.Node | None = None
        if isinstance(cur, yaml.MappingNode):
            for key, value in cur.value:
                if key.value == part:
                    nxt = value
                    line = key.start_mark.line + 1
                    break
        elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and part < len(cur.value):
            nxt = cur.value[part]
        cur = nxt
    if cur is not None:
        line = cur.start_mark.line + 1
    return line


def safe_load(text: str) -> Any:
    """Plain safe YAML for the package's own data files, with libyaml's parser."""
    return yaml.load(text, Loader=_SafeBase)
