import CofferIdentity
import CofferWire

/// ListRoles: the account's roles under a path prefix, paged by Marker/MaxItems.
enum ListRoles {
    static func handle(_ call: inout QueryCall) async throws {
        let roles = try await call.identity.roles(call.caller, pathPrefix: call.parameters["PathPrefix"])
        try IAMShapes.page(roles, key: { $0.name.lowercased() }, parameters: call.parameters, listName: "Roles", &call.result) { role, xml in
            IAMShapes.writeRole(role, &xml)
        }
    }
}
