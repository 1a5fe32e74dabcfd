import CofferEncryptionSDK
import Foundation
import Testing

/// Tampered and hostile messages must fail with the right typed error, never crash.
@Suite("Tampering")
struct TamperTests {
    let keyring = Fixtures.aesKeyring()
    let sdk = EncryptionSDK(commitmentPolicy: .requireEncryptAllowDecrypt)

    /// A signed, committing message with three 64-byte frames and a final frame.
    func signedMessage() async throws -> EncryptionSDK.EncryptResult {
        try await EncryptionSDK().encrypt(Fixtures.plaintext(200), keyring: keyring, encryptionContext: ["purpose": "test"],
                                          algorithmSuite: .aes256GcmHkdfSha512CommitKeyEcdsaP384, frameLength: 64)
    }

    func headerLength(_ result: EncryptionSDK.EncryptResult) -> Int {
        // 3 regular frames of 64 bytes, a final frame of 8 bytes, a 103-byte signature.
        result.ciphertext.count - 3 * (4 + 12 + 64 + 16) - (4 + 4 + 12 + 4 + 8 + 16) - (2 + 103)
    }

    @Test("flipping a commitment key bit is a commitment mismatch")
    func commitmentFlip() async throws {
        let message = try await signedMessage()
        var bytes = message.ciphertext
        let commitmentStart = headerLength(message) - 16 - 32
        bytes[commitmentStart + 5] ^= 0x01
        await expectESDKError(.commitmentMismatch) { try await sdk.decrypt(bytes, keyring: keyring) }
    }

    @Test("flipping the header tag fails header authentication")
    func headerTagFlip() async throws {
        let message = try await signedMessage()
        var bytes = message.ciphertext
        bytes[headerLength(message) - 1] ^= 0x80
        await expectESDKError(.headerAuthenticationFailed) { try await sdk.decrypt(bytes, keyring: keyring) }
    }

    @Test("flipping a frame-length bit in the header fails header authentication")
    func headerFrameLengthFlip() async throws {
        let message = try await signedMessage()
        var bytes = message.ciphertext
        bytes[headerLength(message) - 16 - 32 - 2] ^= 0x01  // frame length 64 becomes 320
        await expectESDKError(.headerAuthenticationFailed) { try await sdk.decrypt(bytes, keyring: keyring) }
    }

    @Test("flipping a message ID bit breaks commitment (v2) or header authentication (v1)")
    func messageIDFlip() async throws {
        let message = try await signedMessage()
        var bytes = message.ciphertext
        bytes[3 + 4] ^= 0x01
        await expectESDKError(.commitmentMismatch) { try await sdk.decrypt(bytes, keyring: keyring) }

        let legacy = try await EncryptionSDK(commitmentPolicy: .forbidEncryptAllowDecrypt)
            .encrypt([1, 2, 3], keyring: keyring, algorithmSuite: .aes256GcmIv12Tag16HkdfSha256)
        var legacyBytes = legacy.ciphertext
        legacyBytes[4 + 3] ^= 0x01
        await expectESDKError(.headerAuthenticationFailed) { try await sdk.decrypt(legacyBytes, keyring: keyring) }
    }

    @Test("flipping a bit of the stored encryption context makes the data key undecryptable")
    func contextFlip() async throws {
        let message = try await signedMessage()
        var bytes = message.ciphertext
        let needle = Array("purpose".utf8)
        let index = try #require((0..<(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle })
        bytes[index + 2] ^= 0x01
        await expectESDKError(.unableToDecryptDataKey) { try await sdk.decrypt(bytes, keyring: keyring) }
    }

    @Test("flipping body bits fails frame authentication", arguments: [0, 1, 2, 3])
    func bodyFlip(frame: Int) async throws {
        let message = try await signedMessage()
        var bytes = message.ciphertext
        bytes[headerLength(message) + frame * 96 + 4 + 12 + 3] ^= 0x10
        await expectESDKError(.bodyAuthenticationFailed) { try await sdk.decrypt(bytes, keyring: keyring) }
    }

    @Test("flipping a footer bit fails signature verification")
    func footerFlip() async throws {
        var bytes = try await signedMessage().ciphertext
        bytes[bytes.count - 10] ^= 0x01
        await expectESDKError(.signatureVerificationFailed) { try await sdk.decrypt(bytes, keyring: keyring) }
    }

    @Test("swapping two frames is an invalid frame sequence")
    func swappedFrames() async throws {
        let message = try await signedMessage()
        var bytes = message.ciphertext
        let first = headerLength(message)
        let frame1 = Array(bytes[first..<(first + 96)])
        let frame2 = Array(bytes[(first + 96)..<(first + 192)])
        bytes.replaceSubrange(first..<(first + 192), with: frame2 + frame1)
        await expectESDKError(.invalidFrameSequence) { try await sdk.decrypt(bytes, keyring: keyring) }
    }

