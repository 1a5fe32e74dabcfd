@testable import CofferWire
import Testing

struct RequestFieldsTests {
    func fields(_ json: String) throws -> RequestFields { try RequestFields(body: Array(json.utf8)) }

    @Test func emptyBodyIsAnEmptyObject() throws {
        var fields = try fields("")
        #expect(try fields.string("KeyId") == nil)
    }

    @Test func missingRequiredMembersAreReportedTogether() throws {
        var fields = try fields("{}")
        _ = try fields.string("KeyId", required: true)
        _ = try fields.blob("Plaintext", required: true)
        #expect(throws: WireError(.validation, "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null; Value null at 'plaintext' failed to satisfy constraint: Member must not be null")) {
            try fields.validate()
        }
    }

    @Test func rangesUseAWSWording() throws {
        var fields = try fields(#"{"Limit": 0, "NumberOfBytes": 1025}"#)
        _ = try fields.integer("Limit", range: 1...1000)
        _ = try fields.integer("NumberOfBytes", range: 1...1024)
        let error = #expect(throws: WireError.self) { try fields.validate() }
        #expect(error?.message == "2 validation errors detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
    }

    @Test func blobLengthsAreCheckedWithoutEchoingTheValue() throws {
        let secret = String(repeating: "A", count: 5464)  // 4098 bytes
        var fields = try fields("{\"Plaintext\": \"\(secret)\"}")
        _ = try fields.blob("Plaintext", length: 1...4096)
        let error = #expect(throws: WireError.self) { try fields.validate() }
        #expect(error?.message.contains(secret.prefix(16)) == false)
        #expect(error?.message == "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096")
    }

    @Test func typeMismatchesAreSerializationErrors() throws {
        var fields = try fields(#"{"KeyId": 5, "Limit": "x", "EncryptionContext": {"a": 1}}"#)
        #expect(throws: WireError.self) { _ = try fields.string("KeyId") }
        #expect(throws: WireError.self) { _ = try fields.integer("Limit") }
        #expect(throws: WireError.self) { _ = try fields.stringMap("EncryptionContext") }
    }

    @Test func badBase64IsASerializationError() throws {
        var fields = try fields(#"{"Plaintext": "not base64!"}"#)
        let error = #expect(throws: WireError.self) { _ = try fields.blob("Plaintext") }
        #expect(error?.code == .serialization)
    }

    @Test func enumsListTheirValues() throws {
        var fields = try fields(#"{"KeySpec": "AES_512"}"#)
        _ = try fields.enumeration("KeySpec", allowed: ["AES_256", "AES_128"])
        let error = #expect(throws: WireError.self) { try fields.validate() }
        #expect(error?.message == "1 validation error detected: Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]")
    }

    @Test(arguments: ["[1]", "\"x\"", "{", "nul"])
    func nonObjectBodiesAreSerializationErrors(_ body: String) {
        let error = #expect(throws: WireError.self) { _ = try RequestFields(body: Array(body.utf8)) }
        #expect(error?.code == .serialization)
    }
}
