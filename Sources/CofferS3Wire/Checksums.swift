import Crypto
import Foundation

/// The checksum algorithms S3 accepts in `x-amz-checksum-*` headers and trailers.
public enum ChecksumAlgorithm: String, Sendable, CaseIterable, Hashable {
    case crc32 = "CRC32"
    case crc32c = "CRC32C"
    case crc64nvme = "CRC64NVME"
    case sha1 = "SHA1"
    case sha256 = "SHA256"

    /// Parses the value used in `x-amz-checksum-algorithm` / `x-amz-sdk-checksum-algorithm`
    /// (case-insensitive, e.g. `CRC32C`).
    public init?(s3Name: String) {
        let upper = s3Name.uppercased()
        guard let value = ChecksumAlgorithm(rawValue: upper) else { return nil }
        self = value
    }

    /// Parses a header or trailer name such as `x-amz-checksum-crc32c` (case-insensitive).
    public init?(headerName: String) {
        let lower = headerName.lowercased()
        let prefix = "x-amz-checksum-"
        guard lower.hasPrefix(prefix) else { return nil }
        self.init(s3Name: String(lower.dropFirst(prefix.count)))
    }

    /// The lowercase header / trailer name, e.g. `x-amz-checksum-crc64nvme`.
    public var headerName: String { "x-amz-checksum-" + rawValue.lowercased() }

    /// Size of the raw digest in bytes.
    public var digestByteCount: Int {
        switch self {
        case .crc32, .crc32c: return 4
        case .crc64nvme: return 8
        case .sha1: return 20
        case .sha256: return 32
        }
    }

    /// Whether S3's "composite" multipart form (checksum of checksums, `-N` suffix) applies.
    public var supportsCompositeMultipart: Bool { self != .crc64nvme }

    /// Whether a full-object multipart checksum can be derived from part checksums.
    public var supportsFullObjectMultipart: Bool {
        switch self {
        case .crc32, .crc32c, .crc64nvme: return true
        case .sha1, .sha256: return false
        }
    }

    /// Checksum of `bytes`, base64-encoded as in `x-amz-checksum-*`.
    public func base64Checksum(of bytes: some Sequence<UInt8>) -> String {
        var h = ChecksumHasher(self)
        h.update(Array(bytes))
        return h.finalizeBase64()
    }
}

/// Errors from checksum helpers.
public enum ChecksumError: Error, Sendable, Equatable {
    /// A value is not valid base64 or decodes to the wrong number of bytes.
    case malformedChecksum(algorithm: ChecksumAlgorithm, value: String)
    /// The operation is not defined for the algorithm (e.g. composite CRC64NVME).
    case unsupported(algorithm: ChecksumAlgorithm, operation: String)
    /// No parts were given.
    case noParts
}

/// Incremental checksum computation producing the raw digest or S3's base64 form.
public struct ChecksumHasher: Sendable {
    enum State: Sendable {
        case crc32(UInt32)
        case crc32c(UInt32)
        case crc64(UInt64)
        case sha1(Insecure.SHA1)
        case sha256(SHA256)
    }

    public let algorithm: ChecksumAlgorithm
    var state: State

    public init(_ algorithm: ChecksumAlgorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .crc32: state = .crc32(~0)
        case .crc32c: state = .crc32c(~0)
        case .crc64nvme: state = .crc64(~0)
        case .sha1: state = .sha1(Insecure.SHA1())
        case .sha256: state = .sha256(SHA256())
        }
    }

    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        switch state {
        case .crc32(let r): state = .crc32(CRCEngines.crc32.advance(r, buffer))
        case .crc32c(let r): state = .crc32c(CRCEngines.crc32c.advance(r, buffer))
        case .crc64(let r): state = .crc64(CRCEngines.crc64nvme.advance(r, buffer))
        case .sha1(var h):
            h.update(bufferPointer: buffer)
            state = .sha1(h)
        case .sha256(var h):
            h.update(bufferPointer: buffer)
            state = .sha256(h)
        }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// The raw digest (CRCs big-endian, as S3 encodes them).
    public func finalize() -> [UInt8] {
        switch state {
        case .crc32(let r), .crc32c(let r):
            return bigEndianBytes(UInt64(~r), count: 4)
        case .crc64(let r):
            return bigEndianBytes(~r, count: 8)
        case .sha1(let h):
            return Array(h.finalize())
        case .sha256(let h):
            return Array(h.finalize())
        }
    }

    /// The digest in the base64 form used by `x-amz-checksum-*`.
    public func finalizeBase64() -> String {
        Data(finalize()).base64EncodedString()
    }
}

