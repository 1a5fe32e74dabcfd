import CofferCore
import CofferIdentity
import CofferWire
import Foundation

/// GetUser: the named user, or the calling user when no name is given.
enum GetUser {
    static func handle(_ call: inout QueryCall) async throws {
        guard let user = try await call.identity.user(call.caller, name: call.parameters["UserName"]) else {
            // The account root asking about itself: AWS describes the root (no user name or path).
            let account = try await call.identity.account(call.caller.account)
            call.result.element("User") { xml in
                xml.element("UserId", call.caller.account.rawValue)
                xml.element("Arn", call.caller.account.rootARN)
                xml.element("CreateDate", IAMShapes.timestamp(account?.creationDate ?? Date(timeIntervalSince1970: 0)))
            }
            return
        }
        call.result.element("User") { IAMShapes.writeUser(user, &$0) }
    }
}
