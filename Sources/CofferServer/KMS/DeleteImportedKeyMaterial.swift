import CofferCore
import CofferKMS
import CofferWire

/// DeleteImportedKeyMaterial: deletes an EXTERNAL key's material; the key waits in PendingImport.
enum DeleteImportedKeyMaterial {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let materialID = try call.fields.string("KeyMaterialId", length: 64...64)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let (key, keyMaterialID) = try await call.kms.deleteImportedKeyMaterial(keyID!, keyMaterialID: materialID, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        if let keyMaterialID {
            json.key("KeyMaterialId"); json.string(keyMaterialID)
        }
        json.endObject()
        return json.bytes
    }
}
