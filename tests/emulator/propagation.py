"""Opt-in propagation delay: AWS is eventually consistent, the emulator is not unless asked.

On AWS, CloudTrail refuses a trail for a few seconds after what it depends on changed: the bucket
policy (InsufficientS3BucketPolicyException), the KMS key policy (InsufficientEncryptionPolicyException),
the CloudWatch Logs delivery role, whose new trust or permissions CloudTrail cannot assume yet
(InvalidCloudWatchLogsRoleArnException). With a window set (control API POST /_emulator/propagation
{"seconds": N}), CreateTrail and UpdateTrail naming a bucket, key (by account) or role changed less
than N seconds ago get that error, as AWS answers it; after the window they go through to moto, which
then checks the policies themselves. Off (0) by default and after a reset.
"""

from __future__ import annotations

import threading
import time
from typing import Any

# (service, operation) whose success changes what a trail depends on -> the kind of dependency.
_DEPENDENCY_WRITES = {
    ("s3", "PutBucketPolicy"): "bucket",
    ("kms", "PutKeyPolicy"): "key",
    ("kms", "CreateKey"): "key",
    ("iam", "CreateRole"): "role",
    ("iam", "PutRolePolicy"): "role",
    ("iam", "AttachRolePolicy"): "role",
    ("iam", "UpdateAssumeRolePolicy"): "role",
}
_TRAIL_WRITES = frozenset(("CreateTrail", "UpdateTrail"))
ERRORS = {
    "bucket": ("InsufficientS3BucketPolicyException", "Incorrect S3 bucket policy is detected for bucket: {}"),
    "key": ("InsufficientEncryptionPolicyException", "Insufficient permissions to access S3 bucket or KMS key {}."),
    "role": ("InvalidCloudWatchLogsRoleArnException", "Access denied. Verify in IAM that the role {} has adequate permissions."),
}


class Propagation:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.seconds = 0.0
        self._changed: dict[tuple[str, str], float] = {}
        self.refused = 0

    def configure(self, seconds: float) -> dict[str, Any]:
        if not 0 <= float(seconds) <= 600:
            raise ValueError("seconds must be between 0 and 600")
        with self._lock:
            self.seconds = float(seconds)
            self._changed.clear()
        return self.state()

    def reset(self) -> None:
        self.configure(0)
        self.refused = 0

    def state(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "refused": self.refused}

    def note(self, service: str, operation: str, account: str, params: dict[str, Any]) -> None:
        """After a successful call: remember when a trail's dependency changed."""
        kind = _DEPENDENCY_WRITES.get((service, operation))
        if not kind or not self.seconds:
            return
        key = {"bucket": params.get("Bucket"), "key": account, "role": f"{account}:{params.get('RoleName')}"}[kind]
        with self._lock:
            self._changed[(kind, str(key))] = time.monotonic()

    def refusal(self, service: str, operation: str, account: str, params: dict[str, Any]) -> tuple[str, str] | None:
        """(code, message) when a CreateTrail / UpdateTrail comes too soon after its dependency changed."""
        if not self.seconds or service != "cloudtrail" or operation not in _TRAIL_WRITES:
            return None
        wanted = []
        if params.get("S3BucketName"):
            wanted.append(("bucket", params["S3BucketName"]))
        key_id = params.get("KmsKeyId") or ""
        if key_id:
            wanted.append(("key", key_id.split(":")[4] if key_id.startswith("arn:") else account))
        role = params.get("CloudWatchLogsRoleArn") or ""
        if role.startswith("arn:"):
            wanted.append(("role", f"{role.split(':')[4]}:{role.rsplit('/', 1)[-1]}"))
        now = time.monotonic()
        with self._lock:
            for kind, key in wanted:
                changed = self._changed.get((kind, str(key)))
                if changed is not None and now - changed < self.seconds:
                    self.refused += 1
                    code, message = ERRORS[kind]
                    return code, message.format(key)
        return None


PROPAGATION = Propagation()
