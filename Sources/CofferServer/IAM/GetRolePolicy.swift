import CofferIdentity
import CofferWire

/// GetRolePolicy: one inline policy of a role, URL-encoded as IAM returns it.
enum GetRolePolicy {
    static func handle(_ call: inout QueryCall) async throws {
        let owner = try call.parameters.required("RoleName"), name = try call.parameters.required("PolicyName")
        let document = try await call.identity.policy(call.caller, owner: .role(owner), name: name)
        call.result.element("RoleName", owner)
        call.result.element("PolicyName", name)
        call.result.element("PolicyDocument", IAMShapes.encodedPolicy(document))
    }
}
