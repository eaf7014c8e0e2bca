"""Tokenizer, recursive-descent parser and renderer for directive strings.

A config string is a directive iff it starts with `$Name(`; after the matching `)` only a
property path (`.a.b.0`) may follow. Grammar (whitespace is allowed around arguments):

    directive := '$' NAME '(' [ argument { ',' argument } ] ')' { '.' SEGMENT }
    argument  := directive | QUOTED | bare words
    NAME      := [A-Za-z_][A-Za-z0-9_]*          SEGMENT := NAME | [0-9]+

Quoted strings use `'` or `"`; inside them a backslash escapes the quote character and a
backslash (any other backslash is kept as written). Bare words run up to the next `,`, `(`,
`)` or quote; their trimmed text becomes `true`/`false`, an int, a float, or a string.

Strings that do not start with `$Name(` are plain strings (`parse` returns None); strings
that start like a directive but are malformed raise `DirectiveSyntaxError` with the
0-based offset of the problem.
"""

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from stacktape_pulumi.errors import StacktapeError

# Deeper nesting is certainly a mistake and would otherwise exhaust Python's stack.
MAX_NESTING = 32

_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SEGMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
_WORD_STOP = frozenset(",()'\"")


class DirectiveSyntaxError(StacktapeError):
    """A string that starts like a directive but is not a well-formed one."""

    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(f"{message} (at character {offset + 1})")
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Literal:
    """A literal argument: quoted string, number, boolean or bare word."""

    value: str | int | float | bool


@dataclass(frozen=True)
class Directive:
    """`$name(args...)` followed by an optional property path."""

    name: str
    args: tuple["Node", ...] = ()
    path: tuple[str, ...] = ()


Node = Directive | Literal


class TokenKind(Enum):
    START = "directive start"  # `$Name(` as one token: the name must touch the parenthesis
    LPAREN = "'('"
    RPAREN = "')'"
    COMMA = "','"
    STRING = "quoted string"
    UNTERMINATED = "unterminated quoted string"  # reported where the parser meets it
    WORD = "word"
    SPACE = "whitespace"
    END = "end of text"


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    offset: int
    end: int
    value: str = ""  # START: the directive name; STRING: the unescaped text; WORD: the raw text


def _is_ident_start(char: str) -> bool:
    return char == "_" or ("a" <= char <= "z") or ("A" <= char <= "Z")


def _is_ident_char(char: str) -> bool:
    return _is_ident_start(char) or ("0" <= char <= "9")


def _start_token_at(text: str, offset: int) -> Token | None:
    """`$Name(` at `offset`, or None."""
    if offset + 2 >= len(text) or text[offset] != "$" or not _is_ident_start(text[offset + 1]):
        return None
    end = offset + 2
    while end < len(text) and _is_ident_char(text[end]):
        end += 1
    if end < len(text) and text[end] == "(":
        return Token(TokenKind.START, offset, end + 1, text[offset + 1:end])
    return None


def tokenize(text: str) -> Iterator[Token]:
    """Tokens of `text`; an unterminated quote is a token so the parser can say where it matters."""
    offset = 0
    length = len(text)
    punctuation = {"(": TokenKind.LPAREN, ")": TokenKind.RPAREN, ",": TokenKind.COMMA}
    while offset < length:
        char = text[offset]
        if char.isspace():
            end = offset + 1
            while end < length and text[end].isspace():
                end += 1
            yield Token(TokenKind.SPACE, offset, end, text[offset:end])
        elif char in punctuation:
            end = offset + 1
            yield Token(punctuation[char], offset, end, char)
        elif char in "'\"":
            end, value = _scan_quoted(text, offset)
            kind = TokenKind.STRING if end > 0 else TokenKind.UNTERMINATED
            end = end if end > 0 else length
            yield Token(kind, offset, end, value)
        elif (start := _start_token_at(text, offset)) is not None:
            end = start.end
            yield start
        else:
            end = offset + 1
            while end < length and text[end] not in _WORD_STOP and not text[end].isspace():
                end += 1
            yield Token(TokenKind.WORD, offset, end, text[offset:end])
        offset = end
    yield Token(TokenKind.END, length, length)


