import CofferCore
import Foundation

extension Caller {
    /// The caller as the policy engine matches it against `Principal` elements.
    public var policyPrincipal: PolicyPrincipal {
        PolicyPrincipal(arn: principalARN, account: account.rawValue, roleARN: roleARN)
    }

    /// The global condition keys (`aws:*`) every request carries, as AWS sets them for this caller.
    public func globalConditionContext(now: Date) -> ConditionContext {
        var context = ConditionContext()
        context["aws:PrincipalArn"] = [roleARN ?? principalARN]
        context["aws:PrincipalAccount"] = [account.rawValue]
        context["aws:PrincipalType"] = [kind.rawValue == "Root" ? "Account" : kind.rawValue]
        context["aws:userid"] = [userID]
        if let userName { context["aws:username"] = [userName] }
        context["aws:SecureTransport"] = [secureTransport ? "true" : "false"]
        if let sourceIP, viaService == nil { context["aws:SourceIp"] = [sourceIP] }
        context["aws:RequestedRegion"] = [region.rawValue]
        context["aws:CurrentTime"] = [now.iso8601Seconds]
        context["aws:EpochTime"] = [String(Int64(now.timeIntervalSince1970))]
        context["aws:ViaAWSService"] = [viaService == nil ? "false" : "true"]
        if let viaService { context["aws:CalledVia"] = ["\(viaService).amazonaws.com"] }
        for (key, value) in principalTags { context["aws:PrincipalTag/\(key)"] = [value] }
        if !principalTags.isEmpty { context["aws:PrincipalTagKeys"] = principalTags.keys.sorted() }
        return context
    }
}
