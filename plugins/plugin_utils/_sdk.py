# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""boto3 for the in-process path: imported and warmed once per controller process, clients made from it.

The linear and free strategies load an action plugin class in the controller's main process before
they fork the worker that runs the task, so what this file loads at import (boto3, botocore and the
service models, endpoint rules and partitions of the services the collection calls) is inherited by
every worker instead of being read again for every task. Clients are made as amazon.aws's
boto3_conn() makes them (same user agent, aws_config merged into the same Config, placebo hooks),
from a fresh botocore session per client that shares the warmed data loader.

Without boto3/botocore HAS_SDK is False and the action plugins run the classic module instead.
"""

from __future__ import annotations

from typing import Any

try:
    import boto3
    import botocore.config
    import botocore.session
except ImportError:
    HAS_SDK = False
else:
    HAS_SDK = True

from ansible.module_utils.ansible_release import __version__ as _ANSIBLE_VERSION

# Every service the collection's modules call (the event history search also calls ec2 when regions: all).
SERVICES = ("cloudtrail", "s3", "kms", "logs", "iam", "organizations", "sts")
_WARM_REGION = "us-east-1"


def _warm_loader() -> Any:
    """A botocore data loader holding everything creating a client of SERVICES reads (or None on failure)."""
    if not HAS_SDK:
        return None
    try:
        session = botocore.session.Session()
        for service in SERVICES:
            # No request is made: creating a client only reads the models, endpoint rules and partitions.
            session.create_client(service, region_name=_WARM_REGION, aws_access_key_id="warm-up", aws_secret_access_key="warm-up")
        return session.get_component("data_loader")
    except Exception:  # pylint: disable=broad-except  # a broken AWS config file: clients still work, unwarmed
        return None


_LOADER = _warm_loader()


def user_agent() -> str:
    """The user agent amazon.aws's boto3_conn() sets (APN/1.0 Ansible/<core> amazon.aws/<version>)."""
    from ansible_collections.amazon.aws.plugins.module_utils.common import get_collection_info

    info = get_collection_info()
    agent = f"APN/1.0 Ansible/{_ANSIBLE_VERSION}"
    if info["name"]:
        agent += f" {info['name']}/{info['version']}" if info["version"] is not None else f" {info['name']}"
    return agent


def _merged_config(config: Any, extra: Any) -> Any:
    if not extra:
        return config
    if not isinstance(extra, botocore.config.Config):
        extra = botocore.config.Config(**extra)
    return config.merge(extra)


def boto3_session(profile: str | None) -> Any:
    """A boto3 session for profile whose botocore session uses the warmed loader."""
    core = botocore.session.Session()
    if _LOADER is not None:
        core.register_component("data_loader", _LOADER)
    session = boto3.session.Session(botocore_session=core, profile_name=profile)
    if _LOADER is not None:
        # boto3 appends its own data path to the loader of every session; keep one of each.
        _LOADER.search_paths[:] = list(dict.fromkeys(_LOADER.search_paths))
    return session


def create_client(service: str, region: str | None, endpoint: str | None, **params: Any) -> Any:
    """A boto3 client as amazon.aws's _boto3_conn(conn_type="client") makes it (raises as it does)."""
    from ansible_collections.amazon.aws.plugins.module_utils.botocore import enable_placebo

    profile = params.pop("profile_name", None)
    config = botocore.config.Config(user_agent=user_agent())
    for name in ("config", "aws_config"):
        config = _merged_config(config, params.pop(name, None))
    session = boto3_session(profile)
    enable_placebo(session)
    return session.client(service, config=config, region_name=region, endpoint_url=endpoint, **params)
