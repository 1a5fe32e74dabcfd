import Foundation
import Testing

@testable import CofferObjectStore

@Suite("Local blob store")
struct LocalBlobStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-blobs-\(UUID().uuidString)")

    func contents(_ sub: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(sub).path)) ?? []
    }

    @Test("a committed blob reads back by range; nothing is visible before commit")
    func commitAndRead() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LocalBlobStore(directory: directory)
        let writer = try store.makeWriter()
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
        try writer.append(Array(bytes[..<4000]))
        try writer.append(Array(bytes[4000...]))
        #expect(try store.allBlobs().isEmpty)
        #expect(contents("tmp").count == 1)
        let id = try writer.commit()
        #expect(contents("tmp").isEmpty)
        #expect(try store.allBlobs() == [id])
        #expect(try store.size(of: id) == 10_000)
        #expect(try store.read(id, range: 0..<10_000) == bytes)
        #expect(try store.read(id, range: 9_990..<10_000) == Array(bytes[9_990...]))
        #expect(throws: BlobStoreError.self) { try store.read(id, range: 9_990..<10_001) }
        #expect(throws: BlobStoreError.self) { try writer.append([1]) }
        try store.remove(id)
        try store.remove(id)
        #expect(throws: BlobStoreError(.notFound, "blob \(id) does not exist")) { try store.read(id, range: 0..<1) }
    }

    @Test("aborted and abandoned writes leave nothing behind once the store reopens")
    func abortsLeaveNothing() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LocalBlobStore(directory: directory)
        let aborted = try store.makeWriter()
        try aborted.append([1, 2, 3])
        aborted.abort()
        #expect(contents("tmp").isEmpty)
        // A crash mid-upload: the temporary file stays until the next start.
        let fd = open(directory.appendingPathComponent("tmp/0123456789abcdef0123456789abcdef").path, O_WRONLY | O_CREAT, 0o600)
        close(fd)
        #expect(contents("tmp").count == 1)
        _ = try LocalBlobStore(directory: directory)
        #expect(contents("tmp").isEmpty)
        #expect(try store.allBlobs().isEmpty)
    }

    @Test("blob ids are 32 lowercase hex characters and nothing else")
    func blobIDs() {
        #expect(BlobID("0123456789abcdef0123456789abcdef") != nil)
        #expect(BlobID("../../etc/passwd") == nil)
        #expect(BlobID("0123456789ABCDEF0123456789ABCDEF") == nil)
        #expect(BlobID("0123456789abcdef") == nil)
        let ids = Set((0..<100).map { _ in BlobID.random() })
        #expect(ids.count == 100)
        #expect(ids.allSatisfy { BlobID($0.rawValue) == $0 })
    }
}
