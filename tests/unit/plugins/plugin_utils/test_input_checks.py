"""A role's input checks as data (plugin_utils/_input_checks.py): each rule, the messages, and checks written wrong."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.cloudaudit.aws.plugins.plugin_utils import _input_checks

NAME = {"var": "trail_name", "match": "^[a-z]{3,8}$", "error": "is not a trail name"}


@pytest.mark.parametrize(
    "check, values, expected",
    [
        (NAME, {"trail_name": "audit"}, []),
        (NAME, {"trail_name": "Audit"}, ['trail_name: "Audit" is not a trail name']),
        # Surrounding whitespace is an error although the pattern's $ would match before a final newline.
        (NAME, {"trail_name": "audit\n"}, ['trail_name: "audit\\n" is not a trail name']),
        (NAME, {"trail_name": " audit"}, ['trail_name: " audit" is not a trail name']),
        (NAME, {"trail_name": ""}, ['trail_name: "" is not a trail name']),
        (NAME, {}, ['trail_name: "" is not a trail name']),
        ({**NAME, "optional": True}, {"trail_name": ""}, []),
        ({**NAME, "optional": True}, {"trail_name": None}, []),
        ({**NAME, "optional": True}, {"trail_name": "x y"}, ['trail_name: "x y" is not a trail name']),
        ({**NAME, "name": "trail_input"}, {"trail_name": "A"}, ['trail_input: "A" is not a trail name']),
        (
            {"var": "ids", "match": "^[0-9]{12}$", "each": True, "error": "is not a 12-digit account id"},
            {"ids": ["123456789012", "12345", 123456789012, "123456789012\n", "12345"]},
            ['ids: 12345, "123456789012\\n" is not a 12-digit account id'],
        ),
        ({"var": "ids", "match": "^[0-9]{12}$", "each": True, "error": "bad"}, {"ids": []}, []),
        ({"var": "alias", "not_match": "^(alias/)?aws/", "error": "is reserved"}, {"alias": "alias/aws/s3"}, ["alias: alias/aws/s3 is reserved"]),
        ({"var": "alias", "not_match": "^(alias/)?aws/", "error": "is reserved"}, {"alias": "aws/cloudtrail"}, ["alias: aws/cloudtrail is reserved"]),
        ({"var": "alias", "not_match": "^(alias/)?aws/", "error": "is reserved"}, {"alias": "alias/audit"}, []),
        ({"var": "alias", "not_match": "^(alias/)?aws/", "error": "is reserved"}, {"alias": ""}, []),
        ({"var": "prefix", "max_length": 3, "error": "too long"}, {"prefix": "abcd"}, ["prefix: too long"]),
        ({"var": "prefix", "max_length": 3, "error": "too long"}, {"prefix": "abc"}, []),
        ({"var": "logs", "differs_from": "bucket", "error": "must differ"}, {"logs": "b", "bucket": "b"}, ["logs: must differ"]),
        ({"var": "logs", "differs_from": "bucket", "error": "must differ"}, {"logs": "", "bucket": ""}, []),
        ({"var": "logs", "differs_from": "bucket", "error": "must differ"}, {"logs": "a", "bucket": "b"}, []),
        ({"var": "retention", "keys": ["a", "b"]}, {"retention": {"a": 1, "c": 2, "d": 3}}, ["retention: unknown keys c, d (known: a, b)"]),
        ({"var": "retention", "keys": ["a", "b"]}, {"retention": {"a": 1}}, []),
        ({"var": "retention", "whole_days": True, "error": "whole days"}, {"retention": {"a": 1, "b": 30}}, []),
        ({"var": "retention", "whole_days": True, "error": "whole days"}, {"retention": {"a": 0}}, ["retention: whole days"]),
        ({"var": "retention", "whole_days": True, "error": "whole days"}, {"retention": {"a": "forever"}}, ["retention: whole days"]),
        ({"var": "retention", "whole_days": True, "error": "whole days"}, {"retention": {"a": True}}, ["retention: whole days"]),
        ({"var": "retention", "whole_days": True, "error": "whole days"}, {"retention": {"a": 1.5}}, ["retention: whole days"]),
    ],
)
def test_rules(check: dict[str, Any], values: dict[str, Any], expected: list[str]) -> None:
    assert _input_checks.errors([check], values) == expected


def test_messages_keep_the_order_of_the_checks_and_variables_are_listed_once() -> None:
    checks = [
        {"var": "b", "match": "^x$", "error": "is not x"},
        {"var": "a", "differs_from": "b", "error": "must not be b"},
        {"var": "b", "max_length": 0, "error": "must be empty"},
    ]
    assert _input_checks.variables_of(checks) == ["b", "a"]
    assert _input_checks.errors(checks, {"a": "y", "b": "y"}) == ['b: "y" is not x', "a: must not be b", "b: must be empty"]


@pytest.mark.parametrize(
    "checks, wanted",
    [
        ("trail_name", "expected a list"),
        ([["trail_name"]], "input_checks[0]: expected a dictionary"),
        ([{"match": "^a$", "error": "x"}], "input_checks[0]: expected a dictionary"),
        ([{"var": "a", "error": "x"}], "input_checks[0] (a): expected var, error and exactly one rule"),
        ([{"var": "a", "match": "^a$", "max_length": 3, "error": "x"}], "exactly one rule"),
        ([{"var": "a", "match": "^a$"}], "exactly one rule"),
        ([{"var": "a", "match": "^a$", "error": "x", "optinal": True}], "exactly one rule"),
    ],
)
def test_checks_written_wrong_are_named(checks: Any, wanted: str) -> None:
    with pytest.raises(_input_checks.InputCheckError, match=None) as raised:
        _input_checks.errors(checks, {})
    assert wanted in str(raised.value)


def test_a_broken_pattern_is_a_check_written_wrong_named_by_its_index() -> None:
    with pytest.raises(_input_checks.InputCheckError, match=r"^input_checks\[0\] \(name\): match: "):
        _input_checks.errors([{"var": "name", "match": "(", "error": "is wrong"}], {"name": "x"})
