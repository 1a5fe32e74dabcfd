/// ListObjects: keys in UTF-8 byte order, with common prefixes when a delimiter is given.
extension ObjectService {
    /// The most entries (keys and common prefixes) one listing returns, as S3.
    public static let maxListEntries = 1000
    /// Rows fetched per catalog query when a delimiter may end a page early.
    static let delimitedBatch = 100

    /// Up to `maxKeys` (at most 1,000) keys starting with `prefix`, strictly after `after`. With a non-empty
    /// `delimiter`, keys that contain it after the prefix are rolled into one common prefix (up to and
    /// including the delimiter), which counts toward `maxKeys` like a key; a common prefix that sorts at or
    /// before `after` is not returned again. The keys under a common prefix are skipped in the catalog, not
    /// fetched. `maxKeys` 0 returns nothing and is not truncated. `.noSuchBucket` when the bucket is missing.
    public func list(
        bucket: String, prefix: String = "", delimiter: String? = nil, after marker: String? = nil, maxKeys: Int = ObjectService.maxListEntries
    ) async throws(ObjectStoreError) -> ObjectListing {
        let limit = min(max(0, maxKeys), Self.maxListEntries)
        let delimiter = delimiter.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        var listing = ObjectListing()
        var position = marker.map { ListPosition.afterKey($0) }
        var entries = 0
        guard limit > 0 else {
            // Still tells a missing bucket apart.
            _ = try await catalogCall { () async throws(CatalogError) in try await catalog.listObjects(bucket: bucket, prefix: prefix, from: nil, limit: 0) }
            return listing
        }
        fetching: while true {
            let batch = delimiter == nil ? limit - entries + 1 : min(limit - entries + 1, Self.delimitedBatch)
            let from = position
            let page = try await catalogCall { () async throws(CatalogError) in
                try await catalog.listObjects(bucket: bucket, prefix: prefix, from: from, limit: batch)
            }
            for object in page {
                if entries == limit {
                    listing.isTruncated = true
                    break fetching
                }
                if let delimiter, let common = Self.commonPrefix(of: object.key, prefix: prefix, delimiter: delimiter) {
                    if marker.map({ $0.utf8.lexicographicallyPrecedes(common.utf8) }) ?? true {
                        listing.commonPrefixes.append(common)
                        listing.nextMarker = common
                        entries += 1
                    }
                    // The rest of this page may lie under the same prefix: resume after all of it.
                    position = .afterPrefix(common)
                    continue fetching
                }
                listing.objects.append(object)
                listing.nextMarker = object.key
                entries += 1
                position = .afterKey(object.key)
            }
            if page.count < batch { break }
        }
        return listing
    }

    /// The prefix of `key` up to and including the first `delimiter` after `prefix`, or nil if there is none.
    /// Byte-wise: a match of one valid UTF-8 string inside another always falls on character boundaries.
    static func commonPrefix(of key: String, prefix: String, delimiter: [UInt8]) -> String? {
        let bytes = Array(key.utf8)
        let start = prefix.utf8.count
        guard bytes.count >= start + delimiter.count else { return nil }
        var index = start
        while index + delimiter.count <= bytes.count {
            if bytes[index..<(index + delimiter.count)].elementsEqual(delimiter) {
                return String(decoding: bytes[..<(index + delimiter.count)], as: UTF8.self)
            }
            index += 1
        }
        return nil
    }
}
