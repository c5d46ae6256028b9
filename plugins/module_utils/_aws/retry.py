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

aws_retry = AWSRetry.jittered_backoff(retries=8, delay=1, max_delay=20, catch_extra_error_codes=RETRIED_ERROR_CODES)
