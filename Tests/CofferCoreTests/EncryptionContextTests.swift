import CofferCore
import Foundation
import Testing

struct EncryptionContextTests {
    @Test func lengthPrefixesPreventCollisions() {
        #expect(EncryptionContext(["ab": "c"]).canonicalBytes != EncryptionContext(["a": "bc"]).canonicalBytes)
        #expect(EncryptionContext(["a": "b", "c": ""]).canonicalBytes != EncryptionContext(["a": "bc"]).canonicalBytes)
        #expect(EncryptionContext([:]).canonicalBytes != EncryptionContext(["": ""]).canonicalBytes)
    }

    @Test func encodingIsIndependentOfInsertionOrder() {
        var first: [String: String] = [:]
        first["zeta"] = "1"; first["alpha"] = "2"; first["mid"] = "3"
        var second: [String: String] = [:]
        second["mid"] = "3"; second["alpha"] = "2"; second["zeta"] = "1"
        #expect(EncryptionContext(first).canonicalBytes == EncryptionContext(second).canonicalBytes)
    }

    @Test func layoutIsCountThenSortedLengthPrefixedPairs() {
        let bytes = EncryptionContext(["b": "xy", "a": ""]).canonicalBytes
        #expect(bytes == [0, 0, 0, 2, 0, 0, 0, 1, 0x61, 0, 0, 0, 0, 0, 0, 0, 1, 0x62, 0, 0, 0, 2, 0x78, 0x79])
    }

    @Test func sortsByUTF8BytesNotByCharacter() {
        // "é" (0xC3 0xA9) sorts after "z" (0x7A) by bytes.
        let bytes = EncryptionContext(["é": "1", "z": "2"]).canonicalBytes
        #expect(bytes[8] == 0x7a)
    }
}

struct IdentifierTests {
    @Test func accountIDsAreTwelveDigits() {
        #expect(AccountID("123456789012") != nil)
        #expect(AccountID("12345678901") == nil)
        #expect(AccountID("12345678901a") == nil)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let id = AccountID.random(using: &generator)
            #expect(id.rawValue.count == 12 && id.rawValue.first != "0")
        }
    }

    @Test func arnsParseWithColonsInTheResource() {
        let arn = ARN(parsing: "arn:aws:kms:us-east-1:111122223333:alias/a:b")
        #expect(arn?.service == "kms" && arn?.resource == "alias/a:b" && arn?.account == "111122223333")
        #expect(ARN(parsing: "arn:aws:kms") == nil)
        #expect(arn?.description == "arn:aws:kms:us-east-1:111122223333:alias/a:b")
    }

    @Test func accessKeysLookLikeAWSOnes() {
        let id = Identifiers.accessKeyID()
        #expect(id.hasPrefix("AKIA") && id.count == 20)
        #expect(Identifiers.secretAccessKey().count == 40)
        #expect(Identifiers.isUUID(Identifiers.uuid()))
        #expect(!Identifiers.isUUID("1234abcd-12ab-34cd-56ef-1234567890aG"))
    }

    @Test func uuidsAreRandomVersion4() throws {
        let ids = (0..<1000).map { _ in Identifiers.uuid() }
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(Identifiers.isUUID(id))
            let parsed = try #require(UUID(uuidString: id))
            #expect(parsed.uuidString.lowercased() == id)
            let bytes = parsed.uuid
            #expect(bytes.6 >> 4 == 4)
            #expect(bytes.8 >> 6 == 0b10)
        }
    }

    @Test func uuidsFromGivenBytesSetVersionAndVariant() throws {
        let bytes: [UInt8] = [0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00]
        #expect(Identifiers.uuid(randomBytes: bytes) == "ffeeddcc-bbaa-4988-b766-554433221100")
        #expect(Identifiers.uuid(randomBytes: [UInt8](repeating: 0, count: 16)) == "00000000-0000-4000-8000-000000000000")
        #expect(Identifiers.uuid(randomBytes: [1]) == "01000000-0000-4000-8000-000000000000")
    }

    @Test func constantTimeEqualsComparesContents() {
        #expect(Bytes.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Bytes.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Bytes.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(Bytes.hex([0x00, 0xab, 0xff]) == "00abff")
    }
}
