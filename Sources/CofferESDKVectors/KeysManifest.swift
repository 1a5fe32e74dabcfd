import Foundation

/// A keys manifest (versions 1 and 3): named AES keys, RSA PEM keys and KMS key IDs.
struct KeysManifest {
    struct Key {
        var type: String
        var keyID: String
        var algorithm: String?
        var encrypt: Bool
        var decrypt: Bool
        var material: String?
        var encoding: String?
    }

    var keys: [String: Key]

    init(url: URL) throws {
        let root = try JSONObject.load(url)
        let manifest = try root.object("manifest")
        guard try manifest.string("type") == "keys" else { throw VectorError("\(url.lastPathComponent) is not a keys manifest") }
        let version = try manifest.int("version")
        guard [1, 2, 3].contains(version) else { throw VectorError("keys manifest version \(version) is not supported") }
        var keys: [String: Key] = [:]
        let entries = try root.object("keys")
        for name in entries.raw.keys {
            let entry = try entries.object(name)
            var material: String?
            if let single = entry.optionalString("material") {
                material = single
            } else if let lines = entry.raw["material"] as? [String] {
                material = lines.joined(separator: entry.optionalString("line-separator") ?? "")
            }
            keys[name] = Key(
                type: try entry.string("type"), keyID: entry.optionalString("key-id") ?? name,
                algorithm: entry.optionalString("algorithm"), encrypt: entry.raw["encrypt"] as? Bool ?? false,
                decrypt: entry.raw["decrypt"] as? Bool ?? false, material: material, encoding: entry.optionalString("encoding"))
        }
        self.keys = keys
    }
}
