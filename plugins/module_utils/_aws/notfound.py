# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Turn AWS "not found" answers into None: one decorator for the wrappers of the _aws seam."""

from __future__ import annotations

import functools
from typing import Any, Callable

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code


def none_when(*codes: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: return None when AWS answers with one of these error codes.

    Put it below aws_retry (``@aws_retry`` then ``@none_when(...)``) so the
    not-found answer is not retried.
    """

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except is_boto3_error_code(list(codes)):
                return None

        return wrapper

    return decorator
