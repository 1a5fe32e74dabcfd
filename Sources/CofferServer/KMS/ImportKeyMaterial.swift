import CofferCore
import CofferKMS
import CofferWire

/// ImportKeyMaterial: imports (or re-imports) wrapped key material into an EXTERNAL key.
enum ImportKeyMaterial {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let token = try call.fields.blob("ImportToken", required: true, length: 1...6144)
        let material = try call.fields.blob("EncryptedKeyMaterial", required: true, length: 1...6144)
        let validTo = try call.fields.timestamp("ValidTo")
        let model = try call.fields.enumeration("ExpirationModel", allowed: ["KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"])
        let importType = try call.fields.enumeration("ImportType", allowed: ["NEW_KEY_MATERIAL", "EXISTING_KEY_MATERIAL"])
        _ = try call.fields.string("KeyMaterialDescription", length: 0...256)
        let materialID = try call.fields.string("KeyMaterialId", length: 64...64)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        var parameters = ImportKeyMaterialParameters(keyID: keyID!, importToken: token!, encryptedKeyMaterial: material!)
        parameters.validTo = validTo
        parameters.expirationModel = model.flatMap(ExpirationModel.init(rawValue:))
        parameters.importType = importType.flatMap(ImportType.init(rawValue:))
        parameters.keyMaterialID = materialID
        let (key, keyMaterialID) = try await call.kms.importKeyMaterial(parameters, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        json.key("KeyMaterialId"); json.string(keyMaterialID)
        json.endObject()
        return json.bytes
    }
}
