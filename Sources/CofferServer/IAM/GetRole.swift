import CofferIdentity
import CofferWire

/// GetRole: one role, its trust policy URL-encoded as IAM returns it.
enum GetRole {
    static func handle(_ call: inout QueryCall) async throws {
        let role = try await call.identity.role(call.caller, name: try call.parameters.required("RoleName"))
        call.result.element("Role") { IAMShapes.writeRole(role, &$0) }
    }
}
