"""CloudWatch Logs corrections: retention values and KMS association as AWS documents.

Patched at import on moto's LogsResponse (moto 5.2.x); tests in
tests/emulator/tests/test_corrections_logs.py.

- PutRetentionPolicy accepts only the retention values AWS lists (others:
  InvalidParameterException).
- AssociateKmsKey / DisassociateKmsKey (moto: NotImplemented) set and clear a
  log group's kmsKeyId (by logGroupName or resourceIdentifier); an unknown group
  is ResourceNotFoundException; the key must be an existing KMS key ARN
  (InvalidParameterException otherwise). The key policy is not evaluated.
- CreateLogGroup stores logGroupClass (STANDARD default, INFREQUENT_ACCESS, DELIVERY,
  ESSENTIALS as botocore lists; others: InvalidParameterException) and DescribeLogGroups
  returns it and filters on it.
- PutMetricFilter of a name the group already has replaces that filter, as AWS does (moto
  appends a second one), and DeleteMetricFilter removes it (moto's loop skips neighbours).
"""

from __future__ import annotations

import inspect
import json
import re
from typing import Any

from moto.logs import metric_filters as logs_metric_filters
from moto.logs import models as logs_models
from moto.logs import responses as logs_responses
from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException

LogsResponse = logs_responses.LogsResponse
LogGroup = logs_models.LogGroup

assert "self.kms_key_id" in inspect.getsource(LogGroup.__init__), "moto LogGroup has no kms_key_id: review corrections_logs"
assert "kmsKeyId" in inspect.getsource(LogGroup.to_describe_dict), "moto LogGroup.to_describe_dict no longer shows kmsKeyId"
assert "put_retention_policy" in LogsResponse.__dict__, "moto LogsResponse has no put_retention_policy"

RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
_KEY_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key/([A-Za-z0-9-]+)$")
_GROUP_ARN_RE = re.compile(r"^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$")

_moto_put_retention_policy = LogsResponse.put_retention_policy


def put_retention_policy(self: LogsResponse) -> str:
    days = self._get_param("retentionInDays")
    if days not in RETENTION_DAYS:
        raise InvalidParameterException(
            constraint=f"Member must satisfy enum value set: [{', '.join(str(d) for d in RETENTION_DAYS)}]",
            parameter="retentionInDays",
            value=days,
        )
    return _moto_put_retention_policy(self)


def _log_group(self: LogsResponse) -> LogGroup:
    name = self._get_param("logGroupName")
    identifier = self._get_param("resourceIdentifier")
    if bool(name) == bool(identifier):
        raise InvalidParameterException("Specify exactly one of logGroupName and resourceIdentifier.")
    if identifier:
        match = _GROUP_ARN_RE.match(identifier)
        if not match or (match.group(1), match.group(2)) != (self.region, self.current_account):
            raise ResourceNotFoundException()
        name = match.group(3)
    group = self.logs_backend.groups.get(name)
    if group is None:
        raise ResourceNotFoundException()
    return group


def _check_key(key_arn: str | None) -> str:
    from moto.kms.models import kms_backends

    match = _KEY_ARN_RE.match(key_arn or "")
    if not match or match.group(3) not in kms_backends[match.group(2)][match.group(1)].keys:
        raise InvalidParameterException(f"Specified KMS key {key_arn} is not valid or not accessible.")
    return str(key_arn)


def associate_kms_key(self: LogsResponse) -> str:
    group = _log_group(self)
    group.kms_key_id = _check_key(self._get_param("kmsKeyId"))
    return ""


def disassociate_kms_key(self: LogsResponse) -> str:
    group = _log_group(self)
    group.kms_key_id = None
    return ""


# --------------------------------------------------------------------------- log group class
assert "create_log_group" in LogsResponse.__dict__ and "describe_log_groups" in LogsResponse.__dict__, "moto LogsResponse changed"
assert '"logGroups": [g.to_describe_dict() for g in groups]' in inspect.getsource(LogsResponse.describe_log_groups), "moto changed describe_log_groups"

LOG_GROUP_CLASSES = ("STANDARD", "INFREQUENT_ACCESS", "DELIVERY", "ESSENTIALS")
DEFAULT_LOG_GROUP_CLASS = "STANDARD"

_moto_create_log_group = LogsResponse.create_log_group
_moto_describe_log_groups = LogsResponse.describe_log_groups
_moto_to_describe_dict = LogGroup.to_describe_dict


def create_log_group(self: LogsResponse) -> str:
    group_class = self._get_param("logGroupClass") or DEFAULT_LOG_GROUP_CLASS
    if group_class not in LOG_GROUP_CLASSES:
        raise InvalidParameterException(
            constraint=f"Member must satisfy enum value set: [{', '.join(LOG_GROUP_CLASSES)}]",
            parameter="logGroupClass",
            value=group_class,
        )
    result = _moto_create_log_group(self)
    self.logs_backend.groups[self._get_param("logGroupName")].log_group_class = group_class
    return result


def to_describe_dict(self: LogGroup) -> dict[str, Any]:
    described = _moto_to_describe_dict(self)
    described["logGroupClass"] = getattr(self, "log_group_class", DEFAULT_LOG_GROUP_CLASS)
    return described


def describe_log_groups(self: LogsResponse) -> str:
    result = _moto_describe_log_groups(self)
    wanted = self._get_param("logGroupClass")
    if not wanted:
        return result
    answer = json.loads(result)
    answer["logGroups"] = [g for g in answer["logGroups"] if g.get("logGroupClass") == wanted]
    return json.dumps(answer)


MetricFilters = logs_metric_filters.MetricFilters
assert "self.metric_filters.append" in inspect.getsource(MetricFilters.add_filter), "moto now replaces metric filters: review corrections_logs"
_moto_add_filter = MetricFilters.add_filter


def _without(filters: MetricFilters, filter_name: Any, log_group_name: Any) -> None:
    filters.metric_filters = [f for f in filters.metric_filters if (f["filterName"], f["logGroupName"]) != (filter_name, log_group_name)]


def add_filter(self: MetricFilters, filter_name: str, filter_pattern: str, log_group_name: str, metric_transformations: str) -> None:
    _without(self, filter_name, log_group_name)
    _moto_add_filter(self, filter_name, filter_pattern, log_group_name, metric_transformations)


def delete_filter(self: MetricFilters, filter_name: str | None = None, log_group_name: str | None = None) -> list[dict[str, Any]]:
    _without(self, filter_name, log_group_name)
    return self.metric_filters


def install() -> None:
    MetricFilters.add_filter = add_filter
    MetricFilters.delete_filter = delete_filter
    LogsResponse.create_log_group = create_log_group
    LogsResponse.describe_log_groups = describe_log_groups
    LogGroup.to_describe_dict = to_describe_dict
    LogsResponse.put_retention_policy = put_retention_policy
    LogsResponse.associate_kms_key = associate_kms_key
    LogsResponse.disassociate_kms_key = disassociate_kms_key


install()
