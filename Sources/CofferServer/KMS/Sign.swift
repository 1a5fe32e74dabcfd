import CofferCore
import CofferKMS
import CofferWire

/// Sign: a DER ECDSA signature of a message (RAW) or of a caller-computed digest (DIGEST).
enum Sign {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let request = try SigningShapes.read(&call.fields)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing or not in the enum.
        let (signature, key) = try await call.kms.sign(
            keyID: request.keyID!, message: request.message!, messageType: request.type, algorithm: request.algorithm!, caller: call.caller
        )
        call.usedKeys = [key]
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        json.key("Signature"); json.base64(signature)
        json.key("SigningAlgorithm"); json.string(request.algorithm!)
        json.endObject()
        return json.bytes
    }
}
