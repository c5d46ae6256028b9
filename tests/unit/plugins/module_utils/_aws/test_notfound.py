"""none_when: the given AWS error codes become None, everything else is raised unchanged."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudaudit.aws.plugins.module_utils._aws.notfound import none_when


def _error(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, "SomeOperation")


@none_when("NotFoundException", "NoSuchEntity")
def call(outcome: object) -> object:
    """Raise outcome when it is an exception, else return it."""
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@pytest.mark.parametrize("code", ["NotFoundException", "NoSuchEntity"])
def test_listed_codes_become_none(code):
    assert call(_error(code)) is None


def test_answer_passes_through():
    assert call({"KeyMetadata": {"Arn": "arn"}}) == {"KeyMetadata": {"Arn": "arn"}}
    assert call.__name__ == "call" and "Raise outcome" in call.__doc__


@pytest.mark.parametrize("error", [_error("AccessDeniedException"), _error("NotFound"), ValueError("not AWS")])
def test_other_errors_are_raised(error):
    with pytest.raises(type(error)) as raised:
        call(error)
    assert raised.value is error
