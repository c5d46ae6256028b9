"""KMS corrections: key rotation period as AWS documents.

Patched at import on moto's KmsResponse (moto 5.2.x); tests in
tests/emulator/tests/test_corrections_kms.py.

- EnableKeyRotation stores RotationPeriodInDays (90-2560, default 365; outside the
  range: ValidationException, nothing changed).
- GetKeyRotationStatus returns RotationPeriodInDays while rotation is enabled
  (moto returned only KeyRotationEnabled).
"""

from __future__ import annotations

import inspect
import json

from moto.kms import models as kms_models
from moto.kms import responses as kms_responses
from moto.kms.exceptions import ValidationException

KmsResponse = kms_responses.KmsResponse
Key = kms_models.Key

for _name in ("enable_key_rotation", "get_key_rotation_status", "_validate_cmk_id"):
    assert _name in KmsResponse.__dict__, f"moto KmsResponse has no {_name}: review corrections_kms"
assert "self.key_rotation_status" in inspect.getsource(Key.__init__), "moto Key has no key_rotation_status: review corrections_kms"
assert '"KeyRotationEnabled"' in inspect.getsource(KmsResponse.get_key_rotation_status), "moto changed get_key_rotation_status"

DEFAULT_ROTATION_DAYS = 365
MIN_ROTATION_DAYS = 90
MAX_ROTATION_DAYS = 2560

_moto_enable_key_rotation = KmsResponse.enable_key_rotation
_moto_get_key_rotation_status = KmsResponse.get_key_rotation_status


def _rotation_days(value: object) -> int:
    if value is None:
        return DEFAULT_ROTATION_DAYS
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_ROTATION_DAYS <= value <= MAX_ROTATION_DAYS:
        raise ValidationException(
            f"1 validation error detected: Value '{value}' at 'rotationPeriodInDays' failed to satisfy constraint: "
            f"Member must have value between {MIN_ROTATION_DAYS} and {MAX_ROTATION_DAYS}"
        )
    return value


def enable_key_rotation(self: KmsResponse) -> str:
    days = _rotation_days(self._get_param("RotationPeriodInDays"))
    result = _moto_enable_key_rotation(self)
    key = self.kms_backend.keys[self.kms_backend.get_key_id(self._get_param("KeyId"))]
    key.rotation_period_in_days = days
    return result


def get_key_rotation_status(self: KmsResponse) -> str:
    result = json.loads(_moto_get_key_rotation_status(self))
    if result.get("KeyRotationEnabled"):
        key = self.kms_backend.keys[self.kms_backend.get_key_id(self._get_param("KeyId"))]
        result["RotationPeriodInDays"] = getattr(key, "rotation_period_in_days", DEFAULT_ROTATION_DAYS)
    return json.dumps(result)


def install() -> None:
    KmsResponse.enable_key_rotation = enable_key_rotation
    KmsResponse.get_key_rotation_status = get_key_rotation_status


install()
