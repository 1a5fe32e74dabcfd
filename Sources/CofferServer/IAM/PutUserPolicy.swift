import CofferIdentity
import CofferWire

/// PutUserPolicy: creates or replaces an inline policy of a user.
enum PutUserPolicy {
    static func handle(_ call: inout QueryCall) async throws {
        try await call.identity.putPolicy(
            call.caller, owner: .user(try call.parameters.required("UserName")), name: try call.parameters.required("PolicyName"),
            document: try call.parameters.required("PolicyDocument")
        )
    }
}
