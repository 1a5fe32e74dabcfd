import CofferCore
import Crypto
import Foundation
import Testing

@testable import CofferObjectStore

@Suite("Multipart uploads")
struct MultipartServiceTests {
    static let catalogs = 0..<ObjectCatalogTests.catalogs.count

    @Test("parts uploaded in any order complete into one object read across part and chunk boundaries", arguments: catalogs)
    func happyPath(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which)
        defer { fixture.cleanUp() }
        let service = fixture.service
        let upload = try await service.createMultipartUpload(
            bucket: "photos", key: "movie", encryption: .s3(sealedDataKey: [9]), contentType: "video/mp4",
            headers: ObjectHeaders(contentDisposition: "inline"), metadata: ["m": "1"], tags: [S3Tag(key: "t", value: "v")],
            checksumAlgorithm: "CRC32")
        #expect(upload.uploadID.utf8.count == 64)
        #expect(upload.uploadID.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(try await service.multipartUpload(bucket: "photos", key: "movie", uploadID: upload.uploadID) == upload)

        let contents = [ServiceFixture.bytes(100_000, seed: 1), ServiceFixture.bytes(70_000, seed: 2), ServiceFixture.bytes(30_001, seed: 3)]
        var records: [Int: PartRecord] = [:]
        for number in [3, 1, 2] { records[number] = try await fixture.part(upload.uploadID, number, contents[number - 1]) }
        for number in 1...3 {
            #expect(records[number]?.etag == "\"\(ServiceFixture.md5Hex(contents[number - 1]))\"")
            #expect(records[number]?.size == contents[number - 1].count)
        }
        let listed = try await service.listParts(bucket: "photos", key: "movie", uploadID: upload.uploadID)
        #expect(listed.parts.map(\.number) == [1, 2, 3] && !listed.isTruncated && listed.nextPartNumberMarker == 3)
        #expect(listed.parts.map(\.checksum) == ["sum1", "sum2", "sum3"])

        let checksum = ObjectChecksum(algorithm: "CRC32", value: "AAAAAA==-3", type: "COMPOSITE")
        // ETags come back as the client saw them: quoted or not.
        let object = try await service.completeMultipartUpload(
            bucket: "photos", key: "movie", uploadID: upload.uploadID,
            parts: [(1, records[1]!.etag), (2, String(records[2]!.etag.dropFirst().dropLast())), (3, records[3]!.etag)], checksum: checksum)
        let whole = contents.flatMap { $0 }
        let digests = contents.flatMap { Array(Insecure.MD5.hash(data: $0)) }
        #expect(object.etag == "\"\(ServiceFixture.md5Hex(digests))-3\"")
        #expect(object.size == whole.count && object.partsCount == 3 && object.lastModified == upload.initiated)
        #expect(object.contentType == "video/mp4" && object.metadata == ["m": "1"] && object.tags == [S3Tag(key: "t", value: "v")])
        #expect(object.headers.contentDisposition == "inline" && object.checksum == checksum)
        #expect(object.parts.map(\.checksum) == ["sum1", "sum2", "sum3"])
        #expect(object.blob == object.parts[0].blob)
        #expect(try await service.object(bucket: "photos", key: "movie") == object)
        #expect(Set(try fixture.blobs.allBlobs()) == Set(object.parts.map(\.blob)))

