"""CloudWatch Logs TestMetricFilter (moto 5.2.x: NotImplemented, a 500).

Registered at import on moto's LogsResponse; tests in tests/emulator/tests/test_logs_filter_patterns.py.

Evaluates the JSON filter patterns of CloudWatch Logs (``{ ... }``) against each message, in the subset
the CIS AWS Foundations patterns use:

- selectors ``$.a.b`` and ``$.a[0].b``;
- ``=`` and ``!=`` against a quoted string or a bare word, with ``*`` as a wildcard anywhere in it
  (``"*UnauthorizedOperation"``, ``AccessDenied*``); numbers compare as numbers, ``<``, ``<=``, ``>``, ``>=``
  too; ``IS TRUE``, ``IS FALSE``, ``IS NULL``, ``EXISTS``, ``NOT EXISTS``;
- ``&&``, ``||`` (``&&`` binds tighter) and parentheses.

A comparison on a field the event does not have is false, for ``!=`` too (only ``NOT EXISTS`` matches a
missing field). A message that is not a JSON object matches no JSON pattern. Patterns that are not JSON
patterns: the empty pattern matches every message; otherwise every term (words, or quoted strings)
must appear in the message (term exclusions and space-delimited ``[...]`` patterns are not modelled:
InvalidParameterException). A malformed JSON pattern is InvalidParameterException, as on AWS.

Answer: {"matches": [{"eventNumber": n (1-based), "eventMessage": ..., "extractedValues": {}}]}.
"""

from __future__ import annotations

import fnmatch
import json
import re
from typing import Any, Callable

from moto.logs import responses as logs_responses
from moto.logs.exceptions import InvalidParameterException

from ..shapes import checked

LogsResponse = logs_responses.LogsResponse

assert "test_metric_filter" not in LogsResponse.__dict__, "moto now implements TestMetricFilter: review logs_filter_patterns"

