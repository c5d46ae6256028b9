"""cloudtrail_athena against the emulator: create, idempotence with zero writes, check mode, diff, drift, bad input, layout, absent.

The module runs in-process (its main() with patch_module_args, as test_bad_inputs.py does); the emulator's
recorder counts the calls, so "no write" is measured, not assumed.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from tests.harness import run_module_main

ACCOUNT = "123456789012"
BUCKET = "audit-logs-athena"
RESULTS = f"cloudaudit-athena-results-{ACCOUNT}-us-east-1"
WRITES_OF_A_CREATION = {
    "results_bucket",
    "results_bucket_ownership",
    "results_bucket_public_access_block",
    "results_bucket_encryption",
    "results_bucket_tls_only",
    "results_bucket_expiry",
    "database",
    "table",
    "workgroup",
}

pytestmark = pytest.mark.integration


def module():
    from ansible_collections.cloudaudit.aws.plugins.modules import cloudtrail_athena

    return cloudtrail_athena


def run(capsys: Any, check: bool = False, diff: bool = True, **params: Any) -> dict[str, Any]:
    args = dict(params, _ansible_check_mode=check, _ansible_diff=diff)
    return run_module_main(module(), args, capsys)


def put_log(s3: Any, key_root: str, account: str = ACCOUNT, region: str = "us-east-1") -> str:
    key = f"{key_root}{account}/CloudTrail/{region}/2026/01/02/{account}_CloudTrail_{region}_20260102T0000Z_abcdef.json.gz"
    record = {"eventVersion": "1.08", "eventName": "StopLogging", "awsRegion": region, "recipientAccountId": account}
    s3.put_object(Bucket=BUCKET, Key=key, Body=gzip.compress(json.dumps({"Records": [record]}).encode()))
    return key


@pytest.fixture
def audit(aws: Any) -> Any:
    """The audit bucket with one account-trail log file under trails/AWSLogs/."""
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    put_log(s3, "trails/AWSLogs/")
    return aws


BASE = dict(bucket=BUCKET, s3_key_prefix="trails", accounts=[ACCOUNT], regions=["us-east-1", "eu-west-1"], projection_start="2025/01/01")


def writes_since(aws: Any, mark: int) -> list[str]:
    return [f"{c['service']}:{c['operation']}" for c in aws.emulator.writes(since=mark)]


def test_create_matches_the_contract_and_second_run_writes_nothing(audit: Any, capsys: Any) -> None:
    result = run(capsys, **BASE)
    assert result["changed"] is True, result
    assert {c["setting"] for c in result["changes"]} == WRITES_OF_A_CREATION
    assert result["location"] == f"s3://{BUCKET}/trails/AWSLogs/"
    assert result["location_template"] == f"s3://{BUCKET}/trails/AWSLogs/${{account}}/CloudTrail/${{region}}/${{day}}"
    assert result["workgroup"] == {"name": "cloudaudit", "output_location": f"s3://{RESULTS}/athena/", "bytes_scanned_cutoff": 10 * 1024**3}
    assert result["results_bucket"] == RESULTS

    table = audit.client("glue").get_table(DatabaseName="cloudaudit", Name="cloudtrail_logs")["Table"]
    assert table["TableType"] == "EXTERNAL_TABLE"
    storage = table["StorageDescriptor"]
    assert storage["Location"] == f"s3://{BUCKET}/trails/AWSLogs/"
    assert storage["InputFormat"] == "com.amazon.emr.cloudtrail.CloudTrailInputFormat"
    assert storage["OutputFormat"] == "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    assert storage["SerdeInfo"]["SerializationLibrary"] == "com.amazon.emr.hive.serde.CloudTrailSerde"
    columns = {c["Name"]: c["Type"] for c in storage["Columns"]}
    assert columns["eventname"] == "string" and columns["resources"] == "array<struct<arn:string,accountid:string,type:string>>"
    assert "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>" in columns["useridentity"]
    assert columns["tlsdetails"] == "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>"
    assert len(columns) == 29
    assert [(k["Name"], k["Type"]) for k in table["PartitionKeys"]] == [("account", "string"), ("region", "string"), ("day", "string")]
    assert table["Parameters"] == {
        "EXTERNAL": "TRUE",
        "classification": "cloudtrail",
        "projection.enabled": "true",
        "projection.account.type": "enum",
        "projection.account.values": ACCOUNT,
        "projection.region.type": "enum",
        "projection.region.values": "eu-west-1,us-east-1",
        "projection.day.type": "date",
        "projection.day.format": "yyyy/MM/dd",
        "projection.day.range": "2025/01/01,NOW",
        "projection.day.interval": "1",
        "projection.day.interval.unit": "DAYS",
        "storage.location.template": f"s3://{BUCKET}/trails/AWSLogs/${{account}}/CloudTrail/${{region}}/${{day}}",
    }

    config = audit.client("athena").get_work_group(WorkGroup="cloudaudit")["WorkGroup"]["Configuration"]
    assert config["ResultConfiguration"] == {"OutputLocation": f"s3://{RESULTS}/athena/", "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}}
    assert config["EnforceWorkGroupConfiguration"] is True
    assert config["BytesScannedCutoffPerQuery"] == 10 * 1024**3
    assert config["PublishCloudWatchMetricsEnabled"] is True

    s3 = audit.client("s3")
    assert all(s3.get_public_access_block(Bucket=RESULTS)["PublicAccessBlockConfiguration"].values())
    rule = s3.get_bucket_encryption(Bucket=RESULTS)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    policy = json.loads(s3.get_bucket_policy(Bucket=RESULTS)["Policy"])
    assert [s["Condition"] for s in policy["Statement"]] == [{"Bool": {"aws:SecureTransport": "false"}}]
    rules = s3.get_bucket_lifecycle_configuration(Bucket=RESULTS)["Rules"]
    assert [(r["Expiration"]["Days"], r["Filter"]["Prefix"]) for r in rules] == [(30, "athena/")]

    mark = audit.emulator.mark()
    again = run(capsys, **BASE)
    assert again["changed"] is False, again["changes"]
    assert again["diff"]["before"] == again["diff"]["after"]
    assert writes_since(audit, mark) == []


def test_check_mode_writes_nothing_and_predicts_exactly(audit: Any, capsys: Any) -> None:
    mark = audit.emulator.mark()
    predicted = run(capsys, check=True, **BASE)
    assert writes_since(audit, mark) == []
    assert predicted["changed"] is True
    assert predicted["diff"]["before"]["table"] is None
    assert predicted["diff"]["after"]["table"]["location"] == f"s3://{BUCKET}/trails/AWSLogs/"
    assert predicted["diff"]["after"]["workgroup"]["BytesScannedCutoffPerQuery"] == 10 * 1024**3

    applied = run(capsys, **BASE)
    assert applied["changes"] == predicted["changes"]
    assert applied["diff"] == predicted["diff"]
    assert {k: v for k, v in applied.items() if k not in ("invocation",)} == {k: v for k, v in predicted.items() if k not in ("invocation",)}

    mark = audit.emulator.mark()
    assert run(capsys, check=True, **BASE)["changed"] is False
    assert writes_since(audit, mark) == []


def test_drift_is_repaired_in_place(audit: Any, capsys: Any) -> None:
    run(capsys, **BASE)
    glue, athena = audit.client("glue"), audit.client("athena")
    table = glue.get_table(DatabaseName="cloudaudit", Name="cloudtrail_logs")["Table"]
    table_input = {k: table[k] for k in ("Name", "TableType", "Parameters", "PartitionKeys", "StorageDescriptor")}
    table_input["StorageDescriptor"] = dict(table_input["StorageDescriptor"], Location=f"s3://{BUCKET}/elsewhere/AWSLogs/")
    table_input["Parameters"] = dict(table_input["Parameters"], **{"projection.region.values": "us-east-1", "comment": "kept"})
    glue.update_table(DatabaseName="cloudaudit", TableInput=table_input)
    athena.update_work_group(WorkGroup="cloudaudit", ConfigurationUpdates={"BytesScannedCutoffPerQuery": 20_000_000, "EnforceWorkGroupConfiguration": False})

    mark = audit.emulator.mark()
    predicted = run(capsys, check=True, **BASE)
    assert writes_since(audit, mark) == []
    assert [(c["setting"], c["action"]) for c in predicted["changes"]] == [("table", "update"), ("workgroup", "update")]
    assert predicted["diff"]["before"]["table"]["location"] == f"s3://{BUCKET}/elsewhere/AWSLogs/"
    assert predicted["diff"]["before"]["workgroup"]["BytesScannedCutoffPerQuery"] == 20_000_000

    mark = audit.emulator.mark()
    repaired = run(capsys, **BASE)
    assert repaired["changes"] == predicted["changes"]
    assert sorted(writes_since(audit, mark)) == ["athena:UpdateWorkGroup", "glue:UpdateTable"]
    table = glue.get_table(DatabaseName="cloudaudit", Name="cloudtrail_logs")["Table"]
    assert table["StorageDescriptor"]["Location"] == f"s3://{BUCKET}/trails/AWSLogs/"
    assert table["Parameters"]["projection.region.values"] == "eu-west-1,us-east-1"
    assert table["Parameters"]["comment"] == "kept"
    config = athena.get_work_group(WorkGroup="cloudaudit")["WorkGroup"]["Configuration"]
    assert (config["BytesScannedCutoffPerQuery"], config["EnforceWorkGroupConfiguration"]) == (10 * 1024**3, True)
    assert run(capsys, **BASE)["changed"] is False


def test_unset_projection_options_keep_the_tables_values(audit: Any, capsys: Any) -> None:
    run(capsys, **BASE)
    mark = audit.emulator.mark()
    result = run(capsys, bucket=BUCKET, s3_key_prefix="trails")
    assert result["changed"] is False, result["changes"]
    assert (result["accounts"], result["regions"], result["projection_start"]) == ([ACCOUNT], ["eu-west-1", "us-east-1"], "2025/01/01")
    assert writes_since(audit, mark) == []


def test_new_table_defaults(audit: Any, capsys: Any) -> None:
    result = run(capsys, bucket=BUCKET, s3_key_prefix="trails", manage_results_bucket=False, workgroup={"results_bucket": "some-results"})
    assert result["accounts"] == [ACCOUNT]
    assert "us-east-1" in result["regions"] and len(result["regions"]) > 1
    year, month, day = result["projection_start"].split("/")
    assert (month, day) == ("01", "01") and int(year) >= 2025
    assert "results_bucket" not in {c["setting"] for c in result["changes"]}
    assert result["workgroup"]["output_location"] == "s3://some-results/athena/"


def test_tags_and_kms_results(audit: Any, capsys: Any) -> None:
    key_arn = audit.client("kms").create_key()["KeyMetadata"]["Arn"]
    params = dict(BASE, tags={"team": "audit"}, workgroup={"results_kms_key_id": key_arn, "results_expire_days": 7, "bytes_scanned_cutoff": 10_000_000})
    result = run(capsys, **params)
    assert {"workgroup_tags", "results_bucket_tags"} <= {c["setting"] for c in result["changes"]}
    athena = audit.client("athena")
    arn = f"arn:aws:athena:us-east-1:{ACCOUNT}:workgroup/cloudaudit"
    assert athena.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "audit"}]
    config = athena.get_work_group(WorkGroup="cloudaudit")["WorkGroup"]["Configuration"]
    assert config["ResultConfiguration"]["EncryptionConfiguration"] == {"EncryptionOption": "SSE_KMS", "KmsKey": key_arn}
    assert config["BytesScannedCutoffPerQuery"] == 10_000_000
    s3 = audit.client("s3")
    default = s3.get_bucket_encryption(Bucket=RESULTS)["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    assert default == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
    assert s3.get_bucket_tagging(Bucket=RESULTS)["TagSet"] == [{"Key": "team", "Value": "audit"}]
    assert s3.get_bucket_lifecycle_configuration(Bucket=RESULTS)["Rules"][0]["Expiration"]["Days"] == 7
    mark = audit.emulator.mark()
    assert run(capsys, **params)["changed"] is False
    assert writes_since(audit, mark) == []
    changed = run(capsys, **{**params, "tags": {"team": "security"}})
    assert {c["setting"] for c in changed["changes"]} == {"workgroup_tags", "results_bucket_tags"}
    assert athena.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "team", "Value": "security"}]


BAD_INPUTS = [
    ({"accounts": ["12345"]}, "accounts", "12-digit"),
    ({"accounts": []}, "accounts", "at least one"),
    ({"accounts_from_organization": True}, "accounts", "accounts_from_organization"),
    ({"regions": ["moon-1"]}, "regions", "region"),
    ({"projection_start": "2025-01-01"}, "projection_start", "yyyy/MM/dd"),
    ({"projection_start": "2025/02/30"}, "projection_start", "yyyy/MM/dd"),
    ({"projection_start": "2999/01/01"}, "projection_start", "future"),
    ({"workgroup": {"bytes_scanned_cutoff": 9_999_999}}, "workgroup.bytes_scanned_cutoff", "10000000"),
    ({"workgroup": {"name": "bad name"}}, "workgroup.name", "workgroup name"),
    ({"workgroup": {"results_kms_key_id": "alias/results"}}, "workgroup.results_kms_key_id", "alias"),
    (
        {"workgroup": {"results_kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"}},
        "workgroup.results_kms_key_id",
        "region",
    ),
    ({"workgroup": {"results_expire_days": 0}}, "workgroup.results_expire_days", "days"),
    ({"workgroup": {"results_bucket": "Bad_Bucket"}}, "workgroup.results_bucket", "bucket name"),
    ({"database": "Audit-DB"}, "database", "lowercase"),
    ({"s3_key_prefix": "trails/"}, "s3_key_prefix", "key prefix"),
    ({"organization_id": "org-1"}, "organization_id", "Organizations id"),
]


@pytest.mark.parametrize(("override", "option", "said"), BAD_INPUTS, ids=[f"{o}:{s}" for _override, o, s in BAD_INPUTS])
def test_bad_input_is_named_before_any_write(audit: Any, capsys: Any, override: dict, option: str, said: str) -> None:
    mark = audit.emulator.mark()
    result = run(capsys, **{**BASE, **override})
    assert result.get("failed"), result
    assert result["msg"].startswith(f"{option}:"), result["msg"]
    assert said.lower() in result["msg"].lower(), result["msg"]
    assert writes_since(audit, mark) == []


def test_missing_bucket_is_named(aws: Any, capsys: Any) -> None:
    result = run(capsys, **{**BASE, "bucket": "no-such-audit-bucket"})
    assert result.get("failed") and result["msg"].startswith("bucket:") and "does not exist" in result["msg"], result
    assert aws.emulator.writes() == []


def test_logs_under_another_prefix_are_named(audit: Any, capsys: Any) -> None:
    mark = audit.emulator.mark()
    result = run(capsys, **{**BASE, "s3_key_prefix": "other"})
    assert result.get("failed"), result
    assert result["msg"].startswith("s3_key_prefix:") and "'trails/AWSLogs/'" in result["msg"] and "s3_key_prefix: trails" in result["msg"], result["msg"]
    no_prefix = run(capsys, **{k: v for k, v in BASE.items() if k != "s3_key_prefix"})
    assert no_prefix["msg"].startswith("s3_key_prefix:") and "'trails/AWSLogs/'" in no_prefix["msg"], no_prefix["msg"]
    assert writes_since(audit, mark) == []


def test_organization_layout_needs_organization_id(aws: Any, capsys: Any) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    put_log(s3, "AWSLogs/o-abcdef1234/")
    params = {k: v for k, v in BASE.items() if k != "s3_key_prefix"}
    result = run(capsys, **params)
    assert result.get("failed") and result["msg"].startswith("organization_id:"), result
    assert "AWSLogs/o-abcdef1234/" in result["msg"] and "set organization_id: o-abcdef1234" in result["msg"]
    other = run(capsys, **{**params, "organization_id": "o-zzzzzzzzzz"})
    assert other["msg"].startswith("organization_id:") and "o-abcdef1234" in other["msg"], other["msg"]
    assert aws.emulator.writes(service="glue") == [] and aws.emulator.writes(service="athena") == []
    ok = run(capsys, **{**params, "organization_id": "o-abcdef1234"})
    assert ok["changed"] is True, ok
    assert ok["location"] == f"s3://{BUCKET}/AWSLogs/o-abcdef1234/"
    assert ok["location_template"] == f"s3://{BUCKET}/AWSLogs/o-abcdef1234/${{account}}/CloudTrail/${{region}}/${{day}}"


def test_account_layout_with_organization_id_is_named(audit: Any, capsys: Any) -> None:
    result = run(capsys, **{**BASE, "organization_id": "o-abcdef1234"})
    assert result.get("failed") and result["msg"].startswith("organization_id:") and "account trail" in result["msg"], result


def test_empty_bucket_is_accepted_with_a_warning(aws: Any, capsys: Any) -> None:
    aws.client("s3").create_bucket(Bucket=BUCKET)
    result = run(capsys, **BASE)
    assert result["changed"] is True
    assert "holds no CloudTrail log files yet" in json.dumps(result.get("warnings")), sorted(result)


def test_accounts_from_organization(aws: Any, capsys: Any) -> None:
    org = aws.client("organizations")
    org_id = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    member = org.create_account(Email="member@example.com", AccountName="member")["CreateAccountStatus"]["AccountId"]
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    put_log(s3, f"AWSLogs/{org_id}/")
    params = dict(bucket=BUCKET, organization_id=org_id, accounts_from_organization=True, regions=["us-east-1"], projection_start="2025/01/01")
    result = run(capsys, **params)
    assert result["accounts"] == sorted([ACCOUNT, member]), result
    table = aws.client("glue").get_table(DatabaseName="cloudaudit", Name="cloudtrail_logs")["Table"]
    assert table["Parameters"]["projection.account.values"] == ",".join(sorted([ACCOUNT, member]))
    assert run(capsys, **params)["changed"] is False


def test_absent_removes_table_and_workgroup_only(audit: Any, capsys: Any) -> None:
    run(capsys, **BASE)
    predicted = run(capsys, check=True, state="absent")
    assert [(c["setting"], c["action"]) for c in predicted["changes"]] == [("workgroup", "delete"), ("table", "delete")]
    result = run(capsys, state="absent")
    assert result["changes"] == predicted["changes"]
    glue, s3 = audit.client("glue"), audit.client("s3")
    assert [t["Name"] for t in glue.get_tables(DatabaseName="cloudaudit")["TableList"]] == []
    assert [w["Name"] for w in audit.client("athena").list_work_groups()["WorkGroups"]] == ["primary"]
    buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert {BUCKET, RESULTS} <= buckets
    assert s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 1
    assert run(capsys, state="absent")["changed"] is False

    s3.put_object(Bucket=RESULTS, Key="athena/q1.csv", Body=b"a,b\n")
    gone = run(capsys, state="absent", delete_results_bucket=True)
    assert [(c["setting"], c["action"]) for c in gone["changes"]] == [("results_bucket", "delete")]
    assert RESULTS not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert BUCKET in {b["Name"] for b in s3.list_buckets()["Buckets"]}
