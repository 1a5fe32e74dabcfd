#!/usr/bin/env python3
"""Helpers for bench/run: server setup, SigV4 signing -> wrk Lua, and the report.

Subcommands (all called by bench/run; not meant to be stable API):

  freeport                         print a free TCP port on 127.0.0.1
  setup   --endpoint URL --state F [--ca PEM | --insecure]
          create a symmetric key, encrypt a 4 KiB plaintext, write JSON state
  sign    --endpoint URL --state F --workload W --lua OUT [--ca PEM | --insecure]
          sign one request for workload W with botocore SigV4 (test/test, kms,
          us-east-1), send it once (preflight: must be 200 with a sane body),
          then write a wrk Lua script that replays exactly those bytes
  report  --results JSONL --meta JSON
          print the summary table (medians over runs)
"""

import argparse
import base64
import http.client
import json
import os
import socket
import ssl
import statistics
import sys
import urllib.parse

ACCESS_KEY = "test"
SECRET_KEY = "test"
REGION = "us-east-1"
SERVICE = "kms"
PLAINTEXT_BYTES = 4096

WORKLOADS = {
    # name: (X-Amz-Target action, human label)
    "encrypt": ("Encrypt", "Encrypt 4 KiB"),
    "decrypt": ("Decrypt", "Decrypt 4 KiB"),
    "gdk": ("GenerateDataKey", "GenerateDataKey AES_256"),
}
WORKLOAD_ORDER = ["encrypt", "decrypt", "gdk"]


def die(msg):
    print(f"benchlib: ERROR: {msg}", file=sys.stderr)
    sys.exit(1)


def ssl_context(args):
    if args.insecure:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    if args.ca:
        return ssl.create_default_context(cafile=args.ca)
    return ssl.create_default_context()


# ---------------------------------------------------------------- freeport
def cmd_freeport(_args):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


# ---------------------------------------------------------------- setup
def cmd_setup(args):
    import boto3
    from botocore.config import Config

    verify = False if args.insecure else (args.ca or True)
    kms = boto3.client(
        "kms",
        endpoint_url=args.endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        verify=verify,
        config=Config(retries={"max_attempts": 1}, connect_timeout=10, read_timeout=30),
    )
    key = kms.create_key(
        Description="coffer bench key",
        KeyUsage="ENCRYPT_DECRYPT",
        KeySpec="SYMMETRIC_DEFAULT",
    )["KeyMetadata"]
    key_id = key["KeyId"]
    plaintext = os.urandom(PLAINTEXT_BYTES)
    blob = kms.encrypt(KeyId=key_id, Plaintext=plaintext)["CiphertextBlob"]
    # Round-trip once through boto3 so a broken setup fails here, not under load.
    back = kms.decrypt(CiphertextBlob=blob)["Plaintext"]
    if back != plaintext:
        die("setup: boto3 Decrypt did not return the original plaintext")
    tls = "plain HTTP"
    parts = urllib.parse.urlsplit(args.endpoint)
    if parts.scheme == "https":
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
            with ssl_context(args).wrap_socket(raw, server_hostname=parts.hostname) as tls_sock:
                tls = f"{tls_sock.version()} {tls_sock.cipher()[0]}"
    access_key, secret_key = ACCESS_KEY, SECRET_KEY
    if os.environ.get("BENCH_CALLER", "root") == "iam-user":
        # Sign as an IAM user whose inline policy allows the three operations: the request then
        # takes the full authorization path (IAM policy + key policy), not the account root's.
        iam = boto3.client(
            "iam", endpoint_url=args.endpoint, region_name=REGION, aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY, verify=verify, config=Config(retries={"max_attempts": 1}),
        )
        iam.create_user(UserName="bench")
        iam.put_user_policy(UserName="bench", PolicyName="kms", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}],
        }))
        created = iam.create_access_key(UserName="bench")["AccessKey"]
        access_key, secret_key = created["AccessKeyId"], created["SecretAccessKey"]
    state = {
        "access_key": access_key,
        "secret_key": secret_key,
        "endpoint": args.endpoint,
        "tls": tls,
        "key_id": key_id,
        "key_arn": key.get("Arn"),
        "plaintext_b64": base64.b64encode(plaintext).decode(),
        "ciphertext_b64": base64.b64encode(blob).decode(),
        "ciphertext_len": len(blob),
    }
    # Does the server keep connections alive? (werkzeug, hence moto, never does.)
    body, headers = signed_request(args.endpoint, "gdk", state)
    problem, connection = send_once(args, args.endpoint, "gdk", state, body, headers)
    if problem:
        die(f"setup: signed GenerateDataKey probe failed: {problem}")
    state["keep_alive"] = (connection or "").lower() != "close"
    with open(args.state, "w") as f:
        json.dump(state, f)
    print(f"    setup ok: key {key_id}, ciphertext {len(blob)} bytes, {tls}, "
          f"keep-alive {'yes' if state['keep_alive'] else 'NO (Connection: close)'}", file=sys.stderr)


