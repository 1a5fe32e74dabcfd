import Foundation

/// A test-vector manifest read from disk, its type and version checked.
struct ManifestFile {
    /// The whole JSON document.
    let root: JSONObject
    /// The directory relative paths in the manifest start from.
    let base: URL
    /// The `manifest.version` field.
    let version: Int
    /// The keys manifest the `keys` field names.
    let keysURL: URL

    /// Loads `url`, requiring `manifest.type == type` and a version in `versions`.
    init(_ url: URL, type: String, versions: ClosedRange<Int>) throws {
        base = url.deletingLastPathComponent()
        root = try JSONObject.load(url)
        let manifest = try root.object("manifest")
        guard try manifest.string("type") == type else { throw VectorError("not an \(type) manifest") }
        version = try manifest.int("version")
        guard versions.contains(version) else { throw VectorError("\(type) version \(version) is not supported") }
        keysURL = try resolve(try root.string("keys"), relativeTo: base)
    }
}
