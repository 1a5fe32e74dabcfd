#!/usr/bin/env python3
"""Serialize S3 request bodies with botocore's own rest-xml serializer, offline.

No client, no credentials, no network: botocore.serialize turns operation
parameters into the HTTP request dict, whose body is what boto3 would send.
The Swift tests parse these bodies with CofferS3Wire's request-body parsers.

Output: Tests/CofferS3WireTests/Fixtures/boto3_xml_bodies.json (or argv[1]).
Usage: .venv/bin/python scripts/capture_boto3_xml_bodies.py [output.json]
"""
import json
import os
import sys

import botocore
import botocore.session
from botocore.serialize import create_serializer

CASES = [
    ("create-bucket-location", "CreateBucket",
     {"Bucket": "b", "CreateBucketConfiguration": {"LocationConstraint": "eu-west-1"}}),
    ("create-bucket-tags", "CreateBucket",
     {"Bucket": "b", "CreateBucketConfiguration": {
         "LocationConstraint": "us-west-2",
         "Tags": [{"Key": "team", "Value": "storage"}, {"Key": "cost center", "Value": ""}]}}),
    ("delete-objects", "DeleteObjects",
     {"Bucket": "b", "Delete": {"Objects": [
         {"Key": "a.txt"}, {"Key": " spaced key "}, {"Key": "v<&>\"'", "VersionId": "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"},
         {"Key": "cond", "ETag": "\"abc\""}, {"Key": "caf\u00e9/\u2603\U0001F600"}], "Quiet": True}}),
    ("delete-objects-verbose", "DeleteObjects",
     {"Bucket": "b", "Delete": {"Objects": [{"Key": "only"}]}}),
    ("complete-multipart", "CompleteMultipartUpload",
     {"Bucket": "b", "Key": "k", "UploadId": "u", "MultipartUpload": {"Parts": [
         {"PartNumber": 1, "ETag": "\"a54357aff0632cce46d942af68356b38\"", "ChecksumCRC32": "AAAAAA=="},
         {"PartNumber": 2, "ETag": "0c78aef83f66abc1fa1e8477f296d394",
          "ChecksumCRC32C": "4waSgw==", "ChecksumCRC64NVME": "rosUhgp5mIg=",
          "ChecksumSHA1": "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
          "ChecksumSHA256": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}]}}),
    ("put-bucket-encryption-kms", "PutBucketEncryption",
     {"Bucket": "b", "ServerSideEncryptionConfiguration": {"Rules": [{
         "ApplyServerSideEncryptionByDefault": {
             "SSEAlgorithm": "aws:kms",
             "KMSMasterKeyID": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
         "BucketKeyEnabled": True,
         "BlockedEncryptionTypes": {"EncryptionType": ["SSE-C"]}}]}}),
    ("put-bucket-encryption-aes", "PutBucketEncryption",
     {"Bucket": "b", "ServerSideEncryptionConfiguration": {"Rules": [{
         "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}),
    ("put-object-tagging", "PutObjectTagging",
     {"Bucket": "b", "Key": "k", "Tagging": {"TagSet": [
         {"Key": "project", "Value": "blue"}, {"Key": "n\u00fcmero", "Value": "a b+c=d:e/f@g-h_i.j"}]}}),
    ("put-bucket-tagging-empty", "PutBucketTagging",
     {"Bucket": "b", "Tagging": {"TagSet": []}}),
]


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "Tests", "CofferS3WireTests", "Fixtures", "boto3_xml_bodies.json")
    session = botocore.session.get_session()
    model = session.get_service_model("s3")
    serializer = create_serializer("rest-xml", include_validation=True)
    cases = []
    for name, operation, params in CASES:
        request = serializer.serialize_to_request(params, model.operation_model(operation))
        body = request["body"]
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        cases.append({"name": name, "operation": operation, "body": body})
    document = {"botocore": botocore.__version__, "cases": cases}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
