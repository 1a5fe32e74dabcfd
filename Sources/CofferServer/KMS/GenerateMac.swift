import CofferCore
import CofferKMS
import CofferWire

/// GenerateMac: an HMAC of up to 4096 bytes with an HMAC key.
enum GenerateMac {
    static let algorithms = ["HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512"]

    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let message = try call.fields.blob("Message", required: true, length: 1...4096)
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let algorithm = try call.fields.enumeration("MacAlgorithm", allowed: algorithms, required: true)
        try KMSShapes.grantTokens(&call.fields)
        try KMSShapes.checkDryRun(&call.fields)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing or not in the enum.
        let (mac, key) = try await call.kms.generateMac(keyID: keyID!, message: message!, algorithm: algorithm!, caller: call.caller)
        call.usedKeys = [key]
        var json = JSONWriter()
        json.beginObject()
        json.key("Mac"); json.base64(mac)
        json.key("MacAlgorithm"); json.string(algorithm!)
        json.key("KeyId"); json.string(key.arn)
        json.endObject()
        return json.bytes
    }
}
