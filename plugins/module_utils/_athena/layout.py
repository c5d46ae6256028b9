# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Does the audit bucket hold CloudTrail logs where the table will look? (pure, on a sample of keys)

A table over the wrong prefix is not an error anywhere in AWS: every query just finds nothing, and is
still billed for listing. So before any write the module lists the first level under
<prefix/>AWSLogs/ (and, when that is empty, the first keys of the bucket) and refuses a layout that
does not match s3_key_prefix / organization_id, saying which layout it found. A bucket without any
CloudTrail log yet (a new trail) is accepted with a warning.
"""

from __future__ import annotations

import re
from typing import Sequence

from .._common.errors import CloudAuditError
from .table import logs_root

_ACCOUNT = re.compile(r"^\d{12}$")
_ORG = re.compile(r"^o-[a-z0-9]{10,32}$")
MARKER = "AWSLogs/"


def _segments(root: str, prefixes: Sequence[str]) -> tuple[list[str], list[str]]:
    """(account ids, organization ids) found as the first folder level under root."""
    names = [p[len(root) :].split("/", 1)[0] for p in prefixes if p.startswith(root)]
    return sorted(n for n in names if _ACCOUNT.fullmatch(n)), sorted(n for n in names if _ORG.fullmatch(n))


def check(bucket: str, key_prefix: str | None, organization_id: str | None, under_root: Sequence[str], sample: Sequence[str] | None) -> str | None:
    """None when the layout matches; a warning when the bucket holds no CloudTrail log yet; else raise naming the option.

    under_root: the CommonPrefixes of <prefix/>AWSLogs/ (delimiter /); sample: the first keys of the bucket (read only
    when under_root is empty).
    """
    root = logs_root(bucket, key_prefix, None)
    accounts, orgs = _segments(root, under_root)
    if accounts or orgs:
        _check_organization(bucket, root, organization_id, accounts, orgs)
        return None
    found = sorted({k[: k.index(MARKER)] for k in sample or [] if MARKER in k})
    if found:
        where = ", ".join(f"'{f}{MARKER}'" for f in found[:3])
        prefix = found[0].rstrip("/")
        hint = f"s3_key_prefix: {prefix}" if prefix else "no s3_key_prefix"
        raise CloudAuditError(
            f"bucket '{bucket}' has no CloudTrail logs under '{root}'; it has logs under {where} (set {hint})",
            "s3_key_prefix",
            layout_found=found[:3],
        )
    return f"bucket '{bucket}' holds no CloudTrail log files yet (nothing under '{root}'): the table is created, and finds logs once the trail delivers them"


def _check_organization(bucket: str, root: str, organization_id: str | None, accounts: list[str], orgs: list[str]) -> None:
    if organization_id:
        if organization_id in orgs:
            return
        if orgs:
            raise CloudAuditError(
                f"bucket '{bucket}' has organization trail logs under '{root}{orgs[0]}/', not '{root}{organization_id}/'",
                "organization_id",
                layout_found=[f"{root}{o}/" for o in orgs[:3]],
            )
        raise CloudAuditError(
            f"bucket '{bucket}' has account trail logs under '{root}<account>/' (e.g. '{root}{accounts[0]}/'), not an organization trail's "
            f"'{root}{organization_id}/<account>/'; leave organization_id unset for this bucket",
            "organization_id",
            layout_found=[f"{root}{a}/" for a in accounts[:3]],
        )
    if accounts:
        return
    raise CloudAuditError(
        f"bucket '{bucket}' has organization trail logs under '{root}{orgs[0]}/<account>/'; set organization_id: {orgs[0]}",
        "organization_id",
        layout_found=[f"{root}{o}/" for o in orgs[:3]],
    )
