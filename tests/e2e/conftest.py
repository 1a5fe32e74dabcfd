"""End-to-end test harness for Coffer.

Starts the real `coffer` binary (``$COFFER_BIN``, default ``.build/debug/coffer``)
on a free loopback port with a fresh data directory, waits for ``/health`` and
hands tests a :class:`Coffer` handle with helpers for boto3, the ``aws`` CLI and
raw, hand-signed HTTP requests.

All traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import configparser
import datetime as _dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Iterable, Optional

import boto3
import botocore.config
import pytest
import requests
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REPO_ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
STARTUP_TIMEOUT = float(os.environ.get("COFFER_STARTUP_TIMEOUT", "60"))
STOP_TIMEOUT = float(os.environ.get("COFFER_STOP_TIMEOUT", "20"))
TEST_ACCOUNT_ID = "123456789012"

# Keep the test process itself away from whatever AWS configuration the
# machine has (profiles, endpoints, CA bundles, real credentials).
for _name in list(os.environ):
    if _name.startswith("AWS_"):
        del os.environ[_name]
_NO_AWS_HOME = Path(os.environ.get("TMPDIR", "/tmp")) / f"coffer-e2e-noaws-{os.getpid()}"
os.environ["AWS_CONFIG_FILE"] = str(_NO_AWS_HOME / "config")
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = str(_NO_AWS_HOME / "credentials")
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def coffer_bin() -> Path:
    p = Path(os.environ.get("COFFER_BIN", REPO_ROOT / ".build" / "debug" / "coffer"))
    if not p.is_absolute():
        p = REPO_ROOT / p
    return p


def aws_cli_path() -> str:
    beside = Path(sys.executable).parent / "aws"
    if beside.exists():
        return str(beside)
    found = shutil.which("aws")
    if not found:
        pytest.skip("aws CLI not installed")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def error_code(exc: ClientError) -> str:
    return exc.response["Error"]["Code"]


def error_type(resp: requests.Response) -> str:
    """The `__type` of a raw JSON error response, without any namespace."""
    body = resp.json()
    return str(body.get("__type", "")).split("#")[-1]


def error_message(resp: requests.Response) -> str:
    body = resp.json()
    return str(body.get("message", body.get("Message", "")))


# --------------------------------------------------------------------------
# SigV4 signing with a chosen clock (botocore's signer, our timestamp)
# --------------------------------------------------------------------------

def sign_request(
    req: AWSRequest,
    access_key: str,
    secret_key: str,
    *,
    region: str = REGION,
    service: str = "kms",
    when: Optional[_dt.datetime] = None,
    query: bool = False,
    expires: int = 300,
) -> None:
    """Sign ``req`` in place as botocore would, but at time ``when``.

    With ``query=True`` the signature goes into the query string
    (X-Amz-Algorithm, X-Amz-Credential, ...) instead of the Authorization
    header; the JSON body stays the body and its SHA-256 is the payload hash.
    """
    creds = Credentials(access_key, secret_key)
    if query:
        auth: SigV4Auth = SigV4QueryAuth(creds, service, region, expires=expires)
    else:
        auth = SigV4Auth(creds, service, region)
    if when is None:
        when = _dt.datetime.now(_dt.timezone.utc)
    req.context["timestamp"] = when.strftime("%Y%m%dT%H%M%SZ")
    if query:
        # SigV4QueryAuth would move body params into the query string; KMS
        # takes a JSON body, so keep it where it is.
        body = req.data
        req.data = b""
        auth._modify_request_before_signing(req)
        req.data = body
    else:
        auth._modify_request_before_signing(req)
    canonical = auth.canonical_request(req)
    sts = auth.string_to_sign(req, canonical)
    auth._inject_signature_to_request(req, auth.signature(sts, req))


# --------------------------------------------------------------------------
# The server handle
# --------------------------------------------------------------------------

class Coffer:
    """One running `coffer serve` process."""

    def __init__(self, workdir: Path, data_dir: Path, port: int, test_mode: bool,
                 extra_args: Iterable[str], name: str, via_env: bool = False):
        self.workdir = workdir
        self.data_dir = data_dir
        self.port = port
        self.test_mode = test_mode
        self.extra_args = list(extra_args)
        self.name = name
        self.via_env = via_env  # pass data dir / port as COFFER_DATA_DIR / COFFER_PORT
        self.endpoint = f"https://127.0.0.1:{port}"
        self.ca = str(data_dir / "tls" / "ca.pem")
        self.proc: Optional[subprocess.Popen] = None
        self.returncode: Optional[int] = None
        self.access_key = ""
        self.secret_key = ""
        self._starts = 0
        self._account_id: Optional[str] = None
        self.created_during = _CURRENT_TEST[0]

    # ---- logs --------------------------------------------------------
    @property
    def stdout_path(self) -> Path:
        return self.workdir / f"{self.name}.stdout.log"

    @property
    def stderr_path(self) -> Path:
        return self.workdir / f"{self.name}.stderr.log"

    def logs(self, limit: int = 8000) -> str:
        out = []
        for p in (self.stdout_path, self.stderr_path):
            try:
                text = p.read_text(errors="replace")
            except FileNotFoundError:
                text = "<missing>"
            if len(text) > limit:
                text = "...\n" + text[-limit:]
            out.append(f"--- {p.name} ---\n{text}")
        return "\n".join(out)

    # ---- lifecycle ---------------------------------------------------
    def command(self) -> list[str]:
        cmd = [str(coffer_bin()), "serve"]
        if not self.via_env:
            cmd += ["--data-dir", str(self.data_dir), "--port", str(self.port)]
        if self.test_mode:
            cmd.insert(2, "--test-mode")
        return cmd + self.extra_args

    def start(self) -> "Coffer":
        binary = coffer_bin()
        if not binary.exists():
            pytest.fail(f"coffer binary not found at {binary} (set COFFER_BIN)")
        self._starts += 1
        mode = "w" if self._starts == 1 else "a"
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.pop("COFFER_DATA_DIR", None)
        env.pop("COFFER_PORT", None)
        if self.via_env:
            env["COFFER_DATA_DIR"] = str(self.data_dir)
            env["COFFER_PORT"] = str(self.port)
        with open(self.stdout_path, mode) as out, open(self.stderr_path, mode) as err:
            if self._starts > 1:
                out.write(f"\n===== restart #{self._starts} =====\n")
                out.flush()
            self.proc = subprocess.Popen(self.command(), stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, env=env, cwd=self.workdir)
        self.returncode = None
        _RUNNING.append(self)
        self.wait_ready()
        if self.test_mode:
            self.access_key, self.secret_key = self._test_mode_keys()
        else:
            self.access_key, self.secret_key = self.read_credentials()
        return self

    def _test_mode_keys(self) -> tuple[str, str]:
        ak, sk = "test", "test"
        args = self.extra_args
        for i, a in enumerate(args):
            if a == "--access-key-id" and i + 1 < len(args):
                ak = args[i + 1]
            if a == "--secret-access-key" and i + 1 < len(args):
                sk = args[i + 1]
        return ak, sk

    def wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        last = "no attempt"
        delay = 0.05
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                self.returncode = rc
                _forget(self)
                pytest.fail(f"coffer serve exited early with code {rc}\n{self.logs()}")
            if Path(self.ca).exists():
                try:
                    r = requests.get(self.endpoint + "/health", verify=self.ca, timeout=5)
                    if r.status_code == 200:
                        return
                    last = f"HTTP {r.status_code}: {r.text[:200]}"
                except requests.RequestException as e:  # not up yet
                    last = repr(e)
            else:
                last = f"{self.ca} does not exist yet"
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)
        self.kill()
        pytest.fail(f"coffer serve not healthy after {STARTUP_TIMEOUT}s (last: {last})\n{self.logs()}")

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM the server (by PID), wait, and return its exit code.

        If it does not exit within ``timeout`` it is SIGKILLed and the test fails.
        """
        if self.proc is None:
            raise RuntimeError("server was never started")
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                _forget(self)
                pytest.fail(f"coffer serve (pid {self.proc.pid}) ignored SIGTERM for {timeout}s\n{self.logs()}")
        self.returncode = self.proc.returncode
        _forget(self)
        return self.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        if self.proc is not None:
            self.returncode = self.proc.returncode
        _forget(self)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # ---- files ---------------------------------------------------------
    @property
    def credentials_path(self) -> Path:
        return self.data_dir / "credentials"

    def read_credentials(self) -> tuple[str, str]:
        cp = configparser.ConfigParser()
        read = cp.read(self.credentials_path)
        assert read, f"{self.credentials_path} missing\n{self.logs()}"
        assert cp.has_section("default"), f"no [default] profile in {self.credentials_path}"
        sec = cp["default"]
        return sec["aws_access_key_id"].strip(), sec["aws_secret_access_key"].strip()

    # ---- clients -------------------------------------------------------
    def client(self, *, access_key: Optional[str] = None, secret_key: Optional[str] = None,
               region: str = REGION, validate: bool = True, service: str = "kms"):
        cfg = botocore.config.Config(
            retries={"mode": "standard", "total_max_attempts": 1},
            connect_timeout=10,
            read_timeout=60,
            parameter_validation=validate,
        )
        session = boto3.session.Session(
            aws_access_key_id=access_key if access_key is not None else self.access_key,
            aws_secret_access_key=secret_key if secret_key is not None else self.secret_key,
            region_name=region,
        )
        return session.client(service, endpoint_url=self.endpoint, verify=self.ca, config=cfg)

    def account_id(self) -> str:
        if self._account_id is None:
            kms = self.client()
            md = kms.create_key(Description="account-id probe")["KeyMetadata"]
            self._account_id = md["AWSAccountId"]
        return self._account_id

    def aws_env(self, *, access_key: Optional[str] = None, secret_key: Optional[str] = None,
                region: str = REGION) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        home = self.workdir / "aws-home"
        home.mkdir(exist_ok=True)
        env.update({
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_CA_BUNDLE": self.ca,
            "AWS_ACCESS_KEY_ID": access_key if access_key is not None else self.access_key,
            "AWS_SECRET_ACCESS_KEY": secret_key if secret_key is not None else self.secret_key,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_CONFIG_FILE": str(home / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
            "AWS_RETRY_MODE": "standard",
            "AWS_MAX_ATTEMPTS": "1",
        })
        return env

    def aws(self, *args: str, check: bool = True, cwd: Optional[Path] = None,
            **env_kw: Any) -> subprocess.CompletedProcess:
        """Run the aws CLI against this server."""
        cmd = [aws_cli_path(), *args]
        res = subprocess.run(cmd, env=self.aws_env(**env_kw), capture_output=True, text=True,
                             timeout=120, cwd=cwd or self.workdir)
        if check and res.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} exited {res.returncode}\nstdout: {res.stdout}\nstderr: {res.stderr}")
        return res

    def coffer(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run another `coffer` subcommand (e.g. access-keys) on this data dir."""
        cmd = [str(coffer_bin()), *args]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=self.workdir,
                             stdin=subprocess.DEVNULL)
        if check and res.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} exited {res.returncode}\nstdout: {res.stdout}\nstderr: {res.stderr}")
        return res

    def raw(
        self,
        target: Optional[str],
        body: Any = None,
        *,
        sign: bool = True,
        access_key: Optional[str] = None,
        secret_key: Optional[str] = None,
        region: str = REGION,
        service: str = "kms",
        when: Optional[_dt.datetime] = None,
        query_auth: bool = False,
        headers: Optional[dict[str, str]] = None,
        path: str = "/",
        mutate: Any = None,
    ) -> requests.Response:
        """POST a KMS JSON 1.1 request by hand.

        ``target`` is the operation (``"ListKeys"``) or a full X-Amz-Target
        value (anything with a dot); ``body`` is a dict (JSON-encoded), bytes or
        str (sent as-is). ``mutate(prepared_headers, body) -> (headers, body)``
        may change the request after signing.
        """
        if body is None:
            data = b"{}"
        elif isinstance(body, (bytes, bytearray)):
            data = bytes(body)
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = json.dumps(body).encode()
        hdrs = {"Content-Type": "application/x-amz-json-1.1"}
        if target is not None:
            hdrs["X-Amz-Target"] = target if "." in target else f"TrentService.{target}"
        if headers:
            hdrs.update(headers)
        req = AWSRequest(method="POST", url=self.endpoint + path, data=data, headers=hdrs)
        if sign:
            sign_request(req,
                         access_key if access_key is not None else self.access_key,
                         secret_key if secret_key is not None else self.secret_key,
                         region=region, service=service, when=when, query=query_auth)
        prepared = req.prepare()
        out_headers = dict(prepared.headers.items())
        out_body = prepared.body if prepared.body is not None else b""
        if isinstance(out_body, str):
            out_body = out_body.encode()
        if mutate is not None:
            out_headers, out_body = mutate(out_headers, out_body)
        return requests.post(prepared.url, data=out_body, headers=out_headers, verify=self.ca, timeout=60)


_RUNNING: list[Coffer] = []
_ALL: list[Coffer] = []
_CURRENT_TEST: list[Optional[str]] = [None]


def _forget(c: Coffer) -> None:
    while c in _RUNNING:
        _RUNNING.remove(c)


def _make(tmp_root: Path, *, name: str, data_dir: Optional[Path] = None, port: Optional[int] = None,
          test_mode: bool = False, extra_args: Iterable[str] = (), via_env: bool = False) -> Coffer:
    workdir = tmp_root
    workdir.mkdir(parents=True, exist_ok=True)
    c = Coffer(workdir=workdir, data_dir=data_dir or (workdir / f"{name}-data"), port=port or free_port(),
               test_mode=test_mode, extra_args=extra_args, name=name, via_env=via_env)
    _ALL.append(c)
    return c


# --------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------

@pytest.fixture(scope="session")
def coffer(tmp_path_factory) -> Iterable[Coffer]:
    """The shared server (normal mode) used by most tests."""
    root = tmp_path_factory.mktemp("coffer")
    c = _make(root, name="main")
    c.start()
    yield c
    if c.running:
        rc = c.stop()
        assert rc == 0, f"coffer serve exited {rc} on SIGTERM\n{c.logs()}"


@pytest.fixture(scope="session")
def kms(coffer):
    """boto3 KMS client for the shared server (client-side validation on)."""
    return coffer.client()


@pytest.fixture(scope="session")
def kms_raw(coffer):
    """boto3 KMS client with client-side parameter validation off, so
    out-of-range values reach the server."""
    return coffer.client(validate=False)


@pytest.fixture(scope="session")
def account_id(coffer) -> str:
    return coffer.account_id()


class ServerFactory:
    def __init__(self, root: Path):
        self.root = root
        self.started: list[Coffer] = []

    def new(self, *, name: Optional[str] = None, data_dir: Optional[Path] = None, port: Optional[int] = None,
            test_mode: bool = False, extra_args: Iterable[str] = (), start: bool = True,
            via_env: bool = False) -> Coffer:
        name = name or f"srv{len(self.started) + 1}"
        c = _make(self.root, name=name, data_dir=data_dir, port=port, test_mode=test_mode,
                  extra_args=extra_args, via_env=via_env)
        self.started.append(c)
        if start:
            c.start()
        return c

    def stop_all(self) -> list[str]:
        problems = []
        for c in self.started:
            if c.running:
                try:
                    rc = c.stop()
                except BaseException as e:  # pytest.fail inside stop()
                    problems.append(f"{c.name}: {e}")
                    continue
                if rc != 0:
                    problems.append(f"{c.name}: exit code {rc} on SIGTERM\n{c.logs()}")
        return problems


@pytest.fixture
def server_factory(tmp_path) -> Iterable[ServerFactory]:
    """Start extra servers (restart tests, test mode). All are SIGTERMed at teardown."""
    f = ServerFactory(tmp_path)
    yield f
    problems = f.stop_all()
    assert not problems, "\n".join(problems)


@pytest.fixture
def new_key(kms, request):
    """Create a fresh symmetric key; returns its KeyMetadata."""
    def make(**kw):
        kw.setdefault("Description", f"e2e {request.node.name}")
        return kms.create_key(**kw)["KeyMetadata"]
    return make


@pytest.fixture
def unique():
    """A short unique suffix for alias names etc."""
    return lambda prefix="e2e": f"{prefix}-{uuid.uuid4().hex[:12]}"


# --------------------------------------------------------------------------
# Show server logs next to a failing test
# --------------------------------------------------------------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _CURRENT_TEST[0] = item.nodeid
    yield
    _CURRENT_TEST[0] = None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed:
        for c in _ALL:
            if c.proc is None:
                continue
            if c.name == "main" or c.created_during == item.nodeid:
                rep.sections.append((f"coffer server '{c.name}' log (tail)", c.logs(4000)))


def pytest_sessionfinish(session, exitstatus):
    # Never leave a server behind, whatever happened.
    for c in list(_RUNNING):
        try:
            if c.proc is not None and c.proc.poll() is None:
                os.kill(c.proc.pid, signal.SIGTERM)
                try:
                    c.proc.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    os.kill(c.proc.pid, signal.SIGKILL)
                    c.proc.wait(timeout=10)
        except ProcessLookupError:
            pass
    shutil.rmtree(_NO_AWS_HOME, ignore_errors=True)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
