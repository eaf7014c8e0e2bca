"""YAML loading that keeps the line and column of every mapping key and value.

PyYAML's composer gives every node a start mark; from the nodes a builder makes plain
Python data and, alongside it, a `SourceMap` from key paths to positions. Anchors and
aliases are expanded with a size budget so an alias bomb is a located error, not a hang.

PyYAML's libyaml binding (`CSafeLoader`) parses about eight times faster than its pure-Python
parser, and parsing was most of `validate`'s time, so it is used when PyYAML was built with it.

A config is built straight from the parser's events, in one pass: data, positions and the depth
limit together, with no node tree (4-5 times faster than composing nodes and walking them). That
pass covers plain YAML, which is what configs are; a document that uses anything more (anchors and
aliases, explicit tags, merge keys, non-scalar keys, duplicate keys), nests past the limit or does
not parse is loaded again by the composing path, which words and places every error.
That path composes in C when libyaml is there; its composer recurses, and a document nested
~100,000 levels deep overflows the C stack (a segfault, not an exception), so one pass over the
events measures the depth before anything is composed.
"""

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from stacktape_pulumi.errors import ConfigError, ConfigIssue, KeyPath, Problem, format_path

# Expanded aliases count toward this many nodes; a real config has a few thousand.
MAX_NODES = 200_000
MAX_DEPTH = 200


class Position(NamedTuple):
    """1-based line and column (a tuple: the loader makes one per node, and tuples are cheap to make)."""

    line: int
    col: int


@dataclass
class SourceMap:
    """Positions of keys and values by key path (1-based line and column)."""

    file: str
    keys: dict[KeyPath, Position] = field(default_factory=dict)
    values: dict[KeyPath, Position] = field(default_factory=dict)

    def value_position(self, path: KeyPath) -> Position:
        """Where the value at `path` starts, or the nearest enclosing node that exists."""
        for prefix in _prefixes(path):
            if prefix in self.values:
                return self.values[prefix]
        return Position(1, 1)

    def key_position(self, path: KeyPath) -> Position:
        """Where the key of `path` is written (falls back to the value, then the parent)."""
        for prefix in _prefixes(path):
            if prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Position(1, 1)

    def issue(self, path: KeyPath, message: str, hint: str | None = None, *, at_key: bool = False) -> ConfigIssue:
        pos = self.key_position(path) if at_key else self.value_position(path)
        return ConfigIssue(self.file, pos.line, pos.col, format_path(path), message, hint)

    def locate(self, problem: Problem, prefix: KeyPath = ()) -> ConfigIssue:
        """A problem found below `prefix` (e.g. a resource's `properties`), located in this file."""
        return self.issue((*prefix, *problem.path), problem.message, problem.hint, at_key=problem.at_key)


def _prefixes(path: KeyPath) -> Iterator[KeyPath]:
    for end in range(len(path), -1, -1):
        yield path[:end]


@dataclass
class LoadedYaml:
    data: Any
    source: SourceMap


# Both loaders share the safe constructor and resolver: the same Python values and tags.
_Loader = yaml.SafeLoader | yaml.CSafeLoader
_LIBYAML: bool = yaml.__with_libyaml__


def _new_loader(text: str) -> _Loader:
    return yaml.CSafeLoader(text) if _LIBYAML else yaml.SafeLoader(text)


def _compose(loader: _Loader, text: str) -> Node | None:
    """The document's root node; with libyaml, only after its events passed the depth check.

    An error is raised as PyYAML's pure-Python loader words and places it: its messages say what
    was expected and found (libyaml's omit the alias or anchor name), and the text of an error
    does not depend on how PyYAML was built (libyaml 0.2.6, for one, stops at 1,000 levels with
    an error of its own). Parsing to events is iterative in both, and the pure-Python composer
    only runs on a document already known to be at most `MAX_DEPTH` deep.
    """
    if not _LIBYAML:
        return loader.get_single_node()
    try:
        _check_depth(text, yaml.CSafeLoader)
        return loader.get_single_node()
    except yaml.YAMLError:
        _check_depth(text, yaml.SafeLoader)
        yaml.SafeLoader(text).get_single_node()
        raise  # the pure-Python loader accepts what libyaml refused: libyaml's own error


