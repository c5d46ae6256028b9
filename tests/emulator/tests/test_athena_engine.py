"""Athena runs the SQL: each test shows the Athena behaviour the emulator reproduces over real log files."""

from __future__ import annotations

import base64
import os
import time
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.cloudtrail_athena import put_log_file, record, table_input

A, B, OTHER = "111111111111", "222222222222", "333333333333"
BUCKET, RESULTS = "central-audit-logs", "athena-results-bucket"
NOW = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
D0, D1, D2 = NOW - timedelta(days=10), NOW - timedelta(days=2), NOW - timedelta(days=1)


def day(moment: datetime) -> str:
    return moment.strftime("%Y/%m/%d")


@pytest.fixture
def lake(aws):
    """Log files in a bucket of account B (a central audit bucket), the Glue table and a workgroup in the default account."""
    s3b = aws.client("s3", account=B)
    s3b.create_bucket(Bucket=BUCKET)
    aws.client("s3").create_bucket(Bucket=RESULTS)
    sizes = {}
    sizes["a-use1-d1"] = put_log_file(s3b, BUCKET, "org", A, "us-east-1", D1, [
        record("StopLogging", D1, A, "us-east-1", user="alice"),
        record("DescribeTrails", D1 + timedelta(minutes=5), A, "us-east-1", user="bob", read_only=True),
    ])[1]
    sizes["a-euw1-d1"] = put_log_file(s3b, BUCKET, "org", A, "eu-west-1", D1, [record("StopLogging", D1 + timedelta(hours=1), A, "eu-west-1", user="carol")])[1]
    sizes["b-use1-d2"] = put_log_file(s3b, BUCKET, "org", B, "us-east-1", D2, [
        record("StopLogging", D2, B, "us-east-1", user="dave"),
        record("CreateTrail", D2 + timedelta(minutes=1), B, "us-east-1", user="dave"),
    ])[1]
    sizes["a-use1-d0"] = put_log_file(s3b, BUCKET, "org", A, "us-east-1", D0, [record("StopLogging", D0, A, "us-east-1", user="erin")])[1]
    # Outside the projection: an account not in the enum, a day before the range.
    put_log_file(s3b, BUCKET, "org", OTHER, "us-east-1", D1, [record("StopLogging", D1, OTHER, "us-east-1", user="mallory")])
    glue = aws.client("glue")
    glue.create_database(DatabaseInput={"Name": "cloudaudit"})
    glue.create_table(DatabaseName="cloudaudit", TableInput=table_input(BUCKET, "org", [A, B], ["us-east-1", "eu-west-1"], day(NOW - timedelta(days=30))))
    athena = aws.client("athena")
    athena.create_work_group(Name="cloudaudit", Configuration={
        "ResultConfiguration": {"OutputLocation": f"s3://{RESULTS}/queries/", "EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}},
        "EnforceWorkGroupConfiguration": True,
    })
    return athena, sizes


def run(athena, sql: str, workgroup: str = "cloudaudit", **kwargs) -> dict:
    qid = athena.start_query_execution(QueryString=sql, QueryExecutionContext={"Database": "cloudaudit"}, WorkGroup=workgroup, **kwargs)["QueryExecutionId"]
    states = []
    deadline = time.time() + 20
    while time.time() < deadline:
        execution = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
        states.append(execution["Status"]["State"])
        if states[-1] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            execution["states"] = states
            return execution
        time.sleep(0.05)
    raise AssertionError(f"query {qid} never finished: {states}")


def rows(athena, qid: str, **kwargs) -> list[list]:
    result = athena.get_query_results(QueryExecutionId=qid, **kwargs)["ResultSet"]["Rows"]
    return [[d.get("VarCharValue") for d in r["Data"]] for r in result]


def test_filter_by_event_name_and_day_range_reads_only_those_partitions(lake):
    athena, sizes = lake
    sql = (
        "SELECT eventname, useridentity.username AS username, account, region, day, readonly FROM cloudtrail_logs "
        f"WHERE eventname = 'StopLogging' AND day BETWEEN '{day(D1)}' AND '{day(D2)}' ORDER BY eventtime"
    )
    execution = run(athena, sql)
    assert execution["Status"]["State"] == "SUCCEEDED"
    assert execution["states"][0] in ("QUEUED", "RUNNING")
    assert rows(athena, execution["QueryExecutionId"]) == [
        ["eventname", "username", "account", "region", "day", "readonly"],
        ["StopLogging", "alice", A, "us-east-1", day(D1), "false"],
        ["StopLogging", "carol", A, "eu-west-1", day(D1), "false"],
        ["StopLogging", "dave", B, "us-east-1", day(D2), "false"],
    ]
    assert execution["Statistics"]["DataScannedInBytes"] == sizes["a-use1-d1"] + sizes["a-euw1-d1"] + sizes["b-use1-d2"]


def test_partition_predicates_prune_files_and_other_predicates_do_not(lake):
    athena, sizes = lake
    one = run(athena, f"SELECT count(*) FROM cloudtrail_logs WHERE account = '{A}' AND region IN ('us-east-1') AND day = '{day(D1)}'")
    assert rows(athena, one["QueryExecutionId"])[1] == ["2"]
    assert one["Statistics"]["DataScannedInBytes"] == sizes["a-use1-d1"]
    everything = run(athena, "SELECT count(*) AS n FROM cloudtrail_logs WHERE eventname = 'StopLogging'")
    # No partition predicate: every file the projection allows is read (not the foreign account's).
    assert rows(athena, everything["QueryExecutionId"]) == [["n"], ["4"]]
    assert everything["Statistics"]["DataScannedInBytes"] == sum(sizes.values())


def test_column_types_and_json_string_columns(lake):
    athena = lake[0]
    execution = run(
        athena,
        "SELECT requestparameters, resources, useridentity, json_extract_scalar(requestparameters, '$.name') AS trail "
        f"FROM cloudtrail_logs WHERE day = '{day(D2)}' AND eventname = 'CreateTrail'",
    )
    assert execution["Status"]["State"] == "SUCCEEDED", execution["Status"]
    result = athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])
    info = result["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
    assert [(c["Name"], c["Type"]) for c in info] == [("requestparameters", "varchar"), ("resources", "array"), ("useridentity", "row"), ("trail", "varchar")]
    values = [d.get("VarCharValue") for d in result["ResultSet"]["Rows"][1]["Data"]]
    assert values[0] == '{"name":"org-trail"}'
    assert values[1].startswith("[{arn=arn:aws:cloudtrail:us-east-1:222222222222:trail/org-trail, accountid=222222222222")
    assert values[3] == "org-trail"


def test_a_syntax_error_fails_the_query_with_the_reason(lake):
    athena = lake[0]
    execution = run(athena, "SELECT eventname FROM cloudtrail_logs WHERE AND")
    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"].startswith("SYNTAX_ERROR: line 1:")
    assert execution["Status"]["AthenaError"]["ErrorCategory"] == 2
    with pytest.raises(ClientError, match="FAILED"):
        athena.get_query_results(QueryExecutionId=execution["QueryExecutionId"])


@pytest.mark.parametrize(
    "sql, reason",
    [
        ("SELECT nosuchcolumn FROM cloudtrail_logs", "COLUMN_NOT_FOUND: line 1:1: Column 'nosuchcolumn' cannot be resolved"),
        ("SELECT 1 FROM nosuchtable", "TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.cloudaudit.nosuchtable' does not exist"),
    ],
)
def test_unknown_names_fail_the_query(lake, sql, reason):
    athena = lake[0]
    execution = run(athena, sql)
    assert execution["Status"]["State"] == "FAILED"
    assert execution["Status"]["StateChangeReason"].startswith(reason)


def test_bytes_scanned_cutoff_fails_the_query(lake, aws):
    athena, sizes = lake
    noise = base64.b64encode(os.urandom(6_000_000)).decode()
    s3b = aws.client("s3", account=B)
    for region in ("us-east-1", "eu-west-1"):
        put_log_file(s3b, BUCKET, "org", A, region, NOW, [record("PutObject", NOW, A, region, additionalEventData={"noise": noise})])
    capped = {"ResultConfiguration": {"OutputLocation": f"s3://{RESULTS}/capped/"}, "BytesScannedCutoffPerQuery": 10_000_000}
    athena.create_work_group(Name="capped", Configuration=capped)
    small = run(athena, f"SELECT count(*) FROM cloudtrail_logs WHERE day = '{day(NOW)}' AND region = 'eu-west-1'", workgroup="capped")
    assert small["Status"]["State"] == "SUCCEEDED"
    assert 6_000_000 < small["Statistics"]["DataScannedInBytes"] < 10_000_000
    big = run(athena, f"SELECT count(*) FROM cloudtrail_logs WHERE day = '{day(NOW)}'", workgroup="capped")
    assert big["Status"]["State"] == "FAILED"
    assert big["Status"]["StateChangeReason"] == "Query cancelled! : Bytes scanned limit was exceeded"
    with pytest.raises(ClientError):
        athena.get_query_results(QueryExecutionId=big["QueryExecutionId"])


def test_paging_with_max_results_two(lake):
    athena = lake[0]
    execution = run(athena, "SELECT useridentity.username AS u FROM cloudtrail_logs ORDER BY u")
    qid = execution["QueryExecutionId"]
    pages, token = [], None
    while True:
        answer = athena.get_query_results(QueryExecutionId=qid, MaxResults=2, **({"NextToken": token} if token else {}))
        pages.append([[d.get("VarCharValue") for d in r["Data"]] for r in answer["ResultSet"]["Rows"]])
        token = answer.get("NextToken")
        if not token:
            break
    assert pages == [[["u"], ["alice"]], [["bob"], ["carol"]], [["dave"], ["dave"]], [["erin"]]]
    paginator = athena.get_paginator("get_query_results")
    paginated = [r for page in paginator.paginate(QueryExecutionId=qid, PaginationConfig={"PageSize": 2}) for r in page["ResultSet"]["Rows"]]
    assert len(paginated) == 7


def test_enforced_workgroup_output_wins_and_csv_is_written_encrypted(lake, aws):
    athena = lake[0]
    execution = run(athena, f"SELECT eventname FROM cloudtrail_logs WHERE day = '{day(D0)}'", ResultConfiguration={"OutputLocation": f"s3://{RESULTS}/mine/"})
    qid = execution["QueryExecutionId"]
    assert execution["ResultConfiguration"]["OutputLocation"] == f"s3://{RESULTS}/queries/{qid}.csv"
    obj = aws.client("s3").get_object(Bucket=RESULTS, Key=f"queries/{qid}.csv")
    assert obj["Body"].read().decode() == '"eventname"\n"StopLogging"\n'
    assert obj["ServerSideEncryption"] == "AES256"


def test_without_any_output_location_the_query_is_refused(lake):
    athena = lake[0]
    with pytest.raises(ClientError, match="No output location provided"):
        athena.start_query_execution(QueryString="SELECT 1", WorkGroup="primary")


def test_ddl_is_still_moto_s(lake):
    athena = lake[0]
    execution = run(athena, "CREATE DATABASE other", ResultConfiguration={"OutputLocation": f"s3://{RESULTS}/ddl/"})
    assert execution["Status"]["State"] == "SUCCEEDED"


def test_every_overridden_handler_is_shape_checked():
    from tests.emulator.extensions import athena_engine

    assert {name: getattr(fn, "shape_checked", None) for name, fn in athena_engine.HANDLERS.items()} == {
        "start_query_execution": ("athena", "StartQueryExecution"),
        "get_query_execution": ("athena", "GetQueryExecution"),
        "get_query_results": ("athena", "GetQueryResults"),
        "list_query_executions": ("athena", "ListQueryExecutions"),
    }


def test_an_unknown_query_id_is_refused(lake):
    athena = lake[0]
    with pytest.raises(ClientError, match="was not found"):
        athena.get_query_execution(QueryExecutionId="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ClientError, match="was not found"):
        athena.get_query_results(QueryExecutionId="00000000-0000-0000-0000-000000000000")
