"""Athena workgroup and Glue table behaviour: each test shows what AWS does and the emulator reproduces."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

CUTOFF = 10 * 1024**3


def code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


@pytest.fixture
def athena(aws):
    client = aws.client("athena")
    client.create_work_group(
        Name="audit",
        Configuration={
            "ResultConfiguration": {"OutputLocation": "s3://results/athena/", "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}},
            "EnforceWorkGroupConfiguration": True,
            "BytesScannedCutoffPerQuery": CUTOFF,
            "PublishCloudWatchMetricsEnabled": True,
        },
        Tags=[{"Key": "team", "Value": "audit"}],
    )
    return client


def configuration(athena, name: str = "audit") -> dict:
    return athena.get_work_group(WorkGroup=name)["WorkGroup"]["Configuration"]


def test_update_work_group_changes_only_what_it_names(athena):
    athena.update_work_group(WorkGroup="audit", ConfigurationUpdates={"BytesScannedCutoffPerQuery": 20_000_000, "EnforceWorkGroupConfiguration": False})
    config = configuration(athena)
    assert config["BytesScannedCutoffPerQuery"] == 20_000_000
    assert config["EnforceWorkGroupConfiguration"] is False
    assert config["PublishCloudWatchMetricsEnabled"] is True
    assert config["ResultConfiguration"] == {"OutputLocation": "s3://results/athena/", "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}}


def test_update_work_group_result_configuration(athena):
    kms = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    athena.update_work_group(
        WorkGroup="audit",
        ConfigurationUpdates={
            "ResultConfigurationUpdates": {"OutputLocation": "s3://other/q/", "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": kms}}
        },
    )
    assert configuration(athena)["ResultConfiguration"] == {
        "OutputLocation": "s3://other/q/",
        "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": kms},
    }
    athena.update_work_group(WorkGroup="audit", ConfigurationUpdates={"ResultConfigurationUpdates": {"RemoveEncryptionConfiguration": True}})
    assert configuration(athena)["ResultConfiguration"] == {"OutputLocation": "s3://other/q/"}


def test_remove_bytes_scanned_cutoff(athena):
    athena.update_work_group(WorkGroup="audit", ConfigurationUpdates={"RemoveBytesScannedCutoffPerQuery": True})
    assert "BytesScannedCutoffPerQuery" not in configuration(athena)


def test_update_description_and_state(athena):
    athena.update_work_group(WorkGroup="audit", Description="CloudTrail searches", State="DISABLED")
    work_group = athena.get_work_group(WorkGroup="audit")["WorkGroup"]
    assert (work_group["Description"], work_group["State"]) == ("CloudTrail searches", "DISABLED")
    assert athena.get_work_group(WorkGroup="primary")["WorkGroup"]["State"] == "ENABLED"


def test_cutoff_below_the_minimum_is_refused_before_sending(athena):
    with pytest.raises(Exception) as e:
        athena.update_work_group(WorkGroup="audit", ConfigurationUpdates={"BytesScannedCutoffPerQuery": 9_999_999})
    assert "10000000" in str(e.value)


@pytest.mark.parametrize("call", ["get_work_group", "delete_work_group"])
def test_unknown_work_group_is_invalid_request(athena, call):
    with pytest.raises(ClientError) as e:
        getattr(athena, call)(WorkGroup="missing")
    assert code(e) == "InvalidRequestException"
    assert "missing is not found" in e.value.response["Error"]["Message"]


def test_update_unknown_work_group_is_invalid_request(athena):
    with pytest.raises(ClientError) as e:
        athena.update_work_group(WorkGroup="missing", ConfigurationUpdates={"EnforceWorkGroupConfiguration": True})
    assert code(e) == "InvalidRequestException"


def test_delete_work_group_then_get_is_not_found(athena):
    athena.delete_work_group(WorkGroup="audit", RecursiveDeleteOption=True)
    with pytest.raises(ClientError) as e:
        athena.get_work_group(WorkGroup="audit")
    assert code(e) == "InvalidRequestException"


def test_work_group_tags(athena, aws):
    arn = "arn:aws:athena:us-east-1:123456789012:workgroup/audit"
    athena.tag_resource(ResourceARN=arn, Tags=[{"Key": "env", "Value": "prod"}])
    athena.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert athena.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]


# Glue: moto already behaves as AWS for what the collection uses; these tests keep it so.
TABLE = {
    "Name": "cloudtrail_logs",
    "TableType": "EXTERNAL_TABLE",
    "Parameters": {"EXTERNAL": "TRUE", "projection.enabled": "true", "projection.day.range": "2024/01/01,NOW"},
    "PartitionKeys": [{"Name": "account", "Type": "string"}, {"Name": "region", "Type": "string"}, {"Name": "day", "Type": "string"}],
    "StorageDescriptor": {
        "Columns": [{"Name": "eventversion", "Type": "string"}],
        "Location": "s3://audit/AWSLogs/",
        "InputFormat": "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
        "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
        "SerdeInfo": {"SerializationLibrary": "com.amazon.emr.hive.serde.CloudTrailSerde"},
    },
}


@pytest.fixture
def glue(aws):
    client = aws.client("glue")
    client.create_database(DatabaseInput={"Name": "cloudaudit"})
    client.create_table(DatabaseName="cloudaudit", TableInput=TABLE)
    return client


def test_glue_update_table_replaces_location_and_parameters(glue):
    table = dict(TABLE, Parameters={"EXTERNAL": "TRUE"}, StorageDescriptor=dict(TABLE["StorageDescriptor"], Location="s3://audit/logs/AWSLogs/"))
    glue.update_table(DatabaseName="cloudaudit", TableInput=table)
    stored = glue.get_table(DatabaseName="cloudaudit", Name="cloudtrail_logs")["Table"]
    assert stored["Parameters"] == {"EXTERNAL": "TRUE"}
    assert stored["StorageDescriptor"]["Location"] == "s3://audit/logs/AWSLogs/"
    assert stored["PartitionKeys"] == TABLE["PartitionKeys"]


def test_glue_unknown_table_and_database_are_entity_not_found(glue):
    for database, name in (("cloudaudit", "missing"), ("missing", "cloudtrail_logs")):
        with pytest.raises(ClientError) as e:
            glue.get_table(DatabaseName=database, Name=name)
        assert code(e) == "EntityNotFoundException"
    with pytest.raises(ClientError) as e:
        glue.create_table(DatabaseName="cloudaudit", TableInput=TABLE)
    assert code(e) == "AlreadyExistsException"
