/// Evaluates `Condition` blocks against a request context, following AWS's rules:
///
/// - Every condition of a statement must hold; the policy values of one condition are alternatives.
/// - A negated operator (`StringNotEquals`, `NotIpAddress`, ...) is the negation of its positive form, so with
///   several policy values it holds when the request value equals none of them.
/// - Key absent (or present with no values): positive operators are false, negated operators true,
///   `...IfExists` true, `ForAllValues:` true, `ForAnyValue:` false. `Null` tests exactly this.
/// - Without a set prefix, a multivalued key satisfies a positive operator when any of its values matches.
/// - `ForAnyValue:`/`ForAllValues:` apply the (possibly negated) comparison to each request value.
/// - A policy value that names a variable with no value, or that does not parse as the operator's type
///   (number, date, IP range), makes the condition false.
enum ConditionEvaluator {
    static func isSatisfied(_ condition: PolicyCondition, context: ConditionContext, variablesEnabled: Bool) -> Bool {
        let op = condition.conditionOperator
        let requestValues = context[condition.key] ?? []
        if op.comparison == .null {
            let absent = requestValues.isEmpty
            return condition.values.contains { value in
                switch value.lowercased() {
                case "true": absent
                case "false": !absent
                default: false
                }
            }
        }
        let negated = op.comparison.negatedComparison != nil
        let positive = op.comparison.negatedComparison ?? op.comparison
        let substitute = variablesEnabled && positive.acceptsPolicyVariables
        guard let matcher = ValueMatcher(positive, condition.values, context: context, variablesEnabled: substitute) else {
            return false
        }
        switch op.qualifier {
        case .forAllValues:
            return requestValues.allSatisfy { matcher.matches($0) != negated }
        case .forAnyValue:
            return requestValues.contains { matcher.matches($0) != negated }
        case nil:
            if requestValues.isEmpty { return op.ifExists || negated }
            return requestValues.contains(where: matcher.matches) != negated
        }
    }
}

/// The policy values of one condition, parsed for their comparison; `matches` is true when a request value
/// satisfies the positive comparison against at least one of them.
private enum ValueMatcher {
    case exact(Set<String>)
    case ignoringCase(Set<String>)
    case patterns([WildcardPattern])
    case numbers(ConditionComparison, [Double])
    case dates(ConditionComparison, [Double])
    case binary([[UInt8]], Set<String>)
    case networks([IPAddressRange])
    case arns([[WildcardToken]])

    init?(_ comparison: ConditionComparison, _ values: [String], context: ConditionContext, variablesEnabled: Bool) {
        let templates = values.map { PolicyTemplate($0, variablesEnabled: variablesEnabled) }
        func strings() -> [String]? {
            var result: [String] = []
            for template in templates {
                guard let text = template.string(in: context) else { return nil }
                result.append(text)
            }
            return result
        }
        func patterns() -> [WildcardPattern]? {
            var result: [WildcardPattern] = []
            for template in templates {
                guard let pattern = template.pattern(in: context) else { return nil }
                result.append(pattern)
            }
            return result
        }
        func parsed<T>(_ parse: (String) -> T?) -> [T]? {
            var result: [T] = []
            for value in values {
                guard let item = parse(value) else { return nil }
                result.append(item)
            }
            return result
        }
        switch comparison {
        case .stringEquals:
            guard let list = strings() else { return nil }
            self = .exact(Set(list))
        case .stringEqualsIgnoreCase:
            guard let list = strings() else { return nil }
            self = .ignoringCase(Set(list.map { $0.lowercased() }))
        case .bool:
            guard let list = strings() else { return nil }
            self = .ignoringCase(Set(list.map { $0.lowercased() }))
        case .stringLike:
            guard let list = patterns() else { return nil }
            self = .patterns(list)
        case .arnEquals, .arnLike:
            guard let list = patterns() else { return nil }
            self = .arns(list.map(\.tokens))
        case .numericEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            guard let list = parsed(ConditionValueParsing.number) else { return nil }
            self = .numbers(comparison, list)
        case .dateEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let list = parsed(ConditionValueParsing.date) else { return nil }
            self = .dates(comparison, list)
        case .binaryEquals:
            self = .binary(values.compactMap(ConditionValueParsing.base64), Set(values))
        case .ipAddress:
            guard let list = parsed(IPAddressRange.init) else { return nil }
            self = .networks(list)
        case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
            .notIpAddress, .arnNotEquals, .arnNotLike, .null:
            return nil
        }
    }

    func matches(_ requestValue: String) -> Bool {
        switch self {
        case .exact(let set):
            return set.contains(requestValue)
        case .ignoringCase(let set):
            return set.contains(requestValue.lowercased())
        case .patterns(let patterns):
            return patterns.contains { $0.matches(requestValue) }
        case .arns(let patterns):
            return patterns.contains { ARNMatcher.matches($0, requestValue) }
        case .numbers(let comparison, let policyValues):
            guard let value = ConditionValueParsing.number(requestValue) else { return false }
            return policyValues.contains { Self.compare(value, $0, comparison) }
        case .dates(let comparison, let policyValues):
            guard let value = ConditionValueParsing.date(requestValue) else { return false }
            return policyValues.contains { Self.compare(value, $0, comparison) }
        case .binary(let decoded, let raw):
            if let bytes = ConditionValueParsing.base64(requestValue), decoded.contains(bytes) { return true }
            return raw.contains(requestValue)
        case .networks(let ranges):
            return ranges.contains { $0.contains(requestValue) }
        }
    }

    /// `request <op> policy`.
    private static func compare(_ request: Double, _ policy: Double, _ comparison: ConditionComparison) -> Bool {
        switch comparison {
        case .numericLessThan, .dateLessThan: request < policy
        case .numericLessThanEquals, .dateLessThanEquals: request <= policy
        case .numericGreaterThan, .dateGreaterThan: request > policy
        case .numericGreaterThanEquals, .dateGreaterThanEquals: request >= policy
        default: request == policy
        }
    }
}
