/// `Allow` or `Deny`.
public enum PolicyEffect: String, Sendable, Hashable {
    case allow = "Allow"
    case deny = "Deny"
}

/// The kind of a principal entry: the key of a `Principal` object.
public enum PolicyPrincipalType: String, Sendable, Hashable, CaseIterable {
    case aws = "AWS"
    case service = "Service"
    case federated = "Federated"
    case canonicalUser = "CanonicalUser"
}

/// One principal named by a statement, such as `"AWS": "111122223333"` or `"Service": "s3.amazonaws.com"`.
public struct PolicyPrincipalEntry: Sendable, Hashable {
    public var type: PolicyPrincipalType
    public var value: String

    /// An entry such as `PolicyPrincipalEntry(.aws, "111122223333")`.
    public init(_ type: PolicyPrincipalType, _ value: String) {
        self.type = type
        self.value = value
    }
}

/// The contents of a `Principal` or `NotPrincipal` element.
public struct PolicyPrincipalSet: Sendable, Hashable {
    /// `"Principal": "*"`: everyone, including service principals.
    public var isEveryone: Bool
    public var entries: [PolicyPrincipalEntry]

    /// A principal element listing `entries`, or everyone.
    public init(isEveryone: Bool = false, entries: [PolicyPrincipalEntry] = []) {
        self.isEveryone = isEveryone
        self.entries = entries
    }

    /// `"Principal": "*"`.
    public static let everyone = PolicyPrincipalSet(isEveryone: true)
}

/// One statement of a policy document.
public struct PolicyStatement: Sendable, Hashable {
    public var sid: String?
    public var effect: PolicyEffect
    /// `Principal`, or `NotPrincipal` when `principalIsNegated`; nil in identity policies.
    public var principal: PolicyPrincipalSet?
    public var principalIsNegated: Bool
    /// `Action`, or `NotAction` when `actionIsNegated`: `service:Action` patterns with `*` and `?`.
    public var actions: [String]
    public var actionIsNegated: Bool
    /// `Resource`, or `NotResource` when `resourceIsNegated`; nil when absent, which in a resource or trust
    /// policy means the resource the policy is attached to.
    public var resources: [String]?
    public var resourceIsNegated: Bool
    public var conditions: [PolicyCondition]

    /// A statement; elements left out are absent (no principal, no resource, no condition).
    public init(
        sid: String? = nil,
        effect: PolicyEffect,
        principal: PolicyPrincipalSet? = nil,
        principalIsNegated: Bool = false,
        actions: [String],
        actionIsNegated: Bool = false,
        resources: [String]? = nil,
        resourceIsNegated: Bool = false,
        conditions: [PolicyCondition] = []
    ) {
        self.sid = sid
        self.effect = effect
        self.principal = principal
        self.principalIsNegated = principalIsNegated
        self.actions = actions
        self.actionIsNegated = actionIsNegated
        self.resources = resources
        self.resourceIsNegated = resourceIsNegated
        self.conditions = conditions
    }

    /// How the statement's principal element matches the caller; `.direct` when it has none.
    func principalMatch(_ caller: PolicyPrincipal) -> PrincipalMatch {
        guard let principal else { return .direct }
        let match = PrincipalMatcher.match(principal, caller)
        guard principalIsNegated else { return match }
        return match == .none ? .direct : .none
    }

    /// Whether `action` is covered by `Action` (or outside `NotAction`); names compare case-insensitively.
    func coversAction(_ action: String) -> Bool {
        let lowered = action.lowercased()
        let listed = actions.contains { WildcardPattern($0.lowercased()).matches(lowered) }
        return listed != actionIsNegated
    }

    /// Whether `resource` is covered by `Resource` (or outside `NotResource`). An entry whose policy variable has
    /// no value never makes the statement apply: it matches nothing in `Resource` and excludes everything in `NotResource`.
    func coversResource(_ resource: String, context: ConditionContext, variablesEnabled: Bool) -> Bool {
        guard let resources else { return true }
        let listed = resources.contains { entry in
            guard let pattern = PolicyTemplate(entry, variablesEnabled: variablesEnabled).pattern(in: context) else {
                return resourceIsNegated
            }
            return ARNMatcher.matches(pattern.tokens, resource)
        }
        return listed != resourceIsNegated
    }

    /// Whether every condition holds.
    func conditionsHold(context: ConditionContext, variablesEnabled: Bool) -> Bool {
        conditions.allSatisfy { ConditionEvaluator.isSatisfied($0, context: context, variablesEnabled: variablesEnabled) }
    }
}
