import CofferCore
import Crypto
import Foundation
import Synchronization

@testable import CofferObjectStore

/// An `ObjectService` over a fresh blob directory and one of the catalogs under test, with a clock that ticks
/// one second per call and a bucket "photos".
struct ServiceFixture {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-service-\(UUID().uuidString)")
    let key = SymmetricKey(size: .bits256)
    let blobs: LocalBlobStore
    let service: ObjectService

    init(catalog which: Int, minimumPartSize: Int = 50_000) async throws {
        blobs = try LocalBlobStore(directory: directory)
        let catalog = ObjectCatalogTests.catalogs[which]()
        let clock = Mutex(1_700_000_000)
        service = ObjectService(
            catalog: catalog, blobs: blobs, minimumPartSize: minimumPartSize,
            now: { Date(timeIntervalSince1970: Double(clock.withLock { now in now += 1; return now })) })
        try await service.createBucket(S3Bucket(name: "photos", account: "111122223333", region: "us-east-1", createdAt: Date(timeIntervalSince1970: 1)))
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    func put(_ name: String, _ bytes: [UInt8] = [1], tags: [S3Tag] = []) async throws -> StoredObject {
        let upload = try await service.upload(bucket: "photos", key: name, dataKey: key, encryption: .s3(sealedDataKey: [9]))
        try upload.write(bytes)
        return try await upload.complete(tags: tags)
    }

    /// Uploads one part in pieces of 10,000 bytes.
    func part(_ uploadID: String, _ number: Int, _ bytes: [UInt8], key name: String = "movie") async throws -> PartRecord {
        let upload = try await service.uploadPart(bucket: "photos", key: name, uploadID: uploadID, partNumber: number, dataKey: key)
        var start = 0
        repeat {
            let end = min(start + 10_000, bytes.count)
            try upload.write(Array(bytes[start..<end]))
            start = end
        } while start < bytes.count
        return try await upload.complete(checksum: "sum\(number)")
    }

    func read(_ object: StoredObject, range: Range<Int>? = nil) throws -> [UInt8] {
        var reader = try service.reader(for: object, dataKey: key, range: range)
        var out: [UInt8] = []
        while let piece = try reader.next() { out += piece }
        return out
    }

    func path(of blob: BlobID) -> URL {
        directory.appendingPathComponent("blobs").appendingPathComponent(String(blob.rawValue.prefix(2))).appendingPathComponent(blob.rawValue)
    }

    static func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ $0 >> 8) }
    }

    static func md5Hex(_ bytes: some Sequence<UInt8>) -> String {
        Insecure.MD5.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined()
    }
}
