# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudaudit.aws collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cloudtrail_athena through the pipeline: one Resource per state.

present: the audit bucket is checked first (it exists, and its layout matches s3_key_prefix /
organization_id), then the results bucket, the Glue database and table and the Athena workgroup are
read and brought to the desired state, in that order (the bucket the workgroup writes to exists and is
protected before the workgroup points at it). absent: the workgroup and the table go; the database and
the audit bucket stay; the results bucket only with delete_results_bucket=true.
"""

from __future__ import annotations

import functools
from typing import Any

from .._aws import athena as aws_athena
from .._aws import ec2 as aws_ec2
from .._aws import glue as aws_glue
from .._aws import organizations as aws_organizations
from .._aws import s3 as aws_s3
from .._common.changes import Change
from .._common.concurrency import read_concurrently
from .._common.errors import CloudAuditError
from .._common.partition import partition_of
from .._common.pipeline import Context, Resource, run_state
from . import layout, model
from . import table as glue_table

DATABASE_DESCRIPTION = "CloudTrail logs of the audit bucket (cloudaudit.aws)"
WORK_GROUP_DESCRIPTION = "CloudTrail log searches over the audit bucket (cloudaudit.aws)"


def ensure(module: Any) -> dict[str, Any]:
    return run_state(Context(module), {"present": AthenaPresent, "absent": AthenaAbsent})


class _Athena(Resource):
    """What both states share: names, the reads of the table, workgroup and results bucket, the result."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        params = ctx.params
        self.work_group_params: dict[str, Any] = dict(params.get("workgroup") or {})
        self.database: str = params["database"]
        self.table_name: str = params["table"]
        self.work_group: str = self.work_group_params["name"]
        self.region: str = ctx.region or "us-east-1"
        self.partition = partition_of(self.region)
        self.account_id = ""
        self.results_bucket = ""
        self.table_aws: dict[str, Any] | None = None
        self.raw_policy: dict[str, Any] | None = None
        self.raw_lifecycle: dict[str, Any] | None = None

    def validate(self) -> None:
        model.validate(self.ctx.params, self.ctx.region)

    def _names(self) -> None:
        self.account_id = self.ctx.identity()["account_id"]
        self.results_bucket = self.work_group_params.get("results_bucket") or model.default_results_bucket(self.account_id, self.region)

    def _work_group_arn(self) -> str:
        return f"arn:{self.partition}:athena:{self.region}:{self.account_id}:workgroup/{self.work_group}"

    def _read_table(self) -> dict[str, Any] | None:
        self.table_aws = aws_glue.get_table(self.ctx.client("glue"), self.database, self.table_name)
        return glue_table.view(glue_table.normalise(self.table_aws), self.table_name, self.database)

    def _read_results_bucket(self, with_tags: bool) -> dict[str, Any]:
        client = self.ctx.client("s3")
        exists = aws_s3.bucket_exists(client, self.results_bucket)
        if exists is None:
            raise CloudAuditError(
                f"bucket '{self.results_bucket}' belongs to another account (or access to it is denied); name a bucket of account {self.account_id}",
                "workgroup.results_bucket",
            )
        if not exists:
            return {"results_bucket": None}
        reads = {
            "ownership": functools.partial(aws_s3.get_bucket_ownership_controls, client, self.results_bucket),
            "public_access_block": functools.partial(aws_s3.get_public_access_block, client, self.results_bucket),
            "encryption": functools.partial(aws_s3.get_bucket_encryption, client, self.results_bucket),
            "policy": functools.partial(aws_s3.get_bucket_policy, client, self.results_bucket),
            "lifecycle": functools.partial(aws_s3.get_bucket_lifecycle_configuration, client, self.results_bucket),
        }
        if with_tags:
            reads["tags"] = functools.partial(aws_s3.get_bucket_tagging, client, self.results_bucket)
        raw = read_concurrently(reads)
        self.raw_policy, self.raw_lifecycle = raw["policy"], raw["lifecycle"]
        rules = (raw["ownership"] or {}).get("Rules") or [{}]
        state = {
            "results_bucket": self.results_bucket,
            "results_bucket_ownership": rules[0].get("ObjectOwnership"),
            "results_bucket_public_access_block": {k: bool((raw["public_access_block"] or {}).get(k)) for k in model.PAB_ON},
            "results_bucket_encryption": model.normalise_encryption(raw["encryption"]),
            "results_bucket_tls_only": model.has_tls_statement(raw["policy"], self.results_bucket, self.partition),
            "results_bucket_expiry": model.expiry_of(raw["lifecycle"]),
        }
        if with_tags:
            state["results_bucket_tags"] = raw["tags"] or {}
        return state

    def _read_work_group(self, with_tags: bool) -> dict[str, Any]:
        client = self.ctx.client("athena")
        work_group = model.normalise_work_group(aws_athena.get_work_group(client, self.work_group))
        state: dict[str, Any] = {"workgroup": work_group}
        if with_tags and work_group is not None:
            state["workgroup_tags"] = aws_athena.list_tags_for_resource(client, self._work_group_arn())
        return state

    def write(self, change: Change) -> None:
        getattr(self, f"_write_{change.setting}")(change)

    def after(self, desired: Any, current: Any, changes: list[Change]) -> dict[str, Any]:
        return model.after(current, changes)

    def view(self, state: Any, desired: Any) -> dict[str, Any]:
        return {k: v for k, v in (state or {}).items() if k in desired}

    def result(self, desired: Any, after: Any) -> dict[str, Any]:
        table = after.get("table") or {}
        work_group = after.get("workgroup") or {}
        return {
            "database": self.database,
            "table": self.table_name,
            "location": table.get("location"),
            "location_template": table.get("location_template"),
            "accounts": table.get("accounts"),
            "regions": table.get("regions"),
            "projection_start": table.get("projection_start"),
            "workgroup": {
                "name": self.work_group,
                "output_location": work_group.get("OutputLocation"),
                "bytes_scanned_cutoff": work_group.get("BytesScannedCutoffPerQuery"),
            },
            "results_bucket": self.results_bucket,
        }

    # writes shared by both states
    def _write_workgroup(self, change: Change) -> None:
        client = self.ctx.client("athena")
        if change.action == "delete":
            aws_athena.delete_work_group(client, self.work_group)
        elif change.action == "create":
            aws_athena.create_work_group(client, self.work_group, model.work_group_configuration(change.after), WORK_GROUP_DESCRIPTION, {})
        else:
            before, after = change.before or {}, change.after
            state = after["State"] if before.get("State") != after["State"] else None
            aws_athena.update_work_group(client, self.work_group, model.configuration_updates(before, after), state)

    def _write_table(self, change: Change) -> None:
        client = self.ctx.client("glue")
        if change.action == "delete":
            aws_glue.delete_table(client, self.database, self.table_name)
            return
        table_input = glue_table.table_input(self.table_name, change.after["definition"], self.table_aws)
        if change.action == "create":
            aws_glue.create_table(client, self.database, table_input)
        else:
            aws_glue.update_table(client, self.database, table_input)

    def _write_results_bucket(self, change: Change) -> None:
        client = self.ctx.client("s3")
        if change.action == "create":
            aws_s3.create_bucket(client, self.results_bucket, self.region, False)
            return
        versions = aws_s3.list_object_versions(client, self.results_bucket)
        for start in range(0, len(versions), aws_s3.DELETE_BATCH):
            errors = aws_s3.delete_objects(client, self.results_bucket, None, versions[start : start + aws_s3.DELETE_BATCH])
            if errors:
                raise CloudAuditError(f"could not empty bucket '{self.results_bucket}': {errors[0]}", "delete_results_bucket")
        aws_s3.delete_bucket(client, self.results_bucket)


