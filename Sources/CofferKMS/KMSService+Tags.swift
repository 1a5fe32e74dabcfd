import CofferCore
import Foundation

extension KMSService {
    /// Checks tags against AWS's rules before they are added to a key.
    static func checkNewTags(_ tags: [KMSTag], existing: [KMSTag]) throws {
        var seen = Set<String>()
        for tag in tags {
            guard !tag.key.lowercased().hasPrefix("aws:") else {
                throw KMSError(.tag, "Tags beginning with aws: are reserved")
            }
            guard seen.insert(tag.key).inserted else {
                throw KMSError(.tag, "Duplicate tag keys")
            }
        }
        let combined = Set(existing.map(\.key)).union(seen)
        guard combined.count <= maximumTagsPerKey else {
            throw KMSError(.tag, "Too many tags: a key can have at most \(maximumTagsPerKey) tags.")
        }
    }

    /// Adds or overwrites tags, keeping them ordered by key.
    static func merge(_ tags: [KMSTag], into existing: [KMSTag]) -> [KMSTag] {
        var byKey = Dictionary(existing.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        for tag in tags { byKey[tag.key] = tag.value }
        return byKey.map { KMSTag(key: $0.key, value: $0.value) }.sorted { $0.key < $1.key }
    }

    /// TagResource.
    public func tagResource(keyID: String, tags: [KMSTag], caller: Caller) async throws {
        var conditions: [String: [String]] = ["aws:TagKeys": tags.map(\.key)]
        for tag in tags { conditions["aws:RequestTag/\(tag.key)"] = [tag.value] }
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("TagResource", conditions: conditions))
        let arn = key.arn
        _ = try await modify(key) { key in
            try key.state.checkManageable(keyARN: arn)
            try Self.checkNewTags(tags, existing: key.tags)
            key.tags = Self.merge(tags, into: key.tags)
        }
    }

    /// UntagResource.
    public func untagResource(keyID: String, tagKeys: [String], caller: Caller) async throws {
        let access = KeyAccess("UntagResource", conditions: ["aws:TagKeys": tagKeys])
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: access)
        let arn = key.arn
        let removing = Set(tagKeys)
        _ = try await modify(key) { key in
            try key.state.checkManageable(keyARN: arn)
            key.tags.removeAll { removing.contains($0.key) }
        }
    }

    /// ListResourceTags: tags ordered by key, in pages; the marker is the last key returned.
    public func listResourceTags(keyID: String, limit: Int, marker: String?, caller: Caller) async throws -> (tags: [KMSTag], nextMarker: String?) {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("ListResourceTags"))
        let remaining = key.tags.filter { tag in marker.map { tag.key > $0 } ?? true }
        let page = Array(remaining.prefix(limit))
        return (page, remaining.count > limit ? page.last?.key : nil)
    }
}
