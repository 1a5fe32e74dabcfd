import CofferEncryptionSDK
import Foundation
import Testing

/// An async sequence over fixed chunks, for feeding the streaming API.
struct Chunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: [[UInt8]]
        mutating func next() async -> [UInt8]? { remaining.isEmpty ? nil : remaining.removeFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks) }

    static func split(_ bytes: [UInt8], by size: Int) -> Chunks {
        Chunks(chunks: stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<Swift.min($0 + size, bytes.count)]) })
    }
}

/// Collects sink output across async calls.
actor Collector {
    var bytes: [UInt8] = []
    var calls = 0
    func add(_ chunk: [UInt8]) {
        bytes += chunk
        calls += 1
    }
}

@Suite("Streaming")
struct StreamingTests {
    let keyring = Fixtures.aesKeyring()
    let sdk = EncryptionSDK()

    @Test("streamed encryption decrypts one-shot, and the reverse, for many chunk sizes", arguments: [1, 7, 100, 4096, 10_000])
    func chunkSizes(_ chunkSize: Int) async throws {
        let plaintext = Fixtures.plaintext(9_000)
        let cmm = DefaultCryptographicMaterialsManager(keyring: keyring)
        let encrypted = Collector()
        _ = try await sdk.encrypt(from: Chunks.split(plaintext, by: chunkSize), to: { await encrypted.add($0) },
                                  materialsManager: cmm, encryptionContext: ["k": "v"], frameLength: 512)
        let ciphertext = await encrypted.bytes
        #expect(try await sdk.decrypt(ciphertext, keyring: keyring).plaintext == plaintext)

        let decrypted = Collector()
        let result = try await sdk.decrypt(from: Chunks.split(ciphertext, by: chunkSize), to: { await decrypted.add($0) }, materialsManager: cmm)
        #expect(await decrypted.bytes == plaintext)
        #expect(result.encryptionContext["k"] == "v")
    }

    @Test("with a signing suite, the final frame is released only after the signature verifies")
    func finalFrameHeldBack() async throws {
        let plaintext = Fixtures.plaintext(1_000)
        var ciphertext = try await sdk.encrypt(plaintext, keyring: keyring, algorithmSuite: .aes256GcmHkdfSha512CommitKeyEcdsaP384, frameLength: 256).ciphertext
        ciphertext[ciphertext.count - 5] ^= 0x01
        let released = Collector()
        let cmm = DefaultCryptographicMaterialsManager(keyring: keyring)
        await expectESDKError(.signatureVerificationFailed) {
            try await sdk.decrypt(from: Chunks.split(ciphertext, by: 300), to: { await released.add($0) }, materialsManager: cmm)
        }
        // Three regular frames were released; the final 232 bytes were not.
        #expect(await released.bytes == Array(plaintext.prefix(768)))
    }

    @Test("file to file, in constant-size chunks")
    func files() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("esdk-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plaintext = Fixtures.plaintext(300_000)
        let paths = ["plain", "cipher", "out"].map { directory.appendingPathComponent($0).path }
        _ = FileManager.default.createFile(atPath: paths[0], contents: Data(plaintext))
        _ = FileManager.default.createFile(atPath: paths[1], contents: nil)
        _ = FileManager.default.createFile(atPath: paths[2], contents: nil)
        let cmm = DefaultCryptographicMaterialsManager(keyring: keyring)
        do {
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: paths[0]))
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: paths[1]))
            _ = try await sdk.encrypt(file: input, to: output, materialsManager: cmm, frameLength: 4096, chunkSize: 10_000)
            try input.close()
            try output.close()
        }
        do {
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: paths[1]))
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: paths[2]))
            _ = try await sdk.decrypt(file: input, to: output, materialsManager: cmm, chunkSize: 10_000)
            try input.close()
            try output.close()
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: paths[2])) == Data(plaintext))
    }

    @Test("a stream that ends early is truncated")
    func truncatedStream() async throws {
        let ciphertext = try await sdk.encrypt(Fixtures.plaintext(2_000), keyring: keyring, frameLength: 256).ciphertext
        let cmm = DefaultCryptographicMaterialsManager(keyring: keyring)
        await expectESDKError(.truncatedMessage) {
            try await sdk.decrypt(from: Chunks.split(Array(ciphertext.dropLast(200)), by: 64), to: { _ in }, materialsManager: cmm)
        }
    }
}
