import CofferCore
import CofferKMS
import CofferWire

/// GetParametersForImport: a wrapping public key and an import token for importing key material.
enum GetParametersForImport {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let algorithm = try call.fields.enumeration(
            "WrappingAlgorithm", allowed: ["RSAES_PKCS1_V1_5", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256", "SM2PKE"],
            required: true
        )
        let spec = try call.fields.enumeration("WrappingKeySpec", allowed: ["RSA_2048", "RSA_3072", "RSA_4096", "SM2"], required: true)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let parameters = try await call.kms.parametersForImport(keyID!, wrappingAlgorithm: algorithm!, wrappingKeySpec: spec!, caller: call.caller)
        var json = JSONWriter(capacity: 4096)
        json.beginObject()
        json.key("KeyId"); json.string(parameters.key.arn)
        json.key("ImportToken"); json.base64(parameters.importToken)
        json.key("PublicKey"); json.base64(parameters.publicKey)
        json.key("ParametersValidTo"); json.timestamp(parameters.validTo)
        json.endObject()
        return json.bytes
    }
}
