"""CloudTrail log and digest delivery (extensions/delivery.py): files appear where and as AWS writes them."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import time

import boto3
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from tests.emulator.tests.test_corrections_cloudtrail import make_bucket, trail_bucket_policy
from tests.emulator.tests.test_corrections_organizations import organization

ACCOUNT = "123456789012"
HOME = "us-east-1"
OTHER = "eu-west-1"
BUCKET = "trail-logs"
LOG_KEY = re.compile(
    r"^(?:(?P<prefix>.+)/)?AWSLogs/(?P<owner>[\w/-]+)/CloudTrail/(?P<region>[a-z0-9-]+)/\d{4}/\d{2}/\d{2}/"
    r"(?P<acct>\d{12})_CloudTrail_(?P=region)_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$"
)
DIGEST_KEY = re.compile(
    r"^(?:.+/)?AWSLogs/[\w/-]+/CloudTrail-Digest/(?P<region>[a-z0-9-]+)/\d{4}/\d{2}/\d{2}/"
    r"(?P<acct>\d{12})_CloudTrail-Digest_(?P=region)_(?P<trail>[\w.-]+)_(?P=region)_\d{8}T\d{6}Z\.json\.gz$"
)


def _keys(s3, prefix: str = "", bucket: str = BUCKET) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []))


def _records(s3, key: str, bucket: str = BUCKET) -> list[dict]:
    return json.loads(gzip.decompress(s3.get_object(Bucket=bucket, Key=key)["Body"].read()))["Records"]


def _user_client(aws, service: str, user: str, region: str = HOME):
    """A client acting as IAM user `user` of the default account (its own access key)."""
    iam = aws.client("iam")
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    return boto3.client(service, region_name=region, endpoint_url=aws.url, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])


def _trail(aws, name: str = "audit", region: str = HOME, **kwargs) -> str:
    ct = aws.client("cloudtrail", region=region)
    arn = ct.create_trail(Name=name, S3BucketName=kwargs.pop("bucket", BUCKET), **kwargs)["TrailARN"]
    ct.start_logging(Name=name)
    return arn


# 1. Log files at AWS's keys, with the events recorded (who stopped logging)
def test_log_file_holds_the_recorded_events_at_the_aws_key(aws):
    make_bucket(aws, paths=[f"audit/AWSLogs/{ACCOUNT}/*"])
    _trail(aws, S3KeyPrefix="audit")
    _user_client(aws, "cloudtrail", "mallory").stop_logging(Name="audit")
    s3 = aws.client("s3")
    assert _keys(s3) == []  # nothing until CloudTrail delivers
    flushed = aws.emulator.flush_delivery()
    (key,) = _keys(s3)
    assert flushed["trails"][0]["log_files"] == [key]
    match = LOG_KEY.match(key)
    assert match and (match["prefix"], match["owner"], match["region"], match["acct"]) == ("audit", ACCOUNT, HOME, ACCOUNT)
    records = _records(s3, key)
    stop = [r for r in records if r["eventName"] == "StopLogging"]
    assert len(stop) == 1 and stop[0]["userIdentity"]["userName"] == "mallory" and stop[0]["userIdentity"]["type"] == "IAMUser"
    assert stop[0]["requestParameters"] == {"name": "audit"} and stop[0]["readOnly"] is False
    assert "CreateUser" in {r["eventName"] for r in records}  # IAM (global) events of the home region
    assert "CreateTrail" not in {r["eventName"] for r in records}  # before StartLogging: not recorded by this trail
    # The trail is stopped and everything it recorded is delivered: a second flush writes nothing.
    aws.client("cloudtrail").list_trails()
    assert aws.emulator.flush_delivery() == {"trails": []}
    assert len(_keys(s3)) == 1
    status = aws.client("cloudtrail").get_trail_status(Name="audit")
    assert status["LatestDeliveryTime"] and status["LatestDeliveryAttemptSucceeded"] and "LatestDeliveryError" not in status


def test_multi_region_trails_deliver_every_region_single_region_trails_their_own(aws):
    make_bucket(aws)
    _trail(aws, "multi", IsMultiRegionTrail=True)
    _trail(aws, "single")
    mark = aws.emulator.flush_delivery()  # deliver the set-up calls first
    assert {t["trail"].rsplit("/", 1)[1] for t in mark["trails"]} == {"multi", "single"}
    s3 = aws.client("s3")
    aws.client("logs", region=OTHER).create_log_group(logGroupName="elsewhere")
    written = {t["trail"].rsplit("/", 1)[1]: t["log_files"] for t in aws.emulator.flush_delivery()["trails"]}
    assert written["single"] == []  # the set-up calls were delivered, the new one is in another region
    new = [k for k in written["multi"] if LOG_KEY.match(k)["region"] == OTHER]
    assert len(new) == 1 and len(written["multi"]) == 1
    assert [r["eventName"] for r in _records(s3, new[0])] == ["CreateLogGroup"]
    assert _records(s3, new[0])[0]["awsRegion"] == OTHER


def test_event_selectors_choose_what_is_delivered(aws):
    make_bucket(aws)
    ct = aws.client("cloudtrail")
    ct.create_trail(Name="writes", S3BucketName=BUCKET)
    ct.put_event_selectors(TrailName="writes", EventSelectors=[{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}])
    ct.create_trail(Name="objects", S3BucketName=BUCKET)
    ct.put_event_selectors(
        TrailName="objects",
        EventSelectors=[
            {"ReadWriteType": "All", "IncludeManagementEvents": False, "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::data/"]}]}
        ],
    )
    ct.start_logging(Name="writes")
    ct.start_logging(Name="objects")
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="data")
    s3.put_object(Bucket="data", Key="a.txt", Body=b"x")
    s3.list_buckets()
    result = {t["trail"].rsplit("/", 1)[1]: t["log_files"] for t in aws.emulator.flush_delivery()["trails"]}
    writes = _records(s3, result["writes"][0])
    assert all(r["readOnly"] is False for r in writes) and {"CreateBucket", "StartLogging"} <= {r["eventName"] for r in writes}
    assert "ListBuckets" not in {r["eventName"] for r in writes} and "PutObject" not in {r["eventName"] for r in writes}
    objects = _records(s3, result["objects"][0])
    assert [(r["eventName"], r["eventCategory"], r["managementEvent"]) for r in objects] == [("PutObject", "Data", False)]
    assert objects[0]["resources"] == [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::data/a.txt"}]


# 2. Organization trails: every member's events, under AWSLogs/<org-id>/<account>/
def test_organization_trail_delivers_members_events_under_the_org_id(aws):
    org_id, (member,) = organization(aws, members=1)
    make_bucket(aws, "org-logs", paths=[f"AWSLogs/{ACCOUNT}/*", f"AWSLogs/{org_id}/*"])
    _trail(aws, "org", bucket="org-logs", IsOrganizationTrail=True, IsMultiRegionTrail=True)
    aws.client("logs", account=member).create_log_group(logGroupName="member-group")
    aws.emulator.flush_delivery()
    s3 = aws.client("s3")
    member_keys = _keys(s3, f"AWSLogs/{org_id}/{member}/", bucket="org-logs")
    assert len(member_keys) == 1 and LOG_KEY.match(member_keys[0])["acct"] == member
    records = _records(s3, member_keys[0], bucket="org-logs")
    assert "CreateLogGroup" in {r["eventName"] for r in records} and {r["recipientAccountId"] for r in records} == {member}
    assert _keys(s3, f"AWSLogs/{org_id}/{ACCOUNT}/CloudTrail/", bucket="org-logs")  # the management account's own events
    assert _keys(s3, f"AWSLogs/{ACCOUNT}/", bucket="org-logs") == []


def test_central_bucket_in_another_account(aws):
    _org, (logging_account,) = organization(aws, members=1)
    make_bucket(aws, "central-logs", paths=[f"AWSLogs/{ACCOUNT}/*"], account=logging_account)
    _trail(aws, "to-central", bucket="central-logs")
    aws.emulator.flush_delivery()
    assert _keys(aws.client("s3", account=logging_account), f"AWSLogs/{ACCOUNT}/CloudTrail/{HOME}/", bucket="central-logs")


# 3. SSE-KMS with the trail's key
def test_log_files_are_encrypted_with_the_trails_kms_key(aws):
    make_bucket(aws)
    key_arn = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    _trail(aws, KmsKeyId=key_arn)
    aws.emulator.flush_delivery()
    s3 = aws.client("s3")
    (key,) = _keys(s3)
    head = s3.head_object(Bucket=BUCKET, Key=key)
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", key_arn)


# 4. The bucket policy decides: refused -> no file and LatestDeliveryError
def test_a_bucket_policy_that_does_not_allow_cloudtrail_stops_delivery(aws):
    make_bucket(aws)
    _trail(aws)
    s3 = aws.client("s3")
    ct = aws.client("cloudtrail")
    deny = [
        {
            "Effect": "Deny",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        }
    ]
    s3.put_bucket_policy(Bucket=BUCKET, Policy=trail_bucket_policy(BUCKET, [f"AWSLogs/{ACCOUNT}/*"], extra=deny))
    assert aws.emulator.flush_delivery()["trails"][0]["errors"] == ["AccessDenied"]
    assert _keys(s3) == []
    status = ct.get_trail_status(Name="audit")
    assert status["LatestDeliveryError"] == "AccessDenied" and status["LatestDeliveryAttemptTime"]
    assert "LatestDeliveryTime" not in status and status["LatestDeliveryAttemptSucceeded"] == ""
    # A policy for another trail (aws:SourceArn) does not admit this one either.
    other = trail_bucket_policy(BUCKET, [f"AWSLogs/{ACCOUNT}/*"])
    other_doc = json.loads(other)
    other_doc["Statement"][1]["Condition"]["StringEquals"]["aws:SourceArn"] = f"arn:aws:cloudtrail:{HOME}:{ACCOUNT}:trail/someone-else"
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(other_doc))
    assert aws.emulator.flush_delivery()["trails"][0]["errors"] == ["AccessDenied"]
    # The documented policy: delivered, with the events that waited since the refusals.
    s3.put_bucket_policy(Bucket=BUCKET, Policy=trail_bucket_policy(BUCKET, [f"AWSLogs/{ACCOUNT}/*"]))
    aws.emulator.flush_delivery()
    (key,) = _keys(s3)
    assert "StartLogging" in {r["eventName"] for r in _records(s3, key)}
    status = ct.get_trail_status(Name="audit")
    assert "LatestDeliveryError" not in status and status["LatestDeliveryTime"]
    # A missing bucket: NoSuchBucket.
    s3.delete_object(Bucket=BUCKET, Key=key)
    s3.delete_bucket(Bucket=BUCKET)
    assert aws.emulator.flush_delivery()["trails"][0]["errors"] == ["NoSuchBucket"]
    assert ct.get_trail_status(Name="audit")["LatestDeliveryError"] == "NoSuchBucket"


def test_a_policy_for_another_path_is_refused(aws):
    make_bucket(aws, paths=[f"other/AWSLogs/{ACCOUNT}/*"])
    aws.client("s3").put_bucket_policy(Bucket=BUCKET, Policy=trail_bucket_policy(BUCKET, [f"AWSLogs/{ACCOUNT}/*"]))
    _trail(aws)
    aws.client("s3").put_bucket_policy(Bucket=BUCKET, Policy=trail_bucket_policy(BUCKET, [f"other/AWSLogs/{ACCOUNT}/*"]))
    assert aws.emulator.flush_delivery()["trails"][0]["errors"] == ["AccessDenied"]
    assert _keys(aws.client("s3")) == []


# 5. Digest files: chained, signed with the region's key that ListPublicKeys returns
def _digest(s3, key: str) -> tuple[bytes, dict, dict]:
    obj = s3.get_object(Bucket=BUCKET, Key=key)
    raw = gzip.decompress(obj["Body"].read())
    return raw, json.loads(raw), obj["Metadata"]


def _verify(public_der: bytes, digest: dict, raw: bytes, signature_hex: str) -> None:
    path = f"{digest['digestS3Bucket']}/{digest['digestS3Object']}"
    to_sign = "\n".join([digest["digestEndTime"], path, hashlib.sha256(raw).hexdigest(), digest["previousDigestSignature"] or "null"])
    public = serialization.load_der_public_key(public_der)
    public.verify(bytes.fromhex(signature_hex), to_sign.encode(), padding.PKCS1v15(), hashes.SHA256())  # raises if invalid


def test_digest_chain_and_signatures(aws):
    make_bucket(aws)
    _trail(aws, EnableLogFileValidation=True)
    s3 = aws.client("s3")
    first = aws.emulator.flush_delivery()["trails"][0]
    assert len(first["log_files"]) == 1 and len(first["digest_files"]) == 1
    time.sleep(1.1)
    second = aws.emulator.flush_delivery()["trails"][0]  # no new event (only the reads of the test): a digest all the same
    time.sleep(1.1)
    aws.client("logs").create_log_group(logGroupName="g")
    third = aws.emulator.flush_delivery()["trails"][0]
    digests = [d for f in (first, second, third) for d in f["digest_files"]]
    assert all(DIGEST_KEY.match(k) and DIGEST_KEY.match(k)["trail"] == "audit" for k in digests)
    assert sorted(_keys(s3, f"AWSLogs/{ACCOUNT}/CloudTrail-Digest/")) == sorted(digests)
    keys = aws.client("cloudtrail").list_public_keys()["PublicKeyList"]
    assert len(keys) == 1 and keys[0]["ValidityStartTime"] < keys[0]["ValidityEndTime"]
    assert keys[0]["Fingerprint"] == hashlib.md5(keys[0]["Value"]).hexdigest()
    previous = None
    for key, flushed in zip(digests, (first, second, third)):
        raw, digest, meta = _digest(s3, key)
        assert meta["signature-algorithm"] == "SHA256withRSA"
        assert (digest["digestS3Bucket"], digest["digestS3Object"], digest["awsAccountId"]) == (BUCKET, key, ACCOUNT)
        assert digest["digestPublicKeyFingerprint"] == keys[0]["Fingerprint"] and digest["digestSignatureAlgorithm"] == "SHA256withRSA"
        _verify(keys[0]["Value"], digest, raw, meta["signature"])
        assert [f["s3Object"] for f in digest["logFiles"]] == flushed["log_files"]
        for entry in digest["logFiles"]:
            content = gzip.decompress(s3.get_object(Bucket=BUCKET, Key=entry["s3Object"])["Body"].read())
            assert entry["hashValue"] == hashlib.sha256(content).hexdigest() and entry["hashAlgorithm"] == "SHA-256"
        if previous is None:
            assert digest["previousDigestS3Object"] is None and digest["previousDigestSignature"] is None
        else:
            p_key, p_raw, p_digest, p_meta = previous
            assert (digest["previousDigestS3Bucket"], digest["previousDigestS3Object"]) == (BUCKET, p_key)
            assert digest["previousDigestSignature"] == p_meta["signature"]
            assert digest["previousDigestHashValue"] == hashlib.sha256(p_raw).hexdigest() and digest["previousDigestHashAlgorithm"] == "SHA-256"
            assert digest["digestStartTime"] == p_digest["digestEndTime"]
        previous = (key, raw, digest, meta)
    assert s3.head_object(Bucket=BUCKET, Key=digests[0])["ServerSideEncryption"] == "AES256"
    # A tampered digest no longer verifies.
    raw, digest, meta = _digest(s3, digests[0])
    with pytest.raises(Exception):
        _verify(keys[0]["Value"], digest, raw.replace(b"audit", b"xudit"), meta["signature"])
    status = aws.client("cloudtrail").get_trail_status(Name="audit")
    assert status["LatestDigestDeliveryTime"] and "LatestDigestDeliveryError" not in status


def test_public_keys_per_region_and_reset_forgets_delivery(aws):
    us = aws.client("cloudtrail").list_public_keys()["PublicKeyList"][0]
    eu = aws.client("cloudtrail", region=OTHER).list_public_keys()["PublicKeyList"][0]
    assert us["Fingerprint"] != eu["Fingerprint"]
    make_bucket(aws)
    _trail(aws, EnableLogFileValidation=True)
    aws.emulator.flush_delivery()
    aws.emulator.reset()
    assert aws.emulator.flush_delivery() == {"trails": []}
    assert aws.client("cloudtrail").list_public_keys()["PublicKeyList"][0]["Fingerprint"] != us["Fingerprint"]


def test_flush_limited_to_an_account_and_region(aws):
    make_bucket(aws)
    _trail(aws, IsMultiRegionTrail=True)
    aws.client("logs", region=OTHER).create_log_group(logGroupName="later")
    only_home = aws.emulator.flush_delivery(region=HOME)["trails"][0]["log_files"]
    assert [LOG_KEY.match(k)["region"] for k in only_home] == [HOME]
    rest = aws.emulator.flush_delivery(account=ACCOUNT)["trails"][0]["log_files"]
    assert OTHER in [LOG_KEY.match(k)["region"] for k in rest]


# The files delivered are the files a CloudTrail Lake import reads (the same layout, the same records).
def test_a_lake_import_reads_the_delivered_files(aws):
    from tests.emulator.tests.test_imports import _start, _wait

    make_bucket(aws, paths=[f"audit/AWSLogs/{ACCOUNT}/*"])
    _trail(aws, S3KeyPrefix="audit")
    _user_client(aws, "cloudtrail", "mallory").stop_logging(Name="audit")
    delivered = aws.emulator.flush_delivery()
    s3 = aws.client("s3")
    keys = [k for k in _keys(s3, "audit/AWSLogs/") if LOG_KEY.match(k)]
    events = sum(len(_records(s3, k)) for k in keys)
    assert keys and events and delivered["trails"], delivered
    ct = aws.client("cloudtrail")
    store = ct.create_event_data_store(Name="delivered-import")["EventDataStoreArn"]
    done = _wait(ct, _start(ct, store, f"s3://{BUCKET}/audit", StartEventTime=time.time() - 3600)["ImportId"])
    assert done["ImportStatus"] == "COMPLETED", done
    assert done["ImportStatistics"]["FilesCompleted"] == len(keys)
    assert done["ImportStatistics"]["EventsCompleted"] == events
