import CofferCore
import CofferKMS
import CofferWire

/// GenerateDataKeyPairWithoutPlaintext: as GenerateDataKeyPair, without the plaintext private key.
enum GenerateDataKeyPairWithoutPlaintext {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let request = try GenerateDataKeyPair.readRequest(&call)
        let result = try await call.kms.generateDataKeyPair(keyID: request.keyID, keyPairSpec: request.spec, context: request.context, withoutPlaintext: true, caller: call.caller)
        call.usedKeys = [result.key]
        var json = JSONWriter(capacity: 4 * (result.privateKeyCiphertext.count + result.publicKey.count) / 3 + 256)
        json.beginObject()
        json.key("PrivateKeyCiphertextBlob"); json.base64(result.privateKeyCiphertext)
        json.key("PublicKey"); json.base64(result.publicKey)
        json.key("KeyId"); json.string(result.key.arn)
        json.key("KeyPairSpec"); json.string(request.spec)
        json.endObject()
        return json.bytes
    }
}
