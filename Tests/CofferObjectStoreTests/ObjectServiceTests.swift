import Crypto
import Foundation
import Testing

@testable import CofferObjectStore

@Suite("Object service")
struct ObjectServiceTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-objects-\(UUID().uuidString)")
    let key = SymmetricKey(size: .bits256)

    func service() async throws -> (ObjectService, LocalBlobStore) {
        let blobs = try LocalBlobStore(directory: directory)
        let catalog = InMemoryObjectCatalog()
        try await catalog.createBucket(S3Bucket(name: "photos", account: "111122223333", region: "us-east-1", createdAt: Date()))
        return (ObjectService(catalog: catalog, blobs: blobs), blobs)
    }

    func put(_ service: ObjectService, _ name: String, _ bytes: [UInt8], piece: Int = 10_000) async throws -> StoredObject {
        let upload = try await service.upload(bucket: "photos", key: name, dataKey: key, encryption: .s3(sealedDataKey: [9]))
        var start = 0
        while start < bytes.count {
            let end = min(start + piece, bytes.count)
            try upload.write(Array(bytes[start..<end]))
            start = end
        }
        return try await upload.complete(contentType: "application/octet-stream", metadata: ["k": "v"])
    }

    func readAll(_ service: ObjectService, _ object: StoredObject, range: Range<Int>? = nil, key: SymmetricKey? = nil) throws -> [UInt8] {
        var reader = try service.reader(for: object, dataKey: key ?? self.key, range: range)
        var out: [UInt8] = []
        while let piece = try reader.next() { out += piece }
        return out
    }

    func blobFiles() -> [URL] {
        let root = directory.appendingPathComponent("blobs")
        return ((try? FileManager.default.subpathsOfDirectory(atPath: root.path)) ?? [])
            .map { root.appendingPathComponent($0) }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }

    @Test("uploads are sealed, read back whole and by range, with S3's ETag, and hold no plaintext on disk")
    func putAndGet() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, _) = try await service()
        let text = Array(String(repeating: "secret plaintext line\n", count: 10_000).utf8)  // 220,000 bytes, 4 chunks
        let object = try await put(service, "notes.txt", text)
        #expect(object.size == text.count)
        #expect(object.etag == "\"" + Insecure.MD5.hash(data: text).map { String(format: "%02x", $0) }.joined() + "\"")
        #expect(try await service.object(bucket: "photos", key: "notes.txt") == object)
        #expect(try readAll(service, object) == text)
        for range in [0..<1, 65_535..<65_537, 100_000..<200_000, 219_999..<220_000] {
            #expect(try readAll(service, object, range: range) == Array(text[range]))
        }
        #expect(throws: ObjectStoreError.invalidRange) { try readAll(service, object, range: 219_999..<220_001) }
        let files = blobFiles()
        #expect(files.count == 1)
        let stored = try Data(contentsOf: files[0])
        #expect(stored.range(of: Data("secret plaintext".utf8)) == nil)

        let empty = try await put(service, "empty", [])
        #expect(empty.etag == "\"d41d8cd98f00b204e9800998ecf8427e\"")
        #expect(try readAll(service, empty).isEmpty)
    }

    @Test("replacing and deleting remove the old blobs; missing buckets and keys are errors")
    func replaceAndDelete() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, blobs) = try await service()
        let first = try await put(service, "a", [1, 2, 3])
        let second = try await put(service, "a", [4, 5])
        #expect(try blobs.allBlobs() == [second.blob])
        #expect(first.blob != second.blob)
        #expect(try readAll(service, second) == [4, 5])
        try await service.delete(bucket: "photos", key: "a")
        try await service.delete(bucket: "photos", key: "a")
        #expect(try blobs.allBlobs().isEmpty)
        await #expect(throws: ObjectStoreError.noSuchKey) { _ = try await service.object(bucket: "photos", key: "a") }
        await #expect(throws: ObjectStoreError.noSuchBucket) { _ = try await service.object(bucket: "nope", key: "a") }
        await #expect(throws: ObjectStoreError.noSuchBucket) {
            _ = try await service.upload(bucket: "nope", key: "a", dataKey: self.key, encryption: .s3(sealedDataKey: []))
        }
    }

    @Test("an aborted upload leaves nothing; a blob without a record is swept")
    func abortAndSweep() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, blobs) = try await service()
        let upload = try await service.upload(bucket: "photos", key: "x", dataKey: key, encryption: .s3(sealedDataKey: []))
        try upload.write(Array(repeating: 7, count: 100_000))
        upload.abort()
        await #expect(throws: ObjectStoreError.uploadClosed) { _ = try await upload.complete() }
        await #expect(throws: ObjectStoreError.noSuchKey) { _ = try await service.object(bucket: "photos", key: "x") }
        #expect(try blobs.allBlobs().isEmpty)
        // A crash between a blob's commit and its record.
        let orphan = try blobs.makeWriter()
        try orphan.append([1, 2, 3])
        _ = try orphan.commit()
        let kept = try await put(service, "kept", [1])
        #expect(try await service.sweepOrphans() == 1)
        #expect(try blobs.allBlobs() == [kept.blob])
    }

    @Test("tampered bytes on disk or the wrong data key are refused, never returned")
    func tampering() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, _) = try await service()
        let bytes = Array(repeating: UInt8(ascii: "z"), count: 150_000)
        let object = try await put(service, "z", bytes)
        #expect(throws: ObjectStoreError.self) { try readAll(service, object, key: SymmetricKey(size: .bits256)) }
        let file = try #require(blobFiles().first)
        var stored = try Data(contentsOf: file)
        stored[100_000] ^= 0x01
        try stored.write(to: file)
        // The flipped byte is in chunk 1: chunk 0 still reads, chunk 1 fails.
        #expect(try readAll(service, object, range: 0..<1000) == Array(bytes[0..<1000]))
        do {
            _ = try readAll(service, object)
            Issue.record("tampered bytes were returned")
        } catch let error as ObjectStoreError {
            guard case .corrupt = error else { Issue.record("unexpected \(error)"); return }
        }
        // A truncated file is refused before any chunk is read.
        try stored.prefix(stored.count - 10).write(to: file)
        #expect(throws: ObjectStoreError.self) { try readAll(service, object, range: 0..<10) }
    }
}
