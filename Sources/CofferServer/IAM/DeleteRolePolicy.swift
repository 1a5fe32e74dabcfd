import CofferIdentity
import CofferWire

/// DeleteRolePolicy: removes an inline policy of a role.
enum DeleteRolePolicy {
    static func handle(_ call: inout QueryCall) async throws {
        try await call.identity.deletePolicy(
            call.caller, owner: .role(try call.parameters.required("RoleName")), name: try call.parameters.required("PolicyName")
        )
    }
}