# ---------------------------------------------------------------- sign
def request_body(workload, state):
    if workload == "encrypt":
        body = {"KeyId": state["key_id"], "Plaintext": state["plaintext_b64"]}
    elif workload == "decrypt":
        body = {"CiphertextBlob": state["ciphertext_b64"]}
    elif workload == "gdk":
        body = {"KeyId": state["key_id"], "KeySpec": "AES_256"}
    else:
        die(f"unknown workload {workload}")
    return json.dumps(body, separators=(",", ":"))


def lua_str(s):
    out = ['"']
    for b in s.encode("utf-8"):
        c = chr(b)
        if 32 <= b < 127 and c not in '"\\':
            out.append(c)
        else:
            out.append("\\%03d" % b)
    out.append('"')
    return "".join(out)


LUA_TEMPLATE = r"""-- generated by bench/lib/benchlib.py; replays one pre-signed SigV4 request
wrk.method = "POST"
wrk.path = "/"
wrk.body = __BODY__
__HEADERS__

-- per-thread status counters (globals so thread:get can read them)
statuses = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local agg = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for k, v in pairs(s) do agg[k] = (agg[k] or 0) + v end
    end
  end
  local parts = {}
  for k, v in pairs(agg) do
    table.insert(parts, string.format('"%d":%d', k, v))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d,' ..
    '"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ",")))
end
"""


def check_response(workload, status, data, state):
    if status != 200:
        return f"HTTP {status}: {data[:300]!r}"
    try:
        doc = json.loads(data)
    except ValueError:
        return f"response is not JSON: {data[:300]!r}"
    if workload == "encrypt":
        if not doc.get("CiphertextBlob"):
            return f"Encrypt response lacks CiphertextBlob: {doc}"
    elif workload == "decrypt":
        if doc.get("Plaintext") != state["plaintext_b64"]:
            return "Decrypt response Plaintext differs from the original plaintext"
    elif workload == "gdk":
        pt = doc.get("Plaintext")
        if not pt or len(base64.b64decode(pt)) != 32 or not doc.get("CiphertextBlob"):
            return f"GenerateDataKey response malformed: {str(doc)[:300]}"
    return None


