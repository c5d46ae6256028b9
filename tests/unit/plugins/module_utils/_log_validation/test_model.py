"""_log_validation.model and .signature: the digest rules as data, without AWS."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from ansible_collections.cloudaudit.aws.plugins.module_utils._common.errors import CloudAuditError
from ansible_collections.cloudaudit.aws.plugins.module_utils._log_validation import model, signature

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
KEY = "p/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/12/01/111122223333_CloudTrail-Digest_us-east-1_audit_us-east-1_20261201T110000Z.json.gz"


@pytest.mark.parametrize(
    "params, option",
    [
        ({"trail": "a b", "start_time": "-1d"}, "trail"),
        ({"trail": "arn:aws:s3:::x", "start_time": "-1d"}, "trail"),
        ({"trail": "audit"}, "start_time"),
        ({"trail": "audit", "start_time": "soon"}, "start_time"),
        ({"trail": "audit", "start_time": "-1d", "end_time": "-2d"}, "start_time"),
        ({"trail": "audit", "start_time": "-1d", "account_id": "1"}, "account_id"),
        ({"trail": "audit", "start_time": "-1d", "log_regions": ["x"]}, "log_regions"),
        ({"trail": "audit", "start_time": "-1d", "s3_prefix": "p" * 201}, "s3_prefix"),
    ],
)
def test_validate_names_the_option(params, option):
    with pytest.raises(CloudAuditError) as e:
        model.validate(params, NOW)
    assert e.value.option == option


def test_validate_defaults_end_to_now():
    check = model.validate({"trail": "audit", "start_time": "-2h"}, NOW)
    assert (check["start"], check["end"], check["regions"]) == (NOW - timedelta(hours=2), NOW, [])


def test_digest_prefix_and_end_time():
    assert model.digest_prefix("/p/", None, "111122223333", "us-east-1") == "p/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/"
    assert model.digest_prefix(None, "o-abc1234567", "111122223333", "eu-west-1") == "AWSLogs/o-abc1234567/111122223333/CloudTrail-Digest/eu-west-1/"
    assert model.digest_end_time(KEY, "audit", "us-east-1") == datetime(2026, 12, 1, 11, 0, tzinfo=timezone.utc)
    assert model.digest_end_time(KEY, "other", "us-east-1") is None  # another trail's digest in the same folder
    assert model.digest_end_time(KEY.replace(".json.gz", "_backfill.json.gz"), "audit", "us-east-1") is not None


def test_in_window_newest_first():
    older = KEY.replace("T110000Z", "T100000Z")
    outside = KEY.replace("T110000Z", "T050000Z")
    found = model.in_window([older, KEY, outside, "p/README"], "audit", "us-east-1", NOW - timedelta(hours=3), NOW)
    assert [k for dummy, k in found] == [KEY, older]


def _signed(previous: str | None = None) -> tuple[bytes, dict, str, bytes]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    digest = {
        "digestEndTime": "2026-12-01T11:00:00Z",
        "digestS3Bucket": "b",
        "digestS3Object": KEY,
        "previousDigestSignature": previous,
        "digestPublicKeyFingerprint": hashlib.md5(der).hexdigest(),
    }
    raw = json.dumps(digest).encode()
    expected = f"2026-12-01T11:00:00Z\nb/{KEY}\n{hashlib.sha256(raw).hexdigest()}\n{previous or 'null'}".encode()
    assert model.string_to_sign(digest, raw) == expected
    return der, digest, private.sign(expected, padding.PKCS1v15(), hashes.SHA256()).hex(), raw


def test_signature_and_digest_problems():
    der, digest, sig, raw = _signed()
    keys = {digest["digestPublicKeyFingerprint"]: der}
    assert signature.verify(der, sig, model.string_to_sign(digest, raw))
    assert model.digest_problems("b", KEY, digest, {"signature": sig}, keys, signature.verify, raw) == []
    assert "signature does not verify" in model.digest_problems("b", KEY, digest, {"signature": sig}, keys, signature.verify, raw + b" ")[0]
    assert "moved" in model.digest_problems("c", KEY, digest, {"signature": sig}, keys, signature.verify, raw)[0]
    assert "no CloudTrail public key" in model.digest_problems("b", KEY, digest, {"signature": sig}, {}, signature.verify, raw)[0]
    assert "no signature" in model.digest_problems("b", KEY, digest, {}, keys, signature.verify, raw)[0]
    assert not signature.verify(b"not a key", sig, b"x")


def test_chain_links_and_log_files():
    newer = {
        "previousDigestS3Bucket": "b",
        "previousDigestS3Object": KEY,
        "previousDigestHashValue": hashlib.sha256(b"old").hexdigest(),
        "previousDigestSignature": "aa",
    }
    expected = model.expectation(newer, "newer-key")
    assert model.link_problems(expected, b"old", {"signature": "aa"}) == []
    assert len(model.link_problems(expected, b"changed", {"signature": "bb"})) == 2
    assert model.expectation({"previousDigestS3Object": None}, "k") is None
    entry = {"hashValue": hashlib.sha256(b"log").hexdigest()}
    assert [model.log_file_status(entry, c) for c in (b"log", b"lag", None)] == ["valid", "modified", "missing"]


def test_summary_needs_one_verified_digest():
    assert model.summary([], [])["valid"] is False
    assert model.summary([{"status": "valid"}], [{"status": "valid"}])["valid"] is True
    assert model.summary([{"status": "valid"}, {"status": "missing"}], [])["valid"] is False
    assert model.summary([{"status": "valid"}], [{"status": "modified"}])["counts"]["log_files"]["modified"] == 1
