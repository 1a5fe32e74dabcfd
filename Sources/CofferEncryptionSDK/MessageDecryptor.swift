import Crypto
import Foundation

/// Incremental message decryption in constant memory (for framed messages).
///
/// Feed ciphertext with `update(_:into:)` and call `finish(into:)` at the end of input.
/// Plaintext of regular frames is released once the frame authenticates; with signing suites the
/// final frame's plaintext is released only after the footer signature verifies.
public struct MessageDecryptor {
    private enum State {
        case header
        case framedBody
        case nonFramedBody
        case footer
        case done
    }

    private let materialsManager: any CryptographicMaterialsManager
    private let commitmentPolicy: CommitmentPolicy
    private let maxEncryptedDataKeys: Int?
    private let reproducedEncryptionContext: EncryptionContext?

    private var state: State = .header
    private var buffer: [UInt8] = []
    private var start = 0
    private var nextHeaderAttempt = 1

    private var cipher: FrameCipher?
    private var aad = BodyAAD(messageID: [])
    private var hasher: MessageHasher?
    private var verificationKey: VerificationKey?
    private var expectedSequence: UInt32 = 1
    private var heldBack: [UInt8] = []

    /// The verified header, once the header has been authenticated.
    public private(set) var header: MessageHeader?
    /// The encryption context of the decryption materials, once known.
    public private(set) var encryptionContext: EncryptionContext = [:]

    public init(materialsManager: any CryptographicMaterialsManager, commitmentPolicy: CommitmentPolicy = .requireEncryptRequireDecrypt,
                maxEncryptedDataKeys: Int? = nil, reproducedEncryptionContext: EncryptionContext? = nil) {
        self.materialsManager = materialsManager
        self.commitmentPolicy = commitmentPolicy
        self.maxEncryptedDataKeys = maxEncryptedDataKeys
        self.reproducedEncryptionContext = reproducedEncryptionContext
    }

    /// Consumes `ciphertext`, appending any plaintext that may be released to `output`.
    public mutating func update(_ ciphertext: UnsafeRawBufferPointer, into output: inout [UInt8]) async throws {
        append(ciphertext)
        try await process(into: &output, atEnd: false)
    }

    /// Convenience for arrays.
    public mutating func update(_ ciphertext: [UInt8], into output: inout [UInt8]) async throws {
        ciphertext.withUnsafeBytes { append($0) }
        try await process(into: &output, atEnd: false)
    }

    /// Buffers `ciphertext` without processing it; call `drain(into:)` afterwards.
    public mutating func append(_ ciphertext: UnsafeRawBufferPointer) {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 0 && (start >= buffer.count / 2 || buffer.count - start < 4096) {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: ciphertext)
    }

    /// Processes buffered ciphertext, appending any plaintext that may be released to `output`.
    public mutating func drain(into output: inout [UInt8]) async throws {
        try await process(into: &output, atEnd: false)
    }

    /// Signals end of input; throws unless a whole, valid message was read.
    public mutating func finish(into output: inout [UInt8]) async throws {
        try await process(into: &output, atEnd: true)
        guard case .done = state else {
            throw ESDKError.truncated(describeState())
        }
    }

    private func describeState() -> String {
        switch state {
        case .header: return "header"
        case .framedBody, .nonFramedBody: return "body"
        case .footer: return "footer"
        case .done: return "message"
        }
    }

    private var available: Int { buffer.count - start }

    private mutating func process(into output: inout [UInt8], atEnd: Bool) async throws {
        while true {
            switch state {
            case .header:
                guard atEnd || available >= nextHeaderAttempt else { return }
                guard try await readHeader(atEnd: atEnd) else { return }
            case .framedBody:
                guard try readFrame(into: &output) else { return }
            case .nonFramedBody:
                guard try readNonFramedBody(into: &output) else { return }
            case .footer:
                guard try readFooter(into: &output) else { return }
            case .done:
                if available > 0 {
                    throw ESDKError(.trailingBytes, "\(available) bytes follow the end of the message")
                }
                return
            }
        }
    }

    // MARK: Header

