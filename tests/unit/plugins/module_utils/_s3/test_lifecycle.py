"""Lifecycle rules: validation, the S3 shape both ways, merge, retention guards."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._s3 import lifecycle

FULL = {
    "id": "full",
    "enabled": False,
    "prefix": "org/",
    "tags": {"b": "2", "a": "1"},
    "object_size_greater_than": 10,
    "object_size_less_than": 1000,
    "transitions": [{"days": 90, "storage_class": "GLACIER"}, {"days": 30, "storage_class": "STANDARD_IA"}],
    "expiration_days": 400,
    "noncurrent_transitions": [{"days": 30, "storage_class": "GLACIER_IR", "newer_versions": 2}],
    "noncurrent_expiration_days": 90,
    "noncurrent_newer_versions": 3,
    "abort_incomplete_multipart_days": 7,
}


@pytest.mark.parametrize(
    "rule, aws_filter",
    [
        ({"id": "a", "expiration_days": 1}, {}),
        ({"id": "a", "expiration_days": 1, "prefix": "p/"}, {"Prefix": "p/"}),
        ({"id": "a", "expiration_days": 1, "tags": {"k": "v"}}, {"Tag": {"Key": "k", "Value": "v"}}),
        ({"id": "a", "expiration_days": 1, "object_size_greater_than": 5}, {"ObjectSizeGreaterThan": 5}),
        (
            {"id": "a", "expiration_days": 1, "prefix": "p/", "tags": {"k": "v"}},
            {"And": {"Prefix": "p/", "Tags": [{"Key": "k", "Value": "v"}]}},
        ),
    ],
)
def test_filter_shapes(rule, aws_filter):
    normalised = lifecycle.normalise_rule(rule)
    assert lifecycle.to_aws(normalised)["Filter"] == aws_filter
    assert lifecycle.from_aws(lifecycle.to_aws(normalised)) == normalised


def test_full_rule_round_trips_through_the_s3_shape():
    normalised = lifecycle.normalise_rule(FULL)
    aws = lifecycle.to_aws(normalised)
    assert aws["Status"] == "Disabled"
    assert aws["Transitions"] == [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}]
    assert aws["NoncurrentVersionTransitions"] == [{"NoncurrentDays": 30, "StorageClass": "GLACIER_IR", "NewerNoncurrentVersions": 2}]
    assert aws["NoncurrentVersionExpiration"] == {"NoncurrentDays": 90, "NewerNoncurrentVersions": 3}
    assert aws["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    assert aws["Filter"]["And"]["Tags"] == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    assert lifecycle.from_aws(aws) == normalised


def test_from_aws_reads_legacy_prefix_and_empty_filter_prefix():
    assert lifecycle.from_aws({"ID": "x", "Status": "Enabled", "Prefix": "old/", "Expiration": {"Days": 3}})["prefix"] == "old/"
    assert lifecycle.from_aws({"ID": "x", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 3}})["prefix"] is None


def test_expired_object_delete_marker_shape():
    rule = lifecycle.normalise_rule({"id": "m", "expired_object_delete_marker": True})
    assert lifecycle.to_aws(rule)["Expiration"] == {"ExpiredObjectDeleteMarker": True}
    assert lifecycle.from_aws(lifecycle.to_aws(rule)) == rule


def test_retention_preset():
    rule = lifecycle.retention_rule({"glacier_after_days": 90, "deep_archive_after_days": 365, "expire_after_days": 2555})
    assert rule["id"] == "cloudaudit-retention" and rule["enabled"] is True
    assert rule["transitions"] == [{"days": 90, "storage_class": "GLACIER"}, {"days": 365, "storage_class": "DEEP_ARCHIVE"}]
    assert rule["expiration_days"] == 2555


@pytest.mark.parametrize(
    "rules, message",
    [
        ([{"id": "a", "transitions": [{"days": 30, "storage_class": "GLACIER_DEEP"}]}], "unknown storage class 'GLACIER_DEEP'"),
        ([{"id": "a", "transitions": [{"days": 90, "storage_class": "GLACIER"}, {"days": 120, "storage_class": "STANDARD_IA"}]}], "days out of order"),
        ([{"id": "a", "transitions": [{"days": 90, "storage_class": "GLACIER"}], "expiration_days": 60}], "days out of order: expiration at 60"),
        ([{"id": "a", "transitions": [{"days": 90, "storage_class": "GLACIER"}], "expiration_days": 90}], "days out of order"),
        (
            [{"id": "a", "noncurrent_transitions": [{"days": 60, "storage_class": "GLACIER"}], "noncurrent_expiration_days": 30}],
            "noncurrent_transitions: days out of order",
        ),
        ([{"id": "a", "transitions": [{"days": 0, "storage_class": "GLACIER"}], "expiration_days": 0}], "expiration_days must be at least 1"),
        ([{"id": "a", "transitions": [{"days": 10, "storage_class": "STANDARD_IA"}]}], "STANDARD_IA needs at least 30 days"),
        ([{"id": "a", "transitions": [{"days": 30, "storage_class": "GLACIER"}, {"days": 30, "storage_class": "DEEP_ARCHIVE"}]}], "two transitions on day 30"),
        ([{"id": "a"}], "has no action"),
        ([{"id": "a", "expiration_days": 1}, {"id": "a", "expiration_days": 2}], "used twice"),
        ([{"id": "", "expiration_days": 1}], "needs an id"),
        ([{"id": "a", "expiration_days": 1, "expired_object_delete_marker": True}], "cannot be used together"),
        ([{"id": "a", "expired_object_delete_marker": True, "tags": {"k": "v"}}], "tag filter"),
        ([{"id": "a", "expiration_days": 1, "object_size_greater_than": 10, "object_size_less_than": 5}], "must be less than"),
        ([{"id": "a", "noncurrent_newer_versions": 2, "expiration_days": 1}], "needs noncurrent_expiration_days"),
        ([{"id": "a", "noncurrent_expiration_days": 1, "noncurrent_newer_versions": 101}], "1-100"),
        ([{"id": f"r{i}", "expiration_days": 1} for i in range(1001)], "at most 1000"),
        ([{"id": "a", "abort_incomplete_multipart_days": 7, "tags": {"k": "v"}}], "abort_incomplete_multipart_days cannot be used with a tag filter"),
        ([{"id": "a", "expiration_days": 1, "prefix": "p" * 1025}], "at most 1024"),
        ([{"id": "a", "expiration_days": 2**31}], "at most 2147483647"),
        ([{"id": "a", "transitions": [{"days": 2**31, "storage_class": "GLACIER"}]}], "at most 2147483647"),
    ],
)
def test_invalid_rules_fail_naming_the_option(rules, message):
    with pytest.raises(CloudAuditError) as e:
        lifecycle.validate_rules(rules)
    assert e.value.option == "lifecycle_rules"
    assert message in e.value.msg


def test_valid_rules_pass():
    # AWS refuses AbortIncompleteMultipartUpload in a rule filtered by tags: the full rule's abort goes to a rule of its own.
    tagged = {**FULL, "abort_incomplete_multipart_days": None}
    lifecycle.validate_rules(
        [
            tagged,
            {"id": "abort", "abort_incomplete_multipart_days": 7},
            {"id": "zero", "transitions": [{"days": 0, "storage_class": "GLACIER"}], "expiration_days": 1},
        ]
    )


def _rule(rule_id, **fields):
    return lifecycle.normalise_rule({"id": rule_id, **fields})


def test_merge_replaces_named_rules_keeps_others_unless_purged():
    current = [_rule("a", expiration_days=1), _rule("b", expiration_days=2)]
    desired = [_rule("b", expiration_days=3), _rule("c", expiration_days=4)]
    assert [r["id"] for r in lifecycle.merge_rules(current, desired, purge=False)] == ["a", "b", "c"]
    assert lifecycle.merge_rules(current, desired, purge=False)[1]["expiration_days"] == 3
    assert [r["id"] for r in lifecycle.merge_rules(current, desired, purge=True)] == ["b", "c"]
    assert lifecycle.merge_rules(current, [], purge=True) == []


@pytest.mark.parametrize(
    "before, after, found",
    [
        ({"expiration_days": 365}, {"expiration_days": 200}, ["rule 'r' expiration_days 365 -> 200"]),
        ({"expiration_days": 365}, {"expiration_days": 400}, []),
        ({"expiration_days": 365}, {"noncurrent_expiration_days": 10}, []),
        ({"noncurrent_expiration_days": 90}, {"noncurrent_expiration_days": 30}, ["rule 'r' noncurrent_expiration_days 90 -> 30"]),
        ({"transitions": [{"days": 30, "storage_class": "GLACIER"}]}, {"expiration_days": 5}, []),
    ],
)
def test_retention_decreases(before, after, found):
    assert lifecycle.retention_decreases([_rule("r", **before)], [_rule("r", **after)]) == found


def test_shorter_than_lock_ignores_disabled_rules():
    rules = [_rule("a", expiration_days=30), _rule("b", expiration_days=30, enabled=False), _rule("c", noncurrent_expiration_days=400)]
    assert lifecycle.shorter_than_lock(rules, 100) == ["rule 'a' expiration_days 30 < object lock retention 100 days"]
    assert lifecycle.shorter_than_lock(rules, None) == []