def _scan_quoted(text: str, offset: int) -> tuple[int, str]:
    """End offset and unescaped content of the quoted string at `offset`; end -1 if unterminated."""
    quote = text[offset]
    chars: list[str] = []
    index = offset + 1
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in (quote, "\\"):
            chars.append(text[index + 1])
            index += 2
        elif char == quote:
            return index + 1, "".join(chars)
        else:
            chars.append(char)
            index += 1
    return -1, "".join(chars)


def _describe(token: Token) -> str:
    if token.kind is TokenKind.WORD:
        return repr(token.value)
    if token.kind is TokenKind.START:
        return repr(f"${token.value}(")
    if token.kind is TokenKind.STRING:
        return "a quoted string"
    return str(token.kind.value)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.current = next(self.tokens)

    def advance(self) -> Token:
        token = self.current
        if token.kind is not TokenKind.END:
            self.current = next(self.tokens)
        return token

    def skip_space(self) -> None:
        while self.current.kind is TokenKind.SPACE:
            self.advance()

    def directive(self, depth: int) -> Directive:
        start = self.advance()
        if depth > MAX_NESTING:
            raise DirectiveSyntaxError(f"directives are nested more than {MAX_NESTING} levels deep",
                                       start.offset)
        args: list[Node] = []
        self.skip_space()
        if self.current.kind is TokenKind.RPAREN:
            self.advance()
        else:
            comma: Token | None = None
            while True:
                self.skip_space()
                args.append(self.argument(start, depth, comma))
                self.skip_space()
                token = self.advance()
                if token.kind is TokenKind.RPAREN:
                    break
                if token.kind is TokenKind.COMMA:
                    comma = token
                    continue
                if token.kind is TokenKind.END:
                    raise self.unclosed(start)
                if token.kind is TokenKind.UNTERMINATED:
                    raise self.unterminated(token)
                raise DirectiveSyntaxError(
                    f"expected ',' or ')' after an argument of ${start.value}, found {_describe(token)}",
                    token.offset, self.stray_hint(token))
        return Directive(start.value, tuple(args), self.path())

    def argument(self, owner: Token, depth: int, comma: Token | None) -> Node:
        token = self.current
        if token.kind is TokenKind.START:
            return self.directive(depth + 1)
        if token.kind is TokenKind.STRING:
            self.advance()
            return Literal(token.value)
        if token.kind is TokenKind.WORD:
            return self.bare_words()
        if token.kind is TokenKind.RPAREN and comma is not None:
            raise DirectiveSyntaxError(f"trailing ',' in ${owner.value}(...)", comma.offset,
                                       "remove the ',' or add the missing argument after it")
        if token.kind is TokenKind.COMMA:
            raise DirectiveSyntaxError(f"empty argument in ${owner.value}(...)", token.offset,
                                       "remove the extra ',' or put a value between the commas")
        if token.kind is TokenKind.END:
            raise self.unclosed(owner)
        if token.kind is TokenKind.UNTERMINATED:
            raise self.unterminated(token)
        raise DirectiveSyntaxError(f"unexpected {_describe(token)} in the arguments of ${owner.value}",
                                   token.offset, self.stray_hint(token))

    def bare_words(self) -> Literal:
        first = self.advance()
        last = first
        # Words separated by whitespace form one argument. Whitespace after the last word is
        # consumed too; it is insignificant before ',' or ')' and an error before anything else.
        while self.current.kind in (TokenKind.WORD, TokenKind.SPACE):
            token = self.advance()
            if token.kind is TokenKind.WORD:
                last = token
        return Literal(_bare_value(self.text[first.offset:last.end]))

    def path(self) -> tuple[str, ...]:
        token = self.current
        if token.kind is not TokenKind.WORD or not token.value.startswith("."):
            return ()
        self.advance()
        segments: list[str] = []
        offset = token.offset
        for segment in token.value[1:].split("."):
            offset += 1
            if not segment:
                raise DirectiveSyntaxError("empty property name in the path after the directive", offset)
            if not _SEGMENT.fullmatch(segment):
                raise DirectiveSyntaxError(
                    f"invalid property name {segment!r} in the path after the directive", offset,
                    "property names are letters, digits and '_' (or a list index)")
            segments.append(segment)
            offset += len(segment)
        return tuple(segments)

    def unclosed(self, start: Token) -> DirectiveSyntaxError:
        return DirectiveSyntaxError(f"missing ')' to close ${start.value}(", start.offset)

    def unterminated(self, token: Token) -> DirectiveSyntaxError:
        quote = self.text[token.offset]
        return DirectiveSyntaxError("unterminated quoted string", token.offset,
                                    f"close it with {quote}; write \\{quote} for a {quote} inside it")

    def stray_hint(self, token: Token) -> str | None:
        if token.kind is TokenKind.LPAREN:
            return "only $Name( starts a nested directive; quote text that contains parentheses"
        if token.kind is TokenKind.STRING:
            return "separate arguments with ','"
        return None


