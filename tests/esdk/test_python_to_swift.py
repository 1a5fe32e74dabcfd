"""Python encrypts every raw-key scenario; the Swift runner must decrypt all of them, and must
reject tampered copies of some of them."""
import re

import esdk_interop


def test_swift_decrypts_every_python_message(tmp_path):
    positives, negatives = esdk_interop.python_encrypt_manifest(tmp_path)
    assert positives > 2500 and negatives > 400
    result = esdk_interop.run_swift("decrypt", str(tmp_path / "manifest.json"))
    summary = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.fullmatch(r"(\d+) passed, 0 failed, 0 skipped", summary), summary
    assert int(summary.split()[0]) == positives + negatives
