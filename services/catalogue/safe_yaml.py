"""Read a catalogue file's YAML with bounds a hostile file cannot get past.

A catalogue is plain data a few levels deep (the demo: 215 KB, about 7,300
nodes, 8 levels). YAML itself allows much more: an alias (`*a`) repeats a
whole subtree without costing bytes, so a 3 KB file can stand for millions
of entries that every later check walks copy by copy; and PyYAML composes
nested collections recursively, so a few thousand `[` end in RecursionError.
The loader here refuses both while composing, before anything else sees the
data, and counts nodes and time so that work stays bounded whatever the file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import Node, ScalarNode

# Each bound is far above what a real catalogue needs and far below what
# would stall the bot.
MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 20
MAX_NODES = 100_000
# Digits in one number: no seat count or price comes near it, and Python
# refuses to read an integer of over 4,300 digits (a crash, not a report).
MAX_DIGITS = 30
TIME_LIMIT = 20.0  # seconds for parsing and every check of one file

RefusalKind = Literal["size", "alias", "depth", "nodes", "time", "number"]


@dataclass(frozen=True)
class Refusal:
    """Why a file was refused before its content was checked. `english` is
    the command line's text; the console says it in the reader's language."""

    kind: RefusalKind
    limit: int
    line: int | None = None

    def english(self) -> str:
        where = f"line {self.line}" if self.line is not None else "(file)"
        if self.kind == "size":
            megabytes = self.limit // (1024 * 1024)
            return f"(file): larger than {megabytes} MB; a catalogue is much smaller"
        if self.kind == "alias":
            return (
                f"{where}: YAML anchors and aliases (&name, *name) are not allowed in a "
                "catalogue; write each entry out in full"
            )
        if self.kind == "depth":
            return (
                f"{where}: nested more than {self.limit} levels deep; "
                "a catalogue needs only a few levels"
            )
        if self.kind == "nodes":
            return f"{where}: more than {self.limit} entries; a catalogue has far fewer"
        if self.kind == "number":
            return f"{where}: a number longer than {self.limit} digits; write it as text in quotes"
        return f"(file): checking it took longer than {self.limit} seconds; it was refused"


class Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.english())
        self.refusal = refusal


class Deadline:
    """The time one file may take; `now` is injectable so tests need not wait."""

    def __init__(
        self, seconds: float = TIME_LIMIT, now: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self._now = now
        self._end = now() + seconds

    def check(self) -> None:
        if self._now() > self._end:
            raise Refused(Refusal("time", round(self.seconds)))


class _TextDatesLoader(yaml.SafeLoader):
    """PyYAML would turn 2027-02-30 into a crash of its own; dates stay text
    here and the schema reports an impossible one with its place."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _BoundedLoader(_TextDatesLoader):
    """Refuses anchors and aliases, nesting deeper than MAX_DEPTH and more
    than MAX_NODES nodes, while composing: the parser below is not recursive,
    so a deep file is refused at its 21st level, before any recursion."""

    def __init__(self, text: str, deadline: Deadline) -> None:
        super().__init__(text)
        self._deadline = deadline
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark else None
        # An anchor alone repeats nothing, but a catalogue has no use for one
        # and refusing both gives one plain rule to state.
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise Refused(Refusal("alias", 0, line))
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise Refused(Refusal("nodes", MAX_NODES, line))
        self._deadline.check()
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise Refused(Refusal("depth", MAX_DEPTH, line))
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: ScalarNode) -> int:
        if sum(c.isdigit() for c in str(node.value)) > MAX_DIGITS:
            raise Refused(Refusal("number", MAX_DIGITS, node.start_mark.line + 1))
        return int(super().construct_yaml_int(node))


_BoundedLoader.add_constructor(
    "tag:yaml.org,2002:int",
    _BoundedLoader.construct_yaml_int,
)


def parse(text: str, deadline: Deadline) -> Any:
    """The file's data. Raises Refused for a file past a bound, and
    yaml.YAMLError for one that is not valid YAML."""
    if len(text) > MAX_BYTES:
        raise Refused(Refusal("size", MAX_BYTES))
    loader = _BoundedLoader(text, deadline)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
