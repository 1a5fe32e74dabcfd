/// One test of a `Condition` block: an operator, a context key and the policy's values for it.
/// Conditions of a statement are all required; the values of one condition are alternatives.
public struct PolicyCondition: Sendable, Hashable {
    public var conditionOperator: ConditionOperator
    /// The context key, lowercased (key names are case-insensitive).
    public var key: String
    /// The policy's values as text (JSON numbers and booleans keep their literal spelling).
    public var values: [String]

    /// A condition; `key` is lowercased.
    public init(_ conditionOperator: ConditionOperator, key: String, values: [String]) {
        self.conditionOperator = conditionOperator
        self.key = key.lowercased()
        self.values = values
    }
}
