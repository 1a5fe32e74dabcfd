"""pytest plugin: marks the moto tests listed in moto-kms-xfail.txt as expected failures."""

import os

import pytest


def _entries():
    path = os.environ["COFFER_MOTO_XFAIL"]
    with open(path) as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def pytest_collection_modifyitems(config, items):
    entries = _entries()
    for item in items:
        node = item.nodeid.split("tests/test_kms/", 1)[-1]
        base = node.split("[", 1)[0]
        if node in entries or base in entries:
            item.add_marker(pytest.mark.xfail(reason="AWS behaves differently; see tests/peer/moto-kms-xfail.txt", strict=False))
