import Crypto
import Foundation

/// The `x-amz-content-sha256` values that announce an `aws-chunked` body.
public enum AWSChunkedPayloadMode: String, Sendable, Hashable, CaseIterable {
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`: every chunk carries a chained SigV4 signature.
    case signed = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: signed chunks plus a signed trailer.
    case signedWithTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: plain chunks plus (unsigned) trailers.
    case unsignedWithTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"

    static let ecdsaValues: Set<String> = [
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
    ]

    /// Parses an `x-amz-content-sha256` value (exact, case-sensitive as S3 sends it).
    public init(contentSHA256: String) throws(AWSChunkedError) {
        if let mode = AWSChunkedPayloadMode(rawValue: contentSHA256) {
            self = mode
        } else if Self.ecdsaValues.contains(contentSHA256) {
            throw .unsupportedPayloadMode(contentSHA256)
        } else {
            throw .notAStreamingPayload(contentSHA256)
        }
    }

    public var isSigned: Bool { self != .unsignedWithTrailer }
    public var hasTrailer: Bool { self != .signed }
}

/// Every way decoding can fail. Once a decoder has thrown, it keeps throwing the same error.
public enum AWSChunkedError: Error, Sendable, Equatable {
    // Configuration
    /// SigV4a / ECDSA streaming (`STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD[-TRAILER]`) is not implemented.
    case unsupportedPayloadMode(String)
    /// `x-amz-content-sha256` is not one of the streaming values.
    case notAStreamingPayload(String)
    /// A signed mode was configured without a signing context.
    case missingSigningContext
    /// `x-amz-decoded-content-length` is missing.
    case missingDecodedContentLength
    /// `x-amz-decoded-content-length` is not a plain decimal number.
    case invalidDecodedContentLength(String)
    /// `x-amz-trailer` is malformed, lists too many or duplicate names, or is used with a mode without trailers.
    case invalidTrailerDeclaration(String)
    /// `x-amz-trailer` names an `x-amz-checksum-*` this module does not know.
    case unsupportedChecksumTrailer(String)

    // Chunk framing
    /// A chunk-size line is longer than `Limits.maxChunkHeaderLength`.
    case chunkHeaderTooLong(limit: Int)
    /// The chunk size is not 1–16 hex digits.
    case invalidChunkSize(String)
    /// The chunk-size line is malformed (bad extension, bare LF, CR not followed by LF, ...).
    case malformedChunkHeader(String)
    /// A chunk is larger than `Limits.maxChunkSize`.
    case chunkTooLarge(size: UInt64, limit: UInt64)
    /// Chunk data was not followed by CRLF.
    case missingCRLFAfterChunkData(chunkIndex: Int)
    /// A signature value is not 64 hex digits.
    case malformedSignature(String)
    /// A chunk's signature does not verify.
    case chunkSignatureMismatch(chunkIndex: Int)
    /// The decoded byte count differs from `x-amz-decoded-content-length`
    /// (`actual` may be a claimed size that would overrun it).
    case decodedLengthMismatch(expected: UInt64, actual: UInt64)

    // Trailers
    /// A trailer line is longer than `Limits.maxTrailerLineLength`.
    case trailerLineTooLong(limit: Int)
    /// The trailer section exceeds `Limits.maxTrailerSectionBytes`.
    case trailerSectionTooLarge(limit: Int)
    /// More trailers than `Limits.maxTrailerCount`.
    case tooManyTrailers(limit: Int)
    /// A trailer line is not `name:value` with a token name and printable value.
    case malformedTrailer(String)
    /// The same trailer appears twice.
    case duplicateTrailer(String)
    /// A trailer that was not declared in `x-amz-trailer` (or any trailer in `signed` mode).
    case unexpectedTrailer(String)
    /// A trailer declared in `x-amz-trailer` did not arrive.
    case missingTrailer(String)
    /// Signed-trailer mode but no `x-amz-trailer-signature`.
    case missingTrailerSignature
    /// The trailer signature does not verify.
    case trailerSignatureMismatch
    /// The checksum trailer value is not the base64 of a digest of the right size.
    case malformedChecksumValue(name: String, value: String)
    /// The payload's checksum differs from the one the client sent.
    case checksumMismatch(algorithm: ChecksumAlgorithm, expected: String, computed: String)

    // Body end
    /// The body ended before the terminating empty line.
    case truncatedBody
    /// Bytes followed the end of the aws-chunked body.
    case dataAfterEnd
}

/// What a finished body yielded.
public struct AWSChunkedResult: Sendable, Equatable {
    /// Number of payload bytes emitted.
    public let decodedLength: UInt64
    /// Trailing headers, lowercase name → value (without `x-amz-trailer-signature`).
    public let trailers: [String: String]
    /// Number of chunks including the final zero-length one.
    public let chunkCount: Int
    /// Checksum of the decoded payload, when a checksum trailer was declared or a
    /// header checksum was configured: the algorithm and its base64 value.
    public let checksumAlgorithm: ChecksumAlgorithm?
    public let checksum: String?
}

/// Incremental, constant-memory decoder for `Content-Encoding: aws-chunked` request bodies.
///
/// Feed body bytes in pieces of any size; decoded payload bytes are handed to the
/// `emit` closure as they arrive. In signed modes a chunk's bytes are emitted
/// *before* its signature (which needs the whole chunk) is checked, so nothing
/// emitted is authenticated until ``finish()`` returns: a server must stage the
/// bytes and only commit the object after `finish()` succeeds.
public struct AWSChunkedDecoder: Sendable {
    public struct Limits: Sendable, Equatable {
        /// Longest accepted chunk-size line (without CRLF). A signed line is at most 97 bytes.
        public var maxChunkHeaderLength: Int = 256
        /// Largest accepted single chunk.
        public var maxChunkSize: UInt64 = 64 * 1024 * 1024
        /// Longest accepted trailer line (without CRLF).
        public var maxTrailerLineLength: Int = 1024
        /// Largest accepted trailer section, CRLFs included.
        public var maxTrailerSectionBytes: Int = 8 * 1024
        /// Most trailers (the signature trailer not counted).
        public var maxTrailerCount: Int = 8
        public init() {}
    }

    /// A checksum the client sent as a regular header (e.g. `x-amz-checksum-sha256` with a signed, trailer-less body).
    public struct HeaderChecksum: Sendable, Equatable {
        public var algorithm: ChecksumAlgorithm
        public var value: String
        public init(algorithm: ChecksumAlgorithm, value: String) {
            self.algorithm = algorithm
            self.value = value
        }
    }

    public struct Configuration: Sendable {
        public var mode: AWSChunkedPayloadMode
        /// Required for the signed modes.
        public var signing: SigV4ChunkSigningContext?
        /// `x-amz-decoded-content-length`; `nil` disables the length check.
        public var decodedContentLength: UInt64?
        /// Lowercase names from `x-amz-trailer`.
        public var declaredTrailers: [String]
        /// Compare a declared `x-amz-checksum-*` trailer against the decoded payload.
        public var verifyChecksumTrailer: Bool
        /// Verify the decoded payload against a checksum sent as a header.
        public var headerChecksum: HeaderChecksum?
        public var limits: Limits

        public init(mode: AWSChunkedPayloadMode, signing: SigV4ChunkSigningContext? = nil,
                    decodedContentLength: UInt64?, declaredTrailers: [String] = [],
                    verifyChecksumTrailer: Bool = true, headerChecksum: HeaderChecksum? = nil,
                    limits: Limits = Limits()) {
            self.mode = mode
            self.signing = signing
            self.decodedContentLength = decodedContentLength
            self.declaredTrailers = declaredTrailers
            self.verifyChecksumTrailer = verifyChecksumTrailer
            self.headerChecksum = headerChecksum
            self.limits = limits
        }
    }

    private enum State: Sendable {
        case chunkHeader
        case chunkData(remaining: UInt64)
        case chunkDataCR
        case chunkDataLF
        case trailerLine
        case done(AWSChunkedResult)
        case failed(AWSChunkedError)
    }

    private let mode: AWSChunkedPayloadMode
    private let signing: SigV4ChunkSigningContext?
    private let expectedLength: UInt64?
    private let declaredTrailers: [String]
    private let limits: Limits
    private let trailerChecksumName: String?
    private let headerChecksum: HeaderChecksum?

    private var state: State = .chunkHeader
    private var line: [UInt8] = []
    private var sawCR = false
    private var decoded: UInt64 = 0
    private var chunkIndex = 0
    private var previousSignature: String
    private var claimedSignature: [UInt8] = []
    private var chunkHash = SHA256()
    private var payloadChecksum: ChecksumHasher?
    private var trailers: [(name: String, value: String)] = []
    private var trailerBytes = 0
    private var skippedLeadingBlank = false
    private var trailerSignatureVerified = false

    /// Builds a decoder from an explicit configuration.
    public init(configuration c: Configuration) throws(AWSChunkedError) {
        if c.mode.isSigned && c.signing == nil { throw .missingSigningContext }
        if !c.mode.hasTrailer && !c.declaredTrailers.isEmpty {
            throw .invalidTrailerDeclaration("x-amz-trailer is not allowed with \(c.mode.rawValue)")
        }
        var seen = Set<String>()
        var checksumName: String?
        var checksumAlgorithm: ChecksumAlgorithm?
        for raw in c.declaredTrailers {
            let name = raw.lowercased()
            guard isTokenName(Array(name.utf8)), name != "x-amz-trailer-signature" else {
                throw .invalidTrailerDeclaration(raw)
            }
            guard seen.insert(name).inserted else { throw .invalidTrailerDeclaration("duplicate \(name)") }
            if name.hasPrefix("x-amz-checksum-") {
                guard let alg = ChecksumAlgorithm(headerName: name) else { throw .unsupportedChecksumTrailer(name) }
                guard checksumName == nil else { throw .invalidTrailerDeclaration("more than one checksum trailer") }
                checksumName = name
                checksumAlgorithm = alg
            }
        }
        guard seen.count <= c.limits.maxTrailerCount else { throw .tooManyTrailers(limit: c.limits.maxTrailerCount) }
        if let hc = c.headerChecksum {
            do { _ = try decodeChecksumValue(hc.value, algorithm: hc.algorithm) } catch {
                throw .malformedChecksumValue(name: hc.algorithm.headerName, value: hc.value)
            }
            if let alg = checksumAlgorithm, alg != hc.algorithm {
                throw .invalidTrailerDeclaration("checksum header and checksum trailer disagree")
            }
            checksumAlgorithm = hc.algorithm
        }
        mode = c.mode
        signing = c.signing
        expectedLength = c.decodedContentLength
        declaredTrailers = Array(seen).sorted()
        limits = c.limits
        trailerChecksumName = c.verifyChecksumTrailer ? checksumName : nil
        headerChecksum = c.headerChecksum
        // The payload checksum is computed whenever one is known, and reported in the result.
        payloadChecksum = checksumAlgorithm.map { ChecksumHasher($0) }
        previousSignature = c.signing?.seedSignature ?? ""
        line.reserveCapacity(max(c.limits.maxChunkHeaderLength, 64))
    }

    /// Builds a decoder from the request's header values.
    /// - Parameters:
    ///   - contentSHA256: `x-amz-content-sha256`.
    ///   - decodedContentLength: `x-amz-decoded-content-length` (required, as S3 requires it).
    ///   - trailer: `x-amz-trailer`, if present (comma-separated names).
    ///   - signing: required for the signed modes.
    public init(contentSHA256: String, decodedContentLength: String?, trailer: String?,
                signing: SigV4ChunkSigningContext? = nil, headerChecksum: HeaderChecksum? = nil,
                limits: Limits = Limits()) throws(AWSChunkedError) {
        let mode = try AWSChunkedPayloadMode(contentSHA256: contentSHA256)
        guard let lengthText = decodedContentLength else { throw .missingDecodedContentLength }
        let length = try Self.parseDecodedContentLength(lengthText)
        var names: [String] = []
        if let trailer {
            guard trailer.utf8.count <= 1024 else { throw .invalidTrailerDeclaration("x-amz-trailer too long") }
            names = trailer.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if names.contains(where: \.isEmpty) { throw .invalidTrailerDeclaration(trailer) }
        }
        try self.init(configuration: Configuration(
            mode: mode, signing: signing, decodedContentLength: length, declaredTrailers: names,
            headerChecksum: headerChecksum, limits: limits))
    }

    /// Strict parse of `x-amz-decoded-content-length`: 1–19 ASCII digits.
    public static func parseDecodedContentLength(_ text: String) throws(AWSChunkedError) -> UInt64 {
        let u = Array(text.utf8)
        guard (1...19).contains(u.count), u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let v = UInt64(text) else {
            throw .invalidDecodedContentLength(text)
        }
        return v
    }

    /// True once the terminating empty line has been read.
    public var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Payload bytes emitted so far.
    public var decodedByteCount: UInt64 { decoded }

    // MARK: Feeding

    /// Decodes `input`, returning the payload bytes it contained.
    public mutating func feed(_ input: [UInt8]) throws(AWSChunkedError) -> [UInt8] {
        var out: [UInt8] = []
        var failure: AWSChunkedError?
        input.withUnsafeBytes { buffer in
            do throws(AWSChunkedError) {
                try feed(buffer) { out.append(contentsOf: $0) }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return out
    }

    /// Decodes `input`, handing each run of payload bytes to `emit` (the buffer is
    /// only valid during the call).
    public mutating func feed(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Void) throws(AWSChunkedError) {
        if case .failed(let e) = state { throw e }
        do {
            try run(input, emit: emit)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Call after the last body byte: returns the result, or throws if the body
    /// was incomplete or an earlier error occurred.
    public func finish() throws(AWSChunkedError) -> AWSChunkedResult {
        switch state {
        case .done(let r): return r
        case .failed(let e): throw e
        default: throw .truncatedBody
        }
    }

    private mutating func run(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) -> Void) throws(AWSChunkedError) {
        var i = 0
        let n = input.count
        while i < n {
            switch state {
            case .chunkHeader:
                if try takeLine(input, &i, limit: limits.maxChunkHeaderLength, isTrailer: false) {
                    try handleChunkHeader()
                }
            case .chunkData(let remaining):
                let take = Int(min(remaining, UInt64(n - i)))
                let slice = UnsafeRawBufferPointer(rebasing: input[i..<(i + take)])
                if mode.isSigned { chunkHash.update(bufferPointer: slice) }
                payloadChecksum?.update(slice)
                emit(slice)
                decoded += UInt64(take)
                i += take
                let left = remaining - UInt64(take)
                if left == 0 {
                    if mode.isSigned { try verifyChunkSignature() }
                    state = .chunkDataCR
                } else {
                    state = .chunkData(remaining: left)
                }
            case .chunkDataCR:
                guard input[i] == 0x0D else { throw .missingCRLFAfterChunkData(chunkIndex: chunkIndex) }
                i += 1
                state = .chunkDataLF
            case .chunkDataLF:
                guard input[i] == 0x0A else { throw .missingCRLFAfterChunkData(chunkIndex: chunkIndex) }
                i += 1
                chunkIndex += 1
                state = .chunkHeader
            case .trailerLine:
                if try takeLine(input, &i, limit: limits.maxTrailerLineLength, isTrailer: true) {
                    try handleTrailerLine()
                }
            case .done:
                throw .dataAfterEnd
            case .failed(let e):
                throw e
            }
        }
    }

    /// Accumulates bytes of a CRLF-terminated line into `line`. Returns true when
    /// the line is complete (CRLF consumed, `line` holds the content).
    private mutating func takeLine(_ input: UnsafeRawBufferPointer, _ i: inout Int, limit: Int, isTrailer: Bool) throws(AWSChunkedError) -> Bool {
        while i < input.count {
            let b = input[i]
            i += 1
            if isTrailer {
                trailerBytes += 1
                if trailerBytes > limits.maxTrailerSectionBytes { throw .trailerSectionTooLarge(limit: limits.maxTrailerSectionBytes) }
            }
            if sawCR {
                guard b == 0x0A else {
                    throw isTrailer ? .malformedTrailer("CR not followed by LF") : .malformedChunkHeader("CR not followed by LF")
                }
                sawCR = false
                return true
            }
            switch b {
            case 0x0D:
                sawCR = true
            case 0x0A:
                throw isTrailer ? .malformedTrailer("bare LF") : .malformedChunkHeader("bare LF")
            default:
                guard line.count < limit else {
                    throw isTrailer ? .trailerLineTooLong(limit: limit) : .chunkHeaderTooLong(limit: limit)
                }
                line.append(b)
            }
        }
        return false
    }

    private mutating func handleChunkHeader() throws(AWSChunkedError) {
        defer { line.removeAll(keepingCapacity: true) }
        let semicolon = line.firstIndex(of: UInt8(ascii: ";"))
        let sizeBytes = line[..<(semicolon ?? line.endIndex)]
        guard (1...16).contains(sizeBytes.count) else { throw .invalidChunkSize(printable(sizeBytes)) }
        var size: UInt64 = 0
        for c in sizeBytes {
            guard let v = hexValue(c) else { throw .invalidChunkSize(printable(sizeBytes)) }
            size = size << 4 | UInt64(v)
        }
        if mode.isSigned {
            let prefix = Array("chunk-signature=".utf8)
            guard let semicolon else { throw .malformedChunkHeader("missing chunk-signature") }
            let ext = line[(semicolon + 1)...]
            guard ext.count == prefix.count + 64, ext.starts(with: prefix) else {
                throw .malformedChunkHeader("expected ;chunk-signature=<64 hex digits>")
            }
            guard let sig = parseSignatureHex(ext.dropFirst(prefix.count)) else {
                throw .malformedSignature(printable(ext.dropFirst(prefix.count)))
            }
            claimedSignature = sig
            chunkHash = SHA256()
        } else if semicolon != nil {
            throw .malformedChunkHeader("chunk extensions are not allowed in \(mode.rawValue)")
        }
        guard size <= limits.maxChunkSize else { throw .chunkTooLarge(size: size, limit: limits.maxChunkSize) }
        if let expectedLength {
            let (total, overflow) = decoded.addingReportingOverflow(size)
            if overflow || total > expectedLength {
                throw .decodedLengthMismatch(expected: expectedLength, actual: overflow ? .max : total)
            }
        }
        if size == 0 {
            if mode.isSigned { try verifyChunkSignature() }
            if let expectedLength, decoded != expectedLength {
                throw .decodedLengthMismatch(expected: expectedLength, actual: decoded)
            }
            chunkIndex += 1
            state = .trailerLine
        } else {
            state = .chunkData(remaining: size)
        }
    }

    private mutating func verifyChunkSignature() throws(AWSChunkedError) {
        guard let signing else { throw .missingSigningContext }
        let digestHex = SigV4.hex(chunkHash.finalize())
        let expected = SigV4.chunkSignature(context: signing, previousSignature: previousSignature, chunkSHA256Hex: digestHex)
        let expectedBytes = parseSignatureHex(Array(expected.utf8)) ?? []
        guard constantTimeEquals(expectedBytes, claimedSignature) else {
            throw .chunkSignatureMismatch(chunkIndex: chunkIndex)
        }
        previousSignature = expected
    }

    private mutating func handleTrailerLine() throws(AWSChunkedError) {
        let content = line
        line.removeAll(keepingCapacity: true)
        if content.isEmpty {
            // Signed-trailer mode: tolerate one blank line between the zero-length
            // chunk and the trailers (some renderings of the AWS example show one).
            // Safe because that mode cannot end without a trailer signature line.
            if mode == .signedWithTrailer, trailers.isEmpty, !trailerSignatureVerified, !skippedLeadingBlank {
                skippedLeadingBlank = true
                return
            }
            try finalizeBody()
            return
        }
        guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else {
            throw .malformedTrailer("missing ':' in \(printable(content))")
        }
        let nameBytes = Array(content[..<colon])
        guard isTokenName(nameBytes) else { throw .malformedTrailer("bad trailer name \(printable(nameBytes))") }
        let name = String(decoding: nameBytes, as: UTF8.self).lowercased()
        var valueBytes = content[(colon + 1)...]
        while let f = valueBytes.first, f == 0x20 || f == 0x09 { valueBytes = valueBytes.dropFirst() }
        while let l = valueBytes.last, l == 0x20 || l == 0x09 { valueBytes = valueBytes.dropLast() }
        guard valueBytes.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else {
            throw .malformedTrailer("non-printable value for \(name)")
        }
        let value = String(decoding: valueBytes, as: UTF8.self)
        guard mode.hasTrailer else { throw .unexpectedTrailer(name) }
        if trailerSignatureVerified { throw .malformedTrailer("trailer after x-amz-trailer-signature") }
        if name == "x-amz-trailer-signature" {
            guard mode == .signedWithTrailer, let signing else { throw .unexpectedTrailer(name) }
            guard let claimed = parseSignatureHex(Array(value.utf8)) else { throw .malformedSignature(value) }
            let expected = SigV4.trailerSignature(
                context: signing, previousSignature: previousSignature,
                canonicalTrailers: SigV4.canonicalTrailerText(trailers))
            guard constantTimeEquals(parseSignatureHex(Array(expected.utf8)) ?? [], claimed) else {
                throw .trailerSignatureMismatch
            }
            trailerSignatureVerified = true
            return
        }
        if trailers.contains(where: { $0.name == name }) { throw .duplicateTrailer(name) }
        guard declaredTrailers.contains(name) else { throw .unexpectedTrailer(name) }
        guard trailers.count < limits.maxTrailerCount else { throw .tooManyTrailers(limit: limits.maxTrailerCount) }
        trailers.append((name: name, value: value))
    }

    private mutating func finalizeBody() throws(AWSChunkedError) {
        if mode == .signedWithTrailer && !trailerSignatureVerified { throw .missingTrailerSignature }
        for name in declaredTrailers where !trailers.contains(where: { $0.name == name }) {
            throw .missingTrailer(name)
        }
        var computed: String?
        if let h = payloadChecksum {
            let value = h.finalizeBase64()
            computed = value
            if let trailerChecksumName, let sent = trailers.first(where: { $0.name == trailerChecksumName })?.value {
                do { _ = try decodeChecksumValue(sent, algorithm: h.algorithm) } catch {
                    throw .malformedChecksumValue(name: trailerChecksumName, value: sent)
                }
                guard sent == value else { throw .checksumMismatch(algorithm: h.algorithm, expected: sent, computed: value) }
            }
            if let hc = headerChecksum, hc.value != value {
                throw .checksumMismatch(algorithm: hc.algorithm, expected: hc.value, computed: value)
            }
        }
        var dict: [String: String] = [:]
        for t in trailers { dict[t.name] = t.value }
        state = .done(AWSChunkedResult(
            decodedLength: decoded, trailers: dict, chunkCount: chunkIndex,
            checksumAlgorithm: payloadChecksum?.algorithm, checksum: computed))
    }
}

/// RFC 7230 token characters.
func isTokenName(_ bytes: [UInt8]) -> Bool {
    guard !bytes.isEmpty else { return false }
    return bytes.allSatisfy { b in
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }
}

/// A short, printable rendering of untrusted bytes for error messages.
func printable(_ bytes: some Collection<UInt8>) -> String {
    let shown = bytes.prefix(64).map { ($0 >= 0x20 && $0 <= 0x7E) ? Character(UnicodeScalar($0)) : "?" }
    return String(shown) + (bytes.count > 64 ? "…" : "")
}
