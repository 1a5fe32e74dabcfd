import CofferCore
import CofferKMS
import CofferWire

/// ListKeyRotations: completed rotations, oldest first (or every version with ALL_KEY_MATERIAL).
enum ListKeyRotations {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let include = try call.fields.enumeration("IncludeKeyMaterial", allowed: ["ALL_KEY_MATERIAL", "ROTATIONS_ONLY"])
        let limit = try call.fields.integer("Limit", range: 1...1000) ?? 100
        let marker = try call.fields.string("Marker", length: 1...1024)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let (entries, nextMarker, key) = try await call.kms.listKeyRotations(
            keyID!, includeOriginal: include == "ALL_KEY_MATERIAL", limit: limit, marker: marker, caller: call.caller
        )
        return KMSShapes.pageResponse("Rotations", entries, nextMarker: nextMarker) { entry, json in
            json.key("KeyId"); json.string(key.arn)
            json.key("KeyMaterialId"); json.string(entry.keyMaterialID)
            json.key("KeyMaterialState"); json.string(entry.isCurrent ? "CURRENT" : "NON_CURRENT")
            if let date = entry.rotationDate {
                json.key("RotationDate"); json.timestamp(date)
            }
            if let type = entry.rotationType {
                json.key("RotationType"); json.string(type.rawValue)
            }
        }
    }
}
