"""Import model: validation, request, idempotency matching, normalisation, failure message."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._lake import imports_model as model

ARN = "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/abc"
ROLE = "arn:aws:iam::123456789012:role/import"


def params(**overrides):
    base = dict(
        destination="audit",
        source="s3://audit-logs/AWSLogs/123456789012/CloudTrail/",
        source_region="us-east-1",
        access_role_arn=ROLE,
        start_time="2026-01-01T00:00:00Z",
        end_time="2026-02-01T00:00:00Z",
        wait=False,
        wait_timeout=1800,
    )
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    "overrides, option",
    [
        ({"destination": "x"}, "destination"),
        ({"source": "audit-logs/prefix"}, "source"),
        ({"source": "s3://"}, "source"),
        ({"source_region": "mars"}, "source_region"),
        ({"access_role_arn": "arn:aws:iam::123456789012:user/bob"}, "access_role_arn"),
        ({"start_time": "-7d"}, "start_time"),
        ({"end_time": "yesterday"}, "end_time"),
        ({"start_time": "2026-03-01T00:00:00Z"}, "start_time"),
        ({"wait_timeout": 0}, "wait_timeout"),
    ],
)
def test_invalid(overrides, option):
    with pytest.raises(CloudAuditError) as error:
        model.validate(params(**overrides))
    assert error.value.option == option


def test_source_region_defaults_to_the_module_region():
    assert model.validate(params(source_region=None), "eu-west-1")["source_region"] == "eu-west-1"
    with pytest.raises(CloudAuditError) as error:
        model.validate(params(source_region=None))
    assert error.value.option == "source_region"


def test_start_request():
    desired = model.validate(params())
    assert model.start_request(desired, ARN) == {
        "Destinations": [ARN],
        "ImportSource": {
            "S3": {"S3LocationUri": "s3://audit-logs/AWSLogs/123456789012/CloudTrail/", "S3BucketRegion": "us-east-1", "S3BucketAccessRoleArn": ROLE}
        },
        "StartEventTime": datetime(2026, 1, 1, tzinfo=timezone.utc),
        "EndEventTime": datetime(2026, 2, 1, tzinfo=timezone.utc),
    }
    no_window = model.start_request(model.validate(params(start_time=None, end_time=None)), ARN)
    assert "StartEventTime" not in no_window and "EndEventTime" not in no_window


def existing(**overrides):
    answer = {
        "ImportId": "i-1",
        "Destinations": [ARN],
        "ImportSource": {
            "S3": {"S3LocationUri": "s3://audit-logs/AWSLogs/123456789012/CloudTrail", "S3BucketRegion": "us-east-1", "S3BucketAccessRoleArn": ROLE}
        },
        "StartEventTime": datetime(2026, 1, 1, tzinfo=timezone.utc),
        "EndEventTime": datetime(2026, 2, 1, tzinfo=timezone.utc),
        "ImportStatus": "COMPLETED",
        "ImportStatistics": {"PrefixesFound": 1, "PrefixesCompleted": 1, "FilesCompleted": 2, "EventsCompleted": 10, "FailedEntries": 0},
    }
    answer.update(overrides)
    return answer


def test_matching_same_destination_source_and_window():
    desired = model.validate(params())
    assert model.matches(existing(), desired, ARN)
    assert not model.matches(existing(), desired, ARN + "x")
    assert not model.matches(existing(ImportSource={"S3": {"S3LocationUri": "s3://other/"}}), desired, ARN)
    assert not model.matches(existing(EndEventTime=datetime(2026, 3, 1, tzinfo=timezone.utc)), desired, ARN)
    assert not model.matches(existing(), model.validate(params(start_time=None)), ARN)
    assert model.matches(existing(StartEventTime=None, EndEventTime=None), model.validate(params(start_time=None, end_time=None)), ARN)


def test_candidates_in_progress_or_completed_newest_first():
    imports = [
        {"ImportId": "old", "ImportStatus": "COMPLETED", "CreatedTimestamp": datetime(2026, 1, 1)},
        {"ImportId": "failed", "ImportStatus": "FAILED", "CreatedTimestamp": datetime(2026, 1, 3)},
        {"ImportId": "new", "ImportStatus": "IN_PROGRESS", "CreatedTimestamp": datetime(2026, 1, 2)},
        {"ImportId": "stopped", "ImportStatus": "STOPPED", "CreatedTimestamp": datetime(2026, 1, 4)},
    ]
    assert model.candidates(imports) == ["new", "old"]


def test_normalize_and_predicted():
    state = model.normalize(existing())
    assert state["import_id"] == "i-1" and state["status"] == "COMPLETED"
    assert state["statistics"] == {"prefixes_found": 1, "prefixes_completed": 1, "files_completed": 2, "events_completed": 10, "failed_entries": 0}
    assert state["start_time"] == "2026-01-01T00:00:00+00:00"
    predicted = model.predicted(model.validate(params()), ARN)
    assert predicted["import_id"] is None and predicted["status"] == "INITIALIZING" and predicted["destinations"] == [ARN]


def test_poll_delay_and_failure_message():
    assert model.poll_delay(1800) == 30 and model.poll_delay(30) == 1 and model.poll_delay(600) == 10
    failures = [{"Location": "s3://b", "ErrorType": "S3BucketNotFound", "ErrorMessage": "no bucket"}]
    message = model.failure_message({"import_id": "i-1", "status": "FAILED"}, failures)
    assert message == "import i-1 ended FAILED: s3://b: S3BucketNotFound: no bucket"
    assert "no failure" in model.failure_message({"import_id": "i-1", "status": "STOPPED"}, [])
