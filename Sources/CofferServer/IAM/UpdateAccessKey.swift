import CofferIdentity
import CofferWire

/// UpdateAccessKey: sets a key Active or Inactive; an inactive key stops authenticating at once.
enum UpdateAccessKey {
    static func handle(_ call: inout QueryCall) async throws {
        let id = try call.parameters.required("AccessKeyId")
        let statusText = try call.parameters.required("Status")
        guard let status = AccessKey.Status(rawValue: statusText) else {
            throw WireError(.validation, "1 validation error detected: Value '\(statusText)' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]")
        }
        try await call.identity.updateAccessKey(call.caller, id: id, userName: call.parameters["UserName"], status: status)
    }
}