    @Test("every truncation fails as truncated")
    func truncation() async throws {
        let bytes = try await signedMessage().ciphertext
        for length in stride(from: 0, to: bytes.count, by: 7) {
            await expectESDKError(.truncatedMessage) { try await sdk.decrypt(Array(bytes.prefix(length)), keyring: keyring) }
        }
        await expectESDKError(.truncatedMessage) { try await sdk.decrypt(Array(bytes.dropLast()), keyring: keyring) }
    }

    @Test("bytes after the message are refused")
    func trailingBytes() async throws {
        let bytes = try await signedMessage().ciphertext + [0]
        await expectESDKError(.trailingBytes) { try await sdk.decrypt(bytes, keyring: keyring) }
    }

    @Test("a wrong key cannot decrypt")
    func wrongKey() async throws {
        let bytes = try await signedMessage().ciphertext
        let other = Fixtures.aesKeyring(key: Array(repeating: 9, count: 32))
        await expectESDKError(.unableToDecryptDataKey) { try await sdk.decrypt(bytes, keyring: other) }
    }

    @Test("one encrypted data key beyond the limit fails on encrypt and on decrypt")
    func tooManyEncryptedDataKeys() async throws {
        let multi = try MultiKeyring(generator: Fixtures.aesKeyring("a"), children: [Fixtures.aesKeyring("b"), Fixtures.aesKeyring("c")])
        let limited = EncryptionSDK(maxEncryptedDataKeys: 2)
        await expectESDKError(.tooManyEncryptedDataKeys) { try await limited.encrypt([1], keyring: multi) }
        let three = try await EncryptionSDK(maxEncryptedDataKeys: 3).encrypt([1], keyring: multi)
        await expectESDKError(.tooManyEncryptedDataKeys) { try await limited.decrypt(three.ciphertext, keyring: multi) }
        #expect(try await EncryptionSDK(maxEncryptedDataKeys: 3).decrypt(three.ciphertext, keyring: multi).plaintext == [1])
    }

    @Test("base64-encoded input gets a clear error")
    func base64Input() async throws {
        for suite in [AlgorithmSuite.aes256GcmIv12Tag16HkdfSha256, .aes256GcmHkdfSha512CommitKey] {
            let bytes = try await Fixtures.sdk(for: suite).encrypt([1, 2], keyring: keyring, algorithmSuite: suite).ciphertext
            let encoded = Array(Data(bytes).base64EncodedString().utf8)
            await expectESDKError(.base64EncodedMessage) { try await sdk.decrypt(encoded, keyring: keyring) }
        }
    }

    @Test("random corruption never crashes and always throws")
    func randomCorruption() async throws {
        let original = try await signedMessage().ciphertext
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            }
            do {
                _ = try await sdk.decrypt(bytes, keyring: keyring)
                Issue.record("corrupted message decrypted")
            } catch is ESDKError {
            } catch {
                Issue.record("unexpected error type \(error)")
            }
        }
    }

    @Test("header length fields that point past the end are truncation, not crashes")
    func hostileLengths() async throws {
        var bytes: [UInt8] = [0x02, 0x04, 0x78] + [UInt8](repeating: 0, count: 32) + [0xFF, 0xFF]
        await expectESDKError(.truncatedMessage) { try await sdk.decrypt(bytes, keyring: keyring) }
        bytes = [0x02, 0x04, 0x78] + [UInt8](repeating: 0, count: 32) + [0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF]
        await expectESDKError(.truncatedMessage) { try await sdk.decrypt(bytes, keyring: keyring) }
        bytes = [0x02, 0x12, 0x34]
        await expectESDKError(.unsupportedAlgorithmSuite) { try await sdk.decrypt(bytes, keyring: keyring) }
        bytes = [0x07]
        await expectESDKError(.unsupportedMessageVersion) { try await sdk.decrypt(bytes, keyring: keyring) }
        bytes = [0x01, 0x80, 0x04, 0x78]
        await expectESDKError(.unsupportedAlgorithmSuite) { try await sdk.decrypt(bytes, keyring: keyring) }
    }
}

extension TamperTests {
    @Test("a corrupted public key in the context is a malformed message")
    func publicKeyFlip() async throws {
        var bytes = try await signedMessage().ciphertext
        let needle = Array("aws-crypto-public-key".utf8)
        let index = try #require((0..<(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle })
        bytes[index + needle.count + 2 + 1] ^= 0x01
        do {
            _ = try await sdk.decrypt(bytes, keyring: keyring)
            Issue.record("decrypted")
        } catch let error as ESDKError {
            #expect([.malformedMessage, .unableToDecryptDataKey].contains(error.code))
        }
    }
}
