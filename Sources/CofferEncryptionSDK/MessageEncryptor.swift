import Crypto
import Foundation

/// Incremental message encryption: header first, then framed body and footer, in constant memory.
///
/// Feed plaintext with `update(_:into:)`, then call `finish(into:)` once.
public struct MessageEncryptor {
    /// The header that was written.
    public let header: MessageHeader
    /// The full encryption context of the materials (stored plus authenticated-only pairs).
    public let encryptionContext: EncryptionContext
    private let cipher: FrameCipher
    private let frameLength: Int
    private var aad: BodyAAD
    private var signer: MessageSigner?
    private var pending: [UInt8]
    private var sequenceNumber: UInt32 = 1
    private var headerBytes: [UInt8]?
    private var finished = false

    /// Builds the header from `materials`. Materials must already be validated.
    init(materials: EncryptionMaterials, frameLength: Int) throws(ESDKError) {
        guard frameLength > 0, frameLength <= MessageHeader.maximumFrameLength else {
            throw ESDKError(.invalidFrameLength, "frame length must be between 1 and \(MessageHeader.maximumFrameLength)")
        }
        let suite = materials.algorithmSuite
        guard let dataKey = materials.plaintextDataKey, dataKey.count == suite.dataKeyLength else {
            throw ESDKError(.invalidMaterials, "encryption materials lack a data key of the suite's length")
        }
        let messageID = secureRandomBytes(suite.messageIDLength)
        let storedContext = materials.encryptionContext.filter { !materials.requiredEncryptionContextKeys.contains($0.key) }
        var header = MessageHeader(
            version: suite.messageFormatVersion, algorithmSuite: suite, messageID: messageID,
            encryptionContext: storedContext, encryptedDataKeys: materials.encryptedDataKeys,
            contentType: .framed, frameLength: UInt32(frameLength),
            commitmentKey: suite.isCommitting ? KeyDerivation.commitmentKey(dataKey, messageID: messageID) : [],
            headerIV: [UInt8](repeating: 0, count: suite.ivLength), headerAuthTag: [])
        let key = KeyDerivation.deriveDataKey(dataKey, suite: suite, messageID: messageID)
        cipher = try FrameCipher(key: key)
        let body = try header.serializeBody()
        let headerAAD = try headerAuthenticationAAD(
            headerBody: body, encryptionContext: materials.encryptionContext,
            requiredKeys: materials.requiredEncryptionContextKeys)
        do {
            let sealed = try AES.GCM.seal([UInt8](), using: key, nonce: AES.GCM.Nonce(data: header.headerIV), authenticating: headerAAD)
            header.headerAuthTag = Array(sealed.tag)
        } catch {
            throw ESDKError(.invalidMaterials, "header authentication failed to compute", cause: error)
        }
        self.header = header
        self.encryptionContext = materials.encryptionContext
        self.frameLength = frameLength
        self.aad = BodyAAD(messageID: messageID)
        self.pending = []
        self.pending.reserveCapacity(frameLength)
        let fullHeader = body + header.serializeAuthentication()
        if let signature = suite.signature {
            guard let signingKey = materials.signingKey, signingKey.matches(signature) else {
                throw ESDKError(.invalidMaterials, "signing suite without a matching signing key")
            }
            var signer = MessageSigner(privateKey: signingKey)
            signer.update(fullHeader)
            self.signer = signer
        } else {
            self.signer = nil
        }
        headerBytes = fullHeader
    }

    /// Encrypts as many whole frames as `plaintext` completes, appending ciphertext to `output`.
    public mutating func update(_ plaintext: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        guard !finished else { throw ESDKError(.invalidArgument, "update after finish") }
        emitHeader(into: &output)
        var input = plaintext[...]
        if !pending.isEmpty {
            let take = min(frameLength - pending.count, input.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: input.prefix(take)))
            input = input.dropFirst(take)
            // A full pending frame is sealed only when more plaintext follows; otherwise it may be the last.
            if pending.count == frameLength && !input.isEmpty {
                try sealPending(final: false, into: &output)
            }
        }
        // Seal whole frames straight from the input, keeping back at least one byte.
        while input.count > frameLength {
            try sealFrame(UnsafeRawBufferPointer(rebasing: input.prefix(frameLength)), final: false, into: &output)
            input = input.dropFirst(frameLength)
        }
        if !input.isEmpty {
            if pending.count == frameLength {
                try sealPending(final: false, into: &output)
            }
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: input))
        }
    }

    /// Convenience for arrays.
    public mutating func update(_ plaintext: [UInt8], into output: inout [UInt8]) throws {
        try plaintext.withUnsafeBytes { buffer in try update(buffer, into: &output) }
    }

    /// Writes the remaining frames, the final frame and the footer.
    public mutating func finish(into output: inout [UInt8]) throws {
        guard !finished else { throw ESDKError(.invalidArgument, "finish called twice") }
        emitHeader(into: &output)
        if pending.count == frameLength {
            // Like the Python SDK: a plaintext that fills its last frame exactly ends with an empty final frame.
            try sealPending(final: false, into: &output)
        }
        try sealPending(final: true, into: &output)
        pending = []
        finished = true
        if let signer {
            let signature = try signer.finish()
            output.append(UInt8(truncatingIfNeeded: signature.count >> 8))
            output.append(UInt8(truncatingIfNeeded: signature.count))
            output.append(contentsOf: signature)
        }
    }

    /// Seals the pending plaintext as one frame and empties it. The buffer is moved out while it is sealed
    /// (not shared), so emptying it keeps its capacity instead of allocating a new one.
    private mutating func sealPending(final: Bool, into output: inout [UInt8]) throws {
        var frame: [UInt8] = []
        swap(&frame, &pending)
        defer {
            frame.removeAll(keepingCapacity: true)
            swap(&frame, &pending)
        }
        try frame.withUnsafeBytes { buffer in try sealFrame(buffer, final: final, into: &output) }
    }

    private mutating func emitHeader(into output: inout [UInt8]) {
        if let headerBytes {
            output.append(contentsOf: headerBytes)
            self.headerBytes = nil
        }
    }

    private mutating func sealFrame(_ plaintext: UnsafeRawBufferPointer, final: Bool, into output: inout [UInt8]) throws {
        let sequence = sequenceNumber
        guard sequence != UInt32.max || final else {
            throw ESDKError(.frameLimitExceeded, "message would need more than 2^32 - 1 frames")
        }
        let iv = frameIV(sequence)
        let start = output.count
        if final {
            output.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF])
        }
        output.append(contentsOf: iv[8..<12])
        output.append(contentsOf: iv)
        if final {
            let length = UInt32(plaintext.count)
            output.append(contentsOf: [UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
                                       UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)])
        }
        let cipher = self.cipher
        try aad.withAAD(final ? .finalFrame : .frame, sequenceNumber: sequence, length: UInt64(plaintext.count)) { aadBytes in
            try iv.withUnsafeBytes { ivBytes in
                try aadBytes.withUnsafeBytes { aadRaw in
                    try cipher.seal(plaintext, iv: ivBytes, aad: aadRaw, appendingTo: &output)
                }
            }
        }
        if signer != nil {
            output.withUnsafeBytes { signer?.update(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        }
        if !final { sequenceNumber += 1 }
    }
}
