# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The retry policy shared by every wrapper of the _aws seam (one place, no sleep loops).

CloudTrail allows about 1 write per second per account and region; S3 answers
OperationAborted while a conflicting operation runs on the bucket. Both, plus
AWS's throttling and transient 5xx errors (handled by AWSRetry itself), are
retried with jittered exponential backoff.
"""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

RETRIED_ERROR_CODES = [
    "ConflictException",
    "OperationAborted",
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "SlowDown",
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
    "ServiceUnavailableException",
]

_backoff = AWSRetry.jittered_backoff(retries=8, delay=1, max_delay=20, catch_extra_error_codes=RETRIED_ERROR_CODES)


def _remembering_the_call(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Errors leave the seam knowing their IAM action and resource: the wrapper's module is the service
    (_aws/logs.py -> logs, whose IAM prefix is the same), its first argument after the client the resource.

    The action is <service>:<Operation>, unless the service module maps the operation to another IAM action in
    IAM_ACTIONS (S3: PutBucketEncryption needs s3:PutEncryptionConfiguration, HeadBucket s3:ListBucket, ...).
    """
    service = fn.__module__.rsplit(".", 1)[-1]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            if getattr(e, "operation_name", None) and not hasattr(e, "cloudaudit_call"):
                resource = args[1] if len(args) > 1 and isinstance(args[1], str) else None
                e.cloudaudit_call = {"action": iam_action(fn.__module__, e.operation_name), "resource": resource}
            raise

    return wrapper


def iam_action(module_name: str, operation: str) -> str:
    """The IAM action an operation of the service wrapped in module_name needs (its IAM_ACTIONS, else <service>:<operation>)."""
    overrides = getattr(sys.modules.get(module_name), "IAM_ACTIONS", {})
    return overrides.get(operation) or f"{module_name.rsplit('.', 1)[-1]}:{operation}"


def aws_retry(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The shared retry policy, and the IAM action of a call that fails (for messages naming the permission)."""
    return _remembering_the_call(_backoff(fn))


# AWS is eventually consistent: for a few seconds after a trail's bucket policy, KMS key policy or CloudWatch Logs
# delivery role changed (a task just before wrote it), CloudTrail refuses the trail with exactly these errors.
# Retried only where a trail is written (CreateTrail, UpdateTrail), together with the errors above, with a bounded
# backoff (7 attempts, waits of at most 10 s: about 17 s in all on average, 35 s at most); a policy that really is
# insufficient fails after that, with AWS's error.
PROPAGATION_ERROR_CODES = [
    "InsufficientS3BucketPolicyException",
    "InsufficientEncryptionPolicyException",
    "InvalidCloudWatchLogsRoleArnException",
]

_trail_write_backoff = AWSRetry.jittered_backoff(retries=7, delay=1, max_delay=10, catch_extra_error_codes=RETRIED_ERROR_CODES + PROPAGATION_ERROR_CODES)


def trail_write_retry(fn: Callable[..., Any]) -> Callable[..., Any]:
    return _remembering_the_call(_trail_write_backoff(fn))