def signed_request(endpoint, workload, state):
    """Sign one POST for workload with botocore SigV4; return (body, headers)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    action, _label = WORKLOADS[workload]
    url = endpoint.rstrip("/") + "/"
    body = request_body(workload, state)
    req = AWSRequest(
        method="POST",
        url=url,
        data=body.encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"TrentService.{action}",
        },
    )
    credentials = Credentials(state.get("access_key", ACCESS_KEY), state.get("secret_key", SECRET_KEY))
    SigV4Auth(credentials, SERVICE, REGION).add_auth(req)
    headers = {k: v for k, v in req.headers.items()}
    # botocore signs "host" from the URL without putting it in req.headers:
    # set it explicitly so wrk sends exactly what was signed (127.0.0.1:PORT).
    headers["Host"] = urllib.parse.urlsplit(url).netloc
    return body, headers


def send_once(args, endpoint, workload, state, body, headers):
    """Send the exact signed bytes once; return (problem or None, Connection header)."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            parts.hostname, parts.port, context=ssl_context(args), timeout=30
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("POST", "/", body=body.encode(), headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return check_response(workload, resp.status, data, state), resp.getheader("Connection")
    except Exception as e:  # noqa: BLE001 - report anything
        return f"request failed: {e!r}", None
    finally:
        conn.close()


def cmd_sign(args):
    with open(args.state) as f:
        state = json.load(f)
    body, headers = signed_request(args.endpoint, args.workload, state)
    problem, _ = send_once(args, args.endpoint, args.workload, state, body, headers)
    if problem:
        die(f"preflight {args.workload} against {args.endpoint}: {problem}")
    header_lines = "\n".join(
        f"wrk.headers[{lua_str(k)}] = {lua_str(v)}" for k, v in headers.items()
    )
    lua = LUA_TEMPLATE.replace("__BODY__", lua_str(body)).replace(
        "__HEADERS__", header_lines
    )
    with open(args.lua, "w") as f:
        f.write(lua)


# ---------------------------------------------------------------- record
def cmd_record(args):
    """Parse one wrk run, append a JSON line to --results; exit 1 if it failed."""
    with open(args.wrk_out) as f:
        text = f.read()
    row = {"server": args.server, "workload": args.workload, "run": args.run, "ok": False}
    errors = []
    res = None
    for ln in text.splitlines():
        if ln.startswith("BENCH_RESULT "):
            res = json.loads(ln[len("BENCH_RESULT "):])
    if args.wrk_rc != 0:
        errors.append(f"wrk exit status {args.wrk_rc}")
    if res is None:
        errors.append("no BENCH_RESULT line in wrk output")
    else:
        row.update(res)
        secs = res["duration_us"] / 1e6 if res["duration_us"] else 0
        row["rps"] = res["requests"] / secs if secs else 0.0
        statuses = {int(k): v for k, v in res["statuses"].items()}
        non2xx = sum(v for k, v in statuses.items() if not 200 <= k < 300)
        counted = sum(statuses.values())
        row["non2xx"] = non2xx
        if non2xx:
            errors.append("NON-2XX RESPONSES: " + ", ".join(
                f"{v} x HTTP {k}" for k, v in sorted(statuses.items()) if not 200 <= k < 300))
        if res["err_status"]:
            errors.append(f"wrk counted {res['err_status']} error statuses")
        for k in ("connect", "read", "write", "timeout"):
            if res["err_" + k]:
                errors.append(f"{res['err_' + k]} socket {k} errors")
        if res["requests"] == 0 or counted == 0:
            errors.append("no responses at all")
    if "Non-2xx or 3xx responses" in text:
        m = [ln.strip() for ln in text.splitlines() if "Non-2xx" in ln]
        errors.append("wrk: " + "; ".join(m))
    # CPU use: wrk from bash `time` (real user sys), server from /proc ticks.
    try:
        real, user, sys_ = (float(x) for x in open(args.time_file).read().split()[-3:])
        row["wrk_cpu"] = 100.0 * (user + sys_) / real if real else 0.0
    except (OSError, ValueError):
        row["wrk_cpu"] = -1.0
    wall = (res or {}).get("duration_us", 0) / 1e6
    if args.srv_ticks_after >= 0 and args.srv_ticks_before >= 0 and wall:
        row["server_cpu"] = 100.0 * (args.srv_ticks_after - args.srv_ticks_before) / args.clk_tck / wall
    else:
        row["server_cpu"] = -1.0
    row["ok"] = not errors
    if errors:
        row["error"] = "; ".join(errors)
    if not args.warmup:
        with open(args.results, "a") as f:
            f.write(json.dumps(row) + "\n")
    tag = "warm-up" if args.warmup else f"run {args.run}"
    if errors:
        print(f"!!! {args.server} {args.workload} {tag} FAILED: {row['error']}", file=sys.stderr)
        sys.exit(1)
    print(f"    {args.server} {args.workload} {tag}: {row['rps']:.0f} req/s, "
          f"p50 {fmt_lat(row['p50_us'])}, p99 {fmt_lat(row['p99_us'])}, "
          f"server CPU {row['server_cpu']:.0f}%, wrk CPU {row['wrk_cpu']:.0f}%",
          file=sys.stderr)


# ---------------------------------------------------------------- report
def fmt_rps(v):
    return "-" if v is None else f"{v:,.0f}"


def fmt_lat(us):
    if us is None:
        return "-"
    if us >= 1000:
        return f"{us / 1000:.2f} ms"
    return f"{us:.0f} us"


def cmd_report(args):
    with open(args.meta) as f:
        meta = json.load(f)
    rows = []
    if os.path.exists(args.results):
        with open(args.results) as f:
            rows = [json.loads(line) for line in f if line.strip()]

    servers = meta["servers"]  # e.g. ["coffer", "moto"]
    workloads = [w for w in WORKLOAD_ORDER if w in meta.get("workloads", WORKLOAD_ORDER)]
    failures = meta.get("failures", [])

    def med(server, workload, key):
        rs = [r for r in rows if r["server"] == server and r["workload"] == workload]
        # any failed run fails the whole cell: no median over survivors
        if not rs or not all(r.get("ok") for r in rs):
            return None
        return statistics.median(r[key] for r in rs)

    def runs(server, workload):
        return [r for r in rows if r["server"] == server and r["workload"] == workload]

    out = []
    out.append("Coffer benchmark (bench/run)")
    out.append(f"date:        {meta['date']}")
    out.append(f"machine:     {meta['nproc']} CPUs, {meta['cpu_model']}, {meta['mem']}")
    out.append(f"kernel:      {meta['kernel']}")
    out.append(f"coffer:      {meta.get('coffer_desc', '-')}")
    out.append(f"moto:        {meta.get('moto_desc', '-')}")
    out.append(f"load:        {meta['wrk_version']}, -t1 -c{meta['connections']} "
               f"-d{meta['duration']}s, warm-up {meta['warmup']}s, "
               f"{meta['runs']} measured runs per cell, medians reported")
    out.append("pinning:     server on CPU 0 (taskset -c 0), wrk on CPU 1 (taskset -c 1)")
    out.append("")

    head = ["workload", "coffer rps", "p50", "p99", "moto rps", "p50", "p99", "ratio"]
    table = []
    for w in workloads:
        label = WORKLOADS[w][1]
        cells = [label]
        vals = {}
        for s in ["coffer", "moto"]:
            if s not in servers:
                cells += ["skipped", "-", "-"]
                continue
            rps = med(s, w, "rps")
            vals[s] = rps
            if rps is None:
                cells += ["FAILED", "-", "-"]
            else:
                cells += [fmt_rps(rps), fmt_lat(med(s, w, "p50_us")), fmt_lat(med(s, w, "p99_us"))]
        if vals.get("coffer") and vals.get("moto"):
            cells.append(f"{vals['coffer'] / vals['moto']:.2f}x")
        else:
            cells.append("-")
        table.append(cells)
    widths = [max(len(r[i]) for r in [head] + table) for i in range(len(head))]

    def line(r):
        return " | ".join(
            (c.ljust(widths[i]) if i == 0 else c.rjust(widths[i])) for i, c in enumerate(r)
        )

    out.append(line(head))
    out.append("-+-".join("-" * w for w in widths))
    for r in table:
        out.append(line(r))
    out.append("ratio = coffer rps / moto rps (higher is better for coffer)")
    out.append("")

    # Per-run detail, incl. CPU use of server and wrk (is the server the bottleneck?).
    out.append("per-run detail (rps; server CPU% on core 0; wrk CPU% on core 1):")
    warn_wrk = False
    for s in servers:
        for w in workloads:
            rs = runs(s, w)
            if not rs:
                out.append(f"  {s:6} {w:8} no measured runs")
                continue
            bits = []
            for r in rs:
                if r.get("ok"):
                    bits.append(f"{r['rps']:.0f} (srv {r['server_cpu']:.0f}%, wrk {r['wrk_cpu']:.0f}%)")
                else:
                    bits.append(f"FAILED[{r.get('error', '?')}]")
                if r.get("wrk_cpu", 0) >= 90:
                    warn_wrk = True
            out.append(f"  {s:6} {w:8} " + "; ".join(bits))
    out.append("")
    out.append("notes:")
    if "coffer" in servers:
        out.append(f"  - coffer is HTTPS ({meta.get('coffer_tls') or 'TLS'}); moto is plain HTTP (no TLS: this favours moto).")
    for s_ in servers:
        ka = meta.get("keep_alive", {}).get(s_)
        if ka is False:
            extra = (" (plain HTTP on loopback: cheap next to moto's request handling)" if s_ == "moto"
                     else " (with TLS: a full handshake per request)")
            out.append(f"  - {s_} answers 'Connection: close' to every request, so wrk opens a new connection"
                       f" per request; no keep-alive{extra}.")
    if "coffer" in servers:
        out.append("  - coffer verifies every SigV4 signature; moto does not check signatures by default.")
        out.append("  - coffer runs with --event-loop-threads 1; moto_server is a threaded werkzeug dev server (GIL-bound).")
    out.append("  - every response is counted by status; any non-2xx or socket error fails the run.")
    if warn_wrk:
        out.append("  - WARNING: wrk used >= 90% of its core in some run; wrk may have been the bottleneck there.")
    if failures:
        out.append("")
        out.append("!!! FAILURES !!!")
        for f_ in failures:
            out.append(f"  !!! {f_}")
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("freeport")
    for name in ("setup", "sign"):
        sp = sub.add_parser(name)
        sp.add_argument("--endpoint", required=True)
        sp.add_argument("--state", required=True)
        sp.add_argument("--ca")
        sp.add_argument("--insecure", action="store_true")
        if name == "sign":
            sp.add_argument("--workload", required=True, choices=WORKLOAD_ORDER)
            sp.add_argument("--lua", required=True)
    rc = sub.add_parser("record")
    rc.add_argument("--server", required=True)
    rc.add_argument("--workload", required=True)
    rc.add_argument("--run", type=int, default=0)
    rc.add_argument("--warmup", action="store_true")
    rc.add_argument("--wrk-out", required=True)
    rc.add_argument("--wrk-rc", type=int, required=True)
    rc.add_argument("--time-file", required=True)
    rc.add_argument("--srv-ticks-before", type=int, default=-1)
    rc.add_argument("--srv-ticks-after", type=int, default=-1)
    rc.add_argument("--clk-tck", type=int, default=100)
    rc.add_argument("--results", required=True)
    rp = sub.add_parser("report")
    rp.add_argument("--results", required=True)
    rp.add_argument("--meta", required=True)
    rp.add_argument("--out")
    args = p.parse_args()
    fn = {"freeport": cmd_freeport, "setup": cmd_setup, "sign": cmd_sign,
          "record": cmd_record, "report": cmd_report}[args.cmd]
    if args.cmd == "setup":
        try:
            fn(args)
        except Exception as e:  # noqa: BLE001 - boto3/botocore errors: one line, not a traceback
            die(f"setup against {args.endpoint}: {type(e).__name__}: {e}")
    else:
        fn(args)


if __name__ == "__main__":
    main()
