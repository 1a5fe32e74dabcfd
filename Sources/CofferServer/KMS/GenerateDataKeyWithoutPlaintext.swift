import CofferCore
import CofferKMS
import CofferWire

/// GenerateDataKeyWithoutPlaintext: as GenerateDataKey, but only the encrypted copy is returned.
enum GenerateDataKeyWithoutPlaintext {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let (keyID, byteCount, context) = try GenerateDataKey.readRequest(&call)
        let result = try await call.kms.generateDataKey(keyID: keyID, byteCount: byteCount, context: context, withoutPlaintext: true, caller: call.caller)
        call.usedKeys = [result.key]
        var json = JSONWriter(capacity: result.ciphertext.count * 4 / 3 + 200)
        json.beginObject()
        json.key("CiphertextBlob"); json.base64(result.ciphertext)
        json.key("KeyId"); json.string(result.key.arn)
        json.endObject()
        return json.bytes
    }
}