def _check_depth(text: str, parser: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> None:
    """Parse `text` to events; raise `_TooDeep` at the first collection nested past `MAX_DEPTH`."""
    # The root collection is level 0 here, as in `_Builder.build`.
    depth = -1
    starts, ends = (yaml.MappingStartEvent, yaml.SequenceStartEvent), (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    for event in yaml.parse(text, Loader=parser):
        kind = type(event)
        if kind in starts:
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _TooDeep(Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1))
        elif kind in ends:
            depth -= 1


# The scalar tags the event pass builds itself (what the safe resolver gives plain YAML values); any
# other tag goes to the composing path, which builds or refuses it as before.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp"))
_STR_TAG = "tag:yaml.org,2002:str"
# Resolves and constructs scalars for the event pass: the safe loader's own resolver and constructors.
_SCALARS = yaml.SafeLoader("")


@lru_cache(maxsize=4096)
def _scalar(value: str, implicit: tuple[bool, bool]) -> tuple[str, Any]:
    """The tag and Python value of an untagged scalar, as the safe loader resolves and builds it.

    Cached: a config repeats its scalars (types, ports, booleans), and the result depends only on
    the text and its style, and is immutable (str, int, float, bool, None, date).
    """
    tag: str = _SCALARS.resolve(ScalarNode, value, implicit)  # type: ignore[no-untyped-call]
    if tag == _STR_TAG or tag not in _PLAIN_TAGS:
        return tag, value
    return tag, _SCALARS.yaml_constructors[tag](_SCALARS, ScalarNode(tag, value))


class _NotPlain(Exception):
    """The document needs the composing path (see the module docstring)."""


def _plain_scalar(event: Any) -> Any:
    """The value of an untagged scalar event with no anchor whose resolved tag the event pass builds."""
    if event.anchor is not None or event.tag not in (None, "!"):
        raise _NotPlain
    tag, value = _scalar(event.value, event.implicit)
    if tag not in _PLAIN_TAGS:
        raise _NotPlain
    return value


def _build_from_events(loader: _Loader, source: SourceMap) -> Any:
    """The document's data, its positions recorded in `source`, from one pass over the events.

    Raises `_NotPlain` for what only the composing path handles; `source` is then to be discarded.
    """
    get_event: Callable[[], Any] = loader.get_event
    if type(get_event()) is not StreamStartEvent:
        raise _NotPlain
    first = get_event()
    if type(first) is StreamEndEvent:
        return None  # an empty stream, as `get_single_node` has it
    if type(first) is not DocumentStartEvent:
        raise _NotPlain
    keys, values = source.keys, source.values
    # Open collections: (the dict or list, its key path); `pending` holds a mapping's key path
    # between its key and its value.
    stack: list[tuple[dict[Any, Any] | list[Any], KeyPath]] = []
    pending: list[KeyPath | None] = []
    count = 0
    while True:
        event = get_event()
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            done, _ = stack.pop()
            pending.pop()
            if stack:
                continue
            return _single_document(get_event, done)
        if stack:
            parent, parent_path = stack[-1]
            if isinstance(parent, dict):
                path = pending[-1]
                if path is None:
                    # A key: a plain scalar, written once.
                    if kind is not ScalarEvent:
                        raise _NotPlain
                    key = _plain_scalar(event)
                    if isinstance(key, bool | int | float) or key is None:
                        key = event.value
                    path = (*parent_path, key)
                    if key in parent:
                        raise _NotPlain
                    keys[path] = _mark(event)
                    pending[-1] = path
                    continue
                pending[-1] = None
            else:
                path = (*parent_path, len(parent))
        else:
            parent, path = None, ()
        count += 1
        if count > MAX_NODES or len(stack) > MAX_DEPTH or event.anchor is not None:
            raise _NotPlain
        values[path] = _mark(event)
        value: Any
        if kind is ScalarEvent:
            value = _plain_scalar(event)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag is not None:
                raise _NotPlain
            value = {} if kind is MappingStartEvent else []
            stack.append((value, path))
            pending.append(None)
        else:
            raise _NotPlain  # an alias
        if parent is None:
            if kind is ScalarEvent:
                return _single_document(get_event, value)
        elif isinstance(parent, dict):
            parent[path[-1]] = value
        else:
            parent.append(value)


def _single_document(get_event: Callable[[], Any], data: Any) -> Any:
    """`data`, once the stream is seen to end after its one document."""
    if type(get_event()) is not DocumentEndEvent or type(get_event()) is not StreamEndEvent:
        raise _NotPlain
    return data


def _mark(marked: Node | Any) -> Position:
    """Where a node or a parser event starts."""
    return Position(marked.start_mark.line + 1, marked.start_mark.column + 1)


class _Builder:
    def __init__(self, loader: _Loader, source: SourceMap) -> None:
        self.loader = loader
        self.source = source
        self.count = 0
        self.issues: list[ConfigIssue] = []

    def build(self, node: Node, path: KeyPath, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge(node)
        if depth > MAX_DEPTH:
            raise _TooDeep(_mark(node))
        self.source.values.setdefault(path, _mark(node))
        if isinstance(node, MappingNode):
            self.loader.flatten_mapping(node)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                    pos = _mark(key_node)
                    self.issues.append(
                        ConfigIssue(self.source.file, pos.line, pos.col, format_path(path),
                                    "mapping keys must be plain scalars")
                    )
                    continue
                if isinstance(key, bool | int | float) or key is None:
                    key = key_node.value if isinstance(key_node, ScalarNode) else str(key)
                child = (*path, key)
                if key in result:
                    pos = _mark(key_node)
                    first = self.source.keys.get(child)
                    where = f" (first defined on line {first.line})" if first else ""
                    self.issues.append(
                        ConfigIssue(self.source.file, pos.line, pos.col, format_path(child),
                                    f"duplicate key '{key}'{where}", "remove one of the two entries")
                    )
                    continue
                self.source.keys[child] = _mark(key_node)
                result[key] = self.build(value_node, child, depth + 1)
            return result
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)


class _TooLarge(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


class _TooDeep(Exception):
    def __init__(self, position: Position) -> None:
        self.position = position


def _reader_issue(text: str, file: str, exc: yaml.reader.ReaderError) -> ConfigIssue:
    """A character YAML does not allow (control characters, BOM-like non-characters), located."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return ConfigIssue(file, line, col, "", f"character U+{code:04X} is not allowed in YAML",
                       "remove it, or write it as an escape inside a double-quoted string")


def _too_deep(file: str, pos: Position) -> ConfigIssue:
    return ConfigIssue(file, pos.line, pos.col, "", f"the document nests deeper than {MAX_DEPTH} levels",
                       "flatten the structure")


def load_yaml_text(text: str, file: str) -> LoadedYaml:
    """Parse YAML text; raise `ConfigError` with located issues for anything malformed."""
    # Byte-order marks before the content are not content (the pure-Python parser skips only the
    # first, libyaml all of them; neither counts them as columns).
    text = text.lstrip("\ufeff")
    try:
        return _load_plain(text, file)
    except (_NotPlain, yaml.YAMLError):
        return _load_composed(text, file)


def _load_composed(text: str, file: str) -> LoadedYaml:
    """Any YAML through PyYAML's composer and a walk of its nodes, every error located."""
    source = SourceMap(file)
    try:
        loader = _new_loader(text)
    except yaml.reader.ReaderError as exc:
        raise ConfigError([_reader_issue(text, file, exc)]) from None
    try:
        try:
            root = _compose(loader, text)
        except _TooDeep as exc:
            raise ConfigError([_too_deep(file, exc.position)]) from None
        except RecursionError:
            # PyYAML composes recursively; a document this deep is refused before Python's stack runs out.
            raise ConfigError([_too_deep(file, Position(1, 1))]) from None
        except yaml.reader.ReaderError as exc:
            raise ConfigError([_reader_issue(text, file, exc)]) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = exc.problem or exc.context or "invalid YAML"
            raise ConfigError([ConfigIssue(file, line, col, "", f"YAML syntax error: {problem}",
                                           "check indentation, quotes and the ':' after each key")]) from None
        except yaml.YAMLError as exc:
            raise ConfigError([ConfigIssue(file, 1, 1, "", f"YAML syntax error: {exc}")]) from None
        if root is None:
            return LoadedYaml({}, source)
        builder = _Builder(loader, source)
        try:
            data = builder.build(root, ())
        except _TooLarge as exc:
            pos = _mark(exc.node)
            raise ConfigError([ConfigIssue(file, pos.line, pos.col, "",
                                           f"the document expands to more than {MAX_NODES} nodes",
                                           "YAML aliases multiply content; expand fewer of them")]) from None
        except _TooDeep as exc:
            raise ConfigError([_too_deep(file, exc.position)]) from None
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            hint = "only plain YAML types (maps, lists, strings, numbers, booleans)"
            raise ConfigError([ConfigIssue(file, line, col, "", f"YAML error: {exc.problem}", hint)]) from None
        if builder.issues:
            raise ConfigError(builder.issues)
        return LoadedYaml(data, source)
    finally:
        loader.dispose()


def _load_plain(text: str, file: str) -> LoadedYaml:
    """Plain YAML in one pass over the parser's events; `_NotPlain` or a YAML error for anything else."""
    source = SourceMap(file)
    loader = _new_loader(text)
    try:
        data = _build_from_events(loader, source)
    finally:
        loader.dispose()
    return LoadedYaml({} if data is None and not source.values else data, source)


def load_yaml_file(path: str | Path) -> LoadedYaml:
    """Read and parse a YAML file; unreadable files are located errors too."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError([ConfigIssue(file, 1, 1, "", f"cannot read the config file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([ConfigIssue(file, 1, 1, "", f"the config file is not UTF-8 ({exc.reason})")]) from None
    return load_yaml_text(text, file)
