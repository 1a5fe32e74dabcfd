import Foundation

/// Minimal typed access to manifest JSON.
struct JSONObject {
    let raw: [String: Any]
    let path: String

    init(_ value: Any?, path: String) throws {
        guard let raw = value as? [String: Any] else { throw VectorError("\(path) is not a JSON object") }
        self.raw = raw
        self.path = path
    }

    func string(_ key: String) throws -> String {
        guard let value = raw[key] as? String else { throw VectorError("\(path).\(key) is missing or not a string") }
        return value
    }

    func optionalString(_ key: String) -> String? { raw[key] as? String }

    func int(_ key: String) throws -> Int {
        guard let value = raw[key] as? NSNumber else { throw VectorError("\(path).\(key) is missing or not a number") }
        return value.intValue
    }

    func optionalInt(_ key: String) -> Int? { (raw[key] as? NSNumber)?.intValue }

    func object(_ key: String) throws -> JSONObject { try JSONObject(raw[key], path: "\(path).\(key)") }

    func optionalObject(_ key: String) -> JSONObject? { try? JSONObject(raw[key], path: "\(path).\(key)") }

    func array(_ key: String) throws -> [Any] {
        guard let value = raw[key] as? [Any] else { throw VectorError("\(path).\(key) is missing or not an array") }
        return value
    }

    func stringMap(_ key: String) throws -> [String: String] {
        guard let value = raw[key] else { return [:] }
        guard let map = value as? [String: String] else { throw VectorError("\(path).\(key) is not a string map") }
        return map
    }

    static func load(_ url: URL) throws -> JSONObject {
        let data = try Data(contentsOf: url)
        return try JSONObject(try JSONSerialization.jsonObject(with: data), path: url.lastPathComponent)
    }
}

/// A failure of the runner itself (bad manifest, missing file).
public struct VectorError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Resolves `file://relative` URIs against the manifest's directory.
func resolve(_ uri: String, relativeTo base: URL) throws -> URL {
    guard uri.hasPrefix("file://") else { throw VectorError("unsupported URI \(uri)") }
    return base.appendingPathComponent(String(uri.dropFirst("file://".count)))
}
