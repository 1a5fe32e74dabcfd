import CofferCore
import Foundation

extension KMSService {
    /// The only key policy name AWS allows.
    public static let defaultPolicyName = "default"

    /// The key policy AWS attaches when CreateKey names none: the account's root principal may do
    /// anything with the key, which delegates access to the account's IAM policies.
    public static func defaultKeyPolicy(account: AccountID) -> String {
        """
        {
          "Version" : "2012-10-17",
          "Id" : "key-default-1",
          "Statement" : [ {
            "Sid" : "Enable IAM User Permissions",
            "Effect" : "Allow",
            "Principal" : {
              "AWS" : "arn:aws:iam::\(account.rawValue):root"
            },
            "Action" : "kms:*",
            "Resource" : "*"
          } ]
        }
        """
    }

    /// GetKeyPolicy: the key's policy document (the default one if none was set).
    public func keyPolicy(_ keyID: String, policyName: String?, caller: Caller) async throws -> String {
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("GetKeyPolicy"))
        try Self.checkPolicyName(policyName)
        return key.policy ?? Self.defaultKeyPolicy(account: key.account)
    }

    /// PutKeyPolicy: replaces the key's policy document.
    public func putKeyPolicy(_ keyID: String, policyName: String?, policy: String, bypassLockoutCheck: Bool = false, caller: Caller) async throws {
        let access = KeyAccess("PutKeyPolicy", conditions: ["kms:BypassPolicyLockoutSafetyCheck": [bypassLockoutCheck ? "true" : "false"]])
        let key = try await resolve(keyID, forms: .keyOnly, caller: caller, for: access)
        try Self.checkPolicyName(policyName)
        let document = try Self.checkPolicyDocument(policy)
        if !bypassLockoutCheck, try await !policyKeepsAccess(document, for: key, caller: caller) {
            throw KMSError(.malformedPolicyDocument, Self.lockoutMessage)
        }
        // Every key state accepts a new policy (a key pending deletion may need one to be rescued).
        _ = try await modify(key) { $0.policy = policy }
    }

    /// ListKeyPolicies: the key's policy names, which are always just "default".
    public func listKeyPolicies(_ keyID: String, caller: Caller) async throws -> [String] {
        _ = try await resolve(keyID, forms: .keyOnly, caller: caller, for: KeyAccess("ListKeyPolicies"))
        return [Self.defaultPolicyName]
    }

    private static func checkPolicyName(_ name: String?) throws {
        guard let name, name != defaultPolicyName else { return }
        throw KMSError(.notFound, "No such policy exists: \(name). The only key policy name is \(defaultPolicyName).")
    }
}
