/// Turns policy JSON into a `PolicyDocument`, validating it as IAM does.
enum PolicyParser {
    private static let documentElements: Set<String> = ["Version", "Id", "Statement"]
    private static let statementElements: Set<String> = [
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    ]

    static func parse(_ json: String, kind: PolicyKind) throws(PolicyError) -> PolicyDocument {
        let root: JSONValue
        do {
            root = try JSONReader.parse(json)
        } catch .duplicateKey(let key) {
            throw PolicyError("Duplicate element \"\(key)\" in policy.")
        } catch {
            throw .syntax
        }
        guard case .object(let members) = root else { throw .syntax }
        for member in members where !documentElements.contains(member.key) {
            throw PolicyError("Policy document contains an unknown element \"\(member.key)\".")
        }
        let fields = Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) })

        var version: String?
        if let value = fields["Version"] {
            guard case .string(let text) = value,
                text == PolicyDocument.currentVersion || text == PolicyDocument.legacyVersion
            else {
                throw PolicyError("Invalid Version: use \"\(PolicyDocument.currentVersion)\" or \"\(PolicyDocument.legacyVersion)\".")
            }
            version = text
        }
        var id: String?
        if let value = fields["Id"] {
            guard case .string(let text) = value else { throw PolicyError("Id must be a string.") }
            id = text
        }

        let statementValues: [JSONValue]
        switch fields["Statement"] {
        case nil:
            throw PolicyError("Missing required field Statement.")
        case .object(let members)?:
            statementValues = [.object(members)]
        case .array(let list)?:
            guard !list.isEmpty else { throw PolicyError("Statement must contain at least one statement.") }
            statementValues = list
        case .some:
            throw PolicyError("Statement must be an object or an array of objects.")
        }

        var statements: [PolicyStatement] = []
        var sids = Set<String>()
        for value in statementValues {
            let statement = try parseStatement(value, kind: kind)
            if let sid = statement.sid, !sid.isEmpty, !sids.insert(sid).inserted {
                throw PolicyError("Duplicate Sid \"\(sid)\": statement IDs must be unique within a policy.")
            }
            statements.append(statement)
        }
        return PolicyDocument(version: version, id: id, statements: statements)
    }

    private static func parseStatement(_ value: JSONValue, kind: PolicyKind) throws(PolicyError) -> PolicyStatement {
        guard case .object(let members) = value else { throw PolicyError("Each statement must be a JSON object.") }
        for member in members where !statementElements.contains(member.key) {
            throw PolicyError("Statement contains an unknown element \"\(member.key)\".")
        }
        let fields = Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) })

        var sid: String?
        if let value = fields["Sid"] {
            guard case .string(let text) = value else { throw PolicyError("Sid must be a string.") }
            sid = text
        }

        guard let effectValue = fields["Effect"] else { throw PolicyError("Missing required field Effect.") }
        guard case .string(let effectText) = effectValue, let effect = PolicyEffect(rawValue: effectText) else {
            throw PolicyError("Invalid effect: \(describe(effectValue)). Use Allow or Deny.")
        }

        let (actions, actionIsNegated) = try pair(fields, "Action", "NotAction")
        guard let actions else { throw PolicyError("Policy statement must contain actions.") }
        for action in actions where !isValidAction(action) {
            throw PolicyError("Invalid action \"\(action)\": actions are written service:ActionName, or \"*\".")
        }

        let (resources, resourceIsNegated) = try pair(fields, "Resource", "NotResource")
        if resources == nil, kind == .identity { throw PolicyError("Policy statement must contain resources.") }
        for resource in resources ?? [] where !(resource == "*" || resource.hasPrefix("arn:")) {
            throw PolicyError("Resource \"\(resource)\" must be in ARN format or \"*\".")
        }

        if fields["Principal"] != nil, fields["NotPrincipal"] != nil {
            throw PolicyError("A statement cannot contain both Principal and NotPrincipal.")
        }
        let principalValue = fields["Principal"] ?? fields["NotPrincipal"]
        var principal: PolicyPrincipalSet?
        switch (kind, principalValue) {
        case (.identity, .some):
            throw PolicyError("Policy document should not specify a principal.")
        case (.resource, nil), (.trust, nil):
            throw PolicyError("Policy statement must contain a principal.")
        case (_, .some(let value)):
            principal = try parsePrincipal(value)
        case (.identity, nil):
            principal = nil
        }

        var conditions: [PolicyCondition] = []
        if let value = fields["Condition"] {
            conditions = try parseConditions(value)
        }

        return PolicyStatement(
            sid: sid,
            effect: effect,
            principal: principal,
            principalIsNegated: fields["NotPrincipal"] != nil,
            actions: actions,
            actionIsNegated: actionIsNegated,
            resources: resources,
            resourceIsNegated: resourceIsNegated,
            conditions: conditions
        )
    }

    /// Reads an element that has a `Not...` twin (Action/NotAction, Resource/NotResource): nil when both are absent.
    private static func pair(
        _ fields: [String: JSONValue], _ name: String, _ negatedName: String
    ) throws(PolicyError) -> ([String]?, Bool) {
        switch (fields[name], fields[negatedName]) {
        case (.some, .some):
            throw PolicyError("A statement cannot contain both \(name) and \(negatedName).")
        case (.some(let value), nil):
            return (try stringList(value, element: name), false)
        case (nil, .some(let value)):
            return (try stringList(value, element: negatedName), true)
        case (nil, nil):
            return (nil, false)
        }
    }

    /// A string or a non-empty array of strings.
    private static func stringList(_ value: JSONValue, element: String) throws(PolicyError) -> [String] {
        switch value {
        case .string(let text):
            return [text]
        case .array(let items) where !items.isEmpty:
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item else {
                    throw PolicyError("\(element) must be a string or an array of strings, not a \(item.typeName).")
                }
                result.append(text)
            }
            return result
        case .array:
            throw PolicyError("\(element) must not be empty.")
        default:
            throw PolicyError("\(element) must be a string or an array of strings, not a \(value.typeName).")
        }
    }

    /// `*`, or a service prefix (letters, digits, hyphens) and an action name (letters, digits, `*`, `?`).
    static func isValidAction(_ action: String) -> Bool {
        if action == "*" { return true }
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        let service = parts[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        let name = parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "*?-_".contains($0)) }
        return service && name
    }

    private static func parsePrincipal(_ value: JSONValue) throws(PolicyError) -> PolicyPrincipalSet {
        switch value {
        case .string("*"):
            return .everyone
        case .object(let members) where !members.isEmpty:
            var entries: [PolicyPrincipalEntry] = []
            for member in members {
                guard let type = PolicyPrincipalType(rawValue: member.key) else {
                    throw PolicyError("Invalid principal type \"\(member.key)\": use AWS, Service, Federated or CanonicalUser.")
                }
                for item in try stringList(member.value, element: "Principal \(member.key)") {
                    let valid = switch type {
                    case .aws: PrincipalMatcher.isValidAWSValue(item)
                    case .service, .federated, .canonicalUser: !item.isEmpty && !item.contains("*")
                    }
                    guard valid else { throw PolicyError("Invalid principal in policy: \"\(member.key)\":\"\(item)\"") }
                    entries.append(PolicyPrincipalEntry(type, item))
                }
            }
            return PolicyPrincipalSet(entries: entries)
        default:
            throw PolicyError("Invalid principal in policy: \(describe(value)). Use \"*\" or an object such as {\"AWS\": \"111122223333\"}.")
        }
    }

    private static func parseConditions(_ value: JSONValue) throws(PolicyError) -> [PolicyCondition] {
        guard case .object(let operators) = value else { throw PolicyError("Condition must be a JSON object.") }
        var conditions: [PolicyCondition] = []
        for (name, block) in operators {
            guard let op = ConditionOperator(name: name) else {
                throw PolicyError("Invalid condition operator \"\(name)\".")
            }
            guard case .object(let keys) = block, !keys.isEmpty else {
                throw PolicyError("Condition operator \(name) must map condition keys to values.")
            }
            for (key, rawValues) in keys {
                guard !key.isEmpty else { throw PolicyError("Condition operator \(name) has an empty condition key.") }
                let values = try conditionValues(rawValues, key: key)
                conditions.append(PolicyCondition(op, key: key, values: values))
            }
        }
        return conditions
    }

    /// A string, number or boolean, or a non-empty array of them, as text.
    private static func conditionValues(_ value: JSONValue, key: String) throws(PolicyError) -> [String] {
        func scalar(_ value: JSONValue) -> String? {
            switch value {
            case .string(let text), .number(let text): text
            case .bool(let flag): flag ? "true" : "false"
            case .null, .array, .object: nil
            }
        }
        if let single = scalar(value) { return [single] }
        guard case .array(let items) = value, !items.isEmpty else {
            throw PolicyError("Invalid value for condition key \(key): use a string, number or boolean, or a non-empty array of them.")
        }
        var result: [String] = []
        for item in items {
            guard let text = scalar(item) else {
                throw PolicyError("Invalid value for condition key \(key): array elements must be strings, numbers or booleans.")
            }
            result.append(text)
        }
        return result
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        default: "a \(value.typeName)"
        }
    }
}
