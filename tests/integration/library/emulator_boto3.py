# Test-only module: make one boto3 call against the emulator (to create drift "by someone else").
from __future__ import annotations

DOCUMENTATION = r"""
module: emulator_boto3
short_description: Call any AWS operation with boto3 against the test emulator (tests only)
options:
  service:
    type: str
    required: true
  operation:
    type: str
    required: true
    description: The boto3 method name, e.g. delete_bucket_lifecycle.
  params:
    type: dict
    default: {}
  account:
    type: str
    description: Act in this account (via sts:AssumeRole) instead of the default one.
  region:
    type: str
  ignore_errors_codes:
    type: list
    elements: str
    default: []
author: cloudaudit.aws tests
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(
        argument_spec=dict(
            service=dict(type="str", required=True),
            operation=dict(type="str", required=True),
            params=dict(type="dict", default={}),
            account=dict(type="str"),
            region=dict(type="str"),
            ignore_errors_codes=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=False,
    )
    import boto3
    import botocore.exceptions

    region = module.params["region"] or os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    kwargs = {"region_name": region, "endpoint_url": os.environ["EMULATOR_URL"]}
    if module.params["service"] == "s3control":  # the account-prefixed endpoint (tests/harness.py s3control_endpoint)
        kwargs["endpoint_url"] = os.environ.get("AWS_ENDPOINT_URL_S3_CONTROL", kwargs["endpoint_url"])
    if module.params["account"]:
        sts = boto3.client("sts", **kwargs)
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{module.params['account']}:role/OrganizationAccountAccessRole", RoleSessionName="drift")["Credentials"]
        kwargs.update(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    client = boto3.client(module.params["service"], **kwargs)
    try:
        response = getattr(client, module.params["operation"])(**module.params["params"])
    except botocore.exceptions.ClientError as e:
        code = e.response["Error"]["Code"]
        if code in module.params["ignore_errors_codes"]:
            module.exit_json(changed=False, error_code=code)
        module.fail_json(msg=str(e), error_code=code)
    response.pop("ResponseMetadata", None)
    for key, value in list(response.items()):
        if hasattr(value, "read"):
            response[key] = value.read().decode("utf-8", "replace")
    module.exit_json(changed=True, response=json.loads(json.dumps(response, default=str)))


if __name__ == "__main__":
    main()
