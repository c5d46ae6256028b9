# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Verify a CloudTrail digest signature (SHA256withRSA, PKCS#1 v1.5) with the public key ListPublicKeys returns.

Pure (bytes in, bool out); the only place the collection needs the `cryptography` library, which
ansible-core itself depends on, so it is present wherever the controller runs.
"""

from __future__ import annotations

from .._common.errors import CloudAuditError

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    HAS_CRYPTOGRAPHY = True
except ImportError:  # reported by require_cryptography()
    HAS_CRYPTOGRAPHY = False


def require_cryptography() -> None:
    """Fail with a clear message, before any AWS call, when the library is missing."""
    if not HAS_CRYPTOGRAPHY:
        raise CloudAuditError("verifying CloudTrail digest signatures needs the Python library cryptography (pip install cryptography)")


def _load(der: bytes) -> "rsa.RSAPublicKey | None":
    """A DER public key as AWS gives it (PKCS#1 RSAPublicKey; SubjectPublicKeyInfo accepted too)."""
    try:
        key = serialization.load_der_public_key(der)
    except ValueError:
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None


def verify(der: bytes, signature_hex: str, data: bytes) -> bool:
    """True when signature_hex is a valid SHA256withRSA signature of data under the public key der."""
    key = _load(der)
    if key is None:
        return False
    try:
        key.verify(bytes.fromhex(signature_hex), data, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True
