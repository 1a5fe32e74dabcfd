import CofferCore
import CofferPolicy
import Foundation

/// Temporary credentials handed out by AssumeRole.
public struct TemporaryCredentials: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String
    public var expiration: Date
    /// `AROA...:<session name>`.
    public var assumedRoleID: String
    /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
    public var assumedRoleARN: String
}

extension IdentityService {
    /// STS AssumeRole: evaluates the role's trust policy (and, for a principal that the trust policy
    /// names only through its account, the principal's own IAM policies) and issues credentials.
    public func assumeRole(
        _ caller: Caller, roleARN: String, sessionName: String, durationSeconds: Int?, externalID: String?
    ) async throws -> TemporaryCredentials {
        guard sessionName.utf8.count >= 2, sessionName.utf8.count <= 64, sessionName.utf8.allSatisfy(IAMValidation.isNameByte) else {
            throw IAMValidation.failure(sessionName, member: "roleSessionName", "must satisfy regular expression pattern: [\\w+=,.@-]* and have length between 2 and 64")
        }
        let duration = durationSeconds ?? 3600
        guard (900...43200).contains(duration) else {
            throw IAMValidation.failure(String(duration), member: "durationSeconds", duration < 900 ? "must have value greater than or equal to 900" : "must have value less than or equal to 43200")
        }
        guard let arn = ARN(parsing: roleARN), arn.service == "iam", arn.resource.hasPrefix("role/"), let roleAccount = AccountID(arn.account) else {
            throw IdentityError(.validation, "\(roleARN) is invalid")
        }
        let action = "sts:AssumeRole"
        let denied = { (reason: DenialReason) in
            IdentityError(.accessDenied, reason.message(principalARN: caller.principalARN, action: action, resource: roleARN))
        }
        guard caller.kind != .root else {
            throw IdentityError(.accessDenied, "Roles may not be assumed by root accounts.")
        }
        let roleName = String(arn.resource.split(separator: "/").last ?? "")
        guard let role = try await store.role(account: roleAccount, name: roleName), role.arn == roleARN else {
            throw denied(.noResourcePolicyAllows)
        }
        if caller.kind == .assumedRole, duration > 3600 {
            throw IdentityError(.validation, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
        }
        guard duration <= role.maxSessionDuration else {
            throw IdentityError(.validation, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
        }
        // The stored trust policy was validated on CreateRole; failing to parse it now denies.
        guard let trust = try? PolicyDocument.parse(role.trustPolicy, kind: .trust) else { throw denied(.noResourcePolicyAllows) }
        let now = clock.now()
        var context = caller.globalConditionContext(now: now)
        context["sts:RoleSessionName"] = [sessionName]
        if let externalID { context["sts:ExternalId"] = [externalID] }
        let input = Authorizer.Input(
            request: PolicyRequest(principal: caller.policyPrincipal, action: action, resource: roleARN, context: context),
            identityPolicies: try await identityPolicies(for: caller), resourcePolicy: trust, resourceAccount: roleAccount.rawValue,
            resourcePolicyRequired: true
        )
        if case .deny(let reason) = Authorizer.authorize(input) { throw denied(reason) }

        let session = SessionToken(
            accessKeyID: Identifiers.accessKeyID(prefix: "ASIA"), secret: Identifiers.secretAccessKey(), account: roleAccount,
            roleName: role.name, rolePath: role.path, roleID: role.roleID, sessionName: sessionName,
            expiration: Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Double(duration)).rounded(.down))
        )
        return TemporaryCredentials(
            accessKeyID: session.accessKeyID, secretAccessKey: session.secret, sessionToken: try session.seal(with: rootKey),
            expiration: session.expiration, assumedRoleID: "\(role.roleID):\(sessionName)", assumedRoleARN: session.sessionARN
        )
    }
}
