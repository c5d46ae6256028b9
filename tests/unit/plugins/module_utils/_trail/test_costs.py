"""Pure tests of the cost findings of cloudtrail_trail_info."""

from __future__ import annotations

from ansible_collections.cloudaudit.aws.plugins.module_utils._trail import costs

OWN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/audit"
ORG = "arn:aws:cloudtrail:us-east-1:111122223333:trail/aws-controltower-BaselineCloudTrail"


def trail(arn=OWN, **kw):
    base = {
        "trail_arn": arn,
        "region": "us-east-1",
        "home_region": "us-east-1",
        "shadow": False,
        "status": {"is_logging": True},
        "s3_bucket_name": "audit-logs",
        "event_selectors": [{"read_write_type": "All", "include_management_events": True, "data_resources": []}],
        "advanced_event_selectors": None,
        "insight_selectors": [],
    }
    base.update(kw)
    return base


def kinds(found):
    return sorted((f["kind"], f["resource"]) for f in found)


def test_a_trail_beside_an_organization_trail_is_a_charged_duplicate():
    found = costs.evaluate([trail(), trail(ORG, s3_bucket_name="ct-logs")], [], [], {})
    assert kinds(found) == [("duplicate_management_events", "us-east-1")]
    assert OWN in found[0]["reason"] and ORG in found[0]["reason"]


def test_a_stopped_or_data_only_trail_is_no_duplicate():
    stopped = trail(ORG, status={"is_logging": False})
    data_only = trail(ORG, event_selectors=[{"read_write_type": "All", "include_management_events": False, "data_resources": []}])
    assert costs.evaluate([trail(), stopped], [], [], {}) == []
    assert costs.evaluate([trail(), data_only], [], [], {}) == []


def test_data_events_of_every_bucket_and_function_and_insights():
    every = trail(
        event_selectors=[
            {
                "read_write_type": "All",
                "include_management_events": True,
                "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}, {"type": "AWS::Lambda::Function", "values": ["arn:aws:lambda"]}],
            }
        ],
        insight_selectors=[{"insight_type": "ApiCallRateInsight"}],
    )
    found = costs.evaluate([every], [], [], {})
    assert kinds(found) == [("insights_enabled", OWN), ("lambda_data_events_all_functions", OWN), ("s3_data_events_all_buckets", OWN)]
    assert "audit-logs" in next(f["reason"] for f in found if f["kind"] == "s3_data_events_all_buckets")


def test_lambda_data_events_of_every_function_in_advanced_selectors():
    def lambda_selector(*arn):
        fields = [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::Lambda::Function"]}]
        return trail(advanced_event_selectors=[{"name": "lambda", "field_selectors": fields + list(arn)}])

    every = lambda_selector()
    all_but_one = lambda_selector({"field": "resources.ARN", "not_starts_with": ["arn:aws:lambda:us-east-1:1:function:noisy"]})
    named = lambda_selector({"field": "resources.ARN", "equals": ["arn:aws:lambda:us-east-1:1:function:payments"]})
    assert kinds(costs.evaluate([every], [], [], {})) == [("lambda_data_events_all_functions", OWN)]
    assert kinds(costs.evaluate([all_but_one], [], [], {})) == [("lambda_data_events_all_functions", OWN)]
    assert costs.evaluate([named], [], [], {}) == []


def test_log_groups_stores_and_lifecycles():
    groups = [{"logGroupName": "forever"}, {"logGroupName": "a-year", "retentionInDays": 365}]
    stores = [
        {"Name": "long", "RetentionPeriod": 2557, "Status": "ENABLED"},
        {"Name": "fixed", "RetentionPeriod": 2557, "BillingMode": "FIXED_RETENTION_PRICING", "Status": "ENABLED"},
        {"Name": "a-year", "RetentionPeriod": 366, "BillingMode": "EXTENDABLE_RETENTION_PRICING", "Status": "ENABLED"},
        {"Name": "a-year-and-a-day", "RetentionPeriod": 367, "BillingMode": "EXTENDABLE_RETENTION_PRICING", "Status": "ENABLED"},
        {"Name": "stopped", "RetentionPeriod": 90, "Status": "STOPPED_INGESTION"},
    ]
    small = {"Rules": [{"ID": "to-glacier", "Status": "Enabled", "Filter": {}, "Transitions": [{"Days": 90, "StorageClass": "GLACIER"}]}]}
    lifecycles = {
        "default-size": small,
        "varies": dict(small, TransitionDefaultMinimumObjectSize="varies_by_storage_class"),
        "small-filter": {"Rules": [dict(small["Rules"][0], Filter={"ObjectSizeGreaterThan": 1})]},
        "expiry-only": {"Rules": [{"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 30}}]},
        "unreadable": None,
    }
    found = costs.evaluate([], groups, stores, lifecycles)
    assert "includes 366" in next(f["reason"] for f in found if f["resource"] == "a-year-and-a-day")
    small_reason = next(f["reason"] for f in found if f["kind"] == "transitions_skip_small_objects")
    assert "audit_bucket_transition_default_minimum_object_size" in small_reason and "baseline_transition_default_minimum_object_size" in small_reason
    assert kinds(found) == [
        ("lake_long_retention", "a-year-and-a-day"),
        ("lake_long_retention", "long"),
        ("lake_stopped_ingestion", "stopped"),
        ("log_group_never_expires", "forever"),
        ("transitions_skip_small_objects", "default-size"),
    ]
