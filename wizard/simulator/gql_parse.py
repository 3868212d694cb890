"""A tiny GraphQL reader: operations and nested selection sets, nothing more.

Enough for the probe queries real clients send (named or anonymous operations, variable
definitions, aliases, arguments, comments). Arguments and variable definitions are read and
skipped: no simulated field takes any. Fragments and directives are refused by name rather
than misread. Messages follow graphql-js, so clients see what a real server would say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<skip>[\s,\ufeff]+|\#[^\n\r]*)
  | (?P<punct>\.\.\.|[!$&():=@\[\]{}|])
  | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
  | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|"(?:[^"\\\n\r]|\\.)*")
    """,
    re.VERBOSE,
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}
OPERATION_KINDS = ("query", "mutation", "subscription")


class GraphQLSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Token:
    kind: str  # skip is never produced; "eof" ends the stream
    value: str
    line: int
    column: int

    def shown(self) -> str:
        if self.kind == "eof":
            return "<EOF>"
        if self.kind == "name":
            return f'Name "{self.value}"'
        return f'"{self.value}"'


@dataclass(frozen=True)
class FieldNode:
    name: str
    alias: str | None
    selections: tuple[FieldNode, ...] | None
    line: int
    column: int

    @property
    def key(self) -> str:
        """The name this field has in the answer."""
        return self.alias or self.name


@dataclass(frozen=True)
class Operation:
    kind: str
    name: str | None
    selections: tuple[FieldNode, ...]


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos, line, line_start = 0, 1, 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise GraphQLSyntaxError(
                f"Syntax Error: Unexpected character: {text[pos]!r}.", line, pos - line_start + 1
            )
        kind = match.lastgroup or "skip"
        if kind != "skip":
            tokens.append(Token(kind, match.group(), line, pos - line_start + 1))
        chunk = match.group()
        newlines = chunk.count("\n")
        if newlines:
            line += newlines
            line_start = pos + chunk.rindex("\n") + 1
        pos = match.end()
    tokens.append(Token("eof", "", line, pos - line_start + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def _fail(self, message: str, token: Token | None = None) -> GraphQLSyntaxError:
        token = token or self.current
        return GraphQLSyntaxError(f"Syntax Error: {message}", token.line, token.column)

    def _advance(self) -> Token:
        token = self.current
        if token.kind != "eof":
            self.index += 1
        return token

    def _at(self, punct: str) -> bool:
        return self.current.kind == "punct" and self.current.value == punct

    def _expect(self, punct: str) -> Token:
        if not self._at(punct):
            raise self._fail(f'Expected "{punct}", found {self.current.shown()}.')
        return self._advance()

    def _expect_name(self) -> Token:
        if self.current.kind != "name":
            raise self._fail(f"Expected Name, found {self.current.shown()}.")
        return self._advance()

    def _unsupported(self) -> None:
        if self._at("..."):
            raise self._fail("Fragments are not supported by the simulator.")
        if self._at("@"):
            raise self._fail("Directives are not supported by the simulator.")

    def _skip_balanced(self) -> None:
        """Skip ``( ... )`` with whatever nests inside: arguments and variable definitions."""
        closers = [_OPENERS[self._advance().value]]
        while closers:
            token = self._advance()
            if token.kind == "eof":
                raise self._fail(f'Expected "{closers[-1]}", found <EOF>.', token)
            if token.kind != "punct":
                continue
            if token.value in _OPENERS:
                closers.append(_OPENERS[token.value])
            elif token.value in _OPENERS.values():
                if token.value != closers.pop():
                    raise self._fail(f'Unexpected "{token.value}".', token)

    def document(self) -> list[Operation]:
        operations = [self._definition()]
        while self.current.kind != "eof":
            operations.append(self._definition())
        return operations

    def _definition(self) -> Operation:
        if self._at("{"):
            return Operation("query", None, self._selection_set())
        token = self.current
        if token.kind == "name" and token.value == "fragment":
            raise self._fail("Fragments are not supported by the simulator.")
        if token.kind != "name" or token.value not in OPERATION_KINDS:
            raise self._fail(f"Unexpected {token.shown()}.")
        self._advance()
        name = self._advance().value if self.current.kind == "name" else None
        if self._at("("):
            self._skip_balanced()
        self._unsupported()
        return Operation(token.value, name, self._selection_set())

    def _selection_set(self) -> tuple[FieldNode, ...]:
        self._expect("{")
        fields = [self._field()]
        while not self._at("}"):
            fields.append(self._field())
        self._advance()
        return tuple(fields)

    def _field(self) -> FieldNode:
        self._unsupported()
        first = self._expect_name()
        alias, name = None, first
        if self._at(":"):
            self._advance()
            alias, name = first.value, self._expect_name()
        if self._at("("):
            self._skip_balanced()
        self._unsupported()
        selections = self._selection_set() if self._at("{") else None
        return FieldNode(name.value, alias, selections, name.line, name.column)


def parse_document(text: str) -> list[Operation]:
    return _Parser(text).document()


class OperationNotFound(Exception):
    pass


def pick_operation(operations: list[Operation], name: str | None) -> Operation:
    if name:
        found = [op for op in operations if op.name == name]
        if not found:
            raise OperationNotFound(f'Unknown operation named "{name}".')
        return found[0]
    if len(operations) > 1:
        raise OperationNotFound(
            "Must provide operation name if query contains multiple operations."
        )
    return operations[0]
