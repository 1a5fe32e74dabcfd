/// The condition keys of a request and their values.
///
/// Key names are case-insensitive (stored lowercased). Every value is a list of strings: single-valued keys
/// hold one element, multivalued keys (`aws:TagKeys`, `kms:EncryptionContextKeys`) any number. Typed values
/// are written as AWS writes them: numbers as decimal text, dates as ISO 8601 or epoch seconds,
/// booleans as `true`/`false`, binary as base64. A key that is absent, or present with no values, does not exist.
public struct ConditionContext: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    private var storage: [String: [String]]

    /// A context from key names (any case) and their values; keys differing only in case are merged.
    public init(_ values: [String: [String]] = [:]) {
        storage = [:]
        for (key, list) in values {
            storage[key.lowercased(), default: []] += list
        }
    }

    /// A context from a literal such as `["aws:SourceIp": ["192.0.2.1"]]`.
    public init(dictionaryLiteral elements: (String, [String])...) {
        self.init(Dictionary(elements, uniquingKeysWith: +))
    }

    /// The values of `key` (any case), or nil when the request does not carry it.
    public subscript(key: String) -> [String]? {
        get { storage[key.lowercased()] }
        set { storage[key.lowercased()] = newValue }
    }

    /// All keys (lowercased) and their values.
    public var values: [String: [String]] { storage }
}
