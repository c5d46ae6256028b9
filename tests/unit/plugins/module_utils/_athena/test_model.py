"""Pure model of cloudtrail_athena: the table contract, the layout check, validation, workgroup updates, compare."""

from __future__ import annotations

from datetime import date

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._athena import layout, model
from ansible_collections.cloudaudit.aws.plugins.module_utils._athena import table as glue_table
from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError

ACCOUNT = "123456789012"
SPEC = {
    "bucket": "audit",
    "s3_key_prefix": "trails",
    "organization_id": None,
    "accounts": [ACCOUNT],
    "regions": ["us-east-1"],
    "projection_start": "2025/01/01",
}


# The table ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("prefix", "org", "location"),
    [
        (None, None, "s3://audit/AWSLogs/"),
        ("trails", None, "s3://audit/trails/AWSLogs/"),
        (None, "o-abcdef1234", "s3://audit/AWSLogs/o-abcdef1234/"),
        ("a/b", "o-abcdef1234", "s3://audit/a/b/AWSLogs/o-abcdef1234/"),
    ],
)
def test_location_and_template(prefix, org, location):
    assert glue_table.location("audit", prefix, org) == location
    assert glue_table.location_template("audit", prefix, org) == location + "${account}/CloudTrail/${region}/${day}"


def test_definition_round_trips_through_normalise():
    definition = glue_table.definition(SPEC)
    aws = dict(definition, Name="t", DatabaseName="d", CreateTime="x", Parameters=dict(definition["Parameters"], transient_lastDdlTime="1"))
    aws["StorageDescriptor"] = dict(definition["StorageDescriptor"], Compressed=False, SerdeInfo={"SerializationLibrary": glue_table.SERDE, "Parameters": {}})
    assert glue_table.normalise(aws) == definition
    assert glue_table.other_parameters(aws) == {"transient_lastDdlTime": "1"}
    assert glue_table.table_input("t", definition, aws)["Parameters"]["transient_lastDdlTime"] == "1"
    assert glue_table.projection_of(definition) == {"accounts": [ACCOUNT], "regions": ["us-east-1"], "projection_start": "2025/01/01"}


def test_an_extra_projection_parameter_is_drift():
    definition = glue_table.definition(SPEC)
    aws = dict(definition, Parameters=dict(definition["Parameters"], **{"projection.timestamp.type": "date"}))
    assert glue_table.normalise(aws) != definition


# Layout ------------------------------------------------------------------
def test_matching_account_layout():
    assert layout.check("audit", "trails", None, [f"trails/AWSLogs/{ACCOUNT}/"], None) is None


def test_matching_organization_layout():
    assert layout.check("audit", None, "o-abcdef1234", ["AWSLogs/o-abcdef1234/", f"AWSLogs/{ACCOUNT}/"], None) is None


@pytest.mark.parametrize(
    ("prefix", "org", "under_root", "sample", "option", "said"),
    [
        (None, None, ["AWSLogs/o-abcdef1234/"], None, "organization_id", "set organization_id: o-abcdef1234"),
        (None, "o-zzzzzzzzzz", ["AWSLogs/o-abcdef1234/"], None, "organization_id", "not 'AWSLogs/o-zzzzzzzzzz/'"),
        (None, "o-abcdef1234", [f"AWSLogs/{ACCOUNT}/"], None, "organization_id", "leave organization_id unset"),
        ("other", None, [], [f"trails/AWSLogs/{ACCOUNT}/CloudTrail/x.json.gz"], "s3_key_prefix", "s3_key_prefix: trails"),
        ("trails", None, [], [f"AWSLogs/{ACCOUNT}/CloudTrail/x.json.gz"], "s3_key_prefix", "no s3_key_prefix"),
    ],
)
def test_layout_mismatch_names_the_option(prefix, org, under_root, sample, option, said):
    with pytest.raises(CloudAuditError) as e:
        layout.check("audit", prefix, org, under_root, sample)
    assert e.value.option == option
    assert said in e.value.msg


def test_no_logs_yet_is_a_warning():
    assert "no CloudTrail log files yet" in layout.check("audit", None, None, [], ["readme.txt"])


# Validation --------------------------------------------------------------
@pytest.mark.parametrize("value", ["2025-01-01", "2025/13/01", "2025/02/30", "25/01/01", "2025/1/1"])
def test_projection_start_format(value):
    with pytest.raises(CloudAuditError) as e:
        model.check_projection_start(value, "projection_start", today=date(2026, 1, 1))
    assert "yyyy/MM/dd" in e.value.msg


