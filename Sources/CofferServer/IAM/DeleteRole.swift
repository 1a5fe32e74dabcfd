import CofferIdentity
import CofferWire

/// DeleteRole: removes a role that has no inline policies left.
enum DeleteRole {
    static func handle(_ call: inout QueryCall) async throws {
        try await call.identity.deleteRole(call.caller, name: try call.parameters.required("RoleName"))
    }
}
