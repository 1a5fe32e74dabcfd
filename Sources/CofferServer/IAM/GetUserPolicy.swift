import CofferIdentity
import CofferWire

/// GetUserPolicy: one inline policy of a user, URL-encoded as IAM returns it.
enum GetUserPolicy {
    static func handle(_ call: inout QueryCall) async throws {
        let owner = try call.parameters.required("UserName"), name = try call.parameters.required("PolicyName")
        let document = try await call.identity.policy(call.caller, owner: .user(owner), name: name)
        call.result.element("UserName", owner)
        call.result.element("PolicyName", name)
        call.result.element("PolicyDocument", IAMShapes.encodedPolicy(document))
    }
}
