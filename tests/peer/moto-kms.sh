#!/usr/bin/env bash
# Runs moto's own KMS test suite (from moto's PyPI source archive) against Coffer in server mode
# and prints its pass/fail counts. Tests that encode behaviour AWS does not have are listed, with
# the AWS behaviour, in moto-kms-xfail.txt. Fails if fewer tests pass than moto-kms.min-passed
# (a ratchet: raise it as Coffer passes more).
#   COFFER_BIN=.build/debug/coffer tests/peer/moto-kms.sh [extra pytest args]
# COFFER_PEER_LOG=FILE keeps pytest's full output.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SERVICE=KMS
MOTO_TESTS="tests/test_kms"
MIN_PASSED=${MIN_PASSED:-$(cat tests/peer/moto-kms.min-passed)}
XFAIL_LIST=moto-kms-xfail.txt
source tests/peer/moto-peer.sh
