"""Fixtures for the `coffer encrypt` / `coffer decrypt` tests: a Coffer KMS server on a free port, a KMS
key, and helpers that run the coffer CLI, aws-encryption-cli and the Python AWS Encryption SDK against it."""
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

import boto3
import pytest
from botocore.config import Config

COFFER = pathlib.Path(os.environ["COFFER_BIN"])  # scripts/test sets it to the debug build
AWS_ENCRYPTION_CLI = pathlib.Path(sys.executable).parent / "aws-encryption-cli"
ACCOUNT = "123456789012"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Coffer:
    def __init__(self, data_dir, port, process):
        self.data_dir = data_dir
        self.port = port
        self.process = process
        self.endpoint = "https://127.0.0.1:%d" % port
        self.ca = data_dir / "tls" / "ca.pem"
        self.credentials_file = data_dir / "credentials"

    def env(self, **extra):
        """Environment for every client: endpoint, CA bundle, credentials file, region."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            AWS_ENDPOINT_URL_KMS=self.endpoint,
            AWS_CA_BUNDLE=str(self.ca),
            AWS_SHARED_CREDENTIALS_FILE=str(self.credentials_file),
            AWS_DEFAULT_REGION="us-east-1",
        )
        env.update(extra)
        return env

    def kms(self):
        return boto3.client(
            "kms", endpoint_url=self.endpoint, verify=str(self.ca), region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))


@pytest.fixture(scope="session")
def coffer(tmp_path_factory):
    if not COFFER.exists():
        pytest.skip("coffer binary not found at %s" % COFFER)
    data_dir = tmp_path_factory.mktemp("coffer-data")
    port = _free_port()
    log = open(data_dir.parent / ("coffer-%d.log" % port), "wb")
    process = subprocess.Popen(
        [str(COFFER), "serve", "--test-mode", "--data-dir", str(data_dir), "--port", str(port), "--event-loop-threads", "1",
         "--log-level", "warning"],
        stdout=log, stderr=subprocess.STDOUT)
    server = Coffer(data_dir, port, process)
    try:
        deadline = time.time() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("coffer exited with %s" % process.returncode)
            if server.ca.exists() and server.credentials_file.exists():
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    pass
            if time.time() > deadline:
                raise RuntimeError("coffer did not start")
            time.sleep(0.2)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def kms_key(coffer):
    return coffer.kms().create_key(Description="coffer cli tests")["KeyMetadata"]["Arn"]


@pytest.fixture(scope="session")
def esdk_bin():
    """The CLI under test: `coffer` itself, whose encrypt/decrypt subcommands the tests call."""
    return COFFER


@pytest.fixture
def run_esdk(esdk_bin, coffer):
    """Runs coffer with the clients' environment (AWS_CA_BUNDLE=DATA/tls/ca.pem trusts Coffer's
    CA); returns the CompletedProcess."""
    def run(*args, input=None, env=None, check=True):
        command = [str(esdk_bin)] + [str(a) for a in args]
        result = subprocess.run(command, input=input, capture_output=True, env=env or coffer.env(), timeout=120)
        if check and result.returncode != 0:
            raise AssertionError("coffer %s failed (%d): %s" % (args[:1], result.returncode, result.stderr.decode()))
        return result
    return run


@pytest.fixture
def run_aws_cli(coffer):
    def run(*args, input=None, check=True):
        result = subprocess.run([str(AWS_ENCRYPTION_CLI)] + [str(a) for a in args], input=input, capture_output=True,
                                env=coffer.env(), timeout=120)
        if check and result.returncode != 0:
            raise AssertionError("aws-encryption-cli failed (%d): %s" % (result.returncode, result.stderr.decode()))
        return result
    return run


@pytest.fixture
def python_kms(coffer, monkeypatch):
    """Environment for the in-process Python SDK's KMS provider (botocore reads it)."""
    for key in list(os.environ):
        if key.startswith("AWS_"):
            monkeypatch.delenv(key)
    for key, value in coffer.env().items():
        if key.startswith("AWS_"):
            monkeypatch.setenv(key, value)
    return coffer