        #expect(try fixture.read(object) == whole)
        let boundaries = [
            0..<1, 65_530..<65_540, 99_990..<100_010, 100_000..<100_001, 165_530..<165_545, 99_999..<170_001, 169_999..<170_000,
            1_000..<200_000, 200_000..<200_001, 0..<200_001, 100_000..<100_000,
        ]
        for range in boundaries {
            #expect(try fixture.read(object, range: range) == Array(whole[range]), "range \(range)")
        }
        #expect(try service.partRange(of: object, partNumber: 1) == 0..<100_000)
        #expect(try service.partRange(of: object, partNumber: 2) == 100_000..<170_000)
        #expect(try service.partRange(of: object, partNumber: 3) == 170_000..<200_001)
        #expect(try fixture.read(object, range: try service.partRange(of: object, partNumber: 2)) == contents[1])
        #expect(throws: ObjectStoreError.invalidPartNumber) { try service.partRange(of: object, partNumber: 4) }
        #expect(throws: ObjectStoreError.invalidRange) { try fixture.read(object, range: 0..<200_002) }
        #expect(throws: ObjectStoreError.self) {
            var reader = try service.reader(for: object, dataKey: SymmetricKey(size: .bits256))
            _ = try reader.next()
        }

        let single = try await fixture.put("single", [1, 2, 3])
        #expect(single.partsCount == nil)
        #expect(try service.partRange(of: single, partNumber: 1) == 0..<3)
        #expect(throws: ObjectStoreError.invalidPartNumber) { try service.partRange(of: single, partNumber: 2) }

        // Completed is gone: a second completion, a part, a listing or an abort find no upload.
        await #expect(throws: ObjectStoreError.noSuchUpload) {
            _ = try await service.completeMultipartUpload(bucket: "photos", key: "movie", uploadID: upload.uploadID, parts: [(1, records[1]!.etag)])
        }
        await #expect(throws: ObjectStoreError.noSuchUpload) { _ = try await fixture.part(upload.uploadID, 1, [1]) }
        await #expect(throws: ObjectStoreError.noSuchUpload) { try await service.abortMultipartUpload(bucket: "photos", key: "movie", uploadID: upload.uploadID) }

        // Replacing a multipart object removes all its part blobs; so does deleting.
        let replacement = try await fixture.put("movie", [7])
        #expect(Set(try fixture.blobs.allBlobs()) == [single.blob, replacement.blob])
        try await service.delete(bucket: "photos", key: "single")
        try await service.delete(bucket: "photos", key: "movie")
        #expect(try fixture.blobs.allBlobs().isEmpty)
    }

    @Test("the multipart ETag matches a value computed outside Swift", arguments: catalogs)
    func etagVector(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which, minimumPartSize: 5)
        defer { fixture.cleanUp() }
        let id = try await fixture.service.createMultipartUpload(bucket: "photos", key: "hw", encryption: .s3(sealedDataKey: [])).uploadID
        let hello = try await fixture.part(id, 1, Array("hello".utf8), key: "hw")
        let world = try await fixture.part(id, 2, Array("world".utf8), key: "hw")
        #expect(hello.etag == "\"5d41402abc4b2a76b9719d911017c592\"" && world.etag == "\"7d793037a0760186574b0282f2f435e7\"")
        let object = try await fixture.service.completeMultipartUpload(
            bucket: "photos", key: "hw", uploadID: id, parts: [(1, hello.etag.uppercased()), (2, world.etag)])
        // python3: hashlib.md5(hashlib.md5(b"hello").digest() + hashlib.md5(b"world").digest()).hexdigest()
        #expect(object.etag == "\"065947336a2f2a95ba8899f3675c3be6-2\"")
        #expect(try fixture.read(object) == Array("helloworld".utf8))
    }

    @Test("completion is refused as S3 refuses it: order, unknown parts or ETags, small parts", arguments: catalogs)
    func validation(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which, minimumPartSize: 1_000)
        defer { fixture.cleanUp() }
        let service = fixture.service
        let id = try await service.createMultipartUpload(bucket: "photos", key: "movie", encryption: .s3(sealedDataKey: [])).uploadID
        let one = try await fixture.part(id, 1, ServiceFixture.bytes(1_000, seed: 1))
        let two = try await fixture.part(id, 2, ServiceFixture.bytes(999, seed: 2))
        let three = try await fixture.part(id, 3, ServiceFixture.bytes(10, seed: 3))
        func complete(_ parts: [(number: Int, etag: String)]) async throws -> StoredObject {
            try await service.completeMultipartUpload(bucket: "photos", key: "movie", uploadID: id, parts: parts)
        }
        await #expect(throws: ObjectStoreError.invalidPartOrder) { _ = try await complete([(2, two.etag), (1, one.etag)]) }
        await #expect(throws: ObjectStoreError.invalidPartOrder) { _ = try await complete([(1, one.etag), (1, one.etag)]) }
        await #expect(throws: ObjectStoreError.invalidPart) { _ = try await complete([(1, one.etag), (4, three.etag)]) }
        await #expect(throws: ObjectStoreError.invalidPart) { _ = try await complete([(1, two.etag)]) }
        await #expect(throws: ObjectStoreError.entityTooSmall) { _ = try await complete([(1, one.etag), (2, two.etag), (3, three.etag)]) }
        await #expect(throws: ObjectStoreError.invalidArgument("You must specify at least one part")) { _ = try await complete([]) }
        await #expect(throws: ObjectStoreError.noSuchUpload) {
            _ = try await service.completeMultipartUpload(bucket: "photos", key: "other", uploadID: id, parts: [(1, one.etag)])
        }
        await #expect(throws: ObjectStoreError.noSuchBucket) {
            _ = try await service.completeMultipartUpload(bucket: "nope", key: "movie", uploadID: id, parts: [(1, one.etag)])
        }
        for number in [0, 10_001] {
            await #expect(throws: ObjectStoreError.invalidArgument("Part number must be an integer between 1 and 10000, inclusive")) {
                _ = try await fixture.part(id, number, [1])
            }
        }
        await #expect(throws: ObjectStoreError.noSuchUpload) { _ = try await fixture.part("unknown", 1, [1]) }
        await #expect(throws: ObjectStoreError.noSuchUpload) { _ = try await fixture.part(id, 1, [1], key: "other") }

        // The last part may be small; parts left out are deleted with their blobs.
        let object = try await complete([(1, one.etag), (3, three.etag)])
        #expect(object.size == 1_010 && object.parts.map(\.number) == [1, 3])
        #expect(Set(try fixture.blobs.allBlobs()) == [one.blob, three.blob])
        #expect(try service.partRange(of: object, partNumber: 3) == 1_000..<1_010)
        #expect(throws: ObjectStoreError.invalidPartNumber) { try service.partRange(of: object, partNumber: 2) }
        #expect(try fixture.read(object) == ServiceFixture.bytes(1_000, seed: 1) + ServiceFixture.bytes(10, seed: 3))
    }

    @Test("uploading a part number again replaces it: a new stream with a new salt, the old blob removed", arguments: catalogs)
    func replacingAPart(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which)
        defer { fixture.cleanUp() }
        let service = fixture.service
        let id = try await service.createMultipartUpload(bucket: "photos", key: "movie", encryption: .s3(sealedDataKey: [])).uploadID
        let same = ServiceFixture.bytes(80_000, seed: 5)
        let first = try await fixture.part(id, 1, same)
        let firstHeader = try fixture.blobs.read(first.blob, range: 0..<SealedObjectFormat.headerSize)
        let firstBody = try fixture.blobs.read(first.blob, range: SealedObjectFormat.headerSize..<(SealedObjectFormat.headerSize + 1_000))
        // The same bytes again, then different ones.
        let second = try await fixture.part(id, 1, same)
        let secondHeader = try fixture.blobs.read(second.blob, range: 0..<SealedObjectFormat.headerSize)
        let secondBody = try fixture.blobs.read(second.blob, range: SealedObjectFormat.headerSize..<(SealedObjectFormat.headerSize + 1_000))
        #expect(first.etag == second.etag)
        #expect(firstHeader[10..<42] != secondHeader[10..<42], "each stream draws its own salt")
        #expect(firstBody != secondBody)
        #expect(try !fixture.blobs.allBlobs().contains(first.blob))
        let newer = ServiceFixture.bytes(60_000, seed: 6)
        let third = try await fixture.part(id, 1, newer)
        #expect(try fixture.blobs.allBlobs() == [third.blob])
        await #expect(throws: ObjectStoreError.invalidPart) {
            _ = try await service.completeMultipartUpload(bucket: "photos", key: "movie", uploadID: id, parts: [(1, first.etag)])
        }
        let object = try await service.completeMultipartUpload(bucket: "photos", key: "movie", uploadID: id, parts: [(1, third.etag)])
        #expect(try fixture.read(object) == newer)
    }

    @Test("aborting removes the upload and its blobs; a part finished after an abort is discarded", arguments: catalogs)
    func abort(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which)
        defer { fixture.cleanUp() }
        let service = fixture.service
        let id = try await service.createMultipartUpload(bucket: "photos", key: "movie", encryption: .s3(sealedDataKey: [])).uploadID
        _ = try await fixture.part(id, 1, ServiceFixture.bytes(70_000, seed: 1))
        _ = try await fixture.part(id, 2, ServiceFixture.bytes(10, seed: 2))
        let late = try await service.uploadPart(bucket: "photos", key: "movie", uploadID: id, partNumber: 3, dataKey: fixture.key)
        try late.write([1, 2, 3])
        #expect(try fixture.blobs.allBlobs().count == 2)
        await #expect(throws: ObjectStoreError.noSuchUpload) { try await service.abortMultipartUpload(bucket: "photos", key: "other", uploadID: id) }
        try await service.abortMultipartUpload(bucket: "photos", key: "movie", uploadID: id)
        #expect(try fixture.blobs.allBlobs().isEmpty)
        await #expect(throws: ObjectStoreError.noSuchUpload) { _ = try await late.complete() }
        #expect(try fixture.blobs.allBlobs().isEmpty)
        await #expect(throws: ObjectStoreError.noSuchUpload) { try await service.abortMultipartUpload(bucket: "photos", key: "movie", uploadID: id) }
        await #expect(throws: ObjectStoreError.noSuchUpload) { _ = try await service.listParts(bucket: "photos", key: "movie", uploadID: id) }
        await #expect(throws: ObjectStoreError.noSuchKey) { _ = try await service.object(bucket: "photos", key: "movie") }
    }

    @Test("parts and uploads list in pages", arguments: catalogs)
    func listings(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which)
        defer { fixture.cleanUp() }
        let service = fixture.service
        let id = try await service.createMultipartUpload(bucket: "photos", key: "movie", encryption: .s3(sealedDataKey: [])).uploadID
        for number in [5, 1, 4, 2, 3] { _ = try await fixture.part(id, number, [UInt8(number)]) }
        var page = try await service.listParts(bucket: "photos", key: "movie", uploadID: id, maxParts: 2)
        #expect(page.parts.map(\.number) == [1, 2] && page.isTruncated && page.nextPartNumberMarker == 2)
        page = try await service.listParts(bucket: "photos", key: "movie", uploadID: id, partNumberMarker: 2, maxParts: 2)
        #expect(page.parts.map(\.number) == [3, 4] && page.isTruncated && page.nextPartNumberMarker == 4)
        page = try await service.listParts(bucket: "photos", key: "movie", uploadID: id, partNumberMarker: 4, maxParts: 2)
        #expect(page.parts.map(\.number) == [5] && !page.isTruncated && page.nextPartNumberMarker == 5)
        page = try await service.listParts(bucket: "photos", key: "movie", uploadID: id, partNumberMarker: 5)
        #expect(page.parts.isEmpty && !page.isTruncated && page.nextPartNumberMarker == nil)

        var ids = [id]
        for key in ["b", "a", "movie", "日本", "a"] {
            ids.append(try await service.createMultipartUpload(bucket: "photos", key: key, encryption: .s3(sealedDataKey: [])).uploadID)
        }
        // By key bytes, then initiation: a (ids[2]), a (ids[5]), b, movie (ids[0]), movie (ids[3]), 日本.
        let order = [ids[2], ids[5], ids[1], ids[0], ids[3], ids[4]]
        var seen: [String] = []
        var keyMarker: String?, uploadMarker: String?
        while true {
            let page = try await service.listMultipartUploads(bucket: "photos", keyMarker: keyMarker, uploadIDMarker: uploadMarker, maxUploads: 4)
            seen += page.uploads.map(\.uploadID)
            guard page.isTruncated else { break }
            keyMarker = page.nextKeyMarker
            uploadMarker = page.nextUploadIDMarker
        }
        #expect(seen == order)
        let all = try await service.listMultipartUploads(bucket: "photos")
        #expect(all.uploads.map(\.uploadID) == order && !all.isTruncated && all.nextUploadIDMarker == ids[4])
        #expect(try await service.listMultipartUploads(bucket: "photos", prefix: "mo").uploads.map(\.uploadID) == [ids[0], ids[3]])
        #expect(try await service.listMultipartUploads(bucket: "photos", uploadIDMarker: ids[0]).uploads.count == 6, "ignored without a key marker")
        let none = try await service.listMultipartUploads(bucket: "photos", maxUploads: 0)
        #expect(none.uploads.isEmpty && !none.isTruncated)

        // A delimiter rolls keys into common prefixes, which count toward the page size and are not repeated.
        for key in ["dir/x", "dir/y", "dir/sub/z", "dis"] {
            _ = try await service.createMultipartUpload(bucket: "photos", key: key, encryption: .s3(sealedDataKey: []))
        }
        let grouped = try await service.listMultipartUploads(bucket: "photos", prefix: "di", delimiter: "/")
        #expect(grouped.commonPrefixes == ["dir/"] && grouped.uploads.map(\.key) == ["dis"] && !grouped.isTruncated)
        let nested = try await service.listMultipartUploads(bucket: "photos", prefix: "dir/", delimiter: "/")
        #expect(nested.commonPrefixes == ["dir/sub/"] && nested.uploads.map(\.key) == ["dir/x", "dir/y"])
        var entries: [String] = []
        var marker: (key: String?, uploadID: String?) = (nil, nil)
        while true {
            let page = try await service.listMultipartUploads(
                bucket: "photos", delimiter: "/", keyMarker: marker.key, uploadIDMarker: marker.uploadID, maxUploads: 1)
            #expect(page.uploads.count + page.commonPrefixes.count <= 1)
            entries += page.commonPrefixes + page.uploads.map(\.key)
            guard page.isTruncated else { break }
            marker = (page.nextKeyMarker, page.nextUploadIDMarker)
        }
        #expect(entries == ["a", "a", "b", "dir/", "dis", "movie", "movie", "日本"])
        await #expect(throws: ObjectStoreError.noSuchBucket) { _ = try await service.listMultipartUploads(bucket: "nope") }
    }

    @Test("the orphan sweep keeps parts of uploads in progress; deleting the bucket discards them", arguments: catalogs)
    func sweepAndBucketDeletion(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which)
        defer { fixture.cleanUp() }
        let service = fixture.service
        let id = try await service.createMultipartUpload(bucket: "photos", key: "movie", encryption: .s3(sealedDataKey: [])).uploadID
        let part = try await fixture.part(id, 1, ServiceFixture.bytes(1_000, seed: 1))
        let orphan = try fixture.blobs.makeWriter()
        try orphan.append([1, 2, 3])
        _ = try orphan.commit()
        #expect(try await service.sweepOrphans() == 1)
        #expect(try fixture.blobs.allBlobs() == [part.blob])
        let object = try await service.completeMultipartUpload(bucket: "photos", key: "movie", uploadID: id, parts: [(1, part.etag)])
        #expect(try await service.sweepOrphans() == 0)
        #expect(try fixture.read(object) == ServiceFixture.bytes(1_000, seed: 1))

        await #expect(throws: ObjectStoreError.bucketNotEmpty) { try await service.deleteBucket(named: "photos") }
        try await service.delete(bucket: "photos", key: "movie")
        let pending = try await service.createMultipartUpload(bucket: "photos", key: "x", encryption: .s3(sealedDataKey: [])).uploadID
        _ = try await fixture.part(pending, 1, [1], key: "x")
        _ = try await fixture.part(pending, 2, [2], key: "x")
        #expect(try fixture.blobs.allBlobs().count == 2)
        try await service.deleteBucket(named: "photos")
        #expect(try fixture.blobs.allBlobs().isEmpty)
        await #expect(throws: ObjectStoreError.noSuchBucket) { _ = try await service.multipartUpload(bucket: "photos", key: "x", uploadID: pending) }
        await #expect(throws: ObjectStoreError.noSuchBucket) { try await service.deleteBucket(named: "photos") }
    }

    @Test("a tampered part fails its reads; the other parts still read", arguments: catalogs)
    func tampering(_ which: Int) async throws {
        let fixture = try await ServiceFixture(catalog: which)
        defer { fixture.cleanUp() }
        let service = fixture.service
        let id = try await service.createMultipartUpload(bucket: "photos", key: "movie", encryption: .s3(sealedDataKey: [])).uploadID
        let contents = [ServiceFixture.bytes(60_000, seed: 1), ServiceFixture.bytes(60_000, seed: 2)]
        let one = try await fixture.part(id, 1, contents[0])
        let two = try await fixture.part(id, 2, contents[1])
        let object = try await service.completeMultipartUpload(bucket: "photos", key: "movie", uploadID: id, parts: [(1, one.etag), (2, two.etag)])
        let file = fixture.path(of: two.blob)
        let original = try Data(contentsOf: file)
        var stored = original
        stored[30_000] ^= 0x01
        try stored.write(to: file)
        #expect(try fixture.read(object, range: 0..<60_000) == contents[0])
        for range in [59_000..<61_000, 60_000..<120_000, 0..<120_000] {
            do {
                _ = try fixture.read(object, range: range)
                Issue.record("tampered bytes were returned for \(range)")
            } catch let error as ObjectStoreError {
                guard case .corrupt = error else { Issue.record("unexpected \(error)"); continue }
            }
        }
        // Part 1's stream in part 2's place (same size) does not open there: streams are bound to their part number.
        try Data(contentsOf: fixture.path(of: one.blob)).write(to: file)
        #expect(throws: ObjectStoreError.self) { try fixture.read(object, range: 60_000..<60_001) }
        try original.write(to: file)
        #expect(try fixture.read(object) == contents[0] + contents[1])
    }
}
