import CofferIdentity
import CofferWire

/// CreateRole: a new role with its trust policy.
enum CreateRole {
    static func handle(_ call: inout QueryCall) async throws {
        let role = try await call.identity.createRole(
            call.caller, name: try call.parameters.required("RoleName"), path: call.parameters["Path"],
            trustPolicy: try call.parameters.required("AssumeRolePolicyDocument"), description: call.parameters["Description"],
            maxSessionDuration: try call.parameters.integer("MaxSessionDuration"), tags: call.parameters.tags()
        )
        call.result.element("Role") { IAMShapes.writeRole(role, &$0) }
    }
}
