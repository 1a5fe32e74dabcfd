import CofferIdentity
import CofferWire

/// CreateAccessKey: a new key pair for a user (or the root principal); the secret appears only here.
enum CreateAccessKey {
    static func handle(_ call: inout QueryCall) async throws {
        let (key, secret) = try await call.identity.createAccessKey(call.caller, userName: call.parameters["UserName"])
        call.result.element("AccessKey") { xml in
            IAMShapes.writeAccessKeyMetadata(key, &xml)
            xml.element("SecretAccessKey", secret)
        }
    }
}
