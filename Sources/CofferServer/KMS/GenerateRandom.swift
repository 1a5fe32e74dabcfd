import CofferCore
import CofferKMS
import CofferWire

/// GenerateRandom: 1 to 1024 cryptographically secure random bytes.
enum GenerateRandom {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let count = try call.fields.integer("NumberOfBytes", range: 1...1024)
        if try call.fields.string("CustomKeyStoreId", length: 1...64) != nil {
            throw KMSError(.unsupportedOperation, "Custom key stores are not supported by this server yet.")
        }
        if try call.fields.stringMap("Recipient") != nil {
            throw KMSError(.unsupportedOperation, "Recipient (Nitro Enclaves attestation) is not supported by this server.")
        }
        if count == nil {
            call.fields.addViolation("Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null")
        }
        try call.fields.validate()
        let bytes = try await call.kms.generateRandom(count ?? 0, caller: call.caller)
        var json = JSONWriter(capacity: bytes.count * 2 + 32)
        json.beginObject()
        json.key("Plaintext"); json.base64(bytes)
        json.endObject()
        return json.bytes
    }
}
