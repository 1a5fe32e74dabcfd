import CofferCore
import CofferKMS
import CofferWire

/// Verify: checks a signature; an invalid one is KMSInvalidSignatureException.
enum Verify {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let request = try SigningShapes.read(&call.fields)
        let signature = try call.fields.blob("Signature", required: true, length: 1...6144)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing or not in the enum.
        let key = try await call.kms.verify(
            keyID: request.keyID!, message: request.message!, messageType: request.type, signature: signature!,
            algorithm: request.algorithm!, caller: call.caller
        )
        call.usedKeys = [key]
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        json.key("SignatureValid"); json.bool(true)
        json.key("SigningAlgorithm"); json.string(request.algorithm!)
        json.endObject()
        return json.bytes
    }
}
