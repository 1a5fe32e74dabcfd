import CofferKMS
import CofferWire

/// CreateGrant: lets a grantee principal use a key in the named operations, optionally only with
/// a constrained encryption context. The grant works at once; its token is returned too.
enum CreateGrant {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let grantee = try call.fields.string("GranteePrincipal", required: true, length: GrantShapes.principalLength)
        let retiring = try call.fields.string("RetiringPrincipal", length: GrantShapes.principalLength)
        let operations = try call.fields.stringList("Operations", required: true)
        let name = try call.fields.string("Name", length: GrantShapes.nameLength)
        let constraints = try readConstraints(call.fields)
        try KMSShapes.grantTokens(&call.fields)
        try KMSShapes.checkDryRun(&call.fields)
        try call.fields.validate()
        if let name, !name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || ":/_-".unicodeScalars.contains($0) }) {
            throw KMSError(.validation, "1 validation error detected: Value '\(name)' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")
        }
        // Invariant: validate() throws when a required member is missing.
        let parameters = GrantParameters(
            keyID: keyID!, granteePrincipal: grantee!, retiringPrincipal: retiring, operations: operations!, constraints: constraints, name: name
        )
        let (grantID, token) = try await call.kms.createGrant(parameters, caller: call.caller)
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("GrantToken"); json.string(token)
        json.key("GrantId"); json.string(grantID)
        json.endObject()
        return json.bytes
    }

    /// `Constraints: {EncryptionContextSubset: {...}, EncryptionContextEquals: {...}}`.
    private static func readConstraints(_ fields: RequestFields) throws -> KMSGrant.Constraints {
        guard let inner = try fields.nestedObject("Constraints") else { return KMSGrant.Constraints() }
        return KMSGrant.Constraints(equals: try inner.stringMap("EncryptionContextEquals"), subset: try inner.stringMap("EncryptionContextSubset"))
    }
}
