# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Glue table over a CloudTrail audit bucket, as plain data (no boto3).

The table is the contract shared with whatever queries it (Athena, or the emulator's engine): the
CloudTrail columns AWS documents for its Athena table, CloudTrail's input format and SerDe, and
partition projection over account, region and day, so that no crawler and no MSCK REPAIR TABLE is
ever needed (Athena computes the partitions from the table parameters, at query time).
"""

from __future__ import annotations

from typing import Any, Mapping

# The columns of AWS's CloudTrail table for Athena (Athena User Guide, "Creating the table for CloudTrail
# logs in Athena using partition projection"), with the fields CloudTrail has added since.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("eventversion", "string"),
    (
        "useridentity",
        "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,"
        "onbehalfof:struct<userid:string,identitystorearn:string>,"
        "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,"
        "sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,"
        "sourceidentity:string,ec2roledelivery:string,"
        "webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>",
    ),
    ("eventtime", "string"),
    ("eventsource", "string"),
    ("eventname", "string"),
    ("awsregion", "string"),
    ("sourceipaddress", "string"),
    ("useragent", "string"),
    ("errorcode", "string"),
    ("errormessage", "string"),
    ("requestparameters", "string"),
    ("responseelements", "string"),
    ("additionaleventdata", "string"),
    ("requestid", "string"),
    ("eventid", "string"),
    ("resources", "array<struct<arn:string,accountid:string,type:string>>"),
    ("eventtype", "string"),
    ("apiversion", "string"),
    ("readonly", "string"),
    ("recipientaccountid", "string"),
    ("serviceeventdetails", "string"),
    ("sharedeventid", "string"),
    ("vpcendpointid", "string"),
    ("vpcendpointaccountid", "string"),
    ("eventcategory", "string"),
    ("addendum", "struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>"),
    ("sessioncredentialfromconsole", "string"),
    ("edgedevicedetails", "string"),
    ("tlsdetails", "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>"),
)
PARTITION_KEYS: tuple[tuple[str, str], ...] = (("account", "string"), ("region", "string"), ("day", "string"))
INPUT_FORMAT = "com.amazon.emr.cloudtrail.CloudTrailInputFormat"
OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
SERDE = "com.amazon.emr.hive.serde.CloudTrailSerde"
TABLE_TYPE = "EXTERNAL_TABLE"
DAY_FORMAT = "yyyy/MM/dd"
# Parameters whose presence the table's meaning depends on: compared exactly (others, e.g. set by a
# console, are kept as they are on an update).
MANAGED_PARAMETER_PREFIXES = ("projection.", "storage.location.template")
MANAGED_PARAMETERS = ("EXTERNAL", "classification")


def logs_root(bucket: str, key_prefix: str | None, organization_id: str | None) -> str:
    """The key prefix CloudTrail writes under: <prefix/>AWSLogs/[<org-id>/] (no bucket, no scheme)."""
    root = f"{key_prefix}/AWSLogs/" if key_prefix else "AWSLogs/"
    return f"{root}{organization_id}/" if organization_id else root


def location(bucket: str, key_prefix: str | None, organization_id: str | None) -> str:
    return f"s3://{bucket}/{logs_root(bucket, key_prefix, organization_id)}"


def location_template(bucket: str, key_prefix: str | None, organization_id: str | None) -> str:
    """storage.location.template: where Athena finds one partition (account, region, day)."""
    return location(bucket, key_prefix, organization_id) + "${account}/CloudTrail/${region}/${day}"


def parameters(spec: Mapping[str, Any]) -> dict[str, str]:
    """The table parameters of the contract: partition projection over account, region and day."""
    return {
        "EXTERNAL": "TRUE",
        "classification": "cloudtrail",
        "projection.enabled": "true",
        "projection.account.type": "enum",
        "projection.account.values": ",".join(spec["accounts"]),
        "projection.region.type": "enum",
        "projection.region.values": ",".join(spec["regions"]),
        "projection.day.type": "date",
        "projection.day.format": DAY_FORMAT,
        "projection.day.range": f"{spec['projection_start']},NOW",
        "projection.day.interval": "1",
        "projection.day.interval.unit": "DAYS",
        "storage.location.template": location_template(spec["bucket"], spec["s3_key_prefix"], spec["organization_id"]),
    }


def definition(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The managed definition of the table (the shape normalise() gives a GetTable answer)."""
    return {
        "TableType": TABLE_TYPE,
        "Parameters": parameters(spec),
        "PartitionKeys": [{"Name": n, "Type": t} for n, t in PARTITION_KEYS],
        "StorageDescriptor": {
            "Columns": [{"Name": n, "Type": t} for n, t in COLUMNS],
            "Location": location(spec["bucket"], spec["s3_key_prefix"], spec["organization_id"]),
            "InputFormat": INPUT_FORMAT,
            "OutputFormat": OUTPUT_FORMAT,
            "SerdeInfo": {"SerializationLibrary": SERDE},
        },
    }


def _managed_parameter(key: str) -> bool:
    return key in MANAGED_PARAMETERS or key.startswith(MANAGED_PARAMETER_PREFIXES)


def normalise(aws: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A GetTable answer as the managed definition (None: no table)."""
    if aws is None:
        return None
    storage = aws.get("StorageDescriptor") or {}
    return {
        "TableType": aws.get("TableType"),
        "Parameters": {k: v for k, v in (aws.get("Parameters") or {}).items() if _managed_parameter(k)},
        "PartitionKeys": [{"Name": c.get("Name"), "Type": c.get("Type")} for c in aws.get("PartitionKeys") or []],
        "StorageDescriptor": {
            "Columns": [{"Name": c.get("Name"), "Type": c.get("Type")} for c in storage.get("Columns") or []],
            "Location": storage.get("Location"),
            "InputFormat": storage.get("InputFormat"),
            "OutputFormat": storage.get("OutputFormat"),
            "SerdeInfo": {"SerializationLibrary": (storage.get("SerdeInfo") or {}).get("SerializationLibrary")},
        },
    }


def other_parameters(aws: Mapping[str, Any] | None) -> dict[str, str]:
    """The parameters of a table the collection does not manage (kept on an update)."""
    return {k: v for k, v in ((aws or {}).get("Parameters") or {}).items() if not _managed_parameter(k)}


def table_input(name: str, desired: Mapping[str, Any], current_aws: Mapping[str, Any] | None) -> dict[str, Any]:
    """TableInput for CreateTable / UpdateTable: the managed definition, with the unmanaged parameters kept."""
    table = dict(desired)
    table["Name"] = name
    table["Parameters"] = {**other_parameters(current_aws), **desired["Parameters"]}
    return table


def projection_of(definition_: Mapping[str, Any] | None) -> dict[str, Any]:
    """accounts, regions and projection_start as a table has them ({} for what it lacks)."""
    params = (definition_ or {}).get("Parameters") or {}
    found: dict[str, Any] = {}
    if params.get("projection.account.values"):
        found["accounts"] = params["projection.account.values"].split(",")
    if params.get("projection.region.values"):
        found["regions"] = params["projection.region.values"].split(",")
    start = (params.get("projection.day.range") or "").split(",")[0]
    if start:
        found["projection_start"] = start
    return found


def view(definition_: Mapping[str, Any] | None, name: str, database: str) -> dict[str, Any] | None:
    """The table as the diff shows it: what a reader checks first, then the whole definition."""
    if definition_ is None:
        return None
    params = definition_.get("Parameters") or {}
    return {
        "name": name,
        "database": database,
        "location": definition_["StorageDescriptor"].get("Location"),
        "location_template": params.get("storage.location.template"),
        **projection_of(definition_),
        "definition": dict(definition_),
    }
