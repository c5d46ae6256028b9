"""The audit bucket model: validation before any call, desired state, compare, predicted state."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._s3 import model

BASE = {
    "name": "audit-logs",
    "state": "present",
    "expected_owner": None,
    "cloudtrail_access": None,
    "deny_insecure_transport": True,
    "policy_statements": None,
    "purge_policy_statements": False,
    "public_access_block": True,
    "object_ownership": "BucketOwnerEnforced",
    "versioning": True,
    "encryption": None,
    "kms_key_id": None,
    "bucket_key_enabled": True,
    "access_logging": None,
    "object_lock": None,
    "lifecycle_rules": None,
    "purge_lifecycle_rules": False,
    "retention": None,
    "tags": None,
    "purge_tags": True,
    "force_delete_logs": False,
    "allow_retention_decrease": False,
}


def params(**overrides):
    out = copy.deepcopy(BASE)
    out.update(overrides)
    return out


@pytest.mark.parametrize(
    "name",
    ["ab", "Upper", "under_score", "-start", "end-", "a..b", "a.-b", "192.168.0.1", "xn--abc", "abc-s3alias", "x" * 64],
)
def test_invalid_bucket_names(name):
    with pytest.raises(CloudAuditError) as e:
        model.validate(params(name=name))
    assert e.value.option == "name"


@pytest.mark.parametrize("name", ["abc", "my.audit-logs-2026", "a" * 63])
def test_valid_bucket_names(name):
    model.validate(params(name=name))


@pytest.mark.parametrize(
    "overrides, option, message",
    [
        ({"expected_owner": "123"}, "expected_owner", "12-digit"),
        ({"cloudtrail_access": {"account_ids": ["1"]}}, "cloudtrail_access.account_ids", "12-digit"),
        ({"cloudtrail_access": {"organization_id": "org-1"}}, "cloudtrail_access.organization_id", "Organizations id"),
        ({"cloudtrail_access": {"trail_arns": ["arn:aws:s3:::x"]}}, "cloudtrail_access.trail_arns", "cloudtrail ARN"),
        ({"cloudtrail_access": {"key_prefix": "logs/"}}, "cloudtrail_access.key_prefix", "must not start or end"),
        ({"cloudtrail_access": {"key_prefix": "x" * 201}}, "cloudtrail_access.key_prefix", "200"),
        ({"encryption": "AES256", "kms_key_id": "alias/k"}, "kms_key_id", "aws:kms"),
        ({"access_logging": {"target_bucket": "audit-logs"}}, "access_logging.target_bucket", "another bucket"),
        ({"access_logging": {"target_bucket": "Bad_Name"}}, "access_logging.target_bucket", "not a valid bucket name"),
        ({"access_logging": {"target_prefix": "x/"}}, "access_logging", "target_bucket is required"),
        ({"access_logging": {"target_bucket": "other", "partition_date_source": "EventTime"}}, "access_logging", "partitioned"),
        ({"object_lock": {"enabled": True, "mode": "GOVERNANCE", "days": 1, "years": 1}}, "object_lock", "mutually exclusive"),
        ({"object_lock": {"enabled": True, "mode": "GOVERNANCE"}}, "object_lock", "mode together with days or years"),
        ({"object_lock": {"enabled": True, "days": 3}}, "object_lock", "mode together with days or years"),
        ({"object_lock": {"enabled": True, "mode": "GOVERNANCE", "years": 101}}, "object_lock.years", "1-100"),
        ({"object_lock": {"enabled": True}, "versioning": False}, "versioning", "object lock needs versioning"),
        ({"retention": {"glacier_after_days": 90, "expire_after_days": 30}}, "retention", "days out of order"),
        ({"retention": {"expire_after_days": 30}, "lifecycle_rules": [{"id": "cloudaudit-retention", "expiration_days": 5}]}, "lifecycle_rules", "reserved"),
        ({"policy_statements": [{"Effect": "Allow"}]}, "policy_statements", "Action"),
    ],
)
def test_bad_input_fails_naming_the_option(overrides, option, message):
    with pytest.raises(CloudAuditError) as e:
        model.validate(params(**overrides))
    assert e.value.option == option
    assert message in e.value.msg


def test_absent_only_checks_name_and_owner():
    model.validate(params(state="absent", retention={"glacier_after_days": 90, "expire_after_days": 30}))


def test_desired_manages_security_defaults_and_only_the_options_given():
    desired = model.desired(params(), "us-east-1")
    assert set(desired) == {"name", "region", "partition", "policy", "public_access_block", "object_ownership", "versioning", "encryption"}
    assert desired["encryption"] == {"sse_algorithm": "AES256", "kms_key_id": None, "bucket_key_enabled": None}
    assert [s["Sid"] for s in desired["policy"]["generated"]] == ["CloudAuditDenyInsecureTransport"]
    assert "public_access_block" not in model.desired(params(public_access_block=False), "us-east-1")


def test_desired_cloudtrail_access_defaults_to_the_callers_account():
    p = params(cloudtrail_access={"account_ids": None, "organization_id": None, "trail_arns": None, "key_prefix": None})
    assert model.needs_account_id(p)
    desired = model.desired(p, "us-east-1", ["123456789012"])
    assert desired["policy"]["generated"][1]["Resource"] == "arn:aws:s3:::audit-logs/AWSLogs/123456789012/*"
    assert not model.needs_account_id(params(cloudtrail_access={"organization_id": "o-abcdefghij"}))


def test_desired_kms():
    assert model.desired(params(kms_key_id="alias/k"), "us-east-1")["encryption"] == {
        "sse_algorithm": "aws:kms",
        "kms_key_id": "alias/k",
        "bucket_key_enabled": True,
    }
    assert model.desired(params(encryption="aws:kms", bucket_key_enabled=False), "us-east-1")["encryption"]["bucket_key_enabled"] is False


RAW_FULL = {
    "policy": {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudAuditDenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::audit-logs", "arn:aws:s3:::audit-logs/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    },
    "public_access_block": {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
    "object_ownership": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    "versioning": {"Status": "Enabled"},
    "encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]},
    "access_logging": {"TargetBucket": "access", "TargetPrefix": "p/", "TargetObjectKeyFormat": {"PartitionedPrefix": {"PartitionDateSource": "DeliveryTime"}}},
    "lifecycle_rules": {
        "Rules": [{"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 365}}],
        "TransitionDefaultMinimumObjectSize": "varies_by_storage_class",
    },
    "object_lock": {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30, "Years": 0}}},
    "tags": {"a": "b"},
}
FULL_PARAMS = dict(
    access_logging={"target_bucket": "access", "target_prefix": "p/", "key_format": "partitioned", "partition_date_source": "DeliveryTime"},
    lifecycle_rules=[{"id": "r", "expiration_days": 365}],
    transition_default_minimum_object_size="varies_by_storage_class",
    object_lock={"enabled": True, "mode": "GOVERNANCE", "days": 30, "years": None},
    tags={"a": "b"},
)


def test_normalise():
    state = model.normalise(RAW_FULL)
    assert state["public_access_block"] == dict.fromkeys(model.PAB_FLAGS, True)
    assert state["object_ownership"] == "BucketOwnerEnforced"
    assert state["versioning"] == "Enabled" and state["mfa_delete"] is False
    assert state["encryption"] == {"sse_algorithm": "AES256", "kms_key_id": None, "bucket_key_enabled": False}
    assert state["access_logging"] == {"target_bucket": "access", "target_prefix": "p/", "key_format": "partitioned", "partition_date_source": "DeliveryTime"}
    assert state["object_lock"] == {"enabled": True, "mode": "GOVERNANCE", "days": 30, "years": None}
    assert model.normalise({"versioning": {}, "access_logging": None, "object_lock": None})["versioning"] == "Disabled"
    assert model.normalise({"access_logging": {"TargetBucket": "x", "TargetPrefix": ""}})["access_logging"]["key_format"] == "simple"


def test_fully_managed_bucket_in_place_has_no_change():
    p = params(**FULL_PARAMS)
    desired = model.desired(p, "us-east-1")
    assert model.compare(desired, model.normalise(RAW_FULL), p) == []


def test_new_bucket_changes_in_apply_order_and_predicts_state():
    p = params(**FULL_PARAMS)
    desired = model.desired(p, "us-east-1")
    changes = model.compare(desired, None, p)
    assert [c.setting for c in changes] == list(model.SETTINGS)
    assert changes[0].action == "create" and changes[0].details == {"object_lock": True, "region": "us-east-1"}
    predicted = model.after(None, changes)
    assert model.compare(desired, predicted, p) == []


@pytest.mark.parametrize(
    "drift, setting",
    [
        (
            {"public_access_block": {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": True}},
            "public_access_block",
        ),
        ({"encryption": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}}, "encryption"),
        ({"versioning": {"Status": "Suspended"}}, "versioning"),
        ({"object_ownership": {"Rules": [{"ObjectOwnership": "ObjectWriter"}]}}, "object_ownership"),
        ({"policy": None}, "policy"),
        ({"lifecycle_rules": {"Rules": [], "TransitionDefaultMinimumObjectSize": "varies_by_storage_class"}}, "lifecycle_rules"),
        ({"access_logging": None}, "access_logging"),
        ({"tags": {"a": "c"}}, "tags"),
    ],
)
def test_drift_is_one_change(drift, setting):
    p = params(**FULL_PARAMS)
    raw = dict(RAW_FULL, **drift)
    changes = model.compare(model.desired(p, "us-east-1"), model.normalise(raw), p)
    assert [c.setting for c in changes] == [setting]


def test_versioning_false_on_never_versioned_bucket_is_no_change():
    p = params(versioning=False)
    current = model.normalise(dict(RAW_FULL, versioning={}))
    assert [c.setting for c in model.compare(model.desired(p, "us-east-1"), current, p)] == []


def test_kms_key_change_is_detected():
    p = params(kms_key_id="alias/new")
    raw = dict(
        RAW_FULL,
        encryption={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/old"}, "BucketKeyEnabled": True}]},
    )
    (change,) = model.compare(model.desired(p, "us-east-1"), model.normalise(raw), p)
    assert change.after == {"sse_algorithm": "aws:kms", "kms_key_id": "alias/new", "bucket_key_enabled": True}


def test_guard_retention_decrease_is_data():
    p = params(lifecycle_rules=[{"id": "r", "expiration_days": 100}])
    (change,) = model.compare(model.desired(p, "us-east-1"), model.normalise(RAW_FULL), p)
    guard = change.details["guard"]
    assert change.setting == "lifecycle_rules" and change.after[0]["expiration_days"] == 100
    assert guard.option == "lifecycle_rules" and "allow_retention_decrease" in guard.message
    assert guard.details == {"retention_decreases": ["rule 'r' expiration_days 365 -> 100"]}
    p["allow_retention_decrease"] = True
    (change,) = model.compare(model.desired(p, "us-east-1"), model.normalise(RAW_FULL), p)
    assert change.setting == "lifecycle_rules" and "guard" not in change.details


CLOUDTRAIL_STATEMENT = {
    "Sid": "CloudAuditCloudTrailWrite",
    "Effect": "Allow",
    "Principal": {"Service": "cloudtrail.amazonaws.com"},
    "Action": "s3:PutObject",
    "Resource": "arn:aws:s3:::audit-logs/AWSLogs/123456789012/*",
}


@pytest.mark.parametrize(
    "access, force, guarded, removed",
    [
        ({"state": "absent"}, False, True, ["CloudAuditCloudTrailWrite"]),
        ({"state": "absent"}, True, False, ["CloudAuditCloudTrailWrite"]),
        (None, False, False, []),
    ],
)
def test_guard_stop_delivery_is_data(access, force, guarded, removed):
    raw = copy.deepcopy(RAW_FULL)
    raw["policy"]["Statement"].append(CLOUDTRAIL_STATEMENT)
    p = params(cloudtrail_access=access, force_stop_delivery=force)
    changes = model.compare(model.desired(p, "us-east-1"), model.normalise(raw), p)
    assert [c.setting for c in changes] == (["policy"] if removed else [])
    if guarded:
        guard = changes[0].details["guard"]
        assert guard.option == "cloudtrail_access.state" and "force_stop_delivery=true" in guard.message
        assert guard.details == {"removed_statements": removed}
    elif changes:
        assert "guard" not in changes[0].details


TRAIL_A = "arn:aws:cloudtrail:us-east-1:111111111111:trail/audit"
TRAIL_B = "arn:aws:cloudtrail:us-east-1:222222222222:trail/audit"


def _write_statement(policy):
    return next(s for s in policy["Statement"] if s.get("Sid") == "CloudAuditCloudTrailWrite")


def test_trail_arns_already_granted_stay_unless_purged():
    """A run naming only some trails keeps the aws:SourceArn of the others, as it keeps their accounts."""
    both = params(cloudtrail_access={"account_ids": ["111111111111", "222222222222"], "trail_arns": [TRAIL_A, TRAIL_B]})
    (create,) = [c for c in model.compare(model.desired(both, "us-east-1"), model.normalise({**RAW_FULL, "policy": None}), both) if c.setting == "policy"]
    raw = {**copy.deepcopy(RAW_FULL), "policy": create.after}
    subset = params(cloudtrail_access={"account_ids": ["111111111111"], "trail_arns": [TRAIL_A]})
    assert [c.setting for c in model.compare(model.desired(subset, "us-east-1"), model.normalise(raw), subset)] == []

    purge = params(cloudtrail_access={"account_ids": ["111111111111", "222222222222"], "trail_arns": [TRAIL_A], "purge_account_ids": True})
    (change,) = model.compare(model.desired(purge, "us-east-1"), model.normalise(raw), purge)
    guard = change.details["guard"]
    assert guard.option == "cloudtrail_access.purge_account_ids" and TRAIL_B in guard.message
    assert guard.details == {"removed_account_ids": [TRAIL_B]}
    assert _write_statement(change.after)["Condition"]["StringEquals"]["aws:SourceArn"] == TRAIL_A

    forced = {**purge, "force_stop_delivery": True}
    (change,) = model.compare(model.desired(forced, "us-east-1"), model.normalise(raw), forced)
    assert "guard" not in change.details


def test_a_new_trail_arn_is_added_beside_the_granted_ones():
    one = params(cloudtrail_access={"account_ids": ["111111111111"], "trail_arns": [TRAIL_A]})
    (create,) = [c for c in model.compare(model.desired(one, "us-east-1"), model.normalise({**RAW_FULL, "policy": None}), one) if c.setting == "policy"]
    raw = {**copy.deepcopy(RAW_FULL), "policy": create.after}
    other = params(cloudtrail_access={"account_ids": ["222222222222"], "trail_arns": [TRAIL_B]})
    (change,) = model.compare(model.desired(other, "us-east-1"), model.normalise(raw), other)
    write = _write_statement(change.after)
    assert write["Condition"]["StringEquals"]["aws:SourceArn"] == [TRAIL_A, TRAIL_B]
    assert write["Resource"] == ["arn:aws:s3:::audit-logs/AWSLogs/111111111111/*", "arn:aws:s3:::audit-logs/AWSLogs/222222222222/*"]
    assert "guard" not in change.details


@pytest.mark.parametrize(
    "current, force, expected",
    [
        (None, False, []),
        ({"name": "audit-logs", "exists": True, "object_versions": 0}, False, [("bucket", "delete", None)]),
        ({"name": "audit-logs", "exists": True, "object_versions": 3}, True, [("bucket", "delete", None)]),
        ({"name": "audit-logs", "exists": True, "object_versions": 3}, False, [("bucket", "delete", "force_delete_logs")]),
    ],
)
def test_compare_absent(current, force, expected):
    changes = model.compare_absent({"name": "audit-logs"}, current, params(state="absent", force_delete_logs=force))
    got = [(c.setting, c.action, c.details["guard"].option if "guard" in c.details else None) for c in changes]
    assert got == expected
    for change in changes:
        assert change.before == "audit-logs" and change.after is None and change.details["object_versions"] == current["object_versions"]
    if expected and expected[0][2]:
        guard = changes[0].details["guard"]
        assert guard.message == "bucket 'audit-logs' holds 3 object versions (audit logs); set force_delete_logs: true to delete them with the bucket"
        assert guard.details == {"object_versions": 3}


def test_guard_expiration_shorter_than_lock():
    p = params(lifecycle_rules=[{"id": "new", "expiration_days": 10}], object_lock={"enabled": True, "mode": "COMPLIANCE", "days": None, "years": 1})
    with pytest.raises(CloudAuditError, match="object lock default retention"):
        model.compare(model.desired(p, "us-east-1"), None, p)


def test_guard_object_lock_cannot_be_disabled_or_enabled_without_versioning():
    p = params(object_lock={"enabled": False, "mode": None, "days": None, "years": None})
    with pytest.raises(CloudAuditError) as e:
        model.compare(model.desired(p, "us-east-1"), model.normalise(RAW_FULL), p)
    assert e.value.option == "object_lock.enabled"
    unlocked = dict(RAW_FULL, object_lock=None)
    p = params(object_lock={"enabled": True, "mode": None, "days": None, "years": None})
    changes = model.compare(model.desired(p, "us-east-1"), model.normalise(unlocked), p)
    assert [c.setting for c in changes] == ["object_lock"]


def test_lifecycle_purge_to_empty_deletes():
    p = params(lifecycle_rules=[], purge_lifecycle_rules=True)
    (change,) = model.compare(model.desired(p, "us-east-1"), model.normalise(RAW_FULL), p)
    assert change.setting == "lifecycle_rules" and change.action == "delete" and change.after == []


def test_to_aws_shapes():
    assert model.encryption_to_aws({"sse_algorithm": "AES256", "kms_key_id": None, "bucket_key_enabled": False}) == {
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    }
    assert model.encryption_to_aws({"sse_algorithm": "aws:kms", "kms_key_id": "k", "bucket_key_enabled": True}) == {
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k"}, "BucketKeyEnabled": True}]
    }
    assert model.logging_to_aws(None) is None
    assert model.logging_to_aws({"target_bucket": "t", "target_prefix": "", "key_format": "simple", "partition_date_source": None})[
        "TargetObjectKeyFormat"
    ] == {"SimplePrefix": {}}
    assert model.object_lock_to_aws({"enabled": True, "mode": "COMPLIANCE", "days": None, "years": 2}) == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 2}},
    }
    assert model.object_lock_to_aws({"enabled": True, "mode": None, "days": None, "years": None}) == {"ObjectLockEnabled": "Enabled"}


SIZE = "transition_default_minimum_object_size"


def test_minimum_object_size_is_written_with_the_rules_in_one_configuration():
    p = params(lifecycle_rules=[{"id": "r", "expiration_days": 365}], **{SIZE: "varies_by_storage_class"})
    desired = model.desired(p, "us-east-1")
    # A bucket whose lifecycle was deleted: both drift, one write carries both.
    changes = {c.setting: c for c in model.compare(desired, model.normalise({"lifecycle_rules": None}), p)}
    assert changes["lifecycle_rules"].details["minimum_size"] == "varies_by_storage_class"
    assert changes[SIZE].details["rules"] is None and (changes[SIZE].before, changes[SIZE].after) == (None, "varies_by_storage_class")
    # Only the size drifted: its write sends the current rules.
    current = model.normalise({"lifecycle_rules": {"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 365}}]}})
    assert current[SIZE] == "all_storage_classes_128K"
    (only,) = [c for c in model.compare(desired, current, p) if c.setting in ("lifecycle_rules", SIZE)]
    assert only.setting == SIZE and only.details["rules"] == current["lifecycle_rules"]


def test_unmanaged_minimum_object_size_is_kept_by_a_lifecycle_write():
    p = params(lifecycle_rules=[{"id": "r", "expiration_days": 400}])
    current = model.normalise(
        {
            "lifecycle_rules": {
                "Rules": [{"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 365}}],
                "TransitionDefaultMinimumObjectSize": "varies_by_storage_class",
            }
        }
    )
    (change,) = [c for c in model.compare(model.desired(p, "us-east-1"), current, p) if c.setting in ("lifecycle_rules", SIZE)]
    assert change.setting == "lifecycle_rules" and change.details["minimum_size"] == "varies_by_storage_class"


def test_minimum_object_size_needs_lifecycle_rules():
    p = params(**{SIZE: "varies_by_storage_class"})
    with pytest.raises(CloudAuditError) as error:
        model.compare(model.desired(p, "us-east-1"), model.normalise({"lifecycle_rules": None}), p)
    assert error.value.option == SIZE
