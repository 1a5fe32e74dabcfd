/// The members of a Query-protocol request (IAM, STS): `application/x-www-form-urlencoded` pairs
/// from the body, or the query string of a GET. Lists arrive flattened as `Name.member.N`.
public struct FormParameters: Sendable {
    private var values: [String: String] = [:]

    /// The most pairs one request may carry.
    public static let maximumPairs = 1000

    /// Parses a form body (`+` is a space there, unlike in SigV4's canonical query).
    public init(form text: String) throws {
        guard !text.isEmpty else { return }
        let pairs = text.split(separator: "&", omittingEmptySubsequences: true)
        guard pairs.count <= Self.maximumPairs else {
            throw WireError(.validation, "The request has more than \(Self.maximumPairs) parameters.")
        }
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            values[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = String(text.map { $0 == "+" ? " " : $0 })
        return String(decoding: SigV4Encoding.percentDecode(spaced[...]), as: UTF8.self)
    }

    /// Every pair (for the audit trail's `requestParameters`).
    public var pairs: [(name: String, value: String)] { values.map { (name: $0.key, value: $0.value) } }

    /// The operation name (`Action=`).
    public var action: String? { values["Action"] }

    public subscript(_ name: String) -> String? { values[name] }

    /// An integer member; a value that is not an integer is a validation error.
    public func integer(_ name: String) throws -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text) else {
            throw WireError(.validation, "1 validation error detected: Value '\(text)' at '\(MemberName.lowerCamel(name))' failed to satisfy constraint: Member must be an integer")
        }
        return value
    }

    /// A required string member.
    public func required(_ name: String) throws -> String {
        guard let value = values[name] else {
            throw WireError(.validation, "1 validation error detected: Value null at '\(MemberName.lowerCamel(name))' failed to satisfy constraint: Member must not be null")
        }
        return value
    }

    /// `Name.member.1`, `Name.member.2`, ... in order, up to the first gap.
    public func list(_ name: String) -> [String] {
        var result: [String] = []
        while let value = values["\(name).member.\(result.count + 1)"] { result.append(value) }
        return result
    }

    /// Tags as `Tags.member.N.Key` / `Tags.member.N.Value`.
    public func tags(_ name: String = "Tags") -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        while let key = values["\(name).member.\(result.count + 1).Key"] {
            result.append((key, values["\(name).member.\(result.count + 1).Value"] ?? ""))
        }
        return result
    }
}
