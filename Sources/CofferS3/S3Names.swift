/// Bucket and key name rules.
enum S3Names {
    static func validateBucket(_ name: String) throws(S3Error) {
        let bytes = Array(name.utf8)
        let allowed = bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2e || $0 == 0x2d }
        guard (3...63).contains(bytes.count), allowed, let first = bytes.first, let last = bytes.last, first != 0x2e, first != 0x2d, last != 0x2e, last != 0x2d,
            !name.contains("..")
        else { throw S3Error("InvalidBucketName", "The specified bucket is not valid.", bucket: name) }
    }

    static func validateKey(_ key: String) throws(S3Error) {
        guard !key.isEmpty else { throw S3Error.invalidArgument("Object key must not be empty.") }
        guard key.utf8.count <= 1024 else { throw S3Error("KeyTooLongError", "Your key is too long") }
    }
}
