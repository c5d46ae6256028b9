"""The s3_audit_bucket Resources through the pipeline with a stub bucket (no AWS): reads, guards, check mode."""

from __future__ import annotations

import pytest

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._aws import s3
from ansible_collections.cloudaudit.aws.plugins.module_utils._s3 import ensure

from .test_model import params


class StubBucket:
    """Answers reads from a dict, records the name of every _aws.s3 call; exists=False raises BucketNotFound."""

    def __init__(self, exists=True, payer="BucketOwner", versions=0, name_taken=False, answers=None):
        self.name = "audit-logs"
        self.answers = answers or {}
        self.expected_owner = None
        self.exists = exists
        self.payer = payer
        self.versions = versions
        self.name_taken = name_taken
        self.calls = []

    def call(self, wrapper, *args):
        name = wrapper.__name__
        self.calls.append(name)
        if name.startswith(("get_", "list_")) and not self.exists:
            raise s3.BucketNotFound(self.name)
        if name == "list_object_versions":
            return [{"Key": f"k{i}", "VersionId": "v"} for i in range(self.versions)]
        return {"get_bucket_request_payment": self.payer, "get_bucket_versioning": {}, **self.answers}.get(name)

    def create(self, region, object_lock):
        self.calls.append("create")
        if self.name_taken:
            raise s3.BucketNameTaken(self.name)


class StubModule:
    def __init__(self, p, check_mode=False):
        self.params = p
        self.check_mode = check_mode
        self._diff = True
        self.region = "eu-west-1"
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


@pytest.fixture
def stub(monkeypatch):
    holder = {}

    def install(bucket):
        holder["bucket"] = bucket
        monkeypatch.setattr(ensure, "bucket_handle", lambda ctx: bucket)
        return bucket

    return install


def writes(bucket):
    return [c for c in bucket.calls if not c.startswith(("get_", "list_"))]


def test_reads_only_managed_settings(stub):
    bucket = stub(StubBucket())
    ensure.ensure(StubModule(params(), check_mode=True))
    reads = sorted(c for c in bucket.calls if c.startswith("get_"))
    assert reads == [
        "get_bucket_encryption",
        "get_bucket_ownership_controls",
        "get_bucket_policy",
        "get_bucket_request_payment",
        "get_bucket_versioning",
        "get_public_access_block",
    ]
    assert writes(bucket) == []


def test_check_mode_create_makes_no_call_but_predicts(stub):
    bucket = stub(StubBucket(exists=False))
    result = ensure.ensure(StubModule(params(tags={"a": "b"}), check_mode=True))
    assert result["changed"] and writes(bucket) == []
    assert "get_bucket_request_payment" not in bucket.calls
    assert result["bucket"]["region"] == "eu-west-1" and result["bucket"]["tags"] == {"a": "b"}
    assert result["diff"]["before"] == {}


def test_apply_create_writes_in_order(stub):
    bucket = stub(StubBucket(exists=False))
    ensure.ensure(StubModule(params()))
    assert writes(bucket) == [
        "create",
        "put_bucket_ownership_controls",
        "put_public_access_block",
        "put_bucket_versioning",
        "put_bucket_encryption",
        "put_bucket_policy",
    ]


def test_requester_pays_is_refused_before_any_write(stub):
    bucket = stub(StubBucket(payer="Requester"))
    with pytest.raises(CloudAuditError, match="Requester Pays"):
        ensure.ensure(StubModule(params()))
    assert writes(bucket) == []


def test_name_taken_by_another_account(stub):
    stub(StubBucket(exists=False, name_taken=True))
    with pytest.raises(CloudAuditError) as e:
        ensure.ensure(StubModule(params()))
    assert e.value.option == "name" and "taken by another account" in e.value.msg


def test_absent_refuses_a_bucket_with_logs(stub):
    bucket = stub(StubBucket(versions=3))
    with pytest.raises(CloudAuditError) as e:
        ensure.ensure(StubModule(params(state="absent")))
    assert e.value.option == "force_delete_logs" and e.value.details == {"object_versions": 3}
    assert writes(bucket) == []


def test_absent_force_empties_in_batches_then_deletes(stub, monkeypatch):
    monkeypatch.setattr(s3, "DELETE_BATCH", 2)
    bucket = stub(StubBucket(versions=5))
    result = ensure.ensure(StubModule(params(state="absent", force_delete_logs=True)))
    assert writes(bucket) == ["delete_objects", "delete_objects", "delete_objects", "delete_bucket"]
    assert result["changed"] and result["deleted_objects"] == 5


def test_absent_check_mode_and_missing_bucket(stub):
    bucket = stub(StubBucket(versions=5))
    result = ensure.ensure(StubModule(params(state="absent", force_delete_logs=True), check_mode=True))
    assert result["changed"] and writes(bucket) == []
    stub(StubBucket(exists=False))
    assert ensure.ensure(StubModule(params(state="absent")))["changed"] is False


def test_absent_check_mode_reports_the_guarded_deletion_with_a_warning(stub):
    bucket = stub(StubBucket(versions=3))
    module = StubModule(params(state="absent"), check_mode=True)
    result = ensure.ensure(module)
    assert result["changed"] and result["deleted_objects"] == 3 and writes(bucket) == []
    assert result["diff"] == {"before": {"name": "audit-logs", "exists": True, "object_versions": 3}, "after": {"name": "audit-logs", "exists": False}}
    assert len(module.warnings) == 1 and "force_delete_logs" in module.warnings[0]


SHORTER = params(lifecycle_rules=[{"id": "r", "expiration_days": 100}])
LIFECYCLE_365 = {"get_bucket_lifecycle_configuration": {"Rules": [{"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 365}}]}}


def test_retention_decrease_is_refused_before_any_read_of_requester_pays_or_write(stub):
    bucket = stub(StubBucket(answers=LIFECYCLE_365))
    with pytest.raises(CloudAuditError) as e:
        ensure.ensure(StubModule(SHORTER))
    assert e.value.option == "lifecycle_rules" and e.value.details == {"retention_decreases": ["rule 'r' expiration_days 365 -> 100"]}
    assert "allow_retention_decrease" in e.value.msg
    assert writes(bucket) == [] and "get_bucket_request_payment" not in bucket.calls


def test_retention_decrease_in_check_mode_is_the_drift_with_a_warning(stub):
    bucket = stub(StubBucket(answers=LIFECYCLE_365))
    module = StubModule(SHORTER, check_mode=True)
    result = ensure.ensure(module)
    assert result["changed"] and writes(bucket) == []
    assert "lifecycle_rules" in [c["setting"] for c in result["changes"]]
    assert result["diff"]["after"]["lifecycle_rules"][0]["expiration_days"] == 100
    assert len(module.warnings) == 1 and "allow_retention_decrease" in module.warnings[0]


def test_requester_pays_is_refused_in_check_mode_too(stub):
    bucket = stub(StubBucket(payer="Requester", answers=LIFECYCLE_365))
    with pytest.raises(CloudAuditError, match="Requester Pays"):
        ensure.ensure(StubModule(SHORTER, check_mode=True))
    assert writes(bucket) == []
