import CofferCore
import CofferWire
/// GetCallerIdentity: who signed the request (needs no permission, as on AWS).
enum GetCallerIdentity {
    static func handle(_ call: inout QueryCall) async throws {
        call.result.element("UserId", call.caller.userID)
        call.result.element("Account", call.caller.account.rawValue)
        call.result.element("Arn", call.caller.principalARN)
    }
}
