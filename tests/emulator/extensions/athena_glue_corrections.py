"""Athena workgroup corrections: UpdateWorkGroup, and unknown workgroups answered as AWS answers them.

Patched at import on moto's AthenaResponse (moto 5.2.x); tests in
tests/emulator/tests/test_athena_glue_corrections.py. Query execution is not touched here
(extensions/athena_engine.py owns it).

- UpdateWorkGroup (moto: NotImplemented) applies ConfigurationUpdates as the API reference describes
  them: EnforceWorkGroupConfiguration, PublishCloudWatchMetricsEnabled, RequesterPaysEnabled,
  BytesScannedCutoffPerQuery / RemoveBytesScannedCutoffPerQuery, ResultConfigurationUpdates
  (OutputLocation / RemoveOutputLocation, EncryptionConfiguration / RemoveEncryptionConfiguration,
  ExpectedBucketOwner / RemoveExpectedBucketOwner, AclConfiguration / RemoveAclConfiguration), and
  Description and State. A setting the update does not name stays as it is.
- GetWorkGroup and UpdateWorkGroup of an unknown workgroup: InvalidRequestException
  ("WorkGroup <name> is not found"); moto answers GetWorkGroup with an empty 200, which would let a
  caller believe the workgroup exists. DeleteWorkGroup of an unknown workgroup: the same error.

Glue's CreateTable / GetTable / UpdateTable / DeleteTable and Get/CreateDatabase behave as AWS does in
moto 5.2.5 for what the collection uses (UpdateTable replaces the whole TableInput, Parameters included;
unknown database or table: EntityNotFoundException); the tests show it, nothing is patched.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from moto.athena import responses as athena_responses
from moto.core.exceptions import JsonRESTError

from ..shapes import checked

AthenaResponse = athena_responses.AthenaResponse

assert "work_groups" in inspect.getsource(athena_responses.AthenaBackend.get_work_group), "moto get_work_group changed: review athena_glue_corrections"
assert "update_work_group" not in AthenaResponse.__dict__, "moto now implements UpdateWorkGroup: review athena_glue_corrections"

_moto_get_work_group = AthenaResponse.get_work_group
_moto_delete_work_group = AthenaResponse.delete_work_group

# ConfigurationUpdates members set as given, and the Remove* flag that clears each optional one.
_CONFIGURATION_FLAGS = ("EnforceWorkGroupConfiguration", "PublishCloudWatchMetricsEnabled", "RequesterPaysEnabled")
_RESULT_REMOVABLE = {
    "OutputLocation": "RemoveOutputLocation",
    "EncryptionConfiguration": "RemoveEncryptionConfiguration",
    "ExpectedBucketOwner": "RemoveExpectedBucketOwner",
    "AclConfiguration": "RemoveAclConfiguration",
}


class WorkGroupNotFound(JsonRESTError):
    code = 400

    def __init__(self, name: str) -> None:
        super().__init__("InvalidRequestException", f"WorkGroup {name} is not found.")


def _work_group(self: AthenaResponse) -> Any:
    name = self._get_param("WorkGroup")
    work_group = self.athena_backend.work_groups.get(name)
    if work_group is None:
        raise WorkGroupNotFound(name)
    return work_group


def get_work_group(self: AthenaResponse) -> str:
    _work_group(self)
    return _moto_get_work_group(self)


def delete_work_group(self: AthenaResponse) -> str:
    _work_group(self)
    return _moto_delete_work_group(self)


def apply_configuration_updates(configuration: dict[str, Any], updates: dict[str, Any]) -> None:
    """WorkGroupConfigurationUpdates onto a stored WorkGroupConfiguration (in place)."""
    for flag in _CONFIGURATION_FLAGS:
        if flag in updates:
            configuration[flag] = bool(updates[flag])
    if updates.get("RemoveBytesScannedCutoffPerQuery"):
        configuration.pop("BytesScannedCutoffPerQuery", None)
    elif "BytesScannedCutoffPerQuery" in updates:
        configuration["BytesScannedCutoffPerQuery"] = int(updates["BytesScannedCutoffPerQuery"])
    result_updates = updates.get("ResultConfigurationUpdates")
    if result_updates:
        result = dict(configuration.get("ResultConfiguration") or {})
        for member, remove in _RESULT_REMOVABLE.items():
            if result_updates.get(remove):
                result.pop(member, None)
            elif member in result_updates:
                result[member] = result_updates[member]
        configuration["ResultConfiguration"] = result
    if "EngineVersion" in updates:
        configuration["EngineVersion"] = dict(updates["EngineVersion"])


@checked("athena", "UpdateWorkGroup")
def update_work_group(self: AthenaResponse) -> str:
    work_group = _work_group(self)
    apply_configuration_updates(work_group.configuration, self._get_param("ConfigurationUpdates") or {})
    if self._get_param("Description") is not None:
        work_group.description = self._get_param("Description")
    if self._get_param("State") in ("ENABLED", "DISABLED"):
        # moto keeps the state on the class; an instance attribute keeps it per workgroup.
        work_group.state = self._get_param("State")
    return json.dumps({})


AthenaResponse.get_work_group = get_work_group
AthenaResponse.delete_work_group = delete_work_group
AthenaResponse.update_work_group = update_work_group
