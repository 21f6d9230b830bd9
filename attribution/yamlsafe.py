"""Strict YAML for the files people hand us: registries and article front matter.

Safe YAML still lets a small file grow without bound or crash the reader: nested aliases
(a "billion laughs" of a few hundred bytes), nesting thousands deep, integers of thousands
of digits, and a key given twice silently loses its first value. The strict loader refuses
each of them with the line it is on, before building anything.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent

MAX_DEPTH = 50  # a registry is about six levels deep
MAX_INT_DIGITS = 30


class StrictLoader(yaml.SafeLoader):
    """Safe YAML without aliases, deep nesting, huge integers, duplicate keys or
    timestamps (dates stay text, so that a bad date is a field error, not a crash)."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ComposerError(
                None,
                None,
                f"aliases (*{event.anchor}) are not allowed here; write the value out",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

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
