"""Helpers shared by the IAM/STS, KMS authorization and grant tests: extra accounts (made with
`coffer accounts create` on the server's data directory), IAM users with access keys and inline
policies, roles, and boto3 clients for any credentials (including STS session credentials)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

import boto3
import botocore.config

from conftest import REGION, Coffer

_CONFIG = botocore.config.Config(
    retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=10, read_timeout=60,
)


def unique_name(prefix: str = "e2e") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def make_client(server: Coffer, service: str, access_key: str, secret_key: str, session_token: Optional[str] = None,
                *, validate: bool = True):
    cfg = _CONFIG.merge(botocore.config.Config(parameter_validation=validate))
    session = boto3.session.Session(
        aws_access_key_id=access_key, aws_secret_access_key=secret_key, aws_session_token=session_token, region_name=REGION,
    )
    return session.client(service, endpoint_url=server.endpoint, verify=server.ca, config=cfg)


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: Any, resource: Any = "*", condition: Optional[dict] = None, **extra) -> dict:
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    statement.update(extra)
    return statement


def deny(action: Any, resource: Any = "*", condition: Optional[dict] = None, **extra) -> dict:
    statement = allow(action, resource, condition, **extra)
    statement["Effect"] = "Deny"
    return statement


@dataclass
class Principal:
    """Credentials of a root, user or role session, with cached clients."""
    server: Coffer
    account_id: str
    arn: str
    access_key: str
    secret_key: str
    session_token: Optional[str] = None
    name: Optional[str] = None
    _clients: dict = field(default_factory=dict)

    def client(self, service: str = "kms", *, validate: bool = True):
        slot = (service, validate)
        if slot not in self._clients:
            self._clients[slot] = make_client(self.server, service, self.access_key, self.secret_key, self.session_token,
                                              validate=validate)
        return self._clients[slot]

    def close(self) -> None:
        """Close the clients' connections (a server stops faster without idle keep-alive connections)."""
        for c in self._clients.values():
            c.close()
        self._clients.clear()

    @property
    def kms(self):
        return self.client("kms")

    @property
    def iam(self):
        return self.client("iam")

    @property
    def sts(self):
        return self.client("sts")


class Account:
    """An account on a running server, driven through its root credentials."""

    def __init__(self, server: Coffer, account_id: str, access_key: str, secret_key: str):
        self.server = server
        self.id = account_id
        self.root = Principal(server, account_id, f"arn:aws:iam::{account_id}:root", access_key, secret_key)

    @classmethod
    def create(cls, server: Coffer) -> "Account":
        out = server.coffer("accounts", "create", "--data-dir", str(server.data_dir), "--json").stdout
        info = json.loads(out)
        assert len(info["AccountId"]) == 12 and info["AccountId"].isdigit(), info
        return cls(server, info["AccountId"], info["AccessKeyId"], info["SecretAccessKey"])

    @property
    def root_arn(self) -> str:
        return self.root.arn

    def user(self, *statements: dict, tags: Optional[dict] = None, path: str = "/", prefix: str = "user") -> Principal:
        """A new IAM user with one access key and, when statements are given, one inline policy."""
        name = unique_name(prefix)
        kw: dict = {"UserName": name, "Path": path}
        if tags:
            kw["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        created = self.root.iam.create_user(**kw)["User"]
        if statements:
            self.root.iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument=policy(*statements))
        key = self.root.iam.create_access_key(UserName=name)["AccessKey"]
        return Principal(self.server, self.id, created["Arn"], key["AccessKeyId"], key["SecretAccessKey"], name=name)

    def role(self, trusted: Any, *statements: dict, max_session: Optional[int] = None, tags: Optional[dict] = None) -> dict:
        """A new role whose trust policy lets `trusted` (an ARN or a list) call sts:AssumeRole."""
        name = unique_name("role")
        trust = policy({"Effect": "Allow", "Principal": {"AWS": trusted}, "Action": "sts:AssumeRole"})
        kw: dict = {"RoleName": name, "AssumeRolePolicyDocument": trust}
        if max_session:
            kw["MaxSessionDuration"] = max_session
        if tags:
            kw["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        role = self.root.iam.create_role(**kw)["Role"]
        if statements:
            self.root.iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=policy(*statements))
        return role


def assume(who: Principal, role_arn: str, session_name: Optional[str] = None, **kw) -> Principal:
    """AssumeRole as `who`; the session's credentials as a Principal."""
    session_name = session_name or unique_name("s")
    out = who.sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name, **kw)
    creds = out["Credentials"]
    return Principal(who.server, role_arn.split(":")[4], out["AssumedRoleUser"]["Arn"], creds["AccessKeyId"],
                     creds["SecretAccessKey"], creds["SessionToken"], name=session_name)


def denied_message(caller_arn: str, action: str, resource: str, why: str) -> str:
    """AWS's AccessDeniedException message for KMS (and IAM/STS)."""
    reasons = {
        "no-identity": f"because no identity-based policy allows the {action} action",
        "no-resource": f"because no resource-based policy allows the {action} action",
        "deny-resource": "with an explicit deny in a resource-based policy",
        "deny-identity": "with an explicit deny in an identity-based policy",
    }
    return f"User: {caller_arn} is not authorized to perform: {action} on resource: {resource} {reasons[why]}"
