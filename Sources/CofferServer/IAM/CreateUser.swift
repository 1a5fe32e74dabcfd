import CofferIdentity
import CofferWire

/// CreateUser: a new IAM user in the caller's account.
enum CreateUser {
    static func handle(_ call: inout QueryCall) async throws {
        let user = try await call.identity.createUser(
            call.caller, name: try call.parameters.required("UserName"), path: call.parameters["Path"], tags: call.parameters.tags()
        )
        call.result.element("User") { IAMShapes.writeUser(user, &$0) }
    }
}
