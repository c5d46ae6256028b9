"""CloudTrail log files and the Glue table over them, as the contract describes (shared by the Athena tests).

Not a test module: the engine's tests and the cloudtrail_history_info integration test build their data with it.
"""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import datetime
from typing import Any

USER_IDENTITY = (
    "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,"
    "onbehalfof:struct<userid:string,identitystorearn:string>,"
    "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,"
    "sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,"
    "sourceidentity:string,ec2roledelivery:string,webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>"
)

# The columns AWS documents for its CloudTrail table in Athena (partition projection / manual partitioning pages).
COLUMNS = [
    ("eventversion", "string"), ("useridentity", USER_IDENTITY), ("eventtime", "string"), ("eventsource", "string"),
    ("eventname", "string"), ("awsregion", "string"), ("sourceipaddress", "string"), ("useragent", "string"),
    ("errorcode", "string"), ("errormessage", "string"), ("requestparameters", "string"), ("responseelements", "string"),
    ("additionaleventdata", "string"), ("requestid", "string"), ("eventid", "string"),
    ("resources", "array<struct<arn:string,accountid:string,type:string>>"), ("eventtype", "string"), ("apiversion", "string"),
    ("readonly", "string"), ("recipientaccountid", "string"), ("serviceeventdetails", "string"), ("sharedeventid", "string"),
    ("vpcendpointid", "string"), ("vpcendpointaccountid", "string"), ("eventcategory", "string"),
    ("addendum", "struct<reason:string,updatedfields:string,originalrequestid:string,originaleventid:string>"),
    ("sessioncredentialfromconsole", "string"), ("edgedevicedetails", "string"),
    ("tlsdetails", "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>"),
]


def record(name: str, when: datetime, account: str, region: str, user: str = "alice", read_only: bool = False, **extra: Any) -> dict[str, Any]:
    """One CloudTrail record with camelCase keys, as CloudTrail writes it."""
    return {
        "eventVersion": "1.09",
        "userIdentity": {
            "type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": f"arn:aws:iam::{account}:user/{user}", "accountId": account,
            "accessKeyId": f"AKIA{user.upper():0<16}"[:20], "userName": user,
        },
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "cloudtrail.amazonaws.com",
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "aws-cli/2.15",
        "requestParameters": {"name": "org-trail"},
        "responseElements": None,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": read_only,
        "resources": [{"ARN": f"arn:aws:cloudtrail:{region}:{account}:trail/org-trail", "accountId": account, "type": "AWS::CloudTrail::Trail"}],
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": f"cloudtrail.{region}.amazonaws.com"},
        **extra,
    }


def put_log_file(s3: Any, bucket: str, prefix: str, account: str, region: str, when: datetime, records: list[dict[str, Any]]) -> tuple[str, int]:
    """A gzip log file where CloudTrail delivers it; (key, stored size)."""
    base = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    stamp = when.strftime("%Y%m%dT%H%MZ")
    key = f"{base}AWSLogs/{account}/CloudTrail/{region}/{when:%Y/%m/%d}/{account}_CloudTrail_{region}_{stamp}_{uuid.uuid4().hex[:16]}.json.gz"
    body = gzip.compress(json.dumps({"Records": records}).encode())
    s3.put_object(Bucket=bucket, Key=key, Body=body)
    return key, len(body)


def table_input(bucket: str, prefix: str, accounts: list[str], regions: list[str], start_day: str, name: str = "cloudtrail_logs") -> dict[str, Any]:
    """The Glue TableInput of the contract (partition projection over account, region, day)."""
    base = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    location = f"s3://{bucket}/{base}AWSLogs/"
    return {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "StorageDescriptor": {
            "Columns": [{"Name": n, "Type": t} for n, t in COLUMNS],
            "Location": location,
            "InputFormat": "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            "SerdeInfo": {"SerializationLibrary": "com.amazon.emr.hive.serde.CloudTrailSerde"},
        },
        "PartitionKeys": [{"Name": "account", "Type": "string"}, {"Name": "region", "Type": "string"}, {"Name": "day", "Type": "string"}],
        "Parameters": {
            "EXTERNAL": "TRUE",
            "classification": "cloudtrail",
            "projection.enabled": "true",
            "projection.account.type": "enum",
            "projection.account.values": ",".join(accounts),
            "projection.region.type": "enum",
            "projection.region.values": ",".join(regions),
            "projection.day.type": "date",
            "projection.day.format": "yyyy/MM/dd",
            "projection.day.range": f"{start_day},NOW",
            "projection.day.interval": "1",
            "projection.day.interval.unit": "DAYS",
            "storage.location.template": location + "${account}/CloudTrail/${region}/${day}",
        },
    }
