import CofferCore
@testable import CofferKMS
import Testing

/// Grant tokens and constraints, without a store.
struct KMSGrantTests {
    @Test func everyTokenOfAGrantNamesItAndForeignTextNamesNothing() {
        let id = String(repeating: "ab", count: 32)
        let first = KMSService.grantToken(grantID: id), second = KMSService.grantToken(grantID: id)
        #expect(first != second)
        #expect(KMSService.grantID(fromToken: first) == id && KMSService.grantID(fromToken: second) == id)
        #expect(KMSService.grantID(fromToken: "not a token") == nil)
        #expect(KMSService.grantID(fromToken: String(first.dropLast(4))) == nil)
    }

    /// AWS: in a grant constraint the key of each pair is not case sensitive, the value is.
    @Test func constraintKeysIgnoreCaseAndValuesDoNot() {
        let subset = KMSGrant.Constraints(subset: ["app": "x"])
        #expect(subset.admit(EncryptionContext(["APP": "x", "other": "y"])))
        #expect(!subset.admit(EncryptionContext(["app": "X"])))
        #expect(!subset.admit(nil))
        let equals = KMSGrant.Constraints(equals: ["Case": "42"])
        #expect(equals.admit(EncryptionContext(["case": "42"])))
        #expect(!equals.admit(EncryptionContext(["case": "42", "more": "1"])))
        #expect(!equals.admit(EncryptionContext(["case": "42", "CASE": "42"])))
        #expect(KMSGrant.Constraints().admit(EncryptionContext(["any": "thing"])))
    }
}