class AthenaPresent(_Athena):
    """The table, database, workgroup (and results bucket) as the task describes them."""

    def desired(self) -> dict[str, Any]:
        params = self.ctx.params
        self._names()
        self._check_audit_bucket()
        current_table = self._read_table()
        self.current_table = current_table
        spec = {
            "bucket": params["bucket"],
            "s3_key_prefix": params.get("s3_key_prefix"),
            "organization_id": params.get("organization_id"),
            **self._projection(current_table),
        }
        desired: dict[str, Any] = {
            "database": {"name": self.database},
            "table": glue_table.view(glue_table.definition(spec), self.table_name, self.database),
            "workgroup": model.work_group_desired(self.work_group_params, self.results_bucket),
        }
        if params.get("tags") is not None:
            desired["workgroup_tags"] = dict(params["tags"])
        if params.get("manage_results_bucket"):
            desired["results_bucket"] = self.results_bucket
            desired.update(model.results_bucket_desired(self.work_group_params))
            if params.get("tags") is not None:
                desired["results_bucket_tags"] = dict(params["tags"])
        return desired

    def _check_audit_bucket(self) -> None:
        """Before any write, in check mode too: the audit bucket exists and holds logs where the table will look."""
        params = self.ctx.params
        client = self.ctx.client("s3")
        bucket = params["bucket"]
        exists = aws_s3.bucket_exists(client, bucket)
        if not exists:
            said = "does not exist" if exists is False else "is not visible to the credentials in use (another account's, or access denied)"
            raise CloudAuditError(f"bucket '{bucket}' {said}; name the bucket the trail delivers to", "bucket")
        root = glue_table.logs_root(bucket, params.get("s3_key_prefix"), None)
        under_root = aws_s3.list_objects(client, bucket, None, root, "/", 1000)["prefixes"]
        sample = None if under_root else aws_s3.list_objects(client, bucket, None, "", "", 100)["keys"]
        warning = layout.check(bucket, params.get("s3_key_prefix"), params.get("organization_id"), under_root, sample)
        if warning:
            self.ctx.warn(warning)

    def _projection(self, current_table: dict[str, Any] | None) -> dict[str, Any]:
        """accounts, regions, projection_start: as given; unset, as the table has them; for a new table, the defaults."""
        params = self.ctx.params
        current = current_table or {}
        accounts = params.get("accounts")
        if accounts is None and params.get("accounts_from_organization"):
            accounts = [a["Id"] for a in aws_organizations.list_accounts(self.ctx.client("organizations"))]
        accounts = accounts or current.get("accounts") or [self.account_id]
        regions = params.get("regions") or current.get("regions")
        if not regions:
            regions = [r["RegionName"] for r in aws_ec2.describe_regions(self.ctx.client("ec2"))] or [self.region]
        start = params.get("projection_start") or current.get("projection_start") or model.default_projection_start()
        return {"accounts": sorted(set(accounts)), "regions": sorted(set(regions)), "projection_start": start}

    def read(self, desired: dict[str, Any]) -> dict[str, Any]:
        reads = {
            "database": lambda: {"name": self.database} if aws_glue.get_database(self.ctx.client("glue"), self.database) else None,
            "workgroup": functools.partial(self._read_work_group, "workgroup_tags" in desired),
        }
        if "results_bucket" in desired:
            reads["results_bucket"] = functools.partial(self._read_results_bucket, "results_bucket_tags" in desired)
        raw = read_concurrently(reads)
        state: dict[str, Any] = {"database": raw["database"], "table": self.current_table, **raw["workgroup"]}
        state.update(raw.get("results_bucket") or {})
        return state

    def compare(self, desired: dict[str, Any], current: dict[str, Any]) -> list[Change]:
        return model.compare_present(desired, current, bool(self.ctx.params.get("purge_tags")))

    def _write_database(self, change: Change) -> None:
        aws_glue.create_database(self.ctx.client("glue"), self.database, DATABASE_DESCRIPTION)

    def _write_workgroup_tags(self, change: Change) -> None:
        client = self.ctx.client("athena")
        if change.details.get("remove"):
            aws_athena.untag_resource(client, self._work_group_arn(), list(change.details["remove"]))
        if change.details.get("set"):
            aws_athena.tag_resource(client, self._work_group_arn(), dict(change.details["set"]))

    def _bucket_write(self, wrapper: Any, *args: Any) -> None:
        wrapper(self.ctx.client("s3"), self.results_bucket, None, *args)

    def _write_results_bucket_ownership(self, change: Change) -> None:
        self._bucket_write(aws_s3.put_bucket_ownership_controls, change.after)

    def _write_results_bucket_public_access_block(self, change: Change) -> None:
        self._bucket_write(aws_s3.put_public_access_block, dict(change.after))

    def _write_results_bucket_encryption(self, change: Change) -> None:
        rule = {"ApplyServerSideEncryptionByDefault": dict(change.after), "BucketKeyEnabled": change.after["SSEAlgorithm"] == "aws:kms"}
        self._bucket_write(aws_s3.put_bucket_encryption, {"Rules": [rule]})

    def _write_results_bucket_tls_only(self, change: Change) -> None:
        self._bucket_write(aws_s3.put_bucket_policy, model.policy_with_tls(self.raw_policy, self.results_bucket, self.partition))

    def _write_results_bucket_expiry(self, change: Change) -> None:
        minimum_size = (self.raw_lifecycle or {}).get("TransitionDefaultMinimumObjectSize")
        self._bucket_write(aws_s3.put_bucket_lifecycle_configuration, model.lifecycle_rules_with_expiry(self.raw_lifecycle, change.after), minimum_size)

    def _write_results_bucket_tags(self, change: Change) -> None:
        if change.after:
            self._bucket_write(aws_s3.put_bucket_tagging, dict(change.after))
        else:
            aws_s3.delete_bucket_tagging(self.ctx.client("s3"), self.results_bucket)


class AthenaAbsent(_Athena):
    """No table, no workgroup (the database and the audit bucket stay; the results bucket with delete_results_bucket)."""

    def desired(self) -> dict[str, Any]:
        self._names()
        desired: dict[str, Any] = {"table": None, "workgroup": None}
        if self.ctx.params.get("delete_results_bucket"):
            desired["results_bucket"] = None
        return desired

    def read(self, desired: dict[str, Any]) -> dict[str, Any]:
        reads = {"table": self._read_table, "workgroup": functools.partial(self._read_work_group, False)}
        if "results_bucket" in desired:
            reads["results_bucket"] = functools.partial(self._bucket_exists)
        raw = read_concurrently(reads)
        return {"table": raw["table"], **raw["workgroup"], "results_bucket": raw.get("results_bucket")}

    def _bucket_exists(self) -> str | None:
        return self.results_bucket if aws_s3.bucket_exists(self.ctx.client("s3"), self.results_bucket) else None

    def compare(self, desired: dict[str, Any], current: dict[str, Any]) -> list[Change]:
        return model.compare_absent(current, bool(self.ctx.params.get("delete_results_bucket")))
