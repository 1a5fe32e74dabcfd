import CofferIdentity
import CofferWire

/// PutRolePolicy: creates or replaces an inline policy of a role.
enum PutRolePolicy {
    static func handle(_ call: inout QueryCall) async throws {
        try await call.identity.putPolicy(
            call.caller, owner: .role(try call.parameters.required("RoleName")), name: try call.parameters.required("PolicyName"),
            document: try call.parameters.required("PolicyDocument")
        )
    }
}
