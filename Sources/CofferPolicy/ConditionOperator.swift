/// The comparison a condition operator performs, without a set prefix or `IfExists` suffix.
public enum ConditionComparison: String, Sendable, Hashable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringNotEquals = "StringNotEquals"
    case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
    case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
    case stringLike = "StringLike"
    case stringNotLike = "StringNotLike"
    case numericEquals = "NumericEquals"
    case numericNotEquals = "NumericNotEquals"
    case numericLessThan = "NumericLessThan"
    case numericLessThanEquals = "NumericLessThanEquals"
    case numericGreaterThan = "NumericGreaterThan"
    case numericGreaterThanEquals = "NumericGreaterThanEquals"
    case dateEquals = "DateEquals"
    case dateNotEquals = "DateNotEquals"
    case dateLessThan = "DateLessThan"
    case dateLessThanEquals = "DateLessThanEquals"
    case dateGreaterThan = "DateGreaterThan"
    case dateGreaterThanEquals = "DateGreaterThanEquals"
    case bool = "Bool"
    case binaryEquals = "BinaryEquals"
    case ipAddress = "IpAddress"
    case notIpAddress = "NotIpAddress"
    case arnEquals = "ArnEquals"
    case arnNotEquals = "ArnNotEquals"
    case arnLike = "ArnLike"
    case arnNotLike = "ArnNotLike"
    case null = "Null"

    /// The positive comparison this one negates, or nil for a positive comparison.
    public var negatedComparison: ConditionComparison? {
        switch self {
        case .stringNotEquals: .stringEquals
        case .stringNotEqualsIgnoreCase: .stringEqualsIgnoreCase
        case .stringNotLike: .stringLike
        case .numericNotEquals: .numericEquals
        case .dateNotEquals: .dateEquals
        case .notIpAddress: .ipAddress
        case .arnNotEquals: .arnEquals
        case .arnNotLike: .arnLike
        default: nil
        }
    }

    /// Whether policy variables are substituted in this comparison's values (string, ARN and Bool operators).
    var acceptsPolicyVariables: Bool {
        switch negatedComparison ?? self {
        case .stringEquals, .stringEqualsIgnoreCase, .stringLike, .arnEquals, .arnLike, .bool: true
        default: false
        }
    }
}

/// The set operator prefixed to a condition operator for multivalued keys.
public enum ConditionSetQualifier: String, Sendable, Hashable {
    /// At least one request value must satisfy the comparison; false when the key is absent.
    case forAnyValue = "ForAnyValue"
    /// Every request value must satisfy the comparison; true when the key is absent or empty.
    case forAllValues = "ForAllValues"
}

/// A condition operator such as `StringLike`, `NumericLessThanIfExists` or `ForAllValues:StringEquals`.
public struct ConditionOperator: Sendable, Hashable, CustomStringConvertible {
    public var comparison: ConditionComparison
    public var qualifier: ConditionSetQualifier?
    /// `...IfExists`: the condition is true when the key is absent.
    public var ifExists: Bool

    /// An operator from its parts.
    public init(_ comparison: ConditionComparison, qualifier: ConditionSetQualifier? = nil, ifExists: Bool = false) {
        self.comparison = comparison
        self.qualifier = qualifier
        self.ifExists = ifExists
    }

    /// Parses an operator name, ignoring case. Nil for unknown names and for `Null` with a prefix or suffix.
    public init?(name: String) {
        var rest = Substring(name)
        var qualifier: ConditionSetQualifier?
        if let colon = rest.firstIndex(of: ":") {
            let prefix = rest[..<colon].lowercased()
            guard let found = [ConditionSetQualifier.forAnyValue, .forAllValues].first(where: { $0.rawValue.lowercased() == prefix }) else {
                return nil
            }
            qualifier = found
            rest = rest[rest.index(after: colon)...]
        }
        var ifExists = false
        if rest.lowercased().hasSuffix("ifexists") {
            ifExists = true
            rest = rest.dropLast("IfExists".count)
        }
        let lowered = rest.lowercased()
        guard let comparison = ConditionComparison.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else {
            return nil
        }
        if comparison == .null, qualifier != nil || ifExists { return nil }
        self.init(comparison, qualifier: qualifier, ifExists: ifExists)
    }

    /// The canonical operator name, e.g. `ForAnyValue:StringLikeIfExists`.
    public var description: String {
        (qualifier.map { $0.rawValue + ":" } ?? "") + comparison.rawValue + (ifExists ? "IfExists" : "")
    }
}