MAX_MESSAGES = 50
_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\)|\{|\})
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<selector>\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])+)
      | (?P<word>[^\s()&|{}=!<>"]+)
    )""",
    re.VERBOSE,
)
_MISSING = object()


def _tokens(pattern: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    pattern = pattern.rstrip()
    while pos < len(pattern):
        match = _TOKEN_RE.match(pattern, pos)
        if not match or match.end() == pos:
            raise InvalidParameterException(f"Invalid character(s) in term '{pattern[pos:pos + 20]}'")
        kind = match.lastgroup or "op"
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens of ``{ expr }``; builds a predicate on the parsed event."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1].upper() != value):
            raise InvalidParameterException(f"Invalid metric filter pattern: expected {value or 'more'} at token {self.pos + 1}")
        self.pos += 1
        return token

    def pattern(self) -> Callable[[Any], bool]:
        self.take("{")
        predicate = self.disjunction()
        self.take("}")
        if self.peek() is not None:
            raise InvalidParameterException("Invalid metric filter pattern: text after '}'")
        return predicate

    def disjunction(self) -> Callable[[Any], bool]:
        parts = [self.conjunction()]
        while self.peek() == ("op", "||"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda event: any(p(event) for p in parts))

    def conjunction(self) -> Callable[[Any], bool]:
        parts = [self.term()]
        while self.peek() == ("op", "&&"):
            self.take()
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else (lambda event: all(p(event) for p in parts))

    def term(self) -> Callable[[Any], bool]:
        if self.peek() == ("op", "("):
            self.take()
            inner = self.disjunction()
            self.take(")")
            return inner
        kind, selector = self.take()
        if kind != "selector":
            raise InvalidParameterException(f"Invalid metric filter pattern: expected a selector ($.field), got {selector}")
        return self.comparison(selector)

    def comparison(self, selector: str) -> Callable[[Any], bool]:
        path = _path(selector)
        kind, word = self.take()
        upper = word.upper()
        if kind == "word" and upper == "NOT":
            self.take("EXISTS")
            return lambda event: _lookup(event, path) is _MISSING
        if kind == "word" and upper == "EXISTS":
            return lambda event: _lookup(event, path) is not _MISSING
        if kind == "word" and upper == "IS":
            value = self.take()[1].upper()
            expected = {"TRUE": True, "FALSE": False, "NULL": None}.get(value, _MISSING)
            if expected is _MISSING:
                raise InvalidParameterException(f"Invalid metric filter pattern: IS {value}")
            return lambda event: _lookup(event, path) is expected
        if kind != "op" or word not in ("=", "!=", "<", "<=", ">", ">="):
            raise InvalidParameterException(f"Invalid metric filter pattern: expected an operator after {selector}")
        value_kind, raw = self.take()
        if value_kind not in ("string", "word"):
            raise InvalidParameterException(f"Invalid metric filter pattern: expected a value after {selector} {word}")
        return _compare(path, word, json.loads(raw) if value_kind == "string" else raw, quoted=value_kind == "string")


def _path(selector: str) -> list[Any]:
    return [int(index) if index else name for name, index in re.findall(r"\.([A-Za-z0-9_@-]+)|\[(\d+)\]", selector)]


def _lookup(event: Any, path: list[Any]) -> Any:
    node = event
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return _MISSING
            node = node[step]
        elif isinstance(node, dict) and step in node:
            node = node[step]
        else:
            return _MISSING
    return node


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _compare(path: list[Any], op: str, value: str, quoted: bool) -> Callable[[Any], bool]:
    wanted_number = None if quoted else _number(value)

    def equal(found: Any) -> bool:
        if wanted_number is not None and _number(found) is not None and not isinstance(found, str):
            return _number(found) == wanted_number
        if isinstance(found, (dict, list)) or found is None:
            return False
        text = json.dumps(found) if isinstance(found, bool) else str(found)
        return fnmatch.fnmatchcase(text, value.replace("[", "[[]")) if "*" in value else text == value

    def predicate(event: Any) -> bool:
        found = _lookup(event, path)
        if found is _MISSING:
            return False
        if op == "=":
            return equal(found)
        if op == "!=":
            return not equal(found)
        number = _number(found)
        if wanted_number is None or number is None or isinstance(found, str):
            return False
        return {"<": number < wanted_number, "<=": number <= wanted_number, ">": number > wanted_number, ">=": number >= wanted_number}[op]

    return predicate


def compile_pattern(pattern: str) -> Callable[[str], bool]:
    """A predicate on a log message for a filter pattern (InvalidParameterException when malformed)."""
    text = (pattern or "").strip()
    if not text:
        return lambda message: True
    if text.startswith("{"):
        predicate = _Parser(_tokens(text)).pattern()

        def match_json(message: str) -> bool:
            try:
                event = json.loads(message)
            except json.JSONDecodeError:
                return False
            return isinstance(event, dict) and predicate(event)

        return match_json
    if text.startswith("[") or re.search(r"(^|\s)[-?]", text):
        raise InvalidParameterException("The emulator models JSON filter patterns and plain terms only")
    terms = [json.loads(t) if t.startswith('"') else t for t in re.findall(r'"(?:[^"\\]|\\.)*"|\S+', text)]
    return lambda message: all(term in message for term in terms)


@checked("logs", "TestMetricFilter")
def test_metric_filter(self: LogsResponse) -> str:
    body = json.loads(self.body or "{}")
    messages = body.get("logEventMessages") or []
    if not 1 <= len(messages) <= MAX_MESSAGES:
        raise InvalidParameterException(f"logEventMessages must hold 1 to {MAX_MESSAGES} messages")
    matches = compile_pattern(body.get("filterPattern", ""))
    found = [{"eventNumber": n, "eventMessage": m, "extractedValues": {}} for n, m in enumerate(messages, start=1) if matches(m)]
    return json.dumps({"matches": found})


test_metric_filter.__test__ = False  # type: ignore[attr-defined]


def install() -> None:
    LogsResponse.test_metric_filter = test_metric_filter


install()
