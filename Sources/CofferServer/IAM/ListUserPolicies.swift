import CofferIdentity
import CofferWire

/// ListUserPolicies: the names of a user's inline policies.
enum ListUserPolicies {
    static func handle(_ call: inout QueryCall) async throws {
        let names = try await call.identity.policyNames(call.caller, owner: .user(try call.parameters.required("UserName")))
        try IAMShapes.page(names, key: { $0 }, parameters: call.parameters, listName: "PolicyNames", &call.result) { name, xml in
            xml.text(name)
        }
    }
}
