"""Helpers of the S3 end-to-end tests: boto3 S3 clients, unique bucket names, body bytes."""

from __future__ import annotations

import hashlib
import os
import uuid

import boto3
import botocore.config

from conftest import REGION, Coffer


def bucket_name(prefix: str = "e2e") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def s3_client(server: Coffer, *, access_key: str | None = None, secret_key: str | None = None, session_token: str | None = None,
              region: str = REGION, endpoint: str | None = None, addressing: str = "path", checksums: str = "when_supported",
              validate: bool = True, signature_version: str | None = None):
    config = botocore.config.Config(
        signature_version=signature_version,
        retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=10, read_timeout=120,
        s3={"addressing_style": addressing}, request_checksum_calculation=checksums, parameter_validation=validate,
    )
    session = boto3.session.Session(
        aws_access_key_id=access_key or server.access_key, aws_secret_access_key=secret_key or server.secret_key,
        aws_session_token=session_token, region_name=region,
    )
    return session.client("s3", endpoint_url=endpoint or server.endpoint, verify=server.ca, config=config)


def random_bytes(n: int) -> bytes:
    return os.urandom(n)


def md5_etag(data: bytes) -> str:
    return '"' + hashlib.md5(data).hexdigest() + '"'
