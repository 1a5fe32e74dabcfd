"""Swift encrypts every framed raw-key scenario; the Python SDK must decrypt all of them."""
import json
import re

import esdk_interop


def test_python_decrypts_every_swift_message(tmp_path):
    count = esdk_interop.swift_encrypt_manifest(tmp_path)
    assert count > 2000
    out = tmp_path / "swift-out"
    result = esdk_interop.run_swift("encrypt", str(tmp_path / "encrypt-manifest.json"), str(out))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.fullmatch(r"%d passed, 0 failed, 0 skipped" % count, result.stdout.strip().splitlines()[-1])
    assert len(json.loads((out / "manifest.json").read_text())["tests"]) == count
    passed, failures = esdk_interop.python_decrypt_manifest(out / "manifest.json")
    assert not failures, failures[:20]
    assert passed == count


def test_swift_runner_decrypts_its_own_output(tmp_path):
    """The decrypt manifest the Swift runner writes is also valid input for the Swift runner."""
    esdk_interop.swift_encrypt_manifest(tmp_path)
    out = tmp_path / "swift-out"
    assert esdk_interop.run_swift("encrypt", str(tmp_path / "encrypt-manifest.json"), str(out)).returncode == 0
    result = esdk_interop.run_swift("decrypt", str(out / "manifest.json"))
    assert result.returncode == 0, result.stdout[-4000:]
    assert " 0 failed, 0 skipped" in result.stdout