    private mutating func readHeader(atEnd: Bool) async throws -> Bool {
        if let maxEncryptedDataKeys, maxEncryptedDataKeys < 1 {
            throw ESDKError(.invalidArgument, "maxEncryptedDataKeys must be at least 1")
        }
        let parsed: MessageHeader.Parsed
        do {
            parsed = try buffer.withUnsafeBytes { (bytes) throws(ESDKError) in
                try MessageHeader.parse(UnsafeRawBufferPointer(rebasing: bytes[start...]), maxEncryptedDataKeys: maxEncryptedDataKeys)
            }
        } catch let error as ESDKError where error.code == .truncatedMessage && !atEnd {
            // Parse again only once the buffer has doubled, so a large header costs linear time.
            nextHeaderAttempt = max(available * 2, 64)
            return false
        }
        let header = parsed.header
        let suite = header.algorithmSuite
        try commitmentPolicy.validateForDecrypt(suite)

        let request = DecryptionMaterialsRequest(
            algorithmSuite: suite, commitmentPolicy: commitmentPolicy, encryptedDataKeys: header.encryptedDataKeys,
            encryptionContext: header.encryptionContext, reproducedEncryptionContext: reproducedEncryptionContext)
        let materials = try await materialsManager.decryptMaterials(request)
        guard materials.algorithmSuite == suite, let dataKey = materials.plaintextDataKey, dataKey.count == suite.dataKeyLength else {
            throw ESDKError(.invalidMaterials, "decryption materials do not fit the message's algorithm suite")
        }
        if suite.isCommitting {
            let expected = KeyDerivation.commitmentKey(dataKey, messageID: header.messageID)
            guard constantTimeEquals(expected, header.commitmentKey) else {
                throw ESDKError(.commitmentMismatch, "key commitment does not match the data key")
            }
        }
        let derived = KeyDerivation.deriveDataKey(dataKey, suite: suite, messageID: header.messageID)
        let headerBody = Array(buffer[start..<(start + parsed.bodyLength)])
        let headerAAD = try headerAuthenticationAAD(
            headerBody: headerBody, encryptionContext: materials.encryptionContext,
            requiredKeys: materials.requiredEncryptionContextKeys)
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: header.headerIV), ciphertext: [UInt8](), tag: header.headerAuthTag)
            _ = try AES.GCM.open(box, using: derived, authenticating: headerAAD)
        } catch {
            throw ESDKError(.headerAuthenticationFailed, "header authentication tag did not verify")
        }
        if let signature = suite.signature {
            guard let verificationKey = materials.verificationKey else {
                throw ESDKError(.invalidMaterials, "signing suite without a verification key")
            }
            self.verificationKey = verificationKey
            var hasher = MessageHasher(for: signature)
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[start..<(start + parsed.totalLength)])) }
            self.hasher = hasher
        }
        start += parsed.totalLength
        cipher = try FrameCipher(key: derived)
        aad = BodyAAD(messageID: header.messageID)
        self.header = header
        encryptionContext = materials.encryptionContext
        state = header.contentType == .framed ? .framedBody : .nonFramedBody
        return true
    }

    // MARK: Body

    private mutating func readFrame(into output: inout [UInt8]) throws -> Bool {
        guard let header else { return false }
        let frameLength = Int(header.frameLength)
        let ivLength = header.algorithmSuite.ivLength
        let tagLength = header.algorithmSuite.tagLength
        guard available >= 4 else { return false }
        let marker = readUInt32(at: start)
        let isFinal = marker == UInt32.max
        let sequence: UInt32
        var cursor = start + 4
        if isFinal {
            guard available >= 8 else { return false }
            sequence = readUInt32(at: cursor)
            cursor += 4
        } else {
            sequence = marker
        }
        guard sequence == expectedSequence else {
            throw ESDKError(.invalidFrameSequence, "frame sequence number \(sequence) where \(expectedSequence) was expected")
        }
        guard buffer.count - cursor >= ivLength else { return false }
        let ivRange = cursor..<(cursor + ivLength)
        cursor += ivLength
        let contentLength: Int
        if isFinal {
            guard buffer.count - cursor >= 4 else { return false }
            contentLength = Int(readUInt32(at: cursor))
            cursor += 4
            guard contentLength <= frameLength else {
                throw ESDKError.malformed("final frame length \(contentLength) exceeds the frame length \(frameLength)")
            }
        } else {
            contentLength = frameLength
        }
        guard buffer.count - cursor >= contentLength + tagLength else { return false }
        let contentRange = cursor..<(cursor + contentLength)
        let tagRange = contentRange.upperBound..<(contentRange.upperBound + tagLength)
        let frameEnd = tagRange.upperBound

        if isFinal, hasher != nil {
            var plaintext: [UInt8] = []
            try openFrame(iv: ivRange, content: contentRange, tag: tagRange, aadContent: .finalFrame, sequence: sequence,
                          length: UInt64(contentLength), into: &plaintext)
            heldBack = plaintext
        } else {
            try openFrame(iv: ivRange, content: contentRange, tag: tagRange, aadContent: isFinal ? .finalFrame : .frame,
                          sequence: sequence, length: UInt64(contentLength), into: &output)
        }
        if hasher != nil {
            buffer.withUnsafeBytes { hasher?.update(UnsafeRawBufferPointer(rebasing: $0[start..<frameEnd])) }
        }
        start = frameEnd
        if isFinal {
            state = hasher != nil ? .footer : .done
        } else {
            guard expectedSequence < UInt32.max else {
                throw ESDKError(.frameLimitExceeded, "message has more than 2^32 - 1 frames")
            }
            expectedSequence += 1
        }
        return true
    }

    private mutating func readNonFramedBody(into output: inout [UInt8]) throws -> Bool {
        guard let header else { return false }
        let ivLength = header.algorithmSuite.ivLength
        let tagLength = header.algorithmSuite.tagLength
        guard available >= ivLength + 8 else { return false }
        let ivRange = start..<(start + ivLength)
        let length = readUInt64(at: start + ivLength)
        guard length <= 68_719_476_704 else {
            throw ESDKError.malformed("non-framed content length exceeds the GCM limit")
        }
        let contentStart = start + ivLength + 8
        guard UInt64(buffer.count - contentStart) >= length + UInt64(tagLength) else { return false }
        let contentRange = contentStart..<(contentStart + Int(length))
        let tagRange = contentRange.upperBound..<(contentRange.upperBound + tagLength)
        if hasher != nil {
            var plaintext: [UInt8] = []
            try openFrame(iv: ivRange, content: contentRange, tag: tagRange, aadContent: .singleBlock, sequence: 1, length: length, into: &plaintext)
            buffer.withUnsafeBytes { hasher?.update(UnsafeRawBufferPointer(rebasing: $0[start..<tagRange.upperBound])) }
            heldBack = plaintext
            state = .footer
        } else {
            try openFrame(iv: ivRange, content: contentRange, tag: tagRange, aadContent: .singleBlock, sequence: 1, length: length, into: &output)
            state = .done
        }
        start = tagRange.upperBound
        return true
    }

    /// Authenticates and decrypts one frame (or the non-framed body), appending its plaintext to `output`;
    /// nothing is appended when it does not authenticate.
    private mutating func openFrame(iv: Range<Int>, content: Range<Int>, tag: Range<Int>, aadContent: BodyAAD.Content,
                                    sequence: UInt32, length: UInt64, into output: inout [UInt8]) throws {
        guard let cipher else { throw ESDKError(.invalidMaterials, "body reached before the data key was derived") }
        let buffer = self.buffer
        let opened = aad.withAAD(aadContent, sequenceNumber: sequence, length: length) { aadBytes in
            buffer.withUnsafeBytes { bytes in
                aadBytes.withUnsafeBytes { aadRaw in
                    cipher.open(UnsafeRawBufferPointer(rebasing: bytes[content]), tag: UnsafeRawBufferPointer(rebasing: bytes[tag]),
                                iv: UnsafeRawBufferPointer(rebasing: bytes[iv]), aad: aadRaw, appendingTo: &output)
                }
            }
        }
        guard opened else { throw ESDKError(.bodyAuthenticationFailed, "frame \(sequence) did not authenticate") }
    }

    // MARK: Footer

    private mutating func readFooter(into output: inout [UInt8]) throws -> Bool {
        guard available >= 2 else { return false }
        let length = Int(buffer[start]) << 8 | Int(buffer[start + 1])
        guard available >= 2 + length else { return false }
        let signature = Array(buffer[(start + 2)..<(start + 2 + length)])
        guard let hasher, let verificationKey, verificationKey.isValid(signature: signature, hasher: hasher) else {
            throw ESDKError(.signatureVerificationFailed, "message signature did not verify")
        }
        start += 2 + length
        output.append(contentsOf: heldBack)
        heldBack = []
        state = .done
        return true
    }

    private func readUInt32(at index: Int) -> UInt32 {
        UInt32(buffer[index]) << 24 | UInt32(buffer[index + 1]) << 16 | UInt32(buffer[index + 2]) << 8 | UInt32(buffer[index + 3])
    }

    private func readUInt64(at index: Int) -> UInt64 {
        UInt64(readUInt32(at: index)) << 32 | UInt64(readUInt32(at: index + 4))
    }
}
