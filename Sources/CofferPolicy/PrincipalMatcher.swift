/// Matches `Principal` entries against the caller.
///
/// - `"*"` and `{"AWS": "*"}` match everyone, service principals included: `.direct`.
/// - `{"AWS": "111122223333"}` and `{"AWS": "arn:aws:iam::111122223333:root"}` name the account: `.direct` for
///   its root user, `.account` for its users and roles (the account then decides through its IAM policies).
/// - A user, role or session ARN matches the caller with that ARN; a role ARN also matches the role's sessions.
/// - `{"Service": ...}` matches a service principal of that name (case-insensitive); services match nothing else.
/// - `Federated` and `CanonicalUser` entries match a caller whose ARN is exactly the value.
enum PrincipalMatcher {
    static func match(_ set: PolicyPrincipalSet, _ caller: PolicyPrincipal) -> PrincipalMatch {
        if set.isEveryone { return .direct }
        return set.entries.reduce(PrincipalMatch.none) { Swift.max($0, match($1, caller)) }
    }

    static func match(_ entry: PolicyPrincipalEntry, _ caller: PolicyPrincipal) -> PrincipalMatch {
        switch entry.type {
        case .aws:
            if entry.value == "*" { return .direct }
            guard !caller.isService else { return .none }
            if let account = accountID(entry.value) {
                guard account == caller.account else { return .none }
                return caller.isAccountRoot ? .direct : .account
            }
            if entry.value == caller.arn || entry.value == caller.roleARN { return .direct }
            return .none
        case .service:
            return caller.isService && entry.value.lowercased() == caller.arn.lowercased() ? .direct : .none
        case .federated, .canonicalUser:
            return !caller.isService && entry.value == caller.arn ? .direct : .none
        }
    }

    /// The account an `AWS` principal value names as a whole: a bare 12-digit ID or `arn:<partition>:iam::<id>:root`.
    static func accountID(_ value: String) -> String? {
        if isAccountID(value) { return value }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[3].isEmpty, parts[5] == "root",
            isAccountID(parts[4])
        else { return nil }
        return String(parts[4])
    }

    static func isAccountID(_ value: some StringProtocol) -> Bool {
        value.count == 12 && value.allSatisfy(\.isASCIIDigit)
    }

    /// Whether an `AWS` principal value is acceptable: `*`, an account ID, an ARN without wildcards, or an
    /// IAM unique ID (what AWS shows in place of a deleted user or role).
    static func isValidAWSValue(_ value: String) -> Bool {
        if value == "*" || isAccountID(value) { return true }
        if value.contains("*") || value.contains("?") { return false }
        if value.hasPrefix("arn:") {
            let parts = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return parts.count == 6 && !parts[2].isEmpty && !parts[5].isEmpty
        }
        return value.count >= 16 && value.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }
}
