/// A parsed and validated IAM JSON policy document.
public struct PolicyDocument: Sendable, Hashable {
    /// The policy language version that enables policy variables.
    public static let currentVersion = "2012-10-17"
    /// The original policy language version: `${...}` is plain text.
    public static let legacyVersion = "2008-10-17"

    /// `2012-10-17`, `2008-10-17`, or nil when absent (read as 2008-10-17).
    public var version: String?
    public var id: String?
    public var statements: [PolicyStatement]

    /// A document built in code; it is not validated.
    public init(version: String? = PolicyDocument.currentVersion, id: String? = nil, statements: [PolicyStatement]) {
        self.version = version
        self.id = id
        self.statements = statements
    }

    /// Parses and validates a policy document for the place it is attached to.
    ///
    /// Accepts `Statement` as one object or a non-empty array. Throws a `PolicyError` worded like AWS's
    /// `MalformedPolicyDocument` messages for malformed JSON, unknown or misplaced elements, a bad `Version`,
    /// `Effect`, action, resource, principal or condition operator, non-scalar condition values, and duplicate `Sid`s.
    public static func parse(_ json: String, kind: PolicyKind) throws(PolicyError) -> PolicyDocument {
        try PolicyParser.parse(json, kind: kind)
    }

    /// Whether policy variables (`${aws:username}`) are substituted.
    public var usesPolicyVariables: Bool { version == Self.currentVersion }

    /// Whether any statement tests `key` in a `Condition` or names it as a policy variable (`${key}`), ignoring
    /// case. Lets a caller skip computing an expensive condition key that no policy reads.
    public func mentionsConditionKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        func namesVariable(_ text: String) -> Bool {
            PolicyTemplate(text, variablesEnabled: true).parts.contains { part in
                if case .variable(let name, _) = part { name.lowercased() == lowered } else { false }
            }
        }
        return statements.contains { statement in
            statement.conditions.contains { condition in
                condition.key == lowered || condition.values.contains(where: namesVariable)
            } || (statement.resources ?? []).contains(where: namesVariable)
        }
    }

    /// Whether evaluating this document can read the request's condition context: some statement
    /// has a `Condition`, or a resource with a policy variable. When no document that applies does,
    /// a caller may skip building the context.
    public var readsConditionContext: Bool {
        statements.contains { statement in
            !statement.conditions.isEmpty || (usesPolicyVariables && (statement.resources ?? []).contains { $0.contains("${") })
        }
    }

    /// Evaluates this document alone against a request.
    public func evaluate(_ request: PolicyRequest) -> PolicyResult {
        // The context (with the principal-derived keys) is built only for documents that read it.
        let context = readsConditionContext ? request.effectiveContext : request.context
        let variables = usesPolicyVariables
        var result = PolicyResult()
        for statement in statements {
            let principalMatch = statement.principalMatch(request.principal)
            guard principalMatch != .none,
                statement.coversAction(request.action),
                statement.coversResource(request.resource, context: context, variablesEnabled: variables),
                statement.conditionsHold(context: context, variablesEnabled: variables)
            else { continue }
            switch statement.effect {
            case .deny:
                if !result.explicitDeny {
                    result.explicitDeny = true
                    result.denyingSid = statement.sid
                }
            case .allow:
                result.allow = max(result.allow, principalMatch)
            }
        }
        return result
    }
}
