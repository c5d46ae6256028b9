"""History search: validation, the SQL (quoting, partition restriction), result rows -> events, failures."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
import sqlglot
from sqlglot import exp

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._history import model

NOW = datetime(2026, 11, 23, 12, 0, 0, tzinfo=timezone.utc)


def search(**params):
    return model.validate(params, NOW)


def where_of(sql: str) -> list[exp.Expression]:
    """The top-level conjuncts of the query, parsed as Athena (Trino) parses it."""
    tree = sqlglot.parse_one(sql, read="trino")
    condition = tree.args["where"].this
    return list(condition.flatten()) if isinstance(condition, exp.And) else [condition]


def strings(sql: str) -> list[str]:
    return [lit.this for lit in sqlglot.parse_one(sql, read="trino").find_all(exp.Literal) if lit.is_string]


@pytest.mark.parametrize(
    "value",
    ["alice' OR '1'='1", "x\\' OR 1=1 --", "'); DROP TABLE cloudtrail_logs; --", "a''b", "ünïcødé\"quote", "trailing\\"],
)
def test_every_value_stays_one_string_literal(value):
    sql = model.build_query(search(username=[value], event_name=[value], resource_name=[value]))
    conjuncts = where_of(sql)
    # account/region absent: day, eventtime x2, event name, username, resource name
    assert len(conjuncts) == 6
    assert value in strings(sql)
    assert sqlglot.parse_one(sql, read="trino").find(exp.Drop) is None


def test_literal_doubles_quotes_only():
    assert model.literal("it's") == "'it''s'"
    assert model.literal("back\\slash") == "'back\\slash'"


def test_partitions_restrict_accounts_regions_and_days():
    window = dict(start_time="2026-11-20T23:00:00Z", end_time="2026-11-22T01:00:00Z")
    sql = model.build_query(search(accounts=["111111111111", "222222222222"], regions=["us-east-1"], **window))
    conjuncts = [c.sql(dialect="trino") for c in where_of(sql)]
    assert conjuncts[:5] == [
        "account IN ('111111111111', '222222222222')",
        "region IN ('us-east-1')",
        "day BETWEEN '2026/11/20' AND '2026/11/23'",  # the day after the window: files delivered after midnight
        "eventtime >= '2026-11-20T23:00:00Z'",
        "eventtime <= '2026-11-22T01:00:00Z'",
    ]
    assert "ORDER BY eventtime DESC" in sql and sql.endswith("LIMIT 1001")


def test_defaults_window_of_seven_days_every_account_and_region():
    s = search()
    assert (s["start"], s["end"]) == (datetime(2026, 11, 16, 12, tzinfo=timezone.utc), NOW)
    assert (s["database"], s["table"], s["workgroup"], s["max_results"], s["timeout"]) == ("cloudaudit", "cloudtrail_logs", "cloudaudit", 1000, 300)
    conjuncts = [c.sql(dialect="trino") for c in where_of(model.build_query(s))]
    assert not any(c.startswith(("account", "region")) for c in conjuncts)
    assert '"cloudaudit"."cloudtrail_logs"' in model.build_query(s)


def test_filters_become_conditions():
    filters = dict(event_source=["s3.amazonaws.com"], access_key_id=["AKIA1"], event_id=["e-1"], resource_type=["AWS::S3::Bucket"], read_only=True)
    sql = model.build_query(search(**filters))
    conjuncts = [c.sql(dialect="trino") for c in where_of(sql)]
    assert "eventsource IN ('s3.amazonaws.com')" in conjuncts
    assert "useridentity.accesskeyid IN ('AKIA1')" in conjuncts
    assert "eventid IN ('e-1')" in conjuncts
    assert "readonly = 'true'" in conjuncts
    assert any("filter(resources" in c.lower() and "'AWS::S3::Bucket'" in c for c in conjuncts)


@pytest.mark.parametrize(
    "params, option",
    [
        ({"accounts": ["12345"]}, "accounts"),
        ({"regions": ["moon-1"]}, "regions"),
        ({"database": "x; drop"}, "database"),
        ({"table": "a.b"}, "table"),
        ({"workgroup": "bad name"}, "workgroup"),
        ({"max_results": 0}, "max_results"),
        ({"timeout": 0}, "timeout"),
        ({"event_name": ["x" * 2001]}, "event_name"),
        ({"username": ["nul\x00"]}, "username"),
        ({"start_time": "yesterday"}, "start_time"),
        ({"start_time": "-1d", "end_time": "-2d"}, "start_time"),
    ],
)
def test_bad_input_names_the_option(params, option):
    with pytest.raises(CloudAuditError) as e:
        search(**params)
    assert e.value.option == option


def row(**values):
    header = list(model.SCALAR_COLUMNS) + list(model.PARTITION_COLUMNS) + [f"{c}_json" for c in model.JSON_COLUMNS]
    return header, [values.get(h) for h in header]


def test_rows_become_events_of_the_events_info_shape():
    identity = {
        "type": "AssumedRole", "arn": "arn:aws:sts::111111111111:assumed-role/Admin/bob", "accountid": "111111111111", "accesskeyid": "ASIA1", "username": None,
    }
    resources = [{"arn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/t", "accountid": "111111111111", "type": "AWS::CloudTrail::Trail"}]
    header, values = row(
        eventid="e-1", eventname="StopLogging", eventsource="cloudtrail.amazonaws.com", eventtime="2026-11-20T10:00:00Z", readonly="false",
        awsregion="us-east-1", recipientaccountid="111111111111", requestparameters='{"name":"t"}', account="111111111111", region="us-east-1",
        useridentity_json=json.dumps(identity), resources_json=json.dumps(resources),
    )
    more = [header, values, values]
    found, truncated = model.events(more, max_results=1)
    assert truncated is True and len(found) == 1
    event = found[0]
    assert {k: v for k, v in event.items() if k != "cloud_trail_event"} == {
        "event_id": "e-1", "event_name": "StopLogging", "event_source": "cloudtrail.amazonaws.com", "event_time": "2026-11-20T10:00:00+00:00",
        "read_only": "false", "username": "bob", "access_key_id": "ASIA1",
        "resources": [{"resource_type": "AWS::CloudTrail::Trail", "resource_name": "arn:aws:cloudtrail:us-east-1:111111111111:trail/t"}],
        "region": "us-east-1", "account": "111111111111",
    }
    record = event["cloud_trail_event"]
    assert record["userIdentity"] == {"type": "AssumedRole", "arn": identity["arn"], "accountId": "111111111111", "accessKeyId": "ASIA1"}
    assert record["requestParameters"] == {"name": "t"} and record["readOnly"] is False and record["eventID"] == "e-1"
    assert record["resources"][0]["ARN"] == resources[0]["arn"]
    assert model.events([header], 5) == ([], False)


def test_failures():
    ok = {"QueryExecutionId": "q", "Status": {"State": "SUCCEEDED"}}
    assert model.failure(ok, "wg", 10) is None
    cancelled = {"State": "FAILED", "StateChangeReason": "Query cancelled! : Bytes scanned limit was exceeded"}
    cut = model.failure({"QueryExecutionId": "q", "Status": cancelled}, "wg", 10)
    assert cut.option == "workgroup" and "BytesScannedCutoffPerQuery" in cut.msg and "'wg'" in cut.msg
    syntax = model.failure({"QueryExecutionId": "q", "Status": {"State": "FAILED", "StateChangeReason": "SYNTAX_ERROR: line 1:8: x"}}, "wg", 10)
    assert syntax.msg == "the Athena query q FAILED: SYNTAX_ERROR: line 1:8: x" and syntax.details["reason"].startswith("SYNTAX_ERROR")
    late = model.failure({"QueryExecutionId": "q", "Status": {"State": "RUNNING"}}, "wg", 10)
    assert late.option == "timeout" and "within 10 seconds" in late.msg
