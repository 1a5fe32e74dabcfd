import CCofferBoringSSLShim
import Crypto

/// AES-GCM for body frames (12-byte IV, 16-byte tag), through BoringSSL's AEAD interface so that
/// ciphertext and plaintext go straight into the message buffers: swift-crypto's `AES.GCM` returns every
/// result in a new buffer, an allocation and an extra copy per frame. One expanded key per message;
/// immutable after creation, and BoringSSL allows concurrent seal/open on one context.
final class FrameCipher: @unchecked Sendable {
    static let ivLength = 12
    static let tagLength = 16
    private let context: UnsafeMutableRawPointer

    init(key: SymmetricKey) throws(ESDKError) {
        let made = key.withUnsafeBytes { bytes in
            bytes.baseAddress.flatMap { coffer_aes_gcm_new($0.assumingMemoryBound(to: UInt8.self), bytes.count) }
        }
        guard let made else { throw ESDKError(.invalidMaterials, "the derived data key is not a valid AES-GCM key") }
        context = made
    }

    deinit { coffer_aes_gcm_free(context) }

    /// Appends the ciphertext of `plaintext`, then its tag, to `output`.
    func seal(_ plaintext: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
              appendingTo output: inout [UInt8]) throws(ESDKError) {
        guard iv.count == Self.ivLength else { throw ESDKError(.invalidMaterials, "frame IV must be 12 bytes") }
        let start = output.count
        output.append(contentsOf: plaintext)
        output.append(contentsOf: repeatElement(0, count: Self.tagLength))
        let context = self.context
        let sealed = output.withUnsafeMutableBytes { buffer -> Bool in
            // Invariant: the buffer holds at least the tag, so it has a base address.
            let body = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self) + start
            return coffer_aes_gcm_seal(context, iv.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                       aad.baseAddress?.assumingMemoryBound(to: UInt8.self), aad.count,
                                       body, plaintext.count, body, body + plaintext.count) == 1
        }
        guard sealed else {
            output.removeSubrange(start...)
            throw ESDKError(.invalidMaterials, "frame encryption failed")
        }
    }

    /// Appends the plaintext of `ciphertext` to `output` if the tag authenticates it; otherwise appends
    /// nothing and returns false (the unauthenticated bytes are zeroed and removed).
    func open(_ ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer,
              aad: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) -> Bool {
        guard iv.count == Self.ivLength, tag.count == Self.tagLength else { return false }
        let start = output.count
        output.append(contentsOf: ciphertext)
        let context = self.context
        let opened = output.withUnsafeMutableBytes { buffer -> Bool in
            let body = buffer.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) + start }
            return coffer_aes_gcm_open(context, iv.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                       aad.baseAddress?.assumingMemoryBound(to: UInt8.self), aad.count,
                                       body, ciphertext.count, tag.baseAddress?.assumingMemoryBound(to: UInt8.self), body) == 1
        }
        if !opened { output.removeSubrange(start...) }
        return opened
    }
}