def _bare_value(text: str) -> str | int | float | bool:
    if text == "true":
        return True
    if text == "false":
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        # An overflowing literal such as 1e999 is kept as text: `inf` could not round-trip.
        return text if math.isinf(number) else number
    return text


def is_directive(value: object) -> bool:
    """Whether `value` is a string that starts like a directive (`$Name(`).

    A malformed directive also answers True: it is meant as one, and `parse` reports why
    it is malformed.
    """
    return isinstance(value, str) and _start_token_at(value, 0) is not None


def parse(text: str) -> Directive | None:
    """The directive `text` holds, None for a plain string; raises `DirectiveSyntaxError`."""
    return _parse(text)


# Cached: validate parses each string in several passes (local directives, references, resource
# params, CloudFormation), and the result is immutable (frozen dataclasses, tuples). Errors are not
# cached; they are raised again.
@lru_cache(maxsize=4096)
def _parse(text: str) -> Directive | None:
    if not is_directive(text):
        return None
    parser = _Parser(text)
    directive = parser.directive(0)
    token = parser.current
    if token.kind is not TokenKind.END:
        rest = text[token.offset:]
        if not rest.strip():
            raise DirectiveSyntaxError("unexpected whitespace after the directive", token.offset, "remove it")
        shown = rest if len(rest) <= 30 else rest[:27] + "..."
        raise DirectiveSyntaxError(
            f"unexpected text after the directive: {shown!r}", token.offset,
            "a value starting with $Name( is a directive and nothing may follow it except a .property.path;"
            " build longer text with $Format('text-{}', ...)")
    return directive


def _render_literal(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def render(node: Node) -> str:
    """Canonical text of `node`: `parse(render(d)) == d` for every directive `d`."""
    if isinstance(node, Literal):
        return _render_literal(node.value)
    args = ", ".join(render(arg) for arg in node.args)
    path = "".join(f".{segment}" for segment in node.path)
    return f"${node.name}({args}){path}"


def walk(node: Node) -> Iterator[Directive]:
    """Every directive in `node`, outermost first."""
    if isinstance(node, Directive):
        yield node
        for arg in node.args:
            yield from walk(arg)


def directives_in(value: Any) -> Iterator[Directive]:
    """Every well-formed directive written as a string inside `value` (dict values and list items).

    Malformed ones are skipped: validation reports them where they are written.
    """
    if isinstance(value, dict):
        for item in value.values():
            yield from directives_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from directives_in(item)
    elif isinstance(value, str) and (directive := well_formed(value)) is not None:
        yield directive


def well_formed(text: str) -> Directive | None:
    """The directive `text` holds, or None for a plain string or a malformed directive (which validation
    reports where it is written)."""
    if not text.startswith("$"):
        return None
    try:
        return parse(text)
    except DirectiveSyntaxError:
        return None