@inline(__always)
func bigEndianBytes(_ value: UInt64, count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64(count - 1 - $0))) }
}

/// Strict base64 decoding of a checksum value for `algorithm`.
public func decodeChecksumValue(_ value: String, algorithm: ChecksumAlgorithm) throws(ChecksumError) -> [UInt8] {
    guard value.utf8.count == ((algorithm.digestByteCount + 2) / 3) * 4,
          let data = Data(base64Encoded: value), data.count == algorithm.digestByteCount,
          data.base64EncodedString() == value  // canonical form only
    else {
        throw .malformedChecksum(algorithm: algorithm, value: value)
    }
    return Array(data)
}

/// Constant-time comparison of two byte arrays (length is not secret).
@inline(never)
func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<a.count { diff |= a[i] ^ b[i] }
    return diff == 0
}

/// S3 multipart-upload checksum helpers.
public enum MultipartChecksum {
    /// S3's COMPOSITE form: the checksum of the concatenated raw part checksums,
    /// base64-encoded, followed by `-N` where N is the number of parts.
    /// Defined for CRC32, CRC32C, SHA1 and SHA256 (not CRC64NVME).
    public static func composite(
        algorithm: ChecksumAlgorithm, partChecksums: [String]
    ) throws(ChecksumError) -> String {
        guard algorithm.supportsCompositeMultipart else {
            throw .unsupported(algorithm: algorithm, operation: "composite multipart checksum")
        }
        guard !partChecksums.isEmpty else { throw .noParts }
        var h = ChecksumHasher(algorithm)
        for part in partChecksums {
            h.update(try decodeChecksumValue(part, algorithm: algorithm))
        }
        return h.finalizeBase64() + "-\(partChecksums.count)"
    }

    /// S3's FULL_OBJECT form for CRC algorithms: the CRC of the whole object,
    /// derived from each part's CRC and byte length with the standard CRC
    /// combination (multiplication by x^(8*len) modulo the polynomial).
    /// No `-N` suffix. Defined for CRC32, CRC32C and CRC64NVME.
    public static func fullObject(
        algorithm: ChecksumAlgorithm, parts: [(checksum: String, length: UInt64)]
    ) throws(ChecksumError) -> String {
        guard algorithm.supportsFullObjectMultipart else {
            throw .unsupported(algorithm: algorithm, operation: "full-object multipart checksum")
        }
        guard let first = parts.first else { throw .noParts }
        switch algorithm {
        case .crc32, .crc32c:
            let engine = algorithm == .crc32 ? CRCEngines.crc32 : CRCEngines.crc32c
            var acc = UInt32(truncatingIfNeeded: beValue(try decodeChecksumValue(first.checksum, algorithm: algorithm)))
            for part in parts.dropFirst() {
                let v = UInt32(truncatingIfNeeded: beValue(try decodeChecksumValue(part.checksum, algorithm: algorithm)))
                acc = engine.combine(acc, v, lengthB: part.length)
            }
            return Data(bigEndianBytes(UInt64(acc), count: 4)).base64EncodedString()
        case .crc64nvme:
            var acc = beValue(try decodeChecksumValue(first.checksum, algorithm: algorithm))
            for part in parts.dropFirst() {
                let v = beValue(try decodeChecksumValue(part.checksum, algorithm: algorithm))
                acc = CRCEngines.crc64nvme.combine(acc, v, lengthB: part.length)
            }
            return Data(bigEndianBytes(acc, count: 8)).base64EncodedString()
        case .sha1, .sha256:
            throw .unsupported(algorithm: algorithm, operation: "full-object multipart checksum")
        }
    }

    private static func beValue(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0) { ($0 << 8) | UInt64($1) }
    }
}
