import Foundation
import Testing
@testable import CofferEncryptionSDK
#if canImport(Glibc)
import Glibc
#endif

@Suite("BackgroundFileWriter")
struct BackgroundFileWriterTests {
    /// Reads a descriptor to its end on a thread of its own.
    final class Drain: Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let received = LockedBytes()

        init(descriptor: Int32) {
            let thread = Thread { [received, done] in
                var buffer = [UInt8](repeating: 0, count: 7_000)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count <= 0 { break }
                    received.append(buffer[0..<count])
                }
                done.signal()
            }
            thread.start()
        }

        func wait() -> [UInt8] {
            done.wait()
            return received.bytes
        }
    }

    final class LockedBytes: @unchecked Sendable {
        private let lock = NSLock()
        private var storage: [UInt8] = []
        func append(_ bytes: ArraySlice<UInt8>) { lock.withLock { storage.append(contentsOf: bytes) } }
        var bytes: [UInt8] { lock.withLock { storage } }
    }

    @Test("chunks reach the descriptor whole and in order, through a pipe slower than the producer")
    func order() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let drain = Drain(descriptor: fds[0])
        let writer = BackgroundFileWriter(descriptor: fds[1], depth: 2, capacity: 1_000)
        var expected: [UInt8] = []
        for index in 0..<200 {
            var chunk = try await writer.buffer()
            #expect(chunk.isEmpty)
            let bytes = (0..<(index * 37 % 90_000)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            chunk.append(contentsOf: bytes)
            expected.append(contentsOf: bytes)
            writer.submit(chunk)
        }
        try await writer.finish()
        close(fds[1])
        let received = drain.wait()
        close(fds[0])
        #expect(received.count == expected.count)
        #expect(received == expected)
    }

    @Test("a failed write is reported by the next buffer() or by finish(), and nothing is written after it")
    func failure() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bfw-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let readOnly = open(path, O_RDONLY)
        #expect(readOnly >= 0)
        defer { close(readOnly) }
        let writer = BackgroundFileWriter(descriptor: readOnly, depth: 2, capacity: 16)
        var thrown: ESDKError?
        do {
            for _ in 0..<10 {
                var chunk = try await writer.buffer()
                chunk.append(contentsOf: [1, 2, 3])
                writer.submit(chunk)
            }
            try await writer.finish()
        } catch let error as ESDKError {
            thrown = error
            await writer.abandon()
        }
        #expect(thrown?.message.contains("writing the output failed") == true)
    }

    @Test("finish and abandon with nothing submitted return at once")
    func empty() async throws {
        try await BackgroundFileWriter(descriptor: -1).finish()
        await BackgroundFileWriter(descriptor: -1).abandon()
        let writer = BackgroundFileWriter(descriptor: -1)
        _ = try await writer.buffer()
        try await writer.finish()
    }

    @Test("SDK file encryption into a descriptor that refuses writes fails with an error")
    func encryptionWriteFailure() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bfw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plainPath = directory.appendingPathComponent("plain").path
        let cipherPath = directory.appendingPathComponent("cipher").path
        #expect(FileManager.default.createFile(atPath: plainPath, contents: Data(Fixtures.plaintext(50_000))))
        #expect(FileManager.default.createFile(atPath: cipherPath, contents: nil))
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: plainPath))
        let output = try FileHandle(forReadingFrom: URL(fileURLWithPath: cipherPath))
        defer {
            try? input.close()
            try? output.close()
        }
        let keyring = try RawAESKeyring(keyNamespace: "ns", keyName: "k", wrappingKey: Array(repeating: 1, count: 32))
        await #expect(throws: ESDKError.self) {
            _ = try await EncryptionSDK().encrypt(
                file: input, to: output, materialsManager: DefaultCryptographicMaterialsManager(keyring: keyring), chunkSize: 4_096)
        }
    }
}
