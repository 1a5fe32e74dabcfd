#!/usr/bin/env bash
# Runs the S3 part of moto's own test suite (from moto's PyPI source archive: the object, multipart,
# copy, listing, tagging, conditional, encryption, metadata and header tests) against Coffer in
# server mode and prints its pass/fail counts. Most failures are features Coffer answers with
# NotImplemented (versioning, ACLs, CORS, website, inventory, object lock, storage classes) or moto-only
# set-ups (frozen clocks, reduced part sizes). Fails if fewer tests pass than moto-s3.min-passed
# (a ratchet: raise it as Coffer passes more).
#   COFFER_BIN=.build/debug/coffer tests/peer/moto-s3.sh [extra pytest args]
# COFFER_PEER_LOG=FILE keeps pytest's full output.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SERVICE=S3
MOTO_TESTS="tests/test_s3/test_s3.py tests/test_s3/test_s3_multipart.py tests/test_s3/test_s3_copyobject.py tests/test_s3/test_s3_list_objects.py
  tests/test_s3/test_s3_tagging.py tests/test_s3/test_s3_conditionals.py tests/test_s3/test_s3_encryption.py tests/test_s3/test_s3_metadata.py
  tests/test_s3/test_s3_response_headers.py"
MIN_PASSED=${MIN_PASSED:-$(cat tests/peer/moto-s3.min-passed)}
XFAIL_LIST=""
source tests/peer/moto-peer.sh
