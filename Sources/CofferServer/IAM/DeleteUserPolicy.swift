import CofferIdentity
import CofferWire

/// DeleteUserPolicy: removes an inline policy of a user.
enum DeleteUserPolicy {
    static func handle(_ call: inout QueryCall) async throws {
        try await call.identity.deletePolicy(
            call.caller, owner: .user(try call.parameters.required("UserName")), name: try call.parameters.required("PolicyName")
        )
    }
}
