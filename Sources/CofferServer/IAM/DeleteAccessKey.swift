import CofferIdentity
import CofferWire

/// DeleteAccessKey: removes a key; it stops authenticating at once.
enum DeleteAccessKey {
    static func handle(_ call: inout QueryCall) async throws {
        try await call.identity.deleteAccessKey(call.caller, id: try call.parameters.required("AccessKeyId"), userName: call.parameters["UserName"])
    }
}
