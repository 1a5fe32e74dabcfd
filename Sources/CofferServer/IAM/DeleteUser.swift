import CofferIdentity
import CofferWire

/// DeleteUser: removes a user that has no access keys or inline policies left.
enum DeleteUser {
    static func handle(_ call: inout QueryCall) async throws {
        try await call.identity.deleteUser(call.caller, name: try call.parameters.required("UserName"))
    }
}
