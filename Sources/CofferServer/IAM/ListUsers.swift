import CofferIdentity
import CofferWire

/// ListUsers: the account's users under a path prefix, paged by Marker/MaxItems.
enum ListUsers {
    static func handle(_ call: inout QueryCall) async throws {
        let users = try await call.identity.users(call.caller, pathPrefix: call.parameters["PathPrefix"])
        try IAMShapes.page(users, key: { $0.name.lowercased() }, parameters: call.parameters, listName: "Users", &call.result) { user, xml in
            IAMShapes.writeUser(user, &xml)
        }
    }
}
