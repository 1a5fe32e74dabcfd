import CofferIdentity
import CofferWire

/// GetUser: the named user, or the calling user when no name is given.
enum GetUser {
    static func handle(_ call: inout QueryCall) async throws {
        let user = try await call.identity.user(call.caller, name: call.parameters["UserName"])
        call.result.element("User") { IAMShapes.writeUser(user, &$0) }
    }
}
