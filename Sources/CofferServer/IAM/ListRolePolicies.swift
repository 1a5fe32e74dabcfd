import CofferIdentity
import CofferWire

/// ListRolePolicies: the names of a role's inline policies.
enum ListRolePolicies {
    static func handle(_ call: inout QueryCall) async throws {
        let names = try await call.identity.policyNames(call.caller, owner: .role(try call.parameters.required("RoleName")))
        try IAMShapes.page(names, key: { $0 }, parameters: call.parameters, listName: "PolicyNames", &call.result) { name, xml in
            xml.text(name)
        }
    }
}
