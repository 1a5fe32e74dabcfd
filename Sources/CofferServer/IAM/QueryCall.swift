import CofferCore
import CofferIdentity
import CofferWire
import Foundation

/// One IAM or STS request on its way through a handler: who is calling, the form members, the
/// identity service, and the XML being written for the `<Action>Result` element.
struct QueryCall {
    let caller: Caller
    let parameters: FormParameters
    let identity: IdentityService
    /// The members of `<Action>Result`; left empty by operations without output.
    var result = XMLWriter(fragment: true)
}

/// An IAM or STS operation: reads its members, calls the domain, writes its result members.
typealias QueryOperation = @Sendable (inout QueryCall) async throws -> Void

/// The Query-protocol services and their action tables: the only routing for IAM and STS.
enum QueryServices {
    struct Service: Sendable {
        let namespace: String
        let operations: [String: QueryOperation]
    }

    static let iam = Service(
        namespace: "https://iam.amazonaws.com/doc/2010-05-08/",
        operations: [
            "CreateUser": CreateUser.handle,
            "GetUser": GetUser.handle,
            "ListUsers": ListUsers.handle,
            "DeleteUser": DeleteUser.handle,
            "CreateAccessKey": CreateAccessKey.handle,
            "ListAccessKeys": ListAccessKeys.handle,
            "UpdateAccessKey": UpdateAccessKey.handle,
            "DeleteAccessKey": DeleteAccessKey.handle,
            "PutUserPolicy": PutUserPolicy.handle,
            "GetUserPolicy": GetUserPolicy.handle,
            "ListUserPolicies": ListUserPolicies.handle,
            "DeleteUserPolicy": DeleteUserPolicy.handle,
            "CreateRole": CreateRole.handle,
            "GetRole": GetRole.handle,
            "ListRoles": ListRoles.handle,
            "DeleteRole": DeleteRole.handle,
            "PutRolePolicy": PutRolePolicy.handle,
            "GetRolePolicy": GetRolePolicy.handle,
            "ListRolePolicies": ListRolePolicies.handle,
            "DeleteRolePolicy": DeleteRolePolicy.handle,
        ]
    )

    static let sts = Service(
        namespace: "https://sts.amazonaws.com/doc/2011-06-15/",
        operations: [
            "GetCallerIdentity": GetCallerIdentity.handle,
            "AssumeRole": AssumeRole.handle,
        ]
    )

    static func service(named name: String) -> Service? {
        switch name {
        case "iam": iam
        case "sts": sts
        default: nil
        }
    }
}
