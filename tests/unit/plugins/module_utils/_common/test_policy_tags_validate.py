"""Shared helpers: policies compare as documents, tags the amazon.aws way, input checks name the option."""

from __future__ import annotations

import pytest

from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

from ansible_collections.cloudaudit.aws.plugins.module_utils._common import validate
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.policy import policies_equal, statements_by_sid
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.tags import tag_change

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "A", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": ["s3:GetBucketAcl"], "Resource": "arn:aws:s3:::b"},
        {
            "Sid": "B",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": ["arn:aws:s3:::b/AWSLogs/1/*", "arn:aws:s3:::b/AWSLogs/2/*"],
        },
    ],
}


def test_policies_equal_ignores_order_and_string_vs_list():
    reordered = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "B",
                "Effect": "Allow",
                "Principal": {"Service": ["cloudtrail.amazonaws.com"]},
                "Action": ["s3:PutObject"],
                "Resource": ["arn:aws:s3:::b/AWSLogs/2/*", "arn:aws:s3:::b/AWSLogs/1/*"],
            },
            {"Sid": "A", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::b"},
        ],
    }
    import json

    assert policies_equal(json.dumps(POLICY), reordered)
    changed = json.loads(json.dumps(POLICY))
    changed["Statement"][1]["Resource"] = "arn:aws:s3:::b/AWSLogs/*"
    assert not policies_equal(POLICY, changed)
    assert policies_equal(None, "") and not policies_equal(None, POLICY)


def test_statements_by_sid():
    assert sorted(statements_by_sid(POLICY)) == ["A", "B"]
    assert list(statements_by_sid({"Statement": {"Effect": "Deny"}})) == ["__unnamed_0"]


@pytest.mark.parametrize(
    "current, desired, purge, expected",
    [
        ({"a": "1"}, None, True, None),
        ({"a": "1"}, {"a": "1"}, True, None),
        ({"a": "1"}, {"b": "2"}, False, {"a": "1", "b": "2"}),
        ({"a": "1"}, {"b": "2"}, True, {"b": "2"}),
        ({"a": "1"}, {}, True, {}),
    ],
)
def test_tag_change(current, desired, purge, expected):
    change = tag_change(current, desired, purge)
    assert (change.after if change else None) == expected


@pytest.mark.parametrize(
    "call, option, fragment",
    [
        (lambda: validate.check_arn("nope", "role_arn"), "role_arn", "is not an ARN"),
        (lambda: validate.check_arn("arn:aws:s3:::bucket", "role_arn", service="iam"), "role_arn", "not a iam ARN"),
        (lambda: validate.check_account_ids(["12345"], "account_ids"), "account_ids", "12-digit"),
        (lambda: validate.check_org_id("org-1", "organization_id"), "organization_id", "o-xxxxxxxxxx"),
        (lambda: validate.check_range(5000, "retention_days", 7, 3653), "retention_days", "7-3653"),
        (lambda: validate.check_choice("X", "billing_mode", ["A", "B"]), "billing_mode", "A, B"),
    ],
)
def test_validation_errors_name_the_option(call, option, fragment):
    with pytest.raises(CloudAuditError) as excinfo:
        call()
    assert excinfo.value.option == option
    assert excinfo.value.msg.startswith(f"{option}: ") and fragment in excinfo.value.msg


def test_valid_input_passes():
    assert validate.check_arn("arn:aws:iam::123456789012:role/x", "role_arn", service="iam", resource_prefix="role/")
    validate.check_account_ids(["123456789012"], "account_ids")
    validate.check_org_id("o-abcdef1234", "organization_id")
    validate.check_range(None, "x", 1, 2)


SPEC = {
    "name": {"type": "str"},
    "description": {"type": "str"},
    "secret": {"type": "str", "no_log": True},
    "ids": {"type": "list", "elements": "str"},
    "access": {"type": "dict", "options": {"prefix": {"type": "str"}}},
    "rules": {"type": "list", "elements": "dict", "options": {"id": {"type": "str"}}},
    "count": {"type": "int"},
}


@pytest.mark.parametrize(
    "params, option",
    [
        ({"name": "trail\n"}, "name"),
        ({"name": " trail"}, "name"),
        ({"ids": ["123456789012", "123456789012\n"]}, "ids[1]"),
        ({"access": {"prefix": "logs "}}, "access.prefix"),
        ({"rules": [{"id": "ok"}, {"id": "\tbad"}]}, "rules[1].id"),
    ],
)
def test_surrounding_whitespace_names_the_option(params, option):
    with pytest.raises(CloudAuditError) as error:
        validate.check_surrounding_whitespace(params, SPEC)
    assert error.value.option == option
    assert "white space" in error.value.msg


def test_surrounding_whitespace_leaves_clean_values_free_text_and_secrets_unshown():
    validate.check_surrounding_whitespace(
        {"name": "trail", "description": "Free text \n", "ids": ["1"], "access": None, "rules": [{"id": None}], "count": 3}, SPEC
    )
    with pytest.raises(CloudAuditError) as error:
        validate.check_surrounding_whitespace({"secret": "s3cr3t\n"}, SPEC)
    assert "s3cr3t" not in error.value.msg


@pytest.mark.parametrize("value", ["123456789012\n", "o-abcdefghij\n"])
def test_patterns_match_the_whole_string(value):
    with pytest.raises(CloudAuditError):
        validate.check_account_ids([value], "account_ids") if value[0].isdigit() else validate.check_org_id(value, "organization_id")
    with pytest.raises(CloudAuditError):
        validate.check_arn("arn:aws:cloudtrail:us-east-1:123456789012:trail/audit\n", "trail_arns")


SHAPES_SPEC = {
    "retention": {"type": "dict", "options": {"expire_after_days": {"type": "int"}}},
    "rules": {"type": "list", "elements": "dict", "options": {"days": {"type": "int"}, "flag": {"type": "bool"}}},
    "tags": {"type": "dict", "aliases": ["resource_tags"]},
    "secret": {"type": "int", "no_log": True},
}


@pytest.mark.parametrize(
    "params, option, shape",
    [
        ({"retention": [90]}, "retention", "a dictionary with the keys expire_after_days"),
        ({"retention": {"expire_after_days": "forever"}}, "retention.expire_after_days", "an integer"),
        ({"rules": "all"}, "rules[0]", "a dictionary with the keys days, flag"),
        ({"rules": [5]}, "rules[0]", "a dictionary with the keys days, flag"),
        ({"rules": [{"flag": "perhaps"}]}, "rules[0].flag", "a boolean"),
        ({"resource_tags": "security"}, "tags", "a dictionary"),
        ({"secret": "s3cr3t-value"}, "secret", "an integer"),
    ],
)
def test_shapes_name_the_option_path_and_the_shape(params, option, shape):
    with pytest.raises(CloudAuditError) as e:
        validate.check_shapes(params, SHAPES_SPEC)
    assert e.value.option == option and shape in e.value.msg
    assert "s3cr3t-value" not in e.value.msg


def test_shapes_pass_what_ansible_converts():
    validate.check_shapes({"retention": "expire_after_days=5", "rules": [{"days": "5", "flag": "yes"}], "tags": {"a": "b"}}, SHAPES_SPEC)


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: validate.check_tags({f"k{i}": "v" for i in range(51)}), "at most 50"),
        (lambda: validate.check_tags({"k" * 129: "v"}), "1-128"),
        (lambda: validate.check_tags({"k": "v" * 257}), "at most 256"),
        (lambda: validate.check_tags({"AWS:owner": "me"}), "reserved"),
        (lambda: validate.check_tags({"k": {"a": 1}}), "must be a string"),
        (lambda: validate.check_arn_location("arn:aws-cn:kms:cn-north-1:123456789012:key/x", "kms_key_id", "us-east-1"), "aws-cn partition"),
        (lambda: validate.check_arn_location("arn:aws:kms:eu-west-1:123456789012:key/x", "kms_key_id", "us-east-1", same_region=True), "eu-west-1"),
        (lambda: validate.check_role_arn("arn:aws:iam::123456789012:role/", "role_arn"), "<name of 1-64"),
        (lambda: validate.check_role_arn("arn:aws-us-gov:iam::123456789012:role/A", "role_arn", "us-east-1"), "partition"),
        (lambda: validate.check_int32(2**31, "days"), "2147483647"),
    ],
)
def test_aws_limits_name_the_option(call, fragment):
    with pytest.raises(CloudAuditError) as e:
        call()
    assert fragment in e.value.msg


def test_aws_limits_pass_valid_values():
    validate.check_tags({f"k{i}": "v" * 256 for i in range(50)})
    validate.check_arn_location("arn:aws-cn:kms:cn-north-1:123456789012:key/x", "kms_key_id", "cn-north-1", same_region=True)
    validate.check_arn_location("arn:aws:kms:eu-west-1:123456789012:key/x", "kms_key_id", "us-east-1")
    validate.check_role_arn("arn:aws:iam::123456789012:role/service-role/CloudTrail_Logs+=,.@-", "role_arn", "us-east-1")


@pytest.mark.parametrize(
    "params, option, shown",
    [
        ({"region": "us-east-1\n"}, "region", "'us-east-1\\n'"),
        ({"aws_region": " us-east-1", "region": " us-east-1"}, "aws_region", "' us-east-1'"),
        ({"endpoint_url": "http://127.0.0.1:5000 "}, "endpoint_url", "'http://127.0.0.1:5000 '"),
        ({"session_token": "FwoGsecret\n"}, "session_token", "the value"),
        ({"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG ", "secret_key": "wJalrXUtnFEMI/K7MDENG "}, "aws_secret_access_key", "the value"),
        ({"access_key": "AKIASECRET\n"}, "access_key", "the value"),
    ],
)
def test_connection_option_with_white_space(params, option, shown) -> None:
    error = validate.connection_whitespace_error(params, aws_argument_spec())
    assert error is not None and error.option == option and error.msg.startswith(f"{option}: {shown} ")
    assert all(value.strip() not in error.msg for value in params.values() if shown == "the value")


def test_connection_options_without_white_space_pass() -> None:
    params = {"region": "us-east-1", "session_token": "FwoG", "profile": None, "validate_certs": True}
    assert validate.connection_whitespace_error(params, aws_argument_spec()) is None
