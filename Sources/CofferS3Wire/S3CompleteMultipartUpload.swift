/// One `<Part>` of a CompleteMultipartUpload request.
public struct S3CompletedPart: Sendable, Equatable {
    /// The part number as sent; the caller checks it against the uploaded parts (1–10000).
    public var partNumber: Int
    /// The ETag as sent with surrounding whitespace removed; quotes may or may not be present.
    public var eTag: String
    /// The `Checksum<ALGORITHM>` values sent for this part, base64 text as sent (trimmed).
    public var checksums: [ChecksumAlgorithm: String]

    /// A part, e.g. for tests.
    public init(partNumber: Int, eTag: String, checksums: [ChecksumAlgorithm: String] = [:]) {
        self.partNumber = partNumber
        self.eTag = eTag
        self.checksums = checksums
    }
}

/// The body of CompleteMultipartUpload: `<CompleteMultipartUpload><Part>…</Part>…`.
public struct S3CompleteMultipartUpload: Sendable, Equatable {
    /// The parts in request order (at least one).
    public var parts: [S3CompletedPart]

    /// A request, e.g. for tests.
    public init(parts: [S3CompletedPart]) { self.parts = parts }

    /// Parses the request body. No parts, a part without `PartNumber` or `ETag`, or a part
    /// number that is not a 32-bit integer is `MalformedXML`. Order and existence of the parts
    /// (`InvalidPartOrder`, `InvalidPart`) are the caller's to check.
    public static func parse(_ body: [UInt8]) throws(S3WireError) -> S3CompleteMultipartUpload {
        let root = try S3XMLElement.parse(body)
        try root.expectName("CompleteMultipartUpload")
        let elements = root.children("Part")
        guard !elements.isEmpty else { throw .malformedXML }
        var parts: [S3CompletedPart] = []
        parts.reserveCapacity(elements.count)
        for element in elements {
            let number = try S3XMLElement.int32(element.requiredText("PartNumber"))
            let eTag = S3XMLElement.trimmed(try element.requiredText("ETag"))
            var checksums: [ChecksumAlgorithm: String] = [:]
            for algorithm in ChecksumAlgorithm.allCases {
                if let value = try element.optionalText("Checksum" + algorithm.rawValue) {
                    checksums[algorithm] = S3XMLElement.trimmed(value)
                }
            }
            parts.append(S3CompletedPart(partNumber: number, eTag: eTag, checksums: checksums))
        }
        return S3CompleteMultipartUpload(parts: parts)
    }
}
