import CofferIdentity
import CofferWire

/// ListAccessKeys: the key ids, status and creation dates of a user's (or the root's) keys.
enum ListAccessKeys {
    static func handle(_ call: inout QueryCall) async throws {
        let keys = try await call.identity.listAccessKeys(call.caller, userName: call.parameters["UserName"])
        try IAMShapes.page(keys, key: \.accessKeyID, parameters: call.parameters, listName: "AccessKeyMetadata", &call.result) { key, xml in
            IAMShapes.writeAccessKeyMetadata(key, &xml)
        }
    }
}
