"""_aws.athena: waiting with a growing delay, paging results (stub client, no AWS)."""

from __future__ import annotations

from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import athena


class Client:
    def __init__(self, states):
        self.states = list(states)
        self.calls = 0

    def get_query_execution(self, QueryExecutionId):
        self.calls += 1
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        return {"QueryExecution": {"QueryExecutionId": QueryExecutionId, "Status": {"State": state}}}

    def get_paginator(self, name):
        assert name == "get_query_results"

        class Pages:
            def paginate(self, QueryExecutionId, PaginationConfig):
                rows = [{"Data": [{"VarCharValue": "a"}]}, {"Data": [{"VarCharValue": "1"}]}]
                yield {"ResultSet": {"Rows": rows, "ResultSetMetadata": {"ColumnInfo": [{"Name": "a"}]}}}
                yield {"ResultSet": {"Rows": [{"Data": [{}]}]}}

        return Pages()


class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_waits_with_a_growing_delay_until_done():
    clock, client = Clock(), Client(["QUEUED", "RUNNING", "RUNNING", "RUNNING", "SUCCEEDED"])
    execution = athena.wait_query_done(client, "q", timeout=60, sleep=clock.sleep, clock=lambda: clock.now)
    assert execution["Status"]["State"] == "SUCCEEDED"
    assert clock.sleeps == [0.25, 0.5, 1.0, 2.0]


def test_gives_up_at_the_timeout_with_the_execution_as_it_is():
    clock, client = Clock(), Client(["RUNNING"])
    execution = athena.wait_query_done(client, "q", timeout=12, sleep=clock.sleep, clock=lambda: clock.now)
    assert execution["Status"]["State"] == "RUNNING"
    assert clock.sleeps == [0.25, 0.5, 1.0, 2.0, 4.0, 4.25]  # doubling, the last one cut to the time left


def test_results_keep_the_header_row_and_nulls():
    columns, rows = athena.get_query_results(Client(["SUCCEEDED"]), "q")
    assert columns == [{"Name": "a"}]
    assert rows == [["a"], ["1"], [None]]