def test_projection_start_not_in_the_future():
    model.check_projection_start("2026/01/01", "projection_start", today=date(2026, 1, 1))
    with pytest.raises(CloudAuditError):
        model.check_projection_start("2026/01/02", "projection_start", today=date(2026, 1, 1))


def test_default_projection_start_is_fixed_for_the_year():
    assert model.default_projection_start(date(2026, 3, 5)) == model.default_projection_start(date(2026, 12, 31)) == "2025/01/01"


def test_cutoff_minimum_is_athenas():
    params = {
        "state": "present",
        "bucket": "audit",
        "database": "cloudaudit",
        "table": "t",
        "workgroup": {"name": "wg", "bytes_scanned_cutoff": model.MIN_CUTOFF},
    }
    model.validate(params, "us-east-1")
    params["workgroup"]["bytes_scanned_cutoff"] = model.MIN_CUTOFF - 1
    with pytest.raises(CloudAuditError) as e:
        model.validate(params, "us-east-1")
    assert e.value.option == "workgroup.bytes_scanned_cutoff"


# Workgroup ----------------------------------------------------------------
WG = {"name": "wg", "bytes_scanned_cutoff": 10 * model.GIB, "enforce": True, "publish_cloudwatch_metrics": True, "results_prefix": "athena"}


def test_work_group_round_trip_and_updates():
    desired = model.work_group_desired(WG, "results")
    aws = {"Name": "wg", "State": "ENABLED", "Configuration": model.work_group_configuration(desired)}
    assert model.normalise_work_group(aws) == desired
    drifted = dict(desired, BytesScannedCutoffPerQuery=20_000_000, EncryptionConfiguration={"EncryptionOption": "SSE_KMS", "KmsKey": "k"})
    assert model.configuration_updates(drifted, desired) == {
        "BytesScannedCutoffPerQuery": 10 * model.GIB,
        "ResultConfigurationUpdates": {"EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}},
    }
    assert model.configuration_updates(desired, desired) == {}


def test_output_location():
    assert model.output_location("results", "athena") == "s3://results/athena/"
    assert model.output_location("results", None) == "s3://results/"


# Results bucket ----------------------------------------------------------
def test_policy_and_lifecycle_keep_other_statements_and_rules():
    other = {"Sid": "Other", "Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::results/*"}
    policy = model.policy_with_tls({"Version": "2012-10-17", "Statement": [other]}, "results", "aws")
    assert [s["Sid"] for s in policy["Statement"]] == ["Other", model.TLS_SID]
    assert model.has_tls_statement(policy, "results", "aws")
    assert not model.has_tls_statement({"Statement": [other]}, "results", "aws")
    rules = model.lifecycle_rules_with_expiry({"Rules": [{"ID": "keep", "Status": "Enabled"}]}, {"days": 7, "prefix": "athena/"})
    assert [r["ID"] for r in rules] == ["keep", model.EXPIRY_RULE_ID]
    assert model.expiry_of({"Rules": rules}) == {"days": 7, "prefix": "athena/"}


def test_compare_orders_bucket_before_workgroup_and_skips_what_matches():
    desired = {
        "database": {"name": "d"},
        "table": {"t": 1},
        "workgroup": {"w": 1},
        "results_bucket": "r",
        **model.results_bucket_desired(dict(WG, results_expire_days=30)),
    }
    changes = model.compare_present(desired, {"database": None, "table": None, "workgroup": None, "results_bucket": None}, True)
    assert [c.setting for c in changes] == [s for s in model.ORDER if s in desired]
    current = dict(desired)
    assert model.compare_present(desired, current, True) == []
    current["results_bucket_expiry"] = {"days": 90, "prefix": "athena/"}
    assert [(c.setting, c.action) for c in model.compare_present(desired, current, True)] == [("results_bucket_expiry", "update")]


def test_the_primary_workgroup_is_never_deleted():
    params = {"state": "absent", "database": "cloudaudit", "table": "t", "workgroup": {"name": "primary"}}
    with pytest.raises(CloudAuditError) as e:
        model.validate(params, "us-east-1")
    assert e.value.option == "workgroup.name"
    model.validate(dict(params, workgroup={"name": "cloudaudit"}), "us-east-1")
